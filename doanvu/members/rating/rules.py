"""Rating caps (MEM-7) as pure functions over plain values: no ORM, no request.

A rating scale (RatingScale: levels and caps as data, per issuing unit, year and target)
is turned into a `Scale`; the current counts into a `Tally`. `check_change` answers whether one
rating may be given and, if not, why (in Vietnamese); `check_distribution` checks a whole
sheet at once (a bulk save), so the order in which a secretary ticks members never matters.

Caps vocabulary (RatingScale.caps), documented here because it is the contract with the data:

    {"rules": [
        {"kind": "max_percent", "level": "htxs", "percent": 20},
        {"kind": "max_percent", "level": "htt", "or_better": true, "percent": 70,
         "of": "rated"},
        {"kind": "max_percent", "level": "htxs", "percent": 20, "of": "htt_or_better"},
        {"kind": "max_percent_if_unit_below", "level": "htxs", "unit_below": "htt",
         "percent": 10},
        {"kind": "requires_training", "level": "htxs", "or_better": true}
    ]}

- `level` names a level code; with `"or_better": true` the rule counts that level and every
  better-ranked one together ("Hoàn thành tốt nhiệm vụ trở lên").
- `percent` is an integer; the limit is ⌊percent × base / 100⌋ (integer arithmetic, so a
  limit never depends on float rounding).
- `of` is the base of the share: "population" (default: everyone to be rated — the branch's
  members, or the sibling units being classified), "rated" (those rated so far, after the
  change), or "<code>" / "<code>_or_better" (those rated at that level, or at it or better).
- `max_percent_if_unit_below` applies only when the rated member's own unit is classified
  (for the year) at a level ranked worse than `unit_below`: a weak branch cannot have many
  top-rated members.
- `requires_training` refuses the level(s) to a member who did not register for the year's
  rèn luyện programme (MEM-8: registration feeds the rating).

The shorthand of the model's docstring, `{"htxs": {"max_share": 0.2, "of": "htt_or_better"}}`,
is read as a `max_percent` rule (the share rounded to a whole percent).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Level:
    code: str
    name: str
    rank: int  # 1 = best


@dataclass(frozen=True)
class Cap:
    kind: str
    level: str
    percent: int = 100
    or_better: bool = False
    of: str = "population"
    unit_below: str = ""


POPULATION_LABEL = gettext_lazy("đoàn viên")


@dataclass(frozen=True)
class Scale:
    levels: tuple[Level, ...]
    caps: tuple[Cap, ...] = ()
    population_label: StrOrPromise = POPULATION_LABEL

    def level(self, code: str) -> Level | None:
        return next((lv for lv in self.levels if lv.code == code), None)

    @property
    def top(self) -> Level:
        return min(self.levels, key=lambda lv: lv.rank)

    def codes_at_or_better(self, code: str) -> frozenset[str]:
        lv = self.level(code)
        if lv is None:
            return frozenset()
        return frozenset(x.code for x in self.levels if x.rank <= lv.rank)


@dataclass(frozen=True)
class Tally:
    """Who is rated how in the population a cap speaks of (one branch, or one parent's units)."""

    population: int
    counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


class ScaleDataError(ValueError):
    """The scale's JSON does not follow the vocabulary above."""


KINDS = ("max_percent", "max_percent_if_unit_below", "requires_training")


def scale_from_data(
    levels: Iterable[Mapping[str, Any]],
    caps: Mapping[str, Any] | None,
    *,
    population_label: StrOrPromise = POPULATION_LABEL,
) -> Scale:
    """Build a Scale from RatingScale.levels / .caps JSON, refusing what it does not know."""
    try:
        parsed_levels = tuple(
            Level(code=str(x["code"]), name=str(x["name"]), rank=int(x["rank"])) for x in levels
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ScaleDataError(_("Mức xếp loại không hợp lệ: {exc}").format(exc=exc)) from None
    codes = {lv.code for lv in parsed_levels}
    if not parsed_levels or len(codes) != len(parsed_levels):
        raise ScaleDataError(_("Thang xếp loại cần ít nhất một mức và các mã không trùng nhau."))
    rules: list[Cap] = []
    caps = caps or {}
    raw_rules = list(caps.get("rules", []))
    for code, spec in caps.items():  # the docstring shorthand
        if code != "rules" and isinstance(spec, Mapping) and "max_share" in spec:
            raw_rules.append(
                {
                    "kind": "max_percent",
                    "level": code,
                    "percent": round(float(spec["max_share"]) * 100),
                    "of": spec.get("of", "population"),
                }
            )
    for raw in raw_rules:
        try:
            cap = Cap(
                kind=str(raw["kind"]),
                level=str(raw["level"]),
                percent=int(raw.get("percent", 100)),
                or_better=bool(raw.get("or_better", False)),
                of=str(raw.get("of", "population")),
                unit_below=str(raw.get("unit_below", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ScaleDataError(_("Quy định tỷ lệ không hợp lệ: {exc}").format(exc=exc)) from None
        if cap.kind not in KINDS or cap.level not in codes or not 0 <= cap.percent <= 100:
            raise ScaleDataError(_("Quy định tỷ lệ không hợp lệ: {dict}").format(dict=dict(raw)))
        base = cap.of.removesuffix("_or_better")
        if cap.of not in ("population", "rated") and base not in codes:
            raise ScaleDataError(_("Quy định tỷ lệ không hợp lệ: {dict}").format(dict=dict(raw)))
        rules.append(cap)
    return Scale(levels=parsed_levels, caps=tuple(rules), population_label=population_label)


# -- counting -------------------------------------------------------------------------------------


def _capped_codes(scale: Scale, cap: Cap) -> frozenset[str]:
    return scale.codes_at_or_better(cap.level) if cap.or_better else frozenset({cap.level})


def _base(scale: Scale, cap: Cap, tally: Tally) -> int:
    if cap.of == "population":
        return tally.population
    if cap.of == "rated":
        return sum(tally.counts.values())
    code = cap.of.removesuffix("_or_better")
    codes = scale.codes_at_or_better(code) if cap.of.endswith("_or_better") else {code}
    return sum(n for c, n in tally.counts.items() if c in codes)


def limit_of(scale: Scale, cap: Cap, tally: Tally) -> int:
    """How many may be rated in the capped level(s) for this tally: ⌊percent × base / 100⌋."""
    return cap.percent * _base(scale, cap, tally) // 100


def _applies(scale: Scale, cap: Cap, unit_level: str | None) -> bool:
    if cap.kind != "max_percent_if_unit_below":
        return cap.kind == "max_percent"
    below = scale.level(cap.unit_below)
    own = scale.level(unit_level) if unit_level else None
    return below is not None and own is not None and own.rank > below.rank


def _levels_label(scale: Scale, cap: Cap) -> str:
    lv = scale.level(cap.level)
    name = lv.name if lv else cap.level
    return _("{name} trở lên").format(name=name) if cap.or_better else name


def _base_label(scale: Scale, cap: Cap) -> str:
    if cap.of == "population":
        return str(scale.population_label)
    if cap.of == "rated":
        return _("{population_label} được xếp loại").format(population_label=scale.population_label)
    code = cap.of.removesuffix("_or_better")
    lv = scale.level(code)
    name = lv.name if lv else code
    suffix = _(" trở lên") if cap.of.endswith("_or_better") else ""
    return _("{population_label} xếp loại {name}{suffix}").format(
        population_label=scale.population_label, name=name, suffix=suffix
    )


def _message(scale: Scale, cap: Cap, before: Tally, unit_level: str | None) -> str:
    current = sum(n for c, n in before.counts.items() if c in _capped_codes(scale, cap))
    base = _base(scale, cap, before)
    text = _(
        "Vượt tỷ lệ: tối đa {percent}% {base_label} được xếp loại {levels_label} (đã có "
        "{current}/{base})"
    ).format(
        percent=cap.percent,
        base_label=_base_label(scale, cap),
        levels_label=_levels_label(scale, cap),
        current=current,
        base=base,
    )
    if cap.kind == "max_percent_if_unit_below":
        own = scale.level(unit_level or "")
        below = scale.level(cap.unit_below)
        text += _(", vì đơn vị chỉ được xếp loại {own_level} — thấp hơn {below_level}").format(
            own_level=own.name if own else unit_level,
            below_level=below.name if below else cap.unit_below,
        )
    return text


def apply_change(tally: Tally, old: str | None, new: str | None) -> Tally:
    counts = Counter({c: n for c, n in tally.counts.items() if n})
    if old:
        counts[old] -= 1
    if new:
        counts[new] += 1
    return Tally(population=tally.population, counts={c: n for c, n in counts.items() if n > 0})


def _excess(scale: Scale, cap: Cap, tally: Tally) -> int:
    codes = _capped_codes(scale, cap)
    return sum(n for c, n in tally.counts.items() if c in codes) - limit_of(scale, cap, tally)


def check_change(
    scale: Scale,
    tally: Tally,
    *,
    new: str,
    old: str | None = None,
    unit_level: str | None = None,
    trained: bool | None = None,
) -> Decision:
    """May one member (or unit) be rated `new` instead of `old`, given today's `tally`?

    A change is refused when it leaves a cap exceeded, and by more than before: adding to a
    capped level, or shrinking the base a share is taken of. A change that does not make any
    cap worse is allowed even where a cap is already broken (the members count fell), so a
    sheet can always be corrected downwards. Starting from a sheet within its caps, allowed
    changes therefore always end in a sheet within its caps (the property test holds us to it).
    """
    if scale.level(new) is None:
        return Decision(
            False, (_("Mức xếp loại “{new}” không có trong thang của năm.").format(new=new),)
        )
    if old == new:
        return Decision(True)
    reasons: list[str] = []
    after = apply_change(tally, old, new)
    for cap in scale.caps:
        if cap.kind == "requires_training":
            if trained is False and new in _capped_codes(scale, cap):
                reasons.append(
                    _(
                        "Chưa đăng ký Chương trình rèn luyện đoàn viên trong năm nên không thể xếp "
                        "loại {levels_label}"
                    ).format(levels_label=_levels_label(scale, cap))
                )
            continue
        if not _applies(scale, cap, unit_level):
            continue
        excess_after = _excess(scale, cap, after)
        if excess_after > 0 and excess_after > _excess(scale, cap, tally):
            reasons.append(_message(scale, cap, tally, unit_level))
    return Decision(not reasons, tuple(reasons))


def check_distribution(
    scale: Scale,
    population: int,
    levels: Iterable[str | None],
    *,
    unit_level: str | None = None,
    untrained: Iterable[str | None] = (),
) -> Decision:
    """Check a whole sheet: `levels` is every rating of the population (None = not rated),
    `untrained` the levels given to members who did not register for rèn luyện."""
    given = [lv for lv in levels if lv]
    unknown = sorted({lv for lv in given if scale.level(lv) is None})
    if unknown:
        return Decision(
            False,
            (_("Mức xếp loại “{value}” không có trong thang của năm.").format(value=unknown[0]),),
        )
    after = Tally(population=population, counts=dict(Counter(given)))
    untrained_levels = [lv for lv in untrained if lv]
    reasons: list[str] = []
    for cap in scale.caps:
        codes = _capped_codes(scale, cap)
        if cap.kind == "requires_training":
            if any(lv in codes for lv in untrained_levels):
                reasons.append(
                    _(
                        "Đoàn viên chưa đăng ký Chương trình rèn luyện đoàn viên không thể xếp "
                        "loại {levels_label}"
                    ).format(levels_label=_levels_label(scale, cap))
                )
            continue
        if not _applies(scale, cap, unit_level):
            continue
        in_capped = sum(n for c, n in after.counts.items() if c in codes)
        if in_capped > limit_of(scale, cap, after):
            reasons.append(
                _(
                    "Vượt tỷ lệ: tối đa {percent}% {base_label} được xếp loại {levels_label} (bảng "
                    "đang có {in_capped}/{base}, tối đa {limit_of})"
                ).format(
                    percent=cap.percent,
                    base_label=_base_label(scale, cap),
                    levels_label=_levels_label(scale, cap),
                    in_capped=in_capped,
                    base=_base(scale, cap, after),
                    limit_of=limit_of(scale, cap, after),
                )
            )
    return Decision(not reasons, tuple(reasons))


def may_recommend_to_party(scale: Scale, level: str | None) -> bool:
    """Only members rated in the scale's top level may be recommended as đoàn viên ưu tú."""
    return level is not None and level == scale.top.code


# -- branch structure (MEM-11) --------------------------------------------------------------------


def split_parts(members: int, max_members: int) -> int:
    """How many phân đoàn a branch of `members` needs so none exceeds `max_members` (≥ 2)."""
    if max_members <= 0:
        return 2
    return max(2, -(-members // max_members))
