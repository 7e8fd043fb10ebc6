"""Forms of the inspection pages; errors stand beside their fields, in Vietnamese."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from doanvu.common.forms import VNDateField, VNForm
from doanvu.org.models import Department, Person, Unit

from .models import HalfDay, SessionAttendee


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class PersonsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class TeamForm(VNForm):
    number = forms.IntegerField(label=_("Số thứ tự đoàn"), min_value=1, max_value=99)
    name = forms.CharField(label=_("Tên đoàn"), max_length=200)
    head = PersonChoice(label=_("Trưởng đoàn"), queryset=Person.objects.none())
    secretary = PersonChoice(label=_("Thư ký"), queryset=Person.objects.none(), required=False)
    members = PersonsChoice(label=_("Thành viên"), queryset=Person.objects.none(),
                            required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, persons: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("head", "secretary", "members"):
            self.fields[name].queryset = persons  # type: ignore[attr-defined]


class SessionForm(VNForm):
    unit = forms.ModelChoiceField(label=_("Đơn vị được kiểm tra"), queryset=Unit.objects.none())
    date = VNDateField(label=_("Ngày"))
    half = forms.ChoiceField(label=_("Buổi"), choices=HalfDay.choices)
    place = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class MoveRequestForm(VNForm):
    proposed_date = VNDateField(label=_("Ngày đề nghị"))
    proposed_half = forms.ChoiceField(label=_("Buổi đề nghị"), choices=HalfDay.choices)
    reason = forms.CharField(label=_("Lý do xin đổi lịch"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(VNForm):
    decision = forms.ChoiceField(label=_("Quyết định"), widget=forms.RadioSelect, choices=[
        ("dong_y", _("Đồng ý đổi lịch")), ("tu_choi", _("Không đồng ý"))])
    decision_reason = forms.CharField(label=_("Lý do (bắt buộc khi không đồng ý)"),
                                      max_length=500, required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))


class NoticeForm(VNForm):
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=120)
    issued_on = VNDateField(label=_("Ngày ban hành"), required=False)


class AttendeesForm(VNForm):
    """One name and one title field per required attendee."""

    def __init__(self, *args: Any, attendees: list[SessionAttendee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for n, a in enumerate(attendees, start=1):
            name = f"name_{a.pk}"
            title = f"title_{a.pk}"
            self.fields[name] = forms.CharField(
                label=_("{n}. {kind} — họ và tên").format(n=n, kind=a.get_kind_display()),
                max_length=120, required=False, initial=a.full_name)
            self.fields[title] = forms.CharField(label=_("Chức vụ, đơn vị"), max_length=200,
                                                 required=False, initial=a.title)
            self.rows.append((a, name, title))


class PlanForm(VNForm):
    year = forms.IntegerField(label=_("Năm"), min_value=1931, max_value=2100)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=500)


class UnitsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class RoundForm(VNForm):
    number = forms.IntegerField(label=_("Đợt số"), min_value=1, max_value=99)
    title = forms.CharField(label=_("Tên đợt"), max_length=300)
    window_start = VNDateField(label=_("Từ ngày"))
    window_end = VNDateField(label=_("Đến ngày"))
    units = UnitsChoice(label=_("Đơn vị được kiểm tra"), queryset=Unit.objects.none(),
                        widget=forms.CheckboxSelectMultiple)
    purpose = forms.CharField(label=_("Mục đích"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    content = forms.CharField(label=_("Nội dung kiểm tra"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    method = forms.CharField(label=_("Hình thức, phương pháp kiểm tra"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    procedure = forms.CharField(label=_("Quy trình, các bước thực hiện"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    cluster_meeting = forms.CharField(label=_("Giao ban cụm gắn với đợt"), max_length=300,
                                      required=False)
    cluster_meeting_on = VNDateField(label=_("Ngày giao ban cụm"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]


# -- after the session (INS-7, INS-8) -------------------------------------------------------------


class HeldForm(VNForm):
    held_on = VNDateField(label=_("Ngày đã kiểm tra"), required=False,
                          help_text=_("để trống: ngày theo lịch"))


class DepartmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class RecommendationForm(VNForm):
    content = forms.CharField(label=_("Nội dung kiến nghị, đề xuất"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    department = DepartmentChoice(label=_("Ban tham mưu giải quyết"),
                                  queryset=Department.objects.none())
    unit = forms.ModelChoiceField(label=_("Đơn vị kiến nghị"), queryset=Unit.objects.none(),
                                  required=False)
    raised_on = VNDateField(label=_("Ngày nêu tại giao ban cụm"), required=False,
                            help_text=_("để trống: ngày giao ban cụm của đợt"))

    def __init__(self, *args: Any, departments: QuerySet[Department], units: QuerySet[Unit],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
