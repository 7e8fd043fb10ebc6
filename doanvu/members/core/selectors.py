"""Reads of the members core, always through a Scope (X-3). Other apps read members through
`members.api` (the public read API), not here."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import OperationalError, connection, transaction
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Expression,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, ExtractYear, Substr
from django.db.models.lookups import Exact
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doanvu.accounts.scope import READ, Scope
from doanvu.audit.models import AuditRecord
from doanvu.audit.selectors import audit_for_object
from doanvu.common.dates import today
from doanvu.common.search import search_words
from doanvu.org.models import Person, Position, Unit
from doanvu.org.paths import STEP
from doanvu.org.selectors import nearest_issued, tree_children, tree_roots
from doanvu.org.selectors import unit_get as org_unit_get

from .. import tally
from ..models import (
    CadreCourse,
    CadreStatus,
    Membership,
    MembersPolicy,
    MemberStatus,
    ProposalStatus,
    RemovalProposal,
    Transfer,
    TransferKind,
    TransferStatus,
)
from ..permissions import (
    Access,
    can_person,
    membership_access,
    person_governing_membership,
    person_readable_q,
)


def memberships_in_scope(*, scope: Scope, perm: str = READ) -> QuerySet[Membership]:
    """Memberships of the branches the scope reaches with `perm` (no join: unit_path)."""
    return scope.filter(
        Membership.objects.all(), perm, path_field="unit_path", id_field="branch_id"
    )


def membership_get(*, scope: Scope, pk: object, perm: str = READ) -> Membership:
    """404 alike for missing and not yours."""
    try:
        member_id = int(str(pk))
    except (TypeError, ValueError):
        raise Http404(_("Không tìm thấy đoàn viên.")) from None
    member = (
        memberships_in_scope(scope=scope, perm=perm)
        .select_related("person", "branch", "branch__kind")
        .filter(pk=member_id)
        .first()
    )
    if member is None:
        raise Http404(_("Không tìm thấy đoàn viên."))
    return member


def member_access_get(*, scope: Scope, pk: object) -> tuple[Membership, Access]:
    """A membership the scope reads, with what of its person it may see (person-level scope):
    FULL, or PERIOD for an earlier unit (its own period only). 404 alike for missing and not
    yours."""
    member = membership_get(scope=scope, pk=pk)
    access = membership_access(scope, member)
    if access is None:  # pragma: no cover - membership_get already checked the branch
        raise Http404(_("Không tìm thấy đoàn viên."))
    return member, access


def member_person_get(*, scope: Scope, pk: object, perm: str = READ) -> Membership:
    """A membership through which the scope exercises `perm` on the person itself: the branch
    in reach and the person governed within the scope (person-level scope). An earlier unit's
    membership answers 404 here, alike for missing and not yours."""
    member = membership_get(scope=scope, pk=pk, perm=perm)
    if not can_person(scope, member.person_id, perm):
        raise Http404(_("Không tìm thấy đoàn viên."))
    return member


def person_get(*, scope: Scope, pk: object, perm: str = READ,
               within: Unit | None = None) -> Person:
    """A person the scope exercises `perm` on by their governing membership (404 otherwise,
    alike for missing and not yours); with `within`, governed by a membership of that unit's
    subtree."""
    try:
        person_id = int(str(pk))
    except (TypeError, ValueError):
        raise Http404(_("Không tìm thấy hồ sơ.")) from None
    if not 0 < person_id < 2**63:
        raise Http404(_("Không tìm thấy hồ sơ."))
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not can_person(scope, person, perm):
        raise Http404(_("Không tìm thấy hồ sơ."))
    if within is not None:
        governing = person_governing_membership(person)
        if governing is None or not governing.unit_path.startswith(within.path):
            raise Http404(_("Không tìm thấy hồ sơ."))
    return person


def with_person_access(qs: QuerySet[Membership], *, scope: Scope) -> QuerySet[Membership]:
    """`qs` with `person_visible`: whether the scope reads each row's personal data (an earlier
    unit's row after a transfer does not)."""
    if scope.is_superuser:
        return qs.annotate(person_visible=Value(True, output_field=BooleanField()))
    return qs.annotate(person_visible=ExpressionWrapper(person_readable_q(scope),
                                                       output_field=BooleanField()))


@dataclass
class MemberHistory:
    """What the member page shows of a person's history (see `member_history`)."""

    memberships: list[Membership]
    transfers: list[Transfer]
    statuses: list[CadreStatus]
    courses: list[CadreCourse]
    records: QuerySet[AuditRecord]


def _ended_record_id(member: Membership) -> int | None:
    """The audit record that ended the membership (is_current set to false), if any."""
    for pk, changes in (AuditRecord.objects.filter(model="members.membership",
                                                   object_pk=str(member.pk))
                        .order_by("id").values_list("id", "changes")):
        after = (changes or {}).get("after") or {}
        if after.get("is_current") is False:
            return int(pk)
    return None


def member_history(member: Membership, access: Access) -> MemberHistory:
    """FULL: every membership of the person with its transfers, cadre statuses and courses,
    and the audit trail of all of them and of the person. PERIOD (an earlier unit): this
    membership and its transfers only, and their audit records up to the one that ended the
    membership; nothing recorded on the person (that is the governing unit's)."""
    if access is Access.FULL:
        memberships = list(Membership.objects.filter(person_id=member.person_id)
                           .select_related("branch").order_by("started_on", "id"))
        statuses = list(CadreStatus.objects.filter(person_id=member.person_id))
        courses = list(CadreCourse.objects.filter(person_id=member.person_id))
    else:
        memberships, statuses, courses = [member], [], []
    transfers = list(Transfer.objects.filter(membership__in=[m.pk for m in memberships])
                     .select_related("membership__branch", "to_branch"))
    pairs = ([("members.membership", m.pk) for m in memberships]
             + [("members.cadrestatus", x.pk) for x in statuses]
             + [("members.cadrecourse", c.pk) for c in courses])
    records = AuditRecord.objects.none()
    if access is Access.FULL:
        records = audit_for_object(model="org.person", pk=member.person_id)
    for model, pk in pairs:
        records = records | audit_for_object(model=model, pk=pk)
    if access is not Access.FULL:
        ended = _ended_record_id(member)
        if ended is not None:
            records = records.filter(id__lte=ended)
        elif member.ended_on is not None:
            records = records.filter(at__date__lte=member.ended_on)
    for t in transfers:
        records = records | audit_for_object(model="members.transfer", pk=t.pk)
    return MemberHistory(memberships=memberships, transfers=transfers, statuses=statuses,
                         courses=courses, records=records.order_by("-id"))


# Fields of a membership that an edit changes in place (so their past values are in the audit
# trail's "before"), shown on the member page as they were on the as-of date.
FIELDS_ON_RECORD = ("card_number", "has_salary", "pays_quarterly", "holds_union_post")


@dataclass
class MemberStateOn:
    """A member as they stood on `day` (X-10): the membership of the person in force then (of
    those the page may show), its status and branch then, the fields an edit changed since, and
    the posts, cadre statuses, courses, transfers and memberships that had begun by then."""

    day: dt.date
    membership: Membership | None
    status: str  # the label of the status on `day`
    active: bool
    branch_name: str
    hosted_at: Unit | None  # sinh hoạt tạm thời at another branch on `day`
    pending: Transfer | None  # a transfer asked for by `day` and not yet decided then
    fields: dict[str, Any]
    memberships: list[Membership]
    transfers: list[Transfer]
    statuses: list[CadreStatus]
    courses: list[CadreCourse]
    positions: list[Position]


def _fields_on(membership: Membership, day: dt.date) -> dict[str, Any]:
    """The membership's FIELDS_ON_RECORD as they were at the end of `day`: today's values with
    every later edit undone from the audit trail, newest first."""
    values: dict[str, Any] = {name: getattr(membership, name) for name in FIELDS_ON_RECORD}
    later = (AuditRecord.objects.filter(model="members.membership", object_pk=str(membership.pk),
                                        at__date__gt=day)
             .order_by("-id").values_list("changes", flat=True))
    for changes in later:
        before = (changes or {}).get("before") or {}
        for name in FIELDS_ON_RECORD:
            if name in before:
                values[name] = before[name]
    return values


def _covers(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    return start is not None and start <= day and (end is None or day <= end)


def member_state_on(*, member: Membership, history: MemberHistory, day: dt.date,
                    positions: list[Position]) -> MemberStateOn:
    """The member on `day` from what the page already shows (`member_history`, the posts)."""
    from doanvu.org.selectors import unit_version_on

    started = [m for m in history.memberships if m.started_on <= day]
    then = started[-1] if started else None
    hosted_at = pending = None
    if then is None:
        active = False
        status = (_("Chưa vào Đoàn") if day < member.joined_union_on
                  else _("Chưa sinh hoạt tại chi đoàn này"))
        branch_name = ""
        fields: dict[str, Any] = {}
    else:
        active = then.ended_on is None or day < then.ended_on
        status = str(MemberStatus.ACTIVE.label if active else then.get_status_display())
        version = unit_version_on(unit=then.branch, day=day)
        branch_name = version.name if version is not None else then.branch.name
        fields = _fields_on(then, day)
        for t in history.transfers:
            if (t.membership_id == then.pk and t.kind == TransferKind.TEMPORARY
                    and t.status in (TransferStatus.ACCEPTED, TransferStatus.ENDED)
                    and _covers(t.decided_on, t.until, day)):
                hosted_at = t.to_branch
            if (active and t.membership_id == then.pk and t.requested_on <= day
                    and (t.status == TransferStatus.PENDING
                         or (t.decided_on is not None and t.decided_on > day))):
                pending = t
    return MemberStateOn(
        day=day, membership=then, status=status, active=active, branch_name=branch_name,
        hosted_at=hosted_at, pending=pending, fields=fields, memberships=started,
        transfers=[t for t in history.transfers if t.requested_on <= day],
        statuses=[x for x in history.statuses if _covers(x.start_date, x.end_date, day)],
        courses=[c for c in history.courses if c.start_date <= day],
        positions=[p for p in positions if _covers(p.start_date, p.end_date, day)],
    )


def policy_for(*, unit: Unit, day: dt.date) -> MembersPolicy:
    """The members policy in force for `unit` on `day`: the nearest ancestor's record.

    The demo issues one at the root; a province may issue its own. Without any, pages say so.
    """
    records = (MembersPolicy.objects.filter(valid_from__lte=day)
               .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("valid_from"))
    policy: MembersPolicy | None = nearest_issued(unit=unit, records=records,
                                                  unit_field="issuing_unit_id")
    if policy is not None:
        return policy
    raise MembersPolicy.DoesNotExist(
        _("Chưa có quy định đoàn vụ áp dụng cho {name} tại ngày {day:%d/%m/%Y}.").format(
            name=unit.name, day=day
        )
    )


# -- the members list and its search (X-2, PERF-2) -------------------------------------------------

# The first characters of unit_path that name the province (tỉnh): two steps, root and province.
PROVINCE_KEY = 2 * STEP
# On PostgreSQL, a part of a search whose typed words match more members than this (the
# planner's estimate) walks a name index in order; fewer are fetched by index and sorted.
SORT_MATCHES_UP_TO = 30_000
# The share of MEMBER_SEARCH_TIMEOUT_MS the list's first plan may take before the next is tried.
FIRST_TRY_SHARE = 0.4
# The rows a look-up fetches and sorts in a second (a table page read for each, ~10 µs on the
# bench's nation): the one-query plan (`member_filter`, plan="sort") is tried after the split
# search only when the bearers of its rarest word fit in MEMBER_SEARCH_TIMEOUT_MS at this rate.
SORTED_ROWS_PER_SECOND = 100_000
# The word index (migration 0015): each word of name_folded but the first, twice, as "." + word
# for the nation and as the first 12 chars of unit_path + word for its province, so a
# province's search reads only its own entries. The first word is found by the name indexes
# (a range of names: those that start with the typed word). The query must spell this
# expression exactly as the index does.
LATER_WORDS = "substr({name}, strpos({name}, ' ') + 1)"
WORDS_SQL = (
    "array_to_tsvector(string_to_array('.' || replace(" + LATER_WORDS + ", ' ', ' .') || ' ' || "
    "substr({path}, 1, 12) || replace(" + LATER_WORDS + ", ' ', ' ' || substr({path}, 1, 12)), "
    "' '))"
)
# The pairs index (migration 0016), nation-wide: each word of name_folded but the first, twice,
# with the member's gender ("nam", "nu", "" for anything else): gender + "." + word and
# gender + ":" + first word + ">" + word. The query must spell this expression exactly as the
# index does.
GENDERS = ("nam", "nu", "")
PAIR_GENDER = "(CASE WHEN {gender} IN ('nam', 'nu') THEN {gender}::text ELSE '' END)"
PAIR_HEAD = PAIR_GENDER + " || ':' || split_part({name}, ' ', 1) || '>'"
PAIRS_SQL = (
    "array_to_tsvector(string_to_array(" + PAIR_GENDER + " || '.' || replace(" + LATER_WORDS
    + ", ' ', ' ' || " + PAIR_GENDER + " || '.') || ' ' || " + PAIR_HEAD + " || replace("
    + LATER_WORDS + ", ' ', ' ' || " + PAIR_HEAD + "), ' '))"
)


def _spliced(template: str, compiled: dict[str, tuple[str, Sequence[Any]]]
             ) -> tuple[str, list[Any]]:
    """`template` with each {placeholder} replaced by its compiled SQL (and params)."""
    sql: list[str] = []
    params: list[Any] = []
    for part in re.split(r"(\{\w+\})", template):
        if part in compiled:
            sql.append(compiled[part][0])
            params.extend(compiled[part][1])
        else:
            sql.append(part)
    return "".join(sql), params


class _PairsMatch(Expression):
    """`<pairs of the member> @@ <tsquery>` on PostgreSQL, served by members_search_pairs."""

    output_field = BooleanField()

    def __init__(self, tsquery: str) -> None:
        super().__init__()
        self.tsquery = tsquery
        self.gender: Any = F("gender")
        self.name: Any = F("name_folded")

    def get_source_expressions(self) -> list[Any]:
        return [self.gender, self.name]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.gender, self.name = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = _spliced(PAIRS_SQL, {"{gender}": compiler.compile(self.gender),
                                           "{name}": compiler.compile(self.name)})
        return sql + " @@ %s::tsquery", [*params, self.tsquery]


class _WordsMatch(Expression):
    """`<later words of the member> @@ <tsquery>` on PostgreSQL, served by
    members_search_later_words."""

    output_field = BooleanField()

    def __init__(self, tsquery: str) -> None:
        super().__init__()
        self.tsquery = tsquery
        self.path: Any = F("unit_path")
        self.name: Any = F("name_folded")

    def get_source_expressions(self) -> list[Any]:
        return [self.path, self.name]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.path, self.name = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = _spliced(WORDS_SQL, {"{path}": compiler.compile(self.path),
                                           "{name}": compiler.compile(self.name)})
        return sql + " @@ %s::tsquery", [*params, self.tsquery]


class _SortName(Expression):
    """name_folded || '': sorts as name_folded does (same values, same collation)."""

    output_field = CharField()

    def __init__(self) -> None:
        super().__init__()
        self.name: Any = F("name_folded")

    def get_source_expressions(self) -> list[Any]:
        return [self.name]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.name,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        name, params = compiler.compile(self.name)
        return f"({name} || '')", params


def _tsquery(key: str, words: list[str]) -> str:
    """Each word as a prefix of one of the name's later words, within `key` ('.' for the
    nation)."""
    def quoted(word: str) -> str:
        return "'" + (key + word).replace("\\", "\\\\").replace("'", "''") + "':*"

    return " & ".join(quoted(w) for w in words)


def _quoted(entry: str) -> str:
    """An index entry's prefix as a tsquery term."""
    return "'" + entry.replace("\\", "\\\\").replace("'", "''") + "':*"


def _pairs_tsquery(entries: Sequence[str], genders: Sequence[str]) -> str:
    """Any of the pairs-index entries (gender-less: "." + word or ":" + first + ">" + word)
    for any of `genders`."""
    return " | ".join(_quoted(g + e) for e in entries for g in genders)


def _search_key(*, scope: Scope, unit: Unit | None) -> str:
    """The province the list lies in (its path), or '.' when it may span provinces."""
    paths = [unit.path] if unit is not None else scope.root_paths()
    keys = {p[:PROVINCE_KEY] for p in paths}
    if len(keys) == 1 and all(len(p) >= PROVINCE_KEY for p in paths):
        return keys.pop()
    return "."


def _planned_rows(sql: str, params: list[Any]) -> float:
    """The planner's estimate of the rows a query returns (EXPLAIN: nothing is run)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    return max(1.0, float((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
                          ["Plan Rows"]))


def _above_prefix(word: str) -> str | None:
    """The least string above every string that starts with `word`, in the byte order and in
    the usual language collations alike (only a–y and 0–8 are stepped up; "phaz" → "phb"), or
    None when there is no such bound (then only LIKE bounds the range)."""
    w = word
    while w:
        c = w[-1]
        if "a" <= c < "z" or "0" <= c < "9":
            return w[:-1] + chr(ord(c) + 1)
        w = w[:-1]
    return None


def _later_q(word: str) -> Q:
    return Q(name_folded__contains=f" {word}")


def _word_q(word: str) -> Q:
    return Q(name_folded__startswith=word) | _later_q(word)


def _indexable(word: str) -> bool:
    """A word the word index can look up (its entries start with a province path or '.')."""
    return word.replace(".", "").replace("-", "").isalnum()


@dataclass
class _Estimates:
    """The planner's estimates (EXPLAIN, nothing run) of a search's matches in the province
    `key` (or the nation): per word, the members with a later word that starts with it, and
    the members whose name starts with it; the members of the key, and the share of them the
    list's other filters (status, gender, age, unit) keep."""

    key: str
    later: dict[str, float]
    first: dict[str, float]
    everyone: float = 1.0
    share: float = 1.0
    # The genders the list keeps (all three without a gender filter), for the pairs index.
    genders: tuple[str, ...] = GENDERS
    _pairs: dict[tuple[str, tuple[str, ...]], float] = field(default_factory=dict)

    def pairs(self, entry: str, genders: Sequence[str] | None = None) -> float:
        """The members with a pairs-index entry starting with `entry` (gender-less) for one of
        `genders` (the list's by default), by the planner's estimate (nation-wide)."""
        genders = tuple(self.genders if genders is None else genders)
        if (entry, genders) not in self._pairs:
            sql = ("SELECT 1 FROM members_membership WHERE "
                   + PAIRS_SQL.format(name="name_folded", gender="gender") + " @@ %s::tsquery")
            self._pairs[entry, genders] = _planned_rows(sql, [_pairs_tsquery([entry], genders)])
        return self._pairs[entry, genders]

    def together(self, words: Sequence[str]) -> tuple[list[str], float]:
        """The words (up to three, the rarest) to look the members whose later words they all
        start up by in the pairs index, and the estimated number of such members: per gender,
        the rarest word's bearers times the square root of each other word's share (words of
        one name go together, but mostly through the gender: "mai" and "phuc" are rarely in
        one name). ([], inf) when no word is indexable."""
        ok = sorted((w for w in words if _indexable(w)), key=lambda w: self.pairs("." + w))[:3]
        if not ok:
            return [], float("inf")
        chosen: list[str] = []
        total = float("inf")
        for w in ok:
            if chosen and (total <= 2000 or self.pairs("." + w) > 20 * SORT_MATCHES_UP_TO):
                break  # a common word adds long posting lists for few members less
            chosen.append(w)
            total = 0.0
            for g in self.genders:
                of_g = max(1.0, self.gendered(g))
                n = self.pairs("." + chosen[0], (g,))
                for o in chosen[1:]:
                    n *= min(1.0, self.pairs("." + o, (g,)) / of_g) ** 0.5
                total += n
        return chosen, total

    def before(self, first: str, second: str) -> float:
        """The members whose names sort from `first` to before "`first` `second`"."""
        if ("before", (first, second)) not in self._pairs:
            self._pairs["before", (first, second)] = _planned_rows(
                "SELECT 1 FROM members_membership WHERE name_folded >= %s AND name_folded < %s",
                [first, f"{first} {second}"])
        return self._pairs["before", (first, second)]

    def second(self, first: str, second: str) -> float:
        """The members whose names start with "`first` `second`"."""
        start = f"{first} {second}"
        if ("second", (start,)) not in self._pairs:
            above = _above_prefix(start)
            self._pairs["second", (start,)] = _planned_rows(
                "SELECT 1 FROM members_membership WHERE name_folded >= %s"
                + (" AND name_folded < %s" if above else ""), [start, above] if above else [start])
        return self._pairs["second", (start,)]

    def whole_first(self, word: str) -> float:
        """The members whose name's first word is `word` and has more words, by the estimate
        (exact in byte order; a language collation may count more)."""
        if ("first", (word,)) not in self._pairs:
            self._pairs["first", (word,)] = _planned_rows(
                "SELECT 1 FROM members_membership WHERE name_folded >= %s AND name_folded < %s",
                [word + " ", word + "!"])
        return self._pairs["first", (word,)]

    def gendered(self, gender: str) -> float:
        """The members of a gender ("" for anything but "nam" and "nu"), by the estimate."""
        if ("=", (gender,)) not in self._pairs:
            sql = ("SELECT 1 FROM members_membership WHERE gender = %s" if gender
                   else "SELECT 1 FROM members_membership WHERE gender NOT IN ('nam', 'nu')")
            self._pairs["=", (gender,)] = _planned_rows(sql, [gender] if gender else [])
        return self._pairs["=", (gender,)]

    @classmethod
    def of(cls, key: str, words: list[str],
           base: QuerySet[Membership] | None = None) -> _Estimates:
        words_sql = ("SELECT 1 FROM members_membership WHERE "
                     + WORDS_SQL.format(name="name_folded", path="unit_path") + " @@ %s::tsquery")
        where = "SUBSTRING(unit_path, 1, 12) = %s AND " if key != "." else ""
        params: list[Any] = [key] if key != "." else []
        later, first = {}, {}
        for w in words:
            later[w] = (_planned_rows(words_sql, [_tsquery(key, [w])]) if _indexable(w)
                        else float("inf"))
            above = _above_prefix(w)
            if above is None:
                first[w] = _planned_rows(
                    f"SELECT 1 FROM members_membership WHERE {where}name_folded >= %s",
                    [*params, w])
            else:
                first[w] = _planned_rows(
                    f"SELECT 1 FROM members_membership WHERE {where}name_folded >= %s "
                    "AND name_folded < %s", [*params, w, above])
        everyone = _planned_rows(f"SELECT 1 FROM members_membership WHERE {where}TRUE", params)
        share = 1.0
        if base is not None:
            sql, base_params = base.order_by().query.sql_with_params()
            share = min(1.0, _planned_rows(sql, list(base_params)) / everyone)
        return cls(key, later, first, everyone, share)

    def look_up(self, words: Sequence[str]) -> tuple[list[str], float]:
        """The words to look a part's candidates up by in the word index (the rarest, and the
        next rarest while the candidates stay many; at most three), and the estimated number of
        candidates (their shares of the key multiplied). ([], inf) when none is indexable."""
        ok = sorted((w for w in words if self.later[w] != float("inf")),
                    key=lambda w: self.later[w])
        chosen: list[str] = []
        candidates = float("inf")
        for w in ok[:3]:
            if chosen and (candidates <= 2000 or self.later[w] > 20 * SORT_MATCHES_UP_TO):
                break
            chosen.append(w)
            # Words of one name are not independent (common ones go together): each further
            # word counts for the square root of its share.
            candidates = (self.later[w] if len(chosen) == 1
                          else candidates * min(1.0, self.later[w] / self.everyone) ** 0.5)
        return chosen, candidates


def _unrelated(a: str, b: str) -> bool:
    """Neither word starts the other: both cannot start the same name word."""
    return not (a.startswith(b) or b.startswith(a))


@dataclass
class _Part:
    """One part of a split search: the name range it walks (None: the whole list), the
    conditions on the folded name, and the words its rows are looked up by in the word index
    ([]: walked in name order)."""

    range: Q | None
    names: Q
    look_up: list[str]
    # Looked up in the pairs index instead (nation-wide): its tsquery.
    pairs: str = ""


# A part's matches within its range of names are not spread evenly (names sort by their first
# word, then their second: "nguyen van …" sits late in the range of "nguyen"), so the rows a
# walk reads before a page is full are counted this many times the even spread's.
CLUSTERING = 4
# What a name passed in a nation-wide walk costs, in rows looked up and sorted: the walk reads
# members_name_idx alone (index-only, 0017: ~0.14 µs a name on the bench's nation), a look-up
# reads a table page for each row it sorts (~10 µs). A province's walk reads the table (its
# index carries no birth date or gender): there a name costs a row.
NATION_WALK_COST = 0.05


def _walk_cost(est: _Estimates, names: float) -> float:
    """A walk past `names` names, in rows looked up (see NATION_WALK_COST)."""
    return names * (NATION_WALK_COST if est.key == "." else 1.0)


def _search_parts(words: list[str], est: _Estimates) -> list[_Part]:
    """The search split by which typed word starts the name (one part per word, keeping only
    the shortest of words that start one another) and a last part where none does (every typed
    word starts a later word). Each part reads whichever costs fewer rows, by the estimates:
    its candidates looked up in the word index (by its rarest later words) and sorted, or its
    name range (the whole list for the last part) walked in order until a page of matches.
    Parts may overlap; their union is the search."""
    words = list(dict.fromkeys(words))
    starts = [w for w in words if not any(o != w and w.startswith(o) for o in words)]
    parts: list[_Part] = []
    for w in starts:
        above = _above_prefix(w)
        in_range = Q(name_folded__gte=w) & (Q(name_folded__lt=above) if above else Q())
        names = Q(name_folded__startswith=w)
        must_later = []
        for o in words:
            if o == w or w.startswith(o):
                continue  # a prefix of the typed word: the name's first word has it
            if _unrelated(o, w):
                names &= _later_q(o)
                must_later.append(o)
            else:
                names &= _word_q(o)
        look_up, candidates = est.look_up(must_later)
        in_range_rows = est.first[w]
        matches = candidates * in_range_rows / est.everyone * est.share
        walk = _walk_cost(est, min(in_range_rows,
                                   CLUSTERING * 51 * in_range_rows / max(matches, 0.5)))
        if not candidates <= min(walk, 10 * SORT_MATCHES_UP_TO):
            look_up = []
        pair = ""
        paired = [m for m in must_later if _indexable(m)]
        if est.key == "." and _indexable(w) and paired:
            # Names sort by their first word, then their second: a walk meets the names with m
            # as the second word only past every "w" name before "w m" (its reach); the names
            # with m further on are spread over the range (the pair's bearers but those).
            m = min(paired, key=lambda o: est.pairs(f":{w}>{o}"))
            spread = max(0.0, est.pairs(f":{w}>{m}") - est.second(w, m)) * est.share
            walk = _walk_cost(est, min(est.before(w, m), in_range_rows,
                                       CLUSTERING * 51 * in_range_rows / max(spread, 0.5)))
            pair = _pair_look_up(w, must_later, est,
                                 min(walk, candidates if look_up else float("inf")))
        if pair:
            parts.append(_Part(None, names, [], pairs=pair))
            # The pairs hold the name's first word whole: the names whose first word only
            # starts with w ("giang" for "gia") are another part, from w + "!" (past "w …" in
            # byte order; in a language collation the range is wider but still filtered),
            # looked up by its later words or walked, as the whole range would be.
            longer = Q(name_folded__gte=w + "!") & (Q(name_folded__lt=above) if above else Q())
            rows = max(1.0, in_range_rows - est.whole_first(w))
            matches = candidates * rows / est.everyone * est.share
            walk = _walk_cost(est, min(rows, CLUSTERING * 51 * rows / max(matches, 0.5)))
            look_up, _ = est.look_up(must_later)
            if not candidates <= min(walk, 10 * SORT_MATCHES_UP_TO):
                look_up = []
            parts.append(_Part(longer, names & ~Q(name_folded__startswith=w + " "), look_up))
            continue
        parts.append(_Part(in_range, names, look_up))
    names = Q()
    for o in words:
        names &= _later_q(o)
    look_up, candidates = est.look_up(words)
    walk = min(est.everyone, 51 * est.everyone / max(candidates * est.share, 0.5))
    if not candidates <= min(max(walk, SORT_MATCHES_UP_TO), 10 * SORT_MATCHES_UP_TO):
        look_up = []
    pair = ""
    if est.key == ".":
        # Nation-wide, the later words per gender (the pairs index): "yen" among men is a
        # short list, and so are "mai" and "phuc" together (a woman's and a man's name).
        chosen, together = est.together(words)
        walk = min(est.everyone, 51 * est.everyone / max(together * est.share, 0.5))
        if chosen and together <= min(max(walk, SORT_MATCHES_UP_TO), 10 * SORT_MATCHES_UP_TO):
            pair = " & ".join(f"({_pairs_tsquery(['.' + w], est.genders)})" for w in chosen)
        look_up = []
    parts.append(_Part(None, names, look_up, pairs=pair))
    return parts


def _pair_look_up(first: str, later: list[str], est: _Estimates, other: float) -> str:
    """The pairs-index tsquery for the part "the name starts with `first`" whose `later` words
    start later words (its rarest pair, the gender in it, and the next rarest while the
    candidates stay many), or "" when the part costs less another way (`other`: the rows of
    its look-up, or its walk's cost in such rows) or the index cannot serve it."""
    if est.key != "." or not _indexable(first):
        return ""
    entries = sorted((f":{first}>{w}" for w in later if _indexable(w)), key=est.pairs)[:2]
    if not entries:
        return ""
    rows = est.pairs(entries[0])
    if rows <= 2000:
        entries = entries[:1]
    elif len(entries) > 1:
        rows *= min(1.0, est.pairs(entries[1]) / max(1.0, est.first[first])) ** 0.5
    if rows > 10 * SORT_MATCHES_UP_TO or rows > other:  # a tie: the pair, the narrower list
        return ""
    return " & ".join(f"({_pairs_tsquery([e], est.genders)})" for e in entries)


def _part_query(qs: QuerySet[Membership], part: _Part, key: str) -> QuerySet[Membership]:
    """A part of a split search as a query, ordered by (name_folded, id): looked up in the word
    index and sorted, or walked in name order."""
    if part.pairs:
        qs = qs.filter(part.names, _PairsMatch(part.pairs))
        return qs.order_by(_SortName(), "id")
    if part.look_up:
        # Neither the province nor the range of names is asked of an index: the province's
        # words are only its members', part.names checks the first word, and a bitmap of the
        # province's name index would cost more than the look-up itself.
        qs = qs.filter(part.names, _WordsMatch(_tsquery(key, part.look_up)))
        # The same order, but through an expression no index provides, so the planner cannot
        # choose to walk an index on name_folded and test every member's words on the way.
        return qs.order_by(_SortName(), "id")
    # COALESCE hides the words from the planner's estimate (it then counts on half of the
    # rows): its guess for LIKE '% w%' is far too low and would steer it away from the walk.
    hidden = Coalesce(ExpressionWrapper(part.names, output_field=BooleanField()), False)
    if key != ".":
        qs = qs.filter(Exact(Substr("unit_path", 1, PROVINCE_KEY), key))
    return qs.filter(part.range or Q()).filter(hidden).order_by("name_folded", "id")


class _SplitSearch:
    """A name search on PostgreSQL as the union of its parts (`_search_parts`): each part's
    first page of keys (name_folded, id), merged in that order; then the page's rows by id.

    A part reads keys only, so a part that walks the nation's names in order is an index-only
    scan of members_name_idx, which carries the list's filter columns (0017): the names it
    passes over cost no table read."""

    def __init__(self, queries: list[QuerySet[Membership]],
                 sorted_rows: float = float("inf")) -> None:
        self.queries = queries
        # The rows the one-query plan would fetch and sort (its rarest word's bearers, by the
        # estimates; inf when no word is indexable): see `member_list_page`.
        self.sorted_rows = sorted_rows

    def page(self, *, after: tuple[str, int] | None, limit: int
             ) -> tuple[list[Membership], bool]:
        keys: set[tuple[str, int]] = set()
        for qs in self.queries:
            keys.update(_after(qs, after).values_list("name_folded", "id")[: limit + 1])
        chosen = sorted(keys)[: limit + 1]
        by_id = Membership.objects.in_bulk([pk for _name, pk in chosen])
        rows = [by_id[pk] for _name, pk in chosen if pk in by_id]
        prefetch_related_objects(rows, "person", "branch")
        return rows[:limit], len(rows) > limit


def _age_counting(*, unit: Unit | None, day: dt.date | None) -> str:
    """How the policy in force for the list's unit counts ages (the Union's way without one)."""
    from . import rules

    if unit is None:
        return rules.AGE_RUNNING
    try:
        return policy_for(unit=unit, day=day or today()).age_counting
    except MembersPolicy.DoesNotExist:
        return rules.AGE_RUNNING


def _filtered(*, scope: Scope, unit: Unit | None, filters: dict[str, str],
              day: dt.date | None) -> tuple[QuerySet[Membership], str, list[str]]:
    """The members list's filters but the unit and the name search: the query, the unit path
    the list must keep to, and the folded words of the name search ([] for none)."""
    from . import rules

    # When the scope reads all of the unit, the unit's condition is all the scope's says. Both
    # conditions on the same path make the planner think the list far smaller than it is.
    if unit is not None and scope.covers_subtree(READ, unit):
        qs = Membership.objects.all()
    else:
        qs = memberships_in_scope(scope=scope)
    within = unit.path if unit is not None else ""
    status = filters.get("trang_thai", "")
    if status == "":
        qs = qs.filter(is_current=True, status=MemberStatus.ACTIVE)
    elif status in MemberStatus.values:
        qs = qs.filter(status=status)
    q = filters.get("q", "")
    words: list[str] = []
    if q:
        digits = q.replace(" ", "").replace(".", "")
        if digits.isascii() and digits.isdigit():
            qs = qs.filter(Q(person__cccd__startswith=digits) | Q(person__phone__startswith=digits))
            # an earlier unit may not find a person by what a later unit recorded
            qs = qs.filter(person_readable_q(scope))
        else:
            words = search_words(q)
    band = rules.AGE_BANDS.get(filters.get("tuoi", ""))
    if band is not None:
        earliest, latest = rules.birth_range_for_ages(day or today(), band[1], band[2],
                                                      _age_counting(unit=unit, day=day))
        qs = qs.filter(birth_date__lte=latest)
        if earliest is not None:
            qs = qs.filter(birth_date__gt=earliest)
    if filters.get("gioi_tinh"):
        qs = qs.filter(gender=filters["gioi_tinh"])  # copied from the person (0013)
    return qs, within, words


def _in_key(qs: QuerySet[Membership], *, key: str, within: str,
            province: bool = True) -> QuerySet[Membership]:
    """The list kept to its unit, the province (if any, and if `province`) spelt as the name
    indexes lead."""
    if key != "." and province:
        qs = qs.filter(Exact(Substr("unit_path", 1, PROVINCE_KEY), key))
    if within and within != key:
        qs = qs.filter(unit_path__startswith=within)
    return qs


def member_filter(*, scope: Scope, unit: Unit | None, filters: dict[str, str],
                  day: dt.date | None = None, plan: str = "") -> QuerySet[Membership]:
    """The members list's filters (X-2, MEM-13) as one query, ordered by (name_folded, id):
    the export reads the whole list through it, and the list page when its split search
    (`member_list_page`) does not answer in time.

    A name search matches word prefixes: "ng yen" finds "Nguyễn Thị Yến", "yen" does not find
    "Nguyễn" (no infixes). On PostgreSQL one of two plans, from the planner's estimates for
    the typed word fewest members bear: up to SORT_MATCHES_UP_TO, its bearers (the range of
    names it starts, or-ed with the word index for later words) are fetched and sorted;
    beyond, the province's (name_folded, id) index is walked in order. `plan` ("sort" or
    "walk") overrides the choice."""
    qs, within, words = _filtered(scope=scope, unit=unit, filters=filters, day=day)
    by_words = Q()
    for w in words:
        by_words &= _word_q(w)
    if not words or connection.vendor != "postgresql":
        if within:
            qs = qs.filter(unit_path__startswith=within)
        return qs.filter(by_words).order_by("name_folded", "id")
    key = _search_key(scope=scope, unit=unit)
    qs = _in_key(qs, key=key, within=within)
    est = _Estimates.of(key, words)
    indexable = [w for w in words if _indexable(w)]
    rarest = (min(indexable, key=lambda w: est.later[w] + est.first[w]) if indexable
              else None)
    if rarest is not None and (plan == "sort" or (
            plan != "walk" and est.later[rarest] + est.first[rarest] <= SORT_MATCHES_UP_TO)):
        above = _above_prefix(rarest)
        starts = Q(name_folded__gte=rarest) & (Q(name_folded__lt=above) if above else Q())
        qs = qs.filter(starts | _WordsMatch(_tsquery(key, [rarest])), by_words)
        return qs.order_by(_SortName(), "id")
    return _part_query(qs, _Part(None, by_words, []), key)


def _after(qs: QuerySet[Membership], after: tuple[str, int] | None) -> QuerySet[Membership]:
    """The rows of `qs` after the keyset cursor (name_folded, id)."""
    if after is None:
        return qs
    name, last_id = after
    # name_folded >= name bounds an index walk; the OR alone would not.
    return qs.filter(name_folded__gte=name).filter(Q(name_folded__gt=name) | Q(id__gt=last_id))


def member_page(qs: QuerySet[Membership], *, after: tuple[str, int] | None, limit: int
                ) -> tuple[list[Membership], bool]:
    """One keyset page of `qs` (ordered by name_folded, id) after (name_folded, id), and
    whether more follow. Persons and branches come in two more queries by id rather than by
    a join, so the search never joins the rows it skips."""
    rows = list(_after(qs, after).prefetch_related("person", "branch")[: limit + 1])
    return rows[:limit], len(rows) > limit


def parse_cursor(raw: str) -> tuple[str, int] | None:
    """The keyset cursor `?sau=<name_folded>|<id>` of a members list; junk means the first
    page."""
    name, sep, last = raw.replace("\x00", "").rpartition("|")
    try:
        last_id = int(last)
    except ValueError:
        return None
    if not sep or not 0 < last_id < 2**63:
        return None
    return name[:120], last_id


def cursor_of(rows: list[Membership], more: bool) -> str:
    """The cursor of the page after `rows` ("" when none follows)."""
    return f"{rows[-1].name_folded}|{rows[-1].pk}" if more and rows else ""


class SearchTooBroad(Exception):
    """A list query ran past MEMBER_SEARCH_TIMEOUT_MS with either plan (PostgreSQL). Its
    message (`too_broad_message`) says what the search lacks."""

    message = gettext_lazy(
        "Tìm kiếm này quá rộng để trả lời nhanh: hãy chọn một tỉnh hoặc đơn vị, gõ thêm chữ "
        "của họ tên, hoặc chọn giới tính hay độ tuổi."
    )

    def __init__(self, message: Any = None) -> None:
        super().__init__(message)
        if message:
            self.message = message


def too_broad_message(*, unit: Unit | None, filters: dict[str, str]) -> str:
    """What a search answered "too broad" lacks, in the list's words: the filters not given."""
    missing = []
    if unit is None or len(unit.path) < PROVINCE_KEY:
        missing.append(_("chọn một tỉnh hoặc đơn vị"))
    missing.append(_("gõ thêm chữ của họ tên (họ, tên đệm, tên)") if filters.get("q")
                   else _("gõ họ tên cần tìm"))
    if not filters.get("gioi_tinh"):
        missing.append(_("chọn giới tính"))
    if not filters.get("tuoi"):
        missing.append(_("chọn độ tuổi"))
    return _("Tìm kiếm này quá rộng để trả lời nhanh. Hãy {what}.").format(
        what=", ".join(missing[:-1]) + (_(" hoặc ") if len(missing) > 1 else "") + missing[-1])


PageQuery = QuerySet[Membership] | _SplitSearch


def bounded_page(queries: Sequence[Callable[[], PageQuery]], *,
                 after: tuple[str, int] | None, limit: int,
                 message: str = "", bound_alone: bool = False) -> tuple[list[Membership], bool]:
    """The page of the first query that answers within MEMBER_SEARCH_TIMEOUT_MS, trying
    `queries` in turn (the split search, then one query); SearchTooBroad (with `message`) if
    none does.

    The estimates miss where filters combine (a common word with a gender none of its bearers
    has makes a name-order walk read the whole province), so on PostgreSQL each try runs under
    a statement timeout, in a savepoint so a cancelled query leaves the request's transaction
    usable. SQLite has no such timeout: the first query runs as it is; so does a list with
    one plan only (no name search: the name-order walk with cheap filters) unless
    `bound_alone` (a split search with no other plan worth trying: it has the whole time)."""
    def page(built: PageQuery) -> tuple[list[Membership], bool]:
        if isinstance(built, _SplitSearch):
            return built.page(after=after, limit=limit)
        return member_page(built, after=after, limit=limit)

    if connection.vendor != "postgresql" or (len(queries) == 1 and not bound_alone):
        return page(queries[0]())
    timeout = int(getattr(settings, "MEMBER_SEARCH_TIMEOUT_MS", 2500))
    for i, build in enumerate(queries):
        # The first (planned) query gets a part of the time when another follows: when it runs
        # long, the other plan usually answers sooner than the rest of the wait.
        budget = timeout if i or len(queries) == 1 else max(1, int(timeout * FIRST_TRY_SHARE))
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    # More memory for the bitmaps of a look-up than the default 4 MB: past it
                    # they turn lossy and every member on a page read is checked again.
                    cursor.execute("SELECT set_config('statement_timeout', %s, true), "
                                   "set_config('work_mem', %s, true)",
                                   [str(budget), getattr(settings, "MEMBER_SEARCH_WORK_MEM",
                                                          "64MB")])
                return page(build())
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) != "57014":  # query_canceled
                raise
    raise SearchTooBroad(message or SearchTooBroad.message)


def split_search(*, scope: Scope, unit: Unit | None, filters: dict[str, str],
                 day: dt.date | None = None) -> _SplitSearch | None:
    """The list's name search on PostgreSQL split into parts (`_search_parts`: by which typed
    word starts the name, and none), each read from the index that serves it; None without a
    name search or on SQLite."""
    qs, within, words = _filtered(scope=scope, unit=unit, filters=filters, day=day)
    if not words or connection.vendor != "postgresql":
        return None
    key = _search_key(scope=scope, unit=unit)
    # The province is asked by each walking part (_part_query), not by the looked-up ones.
    qs = _in_key(qs, key=key, within=within, province=False)
    try:
        est = _Estimates.of(key, words, _in_key(qs, key=key, within="", province=True))
    except EmptyResultSet:  # the scope reaches no member: the one query answers, empty
        return None
    if filters.get("gioi_tinh") in GENDERS[:2]:
        est.genders = (filters["gioi_tinh"],)
    parts = _search_parts(words, est)
    sorted_rows = min((est.later[w] + est.first[w] for w in words if _indexable(w)),
                      default=float("inf"))
    return _SplitSearch([_part_query(qs, part, key) for part in parts], sorted_rows)


def member_list_page(*, scope: Scope, unit: Unit | None, filters: dict[str, str],
                     after: tuple[str, int] | None, limit: int,
                     day: dt.date | None = None) -> tuple[list[Membership], bool]:
    """One page of the members list: on PostgreSQL a name search split by which typed word
    starts the name (`split_search`), and if it runs too long the one-query plan
    (`member_filter`, sorting the matches of the rarest word) when those matches are few
    enough to sort in the time (SORTED_ROWS_PER_SECOND) — else the split search has the whole
    time, as a next page far into a broad search may need; otherwise the one query."""
    split = split_search(scope=scope, unit=unit, filters=filters, day=day)
    queries: list[Callable[[], PageQuery]] = [
        lambda: member_filter(scope=scope, unit=unit, filters=filters, day=day)]
    if split is not None:
        queries = [lambda: split]
        timeout = int(getattr(settings, "MEMBER_SEARCH_TIMEOUT_MS", 2500))
        if split.sorted_rows <= timeout / 1000 * SORTED_ROWS_PER_SECOND:
            queries.append(lambda: member_filter(scope=scope, unit=unit, filters=filters,
                                                 day=day, plan="sort"))
    return bounded_page(queries, after=after, limit=limit, bound_alone=split is not None,
                        message=too_broad_message(unit=unit, filters=filters))


def unit_get(*, scope: Scope, pk: object, perm: str = READ) -> Unit:
    """The unit if the scope reaches it with `perm` (org's `unit_get`: 404 alike for missing
    and not yours)."""
    return org_unit_get(scope=scope, pk=pk, perm=perm)


def branch_get(*, scope: Scope, pk: object, perm: str = READ) -> Unit:
    """A branch (chi đoàn) the scope reaches with `perm`; 404 alike for missing, not yours and
    not a branch."""
    unit = org_unit_get(scope=scope, pk=pk, perm=perm)
    if not unit.kind.is_branch:
        raise Http404(_("Không tìm thấy chi đoàn."))
    return unit


# -- reads of the members pages (issue 9: no query in a view) ------------------------------------

PAGE_SIZE = 50
MAX_ID = 2**63


def _id(value: object) -> int | None:
    try:
        n = int(str(value))
    except (TypeError, ValueError):
        return None
    return n if 0 < n < MAX_ID else None


def member_rows(*, scope: Scope, unit: Unit | None, filters: dict[str, str],
                after: tuple[str, int] | None, limit: int = PAGE_SIZE,
                day: dt.date | None = None) -> tuple[list[Membership], bool]:
    """One keyset page of the members the scope reads, filtered, ordered by folded name
    (SearchTooBroad when neither search plan answers in time)."""
    return member_list_page(scope=scope, unit=unit, filters=filters, after=after, limit=limit,
                            day=day)


def list_unit(*, scope: Scope, raw: str) -> Unit | None:
    """The unit a list is asked for (`?don_vi=`), if the scope reads it; else None."""
    if _id(raw) is None:
        return None
    try:
        return org_unit_get(scope=scope, pk=raw)
    except Http404:
        return None


def default_unit(*, scope: Scope) -> Unit | None:
    """The unit a list opens on: the scope's one root, if it has exactly one."""
    roots = tree_roots(scope=scope)
    if len(roots) != 1:
        return None
    return Unit.objects.select_related("kind").filter(pk=roots[0].id).first()


def member_totals(*, scope: Scope, paths: Sequence[str],
                  status: str | None = MemberStatus.ACTIVE) -> dict[str, int]:
    """Current members (of `status`; every status when None) per subtree path, of what the
    scope reads there, from the maintained counts (members.tally): a subtree the scope reaches
    whole is one row lookup; one reached in parts adds its reached sub-subtrees and, for
    unit-reach grants, that unit's own members (one indexed count of a single unit)."""
    wanted: dict[str, tuple[list[str], list[int]]] = {
        p: scope.pieces_under(READ, p) for p in dict.fromkeys(paths)}
    kept = tally.totals({q for prefixes, _units in wanted.values() for q in prefixes},
                        status=status)
    out: dict[str, int] = {}
    for path, (prefixes, units) in wanted.items():
        n = sum(kept[q] for q in prefixes)
        if units:
            own = Membership.objects.filter(branch_id__in=units, is_current=True)
            if status is not None:
                own = own.filter(status=status)
            n += own.count()
        out[path] = n
    return out


def member_breakdown(*, scope: Scope, paths: Sequence[str], by: Sequence[str],
                     status: str | None = MemberStatus.ACTIVE) -> dict[str, dict[tuple[Any, ...],
                                                                           int]]:
    """Like `member_totals`, per value of the tally dimensions `by` (status, gender,
    birth_year; '' and 0 for unknown)."""
    wanted: dict[str, tuple[list[str], list[int]]] = {
        p: scope.pieces_under(READ, p) for p in dict.fromkeys(paths)}
    kept = tally.breakdown({q for prefixes, _units in wanted.values() for q in prefixes},
                           status=status, by=by)
    out: dict[str, dict[tuple[Any, ...], int]] = {}
    for path, (prefixes, units) in wanted.items():
        acc: dict[tuple[Any, ...], int] = {}
        for q in prefixes:
            for key, n in kept[q].items():
                acc[key] = acc.get(key, 0) + n
        if units:
            own = Membership.objects.filter(branch_id__in=units, is_current=True)
            if status is not None:
                own = own.filter(status=status)
            own = own.annotate(birth_year=Coalesce(ExtractYear("birth_date"), 0))
            for row in own.values_list(*by).annotate(n=Count("id")).values_list(*by, "n"):
                key = tuple(row[:-1])
                acc[key] = acc.get(key, 0) + int(row[-1])
        out[path] = acc
    return out


def sub_unit_counts(*, scope: Scope, unit: Unit, limit: int | None = None
                    ) -> list[tuple[Any, int]]:
    """Current members per direct sub-unit the scope reads (the first `limit` in the tree's
    order), from the maintained counts (issue 11: no count over the subtree's memberships on
    a request)."""
    children = tree_children(scope=scope, unit=unit)[:limit]
    if not children:
        return []
    counts = member_totals(scope=scope, paths=[c.path for c in children])
    return [(c, counts.get(c.path, 0)) for c in children]


# The member list's panel of counts per sub-unit shows this many (a province with communes
# directly under it has 700 and more: the rest are one click away in the tree).
SUB_UNITS_SHOWN = 40


def sub_unit_count(*, scope: Scope, unit: Unit) -> int:
    """How many direct sub-units of `unit` the scope reads (one count, no rows)."""
    from doanvu.org.selectors import active_units

    return scope.filter(active_units().filter(parent=unit)).count()


def hosted_temporarily(*, scope: Scope, unit: Unit | None, day: dt.date) -> list[Transfer]:
    """Members from elsewhere living in the unit's branches for now (sinh hoạt tạm thời).

    They are counted at home only; here they are listed apart."""
    qs = scope.filter(Transfer.objects.all(), via="to_branch__").filter(
        kind=TransferKind.TEMPORARY, status=TransferStatus.ACCEPTED, until__gte=day)
    if unit is not None:
        qs = qs.filter(to_branch__path__startswith=unit.path)
    return list(qs.select_related("membership__person", "membership__branch", "to_branch")
                .order_by("membership__name_folded", "id")[:200])


def pending_transfer_targets(*, members: Sequence[Membership]) -> dict[int, str]:
    """Membership id → the receiving branch's name, for those of `members` (rows the scope
    already reads) with a transfer pending."""
    if not members:
        return {}
    return dict(Transfer.objects.filter(membership__in=[m.pk for m in members],
                                        status=TransferStatus.PENDING)
                .values_list("membership_id", "to_branch__name"))


def transfers_pending(*, scope: Scope, unit: Unit) -> tuple[list[Transfer], list[Transfer]]:
    """Pending transfers into the unit's branches the scope reads (incoming) and out of them
    (outgoing), up to 200 each."""
    related = ("membership__person", "membership__branch", "to_branch")
    incoming = list(scope.filter(Transfer.objects.all(), via="to_branch__")
                    .filter(to_branch__path__startswith=unit.path, status=TransferStatus.PENDING)
                    .select_related(*related)[:200])
    outgoing = list(scope.filter(Transfer.objects.all(), path_field="membership__unit_path",
                                 id_field="membership__branch_id")
                    .filter(membership__unit_path__startswith=unit.path,
                            status=TransferStatus.PENDING)
                    .select_related(*related)[:200])
    return incoming, outgoing


def transfer_get(*, scope: Scope, pk: object, perm: str = READ, side: str = "either") -> Transfer:
    """A transfer the scope reaches with `perm` on its receiving side ("to"), its sending side
    ("from") or either; 404 alike for missing and not yours."""
    transfer_id = _id(pk)
    if transfer_id is None:
        raise Http404(_("Không tìm thấy đề nghị chuyển sinh hoạt."))
    receiving = scope.q(perm, via="to_branch__")
    sending = scope.q(perm, path_field="membership__unit_path", id_field="membership__branch_id")
    cond = {"to": receiving, "from": sending, "either": receiving | sending}[side]
    transfer = (Transfer.objects.filter(cond).filter(pk=transfer_id)
                .select_related("membership__person", "membership__branch", "to_branch",
                                "to_branch__kind").first())
    if transfer is None:
        raise Http404(_("Không tìm thấy đề nghị chuyển sinh hoạt."))
    return transfer


def open_branch_get(*, pk: object) -> Unit | None:
    """A live branch anywhere in the country (the receiver of a transfer may lie outside the
    requester's scope; it learns only the branch's name)."""
    branch_id = _id(pk)
    if branch_id is None:
        return None
    return (Unit.objects.select_related("kind", "parent")
            .filter(pk=branch_id, kind__is_branch=True, dissolved_on__isnull=True).first())


def open_branches_search(*, q: str, exclude: int | None = None) -> list[Unit]:
    """Live branches anywhere by name or their parent's name (2 to 100 characters, five
    words), for picking a transfer's receiver; at most 20."""
    words = search_words(q)
    if len(q) < 2 or not words:
        return []
    qs = Unit.objects.filter(kind__is_branch=True, dissolved_on__isnull=True)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    for w in words:
        qs = qs.filter(Q(name_folded__contains=w) | Q(parent__name_folded__contains=w))
    return list(qs.select_related("parent").order_by("name_folded", "id")[:20])


def removal_proposals_open(*, membership: Membership,
                           day: dt.date | None = None) -> list[RemovalProposal]:
    """The removal proposals of a membership (already read through the scope) still open — or,
    with `day`, open on that day (made by then, decided later or not yet)."""
    if day is None:
        return list(RemovalProposal.objects.filter(membership=membership,
                                                   status=ProposalStatus.PROPOSED))
    return list(RemovalProposal.objects.filter(membership=membership, proposed_on__lte=day)
                .filter(Q(decided_on__isnull=True) | Q(decided_on__gt=day)))


def positions_of(*, person: Person) -> list[Position]:
    """The posts of a person whose record the caller already reads in full."""
    return list(Position.objects.filter(person=person).select_related("unit", "department"))


def removal_proposal_get(*, scope: Scope, pk: object, member: object,
                         perm: str = READ) -> tuple[Membership, RemovalProposal]:
    """A removal proposal of a member whose person the scope reaches with `perm`; 404 alike
    for missing and not yours."""
    membership = member_person_get(scope=scope, pk=member, perm=perm)
    proposal_id = _id(pk)
    proposal = (RemovalProposal.objects.filter(pk=proposal_id, membership=membership).first()
                if proposal_id else None)
    if proposal is None:
        raise Http404(_("Không tìm thấy đề nghị xóa tên."))
    return membership, proposal


def cadre_status_get(*, scope: Scope, pk: object, member: object,
                     perm: str = READ) -> tuple[Membership, CadreStatus]:
    """A cadre status of the member's person, reached with `perm` (person-level scope); 404
    alike for missing and not yours."""
    membership = member_person_get(scope=scope, pk=member, perm=perm)
    item_id = _id(pk)
    status = (CadreStatus.objects.filter(pk=item_id, person_id=membership.person_id).first()
              if item_id else None)
    if status is None:
        raise Http404(_("Không tìm thấy trạng thái."))
    return membership, status


def cadre_course_get(*, scope: Scope, pk: object, member: object,
                     perm: str = READ) -> tuple[Membership, CadreCourse]:
    """A cadre course of the member's person, reached with `perm`; 404 alike for missing and
    not yours."""
    membership = member_person_get(scope=scope, pk=member, perm=perm)
    item_id = _id(pk)
    course = (CadreCourse.objects.filter(pk=item_id, person_id=membership.person_id).first()
              if item_id else None)
    if course is None:
        raise Http404(_("Không tìm thấy khóa học."))
    return membership, course
