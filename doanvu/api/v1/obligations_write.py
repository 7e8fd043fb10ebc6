"""Submitting what a unit owes ("Việc của tôi", HUB-2) through the API: the same service and
checks as the page's "Nộp" (hub.services.obligation_submit): a text, files, or both."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.hub import conf as hub_conf
from doanvu.hub import permissions as hub_permissions
from doanvu.hub import selectors as hub
from doanvu.hub import services as hub_services

from ..base import ApiView, BoundedJSONParser, BoundedMultiPartParser, StrictSerializer, errors
from .obligations import TAG, ObligationSerializer, _row

# the service's fields → the API's
_FIELDS = {"text": "noi_dung", "attachments": "tep"}


class SubmitSerializer(StrictSerializer):
    noi_dung = serializers.CharField(
        required=False, allow_blank=True, max_length=20000, trim_whitespace=False,
        help_text=gettext_lazy("Nội dung báo cáo (tối đa 20.000 ký tự)."))
    tep = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),  # the service names an empty one
        required=False, max_length=100,
        help_text=gettext_lazy(
            "Tệp đính kèm (chỉ khi gửi multipart/form-data; gửi nhiều lần trường “tep” cho "
            "nhiều tệp): số tệp, loại và cỡ mỗi tệp như trang nộp cho phép."))


class ObligationSubmit(ApiView):
    parser_classes = [BoundedJSONParser, BoundedMultiPartParser]

    def max_body_bytes(self) -> int:
        return hub_conf.upload_max_request_bytes()

    def max_file_bytes(self) -> int:
        return hub_conf.upload_max_bytes()

    @extend_schema(
        operation_id="viec_nop", tags=[TAG], summary=gettext_lazy("Nộp một việc"),
        description=gettext_lazy(
            "Như nút “Nộp” của trang “Việc của tôi”: gửi nội dung (JSON {\"noi_dung\": …}) "
            "hoặc tệp (multipart/form-data, trường “tep”), hoặc cả hai. Chỉ người được quyền "
            "cập nhật đơn vị (ban) phải nộp; với người khác việc này là 404 như việc không có. "
            "Việc đã nộp hoặc đã tiếp nhận: 400 nêu trạng thái. Quá hạn vẫn nộp được (ghi nhận "
            "nộp muộn). Trả lời việc như GET /api/v1/viec/<id>/."),
        request={"application/json": SubmitSerializer,
                 "multipart/form-data": SubmitSerializer},
        responses={200: ObligationSerializer, **errors(400, 404, 413, 415)})
    def post(self, request: Request, pk: int) -> Response:
        ob = hub.obligation_get(scope=self.scope(), pk=pk, allowed=hub_permissions.can_submit)
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            ob = hub_services.obligation_submit(
                actor=request.user, obligation=ob, text=body.validated_data.get("noi_dung", ""),
                files=body.validated_data.get("tep", []))
        except ApplicationError as exc:
            field = _FIELDS.get(exc.field or "", "non_field_errors")
            raise exceptions.ValidationError({field: [exc.message]}) from None
        return Response(ObligationSerializer(_row(ob, today())).data)
