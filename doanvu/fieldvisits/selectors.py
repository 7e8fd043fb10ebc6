"""Reads of field visits, each given the reader's Scope (see permissions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.common.dates import today
from doanvu.common.text import fold
from doanvu.org.models import Department, Person, Unit
from doanvu.org.selectors import nearest_issued

from . import permissions
from .models import FieldVisitPolicy, Visit


def policy_for(*, unit: Unit, day: dt.date) -> FieldVisitPolicy | None:
    """The field-visit regime in force for `unit` on `day`: its own or its nearest ancestor's
    record valid then (the latest issued wins among one issuer's)."""
    records = (FieldVisitPolicy.objects
               .filter(valid_from__lte=day)
               .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
               .order_by("valid_from", "id"))
    found: FieldVisitPolicy | None = nearest_issued(unit=unit, records=records,
                                                    unit_field="issuing_unit_id")
    return found


ORGANISATION_SYMBOL = "tckt"  # i18n: data (the department's symbol, folded)
ORGANISATION_WORDS = ("to chuc",)  # i18n: data (folded words of its name)


def organisation_department(unit: Unit) -> Department | None:
    """The unit's Ban Tổ chức – Kiểm tra, which the regime's plans and reports go to (seed 002
    §IV), found by its symbol TCKT or "Tổ chức" in its name; None when the agency has none."""
    for d in Department.objects.filter(unit=unit).order_by("pk"):
        if d.valid_to is not None and d.valid_to < today():
            continue
        name = fold(f"{d.name} {d.short_name}")
        if fold(d.short_name or "") == ORGANISATION_SYMBOL or all(
                w in name for w in ORGANISATION_WORDS):
            return d
    return None


# -- visits (the API's writes: issue 16) ---------------------------------------------------------


def _pk(pk: object) -> int | None:
    try:
        value = int(str(pk))
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**63 else None


def visit_get(*, scope: Scope, pk: int) -> Visit:
    """One visit for a reader of the cadre's record or of the unit it was made from
    (`permissions.can_read_visit`); 404 alike for missing and not yours."""
    visit = (Visit.objects.select_related("person", "unit", "department", "planned",
                                          "planned__plan", "planned__place", "campaign")
             .filter(pk=pk).first() if 0 < pk < 2**63 else None)
    if visit is None or not permissions.can_read_visit(scope, visit):
        raise Http404(_("Không tìm thấy chuyến đi."))
    return visit


def cadre_get(*, scope: Scope, pk: object) -> Person:
    """A cadre whose field-visit record the scope reads (the cadre, a reader of the governing
    unit: `permissions.can_read_person`); 404 alike for missing and not yours."""
    person_id = _pk(pk)
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None or not permissions.can_read_person(scope, person):
        raise Http404(_("Không tìm thấy cán bộ."))
    return person


def own_cadre(*, scope: Scope) -> Person | None:
    """The cadre the scope's user is (the account linked to a person), if any."""
    if scope.user_id is None:
        return None
    return Person.objects.filter(user_id=scope.user_id).order_by("pk").first()


def visit_places(*, person: Person, on: dt.date | None, ids: Iterable[int]
                 ) -> tuple[list[Unit], list[int]]:
    """The units of `ids` a visit of `person` starting `on` may name as visited — strictly below
    the agency of the cadre's post that day, as the page's choices offer — in the order given,
    and the ids that are not such a unit (never named: they may be another agency's)."""
    wanted = list(dict.fromkeys(ids))
    post = permissions.governing_post(person, on=on) if on else None
    if post is None:
        return [], []  # the service refuses a cadre without a post that day
    agency = post.unit
    found = {u.pk: u for u in Unit.objects.filter(pk__in=wanted, path__startswith=agency.path)
             .exclude(pk=agency.pk)}
    return [found[i] for i in wanted if i in found], [i for i in wanted if i not in found]
