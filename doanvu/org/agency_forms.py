from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.dates import today
from doanvu.common.forms import VNDateField, VNForm

from .models import CommitteeKind, DepartmentCategory, Person, Term, Unit


def _person_choices(people: list[Person]) -> list[tuple[str, str]]:
    return [("", _("— người mới (nhập họ tên bên dưới) —"))] + [(str(p.pk), p.full_name)
                                                           for p in people]


class DepartmentForm(VNForm):
    name = forms.CharField(label=_lazy("Tên ban / đơn vị sự nghiệp"), max_length=200)
    short_name = forms.CharField(label=_lazy("Ký hiệu (dùng trong số văn bản)"), max_length=30,
                                 required=False)
    category = forms.ChoiceField(label=_lazy("Loại"), choices=DepartmentCategory.choices)
    valid_from = VNDateField(label=_lazy("Từ ngày"), required=False)


class TermForm(VNForm):
    name = forms.CharField(label=_lazy("Nhiệm kỳ (ví dụ 2022–2027)"), max_length=40)
    start_date = VNDateField(label=_lazy("Bắt đầu"))
    end_date = VNDateField(label=_lazy("Kết thúc"), required=False)


class PersonChoiceMixin(VNForm):
    person = forms.ChoiceField(label=_lazy("Người"), required=False)
    full_name = forms.CharField(label=_lazy("Họ và tên (người mới)"), max_length=120,
                                required=False)

    def setup_people(self, people: list[Person]) -> None:
        self._people = {str(p.pk): p for p in people}
        self.fields["person"].choices = _person_choices(people)  # type: ignore[attr-defined]

    def chosen_person(self) -> Person | None:
        return self._people.get(self.cleaned_data.get("person") or "")


class SeatForm(PersonChoiceMixin):
    term = forms.ModelChoiceField(label=_lazy("Nhiệm kỳ"), queryset=Term.objects.none())
    committee = forms.ChoiceField(label=_lazy("Cơ quan"), choices=CommitteeKind.choices)
    title = forms.CharField(label=_lazy("Chức danh"), max_length=120, initial=_lazy("Ủy viên"))
    order = forms.IntegerField(label=_lazy("Thứ tự"), min_value=0, max_value=999, initial=100)
    start_date = VNDateField(label=_lazy("Từ ngày"), required=False)
    field_order = ["term", "committee", "person", "full_name", "title", "order", "start_date"]

    def __init__(self, *args: Any, unit: Unit, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(unit=unit)  # type: ignore[attr-defined]
        day = today()
        self.fields["term"].label_from_instance = (  # type: ignore[attr-defined]
            lambda term: term.label_on(day))
        self.setup_people(people)


class PositionForm(PersonChoiceMixin):
    department = forms.ChoiceField(label="Ban", required=False)
    title = forms.CharField(label=_lazy("Chức vụ"), max_length=120)
    full_time = forms.BooleanField(label=_lazy("Chuyên trách"), required=False, initial=True)
    start_date = VNDateField(label=_lazy("Từ ngày"))
    field_order = ["person", "full_name", "department", "title", "full_time", "start_date"]

    def __init__(self, *args: Any, people: list[Person], departments: list[Any],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_people(people)
        self._departments = {str(d.pk): d for d in departments}
        self.fields["department"].choices = [("", _("— cơ quan chung —"))] + [  # type: ignore[attr-defined]
            (str(d.pk), d.name) for d in departments]

    def chosen_department(self) -> Any:
        return self._departments.get(self.cleaned_data.get("department") or "")


class SupervisionForm(PositionForm):
    supervised_unit = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": _lazy("Hãy tìm và chọn đơn vị được phụ trách."),
        "invalid": _lazy("Đơn vị không hợp lệ.")})
    role_label = forms.CharField(label=_lazy("Vai trò (ví dụ Thường trực, Ủy viên BTV)"),
                                 max_length=120, required=False)
    field = forms.CharField(label=_lazy("Lĩnh vực"), max_length=200, required=False)
    field_order = ["person", "full_name", "department", "role_label", "field", "start_date"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["title"]
        del self.fields["full_time"]
        self.fields["department"].choices = [("", "—")] + list(  # type: ignore[attr-defined]
            self.fields["department"].choices)[1:]  # type: ignore[attr-defined]


class EndForm(VNForm):
    on = VNDateField(label=_lazy("Ngày kết thúc"))
