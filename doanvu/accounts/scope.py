"""The one scoping mechanism (X-3): what units a user reaches, for which permission kinds.

Every selector, view, export and (later) API endpoint asks a Scope; nothing filters by hand.
A grant with reach "subtree" covers the unit's path prefix; "unit" the unit alone;
"department" the unit and below for reading, and otherwise only objects of that department.
Any grant lets its holder read what it reaches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from doanvu.common.dates import today
from doanvu.common.typing import HasPath

from .models import PermissionKind, Reach, RoleGrant

READ = PermissionKind.READ.value


@dataclass(frozen=True)
class GrantReach:
    permissions: frozenset[str]
    reach: str
    unit_id: int
    path: str
    department_id: int | None


@dataclass
class Scope:
    user_id: int | None
    is_superuser: bool = False
    grants: tuple[GrantReach, ...] = ()
    _cache: dict[str, Q] = field(default_factory=dict, repr=False)

    # -- building -----------------------------------------------------------------------------
    @classmethod
    def for_user(cls, user: object, *, on: dt.date | None = None) -> Scope:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:  # type: ignore[attr-defined]
            return cls(user_id=None)
        day = on or today()
        rows = (
            RoleGrant.objects.filter(user_id=user.pk, start_date__lte=day)  # type: ignore[attr-defined]
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
            .filter(unit__dissolved_on__isnull=True)
            .values_list(
                "role_type__permissions", "role_type__reach", "unit_id", "unit__path",
                "department_id",
            )
        )
        grants = tuple(
            GrantReach(frozenset(perms or ()) | {READ}, reach, unit_id, path, dep_id)
            for perms, reach, unit_id, path, dep_id in rows
        )
        return cls(user_id=user.pk, is_superuser=bool(user.is_superuser), grants=grants)  # type: ignore[attr-defined]

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def administers_any(self) -> bool:
        """Shows the administration menus (grants, audit log) only to those who can use them."""
        return self.is_superuser or bool(self.root_paths("administer"))

    @property
    def has_any_grant(self) -> bool:
        return self.is_superuser or bool(self.grants)

    # -- questions about one unit -----------------------------------------------------------------
    def can(self, perm: str, unit: HasPath, *, department_id: int | None = None) -> bool:
        """May the user exercise `perm` on `unit` (an org.Unit or anything with .path)?"""
        if self.is_superuser:
            return True
        path, unit_id = unit.path, unit.pk
        for g in self._grants_with(perm):
            hit = g.unit_id == unit_id if g.reach == Reach.UNIT else path.startswith(g.path)
            if not hit:
                continue
            if g.reach == Reach.DEPARTMENT and perm != READ and department_id != g.department_id:
                continue
            return True
        return False

    def covers_subtree(self, perm: str, unit: HasPath) -> bool:
        """Does the user hold `perm` over the unit and everything below it?"""
        if self.is_superuser:
            return True
        path = unit.path
        return any(
            g.reach == Reach.SUBTREE and path.startswith(g.path) for g in self._grants_with(perm)
        )

    def pieces_under(self, perm: str, path: str) -> tuple[list[str], list[int]]:
        """What the user reaches with `perm` in the subtree at `path`, as whole subtrees (their
        paths, none inside another; [path] when the whole subtree is reached) and single units
        (ids, of unit-reach grants outside those subtrees). Maintained counts per subtree
        (members.tally) add up exactly what a scoped raw count would."""
        if self.is_superuser:
            return [path], []
        prefixes = sorted({g.path for g in self._grants_with(perm)
                           if g.reach != Reach.UNIT and (perm == READ or g.reach == Reach.SUBTREE)
                           and (path.startswith(g.path) or g.path.startswith(path))})
        if any(path.startswith(p) for p in prefixes):
            return [path], []
        roots: list[str] = []
        for p in prefixes:
            if not any(p.startswith(r) for r in roots):
                roots.append(p)
        units = sorted({g.unit_id for g in self._grants_with(perm)
                        if g.reach == Reach.UNIT and g.path.startswith(path)
                        and not any(g.path.startswith(r) for r in roots)})
        return roots, units

    def departments_for(self, perm: str, unit: HasPath) -> set[int]:
        """Departments in whose field the user holds `perm` over `unit` (department reach)."""
        path = unit.path
        return {
            g.department_id
            for g in self._grants_with(perm)
            if g.reach == Reach.DEPARTMENT and g.department_id and path.startswith(g.path)
        }

    # -- filtering querysets ----------------------------------------------------------------------
    def q(self, perm: str = READ, *, via: str = "", department_field: str | None = None,
          path_field: str | None = None, id_field: str | None = None) -> Q:
        """A Q over a model whose unit is reached through `via` ("" for Unit itself, "unit__").

        For department-reach grants and perm other than read, `department_field` names the
        model's department foreign key; without it those grants add nothing. Models that keep
        a denormalised copy of their unit's path (members) pass `path_field` and `id_field`
        ("unit_path", "branch_id") so the filter needs no join at national scale.
        """
        key = f"{perm}|{via}|{department_field}|{path_field}|{id_field}"
        if key in self._cache:
            return self._cache[key]
        if self.is_superuser:
            result = Q()
        else:
            result = Q(pk__in=[])
            id_field = id_field or (f"{via}pk" if via else "pk")
            path_field = f"{path_field or via + 'path'}__startswith"
            exact_ids: list[int] = []
            for g in self._grants_with(perm):
                if g.reach == Reach.UNIT:
                    exact_ids.append(g.unit_id)
                elif g.reach == Reach.SUBTREE or perm == READ:
                    result |= Q(**{path_field: g.path})
                elif department_field:
                    result |= Q(**{path_field: g.path, department_field: g.department_id})
            if exact_ids:
                result |= Q(**{f"{id_field}__in": exact_ids})
        self._cache[key] = result
        return result

    def filter(self, qs: QuerySet, perm: str = READ, *, via: str = "",
               department_field: str | None = None, path_field: str | None = None,
               id_field: str | None = None) -> QuerySet:
        return qs.filter(self.q(perm, via=via, department_field=department_field,
                                path_field=path_field, id_field=id_field))

    def root_paths(self, perm: str = READ) -> list[str]:
        """The highest paths the user reaches; used to start the tree view."""
        if self.is_superuser:
            return [""]
        paths = sorted({g.path for g in self._grants_with(perm)})
        roots: list[str] = []
        for p in paths:
            if not any(p.startswith(r) for r in roots):
                roots.append(p)
        return roots

    def _grants_with(self, perm: str) -> Iterable[GrantReach]:
        return (g for g in self.grants if perm in g.permissions)


def scope_of(request: object) -> Scope:
    """The request's Scope, computed once per request."""
    cached = getattr(request, "_doanvu_scope", None)
    if cached is None:
        cached = Scope.for_user(getattr(request, "user", None))
        request._doanvu_scope = cached  # type: ignore[attr-defined]
    return cached
