"""EMU-3, EMU-4: final scores, tiers and ranks as pure functions over a rubric given as data.

No ORM, no request, no Django: the models build a `Rubric` from the stored scale of a year and
sector group (EMU-1) and a `Sheet` per evaluated unit (EMU-2), and these functions answer. Every
number a plan sets (max points, caps, thresholds, the share of the top tier, weights) comes in
through the rubric; nothing here is a constant from the seeds.

Points
    All points are `Decimal`, never float. A rubric has `places` decimal places (default 2).
    A score given directly (points, adjustments, bonus and penalty entries) may not have more
    places than that: it is refused, never silently rounded. Computed points are rounded to
    `places` with ROUND_HALF_UP (the school rule, "làm tròn"): the percent method
    (``max × % / 100``) and a weighted work area (``subtotal × weight / 100``). Nothing else
    rounds, so sums of points are exact.

Scoring methods (`Method`)
    - ``points``: the raw value is the points, 0 ≤ raw ≤ max.
    - ``yes_no``: raw is True/False (or 1/0); yes gives max, no gives 0.
    - ``count``: raw is a whole count ≥ 0; points = count × points_per_item, capped at max
      (the cap is the method, so a large count is not an error).
    - ``percent``: raw is the % achieved, 0 ≤ raw ≤ 100; points = max × raw / 100, rounded.

Final score (`final_score`)
    Per criterion the score comes from the rubric's `score_source` (default: the department's
    score where given, else the self-score — SPEC EMU-3; imported component results count as
    department scores). A criterion with neither scores 0. Inspection adjustments (`Adjustment`)
    move one criterion's score and must leave it within 0 … max. Work areas sum their criteria;
    if the rubric weights its areas ("40 %"), each area counts ``subtotal × weight / 100`` and
    the weights sum to 100. Bonus and penalty entries sum per item, clipped by the item's cap,
    then by the rubric's overall bonus and penalty caps. Final = criteria + bonus − penalty,
    clipped to [floor, ceiling] (floor 0 by default). The explanation (`Line`s) tells the origin
    of every point — criterion (and whether department or self), adjustment, weight, bonus,
    penalty, cap — and the lines sum exactly to the total. A score mapping holds the scores
    given; a None value counts as not given (a department's None falls back to the self-score).

Many sheets (`final_scores`, `evaluate`)
    `final_scores` gives, for a list of sheets, the numbers `final_score(…, explain=False)`
    gives one by one, and so the same ranks and tiers (property-tested), computed criterion by
    criterion over all sheets so that the lookups run in C: the PERF-3 recompute. Each
    criterion remembers the points of the raw values it has seen (`_memo_points`): scores are
    few distinct numbers, and equal numbers earn equal points. The self-score total is computed
    there only for units tied with another of their group on every key before a self-score
    tie-break — the only place it decides — and left None elsewhere; `rank` refuses a None
    where it would decide. (`final_score` computes it when explaining or when the rubric ranks
    by it.) `evaluate` = `final_scores` + `rank` + `classify`, one table of `Standing`s.

Ranking (`rank`)
    Within a sector group: final score, higher first; then the rubric's declared tie-breaks in
    order (a work area's subtotal, a criterion's points, penalty points fewer first, bonus, the
    self-score total, the unit code); last the unit id, so the order is total and deterministic.
    Units equal on the score and on every declared tie-break share a rank, the competition way
    (1, 2, 2, 4): the rank then still says how many units are strictly ahead (rank − 1), which
    is what a unit asks ("why are we 4th?"), and a published table with "đồng hạng" reads as
    cadres expect. The `position` (1 … n, by the unit id last) is the total order that the
    top-tier cap uses.

Classification (`classify`)
    Tiers are ordered best first, each with a minimum final score; a unit gets the best tier
    whose minimum it reaches (the last tier catches everything). A unit flagged with a
    disqualifier cannot get the tiers it bars and drops to the highest tier still allowed. A
    cap ("at most N % of the group in the top tier") allows ``N % × group size`` units, rounded
    by the cap's rule (default FLOOR, so the share is never exceeded); units are seated in rank
    order and those over the cap drop to the next tier, where any cap of that tier applies in
    turn. The group size counts every unit of the group, disqualified ones too. At the cap's
    boundary, units that share a rank are seated by position (unit id): the declared tie-breaks
    should be rich enough that this is rare. The last tier can be neither barred nor capped, so
    every unit gets a tier. A flag the rubric does not list is an error, not ignored.

Errors
    `RuleError` is both the project's `ApplicationError` (a service shows its Vietnamese
    message) and a `ValueError`; `field` names the criterion or item. The rubric checks itself
    whole when built (weights that do not sum to 100, thresholds out of order, a cap or a
    disqualifier on the last tier, unknown codes…), so a rubric that exists is consistent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from itertools import repeat
from operator import is_, itemgetter
from typing import Any, NamedTuple, TypeVar

from doanvu.common.errors import ApplicationError

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def gettext_noop(message: str) -> str:
    """Mark a message for `make messages` without importing Django (this module stays pure).

    The text is Vietnamese, the source language; a caller wanting another language translates
    `RuleError.template` with its own gettext and formats it with `RuleError.params`
    (`RuleError.translated`)."""
    return message


class RuleError(ApplicationError, ValueError):
    """A rubric that contradicts itself or a score a rubric does not allow (Vietnamese)."""

    def __init__(self, template: str, *, field: str | None = None, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(template.format(**params), field=field)

    def translated(self, gettext: Callable[[str], str]) -> str:
        return gettext(self.template).format(**self.params)


def fmt(value: Decimal | int) -> str:
    """A number as cadres write it: decimal comma (X-1), no exponent."""
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return text.replace(".", ",")


# -- the rubric as data ---------------------------------------------------------------------------


class Method(StrEnum):
    POINTS = "points"
    YES_NO = "yes_no"
    COUNT = "count"
    PERCENT = "percent"


class ItemKind(StrEnum):
    BONUS = "bonus"  # điểm thưởng
    PENALTY = "penalty"  # điểm trừ


class ScoreSource(StrEnum):
    DEPARTMENT_ELSE_SELF = "department_else_self"
    DEPARTMENT_ONLY = "department_only"
    SELF_ONLY = "self_only"


class Rounding(StrEnum):
    FLOOR = "floor"
    HALF_UP = "half_up"
    CEILING = "ceiling"


_ROUNDING = {
    Rounding.FLOOR: ROUND_FLOOR,
    Rounding.HALF_UP: ROUND_HALF_UP,
    Rounding.CEILING: ROUND_CEILING,
}


class TieKey(StrEnum):
    AREA = "area"  # a work area's subtotal (target = area code)
    CRITERION = "criterion"  # one criterion's points (target = criterion code)
    PENALTY = "penalty"  # penalty points after caps
    BONUS = "bonus"  # bonus points after caps
    SELF_SCORE = "self_score"  # the unit's self-score total over the criteria
    UNIT_CODE = "unit_code"


@dataclass(frozen=True)
class Criterion:
    """One criterion (tiêu chí) of a work area, scored by one method up to `max_points`."""

    code: str
    area: str
    max_points: Decimal
    method: Method = Method.POINTS
    points_per_item: Decimal | None = None  # count method only
    label: str = ""
    department: str = ""  # who scores it (informational here; the services enforce it)


@dataclass(frozen=True)
class WorkArea:
    """A work area (mảng công tác); `weight` is its share of the final score in %."""

    code: str
    label: str = ""
    weight: Decimal | None = None


@dataclass(frozen=True)
class Item:
    """A bonus or penalty item (điểm thưởng / điểm trừ); `cap` bounds its total points."""

    code: str
    kind: ItemKind
    cap: Decimal | None = None
    label: str = ""


@dataclass(frozen=True)
class Tier:
    """A classification tier and the lowest final score that reaches it."""

    code: str
    min_score: Decimal
    label: str = ""


@dataclass(frozen=True)
class TierCap:
    """At most `max_percent` % of a sector group's units in `tier`, rounded by `rounding`."""

    tier: str
    max_percent: Decimal
    rounding: Rounding = Rounding.FLOOR

    def limit(self, group_size: int) -> int:
        share = Decimal(group_size) * self.max_percent / HUNDRED
        return int(share.quantize(Decimal(1), rounding=_ROUNDING[Rounding(self.rounding)]))


@dataclass(frozen=True)
class Disqualifier:
    """A listed violation; a flagged unit cannot get any tier in `barred_tiers`."""

    code: str
    barred_tiers: frozenset[str]
    label: str = ""


@dataclass(frozen=True)
class TieBreak:
    key: TieKey
    target: str = ""  # the area or criterion code, for AREA and CRITERION
    descending: bool = True  # higher first

    @classmethod
    def area(cls, code: str) -> TieBreak:
        return cls(TieKey.AREA, code)

    @classmethod
    def criterion(cls, code: str) -> TieBreak:
        return cls(TieKey.CRITERION, code)

    @classmethod
    def fewer_penalty(cls) -> TieBreak:
        return cls(TieKey.PENALTY, descending=False)

    @classmethod
    def more_bonus(cls) -> TieBreak:
        return cls(TieKey.BONUS)

    @classmethod
    def self_score(cls, *, descending: bool = True) -> TieBreak:
        return cls(TieKey.SELF_SCORE, descending=descending)

    @classmethod
    def unit_code(cls) -> TieBreak:
        return cls(TieKey.UNIT_CODE, descending=False)


@dataclass(frozen=True)
class Rubric:
    """A scoring scale (thang điểm thi đua) of one year and sector group, validated whole."""

    criteria: tuple[Criterion, ...]
    tiers: tuple[Tier, ...]
    areas: tuple[WorkArea, ...] = ()  # empty: the areas the criteria name, unweighted
    items: tuple[Item, ...] = ()
    bonus_cap: Decimal | None = None
    penalty_cap: Decimal | None = None
    caps: tuple[TierCap, ...] = ()
    disqualifiers: tuple[Disqualifier, ...] = ()
    tie_breaks: tuple[TieBreak, ...] = ()
    score_source: ScoreSource = ScoreSource.DEPARTMENT_ELSE_SELF
    places: int = 2
    floor: Decimal | None = ZERO
    ceiling: Decimal | None = None
    _compiled: _Compiled = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", _compile(self))

    @property
    def quantum(self) -> Decimal:
        return self._compiled.quantum

    @property
    def area_codes(self) -> tuple[str, ...]:
        """The work areas in the order `Subtotals.area_totals` gives them."""
        return self._compiled.area_codes

    @property
    def needs_self_total(self) -> bool:
        """Whether a tie-break ranks by the self-score total (then `final_scores` only)."""
        return self._compiled.needs_self

    def tier_codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.tiers)

    def criterion(self, code: str) -> Criterion:
        """The criterion `code`, or RuleError naming it."""
        try:
            return self._compiled.by_code[code]
        except KeyError:
            raise RuleError(gettext_noop("Không có tiêu chí “{code}” trong thang điểm."),
                            field=code, code=code) from None

    def points(self, code: str, raw: Raw) -> Decimal:
        """The points `raw` earns on criterion `code` at this rubric's places: what a form
        checks when a department or the unit enters a score (RuleError names the criterion)."""
        return criterion_points(self.criterion(code), raw, places=self.places)


# -- a unit's sheet and its result ----------------------------------------------------------------

Raw = Decimal | int | bool


@dataclass(frozen=True)
class Entry:
    """A bonus or penalty entry: `points` ≥ 0 for `item` (a penalty's points are taken off)."""

    item: str
    points: Decimal
    reason: str = ""


@dataclass(frozen=True)
class Adjustment:
    """An inspection adjustment (điều chỉnh sau kiểm tra) of one criterion's score."""

    criterion: str
    delta: Decimal
    reason: str = ""


@dataclass(frozen=True)
class Sheet:
    """What the rules need of a unit's score sheet (EMU-2) for one year."""

    unit_id: int
    unit_code: str = ""
    group: str = ""  # the sector group (khối); ranks and caps are within a group
    # criterion code → raw value (see Method); a missing code or None: not given
    self_scores: Mapping[str, Raw | None] = field(default_factory=dict)
    department_scores: Mapping[str, Raw | None] = field(default_factory=dict)  # and components
    entries: tuple[Entry, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    flags: frozenset[str] = frozenset()  # disqualifier codes


class Origin(StrEnum):
    CRITERION = "criterion"
    ADJUSTMENT = "adjustment"
    WEIGHT = "weight"
    BONUS = "bonus"
    PENALTY = "penalty"
    CAP = "cap"


class Source(StrEnum):
    DEPARTMENT = "department"
    SELF = "self"
    NONE = "none"  # not scored


class Line(NamedTuple):
    """One step of the explanation (EMU-10): `points` is signed and the lines sum to the total.

    `code` is the criterion, item or area code ("" for the overall caps and the floor/ceiling);
    `source` says whose score a criterion line took; `note` is the reason given."""

    origin: Origin
    code: str
    points: Decimal
    source: Source | None = None
    note: str = ""


@dataclass(frozen=True)
class Result:
    unit_id: int
    unit_code: str
    group: str
    total: Decimal
    criteria_total: Decimal  # after weights
    bonus: Decimal  # after caps
    penalty: Decimal  # after caps, as a positive number
    # self-scores summed (unweighted); None if not computed (see "Many sheets" above)
    self_total: Decimal | None
    area_totals: Mapping[str, Decimal]  # unweighted subtotals, adjustments included
    criterion_points: Mapping[str, Decimal]  # adjustments included
    flags: frozenset[str]
    lines: tuple[Line, ...] = ()  # empty unless explained


@dataclass(frozen=True)
class Ranked:
    unit_id: int
    group: str
    rank: int  # competition rank: 1 + units strictly ahead
    position: int  # 1 … n, the total order (unit id last)


class TierReason(StrEnum):
    THRESHOLD = "threshold"
    DISQUALIFIER = "disqualifier"
    CAP = "cap"


@dataclass(frozen=True)
class TierDecision:
    unit_id: int
    tier: str
    threshold_tier: str  # the tier the score alone reaches
    reasons: tuple[TierReason, ...]  # why it is lower, in the order applied; (THRESHOLD,) if not


@dataclass(frozen=True)
class Standing:
    """One unit's line of a group's result table."""

    unit_id: int
    unit_code: str
    group: str
    total: Decimal
    rank: int
    position: int
    tier: str
    reasons: tuple[TierReason, ...]


# -- rubric validation and compilation ------------------------------------------------------------

_POINTS, _YES_NO, _COUNT, _PERCENT = 0, 1, 2, 3
_METHOD_INT = {Method.POINTS: _POINTS, Method.YES_NO: _YES_NO, Method.COUNT: _COUNT,
               Method.PERCENT: _PERCENT}


# the raw types a criterion's memo holds: True == 1 == Decimal(1) hash alike, so a bool may
# share the memo only where it is a valid raw value (yes/no)
_EXACT: frozenset[type] = frozenset({Decimal, int})
_EXACT_YES_NO: frozenset[type] = frozenset({Decimal, int, bool})
_NONE_TYPE: frozenset[type] = frozenset({type(None)})


@dataclass(frozen=True)
class _Compiled:
    quantum: Decimal
    # per criterion, in rubric order: (code, method, max, per_item, area index, memo, the raw
    # types the memo holds)
    criteria: tuple[tuple[str, int, Decimal, Decimal, int, dict[Raw, Decimal], frozenset[type]],
                    ...]
    by_code: Mapping[str, Criterion]
    index: Mapping[str, int]
    area_codes: tuple[str, ...]
    area_weights: tuple[Decimal | None, ...]
    items: Mapping[str, Item]
    tier_index: Mapping[str, int]
    limits: tuple[TierCap | None, ...]
    barred: Mapping[str, frozenset[int]]
    needs_self: bool


def _check_places(value: Decimal, places: int, what: str) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise RuleError(gettext_noop("{what}: giá trị phải là một số."), what=what)
    try:
        rounded = round(value, places)
    except InvalidOperation:  # more digits than the context holds
        rounded = None
    if value != rounded:
        raise RuleError(gettext_noop("{what}: {value} có quá {places} chữ số thập phân."),
                        what=what, value=fmt(value), places=places)


_E = TypeVar("_E", bound=StrEnum)


def _known(kind: type[_E], value: object, what: str) -> _E:
    try:
        return kind(value)  # type: ignore[arg-type]
    except ValueError:
        raise RuleError(gettext_noop("{what}: “{value}” không phải là lựa chọn hợp lệ "
                                     "({allowed})."),
                        what=what, value=value, allowed=", ".join(kind)) from None


def _compile(r: Rubric) -> _Compiled:
    _known(ScoreSource, r.score_source, gettext_noop("Cách tính điểm cuối cùng"))
    if type(r.places) is not int or not 0 <= r.places <= 6:
        raise RuleError(gettext_noop("Số chữ số thập phân của thang điểm phải từ 0 đến 6."))
    quantum = Decimal(1).scaleb(-r.places)
    if not r.criteria:
        raise RuleError(gettext_noop("Thang điểm chưa có tiêu chí nào."))

    areas = r.areas or tuple(WorkArea(code) for code in dict.fromkeys(c.area for c in r.criteria))
    area_index: dict[str, int] = {}
    for area in areas:
        if not area.code or area.code in area_index:
            raise RuleError(gettext_noop("Mảng công tác “{code}” trống hoặc bị trùng."),
                            code=area.code)
        area_index[area.code] = len(area_index)
    weights = tuple(a.weight for a in areas)
    given = [w for w in weights if w is not None]
    if given:
        if len(given) != len(weights):
            raise RuleError(gettext_noop(
                "Trọng số phải được cho cho mọi mảng công tác hoặc không mảng nào."))
        for area in areas:
            assert area.weight is not None
            _check_places(area.weight, r.places, area.code)
            if area.weight <= 0:
                raise RuleError(gettext_noop("Mảng {code}: trọng số phải lớn hơn 0."),
                                code=area.code)
        if sum(given, ZERO) != HUNDRED:
            raise RuleError(gettext_noop("Tổng trọng số các mảng là {total}%, phải bằng 100%."),
                            total=fmt(sum(given, ZERO)))

    compiled: list[tuple[str, int, Decimal, Decimal, int, dict[Raw, Decimal],
                         frozenset[type]]] = []
    index: dict[str, int] = {}
    by_code: dict[str, Criterion] = {}
    for c in r.criteria:
        if not c.code or c.code in index:
            raise RuleError(gettext_noop("Mã tiêu chí “{code}” trống hoặc bị trùng."),
                            code=c.code)
        if c.area not in area_index:
            raise RuleError(gettext_noop("Tiêu chí {code}: mảng công tác “{area}” không có "
                                         "trong thang điểm."), code=c.code, area=c.area)
        _check_places(c.max_points, r.places, c.code)
        if c.max_points <= 0:
            raise RuleError(gettext_noop("Tiêu chí {code}: điểm tối đa phải lớn hơn 0."),
                            code=c.code)
        method = _known(Method, c.method, c.code)
        per_item = ZERO
        if method is Method.COUNT:
            if c.points_per_item is None or c.points_per_item <= 0:
                raise RuleError(gettext_noop("Tiêu chí {code}: cách chấm theo số lượng cần số "
                                             "điểm cho mỗi lượt lớn hơn 0."), code=c.code)
            _check_places(c.points_per_item, r.places, c.code)
            per_item = c.points_per_item
        elif c.points_per_item is not None:
            raise RuleError(gettext_noop("Tiêu chí {code}: chỉ cách chấm theo số lượng mới có "
                                         "điểm mỗi lượt."), code=c.code)
        index[c.code] = len(compiled)
        by_code[c.code] = c
        compiled.append((c.code, _METHOD_INT[method], c.max_points, per_item,
                         area_index[c.area], {None: ZERO},  # type: ignore[dict-item]
                         _EXACT_YES_NO if method is Method.YES_NO else _EXACT))

    items: dict[str, Item] = {}
    for item in r.items:
        if not item.code or item.code in items:
            raise RuleError(gettext_noop("Mã điểm thưởng/điểm trừ “{code}” trống hoặc bị trùng."),
                            code=item.code)
        _known(ItemKind, item.kind, item.code)
        if item.cap is not None:
            _check_places(item.cap, r.places, item.code)
            if item.cap < 0:
                raise RuleError(gettext_noop("Mục {code}: mức trần không được âm."),
                                code=item.code)
        items[item.code] = item
    for cap_value, what in ((r.bonus_cap, gettext_noop("Trần điểm thưởng")),
                            (r.penalty_cap, gettext_noop("Trần điểm trừ"))):
        if cap_value is not None:
            _check_places(cap_value, r.places, what)
            if cap_value < 0:
                raise RuleError(gettext_noop("{what} không được âm."), what=what)
    if r.floor is not None and r.ceiling is not None and r.floor > r.ceiling:
        raise RuleError(gettext_noop("Điểm sàn {floor} lớn hơn điểm trần {ceiling}."),
                        floor=fmt(r.floor), ceiling=fmt(r.ceiling))

    if not r.tiers:
        raise RuleError(gettext_noop("Thang điểm chưa có mức xếp loại nào."))
    tier_index: dict[str, int] = {}
    for i, tier in enumerate(r.tiers):
        if not tier.code or tier.code in tier_index:
            raise RuleError(gettext_noop("Mức xếp loại “{code}” trống hoặc bị trùng."),
                            code=tier.code)
        _check_places(tier.min_score, r.places, tier.code)
        if i and tier.min_score >= r.tiers[i - 1].min_score:
            raise RuleError(gettext_noop("Ngưỡng điểm của mức “{code}” phải thấp hơn ngưỡng của "
                                         "mức trên nó."), code=tier.code)
        tier_index[tier.code] = i
    lowest = r.tiers[-1].code

    limits: list[TierCap | None] = [None] * len(r.tiers)
    for cap in r.caps:
        if cap.tier not in tier_index:
            raise RuleError(gettext_noop("Giới hạn tỷ lệ: không có mức xếp loại “{code}”."),
                            code=cap.tier)
        if cap.tier == lowest:
            raise RuleError(gettext_noop("Không thể giới hạn tỷ lệ mức thấp nhất “{code}”."),
                            code=cap.tier)
        if limits[tier_index[cap.tier]] is not None:
            raise RuleError(gettext_noop("Mức “{code}” có hai giới hạn tỷ lệ."), code=cap.tier)
        if not isinstance(cap.max_percent, Decimal) or not ZERO <= cap.max_percent <= HUNDRED:
            raise RuleError(gettext_noop("Giới hạn tỷ lệ mức “{code}” phải từ 0 đến 100%."),
                            code=cap.tier)
        _known(Rounding, cap.rounding, cap.tier)
        limits[tier_index[cap.tier]] = cap

    barred: dict[str, frozenset[int]] = {}
    for dq in r.disqualifiers:
        if not dq.code or dq.code in barred:
            raise RuleError(gettext_noop("Mã vi phạm loại trừ “{code}” trống hoặc bị trùng."),
                            code=dq.code)
        for code in dq.barred_tiers:
            if code not in tier_index:
                raise RuleError(gettext_noop("Vi phạm {dq}: không có mức xếp loại “{code}”."),
                                dq=dq.code, code=code)
        if lowest in dq.barred_tiers:
            raise RuleError(gettext_noop("Vi phạm {dq} không thể loại trừ mức thấp nhất."),
                            dq=dq.code)
        barred[dq.code] = frozenset(tier_index[code] for code in dq.barred_tiers)

    seen: set[tuple[TieKey, str]] = set()
    for tb in r.tie_breaks:
        key = _known(TieKey, tb.key, gettext_noop("Tiêu chí phụ xếp hạng"))
        if key is TieKey.AREA and tb.target not in area_index:
            raise RuleError(gettext_noop("Tiêu chí phụ xếp hạng: không có mảng “{code}”."),
                            code=tb.target)
        if key is TieKey.CRITERION and tb.target not in index:
            raise RuleError(gettext_noop("Tiêu chí phụ xếp hạng: không có tiêu chí “{code}”."),
                            code=tb.target)
        if key is TieKey.UNIT_CODE and tb.descending:
            raise RuleError(gettext_noop("Xếp theo mã đơn vị chỉ theo thứ tự tăng dần."))
        if (key, tb.target) in seen:
            raise RuleError(gettext_noop("Tiêu chí phụ xếp hạng bị lặp."))
        seen.add((key, tb.target))

    return _Compiled(
        quantum=quantum,
        criteria=tuple(compiled),
        by_code=by_code,
        index=index,
        area_codes=tuple(area_index),
        area_weights=weights,
        items=items,
        tier_index=tier_index,
        limits=tuple(limits),
        barred=barred,
        needs_self=any(TieKey(tb.key) is TieKey.SELF_SCORE for tb in r.tie_breaks),
    )


# -- criterion points -----------------------------------------------------------------------------


def _bad_type(code: str, raw: object) -> RuleError:
    return RuleError(gettext_noop("Tiêu chí {code}: giá trị “{raw}” không phải là một số."),
                     field=code, code=code, raw=raw)


_MEMO_SIZE = 4096  # distinct raw values remembered per criterion
_nothing: dict[str, Raw | None] = {}


def _points(code: str, method: int, max_points: Decimal, per_item: Decimal, raw: object,
            quantum: Decimal) -> Decimal:
    """The hot path of `criterion_points`; arguments are the compiled criterion."""
    kind = type(raw)
    if method == _YES_NO:
        if kind is bool:
            return max_points if raw else ZERO
        if (kind is int or kind is Decimal) and raw in (0, 1):
            return max_points if raw else ZERO
        raise RuleError(gettext_noop("Tiêu chí {code}: chỉ nhận “có” hoặc “không”."),
                        field=code, code=code)
    if kind is int:
        value = Decimal(raw)  # type: ignore[arg-type]
    elif kind is Decimal:
        value = raw  # type: ignore[assignment]
        if not value.is_finite():
            raise _bad_type(code, raw)
    else:
        raise _bad_type(code, raw)
    if value < 0:
        raise RuleError(gettext_noop("Tiêu chí {code}: giá trị {raw} âm."),
                        field=code, code=code, raw=fmt(value))
    if method == _POINTS:
        if value > max_points:
            raise RuleError(gettext_noop("Tiêu chí {code}: {raw} điểm vượt quá điểm tối đa "
                                         "{max}."), field=code, code=code, raw=fmt(value),
                            max=fmt(max_points))
        if value.quantize(quantum, ROUND_HALF_UP) != value:
            raise RuleError(gettext_noop("Tiêu chí {code}: {raw} điểm có quá nhiều chữ số thập "
                                         "phân."), field=code, code=code, raw=fmt(value))
        return value
    if method == _COUNT:
        if value != value.to_integral_value():
            raise RuleError(gettext_noop("Tiêu chí {code}: số lượng {raw} phải là số nguyên."),
                            field=code, code=code, raw=fmt(value))
        points = value * per_item
        return max_points if points > max_points else points
    # percent achieved
    if value > HUNDRED:
        raise RuleError(gettext_noop("Tiêu chí {code}: tỷ lệ đạt {raw}% vượt quá 100%."),
                        field=code, code=code, raw=fmt(value))
    return (max_points * value / HUNDRED).quantize(quantum, ROUND_HALF_UP)


def _memo_points(memo: dict[Raw, Decimal], code: str, method: int, max_points: Decimal,
                 per_item: Decimal, raw: object, quantum: Decimal) -> Decimal:
    """`_points` remembered per criterion for the raw types it may hold (equal values earn
    equal points); any other raw value goes through `_points`, which checks its type."""
    kind = type(raw)
    if kind is Decimal or kind is int or (kind is bool and method == _YES_NO):
        points = memo.get(raw)  # type: ignore[call-overload]
        if points is None:
            points = _points(code, method, max_points, per_item, raw, quantum)
            if len(memo) < _MEMO_SIZE:
                memo[raw] = points  # type: ignore[index]
        return points
    if raw is None:
        return ZERO
    return _points(code, method, max_points, per_item, raw, quantum)


def criterion_points(criterion: Criterion, raw: Raw, *, places: int = 2) -> Decimal:
    """The points `raw` earns on `criterion` (0 … max), or RuleError (a ValueError) naming it."""
    per_item = criterion.points_per_item if criterion.method == Method.COUNT else None
    if criterion.method == Method.COUNT and (per_item is None or per_item <= 0):
        raise RuleError(gettext_noop("Tiêu chí {code}: cách chấm theo số lượng cần số điểm cho "
                                     "mỗi lượt lớn hơn 0."), field=criterion.code,
                        code=criterion.code)
    return _points(criterion.code, _METHOD_INT[Method(criterion.method)], criterion.max_points,
                   per_item if per_item is not None else ZERO, raw,
                   Decimal(1).scaleb(-places))


# -- final score ----------------------------------------------------------------------------------


def _clip(value: Decimal, cap: Decimal | None) -> Decimal:
    return cap if cap is not None and value > cap else value


_LARGE = Decimal(10) ** 12  # more points than any rubric gives: checked the slow way


def _entry_points(entry: Entry, places: int) -> Decimal:
    if not isinstance(entry.points, Decimal) or not entry.points.is_finite():
        raise RuleError(gettext_noop("Mục {code}: điểm phải là một số."), field=entry.item,
                        code=entry.item)
    if entry.points < 0:
        raise RuleError(gettext_noop("Mục {code}: điểm không được âm."), field=entry.item,
                        code=entry.item)
    _check_places(entry.points, places, entry.item)
    return entry.points


def _sheet_adjustments(rubric: Rubric, sheet: Sheet) -> dict[str, Decimal]:
    """Check the sheet's codes against the rubric; the adjustments summed per criterion."""
    index = rubric._compiled.index
    for scores in (sheet.department_scores, sheet.self_scores):
        if not scores.keys() <= index.keys():
            code = min(set(scores) - set(index))
            raise RuleError(gettext_noop("Không có tiêu chí “{code}” trong thang điểm."),
                            field=code, code=code)
    adjust: dict[str, Decimal] = {}
    for adj in sheet.adjustments:
        if adj.criterion not in index:
            raise RuleError(gettext_noop("Điều chỉnh: không có tiêu chí “{code}” trong thang "
                                         "điểm."), field=adj.criterion, code=adj.criterion)
        _check_places(adj.delta, rubric.places, adj.criterion)
        adjust[adj.criterion] = adjust.get(adj.criterion, ZERO) + adj.delta
    return adjust


def _weighted(comp: _Compiled, subtotals: Sequence[Decimal], lines: list[Line] | None
              ) -> Decimal:
    """The criteria total from the area subtotals, weighted if the rubric weights its areas."""
    weights = comp.area_weights
    if not weights or weights[0] is None:
        return sum(subtotals, ZERO)
    total = ZERO
    for code, subtotal, weight in zip(comp.area_codes, subtotals, weights, strict=True):
        assert weight is not None
        weighted = (subtotal * weight / HUNDRED).quantize(comp.quantum, ROUND_HALF_UP)
        total += weighted
        if lines is not None:
            lines.append(Line(Origin.WEIGHT, code, weighted - subtotal, None,
                              fmt(weight) + "%"))
    return total


def _bonus_penalty(rubric: Rubric, entries: Sequence[Entry], lines: list[Line] | None
                   ) -> tuple[Decimal, Decimal]:
    """Bonus and penalty points after the per-item caps and then the overall caps."""
    if not entries:
        return ZERO, ZERO
    items = rubric._compiled.items
    places = rubric.places
    by_item: dict[str, Decimal] = {}
    for entry in entries:
        item = items.get(entry.item)
        if item is None:
            raise RuleError(gettext_noop("Không có mục điểm thưởng/điểm trừ “{code}” trong "
                                         "thang điểm."), field=entry.item, code=entry.item)
        points = entry.points
        if not (type(points) is Decimal and points.is_finite() and ZERO <= points < _LARGE
                and points == round(points, places)):
            _entry_points(entry, places)  # raises, saying what is wrong
        by_item[entry.item] = by_item.get(entry.item, ZERO) + points
        if lines is not None:
            if item.kind == ItemKind.BONUS:
                lines.append(Line(Origin.BONUS, entry.item, points, None, entry.reason))
            else:
                lines.append(Line(Origin.PENALTY, entry.item, -points, None, entry.reason))
    bonus = penalty = ZERO
    for code, points in by_item.items():
        item = items[code]
        kept = _clip(points, item.cap)
        is_bonus = item.kind == ItemKind.BONUS
        if lines is not None and kept != points:
            cut = points - kept
            lines.append(Line(Origin.CAP, code, -cut if is_bonus else cut))
        if is_bonus:
            bonus += kept
        else:
            penalty += kept
    kept_bonus, kept_penalty = _clip(bonus, rubric.bonus_cap), _clip(penalty, rubric.penalty_cap)
    if lines is not None:
        if kept_bonus != bonus:
            lines.append(Line(Origin.CAP, "", kept_bonus - bonus, None, ItemKind.BONUS))
        if kept_penalty != penalty:
            lines.append(Line(Origin.CAP, "", penalty - kept_penalty, None, ItemKind.PENALTY))
    return kept_bonus, kept_penalty


def _clipped(rubric: Rubric, total: Decimal, lines: list[Line] | None) -> Decimal:
    clipped = total
    if rubric.floor is not None and clipped < rubric.floor:
        clipped = rubric.floor
    if rubric.ceiling is not None and clipped > rubric.ceiling:
        clipped = rubric.ceiling
    if lines is not None and clipped != total:
        lines.append(Line(Origin.CAP, "", clipped - total))
    return clipped


def final_score(rubric: Rubric, sheet: Sheet, *, explain: bool = True) -> Result:
    """The final score of one sheet by the rubric's rule, with the origin of every point.

    `explain=False` leaves out the lines and, unless a tie-break needs it, the self-score
    total; the numbers are the same. Many sheets at once: `final_scores`."""
    comp = rubric._compiled
    quantum = comp.quantum
    adjust = _sheet_adjustments(rubric, sheet)
    use_department = rubric.score_source != ScoreSource.SELF_ONLY
    use_self = rubric.score_source != ScoreSource.DEPARTMENT_ONLY
    department_get = sheet.department_scores.get if use_department else _nothing.get
    own_get = sheet.self_scores.get if use_self else _nothing.get
    own_lookup = sheet.self_scores.get

    lines: list[Line] | None = [] if explain else None
    subtotals = [ZERO] * len(comp.area_codes)
    points_by_code: dict[str, Decimal] = {}
    self_total: Decimal | None = ZERO if (explain or comp.needs_self) else None
    for code, method, max_points, per_item, area, memo, exact in comp.criteria:
        # a department's None means "not given", like an absent key
        raw = department_get(code)
        source = Source.DEPARTMENT
        if raw is None:
            raw = own_get(code)
            source = Source.SELF if raw is not None else Source.NONE
        points = memo.get(raw) if type(raw) in exact else None  # type: ignore[arg-type]
        if points is None:
            points = _memo_points(memo, code, method, max_points, per_item, raw, quantum)
        if self_total is not None:
            # the self-score total reads the own scores whatever the source rule says: it is a
            # tie-break and part of what the unit sees
            if source is Source.SELF:
                self_total += points
            else:
                self_total += _memo_points(memo, code, method, max_points, per_item,
                                           own_lookup(code), quantum)
        if lines is not None:
            lines.append(Line(Origin.CRITERION, code, points, source))
        if code in adjust:
            delta = adjust[code]
            adjusted = points + delta
            if adjusted < 0 or adjusted > max_points:
                raise RuleError(gettext_noop("Tiêu chí {code}: điều chỉnh {delta} đưa điểm ra "
                                             "ngoài khoảng 0 – {max}."), field=code, code=code,
                                delta=fmt(delta), max=fmt(max_points))
            if lines is not None:
                lines.extend(Line(Origin.ADJUSTMENT, code, adj.delta, None, adj.reason)
                             for adj in sheet.adjustments if adj.criterion == code)
            points = adjusted
        points_by_code[code] = points
        subtotals[area] += points

    criteria_total = _weighted(comp, subtotals, lines)
    bonus, penalty = _bonus_penalty(rubric, sheet.entries, lines)
    total = _clipped(rubric, criteria_total + bonus - penalty, lines)
    return Result(
        unit_id=sheet.unit_id,
        unit_code=sheet.unit_code,
        group=sheet.group,
        total=total,
        criteria_total=criteria_total,
        bonus=bonus,
        penalty=penalty,
        self_total=self_total,
        area_totals=dict(zip(comp.area_codes, subtotals, strict=True)),
        criterion_points=points_by_code,
        flags=sheet.flags,
        lines=tuple(lines) if lines is not None else (),
    )


def _column(raws: Sequence[Any], code: str, method: int, max_points: Decimal,
            per_item: Decimal, memo: dict[Raw, Decimal], exact: frozenset[type],
            quantum: Decimal) -> list[Decimal]:
    """One criterion's points for a column of raw values, the memo looked up in C."""
    if set(map(type, raws)) <= exact | _NONE_TYPE:
        points: list[Decimal | None] = list(map(memo.get, raws))
        if not any(map(is_, points, repeat(None))):
            return points  # type: ignore[return-value]
        return [p if p is not None else _memo_points(memo, code, method, max_points, per_item,
                                                     raw, quantum)
                for p, raw in zip(points, raws, strict=True)]
    return [_memo_points(memo, code, method, max_points, per_item, raw, quantum)
            for raw in raws]


def final_scores(rubric: Rubric, sheets: Iterable[Sheet]) -> list[Result]:
    """`final_score(…, explain=False)` of many sheets, the same numbers, computed criterion by
    criterion over all sheets at once (the PERF-3 recompute); in the order of `sheets`."""
    comp = rubric._compiled
    quantum = comp.quantum
    sheets = list(sheets)
    # a sheet with inspection adjustments goes the one-sheet way (they are few)
    plain = [s for s in sheets if not s.adjustments]
    if not plain:
        return [final_score(rubric, s, explain=False) for s in sheets]
    use_department = rubric.score_source != ScoreSource.SELF_ONLY
    use_self = rubric.score_source != ScoreSource.DEPARTMENT_ONLY
    codes = [c[0] for c in comp.criteria]
    blank: dict[str, Raw | None] = dict.fromkeys(codes)
    row_of = itemgetter(*codes) if len(codes) > 1 else (lambda d: (d[codes[0]],))

    def given(scores: Mapping[str, Raw | None]) -> Mapping[str, Raw | None]:
        # a department's None means "not given", like an absent key
        if any(map(is_, scores.values(), repeat(None))):
            return {k: v for k, v in scores.items() if v is not None}
        return scores

    width = len(blank)
    chosen_rows = []
    for s in plain:
        department, own = s.department_scores, s.self_scores
        merged = {**blank, **(own if use_self else _nothing),
                  **(given(department) if use_department else _nothing)}
        if len(merged) != width or (not use_self and len({**blank, **own}) != width) or (
                not use_department and len({**blank, **department}) != width):
            _sheet_adjustments(rubric, s)  # an unknown criterion code: raises, naming it
        chosen_rows.append(row_of(merged))
    columns = list(zip(*chosen_rows, strict=True))
    point_columns = [
        _column(column, code, method, max_points, per_item, memo, exact, quantum)
        for column, (code, method, max_points, per_item, _, memo, exact)
        in zip(columns, comp.criteria, strict=True)]
    # the criteria of each area, as positions in a row
    areas = [[i for i, c in enumerate(comp.criteria) if c[4] == a]
             for a in range(len(comp.area_codes))]
    area_rows = [itemgetter(*positions) if len(positions) > 1 else
                 (lambda row, p=positions: tuple(row[i] for i in p)) for positions in areas]
    computed = []
    for sheet, row in zip(plain, zip(*point_columns, strict=True), strict=True):
        subtotals = [sum(area_row(row), ZERO) for area_row in area_rows]
        criteria_total = _weighted(comp, subtotals, None)
        bonus, penalty = _bonus_penalty(rubric, sheet.entries, None)
        computed.append(Result(
            unit_id=sheet.unit_id,
            unit_code=sheet.unit_code,
            group=sheet.group,
            total=_clipped(rubric, criteria_total + bonus - penalty, None),
            criteria_total=criteria_total,
            bonus=bonus,
            penalty=penalty,
            self_total=None,
            area_totals=dict(zip(comp.area_codes, subtotals, strict=True)),
            criterion_points=dict(zip(codes, row, strict=True)),
            flags=sheet.flags,
        ))
    in_order = iter(computed)
    results = [next(in_order) if not s.adjustments else final_score(rubric, s, explain=False)
               for s in sheets]
    if comp.needs_self:
        # the self-score total only where it can decide: units tied with another of their
        # group on every key before it (the rest keep None; `rank` checks this)
        before_self = _tie_values(rubric, before_self=True)
        tied: dict[tuple[Any, ...], list[int]] = {}
        for i, r in enumerate(results):
            tied.setdefault((r.group, before_self(r)), []).append(i)
        for positions in tied.values():
            if len(positions) > 1:
                for i in positions:
                    if results[i].self_total is None:
                        results[i] = replace(results[i], self_total=_self_total(
                            comp, sheets[i].self_scores))
    return results


class Subtotals(NamedTuple):
    """A sheet's criteria already scored and summed per work area elsewhere (the database, for
    the PERF-3 recompute: `emulation.ranking`), exactly as `final_score` sums them: per
    criterion the source rule, the method's points and the adjustments. `area_totals` follow
    `Rubric.area_codes`, unweighted; `criterion_points` holds at least the criteria a
    tie-break names. Bonus and penalty entries, weights, caps and the floor/ceiling are applied
    here, by the same code as `final_score`."""

    unit_id: int
    unit_code: str
    group: str
    area_totals: Sequence[Decimal]
    criterion_points: Mapping[str, Decimal]
    entries: tuple[Entry, ...] = ()
    flags: frozenset[str] = frozenset()


def results_of_subtotals(rubric: Rubric, sheets: Iterable[Subtotals]) -> list[Result]:
    """The `Result` of each sheet given its `Subtotals`, in order: the numbers `final_scores`
    gives for the same stored sheet (tested side by side). The self-score total is not known
    here: a rubric that ranks by it (`Rubric.needs_self_total`) needs `final_scores`."""
    comp = rubric._compiled
    if comp.needs_self:
        raise RuleError(gettext_noop("Thang điểm xếp hạng theo tổng điểm tự chấm: cần chấm "
                                     "lại từng tiêu chí."))
    area_codes = comp.area_codes
    width = len(area_codes)
    out = []
    for s in sheets:
        if len(s.area_totals) != width:
            raise RuleError(gettext_noop("Đơn vị {unit}: số mảng công tác không khớp thang "
                                         "điểm."), unit=s.unit_id)
        criteria_total = _weighted(comp, s.area_totals, None)
        if s.entries:
            bonus, penalty = _bonus_penalty(rubric, s.entries, None)
            total = criteria_total + bonus - penalty
        else:  # most sheets: no bonus or penalty
            bonus = penalty = ZERO
            total = criteria_total
        out.append(Result(s.unit_id, s.unit_code, s.group, _clipped(rubric, total, None),
                          criteria_total, bonus, penalty, None,
                          dict(zip(area_codes, s.area_totals, strict=True)),
                          s.criterion_points, s.flags))
    return out


def _self_total(comp: _Compiled, own: Mapping[str, Raw | None]) -> Decimal:
    total = ZERO
    criteria, index = comp.criteria, comp.index
    for code, raw in own.items():
        _, method, max_points, per_item, _, memo, _ = criteria[index[code]]
        total += _memo_points(memo, code, method, max_points, per_item, raw, comp.quantum)
    return total


# -- ranking --------------------------------------------------------------------------------------


def _by_group(results: Iterable[Result]) -> dict[str, list[Result]]:
    groups: dict[str, list[Result]] = {}
    seen: set[int] = set()
    for result in results:
        if result.unit_id in seen:
            raise RuleError(gettext_noop("Đơn vị {unit} có hai kết quả."), unit=result.unit_id)
        seen.add(result.unit_id)
        groups.setdefault(result.group, []).append(result)
    return groups


def _tie_values(rubric: Rubric, *, before_self: bool = False
                ) -> Callable[[Result], tuple[Any, ...]]:
    """The declared part of the rank key: equal here means a shared rank. `before_self`: only
    the keys before the first self-score tie-break."""
    keys = [(TieKey(tb.key), tb.target, -1 if tb.descending else 1) for tb in rubric.tie_breaks]
    if before_self:
        keys = keys[:[k for k, _, _ in keys].index(TieKey.SELF_SCORE)]

    def values(r: Result) -> tuple[Any, ...]:
        out: list[Any] = [-r.total]
        for key, target, sign in keys:
            if key is TieKey.AREA:
                out.append(sign * r.area_totals[target])
            elif key is TieKey.CRITERION:
                out.append(sign * r.criterion_points[target])
            elif key is TieKey.PENALTY:
                out.append(sign * r.penalty)
            elif key is TieKey.BONUS:
                out.append(sign * r.bonus)
            elif key is TieKey.SELF_SCORE:
                # None: not computed, as it decides nothing (see final_scores; rank checks)
                out.append(_UNSET if r.self_total is None else sign * r.self_total)
            else:
                out.append(r.unit_code)
        return tuple(out)

    return values


class _Unset:
    """A self-score total that was not computed: it sorts before any number and equals only
    itself; `rank` refuses it where it would decide between two units."""

    def __lt__(self, other: object) -> bool:
        return other is not self

    def __gt__(self, other: object) -> bool:
        return False


_UNSET = _Unset()


def rank(rubric: Rubric, results: Iterable[Result]) -> dict[int, Ranked]:
    """Rank per unit within its sector group (see the module docstring), in table order."""
    declared = _tie_values(rubric)
    self_at = [i for i, tb in enumerate(rubric.tie_breaks, start=1)
               if TieKey(tb.key) is TieKey.SELF_SCORE][:1]
    out: dict[int, Ranked] = {}
    for group, members in _by_group(results).items():
        keyed = sorted((declared(r), r.unit_id) for r in members)
        previous: tuple[Any, ...] | None = None
        current = 0
        for position, (values, unit_id) in enumerate(keyed, start=1):
            if self_at and previous is not None and (
                    previous[self_at[0]] is _UNSET or values[self_at[0]] is _UNSET) and (
                    previous[:self_at[0]] == values[:self_at[0]]):
                raise RuleError(gettext_noop("Đơn vị {unit}: thiếu tổng điểm tự chấm để xếp "
                                             "hạng."), unit=unit_id)
            if values != previous:
                current, previous = position, values
            out[unit_id] = Ranked(unit_id, group, current, position)
    return out


# -- classification -------------------------------------------------------------------------------


def threshold_tier(rubric: Rubric, score: Decimal) -> str:
    """The best tier whose minimum `score` reaches; the last tier catches the rest."""
    for tier in rubric.tiers:
        if score >= tier.min_score:
            return tier.code
    return rubric.tiers[-1].code


def classify(rubric: Rubric, results: Iterable[Result],
             ranking: Mapping[int, Ranked] | None = None) -> dict[int, TierDecision]:
    """Tier per unit, per sector group: thresholds, then disqualifiers and caps in rank order.

    `ranking` is `rank(rubric, results)` when the caller has it already."""
    results = list(results)
    if ranking is None:
        ranking = rank(rubric, results)
    comp = rubric._compiled
    tiers = rubric.tiers
    lowest = len(tiers) - 1
    out: dict[int, TierDecision] = {}
    for members in _by_group(results).values():
        members.sort(key=lambda r: ranking[r.unit_id].position)
        limits = [cap.limit(len(members)) if cap is not None else None for cap in comp.limits]
        seated = [0] * len(tiers)
        for r in members:
            start = lowest
            for i, tier in enumerate(tiers):
                if r.total >= tier.min_score:
                    start = i
                    break
            barred: frozenset[int] = frozenset()
            for flag in r.flags:
                if flag not in comp.barred:
                    raise RuleError(gettext_noop("Đơn vị {unit}: không có vi phạm loại trừ "
                                                 "“{code}” trong thang điểm."),
                                    unit=r.unit_id, code=flag)
                barred = barred | comp.barred[flag]
            reasons: list[TierReason] = []
            t = start
            while True:
                if t in barred:
                    if TierReason.DISQUALIFIER not in reasons:
                        reasons.append(TierReason.DISQUALIFIER)
                elif (limit := limits[t]) is not None and seated[t] >= limit:
                    if TierReason.CAP not in reasons:
                        reasons.append(TierReason.CAP)
                else:
                    break
                t += 1  # the last tier is neither barred nor capped (checked in _compile)
            seated[t] += 1
            out[r.unit_id] = TierDecision(r.unit_id, tiers[t].code, tiers[start].code,
                                          tuple(reasons) or (TierReason.THRESHOLD,))
    return out


# -- the whole recompute --------------------------------------------------------------------------


def evaluate(rubric: Rubric, sheets: Iterable[Sheet]) -> list[Standing]:
    """Final scores, ranks and tiers of every sheet (EMU-3, EMU-4; the PERF-3 kernel), in
    table order: by group (first seen), then position."""
    results = final_scores(rubric, sheets)
    ranking = rank(rubric, results)
    tiers = classify(rubric, results, ranking)
    by_id = {r.unit_id: r for r in results}
    out = []
    for unit_id, ranked in ranking.items():
        r, decision = by_id[unit_id], tiers[unit_id]
        out.append(Standing(unit_id, r.unit_code, r.group, r.total, ranked.rank,
                            ranked.position, decision.tier, decision.reasons))
    return out
