"""Forms of the quarter plans, campaigns and roll-ups (FV-5, FV-7, FV-10). Choices are given by
the view from the policy and the unit (kinds, places, cadres, Standing members)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doanvu.common.forms import VNDateField, VNForm
from doanvu.org.models import Person, Unit

from .models import Campaign, VisitKind


def kind_choices(codes: Iterable[str]) -> list[tuple[str, Any]]:
    wanted = set(codes)
    return [(c, label) for c, label in VisitKind.choices if c in wanted]


class LineForm(VNForm):
    """A cadre's drafted line (kinds the cadre chooses), or the Standing's assigned one."""

    person = forms.ModelChoiceField(label=_("Cán bộ"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("Nội dung"), choices=())
    place = forms.ModelChoiceField(label=_("Nơi đến"), queryset=Unit.objects.none())
    start_date = VNDateField(label=_("Từ ngày"))
    end_date = VNDateField(label=_("Đến ngày"))
    content = forms.CharField(label=_("Nội dung cụ thể"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    campaign = forms.ModelChoiceField(label=_("Thuộc đợt cao điểm"), required=False,
                                      queryset=Campaign.objects.none())

    def __init__(self, *args: Any, kinds: Iterable[str], places: Any, persons: Any = None,
                 campaigns: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices(kinds)  # type: ignore[attr-defined]
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        if persons is None:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = persons  # type: ignore[attr-defined]
        if campaigns is None:
            del self.fields["campaign"]
        else:
            self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]


class MergeForm(VNForm):
    supervisor = forms.ModelChoiceField(label=_("Thường trực phụ trách"), required=False,
                                        queryset=Person.objects.none())
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, standing: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = standing  # type: ignore[attr-defined]


class ReasonForm(VNForm):
    reason = forms.CharField(label=_("Lý do cho phép đăng ký trễ hạn"), max_length=500)


class SignForm(VNForm):
    """Who signs a generated document, and its day."""

    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=120)
    issued_on = VNDateField(label=_("Ngày ban hành"), required=False)


class CampaignForm(VNForm):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Tên đợt"), max_length=255, required=False)
    target_days = forms.IntegerField(label=_("Số ngày đi cơ sở mỗi cán bộ"), min_value=0,
                                     max_value=31, initial=0)
    note = forms.CharField(label=_("Nội dung trọng tâm"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
