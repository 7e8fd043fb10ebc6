"""REM-3 → the member's year-end rating (seed 004 §III.1: "Cuối năm, kết quả khắc phục sẽ là một
trong những cơ sở để đánh giá mức độ hoàn thành nhiệm vụ").

Members sits below remediation, so remediation offers the year's result to members' pages
through members' registry of review sections (`members.api.register_review_section`) and records
the rating itself through members' rating service (`member_rate`: its caps, its scope check, its
audit record, here with the year's mean as the reason)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.common.errors import ApplicationError
from doanvu.common.typing import Actor
from doanvu.members.api import ReviewSection, scale_for
from doanvu.members.models import MemberRating, Membership
from doanvu.members.rating.services import MEMBER, active_in_year, member_rate
from doanvu.org.models import Person, Unit

from . import permissions, selectors


class RatingLinkError(ApplicationError):
    pass


def membership_in(person: Person, year: int) -> Membership | None:
    """Where the member was rated that year: the membership active in the year, latest first."""
    return (Membership.objects.filter(person=person).filter(active_in_year(year))
            .select_related("branch").order_by("-is_current", "-pk").first())


@dataclass
class Offer:
    result: selectors.YearResult
    membership: Membership | None
    levels: list[tuple[str, str]]  # (code, name) of the members' scale of that year
    current: MemberRating | None

    @property
    def current_name(self) -> str:
        if self.current is None:
            return ""
        return dict(self.levels).get(self.current.level, self.current.level)

    @property
    def suggestion_name(self) -> str:
        return dict(self.levels).get(self.result.suggestion or "", "")


def offer(*, unit: Unit, person: Person, year: int) -> Offer:
    result = selectors.year_result(unit=unit, person=person, year=year)
    membership = membership_in(person, year)
    levels: list[tuple[str, str]] = []
    current = None
    if membership is not None:
        try:
            scale = scale_for(unit=membership.branch, year=year, target=MEMBER)
        except ApplicationError:
            scale = None
        if scale is not None:
            levels = [(str(x["code"]), str(x["name"])) for x in scale.levels]
        current = MemberRating.objects.filter(membership=membership, year=year).first()
    return Offer(result, membership, levels, current)


def _mean_text(result: selectors.YearResult) -> str:
    return "—" if result.mean is None else f"{result.mean:.2f}".replace(".", ",")


@transaction.atomic
def year_rating_record(*, actor: Actor | None, scope: Scope, unit: Unit, person: Person,
                       year: int, level: str, note: str = "") -> MemberRating:
    """Record the member's year-end rating from the year's monthly evaluations by `unit`;
    members' service checks its caps and the actor's reach over the member's branch, and audits
    the write with the year's mean as its reason."""
    if not permissions.can_manage(scope, unit):
        raise RatingLinkError(_("Bạn không có quyền ghi xếp loại từ đánh giá của đơn vị này."),
                              field="level")
    found = offer(unit=unit, person=person, year=year)
    if found.result.mean is None:
        raise RatingLinkError(_("Năm {year}: {name} chưa có tháng nào được đánh giá.").format(
            year=year, name=person.full_name), field="level")
    if found.membership is None:
        raise RatingLinkError(_("Mức xếp loại: {name} không sinh hoạt ở chi đoàn nào trong năm "
                                "{year}.").format(name=person.full_name, year=year),
                              field="level")
    if level not in dict(found.levels):
        raise RatingLinkError(_("Mức xếp loại: hãy chọn một mức của thang xếp loại năm {year}.")
                              .format(year=year), field="level")
    reason = _("Theo đánh giá hằng tháng của {unit} năm {year}: bình quân {mean} điểm ({n} "
               "tháng)").format(unit=unit.name, year=year, mean=_mean_text(found.result),
                                n=len(found.result.scores))
    if note.strip():
        reason = f"{reason}; {note.strip()}"
    try:
        return member_rate(actor=actor, membership=found.membership, year=year, level=level,
                           reason=reason)
    except ApplicationError as exc:
        raise RatingLinkError(exc.message, field="level") from None


def review_section(*, scope: Scope, person: Person, year: int,
                   **extra: Any) -> ReviewSection | None:
    """The year's monthly evaluations as a section of the cadre's self-review and a criterion of
    the year-end rating (members' page asks, through its registry)."""
    results = [r for r in selectors.year_results_of(scope=scope, person=person, year=year)
               if r.mean is not None]
    if not results:
        return None
    parts: list[tuple[str]] = []
    verdicts = []
    for r in results:
        found = offer(unit=r.unit, person=person, year=year)
        parts.append((_("{unit}: {n} tháng được đánh giá, bình quân {mean} điểm.").format(
            unit=r.unit.name, n=len(r.scores), mean=_mean_text(r)),))
        verdicts.append(_("bình quân {mean} điểm{suggest}").format(
            mean=_mean_text(r), suggest=_(", gợi ý: {level}").format(
                level=found.suggestion_name) if found.suggestion_name else ""))
    return ReviewSection(
        key="remediation", title=_("Kết quả đánh giá ủy viên Ban Thường vụ hằng tháng"),
        body=format_html_join("", "<p>{}</p>", parts),
        criterion=_("Đánh giá hằng tháng (khắc phục khuyết điểm)"),
        verdict="; ".join(verdicts), met=None, order=60)
