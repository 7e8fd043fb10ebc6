"""Who a document is addressed to ("Nơi nhận"): units and groups of sub-units chosen from the
tree, expanded into the units that receive it, and the lines printed on the document.

A group names the direct sub-units of a unit ("các huyện, thị, thành đoàn và đoàn trực thuộc",
"các cơ sở đoàn trực thuộc"); it is expanded when the document is issued, as the tree stood on
the issue date (X-10), so a unit founded later does not receive a plan it was never sent.

The printed block keeps the free-text lines ("nơi nhận khác", e.g. "Lưu VP") as they are and
puts the chosen units before the first "Lưu …" line, where the Union's documents list the
units that carry them out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from doanvu.org.models import Unit, UnitVersion
from doanvu.org.selectors import versions_on

from .models import Document, DocumentAddress, RecipientGroup


@dataclass(frozen=True)
class Address:
    """One addressee as a caller gives it: a unit, or a group of its direct sub-units."""

    unit: Unit
    group: str = RecipientGroup.UNIT
    label: str = ""


def default_label(*, unit: Unit, group: str, issuing_unit: Unit) -> str:
    """The line a chosen addressee prints when no label was given."""
    if group == RecipientGroup.UNIT:
        return unit.name
    if group == RecipientGroup.ABOVE_GRASSROOTS and unit.kind.level == 0:
        text = _("Các tỉnh, thành đoàn, đoàn trực thuộc")
    else:
        text = str(RecipientGroup(group).label)
    if unit.pk != issuing_unit.pk:
        text = _("{group} {unit_name}").format(group=text, unit_name=unit.name)
    return text


def group_members(*, unit: Unit, group: str, on: dt.date) -> QuerySet[UnitVersion]:
    """The direct sub-units of `unit` in `group` as they stood on `on` (their versions)."""
    qs = (versions_on(on).filter(parent=unit, unit__founded_on__lte=on)
          .filter(Q(unit__dissolved_on__isnull=True) | Q(unit__dissolved_on__gt=on)))
    if group == RecipientGroup.ABOVE_GRASSROOTS:
        qs = qs.filter(kind__is_grassroots=False, kind__is_branch=False)
    elif group == RecipientGroup.GRASSROOTS:
        qs = qs.filter(kind__is_grassroots=True)
    elif group == RecipientGroup.BRANCHES:
        qs = qs.filter(kind__is_branch=True)
    return qs


def expand(*, addresses: Iterable[DocumentAddress | Address], issuing_unit: Unit,
           on: dt.date) -> list[int]:
    """The ids of the units the addresses reach on `on`, each once, never the issuer itself."""
    ids: list[int] = []
    for a in addresses:
        if a.group == RecipientGroup.UNIT:
            found = [a.unit.pk]
        else:
            found = list(group_members(unit=a.unit, group=a.group, on=on)
                         .order_by("name").values_list("unit_id", flat=True))
        ids += [i for i in found if i != issuing_unit.pk and i not in ids]
    return ids


KEEP_LAST = "lưu"  # i18n: data — "Lưu VP", "Lưu: VT": the office's copy closes the block


def _line(text: str) -> str:
    return text if text[-1:] in {";", ".", ",", ":"} else f"{text};"


def printed_lines(document: Document) -> list[str]:
    """The "Nơi nhận" block: the free-text lines, with the chosen units before "Lưu …"."""
    chosen = [_line(a.label or default_label(unit=a.unit, group=a.group,
                                             issuing_unit=document.issuing_unit))
              for a in document.addresses.select_related("unit__kind")]
    free = list(document.recipients)
    at = next((i for i, line in enumerate(free) if line.lower().startswith(KEEP_LAST)), len(free))
    return [*free[:at], *chosen, *free[at:]]
