"""Reads of the rating and rèn luyện pages, for members and units already reached through the
request's Scope (X-3)."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.org.models import Unit

from ..models import MemberRating, Membership, TrainingRegistration


def ratings_of(*, members: Sequence[Membership], year: int) -> dict[int, MemberRating]:
    """Membership id → its rating for `year`."""
    return {r.membership_id: r
            for r in MemberRating.objects.filter(membership__in=members, year=year)}


def registrations_of(*, members: Sequence[Membership],
                     year: int) -> dict[int, TrainingRegistration]:
    """Membership id → its rèn luyện registration for `year`."""
    return {t.membership_id: t
            for t in TrainingRegistration.objects.filter(membership__in=members, year=year)}


def live_child_get(*, unit: Unit, pk: object) -> Unit:
    """A live direct sub-unit of `unit` (reached already); 404 otherwise."""
    try:
        child_id = int(str(pk))
    except (TypeError, ValueError):
        child_id = 0
    child = (Unit.objects.filter(pk=child_id, parent=unit, dissolved_on__isnull=True).first()
             if 0 < child_id < 2**31 else None)
    if child is None:
        raise Http404(_("Không tìm thấy đơn vị."))
    return child


def level_names(codes: set[str]) -> dict[str, str]:
    """The names of rating level codes ("htt": "Hoàn thành tốt nhiệm vụ") as the scales hold
    them, for the audit log (one query); a code no scale names is left out."""
    from ..models import RatingScale

    names: dict[str, str] = {}
    for levels in RatingScale.objects.order_by("-year").values_list("levels", flat=True):
        for level in levels if isinstance(levels, list) else []:
            if isinstance(level, dict) and level.get("code") in codes and level.get("name"):
                names.setdefault(str(level["code"]), str(level["name"]))
    return names
