"""The forms of logging a visit and filing its report (FV-2, FV-6, FV-9). The services check
everything again; the forms only read what the user typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doanvu.common.forms import VNDateField, VNForm
from doanvu.org.models import Supervision, Unit

from .models import FieldVisitPolicy, Visit, VisitKind

# The places offered at once: units this many levels below the agency, plus the ones the cadre
# visited before and the ones they supervise (a long list is slow to scroll on a phone).
PLACE_DEPTH = 2
PLACE_LIMIT = 400


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (photos taken on the phone)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items]


def place_choices(agency: Unit, person_id: int | None) -> list[tuple[str, str]]:
    """The units a cadre of `agency` may name as visited, indented by level."""
    below = Q(path__startswith=agency.path) & ~Q(pk=agency.pk)
    near = Q(depth__lte=agency.depth + PLACE_DEPTH)
    extra: set[int] = set()
    if person_id is not None:
        extra |= set(Visit.objects.filter(person_id=person_id).values_list("places", flat=True))
        extra |= set(Supervision.objects.filter(person_id=person_id)
                     .values_list("supervised_unit_id", flat=True))
    units = (Unit.objects.filter(below, near | Q(pk__in=[e for e in extra if e]),
                                 dissolved_on__isnull=True)
             .only("pk", "name", "depth", "path").order_by("path", "pk")[:PLACE_LIMIT])
    return [(str(u.pk), "· " * max(u.depth - agency.depth - 1, 0) + u.name) for u in units]


def kind_choices(policy: FieldVisitPolicy | None) -> list[tuple[str, str]]:
    chosen = set(policy.chosen_kinds or []) if policy else set(VisitKind.values)
    assigned = set(policy.assigned_kinds or []) if policy else set()
    out = [("", _("(chọn nội dung)"))]
    for value, label in VisitKind.choices:
        if value in chosen:
            out.append((value, str(label)))
        elif value in assigned:
            out.append((value, _("{label} (theo phân công)").format(label=label)))
    return out


class VisitForm(VNForm):
    client_key = forms.CharField(widget=forms.HiddenInput, required=False)
    start_date = VNDateField(label=gettext_lazy("Từ ngày"))
    end_date = VNDateField(label=gettext_lazy("Đến ngày"), required=False,
                           help_text=gettext_lazy("Để trống nếu đi trong một ngày."))
    places = forms.MultipleChoiceField(
        label=gettext_lazy("Đơn vị đã đến"),
        help_text=gettext_lazy("Giữ Ctrl (hoặc chạm giữ trên điện thoại) để chọn nhiều đơn vị."))
    kind = forms.ChoiceField(label=gettext_lazy("Nội dung"))
    invitation_only = forms.BooleanField(
        label=gettext_lazy("Chỉ dự hoạt động theo thư mời của đoàn cấp dưới"), required=False,
        help_text=gettext_lazy("Vẫn được ghi lại nhưng không tính vào số ngày đi cơ sở."))
    travel_order = forms.CharField(label=gettext_lazy("Giấy đi đường / quyết định cử"),
                                   max_length=120, required=False)
    activities = forms.CharField(label=gettext_lazy("Nội dung đã làm"), required=False,
                                 max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    cost = forms.CharField(label=gettext_lazy("Công tác phí (đồng)"), required=False,
                           max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    photos = MultipleFileField(label=gettext_lazy("Ảnh"),
                               widget=MultipleFileInput(attrs={"accept": "image/*"}))
    attachments = MultipleFileField(label=gettext_lazy("Tệp khác (giấy đi đường, biên bản…)"))

    def __init__(self, *args: Any, places: list[tuple[str, str]],
                 policy: FieldVisitPolicy | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["places"].choices = places  # type: ignore[attr-defined]
        self.fields["places"].widget.attrs.update({"size": str(min(max(len(places), 2), 8))})
        self.fields["kind"].choices = kind_choices(policy)  # type: ignore[attr-defined]


class ReportForm(VNForm):
    report = forms.CharField(label=gettext_lazy("Kết quả chuyến đi"), max_length=10000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    proposals = forms.CharField(label=gettext_lazy("Đề xuất, kiến nghị"), required=False,
                                max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


def yesterday(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=1)
