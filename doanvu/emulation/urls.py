"""URLs of the emulation module (thi đua), under /thi-dua/."""

from django.urls import path

from . import component_request_views as crv
from . import conclusion_views as cv
from . import ranking_views as rv
from . import results_views as xv
from . import sheet_views as sv
from . import views as v

app_name = "emulation"

urlpatterns = [
    path("thi-dua/don-vi/<int:pk>/thang-diem/", v.rubric_list, name="rubric_list"),
    path("thi-dua/don-vi/<int:pk>/thang-diem/tao/", v.rubric_create, name="rubric_create"),
    path("thi-dua/don-vi/<int:pk>/khoi/tao/", v.group_create, name="group_create"),
    path("thi-dua/khoi/<int:pk>/don-vi/", v.group_assign, name="group_assign"),
    path("thi-dua/thang-diem/<int:pk>/", v.rubric_detail, name="rubric_detail"),
    path("thi-dua/thang-diem/<int:pk>/sua/", v.rubric_edit, name="rubric_edit"),
    path("thi-dua/thang-diem/<int:pk>/sao-chep/", v.rubric_copy, name="rubric_copy"),
    path("thi-dua/thang-diem/<int:pk>/khoa/", v.rubric_freeze, name="rubric_freeze"),
    path("thi-dua/thang-diem/<int:pk>/ket-thuc/", v.rubric_close, name="rubric_close"),
    path("thi-dua/thang-diem/<int:pk>/xuat/", v.rubric_export, name="rubric_export"),
    path("thi-dua/thang-diem/<int:pk>/nhap/", v.rubric_import, name="rubric_import"),
    path("thi-dua/thang-diem/<int:pk>/<slug:part>/them/", v.part_add, name="part_add"),
    path("thi-dua/thang-diem/<int:pk>/<slug:part>/<int:item>/sua/", v.part_edit,
         name="part_edit"),
    path("thi-dua/thang-diem/<int:pk>/<slug:part>/<int:item>/xoa/", v.part_delete,
         name="part_delete"),
    # score sheets (EMU-2, EMU-8, EMU-10)
    path("thi-dua/thang-diem/<int:pk>/phieu/", sv.sheet_list, name="sheet_list"),
    path("thi-dua/thang-diem/<int:pk>/phieu/mo/", sv.sheets_open, name="sheets_open"),
    path("thi-dua/thang-diem/<int:pk>/han-cham/", sv.rubric_deadlines, name="rubric_deadlines"),
    path("thi-dua/thang-diem/<int:pk>/ket-qua-thanh-phan/", sv.component_import,
         name="component_import"),
    path("thi-dua/thang-diem/<int:pk>/ket-qua-thanh-phan/yeu-cau/",
         crv.component_request_create, name="component_request_create"),
    path("thi-dua/phieu/<int:pk>/", sv.sheet_detail, name="sheet_detail"),
    path("thi-dua/phieu/<int:pk>/tu-cham/", sv.sheet_self_score, name="sheet_self_score"),
    path("thi-dua/phieu/<int:pk>/minh-chung/", sv.evidence_upload, name="evidence_upload"),
    path("thi-dua/phieu/<int:pk>/nop/", sv.sheet_submit, name="sheet_submit"),
    path("thi-dua/phieu/<int:pk>/chot/", sv.sheet_finalise, name="sheet_finalise"),
    path("thi-dua/phieu/<int:pk>/thuong-tru/", sv.entry_add, name="entry_add"),
    path("thi-dua/phieu/<int:pk>/dieu-chinh/", sv.adjustment_add, name="adjustment_add"),
    path("thi-dua/phieu/<int:pk>/ban/<int:department>/", sv.department_score,
         name="department_score"),
    path("thi-dua/minh-chung/<int:pk>/", sv.evidence_download, name="evidence_download"),
    path("thi-dua/cham-diem/", sv.my_worklists, name="my_worklists"),
    path("thi-dua/ban/<int:pk>/cham-diem/", sv.department_worklist, name="department_worklist"),
    # from inspection conclusions: good models (EMU-9), carry-over (EMU-11)
    path("thi-dua/mo-hinh-giai-phap/", cv.good_models, name="good_models"),
    path("thi-dua/phieu/<int:pk>/ton-tai/<int:limitation>/", cv.carryover_apply,
         name="carryover_apply"),
    path("thi-dua/phieu/<int:pk>/khuyet-diem/<int:shortcoming>/", cv.remediation_apply,
         name="remediation_apply"),
    # ranking (EMU-3, EMU-4)
    path("thi-dua/thang-diem/<int:pk>/xep-hang/", rv.ranking_list, name="ranking_list"),
    path("thi-dua/thang-diem/<int:pk>/xep-hang/tinh/", rv.ranking_compute,
         name="ranking_compute"),
    path("thi-dua/xep-hang/<int:pk>/", rv.snapshot_detail, name="snapshot_detail"),
    path("thi-dua/xep-hang/<int:pk>/cong-bo/", rv.snapshot_publish, name="snapshot_publish"),
    path("thi-dua/xep-hang/<int:pk>/xuat/", rv.snapshot_export, name="snapshot_export"),
    # notices and appeals (EMU-6, EMU-7)
    path("thi-dua/xep-hang/<int:pk>/pdf/", xv.snapshot_pdf, name="snapshot_pdf"),
    path("thi-dua/xep-hang/<int:pk>/thong-bao/", xv.notices_issue, name="notices_issue"),
    path("thi-dua/thang-diem/<int:pk>/thoi-han-khieu-nai/", xv.policy_set, name="policy_set"),
    path("thi-dua/don-vi/<int:pk>/ket-qua/", xv.unit_results, name="unit_results"),
    path("thi-dua/xep-hang/<int:pk>/don-vi/<int:unit>/khieu-nai/", xv.appeal_create,
         name="appeal_create"),
    path("thi-dua/khieu-nai/<int:pk>/", xv.appeal_detail, name="appeal_detail"),
    path("thi-dua/khieu-nai/<int:pk>/giai-quyet/", xv.appeal_decide, name="appeal_decide"),
    path("thi-dua/khieu-nai/<int:pk>/minh-chung/", xv.appeal_evidence, name="appeal_evidence"),
]
