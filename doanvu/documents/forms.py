"""Forms of the documents pages: compose/edit, issue, register filters (X-9: every bad input
answered beside its field, in Vietnamese)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from doanvu.common.dates import today
from doanvu.common.forms import VNDateField, VNForm
from doanvu.common.search import SearchField
from doanvu.org.models import Department, Unit

from . import addressing, markup
from .addressing import Address
from .models import Document, DocumentStatus, DocumentType, RecipientGroup

BODY_HELP = (_("Mỗi dòng là một đoạn. Đề mục: “I. …”, “1. …”, “1.1. …”; gạch đầu dòng: “- …”, "
               "ý nhỏ: “+ …”. Chữ đậm: **chữ**, chữ nghiêng: *chữ*."))


class UnitListField(forms.Field):
    """Unit ids ticked in the recipient picker (documents/_recipient_picker.html renders them;
    the widget only reads the list)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        try:
            return list(dict.fromkeys(int(v) for v in value))
        except (TypeError, ValueError):
            raise forms.ValidationError(gettext("Đơn vị nơi nhận không hợp lệ.")) from None


ADDRESS_FIELDS = ("recipient_groups", "recipient_units", "recipients", "report_due_on",
                  "report_title")


class DocumentForm(VNForm):
    """Compose or edit a draft. Multi-line fields are edited as text (see markup.py).
    Addressees: groups of the issuing unit's sub-units and units picked from the tree
    (`addresses()`), plus free-text lines."""

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
    recipient_groups = forms.MultipleChoiceField(
        label=_("Gửi các đơn vị trực thuộc"), required=False,
        choices=[c for c in RecipientGroup.choices if c[0]],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Danh sách đơn vị được chốt theo cây tổ chức vào ngày ban hành."),
        error_messages={"invalid_choice": _("Nhóm nơi nhận không hợp lệ.")},
    )
    recipient_units = UnitListField(label=_("Đơn vị nhận"), required=False)
    recipients = forms.CharField(
        label=_("Nơi nhận khác (ghi trên văn bản)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một nơi nhận không chọn được ở trên, ví dụ “Thường trực Tỉnh ủy "
                    "(b/c);”, “Lưu VP.”. Các đơn vị đã chọn được in trước dòng “Lưu …”. "
                    "Cần có ít nhất một nơi nhận trước khi ban hành."))
    report_due_on = VNDateField(
        label=_("Hạn báo cáo của nơi nhận"), required=False,
        help_text=_("Nếu có: khi ban hành, mỗi đơn vị nhận có một việc phải nộp báo cáo cho "
                    "đơn vị ban hành, hạn ngày này."))
    report_title = forms.CharField(
        label=_("Nội dung báo cáo"), max_length=255, required=False,
        help_text=_("Để trống thì ghi “Báo cáo kết quả thực hiện …” kèm số văn bản."))
    signer_on_behalf = forms.CharField(label=_("Thẩm quyền ký"), max_length=200, required=False,
                                       help_text=_("Ví dụ: TM. BAN THƯỜNG VỤ TỈNH ĐOÀN."))
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False,
                                   help_text=_("Ví dụ: BÍ THƯ, PHÓ BÍ THƯ."))
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=120, required=False)

    def __init__(self, *args: Any, departments: QuerySet[Department], unit: Unit,
                 department_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        field = self.fields["department"]
        field.queryset = departments  # type: ignore[attr-defined]
        field.required = department_required
        on = today()
        groups = self.fields["recipient_groups"]
        groups.choices = [  # type: ignore[attr-defined]
            (code, gettext("{label} ({n} đơn vị)").format(
                label=addressing.default_label(unit=unit, group=code, issuing_unit=unit),
                n=addressing.group_members(unit=unit, group=code, on=on).count()))
            for code, _label in RecipientGroup.choices if code
        ]

    @property
    def content_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if f.name not in ADDRESS_FIELDS]

    @property
    def address_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("recipient_groups", "recipients", "report_due_on",
                                        "report_title")]

    def chosen_units(self) -> list[Unit]:
        """The units ticked (as typed, on a form shown again) or saved on the draft."""
        raw = self["recipient_units"].value() or []
        try:
            ids = list(dict.fromkeys(int(v) for v in raw))
        except (TypeError, ValueError):
            return []
        found = Unit.objects.in_bulk(ids)
        return [found[i] for i in ids if i in found]

    def clean_recipient_units(self) -> list[Unit]:
        ids = self.cleaned_data["recipient_units"]
        found = Unit.objects.select_related("kind").in_bulk(ids)
        if len(found) != len(ids):
            raise forms.ValidationError(gettext("Không tìm thấy đơn vị nơi nhận đã chọn."))
        return [found[i] for i in ids]

    def addresses(self) -> list[Address]:
        d = self.cleaned_data
        return ([Address(unit=self.unit, group=g) for g in d["recipient_groups"]]
                + [Address(unit=u) for u in d["recipient_units"]])

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
            "signer_name": d["signer_name"], "addresses": self.addresses(),
            "report_due_on": d["report_due_on"], "report_title": d["report_title"],
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
        "recipient_groups": [a.group for a in document.addresses.all()
                             if a.group and a.unit_id == document.issuing_unit_id],
        "recipient_units": [a.unit_id for a in document.addresses.all() if not a.group],
        "report_due_on": document.report_due_on, "report_title": document.report_title,
    }


class IncomingFilterForm(VNForm):
    """Filters of "Văn bản đến"; a junk value is answered beside its field."""

    don_vi = forms.TypedChoiceField(label=_("Đơn vị nhận"), required=False, coerce=int,
                                    empty_value=None)
    chua_mo = forms.BooleanField(label=_("Chỉ văn bản chưa mở"), required=False)

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["don_vi"]
        field.choices = [("", gettext("Mọi đơn vị")), *units]  # type: ignore[attr-defined]
        field.error_messages["invalid_choice"] = gettext("Đơn vị không có trong danh sách.")


class IssueForm(VNForm):
    issued_on = VNDateField(label=_("Ngày ban hành"), required=False,
                            help_text=_("Để trống thì lấy ngày hôm nay."))


class RegisterFilterForm(VNForm):
    """Filters of the register; junk values are ignored with a message, never a 500."""

    q = SearchField(label=_("Tìm"))
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
