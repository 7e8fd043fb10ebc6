"""The home page: sections other apps contribute, and the shortcuts a cadre's grants give.

The home page is org's (`org.views.home`), but what a cadre owes lives in the hub, above org.
As with the dashboard's panels (`hub.dashboard.register_panel`), an app above registers a
builder in its AppConfig.ready, and org never imports it:

    from doanvu.org.home import HomeSection, register_section

    def owed(*, scope, user, day):
        ...  # read through the app's selectors, given the scope
        return HomeSection(template="hub/_home.html", context={...}, order=10)

    register_section("hub.obligations", owed)

A builder returns None when it has nothing to show; sections are shown by `order`.

`shortcuts_for` turns the user's grants into the three or four links their roles use most —
from the grant's data (its permission kinds, its reach, the kind of its unit), never from a
role's code or a username (issue 10, item 4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.urls import reverse
from django.utils.translation import gettext as _

from doanvu.common.typing import UnitScope

from .models import Unit


@dataclass(frozen=True)
class HomeSection:
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    order: int = 50


HomeBuilder = Callable[..., HomeSection | None]
_SECTIONS: dict[str, HomeBuilder] = {}


def register_section(key: str, builder: HomeBuilder) -> None:
    _SECTIONS[key] = builder


def unregister_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def sections_for(*, scope: UnitScope, user: object, day: dt.date) -> list[HomeSection]:
    found = []
    for builder in _SECTIONS.values():
        section = builder(scope=scope, user=user, day=day)
        if section is not None:
            found.append(section)
    return sorted(found, key=lambda s: s.order)


# -- shortcuts ------------------------------------------------------------------------------------


class GrantFacts(Protocol):
    """What a shortcut needs of an `accounts.RoleGrant` (read with its role type and unit)."""

    @property
    def unit(self) -> Unit: ...

    @property
    def department_id(self) -> int | None: ...

    @property
    def role_type(self) -> Any: ...  # .permissions (list of kinds), .reach


@dataclass(frozen=True)
class Shortcut:
    label: str
    url: str
    note: str = ""  # the unit it acts on


def _unit_shortcuts(perms: set[str], reach: str, unit: Unit) -> list[tuple[str, str]]:
    """(label, url) of what a grant of these kinds and this reach on `unit` is used for most."""
    members = f"{reverse('members:member_list')}?don_vi={unit.pk}"
    if unit.kind.is_branch:
        # a branch secretary: the month's dues sheet, meeting attendance, the branch's members
        out = []
        if perms & {"write", "finance"}:
            out.append((_("Thu đoàn phí"), reverse("members:dues_sheet", args=[unit.pk])))
        if "write" in perms:
            out.append((_("Sinh hoạt, điểm danh"),
                        reverse("members:meeting_list", args=[unit.pk])))
        out.append((_("Đoàn viên chi đoàn"), members))
        return out
    documents = f"{reverse('documents:register')}?don_vi={unit.pk}"
    if reach == "department":
        # department staff: their own worklist, in their department's field
        return [(_("Việc của tôi"), reverse("hub:my_work")), (_("Sổ văn bản"), documents),
                (_("Đơn vị"), reverse("org:unit_detail", args=[unit.pk]))]
    if perms & {"approve", "finance"}:
        # a secretary or an office: documents, what the lower units owe, the dashboard, members
        return [(_("Sổ văn bản"), documents),
                (_("Việc cấp dưới phải nộp"), reverse("hub:unit_obligations", args=[unit.pk])),
                (_("Bảng điều khiển"), reverse("hub:unit_dashboard", args=[unit.pk])),
                (_("Đoàn viên"), members)]
    if "administer" in perms:
        # a grassroots or district administrator: the units and the members
        return [(_("Đơn vị và cấp dưới"), reverse("org:unit_detail", args=[unit.pk])),
                (_("Đoàn viên"), members),
                (_("Việc cấp dưới phải nộp"), reverse("hub:unit_obligations", args=[unit.pk]))]
    return [(_("Đơn vị"), reverse("org:unit_detail", args=[unit.pk])), (_("Sổ văn bản"), documents),
            (_("Đoàn viên"), members)]


def shortcuts_for(*, grants: Iterable[GrantFacts], is_superuser: bool,
                  limit: int = 8) -> list[Shortcut]:
    """The big links of the home page: each grant's most used pages, first grant first, each
    page once; a superuser's administration pages first."""
    out: list[Shortcut] = []
    seen: set[str] = set()

    def add(label: str, url: str, note: str = "") -> None:
        if url not in seen:
            seen.add(url)
            out.append(Shortcut(label, url, note))

    if is_superuser:
        add(_("Phân quyền"), reverse("accounts:grant_list"))
        add(_("Nhật ký thay đổi"), reverse("audit:log"))
        add(_("Cây tổ chức"), reverse("org:tree"))
    for g in grants:
        perms = set(g.role_type.permissions or ()) | {"read"}
        for label, url in _unit_shortcuts(perms, g.role_type.reach, g.unit):
            add(label, url, g.unit.short_name or g.unit.name)
    return out[:limit]
