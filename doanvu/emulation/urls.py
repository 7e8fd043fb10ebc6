"""URLs of the emulation module (thi đua), under /thi-dua/."""

from django.urls import path

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
]
