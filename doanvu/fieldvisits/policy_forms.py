"""The form of a field-visit regime. The lists a cadre types (levels, split by level, coverage,
roll-ups) are one line per item with parts separated by "|", documented on the page; the form
reads their shape (line by line, naming the line), the service (`policies.clean`) their sense."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doanvu.common.forms import VNDateField, VNForm
from doanvu.common.text import fold
from doanvu.documents.models import Document
from doanvu.org.models import Unit

from .models import OnePlusTwo, ProrateRule, VisitKind
from .policies import status_choices

PERIOD_WORDS = {"quy": "quarter", "quarter": "quarter", "6 thang": "half", "nua nam": "half",
                "half": "half", "nam": "year", "year": "year"}
PERIOD_TEXT = {"quarter": "quý", "half": "6 tháng", "year": "năm"}  # i18n: data
# who a roll-up goes to: the codes of rollups.RECIPIENTS, or these words (accents folded)
TO_WORDS = {"standing": "standing", "thuong truc": "standing", "btv": "btv",
            "ban thuong vu": "btv", "province": "province", "cap tren": "province",
            "central": "central", "trung uong": "central"}


def _lines(text: str) -> list[tuple[int, list[str]]]:
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if line.strip():
            out.append((n, [p.strip() for p in line.split("|")]))
    return out


def _codes(text: str) -> list[str]:
    return [c.strip() for c in (text or "").replace(";", ",").split(",") if c.strip()]


def _number(raw: str, n: int, what: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise forms.ValidationError(_("Dòng %(n)s: %(what)s phải là số nguyên, đang là "
                                      "“%(raw)s”.") % {"n": n, "what": what, "raw": raw}) from None


# -- the lists as text, both ways ---------------------------------------------------------------

def levels_text(levels: Sequence[Mapping[str, Any]]) -> str:
    return "\n".join(f"{lv['code']} | {lv['label']} | {', '.join(lv.get('kinds', []))}"
                     for lv in levels or [])


def days_text(days: Mapping[str, int], levels: Sequence[Mapping[str, Any]] = ()) -> str:
    """One line per level, in the order of the levels (jsonb keeps no key order)."""
    order = [lv["code"] for lv in levels or []]
    codes = sorted(days or {}, key=lambda c: (order.index(c) if c in order else len(order), c))
    return "\n".join(f"{code} | {days[code]}" for code in codes)


def coverage_text(coverage: Mapping[str, Sequence[str]]) -> str:
    return "\n".join(f"{kind} | {', '.join(codes)}" for kind, codes in (coverage or {}).items())


def rollups_text(rollups: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for r in rollups or []:
        due = (str(r["after_days"]) if r.get("after_days") is not None
               else f"{int(r['day']):02d}/{int(r['month']):02d}")
        row = [r["code"], r["label"], PERIOD_TEXT.get(r["period"], r["period"]), r["to"], due]
        if r.get("unit_kinds"):
            row.append(", ".join(r["unit_kinds"]))
        rows.append(" | ".join(row))
    return "\n".join(rows)


def initial_of(policy: Any) -> dict[str, Any]:
    """A form's initial values from a policy (the edit form, or a new one prefilled)."""
    return {
        "name": policy.name, "valid_from": policy.valid_from, "valid_to": policy.valid_to,
        "source": policy.source, "plan_document": policy.plan_document_id,
        "min_days": policy.min_days, "levels": levels_text(policy.levels),
        "days_by_level": days_text(policy.days_by_level, policy.levels),
        "coverage": coverage_text(policy.coverage), "counted_kinds": policy.counted_kinds,
        "chosen_kinds": policy.chosen_kinds, "assigned_kinds": policy.assigned_kinds,
        "branch_meeting_kind": policy.branch_meeting_kind,
        "branch_meetings_min": policy.branch_meetings_min,
        "exempt_titles": "\n".join(policy.exempt_titles or []),
        "exempt_statuses": policy.exempt_statuses, "long_statuses": policy.long_statuses,
        "long_status_min_months": policy.long_status_min_months, "prorate": policy.prorate,
        "prorate_month_min_days": policy.prorate_month_min_days,
        "report_days": policy.report_days, "registration_day": policy.registration_day,
        "agency_plan_kinds": ", ".join(policy.agency_plan_kinds or []),
        "rollups": rollups_text(policy.rollups), "one_plus_two": policy.one_plus_two,
        "one_plus_two_days": policy.one_plus_two_days, "youth_month": policy.youth_month,
    }


def _area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "spellcheck": "false"})


class PolicyForm(VNForm):
    name = forms.CharField(label=gettext_lazy("Tên chế độ"), max_length=255)
    valid_from = VNDateField(label=gettext_lazy("Hiệu lực từ ngày"))
    valid_to = VNDateField(label=gettext_lazy("Hiệu lực đến ngày"), required=False,
                           help_text=gettext_lazy("Để trống nếu chưa định ngày hết hiệu lực."))
    source = forms.CharField(label=gettext_lazy("Căn cứ"), max_length=255, required=False)
    plan_document = forms.ModelChoiceField(
        label=gettext_lazy("Kế hoạch ban hành chế độ"), queryset=Document.objects.none(),
        required=False, empty_label=gettext_lazy("— Không gắn văn bản —"))
    min_days = forms.IntegerField(label=gettext_lazy("Số ngày tối thiểu mỗi năm"))
    levels = forms.CharField(
        label=gettext_lazy("Các cấp tính ngày đi cơ sở"), required=False, widget=_area(),
        help_text=gettext_lazy("Mỗi dòng một cấp: mã cấp | tên cấp | mã các loại đơn vị thuộc "
                               "cấp đó. Ví dụ: huyen | cấp huyện | huyen, truc_thuoc_tinh"))
    days_by_level = forms.CharField(
        label=gettext_lazy("Số ngày tối thiểu theo cấp"), required=False, widget=_area(3),
        help_text=gettext_lazy("Mỗi dòng: mã cấp | số ngày. Ví dụ: chi_doan | 30. Tổng không "
                               "được vượt số ngày tối thiểu mỗi năm. Để trống nếu không chia."))
    coverage = forms.CharField(
        label=gettext_lazy("Các cấp phải đi trong năm"), required=False, widget=_area(3),
        help_text=gettext_lazy("Mỗi dòng: mã loại đơn vị của cán bộ | mã các cấp phải đi. "
                               "Ví dụ: tinh | huyen, co_so"))
    counted_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Nội dung được tính"), choices=VisitKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    chosen_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Nội dung cán bộ tự chọn"), choices=VisitKind.choices,
        required=False, widget=forms.CheckboxSelectMultiple)
    assigned_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Nội dung do Thường trực phân công"), choices=VisitKind.choices,
        required=False, widget=forms.CheckboxSelectMultiple)
    branch_meeting_kind = forms.ChoiceField(
        label=gettext_lazy("Nội dung dự sinh hoạt chi đoàn"), required=False,
        choices=[("", gettext_lazy("— Không yêu cầu —")), *VisitKind.choices])
    branch_meetings_min = forms.IntegerField(
        label=gettext_lazy("Số lần dự sinh hoạt chi đoàn tối thiểu mỗi năm"))
    exempt_titles = forms.CharField(
        label=gettext_lazy("Chức danh, nhiệm vụ không áp dụng"), required=False, widget=_area(),
        help_text=gettext_lazy("Mỗi dòng một nhiệm vụ, so khớp trong chức vụ của cán bộ "
                               "(không phân biệt dấu). Ví dụ: kế toán"))
    exempt_statuses = forms.MultipleChoiceField(
        label=gettext_lazy("Tình trạng không áp dụng"), required=False,
        widget=forms.CheckboxSelectMultiple)
    long_statuses = forms.MultipleChoiceField(
        label=gettext_lazy("Tình trạng chỉ miễn khi đủ thời gian"), required=False,
        widget=forms.CheckboxSelectMultiple)
    long_status_min_months = forms.IntegerField(
        label=gettext_lazy("Số tháng tối thiểu của tình trạng dài ngày"))
    prorate = forms.ChoiceField(label=gettext_lazy("Cách tính khi miễn một phần năm"),
                                choices=ProrateRule.choices)
    prorate_month_min_days = forms.IntegerField(
        label=gettext_lazy("Số ngày miễn để tính miễn cả tháng"))
    report_days = forms.IntegerField(label=gettext_lazy("Số ngày nộp báo cáo sau đợt đi cơ sở"))
    registration_day = forms.IntegerField(
        label=gettext_lazy("Ngày hạn đăng ký kế hoạch quý (trong tháng đầu quý)"))
    agency_plan_kinds = forms.CharField(
        label=gettext_lazy("Loại đơn vị lập một kế hoạch chung cả cơ quan"), required=False,
        max_length=255, help_text=gettext_lazy("Mã loại đơn vị, cách nhau bởi dấu phẩy. "
                                               "Ví dụ: huyen"))
    rollups = forms.CharField(
        label=gettext_lazy("Các báo cáo tổng hợp"), required=False, widget=_area(5),
        help_text=gettext_lazy("Mỗi dòng một báo cáo: mã | tên báo cáo | kỳ (quý, 6 tháng, năm) "
                               "| gửi đến (standing: Thường trực, btv: Ban Thường vụ, "
                               "province: đơn vị cấp trên, central: Ban Tổ chức Trung ương) "
                               "| hạn (ngày/tháng trong năm như 20/10, hoặc số ngày "
                               "sau khi hết kỳ như 10) | mã các loại đơn vị lập, cách nhau "
                               "bởi dấu phẩy (nếu chỉ các cấp đó lập)."))
    one_plus_two = forms.ChoiceField(label=gettext_lazy("Cách hiểu chủ trương 1+2"),
                                     choices=OnePlusTwo.choices)
    one_plus_two_days = forms.IntegerField(
        label=gettext_lazy("Số ngày ở cơ sở theo chủ trương 1+2"))
    youth_month = forms.IntegerField(label=gettext_lazy("Tháng của Tháng Thanh niên"),
                                     required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        docs = self.fields["plan_document"]
        docs.queryset = (Document.objects.filter(issuing_unit=unit)  # type: ignore[attr-defined]
                         .order_by("-year", "-number", "-id"))
        docs.label_from_instance = (  # type: ignore[attr-defined]
            lambda d: f"{d.symbol or _('(chưa có số)')} – {d.title}"[:160])
        statuses = status_choices()
        self.fields["exempt_statuses"].choices = statuses  # type: ignore[attr-defined]
        self.fields["long_statuses"].choices = statuses  # type: ignore[attr-defined]

    def clean_levels(self) -> list[dict[str, Any]]:
        out = []
        for n, parts in _lines(self.cleaned_data["levels"]):
            if len(parts) != 3:
                raise forms.ValidationError(_("Dòng %(n)s: cần đủ 3 phần “mã cấp | tên cấp | "
                                              "mã loại đơn vị”.") % {"n": n})
            out.append({"code": parts[0], "label": parts[1], "kinds": _codes(parts[2])})
        return out

    def clean_days_by_level(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for n, parts in _lines(self.cleaned_data["days_by_level"]):
            if len(parts) != 2:
                raise forms.ValidationError(_("Dòng %(n)s: cần đúng dạng “mã cấp | số ngày”.")
                                            % {"n": n})
            if parts[0] in out:
                raise forms.ValidationError(_("Dòng %(n)s: cấp “%(code)s” đã có ở dòng trên.")
                                            % {"n": n, "code": parts[0]})
            out[parts[0]] = _number(parts[1], n, _("số ngày"))
        return out

    def clean_coverage(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for n, parts in _lines(self.cleaned_data["coverage"]):
            if len(parts) != 2 or not _codes(parts[1]):
                raise forms.ValidationError(_("Dòng %(n)s: cần đúng dạng “mã loại đơn vị | mã "
                                              "các cấp phải đi”.") % {"n": n})
            out[parts[0]] = _codes(parts[1])
        return out

    def clean_exempt_titles(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["exempt_titles"].splitlines()
                if line.strip()]

    def clean_agency_plan_kinds(self) -> list[str]:
        return _codes(self.cleaned_data["agency_plan_kinds"])

    def clean_rollups(self) -> list[dict[str, Any]]:
        out = []
        for n, parts in _lines(self.cleaned_data["rollups"]):
            if len(parts) not in (5, 6):
                raise forms.ValidationError(_("Dòng %(n)s: cần 5 phần “mã | tên báo cáo | kỳ | "
                                              "gửi đến | hạn”, thêm phần thứ 6 nếu chỉ một "
                                              "loại đơn vị lập.") % {"n": n})
            period = PERIOD_WORDS.get(fold(parts[2]))
            if period is None:
                raise forms.ValidationError(_("Dòng %(n)s: kỳ “%(raw)s” không rõ; hãy viết quý, "
                                              "6 tháng hoặc năm.") % {"n": n, "raw": parts[2]})
            item: dict[str, Any] = {"code": parts[0], "label": parts[1], "period": period,
                                    "to": TO_WORDS.get(fold(parts[3]), parts[3])}
            due = parts[4]
            if "/" in due:
                day, _sep, month = due.partition("/")
                item["day"] = _number(day.strip(), n, _("ngày của hạn"))
                item["month"] = _number(month.strip(), n, _("tháng của hạn"))
            else:
                item["after_days"] = _number(due.removesuffix("ngày").strip(), n,  # i18n: data
                                             _("số ngày sau khi hết kỳ"))
            if len(parts) == 6 and _codes(parts[5]):
                item["unit_kinds"] = _codes(parts[5])
            out.append(item)
        return out
