"""Đoàn phí (MEM-4) and removal proposals (MEM-6): services (writes) and the reads they need.

Every write is audited through the model signals; reasons travel with
``doanvu.audit.context.acting(actor, reason=…)``. Amounts come from the MembersPolicy in force
(``core.selectors.policy_for``), the arithmetic from ``dues.rules``.

Remittance (nộp đoàn phí cấp trên) is computed on the *due* basis: what a unit owes up for a
period is its share of what its own members paid plus what its lower units owe it for their
periods ending within that period. What was actually sent is recorded per unit and period
(``Remittance``) and reconciled against what was due, level by level.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from doanvu.audit.context import acting
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period
from doanvu.common.typing import Actor
from doanvu.org.models import Unit
from doanvu.org.paths import STEP

from .. import tally
from ..core.selectors import policy_for
from ..models import (
    Attendance,
    AttendanceStatus,
    DuesEntry,
    Membership,
    MembersPolicy,
    MemberStatus,
    ProposalStatus,
    Remittance,
    RemovalProposal,
)
from ..permissions import FINANCE, NOT_YOUR_UNIT, WRITE, require_unit, require_unit_write
from . import rules
from .rules import Dong


def as_period(value: object) -> Period:
    """A PeriodField value as read from the database (typed as str by the stubs)."""
    return value if isinstance(value, Period) else Period.from_key(str(value))


# -- reads --------------------------------------------------------------------------------------


def current_members(*, unit: Unit, on: dt.date | None = None) -> QuerySet[Membership]:
    """Members of this branch (its own members, not the subtree's), current and active."""
    qs = Membership.objects.filter(branch=unit, is_current=True, status=MemberStatus.ACTIVE)
    if on is not None:
        qs = qs.filter(started_on__lte=on)
    return qs.select_related("person").order_by("name_folded", "id")


@dataclass(frozen=True)
class SheetRow:
    membership: Membership
    amount_due: int
    amount_paid: int
    waived: bool
    paid_on: dt.date | None

    @property
    def paid(self) -> bool:
        return self.amount_paid > 0 and self.amount_paid >= self.amount_due


@dataclass(frozen=True)
class DuesSheet:
    """Sổ thu đoàn phí of a branch for a month."""

    branch: Unit
    month: Period
    rows: list[SheetRow]

    @property
    def members(self) -> int:
        return len(self.rows)

    @property
    def paid_count(self) -> int:
        return sum(1 for r in self.rows if r.paid)

    @property
    def waived_count(self) -> int:
        return sum(1 for r in self.rows if r.waived)

    @property
    def unpaid_count(self) -> int:
        return self.members - self.paid_count - self.waived_count

    @property
    def collected(self) -> int:
        return Dong(sum(r.amount_paid for r in self.rows))

    @property
    def expected(self) -> int:
        return Dong(sum(r.amount_due for r in self.rows if not r.waived))

    @property
    def missing(self) -> int:
        return Dong(sum(r.amount_due - r.amount_paid for r in self.rows
                        if not r.waived and r.amount_paid < r.amount_due))


def dues_sheet(*, branch: Unit, month: Period) -> DuesSheet:
    """The collection sheet: every current member with this month's entry (3 queries)."""
    policy = policy_for(unit=branch, day=month.start)
    members = list(current_members(unit=branch, on=month.end))
    entries = {e.membership_id: e for e in DuesEntry.objects.filter(
        membership__in=[m.pk for m in members], month=month)}
    rows = []
    for m in members:
        e = entries.get(m.pk)
        if e is None:
            rows.append(SheetRow(m, Dong(rules.monthly_amount(policy, has_salary=m.has_salary)),
                                 Dong(0), False, None))
        else:
            rows.append(SheetRow(m, Dong(e.amount_due), Dong(e.amount_paid), e.waived,
                                 e.paid_on))
    return DuesSheet(branch, month, rows)


@dataclass(frozen=True)
class UnpaidLine:
    """Unpaid months of one member (in a branch) or one branch (in a higher unit)."""

    label: str
    branch_id: int
    months: list[Period]
    amount: int


def dues_unpaid(*, unit: Unit, year: int, upto: dt.date | None = None) -> list[UnpaidLine]:
    """Months of `year` (up to `upto`) not paid and not waived.

    For a branch: one line per current member, counting every month since the member joined the
    branch (a month with no entry yet is unpaid). For a higher unit: one line per branch of the
    subtree with unpaid entries, from the sheets the branches opened.
    """
    upto = upto or today()
    months = [m for m in rules.months_of(Period.of_year(year)) if m.start <= upto]
    if not months:
        return []
    if unit.kind.is_branch:
        policy = policy_for(unit=unit, day=months[-1].start)
        members = list(current_members(unit=unit))
        settled: set[tuple[int, Period]] = set()
        amounts: dict[tuple[int, Period], int] = {}
        for mid, raw, due, paid, waived in DuesEntry.objects.filter(
                membership__in=[m.pk for m in members], month__in=months).values_list(
                "membership_id", "month", "amount_due", "amount_paid", "waived"):
            month = as_period(raw)
            amounts[(mid, month)] = due
            if waived or (paid > 0 and paid >= due):
                settled.add((mid, month))
        lines = []
        for m in members:
            open_months = [p for p in months if p.end >= m.started_on
                           and (m.pk, p) not in settled]
            if open_months:
                default = rules.monthly_amount(policy, has_salary=m.has_salary)
                lines.append(UnpaidLine(
                    m.person.full_name, unit.pk, open_months,
                    Dong(sum(amounts.get((m.pk, p), default) for p in open_months))))
        return lines
    per_branch: dict[int, set[Period]] = defaultdict(set)
    owed: dict[int, int] = defaultdict(int)
    for branch_id, raw_month, due, paid in (
            DuesEntry.objects.filter(membership__unit_path__startswith=unit.path,
                                     month__in=months, waived=False)
            .filter(amount_paid__lt=F("amount_due"))
            .values_list("membership__branch_id", "month", "amount_due", "amount_paid")):
        per_branch[branch_id].add(as_period(raw_month))
        owed[branch_id] += due - paid
    names = dict(Unit.objects.filter(pk__in=per_branch).values_list("pk", "name"))
    return sorted((UnpaidLine(names.get(b, ""), b, sorted(ms), Dong(owed[b]))
                   for b, ms in per_branch.items()), key=lambda line: line.label)


@dataclass(frozen=True)
class RollupLine:
    """One lower unit's dues for a month, its whole subtree counted (sổ thu của các chi đoàn)."""

    unit_id: int
    name: str
    path: str
    is_branch: bool
    branches: int  # live branches in its subtree (itself, if a branch)
    members: int  # current members in its subtree at the month's end
    paid: int
    waived: int
    collected: int

    @property
    def unpaid(self) -> int:
        return max(self.members - self.paid - self.waived, 0)


@dataclass(frozen=True)
class DuesRollup:
    """Sổ thu đoàn phí above the branch: per lower unit, what its branches collected."""

    unit: Unit
    month: Period
    lines: list[RollupLine]

    def _sum(self, attr: str) -> int:
        return sum(getattr(line, attr) for line in self.lines)

    @property
    def members(self) -> int:
        return self._sum("members")

    @property
    def paid(self) -> int:
        return self._sum("paid")

    @property
    def waived(self) -> int:
        return self._sum("waived")

    @property
    def unpaid(self) -> int:
        return self._sum("unpaid")

    @property
    def collected(self) -> int:
        return Dong(self._sum("collected"))

    @property
    def branches(self) -> int:
        return self._sum("branches")


def _lower_unit_of(unit: Unit, path: str) -> str:
    """The path of `unit`'s child on the way to `path` (paths grow by one fixed step a level)."""
    return path[: len(unit.path) + STEP]


def _members_in_month(unit: Unit, month: Period) -> dict[str, int]:
    members: dict[str, int] = defaultdict(int)
    for path, n in (Membership.objects.filter(unit_path__startswith=unit.path, is_current=True,
                                              status=MemberStatus.ACTIVE,
                                              started_on__lte=month.end)
                    .exclude(unit_path=unit.path)
                    .values("unit_path").order_by().annotate(n=Count("pk"))
                    .values_list("unit_path", "n")):
        members[_lower_unit_of(unit, path)] += n
    return members


def dues_rollup(*, unit: Unit, month: Period) -> DuesRollup:
    """Per lower unit of `unit` (a unit above the branch): members, paid, waived, unpaid and
    collected in `month`, summed over its subtree from the branches' sheets (4 queries)."""
    children = list(Unit.objects.filter(parent=unit, dissolved_on__isnull=True)
                    .values_list("pk", "name", "path", "kind__is_branch").order_by("name"))
    branches: dict[str, int] = defaultdict(int)
    for path in (Unit.objects.filter(path__startswith=unit.path, kind__is_branch=True,
                                     dissolved_on__isnull=True)
                 .exclude(pk=unit.pk).values_list("path", flat=True)):
        branches[_lower_unit_of(unit, path)] += 1
    members: dict[str, int] = defaultdict(int)
    if month.end >= today():
        # this month (or later): today's members, from the maintained counts (issue 11)
        members.update(tally.totals([path for _pk, _name, path, _b in children],
                                    status=MemberStatus.ACTIVE))
    else:  # an earlier month: who was a member then (started by its end), counted from raw rows
        members.update(_members_in_month(unit, month))
    current = Q(membership__is_current=True, membership__status=MemberStatus.ACTIVE)
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for path, paid, waived, collected in (
            DuesEntry.objects.filter(membership__unit_path__startswith=unit.path, month=month)
            .exclude(membership__unit_path=unit.path)
            .values("membership__unit_path").order_by()
            .annotate(paid=Count("pk", filter=current & Q(waived=False, amount_paid__gt=0,
                                                           amount_paid__gte=F("amount_due"))),
                      waived=Count("pk", filter=current & Q(waived=True)),
                      collected=Sum("amount_paid"))
            .values_list("membership__unit_path", "paid", "waived", "collected")):
        row = sums[_lower_unit_of(unit, path)]
        row[0] += paid
        row[1] += waived
        row[2] += int(collected or 0)
    lines = [RollupLine(pk, name, path, is_branch, branches[path], members[path],
                        sums[path][0], sums[path][1], Dong(sums[path][2]))
             for pk, name, path, is_branch in children]
    return DuesRollup(unit, month, lines)


# -- dues writes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentResult:
    marked_paid: int
    marked_unpaid: int
    created: int


def _branch_members(branch: Unit, month: Period) -> dict[int, Membership]:
    return {m.pk: m for m in current_members(unit=branch, on=month.end)}


@transaction.atomic
def dues_generate_month(*, branch: Unit, month: Period, actor: Actor | None = None) -> int:
    """Open the month's ledger: an entry for every current member who has none (idempotent).

    Returns how many entries were created.
    """
    require_unit_write(actor=actor, unit=branch, message=str(NOT_YOUR_UNIT))
    policy = policy_for(unit=branch, day=month.start)
    members = _branch_members(branch, month)
    have = set(DuesEntry.objects.filter(membership__in=list(members), month=month)
               .values_list("membership_id", flat=True))
    created = 0
    with acting(actor, reason=_("Lập sổ đoàn phí {month}").format(month=month)):
        for m in members.values():
            if m.pk in have:
                continue
            DuesEntry(membership=m, month=month,  # type: ignore[misc]
                      amount_due=rules.monthly_amount(policy, has_salary=m.has_salary)).save()
            created += 1
    return created


@transaction.atomic
def dues_record_payment(
    *,
    branch: Unit,
    month: Period,
    paid: Iterable[int],
    quarterly: Iterable[int] = (),
    paid_on: dt.date | None = None,
    actor: Actor | None = None,
) -> PaymentResult:
    """Tick who paid this month (the collection sheet): everyone in `paid` has paid, every other
    current member has not. Members in `quarterly` pay the whole quarter containing `month`
    (only with the committee's consent, ``pays_quarterly``). Waived months stay waived.
    """
    require_unit_write(actor=actor, unit=branch, message=str(NOT_YOUR_UNIT))
    paid_on = paid_on or today()
    policy = policy_for(unit=branch, day=month.start)
    members = _branch_members(branch, month)
    paid_ids, quarter_ids = set(paid), set(quarterly)
    strangers = (paid_ids | quarter_ids) - set(members)
    if strangers:
        raise ApplicationError(_("Có đoàn viên không thuộc chi đoàn này trong danh sách đã nộp."))
    for mid in sorted(quarter_ids):
        refusal = rules.quarterly_refusal(pays_quarterly=members[mid].pays_quarterly)
        if refusal:
            raise ApplicationError(f"{members[mid].person.full_name}: {refusal}")
    quarter_months = rules.months_of(Period.containing(month.start, "Q"))
    wanted: dict[tuple[int, Period], bool] = {(mid, month): mid in paid_ids | quarter_ids
                                              for mid in members}
    for mid in quarter_ids:
        for q in quarter_months:
            wanted[(mid, q)] = True
    existing = {(e.membership_id, e.month): e for e in DuesEntry.objects.filter(
        membership__in=list(members), month__in=quarter_months if quarter_ids else [month])}
    marked_paid = marked_unpaid = created = 0
    with acting(actor, reason=_("Thu đoàn phí {month}").format(month=month)):
        for (mid, m), want in sorted(wanted.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            entry = existing.get((mid, m))
            if entry is None:
                due = rules.monthly_amount(policy, has_salary=members[mid].has_salary)
                DuesEntry(membership=members[mid], month=m, amount_due=due,
                          amount_paid=due if want else 0, paid_on=paid_on if want else None,
                          recorded_by=actor if want else None).save()  # type: ignore[misc]
                created += 1
                marked_paid += int(want)
                continue
            entry.membership = members[mid]  # the audit record reads its branch: no query
            if entry.waived:
                continue
            if want and entry.amount_paid < entry.amount_due:
                entry.amount_paid, entry.paid_on = entry.amount_due, paid_on
                entry.recorded_by = actor  # type: ignore[assignment]
                entry.save(update_fields=["amount_paid", "paid_on", "recorded_by"])
                marked_paid += 1
            elif not want and entry.amount_paid > 0:
                entry.amount_paid, entry.paid_on = 0, None
                entry.recorded_by = actor  # type: ignore[assignment]
                entry.save(update_fields=["amount_paid", "paid_on", "recorded_by"])
                marked_unpaid += 1
    return PaymentResult(marked_paid, marked_unpaid, created)


@transaction.atomic
def dues_pay_quarter(*, membership: Membership, quarter: Period, paid_on: dt.date | None = None,
                     actor: Actor | None = None) -> int:
    """A member who may pay by quarter pays the three months at once; returns months filled."""
    require_unit_write(actor=actor, unit=membership.branch, message=str(NOT_YOUR_UNIT))
    refusal = rules.quarterly_refusal(pays_quarterly=membership.pays_quarterly)
    if refusal:
        raise ApplicationError(refusal)
    paid_on = paid_on or today()
    quarter = Period.containing(quarter.start, "Q")
    policy = policy_for(unit=membership.branch, day=quarter.start)
    due = rules.monthly_amount(policy, has_salary=membership.has_salary)
    existing = {e.month: e for e in DuesEntry.objects.filter(
        membership=membership, month__in=rules.months_of(quarter))}
    filled = 0
    with acting(actor, reason=_("Đóng đoàn phí {quarter}").format(quarter=quarter)):
        for m in rules.months_of(quarter):
            entry = existing.get(m)
            if entry is None:
                DuesEntry(membership=membership, month=m, amount_due=due, amount_paid=due,
                          paid_on=paid_on, recorded_by=actor).save()  # type: ignore[misc]
                filled += 1
            elif not entry.waived and entry.amount_paid < entry.amount_due:
                entry.amount_paid, entry.paid_on = entry.amount_due, paid_on
                entry.save(update_fields=["amount_paid", "paid_on"])
                filled += 1
    return filled


@transaction.atomic
def dues_waive(*, membership: Membership, months: Iterable[Period], reason: str,
               actor: Actor | None = None) -> int:
    """Miễn đoàn phí for hardship: refused beyond policy.max_waiver_months in a calendar year.

    Returns how many months were newly waived.
    """
    require_unit_write(actor=actor, unit=membership.branch.parent or membership.branch,
                       message=str(NOT_YOUR_UNIT))
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Hãy ghi lý do miễn đoàn phí."), field="reason")
    wanted = sorted({Period.containing(m.start, "M") for m in months})
    if not wanted:
        raise ApplicationError(_("Hãy chọn ít nhất một tháng để miễn đoàn phí."), field="months")
    policy = policy_for(unit=membership.branch, day=wanted[0].start)
    years = sorted({m.year for m in wanted})
    entries = {e.month: e for e in DuesEntry.objects.filter(
        membership=membership,
        month__in=[m for y in years for m in rules.months_of(Period.of_year(y))])}
    for m in wanted:
        e = entries.get(m)
        if e is not None and e.amount_paid > 0:
            raise ApplicationError(_("Đoàn viên đã nộp đoàn phí {m}, không thể miễn.").format(m=m),
                                   field="months")
    for y in years:
        already = sum(1 for mo, e in entries.items() if mo.year == y and e.waived)
        new = sum(1 for m in wanted if m.year == y and not (m in entries and entries[m].waived))
        refusal = rules.waiver_refusal(policy, already_waived=already, requested=new)
        if new and refusal:
            raise ApplicationError(refusal, field="months")
    waived = 0
    with acting(actor, reason=reason):
        for m in wanted:
            e = entries.get(m)
            if e is None:
                DuesEntry(membership=membership, month=m, waived=True, waiver_reason=reason,
                          amount_due=rules.monthly_amount(policy, has_salary=membership.has_salary),
                          recorded_by=actor).save()  # type: ignore[misc]
                waived += 1
            elif not e.waived:
                e.waived, e.waiver_reason = True, reason
                e.save(update_fields=["waived", "waiver_reason"])
                waived += 1
    return waived


# -- remittance ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LowerUnitLine:
    unit_id: int
    name: str
    periods: list[Period]
    owed: int
    sent: int

    @property
    def difference(self) -> int:
        return Dong(self.owed - self.sent)


@dataclass(frozen=True)
class RemittanceStatement:
    unit: Unit
    period: Period  # the unit's own remittance period (its cadence)
    cadence: str
    deadline: str  # the cadence's deadline as the statement names it ("hằng quý", …)
    collected: int  # from its own members
    from_below: int  # owed to it by its lower units
    keep: int
    owes_up: int
    sent: int
    sent_on: dt.date | None
    lower: list[LowerUnitLine]

    @property
    def total(self) -> int:
        return Dong(self.collected + self.from_below)

    @property
    def difference(self) -> int:
        return Dong(self.owes_up - self.sent)

    @property
    def received(self) -> int:
        """What the lower units reported sending for the periods owed to this one."""
        return Dong(sum(line.sent for line in self.lower))


def _policies(units: list[tuple[int, str]], day: dt.date) -> dict[int, MembersPolicy]:
    """The policy in force for each unit on `day` (nearest ancestor's record, as policy_for),
    in one query for the whole subtree."""
    records = list(
        MembersPolicy.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("issuing_unit").order_by("valid_from"))
    best: dict[str, MembersPolicy] = {}
    for record in records:
        best[record.issuing_unit.path] = record  # later valid_from wins, as in policy_for
    ordered = sorted(best.items(), key=lambda kv: -len(kv[0]))
    out: dict[int, MembersPolicy] = {}
    for pk, path in units:
        policy = next((pol for p, pol in ordered if path.startswith(p)), None)
        if policy is None:
            raise ApplicationError(_("Chưa có quy định đoàn vụ áp dụng cho đơn vị này."))
        out[pk] = policy
    return out


def policies_in_force(units: list[tuple[int, str]], day: dt.date) -> dict[int, MembersPolicy]:
    """The policy in force for each (id, path) on `day`, in one query (for roll-ups)."""
    return _policies(units, day)


def remittance_cadence(*, unit: Unit, day: dt.date) -> str:
    """"M", "Q" or "Y": how often `unit` sends dues up, by the policy in force on `day`."""
    try:
        policy = policy_for(unit=unit, day=day)
    except MembersPolicy.DoesNotExist:
        raise ApplicationError(_("Chưa có quy định đoàn vụ áp dụng cho đơn vị này.")) from None
    return rules.cadence_for(unit.kind.code, policy)


def remittance_compute(*, unit: Unit, period: Period) -> RemittanceStatement:
    """What `unit` collected, keeps, owes up and sent for its remittance period containing
    the start of `period`, and what each of its lower units owes it (a handful of queries for
    the whole subtree). Cadences and keep shares come from each unit's policy."""
    own_cadence = remittance_cadence(unit=unit, day=period.start)
    p = Period.containing(period.start, own_cadence)
    rows = list(Unit.objects.filter(path__startswith=unit.path)
                .values_list("pk", "parent_id", "kind__code", "path", "name"))
    parents: dict[int, int | None] = {pk: (unit.parent_id if pk == unit.pk else parent)
                                      for pk, parent, _k, _p, _n in rows}
    policies = _policies([(pk, path) for pk, _p, _c, path, _n in rows], p.end)
    unit_cadence = {pk: rules.cadence_for(code, policies[pk]) for pk, _p, code, _pa, _n in rows}
    unit_cadence[unit.pk] = own_cadence
    shares = {pk: (pol.keep_numerator, pol.keep_denominator) for pk, pol in policies.items()}
    # lower units' periods end within p; the coarsest (a year) starts on 1 January
    months = [m for m in rules.months_of(Period.of_year(p.end.year)) if m.end <= p.end]
    collected: dict[tuple[int, Period], int] = {}
    for branch_id, month, amount in (
            DuesEntry.objects.filter(membership__unit_path__startswith=unit.path,
                                     month__in=months)
            .values("membership__branch_id", "month").order_by()
            .annotate(total=Sum("amount_paid"))
            .values_list("membership__branch_id", "month", "total")):
        if branch_id in parents and amount:
            collected[(branch_id, as_period(month))] = int(amount)
    flows = rules.remittance_flows(parents=parents, cadence=unit_cadence, shares=shares,
                                   collected=collected)
    mine = flows.get((unit.pk, p), rules.Flow(0, 0, 0, 0))
    children = {pk: name for pk, parent, _c, _p, name in rows if parent == unit.pk}
    owed: dict[int, dict[Period, int]] = defaultdict(dict)
    for (u, q), flow in flows.items():
        if u in children and Period.containing(q.end, own_cadence) == p:
            owed[u][q] = flow.send
    sent_rows = Remittance.objects.filter(
        from_unit_id__in=list(children),
        period__in=sorted({q for per in owed.values() for q in per}) or [p],
    ).values_list("from_unit_id", "period", "amount_sent")
    sent_by: dict[int, int] = defaultdict(int)
    for u, raw, amount in sent_rows:
        if Period.containing(as_period(raw).end, own_cadence) == p:
            sent_by[u] += amount
    lower = sorted(
        (LowerUnitLine(u, children[u], sorted(owed.get(u, {})),
                       Dong(sum(owed.get(u, {}).values())), Dong(sent_by.get(u, 0)))
         for u in children if owed.get(u) or sent_by.get(u)),
        key=lambda line: line.name)
    record = Remittance.objects.filter(from_unit=unit, period=p).first()
    return RemittanceStatement(
        unit=unit, period=p, cadence=own_cadence,
        deadline=rules.remittance_deadline_note(own_cadence, policies[unit.pk]),
        collected=Dong(mine.collected),
        from_below=Dong(mine.from_below), keep=Dong(mine.keep), owes_up=Dong(mine.send),
        sent=Dong(record.amount_sent if record else 0),
        sent_on=record.sent_on if record else None,
        lower=lower)


@transaction.atomic
def remittance_record_sent(*, unit: Unit, period: Period, amount_sent: int,
                           sent_on: dt.date | None = None, note: str = "",
                           actor: Actor | None = None) -> Remittance:
    """Record what `unit` sent up for its period containing `period` (the total for that
    period: a later record corrects an earlier one). The due amount is stored alongside."""
    require_unit(actor=actor, unit=unit, perm=(WRITE, FINANCE), message=str(NOT_YOUR_UNIT))
    if unit.parent_id is None:
        raise ApplicationError(_("Đơn vị cao nhất không nộp đoàn phí lên cấp trên."))
    if amount_sent < 0:
        raise ApplicationError(_("Số tiền đã nộp không được âm."), field="amount_sent")
    sent_on = sent_on or today()
    if sent_on > today():
        raise ApplicationError(_("Ngày nộp không được ở tương lai."), field="sent_on")
    statement = remittance_compute(unit=unit, period=period)
    record = Remittance.objects.select_for_update().filter(
        from_unit=unit, period=statement.period).first()
    with acting(
        actor,
        reason=note or _("Nộp đoàn phí {period} lên cấp trên").format(period=statement.period),
    ):
        if record is None:
            record = Remittance(from_unit=unit, to_unit_id=unit.parent_id,
                                period=statement.period)  # type: ignore[misc]
        record.amount_due = statement.owes_up
        record.amount_sent = amount_sent
        record.sent_on = sent_on
        record.note = note[:255]
        record.save()
    return record


# -- removal proposals (MEM-6) ---------------------------------------------------------------------


def removal_window(*, as_of: dt.date, months: int) -> list[Period]:
    """The whole months the rule looks at: the `months` months before the month of `as_of`."""
    return rules.months_before(Period.containing(as_of, "M"), months)


def member_activity(*, members: list[Membership], window: list[Period],
                    paid_by: dt.date | None = None) -> dict[int, list[rules.MonthActivity]]:
    """Per member, what they did in each month of the window (two queries); with `paid_by`,
    only dues paid by that day count (what the branch knew then)."""
    if not window:
        return {m.pk: [] for m in members}
    ids = [m.pk for m in members]
    paid: set[tuple[int, Period]] = set()
    waived: set[tuple[int, Period]] = set()
    entries = DuesEntry.objects.filter(membership__in=ids, month__in=window)
    if paid_by is not None:
        entries = entries.filter(Q(paid_on__isnull=True) | Q(paid_on__lte=paid_by))
    for mid, raw, amount, is_waived in entries.values_list(
            "membership_id", "month", "amount_paid", "waived"):
        month = as_period(raw)
        if is_waived:
            waived.add((mid, month))
        if amount > 0:
            paid.add((mid, month))
    present: set[tuple[int, Period]] = set()
    excused: set[tuple[int, Period]] = set()
    for mid, day, status in Attendance.objects.filter(
            membership__in=ids, meeting__date__gte=window[0].start,
            meeting__date__lte=window[-1].end).values_list(
            "membership_id", "meeting__date", "status"):
        key = (mid, Period.containing(day, "M"))
        if status == AttendanceStatus.PRESENT:
            present.add(key)
        elif status == AttendanceStatus.EXCUSED:
            excused.add(key)
    return {m.pk: [rules.MonthActivity(month=w, paid=(m.pk, w) in paid,
                                       waived=(m.pk, w) in waived,
                                       attended=(m.pk, w) in present,
                                       excused=(m.pk, w) in excused) for w in window]
            for m in members}


@dataclass(frozen=True)
class RemovalReview:
    """The removal review of a branch as of a day (X-10, MEM-6): who met the criteria then."""

    day: dt.date
    window: list[Period]
    removal_after_months: int
    due: list[tuple[Membership, str]]  # members of the branch then, inactive the whole window


def removal_review_on(*, branch: Unit, day: dt.date) -> RemovalReview:
    """Members of the branch on `day` (joined by the window's start, not ended by `day`) who
    were inactive for the policy's number of whole months before `day`'s month — the same rule
    as removal_proposals_generate, with what was recorded as paid by `day`. A read: no actor."""
    policy = policy_for(unit=branch, day=day)
    window = removal_window(as_of=day, months=policy.removal_after_months)
    if not window:
        return RemovalReview(day, window, policy.removal_after_months, [])
    members = list(Membership.objects.filter(branch=branch, started_on__lte=window[0].start)
                   .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
                   .select_related("person").order_by("name_folded", "id"))
    activity = member_activity(members=members, window=window, paid_by=day)
    due = []
    for m in members:
        reason = rules.removal_reason(activity[m.pk],
                                      removal_after_months=policy.removal_after_months)
        if reason is not None:
            due.append((m, reason))
    return RemovalReview(day, window, policy.removal_after_months, due)


@transaction.atomic
def removal_proposals_generate(*, branch: Unit, as_of: dt.date | None = None,
                               actor: Actor | None = None) -> list[RemovalProposal]:
    """Propose for removal every current member of the branch inactive for the policy's
    number of whole months before `as_of`'s month (members who joined the branch later are not
    judged). A member with an open proposal gets no second one, nor one whose proposal the
    branch rejected within the window. Returns the new proposals."""
    require_unit_write(actor=actor, unit=branch, message=str(NOT_YOUR_UNIT))
    as_of = as_of or today()
    policy = policy_for(unit=branch, day=as_of)
    window = removal_window(as_of=as_of, months=policy.removal_after_months)
    if not window:
        return []
    members = list(current_members(unit=branch, on=window[0].start))
    # no second open proposal; and a rejection covers the months the branch already judged
    open_ids = set(RemovalProposal.objects.filter(
        Q(status=ProposalStatus.PROPOSED)
        | Q(status=ProposalStatus.REJECTED, decided_on__gte=window[0].start),
        membership__in=[m.pk for m in members])
        .values_list("membership_id", flat=True))
    activity = member_activity(members=members, window=window)
    made: list[RemovalProposal] = []
    for m in members:
        if m.pk in open_ids:
            continue
        reason = rules.removal_reason(activity[m.pk],
                                      removal_after_months=policy.removal_after_months)
        if reason is None:
            continue
        with acting(actor, reason=reason):
            proposal = RemovalProposal(membership=m, reason=reason[:255], proposed_on=as_of)
            proposal.save()
        made.append(proposal)
    return made


@transaction.atomic
def removal_decide(*, proposal: RemovalProposal, approve: bool, decision: str,
                   actor: Actor | None = None, on: dt.date | None = None) -> RemovalProposal:
    """The branch decides (biên bản họp chi đoàn). Approved: the member is removed (xóa tên).

    One decision service for the whole app: this page's decision goes through the lifecycle's.
    """
    require_unit_write(actor=actor, unit=proposal.membership.branch, message=str(NOT_YOUR_UNIT))
    from ..core.services import removal_proposal_decide

    return removal_proposal_decide(actor=actor, proposal=proposal, approve=approve,
                                   on=on or today(), decision=decision)


def removal_proposals(*, branch: Unit) -> QuerySet[RemovalProposal]:
    return (RemovalProposal.objects.filter(membership__branch=branch)
            .select_related("membership__person", "membership__branch", "decided_by")
            .order_by("status", "-proposed_on", "-id"))

