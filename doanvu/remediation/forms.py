"""Forms of remediation pages; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doanvu.common.forms import VNForm
from doanvu.org.models import Unit

from .models import Shortcoming, ShortcomingArea


class EvidenceForm(VNForm):
    name = forms.CharField(label=_("Tên minh chứng"), max_length=255)
    file = forms.FileField(label=_("Tệp minh chứng"))


class CloseForm(VNForm):
    note = forms.CharField(label=_("Đánh giá kết quả khắc phục"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


YEAR_MIN, YEAR_MAX = 1900, 2200  # i18n: data (the years the register accepts, like its pages)


def _year_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=YEAR_MIN, max_value=YEAR_MAX,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class _ShortcomingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("Năm {year}, khuyết điểm {n}: {text}").format(
            year=obj.review_year, n=obj.number, text=str(obj.text)[:80])


class ShortcomingForm(VNForm):
    """REM-1: an entry of the register; the area is one of the unit's or a new one typed."""

    review_year = _year_field(_("Năm kiểm điểm"))
    year_found = _year_field(_("Năm phát sinh"))
    area = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=ShortcomingArea.objects.none(),
                                  required=False)
    area_name = forms.CharField(label=_("Hoặc lĩnh vực mới"), max_length=255, required=False)
    text = forms.CharField(label=_("Nội dung khuyết điểm"),
                           widget=forms.Textarea(attrs={"rows": 4}))
    same_as = _ShortcomingChoice(label=_("Trùng với khuyết điểm"), required=False,
                                 queryset=Shortcoming.objects.none(),
                                 help_text=_("Khuyết điểm cùng năm kiểm điểm mà khuyết điểm "
                                             "này lặp lại; không tính thêm vào số khuyết điểm."))

    def __init__(self, *args: Any, unit: Unit, exclude: Shortcoming | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ShortcomingArea.objects.filter(unit=unit)  # type: ignore[attr-defined]
        linkable = (Shortcoming.objects.filter(unit=unit, same_as__isnull=True)
                    .order_by("-review_year", "number"))
        if exclude is not None:
            linkable = linkable.exclude(pk=exclude.pk)
        self.fields["same_as"].queryset = linkable  # type: ignore[attr-defined]
