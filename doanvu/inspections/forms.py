"""Forms of the inspection pages; errors stand beside their fields, in Vietnamese."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from doanvu.common.forms import VNDateField, VNForm
from doanvu.org.models import Department, Person, Unit

from .models import Conclusion, HalfDay, SessionAttendee


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
# -- the session record and the conclusion (INS-6, INS-8) ---------------------------------------


class AttendeesChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.full_name or "—"
        return f"{obj.get_kind_display()}: {name}"


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
def _area(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ConclusionForm(VNForm):
    """The record along the agenda and the conclusion's parts; the lists are numbered rows
    (the filled ones plus a few empty), a row left wholly empty is skipped."""

    SPARE = 3

    def __init__(self, *args: Any, headings: list[str], attendees: list[SessionAttendee],
                 departments: QuerySet[Department], conclusion: Conclusion | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        notes = {n.order: n.text for n in conclusion.notes.all()} if conclusion else {}
        self.note_names = []
        for i, heading in enumerate(headings, start=1):
            name = f"note_{i}"
            self.fields[name] = forms.CharField(label=f"{i}. {heading}", required=False,
                                                widget=_area(3), initial=notes.get(i, ""))
            self.note_names.append(name)
        self.fields["present"] = AttendeesChoice(
            label=_("Thành phần cơ sở có mặt"), required=False,
            queryset=SessionAttendee.objects.filter(pk__in=[a.pk for a in attendees]),
            widget=forms.CheckboxSelectMultiple,
            initial=list(conclusion.present_attendees.values_list("pk", flat=True))
            if conclusion else [])
        self.fields["present_others"] = forms.CharField(
            label=_("Thành phần khác có mặt"), required=False, widget=_area(),
            initial=conclusion.present_others if conclusion else "")
        self.fields["strengths"] = forms.CharField(
            label=_("Ưu điểm"), required=False, widget=_area(4),
            initial=conclusion.strengths if conclusion else "")
        self.fields["limitations"] = forms.CharField(
            label=_("Hạn chế, tồn tại (mỗi dòng một hạn chế phải khắc phục)"), required=False,
            widget=_area(4), initial="\n".join(x.text for x in conclusion.limitations.all())
            if conclusion else "")
        directions = list(conclusion.directions.all()) if conclusion else []
        adjustments = list(conclusion.adjustments.all()) if conclusion else []
        models = list(conclusion.good_models.all()) if conclusion else []
        self.direction_rows: list[tuple[str, str]] = []
        for n in range(1, len(directions) + self.SPARE + 1):
            d = directions[n - 1] if n <= len(directions) else None
            self.fields[f"dir_text_{n}"] = forms.CharField(
                label=_("Nhiệm vụ {n}").format(n=n), required=False, widget=_area(),
                initial=d.text if d else "")
            self.fields[f"dir_dept_{n}"] = DepartmentChoice(
                label=_("Ban theo dõi thực hiện"), required=False, queryset=departments,
                initial=d.department_id if d else None)
            self.direction_rows.append((f"dir_text_{n}", f"dir_dept_{n}"))
        self.adjustment_rows: list[tuple[str, str, str]] = []
        for n in range(1, len(adjustments) + self.SPARE + 1):
            a = adjustments[n - 1] if n <= len(adjustments) else None
            self.fields[f"adj_code_{n}"] = forms.CharField(
                label=_("Mã tiêu chí"), required=False, max_length=20,
                initial=a.criterion_code if a else "")
            self.fields[f"adj_points_{n}"] = forms.CharField(
                label=_("Điểm điều chỉnh (âm là giảm)"), required=False, max_length=12,
                initial=str(a.points).replace(".", ",") if a else "")
            self.fields[f"adj_reason_{n}"] = forms.CharField(
                label=_("Lý do"), required=False, widget=_area(), initial=a.reason if a else "")
            self.adjustment_rows.append((f"adj_code_{n}", f"adj_points_{n}",
                                         f"adj_reason_{n}"))
        self.model_rows: list[tuple[str, str, str, str]] = []
        for n in range(1, len(models) + self.SPARE + 1):
            m = models[n - 1] if n <= len(models) else None
            self.fields[f"model_title_{n}"] = forms.CharField(
                label=_("Tên mô hình, giải pháp"), required=False, max_length=300,
                initial=m.title if m else "")
            self.fields[f"model_desc_{n}"] = forms.CharField(
                label=_("Mô tả"), required=False, widget=_area(), initial=m.description if m
                else "")
            self.fields[f"model_field_{n}"] = forms.CharField(
                label=_("Lĩnh vực"), required=False, max_length=120,
                initial=m.field if m else "")
            self.fields[f"model_tags_{n}"] = forms.CharField(
                label=_("Từ khóa"), required=False, max_length=300, initial=m.tags if m else "")
            self.model_rows.append((f"model_title_{n}", f"model_desc_{n}", f"model_field_{n}",
                                    f"model_tags_{n}"))

    def groups(self) -> dict[str, Any]:
        """Bound fields grouped for the template."""
        return {
            "notes": [self[n] for n in self.note_names],
            "directions": [[self[x] for x in row] for row in self.direction_rows],
            "adjustments": [[self[x] for x in row] for row in self.adjustment_rows],
            "models": [[self[x] for x in row] for row in self.model_rows],
        }

    def values(self) -> dict[str, Any]:
        """The cleaned data as the service takes it; wholly empty rows left out."""
        d = self.cleaned_data

        def filled(*names: str) -> bool:
            return any(d.get(n) not in (None, "") for n in names)

        return {
            "notes": [d.get(n, "") for n in self.note_names],
            "present": list(d.get("present") or []),
            "present_others": d.get("present_others", ""),
            "strengths": d.get("strengths", ""),
            "limitations": (d.get("limitations") or "").splitlines(),
            "directions": [(d[t], d[p]) for t, p in self.direction_rows if filled(t, p)],
            "adjustments": [(d[c], d[p], d[r]) for c, p, r in self.adjustment_rows
                            if filled(c, p, r)],
            "models": [(d[t], d[x], d[f], d[g]) for t, x, f, g in self.model_rows
                       if filled(t, x, f, g)],
        }


class ConclusionIssueForm(VNForm):
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=200,
                                   initial=_("TRƯỞNG ĐOÀN KIỂM TRA"))
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=120)
    issued_on = VNDateField(label=_("Ngày ban hành"), required=False)


class DirectionMarkForm(VNForm):
    done = forms.ChoiceField(label=_("Tình trạng"), widget=forms.RadioSelect, choices=[
        ("1", _("Đã hoàn thành")), ("0", _("Chưa hoàn thành"))], initial="1")
    on = VNDateField(label=_("Ngày hoàn thành"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=_area())


class RemediedForm(VNForm):
    on = VNDateField(label=_("Ngày khắc phục"), required=False)
    note = forms.CharField(label=_("Minh chứng đã khắc phục"), widget=_area())


# -- the inspection policy (INS-3, INS-4, INS-5, INS-7) ------------------------------------------


def _codes(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=200, help_text=help_text)


class InspectionPolicyForm(VNForm):
    """A new version of the unit's inspection rules, in force from a date (the earlier ones
    stay, for the years they governed)."""

    valid_from = VNDateField(label=_("Hiệu lực từ ngày"))
    source = forms.CharField(label=_("Căn cứ (kế hoạch, văn bản)"), max_length=255,
                             required=False)
    morning_start = forms.TimeField(label=_("Buổi sáng bắt đầu"), input_formats=["%H:%M"],
                                    widget=forms.TimeInput(format="%H:%M",
                                                           attrs={"type": "time"}))
    afternoon_start = forms.TimeField(label=_("Buổi chiều bắt đầu"), input_formats=["%H:%M"],
                                      widget=forms.TimeInput(format="%H:%M",
                                                             attrs={"type": "time"}))
    party_rep_count = forms.IntegerField(label=_("Số đại diện cấp ủy"), min_value=0,
                                         max_value=20)
    excellent_count = forms.IntegerField(label=_("Số Bí thư cơ sở nhóm thứ nhất"), min_value=0,
                                         max_value=20)
    excellent_levels = _codes(_("Mức xếp loại năm trước của nhóm thứ nhất"),
                              _("mã, cách nhau bằng dấu phẩy, ví dụ: htxs"))
    good_count = forms.IntegerField(label=_("Số Bí thư cơ sở nhóm thứ hai"), min_value=0,
                                    max_value=20)
    good_levels = _codes(_("Mức xếp loại năm trước của nhóm thứ hai"),
                         _("mã, cách nhau bằng dấu phẩy, ví dụ: htt, ht"))
    home_affairs_count = forms.IntegerField(label=_("Số chuyên viên Phòng Nội vụ"),
                                            min_value=0, max_value=20)
    home_affairs_unit_kinds = _codes(_("Loại đơn vị mời chuyên viên Phòng Nội vụ"),
                                     _("mã loại đơn vị, ví dụ: huyen"))
    documents_lead_days = forms.IntegerField(
        label=_("Nộp tài liệu trước buổi kiểm tra (ngày)"), min_value=0, max_value=60)
    reflection_days = forms.IntegerField(label=_("Nộp bài thu hoạch sau buổi kiểm tra (ngày)"),
                                         min_value=0, max_value=366)
    unit_compilation_days = forms.IntegerField(
        label=_("Ban phụ trách tổng hợp vấn đề của đơn vị (ngày)"), min_value=0, max_value=366)
    round_compilation_days = forms.IntegerField(
        label=_("Ban kiểm tra tổng hợp đợt kiểm tra (ngày sau khi kết thúc đợt)"), min_value=0,
        max_value=366)
    recommendation_department_days = forms.IntegerField(
        label=_("Các ban tổng hợp kiến nghị giao ban cụm (ngày)"), min_value=0, max_value=366)
    recommendation_office_days = forms.IntegerField(
        label=_("Văn phòng tổng hợp kiến nghị giao ban cụm (ngày)"), min_value=0, max_value=366)
    inspection_department = DepartmentChoice(
        label=_("Ban tổng hợp đợt kiểm tra"), queryset=Department.objects.none(), required=False,
        help_text=_("để trống: Ủy ban / Ban Kiểm tra của đơn vị"))
    office_department = DepartmentChoice(
        label=_("Đơn vị tổng hợp kiến nghị"), queryset=Department.objects.none(), required=False,
        help_text=_("để trống: Văn phòng của đơn vị"))

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("inspection_department", "office_department"):
            self.fields[name].queryset = departments  # type: ignore[attr-defined]

    @staticmethod
    def codes(value: str) -> list[str]:
        return [c.strip() for c in (value or "").replace(";", ",").split(",") if c.strip()]
