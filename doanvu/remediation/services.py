"""Every write of remediation: keyword-only, atomic, refusing with a Vietnamese message that
names the field (ApplicationError), so nothing is half-written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period, parse_period
from doanvu.common.text import fold
from doanvu.common.typing import Actor
from doanvu.org.models import Department, Person, Unit

from . import permissions, rules
from .models import (
    EvaluationPolicy,
    Evidence,
    MonthlyEvaluation,
    Shortcoming,
    ShortcomingArea,
    Solution,
    SolutionGroup,
)

ONGOING_WORDS = "thuong xuyen"  # i18n: data (folded "thường xuyên", an ongoing deadline)


class RemediationError(ApplicationError):
    pass


def _refuse(message: str, field: str) -> RemediationError:
    return RemediationError(message, field=field)


def _check_write(scope: Scope, unit: Unit) -> None:
    if not permissions.can_manage(scope, unit):
        raise _refuse(_("Bạn không có quyền cập nhật kế hoạch khắc phục của đơn vị này."), "unit")


# -- REM-1 the register -------------------------------------------------------------------------
@transaction.atomic
def area_create(*, scope: Scope, unit: Unit, name: str, position: int = 1) -> ShortcomingArea:
    _check_write(scope, unit)
    name = (name or "").strip()
    if not name:
        raise _refuse(_("Tên lĩnh vực: chưa nhập."), "name")
    if ShortcomingArea.objects.filter(unit=unit, name=name).exists():
        raise _refuse(_("Tên lĩnh vực “{name}” đã có.").format(name=name), "name")
    return ShortcomingArea.objects.create(unit=unit, name=name, position=position)


@transaction.atomic
def shortcoming_create(*, scope: Scope, unit: Unit, review_year: int, year_found: int,
                       area: ShortcomingArea, number: int, text: str,
                       same_as: Shortcoming | None = None) -> Shortcoming:
    _check_write(scope, unit)
    text = (text or "").strip()
    if not text:
        raise _refuse(_("Nội dung khuyết điểm: chưa nhập."), "text")
    if area.unit_id != unit.pk:
        raise _refuse(_("Lĩnh vực: không thuộc đơn vị này."), "area")
    if year_found > review_year:
        raise _refuse(_("Năm phát sinh ({found}) không thể sau năm kiểm điểm ({year}).").format(
            found=year_found, year=review_year), "year_found")
    if Shortcoming.objects.filter(unit=unit, review_year=review_year, number=number).exists():
        raise _refuse(_("Số thứ tự {n}: đã có khuyết điểm mang số này trong năm {year}.").format(
            n=number, year=review_year), "number")
    if same_as is not None:
        if same_as.unit_id != unit.pk or same_as.review_year != review_year:
            raise _refuse(_("Trùng với khuyết điểm: phải là khuyết điểm của cùng đơn vị trong "
                            "cùng năm kiểm điểm."), "same_as")
        if same_as.same_as_id is not None:
            raise _refuse(_("Trùng với khuyết điểm: khuyết điểm được chọn đã được ghi là trùng "
                            "với khuyết điểm khác; hãy chọn khuyết điểm gốc."), "same_as")
    return Shortcoming.objects.create(unit=unit, review_year=review_year, year_found=year_found,
                                      area=area, number=number, text=text, same_as=same_as)


def _next_number(unit: Unit, review_year: int) -> int:
    last = (Shortcoming.objects.filter(unit=unit, review_year=review_year)
            .order_by("-number").values_list("number", flat=True).first())
    return (last or 0) + 1


def _area_for(unit: Unit, area: ShortcomingArea | None, area_name: str) -> ShortcomingArea:
    """The chosen area, or a new one of the unit named `area_name` (a unit's first entry)."""
    if area is not None:
        if area.unit_id != unit.pk:
            raise _refuse(_("Lĩnh vực: không thuộc đơn vị này."), "area")
        return area
    name = (area_name or "").strip()
    if not name:
        raise _refuse(_("Lĩnh vực: hãy chọn một lĩnh vực hoặc nhập tên lĩnh vực mới."), "area")
    found = ShortcomingArea.objects.filter(unit=unit, name=name).first()
    if found is not None:
        return found
    last = (ShortcomingArea.objects.filter(unit=unit).order_by("-position")
            .values_list("position", flat=True).first())
    return ShortcomingArea.objects.create(unit=unit, name=name, position=(last or 0) + 1)


@transaction.atomic
def shortcoming_add(*, scope: Scope, unit: Unit, review_year: int, year_found: int,
                    area: ShortcomingArea | None, text: str, area_name: str = "",
                    same_as: Shortcoming | None = None) -> Shortcoming:
    """The register page's entry: the next number of the year, the area chosen or a new one."""
    _check_write(scope, unit)
    chosen = _area_for(unit, area, area_name)
    return shortcoming_create(scope=scope, unit=unit, review_year=review_year,
                              year_found=year_found, area=chosen,
                              number=_next_number(unit, review_year), text=text,
                              same_as=same_as)


@transaction.atomic
def shortcoming_update(*, scope: Scope, shortcoming: Shortcoming, review_year: int,
                       year_found: int, area: ShortcomingArea | None, text: str,
                       area_name: str = "", same_as: Shortcoming | None = None) -> Shortcoming:
    """Corrects an entry; moved to another review year it takes that year's next number."""
    unit = shortcoming.unit
    _check_write(scope, unit)
    item = Shortcoming.objects.select_for_update().get(pk=shortcoming.pk)
    text = (text or "").strip()
    if not text:
        raise _refuse(_("Nội dung khuyết điểm: chưa nhập."), "text")
    chosen = _area_for(unit, area, area_name)
    if year_found > review_year:
        raise _refuse(_("Năm phát sinh ({found}) không thể sau năm kiểm điểm ({year}).").format(
            found=year_found, year=review_year), "year_found")
    if review_year != item.review_year and item.repeats.exists():
        raise _refuse(_("Năm kiểm điểm: có khuyết điểm khác được ghi là trùng với khuyết điểm "
                        "này, không đổi năm được."), "review_year")
    if same_as is not None:
        if same_as.pk == item.pk:
            raise _refuse(_("Trùng với khuyết điểm: không thể chọn chính khuyết điểm này."),
                          "same_as")
        if same_as.unit_id != unit.pk or same_as.review_year != review_year:
            raise _refuse(_("Trùng với khuyết điểm: phải là khuyết điểm của cùng đơn vị trong "
                            "cùng năm kiểm điểm."), "same_as")
        if same_as.same_as_id is not None:
            raise _refuse(_("Trùng với khuyết điểm: khuyết điểm được chọn đã được ghi là trùng "
                            "với khuyết điểm khác; hãy chọn khuyết điểm gốc."), "same_as")
        if item.repeats.exists():
            raise _refuse(_("Trùng với khuyết điểm: đã có khuyết điểm khác được ghi là trùng với "
                            "khuyết điểm này, nên nó không thể trùng với khuyết điểm khác."),
                          "same_as")
    if review_year != item.review_year:
        item.number = _next_number(unit, review_year)
    item.review_year, item.year_found, item.area, item.text, item.same_as = (
        review_year, year_found, chosen, text, same_as)
    item.save(update_fields=["review_year", "year_found", "area", "text", "same_as", "number"])
    return item


# -- REM-2 solutions and evidence ---------------------------------------------------------------
def parse_deadline(text: str) -> tuple[Period | None, bool]:
    """A solution's deadline as the plan writes it: a period ("tháng 03/2020", "quý I/2020") or
    "thường xuyên" (ongoing) — (period, ongoing); empty is no deadline."""
    raw = (text or "").strip()
    if not raw:
        return None, False
    if fold(raw) == ONGOING_WORDS:
        return None, True
    return parse_period(raw, field=_("thời hạn")), False


@transaction.atomic
def group_create(*, scope: Scope, unit: Unit, year: int, number: int, name: str,
                 lead: Department | None) -> SolutionGroup:
    _check_write(scope, unit)
    name = (name or "").strip()
    if not name:
        raise _refuse(_("Tên nhóm giải pháp: chưa nhập."), "name")
    if lead is not None and lead.unit_id != unit.pk:
        raise _refuse(_("Ban chủ trì: không thuộc cơ quan của đơn vị này."), "lead")
    if SolutionGroup.objects.filter(unit=unit, year=year, number=number).exists():
        raise _refuse(_("Số nhóm {n}: đã có nhóm giải pháp mang số này năm {year}.").format(
            n=number, year=year), "number")
    return SolutionGroup.objects.create(unit=unit, year=year, number=number, name=name,
                                        lead=lead)


@transaction.atomic
def solution_create(*, scope: Scope, group: SolutionGroup, text: str, deadline: str = "",
                    shortcomings: Iterable[Shortcoming] = (), position: int = 1) -> Solution:
    _check_write(scope, group.unit)
    text = (text or "").strip()
    if not text:
        raise _refuse(_("Nội dung giải pháp: chưa nhập."), "text")
    period, ongoing = parse_deadline(deadline)
    items = list(shortcomings)
    for s in items:
        if s.unit_id != group.unit_id:
            raise _refuse(_("Khuyết điểm được khắc phục: khuyết điểm số {n} không thuộc đơn vị "
                            "này.").format(n=s.number), "shortcomings")
    solution = Solution.objects.create(
        group=group, text=text, ongoing=ongoing, position=position,
        deadline=period)  # type: ignore[misc]  # PeriodField stores a Period
    solution.shortcomings.set(items)
    return solution


@transaction.atomic
def group_add(*, scope: Scope, unit: Unit, year: int, name: str,
              lead: Department | None) -> SolutionGroup:
    """The register page's group: the year's next number."""
    _check_write(scope, unit)
    last = (SolutionGroup.objects.filter(unit=unit, year=year).order_by("-number")
            .values_list("number", flat=True).first())
    return group_create(scope=scope, unit=unit, year=year, number=(last or 0) + 1, name=name,
                        lead=lead)


@transaction.atomic
def solution_add(*, scope: Scope, group: SolutionGroup, text: str, deadline: str = "",
                 shortcomings: Iterable[Shortcoming] = ()) -> Solution:
    """The register page's solution: last in its group, the deadline's refusal on its field."""
    _check_write(scope, group.unit)
    try:
        parse_deadline(deadline)
    except ApplicationError as exc:
        raise _refuse(exc.message, "deadline") from None
    last = (Solution.objects.filter(group=group).order_by("-position")
            .values_list("position", flat=True).first())
    return solution_create(scope=scope, group=group, text=text, deadline=deadline,
                           shortcomings=shortcomings, position=(last or 0) + 1)


@transaction.atomic
def solution_progress(*, scope: Scope, solution: Solution, progress: int,
                      note: str = "") -> Solution:
    _check_write(scope, solution.group.unit)
    if not 0 <= progress <= 100:
        raise _refuse(_("Tiến độ: phải từ 0 đến 100 (%)."), "progress")
    solution.progress = progress
    solution.progress_note = (note or "").strip()
    solution.save(update_fields=["progress", "progress_note"])
    return solution


@transaction.atomic
def evidence_add(*, scope: Scope, actor: Actor | None, shortcoming: Shortcoming, name: str,
                 file: UploadedFile | Any, solution: Solution | None = None) -> Evidence:
    """Adds a file; never changes whether the shortcoming is closed."""
    _check_write(scope, shortcoming.unit)
    name = (name or "").strip()
    if not name:
        raise _refuse(_("Tên minh chứng: chưa nhập."), "name")
    if file is None:
        raise _refuse(_("Tệp minh chứng: chưa chọn tệp."), "file")
    if solution is not None and not solution.shortcomings.filter(pk=shortcoming.pk).exists():
        raise _refuse(_("Giải pháp: giải pháp này không khắc phục khuyết điểm đã chọn."),
                      "solution")
    user_id = getattr(actor, "pk", None)
    return Evidence.objects.create(shortcoming=shortcoming, solution=solution, name=name,
                                   file=file, added_by_id=user_id)


@transaction.atomic
def shortcoming_close(*, scope: Scope, shortcoming: Shortcoming, note: str = "",
                      on: dt.date | None = None) -> Shortcoming:
    """REM-2: closed only with evidence."""
    _check_write(scope, shortcoming.unit)
    shortcoming = Shortcoming.objects.select_for_update().get(pk=shortcoming.pk)
    if shortcoming.closed_on is not None:
        raise _refuse(_("Khuyết điểm này đã được ghi nhận khắc phục xong."), "closed_on")
    state = rules.ItemState(evidence=shortcoming.evidence.count(), closed=False)
    if not rules.step(state, rules.CLOSE).closed:
        raise _refuse(_("Minh chứng: chưa có minh chứng nào, chưa thể ghi nhận khuyết điểm đã "
                        "khắc phục xong. Hãy thêm tệp minh chứng trước."), "evidence")
    shortcoming.closed_on = on or today()
    shortcoming.closed_note = (note or "").strip()
    shortcoming.save(update_fields=["closed_on", "closed_note"])
    return shortcoming


# -- REM-3 monthly evaluation -------------------------------------------------------------------
def _clean_criteria(criteria: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    cleaned: list[dict[str, Any]] = []
    codes: set[str] = set()
    for i, c in enumerate(criteria, start=1):
        code = str(c.get("code") or "").strip()
        label = str(c.get("label") or "").strip()
        try:
            weight = int(c.get("weight"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise _refuse(_("Trọng số của tiêu chí {i}: phải là số nguyên.").format(i=i),
                          "criteria") from None
        if not code or not label:
            raise _refuse(_("Tiêu chí {i}: chưa có mã hoặc tên.").format(i=i), "criteria")
        if code in codes:
            raise _refuse(_("Tiêu chí {i}: mã “{code}” bị trùng.").format(i=i, code=code),
                          "criteria")
        if weight <= 0:
            raise _refuse(_("Trọng số của tiêu chí {i}: phải lớn hơn 0.").format(i=i),
                          "criteria")
        codes.add(code)
        cleaned.append({"code": code, "label": label, "weight": weight})
    total = sum(c["weight"] for c in cleaned)
    if total != 100:
        raise _refuse(_("Trọng số các tiêu chí: tổng phải bằng 100 (%), hiện là {total}.").format(
            total=total), "criteria")
    return cleaned


def _clean_thresholds(thresholds: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """REM-3 → the year-end rating: the least year mean suggesting each level (0–100)."""
    cleaned: list[dict[str, Any]] = []
    for t in thresholds:
        level = str(t.get("level") or "").strip()
        label = str(t.get("label") or level)
        try:
            minimum = Decimal(str(t.get("min")))
        except (InvalidOperation, ValueError):
            raise _refuse(_("Ngưỡng điểm của mức “{label}”: phải là số từ 0 đến 100.").format(
                label=label), f"nguong_{level}") from None
        if not minimum.is_finite() or not 0 <= minimum <= 100:
            raise _refuse(_("Ngưỡng điểm của mức “{label}”: phải từ 0 đến 100.").format(
                label=label), f"nguong_{level}")
        if not level or any(c["level"] == level for c in cleaned):
            raise _refuse(_("Ngưỡng gợi ý xếp loại: mức “{label}” bị trùng hoặc trống.").format(
                label=label), "rating_thresholds")
        if any(Decimal(c["min"]) == minimum for c in cleaned):
            raise _refuse(_("Ngưỡng điểm của mức “{label}”: trùng với ngưỡng của mức khác.")
                          .format(label=label), f"nguong_{level}")
        cleaned.append({"level": level, "min": str(minimum)})
    return sorted(cleaned, key=lambda c: -Decimal(c["min"]))


@transaction.atomic
def evaluation_policy_create(*, scope: Scope, issuing_unit: Unit, name: str,
                             valid_from: dt.date, criteria: Iterable[Mapping[str, Any]],
                             valid_to: dt.date | None = None, source: str = "",
                             rating_thresholds: Iterable[Mapping[str, Any]] = (),
                             ) -> EvaluationPolicy:
    if not permissions.can_administer(scope, issuing_unit):
        raise _refuse(_("Bạn không có quyền ban hành quy định đánh giá của đơn vị này."),
                      "issuing_unit")
    name = (name or "").strip()
    if not name:
        raise _refuse(_("Tên quy định đánh giá: chưa nhập."), "name")
    if valid_to is not None and valid_to < valid_from:
        raise _refuse(_("Hiệu lực đến ngày: phải sau ngày bắt đầu hiệu lực."), "valid_to")
    cleaned = _clean_criteria(criteria)
    thresholds = _clean_thresholds(rating_thresholds)
    overlapping = EvaluationPolicy.objects.filter(issuing_unit=issuing_unit).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if valid_to is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_to)
    if overlapping.exists():
        raise _refuse(_("Hiệu lực từ ngày: {unit} đã có quy định đánh giá có hiệu lực trong "
                        "khoảng thời gian này.").format(unit=issuing_unit.name), "valid_from")
    return EvaluationPolicy.objects.create(issuing_unit=issuing_unit, name=name,
                                           valid_from=valid_from, valid_to=valid_to,
                                           source=(source or "").strip(), criteria=cleaned,
                                           rating_thresholds=thresholds)


@transaction.atomic
def evaluation_save(*, scope: Scope, unit: Unit, person: Person, month: Period,
                    policy: EvaluationPolicy, points: Mapping[str, Any],
                    note: str = "") -> MonthlyEvaluation:
    """Creates or corrects a member's month; a locked month refuses."""
    _check_write(scope, unit)
    if month.kind != "M":
        raise _refuse(_("Tháng: phải là một tháng, ví dụ tháng 3/2020."), "month")
    codes = {c["code"]: c["label"] for c in policy.criteria}
    clean: dict[str, int] = {}
    for code, label in codes.items():
        value = points.get(code)
        try:
            n = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise _refuse(_("Điểm “{label}”: phải là số từ 0 đến 100.").format(label=label),
                          code) from None
        if not 0 <= n <= 100:
            raise _refuse(_("Điểm “{label}”: phải từ 0 đến 100.").format(label=label), code)
        clean[code] = n
    existing = (MonthlyEvaluation.objects.select_for_update()
                .filter(unit=unit, person=person, month=month).first())
    if existing is not None:
        if existing.locked:
            raise _refuse(_("Tháng {month}: đã khóa, không sửa được đánh giá.").format(
                month=month), "month")
        existing.points, existing.note, existing.policy = clean, note, policy
        existing.save(update_fields=["points", "note", "policy"])
        return existing
    return MonthlyEvaluation.objects.create(
        unit=unit, person=person, policy=policy, points=clean, note=note,
        month=month)  # type: ignore[misc]  # PeriodField stores a Period


@transaction.atomic
def evaluation_month_lock(*, scope: Scope, unit: Unit, month: Period) -> int:
    if not permissions.can_approve(scope, unit):
        raise _refuse(_("Bạn không có quyền khóa đánh giá tháng của đơn vị này."), "month")
    return MonthlyEvaluation.objects.filter(unit=unit, month=month).update(locked=True)
