"""Forms of the documents pages: compose/edit, issue, register filters (X-9: every bad input
answered beside its field, in Vietnamese)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from doanvu.common.forms import VNDateField, VNForm
from doanvu.org.models import Department

from . import markup
from .models import Document, DocumentStatus, DocumentType

if TYPE_CHECKING:
    pass

BODY_HELP = (_("Mỗi dòng là một đoạn. Đề mục: “I. …”, “1. …”, “1.1. …”; gạch đầu dòng: “- …”, "
               "ý nhỏ: “+ …”. Chữ đậm: **chữ**, chữ nghiêng: *chữ*."))


class DocumentForm(VNForm):
    """Compose or edit a draft. Multi-line fields are edited as text (see markup.py)."""

    doc_type = forms.ModelChoiceField(
        label=_("Loại văn bản"), queryset=DocumentType.objects.all(), empty_label=None,
    )
    title = forms.CharField(
        label=_("Trích yếu (tên văn bản)"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    department = forms.ModelChoiceField(
        label=_("Ban tham mưu"), queryset=Department.objects.none(), required=False,
        empty_label=_("— Không ghi ban —"),
        help_text=_("Ký hiệu của ban đứng sau tên cơ quan trong số văn bản, ví dụ "
                    "45-KH/TĐTN-TCKT."),
        error_messages={"invalid_choice": _("Ban đã chọn không thuộc đơn vị ban hành.")},
    )
    header_upper = forms.CharField(
        label=_("Tên cơ quan cấp trên (dòng 1 góc trái)"), max_length=200,
        help_text=_("Ví dụ: BCH ĐOÀN TỈNH TÂY NINH, BAN CHẤP HÀNH TRUNG ƯƠNG."))
    header_body = forms.CharField(label=_("Tên cơ quan ban hành (dòng 2, nếu có)"), max_length=200,
                                  required=False,
                                  help_text=_("Để trống khi dòng 1 đã là cơ quan ban hành."))
    body_code = forms.CharField(label=_("Ký hiệu cơ quan ban hành"), max_length=40,
                                help_text=_("Ví dụ: TĐTN, TWĐTN, HĐ."))
    place = forms.CharField(label=_("Địa danh"), max_length=120)
    issued_on = VNDateField(label=_("Ngày ban hành (dự kiến)"), required=False,
                            help_text=_("Để trống thì lấy ngày bấm ban hành."))
    legal_bases = forms.CharField(label=_("Căn cứ ban hành"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Mỗi dòng một căn cứ (in nghiêng)."))
    body = forms.CharField(label=_("Nội dung"), required=False, help_text=BODY_HELP,
                           widget=forms.Textarea(attrs={"rows": 16}))
    closing = forms.CharField(label=_("Đoạn kết"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Ví dụ: “Trên đây là Kế hoạch …”."))
    recipients = forms.CharField(label=_("Nơi nhận"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text=_("Mỗi dòng một nơi nhận; cần có trước khi ban hành."))
    signer_on_behalf = forms.CharField(label=_("Thẩm quyền ký"), max_length=200, required=False,
                                       help_text=_("Ví dụ: TM. BAN THƯỜNG VỤ TỈNH ĐOÀN."))
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False,
                                   help_text=_("Ví dụ: BÍ THƯ, PHÓ BÍ THƯ."))
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=120, required=False)

    def __init__(self, *args: Any, departments: QuerySet[Department],
                 department_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        field.queryset = departments  # type: ignore[attr-defined]
        field.required = department_required

    def clean_title(self) -> str:
        title = markup.clean_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(gettext("Hãy nhập trích yếu."))
        return title

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned data in the shape the services take."""
        d = self.cleaned_data
        return {
            "doc_type": d["doc_type"], "title": d["title"], "department": d["department"],
            "header_upper": d["header_upper"], "header_body": d["header_body"],
            "body_code": d["body_code"], "place": d["place"], "issued_on": d["issued_on"],
            "legal_bases": markup.clean_lines(d["legal_bases"]),
            "body": markup.parse_body(d["body"]),
            "closing": markup.parse_paragraphs(d["closing"]),
            "recipients": markup.clean_lines(d["recipients"]),
            "signer_on_behalf": d["signer_on_behalf"], "signer_title": d["signer_title"],
            "signer_name": d["signer_name"],
        }


def initial_from(document: Document) -> dict[str, Any]:
    """A draft's content as the text the form edits."""
    return {
        "doc_type": document.doc_type_id, "title": document.title,
        "department": document.department_id, "header_upper": document.header_upper,
        "header_body": document.header_body, "body_code": document.body_code,
        "place": document.place, "issued_on": document.issued_on,
        "legal_bases": "\n".join(document.legal_bases),
        "body": markup.print_body(document.body),
        "closing": "\n".join(document.closing),
        "recipients": "\n".join(f"- {r}" for r in document.recipients),
        "signer_on_behalf": document.signer_on_behalf, "signer_title": document.signer_title,
        "signer_name": document.signer_name,
    }


class IssueForm(VNForm):
    issued_on = VNDateField(label=_("Ngày ban hành"), required=False,
                            help_text=_("Để trống thì lấy ngày hôm nay."))


class RegisterFilterForm(VNForm):
    """Filters of the register; junk values are ignored with a message, never a 500."""

    q = forms.CharField(label=_("Tìm"), required=False, max_length=200)
    don_vi = forms.TypedChoiceField(label=_("Đơn vị ban hành"), required=False, coerce=int,
                                    empty_value=None)
    nam = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    loai = forms.ModelChoiceField(label=_("Loại"), queryset=DocumentType.objects.all(),
                                  required=False, empty_label=_("Mọi loại"))
    trang_thai = forms.ChoiceField(label=_("Trạng thái"), required=False,
                                   choices=[("", _("Mọi trạng thái")), *DocumentStatus.choices])

    def __init__(self, *args: Any, units: list[tuple[int, str]], years: list[int],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["don_vi"]
        unit_field.choices = [("", gettext("Mọi đơn vị")), *units]  # type: ignore[attr-defined]
        unit_field.error_messages["invalid_choice"] = gettext("Đơn vị không có trong danh sách.")
        year_field = self.fields["nam"]
        year_field.choices = [("", gettext("Mọi năm")), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]
        year_field.error_messages["invalid_choice"] = gettext("Năm không có trong sổ văn bản.")
