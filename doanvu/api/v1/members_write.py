"""Members import in the API (MEM-13 through API-1): a province's system pushes a member file
for a unit; the same import service and background jobs as the import pages
(`members.imports`): upload → dry run (queued at once, with the columns recognised from the
header row) → confirm → import, each step's state read back from the job."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.members.imports import selectors as imports
from doanvu.members.imports import services as importer
from doanvu.members.imports.forms import MAX_UPLOAD_BYTES
from doanvu.members.imports.tasks import import_job_confirm, import_job_queue_check
from doanvu.members.models import ImportJob, ImportStatus

from ..base import ApiView, BoundedMultiPartParser, StrictSerializer, errors

TAG: str = gettext_lazy("Nhập đoàn viên")  # type: ignore[assignment]  # a lazy str
SHOWN_ERRORS = 2000  # as the report page shows
FORM_OVERHEAD_BYTES = 64 * 1024  # the multipart framing and the unit field around the file


class ImportUploadSerializer(StrictSerializer):
    don_vi = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text=gettext_lazy(
        "Mã số đơn vị nhận đoàn viên (bạn phải được quyền cập nhật đơn vị này)."))
    tep = serializers.FileField(help_text=gettext_lazy(
        "Tệp danh sách .xlsx hoặc .csv như trang nhập đoàn viên nhận (tối đa 200 MB); dòng "
        "tiêu đề được nhận ra tự động như ở tệp mẫu."))


class ImportErrorSerializer(serializers.Serializer):
    dong = serializers.IntegerField(help_text=gettext_lazy("Dòng của tệp."))
    cot = serializers.CharField(help_text=gettext_lazy("Cột (tên trường)."))
    thong_diep = serializers.CharField(help_text=gettext_lazy("Lý do, tiếng Việt."))


class ImportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số lượt nhập."))
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị nhận."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị nhận."))
    tep = serializers.CharField(help_text=gettext_lazy("Tên tệp đã gửi."))
    tao_luc = serializers.DateTimeField(help_text=gettext_lazy("Gửi lúc."))
    trang_thai = serializers.ChoiceField(
        choices=ImportStatus.values, help_text=gettext_lazy(
            "Mã trạng thái: da_tai_len (chưa kiểm tra, xem “that_bai”), dang_kiem_tra, "
            "da_kiem_tra (chờ xác nhận), dang_nhap, hoan_tat, loi, bi_gian_doan, da_huy, "
            "da_het_han."))
    trang_thai_ten = serializers.CharField(help_text=gettext_lazy("Trạng thái, tiếng Việt."))
    buoc = serializers.CharField(help_text=gettext_lazy(
        "Bước đang làm hoặc dừng: “kiem_tra” (kiểm tra thử) hoặc “nhap”."))
    bi_gian_doan = serializers.BooleanField(help_text=gettext_lazy(
        "Đã dừng giữa chừng (máy xử lý ngừng): trang nhập cho tiếp tục hoặc hủy."))
    cho_may_xu_ly = serializers.BooleanField(help_text=gettext_lazy(
        "Đã xếp hàng quá lâu mà chưa máy xử lý nào nhận."))
    da_xu_ly = serializers.IntegerField(help_text=gettext_lazy(
        "Số dòng đã đọc (kiểm tra thử) hoặc đã nhập."))
    tong_so_dong = serializers.IntegerField(help_text=gettext_lazy(
        "Số dòng dữ liệu của tệp (biết sau khi kiểm tra thử)."))
    se_them = serializers.IntegerField(help_text=gettext_lazy(
        "Số đoàn viên thêm mới (dự kiến khi đã kiểm tra, thực tế khi hoàn tất)."))
    se_cap_nhat = serializers.IntegerField(help_text=gettext_lazy("Số đoàn viên cập nhật."))
    khong_doi = serializers.IntegerField(help_text=gettext_lazy("Số dòng không đổi gì."))
    so_dong_loi = serializers.IntegerField(help_text=gettext_lazy(
        "Số dòng bị từ chối (không nhập)."))
    loi = ImportErrorSerializer(many=True, help_text=gettext_lazy(
        "Các dòng bị từ chối: dòng, cột, lý do (tối đa 2000 dòng đầu)."))
    that_bai = serializers.CharField(help_text=gettext_lazy(
        "Lý do cả tệp không kiểm tra hoặc không nhập được (rỗng nếu không có)."))
    cot_da_gan = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy(
        "Các cột của tệp đã nhận ra."))
    dia_chi_trang_thai = serializers.CharField(help_text=gettext_lazy(
        "Địa chỉ để hỏi trạng thái lượt nhập này."))
    dia_chi_xac_nhan = serializers.CharField(help_text=gettext_lazy(
        "Địa chỉ xác nhận nhập (POST) khi trạng thái là da_kiem_tra; rỗng nếu chưa/không "
        "xác nhận được."))


_CHECK_STATES = (ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.EXPIRED)


def _row(job: ImportJob) -> dict[str, Any]:
    report = job.report or {}
    errors_ = report.get("errors", [])
    if job.status in (ImportStatus.INTERRUPTED, ImportStatus.RUNNING, ImportStatus.CHECKING):
        step = importer.import_job_step(job)
    else:
        step = "check" if job.status in _CHECK_STATES else "import"
    return {
        "id": job.pk, "don_vi_id": job.unit_id, "don_vi": job.unit.name,
        "tep": job.original_name, "tao_luc": job.created_at, "trang_thai": job.status,
        "trang_thai_ten": str(job.get_status_display()),
        "buoc": "kiem_tra" if step == "check" else "nhap",
        "bi_gian_doan": importer.import_job_interrupted(job),
        "cho_may_xu_ly": importer.import_job_waiting_for_worker(job),
        "da_xu_ly": job.processed_rows, "tong_so_dong": job.total_rows,
        "se_them": int(report.get("added", 0)), "se_cap_nhat": int(report.get("updated", 0)),
        "khong_doi": int(report.get("unchanged", 0)), "so_dong_loi": job.bad_rows,
        "loi": [{"dong": r, "cot": str(c), "thong_diep": str(m)}
                for r, c, m in errors_[:SHOWN_ERRORS]],
        "that_bai": str(report.get("failure", "")),
        "cot_da_gan": [str(importer.COLUMN_BY_KEY[k].label) for k in (job.mapping or {}).values()
                       if k in importer.COLUMN_BY_KEY],
        "dia_chi_trang_thai": reverse("api:v1_member_import", args=[job.pk]),
        "dia_chi_xac_nhan": (reverse("api:v1_member_import_confirm", args=[job.pk])
                             if job.status == ImportStatus.CHECKED else ""),
    }


def _answer(job_id: int, scope: Any, code: int = status.HTTP_200_OK) -> Response:
    job = imports.import_job_get(scope=scope, pk=job_id)  # as the task left it
    return Response(ImportJobSerializer(_row(job)).data, status=code)


class MemberImportStart(ApiView):
    parser_classes = [BoundedMultiPartParser]

    def max_body_bytes(self) -> int:
        return MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES

    def max_file_bytes(self) -> int:
        return MAX_UPLOAD_BYTES

    @extend_schema(
        operation_id="doan_vien_nhap", tags=[TAG], summary=gettext_lazy("Gửi tệp nhập đoàn viên"),
        description=gettext_lazy(
            "Như trang “Nhập đoàn viên”: gửi multipart/form-data với “don_vi” và “tep”. Tệp "
            "được lưu, dòng tiêu đề được nhận ra, rồi việc kiểm tra thử được xếp hàng (không "
            "ghi gì vào danh sách). Trả lời 202 với lượt nhập; hỏi trạng thái ở "
            "“dia_chi_trang_thai” đến khi là “da_kiem_tra”, xem các dòng bị từ chối trong "
            "“loi”, rồi xác nhận ở “dia_chi_xac_nhan”. Tệp không đọc được, thiếu cột bắt buộc "
            "hoặc đơn vị ngoài quyền: 400 nêu trường, không lưu gì."),
        request={"multipart/form-data": ImportUploadSerializer},
        responses={202: ImportJobSerializer, **errors(400, 413, 415)})
    def post(self, request: Request) -> Response:
        body = ImportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        scope = self.scope()
        unit = imports.import_unit_get(scope=scope, pk=body.validated_data["don_vi"])
        if unit is None:
            raise exceptions.ValidationError({"don_vi": [
                _("Hãy chọn một đơn vị bạn được quyền cập nhật.")]})
        try:
            job = importer.import_job_create(actor=request.user, unit=unit,
                                             upload=body.validated_data["tep"])
        except importer.ImportFileError as exc:
            raise exceptions.ValidationError({"tep": [exc.message]}) from None
        missing = importer.missing_required(job.mapping, unit_is_branch=unit.kind.is_branch)
        if missing:
            importer.import_job_discard(job=job)
            raise exceptions.ValidationError({"tep": [
                _("Dòng tiêu đề (dòng {row}) thiếu các cột bắt buộc: {missing}. Hãy dùng tên "
                  "cột như tệp mẫu.").format(row=job.report.get("header_row", 1),
                                             missing=", ".join(missing))]})
        import_job_queue_check(job=job, mapping=job.mapping)
        return _answer(job.pk, scope, status.HTTP_202_ACCEPTED)


class MemberImportDetail(ApiView):
    @extend_schema(
        operation_id="doan_vien_nhap_trang_thai", tags=[TAG],
        summary=gettext_lazy("Trạng thái một lượt nhập đoàn viên"),
        description=gettext_lazy(
            "Đang kiểm tra / đã kiểm tra (chờ xác nhận) / đang nhập n trên N dòng / hoàn tất / "
            "bị gián đoạn / lỗi, với các dòng bị từ chối (dòng, cột, lý do). 404 như nhau cho "
            "lượt nhập không có và của đơn vị ngoài quyền cập nhật của bạn."),
        responses={200: ImportJobSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        return _answer(pk, self.scope())


class MemberImportConfirm(ApiView):
    @extend_schema(
        operation_id="doan_vien_nhap_xac_nhan", tags=[TAG],
        summary=gettext_lazy("Xác nhận nhập đoàn viên"),
        description=gettext_lazy(
            "Như nút “Xác nhận nhập”: xếp hàng việc nhập các dòng hợp lệ của lần kiểm tra thử. "
            "Chỉ khi trạng thái là “da_kiem_tra”; khác đi là 400 nêu trạng thái. Trả lời 202 "
            "với lượt nhập; hỏi trạng thái đến khi “hoan_tat”."),
        request=None, responses={202: ImportJobSerializer, **errors(400, 404)})
    def post(self, request: Request, pk: int) -> Response:
        scope = self.scope()
        job = imports.import_job_get(scope=scope, pk=pk)
        if job.status != ImportStatus.CHECKED:
            raise exceptions.ValidationError({"trang_thai": [_(
                "Lượt nhập đang ở trạng thái “{state}”: chỉ xác nhận được khi đã kiểm tra thử "
                "xong.").format(state=job.get_status_display())]})
        import_job_confirm(job=job)
        return _answer(job.pk, scope, status.HTTP_202_ACCEPTED)
