"""Ghost-member audit (MEM-10): likely "đoàn viên ảo" in a unit's subtree, by reason.

Each reason is one or two grouped queries over the scope-filtered memberships (no per-member
queries), each list capped at LIMIT rows with its full count, so the report stays fast for a
province. Reasons:

- CCCD that differ only by spacing or lost leading zeros. The unique constraint on
  Person.cccd forbids two equal numbers, but a number typed with a space, or imported from a
  spreadsheet that dropped its leading zero ("72200001234"), is a different string: such a
  malformed number is compared with the 12-digit numbers it would become.
- the same folded name + birth date + folded hometown on two Person records;
- no dues paid or waived and no meeting attended for policy.ghost_inactive_months months
  (members admitted to the Union within that window are not listed);
- past the policy's maturity age and not holding a union post (when the policy exempts them);
- current members of a dissolved (merged, split) unit.

Actions: merge two duplicate persons (`person_merge`) and propose removal (`ghost_removal_propose`)
for the branch to decide (MEM-6).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.audit.context import acting
from doanvu.common.cccd import is_well_formed, likely_cccd
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period
from doanvu.common.typing import Actor
from doanvu.org.models import Person, Unit

from ..core import rules
from ..core.selectors import memberships_in_scope, policy_for
from ..core.services import person_sync_memberships
from ..models import (
    Attendance,
    AttendanceStatus,
    DuesEntry,
    Membership,
    MemberStatus,
    ProposalStatus,
    RemovalProposal,
)
from ..permissions import require_person_write

LIMIT = 200


class GhostError(ApplicationError):
    pass


@dataclass
class Section:
    code: str
    title: str
    total: int = 0
    rows: list[Membership] = field(default_factory=list)
    groups: list[list[Membership]] = field(default_factory=list)


@dataclass
class GhostReport:
    unit: Unit
    day: dt.date
    inactive_months: int
    maturity_age: int
    sections: list[Section]

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sections)


def _months_ago(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _current(scope: Scope, unit: Unit) -> QuerySet[Membership]:
    return memberships_in_scope(scope=scope).filter(
        unit_path__startswith=unit.path, is_current=True
    )


def _rows(qs: QuerySet[Membership]) -> tuple[int, list[Membership]]:
    rows = list(qs.select_related("person", "branch").order_by("name_folded", "id")[:LIMIT])
    total = len(rows) if len(rows) < LIMIT else qs.count()
    return total, rows


def _cccd_groups(current: QuerySet[Membership]) -> list[list[Membership]]:
    odd = [
        m
        for m in current.exclude(person__cccd__isnull=True)
        .exclude(person__cccd__regex=r"^[0-9]{12}$")
        .select_related("person", "branch")[:LIMIT]
    ]
    keys = {m.pk: likely_cccd(m.person.cccd or "") for m in odd}
    wanted = {k for k in keys.values() if k}
    if not wanted:
        return []
    twins: dict[str, list[Membership]] = defaultdict(list)
    for m in current.filter(person__cccd__in=wanted).select_related("person", "branch"):
        twins[m.person.cccd or ""].append(m)
    groups = []
    for m in odd:
        key = keys[m.pk]
        if key and twins.get(key):
            groups.append([*twins[key], m])
    return groups


def _name_groups(current: QuerySet[Membership]) -> tuple[int, list[list[Membership]]]:
    dup_keys = list(
        current.exclude(birth_date__isnull=True)
        .values_list("person__name_folded", "person__birth_date", "person__hometown_folded")
        .annotate(n=Count("person_id", distinct=True))
        .filter(n__gt=1)
        .order_by()[:LIMIT]
    )
    if not dup_keys:
        return 0, []
    names = {k[0] for k in dup_keys}
    wanted = {(k[0], k[1], k[2]) for k in dup_keys}
    grouped: dict[tuple[object, ...], list[Membership]] = defaultdict(list)
    for m in (
        current.filter(person__name_folded__in=names)
        .select_related("person", "branch")
        .order_by("person_id")
    ):
        key = (m.person.name_folded, m.person.birth_date, m.person.hometown_folded)
        if key in wanted:
            grouped[key].append(m)
    groups = [g for _key, g in sorted(grouped.items(), key=lambda kv: str(kv[0])) if len(g) > 1]
    return len(groups), groups


def _inactive(current: QuerySet[Membership], since: dt.date) -> QuerySet[Membership]:
    """No dues paid or waived and no meeting attended since `since` (any of the person's
    memberships counts, so a transfer does not make a member look inactive)."""
    since_month = Period.month(since.year, since.month).key
    paid = DuesEntry.objects.filter(
        membership__person_id=OuterRef("person_id"), month__gte=since_month
    ).filter(Q(amount_paid__gt=0) | Q(waived=True))
    attended = Attendance.objects.filter(
        membership__person_id=OuterRef("person_id"),
        meeting__date__gte=since,
        status__in=[AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED],
    )
    return current.filter(joined_union_on__lt=since).filter(~Exists(paid), ~Exists(attended))


def ghost_report(*, scope: Scope, unit: Unit, day: dt.date | None = None) -> GhostReport:
    day = day or today()
    policy = policy_for(unit=unit, day=day)
    current = _current(scope, unit)
    sections: list[Section] = []

    cccd = Section("cccd", _("Số CCCD trùng khi bỏ khoảng trắng hoặc thêm số 0 đầu"))
    cccd.groups = _cccd_groups(current)
    cccd.total = len(cccd.groups)
    sections.append(cccd)

    names = Section("ten", _("Trùng họ tên, ngày sinh và quê quán (hai hồ sơ cá nhân)"))
    names.total, names.groups = _name_groups(current)
    sections.append(names)

    since = _months_ago(day, policy.ghost_inactive_months)
    inactive = Section(
        "khong_hoat_dong",
        _(
            "Không đóng đoàn phí và không sinh hoạt {ghost_inactive_months} tháng (từ "
            "{since:%m/%Y})"
        ).format(ghost_inactive_months=policy.ghost_inactive_months, since=since),
    )
    inactive.total, inactive.rows = _rows(_inactive(current, since))
    sections.append(inactive)

    # "quá 30 tuổi": from the day after the 30th birthday (rules.union_age)
    born_by = rules.latest_birth_for_age(day, policy.maturity_age + 1, policy.age_counting)
    old = current.filter(birth_date__lte=born_by)
    if policy.maturity_exempts_union_post:
        old = old.filter(holds_union_post=False)
    mature = Section(
        "qua_tuoi",
        _("Quá {maturity_age} tuổi, không giữ chức vụ Đoàn").format(
            maturity_age=policy.maturity_age
        ),
    )
    mature.total, mature.rows = _rows(old)
    sections.append(mature)

    dissolved = Section("giai_the", _("Còn sinh hoạt ở đơn vị đã giải thể, sáp nhập"))
    dissolved.total, dissolved.rows = _rows(current.filter(branch__dissolved_on__isnull=False))
    sections.append(dissolved)
    return GhostReport(
        unit=unit,
        day=day,
        inactive_months=policy.ghost_inactive_months,
        maturity_age=policy.maturity_age,
        sections=sections,
    )


# -- actions --------------------------------------------------------------------------------------

# Person fields filled from the dropped record where the kept one is blank.
_FILL = (
    "gender",
    "birth_date",
    "phone",
    "email",
    "ethnicity",
    "religion",
    "hometown",
    "address",
    "education_level",
    "political_theory",
    "occupation",
    "party_joined_on",
)


@dataclass
class MergeResult:
    kept: Person
    moved: dict[str, int]
    ended: list[Membership]


def person_merge_plan(*, keep: Person, drop: Person) -> list[Membership]:
    """Check that two persons may be merged; return the current membership of `drop` that the
    merge would end (a duplicate in the same branch), if any. Refuses two current memberships
    in different branches: which branch the real person belongs to is a fact to establish
    first (then one branch removes or transfers the record), not something to guess."""
    if keep.pk == drop.pk:
        raise GhostError(_("Hãy chọn hai hồ sơ khác nhau để gộp."))
    if keep.cccd and drop.cccd and likely_cccd(keep.cccd) != likely_cccd(drop.cccd):
        raise GhostError(
            _(
                "Hai hồ sơ có số CCCD khác nhau ({cccd} và {drop_cccd}): không phải cùng một "
                "người, không thể gộp."
            ).format(cccd=keep.cccd, drop_cccd=drop.cccd)
        )
    if keep.birth_date and drop.birth_date and keep.birth_date != drop.birth_date:
        raise GhostError(_("Hai hồ sơ có ngày sinh khác nhau: không thể gộp."))
    kept_current = (
        Membership.objects.filter(person=keep, is_current=True).select_related("branch").first()
    )
    drop_current = (
        Membership.objects.filter(person=drop, is_current=True).select_related("branch").first()
    )
    if kept_current and drop_current and kept_current.branch_id != drop_current.branch_id:
        raise GhostError(
            _(
                "Cả hai hồ sơ đang sinh hoạt ở hai chi đoàn khác nhau ({kept_branch} và "
                "{drop_branch}). Không thể tự gộp vì chưa rõ người này thực sự sinh hoạt ở đâu: "
                "hãy xác minh, rồi để một chi đoàn xóa tên hoặc chuyển sinh hoạt hồ sơ của mình "
                "trước khi gộp."
            ).format(
                kept_branch=kept_current.branch.name, drop_branch=drop_current.branch.name
            )
        )
    return [drop_current] if kept_current and drop_current else []


@transaction.atomic
def person_merge(*, actor: Actor | None, keep: Person, drop: Person) -> MergeResult:
    """Merge the duplicate person `drop` into `keep`: every record pointing at `drop`
    (memberships with their dues, attendance and ratings, cadre statuses, posts…) is
    repointed, one saved object at a time so each change is audited; a current membership of
    `drop` in the same branch as `keep`'s is ended first (it is the duplicate); blanks of
    `keep` are filled from `drop`; then `drop` is deleted (its snapshot stays in the audit)."""
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    drop = Person.objects.select_for_update().get(pk=drop.pk)
    # Both records are rewritten: both must be governed within the actor's write scope.
    require_person_write(actor=actor, persons=[keep, drop])
    to_end = person_merge_plan(keep=keep, drop=drop)
    reason = _("Gộp hồ sơ trùng: {full_name} (#{pk}) vào #{keep_pk}").format(
        full_name=drop.full_name, pk=drop.pk, keep_pk=keep.pk
    )
    moved: dict[str, int] = {}
    with acting(actor, reason=reason):
        for m in to_end:
            m.is_current = False
            m.status = MemberStatus.REMOVED
            m.ended_on = today()
            m.end_reason = _("Hồ sơ trùng, gộp vào hồ sơ #{pk}").format(pk=keep.pk)[:255]
            m.save(update_fields=["is_current", "status", "ended_on", "end_reason"])
        for rel in Person._meta.related_objects:
            if not (rel.one_to_many or rel.one_to_one) or rel.related_model is None:
                continue
            fk = rel.field.name
            model = rel.related_model
            if isinstance(model, str):
                continue
            for obj in model._default_manager.filter(**{fk: drop}):
                if rel.one_to_one and model._default_manager.filter(**{fk: keep}).exists():
                    raise GhostError(
                        _(
                            "Cả hai hồ sơ đều có {verbose_name}: hãy xử lý một bên trước khi gộp."
                        ).format(verbose_name=model._meta.verbose_name)
                    )
                setattr(obj, fk, keep)
                obj.save(update_fields=[fk])
                label = str(model._meta.verbose_name)
                moved[label] = moved.get(label, 0) + 1
        for many in Person._meta.many_to_many:
            getattr(keep, many.name).add(*getattr(drop, many.name).all())
        fields = [f for f in _FILL if not getattr(keep, f) and getattr(drop, f)]
        for f in fields:
            setattr(keep, f, getattr(drop, f))
        if drop.party_member and not keep.party_member:
            keep.party_member = True
            fields.append("party_member")
        cccd, user = drop.cccd, drop.user
        if (cccd and not keep.cccd) or (user and not keep.user_id):
            drop.cccd, drop.user = None, None
            drop.save(update_fields=["cccd", "user"])
            if cccd and not keep.cccd:
                keep.cccd = likely_cccd(cccd) or cccd
                fields.append("cccd")
            if user and not keep.user_id:
                keep.user = user
                fields.append("user")
        elif (
            keep.cccd
            and not is_well_formed(keep.cccd)
            and drop.cccd
            and is_well_formed(drop.cccd)
        ):
            # keep the well-formed number of the two
            keep.cccd, drop.cccd = drop.cccd, None
            drop.save(update_fields=["cccd"])
            fields.append("cccd")
        if fields:
            keep.save(update_fields=[*fields, "name_folded", "hometown_folded"])
        drop.delete()
    # memberships of the kept person keep its denormalised name, birth date and gender
    person_sync_memberships(person=keep)
    return MergeResult(kept=keep, moved=moved, ended=to_end)


@transaction.atomic
def ghost_removal_propose(
    *, actor: Actor | None, membership: Membership, reason: str
) -> RemovalProposal:
    """Propose removal (đề nghị xóa tên) for the branch to decide; one open proposal at most."""
    require_person_write(actor=actor, persons=[membership.person_id])
    if not membership.is_current:
        raise GhostError(
            _("{person} không còn sinh hoạt tại chi đoàn.").format(person=membership.person)
        )
    open_ = RemovalProposal.objects.filter(
        membership=membership, status=ProposalStatus.PROPOSED
    ).first()
    if open_ is not None:
        raise GhostError(
            _(
                "{person} đã có đề nghị xóa tên ngày {proposed_on:%d/%m/%Y} đang chờ chi đoàn "
                "quyết định."
            ).format(person=membership.person, proposed_on=open_.proposed_on)
        )
    text = _("Rà soát đoàn viên ảo: {reason}").format(reason=reason)[:255]
    with acting(actor, reason=text):
        return RemovalProposal.objects.create(
            membership=membership, reason=text, proposed_on=today()
        )
