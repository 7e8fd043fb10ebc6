"""Forms of the rubric pages (EMU-1). Numbers are typed the Vietnamese way ("2,5")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doanvu.common.forms import FilePickerInput, VNDateField, VNForm
from doanvu.org.models import Department, Unit

from .models import ItemKind, RubricTier, ScoringMethod, SectorGroup, TieBreakKey, WorkArea

TIE_STEPS = 4


class PointsField(forms.DecimalField):
    """Points with at most two decimals, typed with a comma or a dot."""

    default_error_messages = {
        "invalid": _("Hãy nhập một số, ví dụ 2,5."),
        "max_decimal_places": _("Tối đa %(max)s chữ số sau dấu phẩy."),
        "max_digits": _("Số quá lớn."),
        "max_whole_digits": _("Số quá lớn."),
        "min_value": _("Không được là số âm."),
        "max_value": _("Không được lớn hơn %(limit_value)s."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal",
                                                           "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.replace("\x00", "").strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)  # type: ignore[no-any-return]


def _text(label: Any, *, max_length: int = 255, required: bool = True,
          area: bool = False) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 3}) if area else None
    return forms.CharField(label=label, max_length=max_length, required=required,
                           widget=widget)


def _department_choices(unit: Unit) -> list[tuple[str, Any]]:
    return [("", _("(không)"))] + [
        (str(d.pk), d.name) for d in Department.objects.filter(unit=unit, valid_to__isnull=True)
        .order_by("category", "name")]


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def department_from(unit: Unit, value: str) -> Department | None:
    return Department.objects.filter(unit=unit, pk=int(value)).first() if value else None


class RubricCreateForm(VNForm):
    year = forms.IntegerField(label=_("Năm"), min_value=1931, max_value=2200)
    group = forms.ChoiceField(label=_("Khối thi đua"))
    name = _text(_("Tên thang điểm"))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "group").choices = [("", "—")] + [
            (str(g.pk), g.name) for g in SectorGroup.objects.filter(issuing_unit=unit)]

    def chosen_group(self, unit: Unit) -> SectorGroup:
        return SectorGroup.objects.get(issuing_unit=unit, pk=int(self.cleaned_data["group"]))


class RubricCopyForm(RubricCreateForm):
    name = _text(_("Tên thang điểm mới"), required=False)


class GroupForm(VNForm):
    name = _text(_("Tên khối thi đua"), max_length=200)
    order = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=999, required=False,
                               help_text=_("Để trống: xếp sau cùng."))


class GroupAssignForm(VNForm):
    year = forms.IntegerField(label=_("Năm"), min_value=1931, max_value=2200)
    units = forms.MultipleChoiceField(label=_("Đơn vị được đánh giá trong khối"),
                                      widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "units").choices = choices


class RubricHeaderForm(VNForm):
    name = _text(_("Tên thang điểm"))
    bonus_cap = PointsField(label=_("Tổng điểm thưởng tối đa"), required=False,
                            help_text=_("Để trống nếu không giới hạn."))
    penalty_cap = PointsField(label=_("Tổng điểm trừ tối đa"), required=False,
                              help_text=_("Để trống nếu không giới hạn."))

    def __init__(self, *args: Any, refs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keys = [("", _("(không)")), *TieBreakKey.choices]
        for n in range(1, TIE_STEPS + 1):
            self.fields[f"tie_{n}_key"] = forms.ChoiceField(
                label=_("Bước {n} khi bằng điểm").format(n=n), choices=keys, required=False)
            self.fields[f"tie_{n}_ref"] = forms.ChoiceField(
                label=_("Lĩnh vực / tiêu chí của bước {n}").format(n=n),
                choices=[("", "—"), *refs], required=False)

    def tie_breaks(self) -> list[dict[str, str]]:
        steps = []
        for n in range(1, TIE_STEPS + 1):
            key = self.cleaned_data.get(f"tie_{n}_key") or ""
            if key:
                ref = self.cleaned_data.get(f"tie_{n}_ref") or ""
                if key not in (TieBreakKey.AREA_TOTAL, TieBreakKey.CRITERION):
                    ref = ""
                steps.append({"key": key, "ref": ref})
        return steps


class AreaForm(VNForm):
    code = _text(_("Mã lĩnh vực"), max_length=20)
    title = _text(_("Tên lĩnh vực"))
    max_points = PointsField(label=_("Điểm tối đa"))
    order = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=999, required=False,
                               help_text=_("Để trống: xếp sau cùng."))


class CriterionForm(VNForm):
    area = forms.ChoiceField(label=_("Lĩnh vực"))
    code = _text(_("Mã tiêu chí"), max_length=20)
    title = _text(_("Nội dung tiêu chí"), max_length=2000, area=True)
    max_points = PointsField(label=_("Điểm tối đa"))
    method = forms.ChoiceField(label=_("Cách chấm"), choices=ScoringMethod.choices)
    unit_points = PointsField(label=_("Điểm mỗi lần"), required=False,
                              help_text=_("Chỉ dùng cho cách chấm “số lần × điểm mỗi lần”."))
    department = forms.ChoiceField(label=_("Ban, đơn vị phụ trách chấm"), required=False)
    evidence_required = forms.BooleanField(label=_("Bắt buộc minh chứng"), required=False)
    evidence = _text(_("Minh chứng cần có"), max_length=2000, required=False, area=True)
    order = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=999, required=False,
                               help_text=_("Để trống: xếp sau cùng."))

    def __init__(self, *args: Any, unit: Unit, areas: list[WorkArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "area").choices = [("", "—")] + [(str(a.pk), str(a)) for a in areas]
        _choice(self, "department").choices = _department_choices(unit)


class ItemForm(VNForm):
    kind = forms.ChoiceField(label=_("Loại"), choices=ItemKind.choices)
    code = _text(_("Mã"), max_length=20)
    title = _text(_("Nội dung"), max_length=2000, area=True)
    points = PointsField(label=_("Điểm mỗi lần"))
    cap = PointsField(label=_("Tối đa của mục"), required=False,
                      help_text=_("Để trống nếu mục không có giới hạn riêng."))
    department = forms.ChoiceField(label=_("Ban, đơn vị đề xuất"), required=False)
    order = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=999, required=False,
                               help_text=_("Để trống: xếp sau cùng."))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "department").choices = _department_choices(unit)


class TierForm(VNForm):
    code = _text(_("Mã"), max_length=20)
    name = _text(_("Tên xếp loại"), max_length=120)
    rank = forms.IntegerField(label=_("Bậc (1 là cao nhất)"), min_value=1, max_value=20)
    min_score = PointsField(label=_("Điểm tối thiểu"))
    max_share = PointsField(label=_("Tỷ lệ tối đa trong khối (%)"), required=False,
                            max_digits=5, min_value=None,
                            help_text=_("Ví dụ 20: không quá 20 % đơn vị của khối. Để trống "
                                        "nếu không giới hạn."))


class DisqualifierForm(VNForm):
    code = _text(_("Mã"), max_length=20)
    label = _text(_("Điều kiện"), max_length=2000, area=True)
    barred_tier = forms.ChoiceField(label=_("Không được xếp từ loại"))

    def __init__(self, *args: Any, tiers: list[RubricTier], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "barred_tier").choices = [("", "—")] + [(str(t.pk), t.name) for t in tiers]


class ImportForm(VNForm):
    file = forms.FileField(label=_("Tệp thang điểm (.xlsx)"), widget=FilePickerInput(
        attrs={"accept": ".xlsx"}))


# -- score sheets (EMU-2) -------------------------------------------------------------------------

REASON_HELP = _("Bắt buộc khi sửa điểm sau khi phiếu đã nộp.")


class ScoresForm(VNForm):
    """One value per criterion (`c<id>`; empty changes nothing) and, for the unit, an evidence
    note per criterion (`e<id>`); one reason for the whole change. The values are checked by the
    service, which names the criterion."""

    reason = forms.CharField(label=_("Lý do thay đổi"), required=False, max_length=2000,
                             help_text=REASON_HELP, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, criteria: list[Any], initial_values: dict[int, str],
                 initial_notes: dict[int, str] | None = None, notes: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"c{c.pk}"] = forms.CharField(
                label=_("Điểm / giá trị"), required=False, max_length=20,
                initial=initial_values.get(c.pk, ""),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
            if notes:
                self.fields[f"e{c.pk}"] = forms.CharField(
                    label=_("Minh chứng (ghi chú)"), required=False, max_length=2000,
                    initial=(initial_notes or {}).get(c.pk, ""))

    def rows(self) -> list[tuple[Any, Any, Any]]:
        """(criterion, value field, note field or None) for the template."""
        return [(c, self[f"c{c.pk}"], self[f"e{c.pk}"] if f"e{c.pk}" in self.fields else None)
                for c in self.criteria]

    def values(self) -> dict[Any, str]:
        return {c: self.cleaned_data.get(f"c{c.pk}", "") for c in self.criteria}

    def notes(self) -> dict[Any, str]:
        return {c: self.cleaned_data.get(f"e{c.pk}", "") for c in self.criteria
                if f"e{c.pk}" in self.fields}


class EvidenceForm(VNForm):
    criterion = forms.TypedChoiceField(label=_("Tiêu chí"), coerce=int, required=False,
                                       empty_value=None)
    file = forms.FileField(label=_("Tệp minh chứng"), widget=FilePickerInput())
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=2000,
                             help_text=_("Bắt buộc khi phiếu đã nộp."))

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", _("Cả phiếu"))] + [  # type: ignore[attr-defined]
            (c.pk, f"{c.code}. {c.title[:80]}") for c in criteria]


class EntryForm(VNForm):
    item = forms.TypedChoiceField(label=_("Mục điểm thưởng, điểm trừ"), coerce=int)
    count = forms.IntegerField(label=_("Số lần"), min_value=1, max_value=1000, initial=1)
    reason = forms.CharField(label=_("Lý do"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [  # type: ignore[attr-defined]
            (i.pk, f"{i.get_kind_display()} · {i.code}. {i.title[:80]}") for i in items]


class AdjustmentForm(VNForm):
    criterion = forms.TypedChoiceField(label=_("Tiêu chí"), coerce=int)
    delta = forms.CharField(label=_("Điểm điều chỉnh (âm là giảm, ví dụ -1,5)"), max_length=20)
    reason = forms.CharField(label=_("Lý do (kết luận của đoàn kiểm tra)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [  # type: ignore[attr-defined]
            (c.pk, f"{c.code}. {c.title[:80]}") for c in criteria]


class ComponentImportForm(VNForm):
    title = forms.CharField(label=_("Nội dung kết quả"), max_length=255,
                            help_text=_("Ví dụ: Kết quả khu vực Trường học năm học 2019 – 2020"))
    file = forms.FileField(label=_("Tệp kết quả (.xlsx)"), widget=FilePickerInput(
        attrs={"accept": ".xlsx"}))


class DeadlinesForm(VNForm):
    self_score_due = VNDateField(
        label=_("Hạn đơn vị tự chấm và nộp phiếu"), required=False,
        help_text=_("Sau ngày này phần tự chấm, minh chứng và nộp phiếu của đơn vị bị khóa."))
    scoring_lead_days = forms.IntegerField(
        label=_("Các ban chấm xong trước buổi kiểm tra (ngày)"), min_value=0, max_value=60,
        help_text=_("Hạn các ban chấm một đơn vị = ngày kiểm tra đơn vị đó trừ số ngày này "
                    "(0: chấm xong trước giờ kiểm tra cùng ngày)."))


class SheetsOpenForm(VNForm):
    due_on = VNDateField(label=_("Hạn các ban chấm xong (trước buổi kiểm tra)"), required=False)


# -- good models (EMU-9) and carry-over (EMU-11) ------------------------------------------------


class GoodModelSearchForm(VNForm):
    q = forms.CharField(label=_("Tìm (có dấu hoặc không dấu)"), max_length=200, required=False)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, *args: Any, fields: list[str], years: list[int], units: list[Any],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("Tất cả"))]
        self.fields["field"].choices = every + [(f, f) for f in fields]  # type: ignore[attr-defined]
        self.fields["year"].choices = every + [(y, y) for y in years]  # type: ignore[attr-defined]
        self.fields["unit"].choices = every + [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]


class CarryoverForm(VNForm):
    item = forms.TypedChoiceField(label=_("Mục điểm trừ"), coerce=int)
    reason = forms.CharField(label=_("Lý do"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [  # type: ignore[attr-defined]
            (i.pk, f"{i.code}. {i.title[:80]}") for i in items]
# -- notices and appeals (EMU-6, EMU-7) ----------------------------------------------------------


class PolicyForm(VNForm):
    appeal_days = forms.IntegerField(label=_("Số ngày được khiếu nại sau khi công bố"),
                                     min_value=1, max_value=365)
    note = _text(_("Căn cứ"), max_length=2000, required=False)


class NoticesForm(VNForm):
    signer_title = _text(_("Chức vụ người ký"), max_length=120)
    signer_name = _text(_("Họ tên người ký"), max_length=120)
    issued_on = VNDateField(label=_("Ngày ban hành"), required=False)


class AppealForm(VNForm):
    criterion = forms.ChoiceField(label=_("Tiêu chí khiếu nại"))
    reason = _text(_("Lý do khiếu nại"), max_length=4000, area=True)
    evidence = _text(_("Minh chứng (mô tả)"), max_length=4000, required=False, area=True)
    evidence_file = forms.FileField(label=_("Tệp minh chứng"), required=False,
                                    widget=FilePickerInput())

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "criterion").choices = [("", _("(chọn tiêu chí)"))] + [
            (str(c.pk), f"{c.code}. {c.title[:90]}") for c in criteria]


class DecideForm(VNForm):
    accept = forms.ChoiceField(label=_("Kết quả"), choices=[
        ("1", _("Chấp nhận, điều chỉnh điểm")), ("0", _("Không chấp nhận, giữ nguyên điểm"))],
        widget=forms.RadioSelect)
    delta = forms.CharField(label=_("Điểm điều chỉnh (âm là giảm; khi chấp nhận)"),
                            max_length=20, required=False)
    decision = _text(_("Nội dung giải quyết"), max_length=4000, area=True)
