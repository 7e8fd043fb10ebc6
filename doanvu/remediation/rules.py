"""The pure rules of remediation: no ORM, no request, every number passed in.

- `register_count` (REM-1): the shortcomings a year's self-review counts — new ones plus the
  ones carried from earlier years, less the entries linked as the same as another.
- `can_close` (REM-2): a shortcoming closes only with evidence.
- `weighted_score` and `ranking` (REM-3): a month's score from points per criterion and the
  policy's weights, and the order of members by score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Entry:
    """One register entry as the count sees it."""

    year_found: int
    review_year: int
    duplicate: bool  # linked as the same as another entry


@dataclass(frozen=True)
class RegisterCount:
    new: int
    carried: int
    duplicates: int

    @property
    def total(self) -> int:
        return self.new + self.carried - self.duplicates


def register_count(entries: Iterable[Entry]) -> RegisterCount:
    """Seed 004: 5 new in 2019 + 3 carried from 2018 − 1 the same = 7."""
    new = carried = duplicates = 0
    for e in entries:
        if e.year_found < e.review_year:
            carried += 1
        else:
            new += 1
        if e.duplicate:
            duplicates += 1
    return RegisterCount(new=new, carried=carried, duplicates=duplicates)


def can_close(*, evidence_count: int) -> bool:
    return evidence_count > 0


def weights_total(weights: Mapping[str, int | Decimal]) -> Decimal:
    return sum((Decimal(w) for w in weights.values()), Decimal(0))


def weighted_score(weights: Mapping[str, int | Decimal],
                   points: Mapping[str, int | Decimal]) -> Decimal:
    """Σ weight × points / Σ weights, points 0–100 per criterion (a missing one counts 0), to two
    decimals. Dividing by the total keeps the score the same when all weights scale together."""
    total = weights_total(weights)
    if total <= 0:
        return Decimal(0)
    raw = sum((Decimal(w) * Decimal(points.get(code, 0)) for code, w in weights.items()),
              Decimal(0)) / total
    return raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ranking(weights: Mapping[str, int | Decimal],
            members: Mapping[str, Mapping[str, int | Decimal]]) -> Sequence[tuple[str, Decimal]]:
    """Members by score, highest first; ties by name."""
    scored = [(name, weighted_score(weights, pts)) for name, pts in members.items()]
    return sorted(scored, key=lambda t: (-t[1], t[0]))


def year_mean(scores: Iterable[int | Decimal]) -> Decimal | None:
    """The year's result of a member (REM-3 → the year-end rating): the mean of the months'
    weighted scores, to two decimals; None without a month."""
    values = [Decimal(s) for s in scores]
    if not values:
        return None
    mean = sum(values, Decimal(0)) / len(values)
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Threshold:
    """The least year mean that suggests a rating level (a level code of the members' scale)."""

    level: str
    minimum: Decimal


def suggested_level(thresholds: Iterable[Threshold], mean: Decimal | None) -> str | None:
    """The level of the highest threshold the mean reaches (None: below every one, or no
    mean). A higher mean never suggests a level of a lower threshold."""
    if mean is None:
        return None
    best: Threshold | None = None
    for t in thresholds:
        if mean >= t.minimum and (best is None or t.minimum > best.minimum):
            best = t
    return best.level if best is not None else None


@dataclass(frozen=True)
class ItemState:
    """A register entry as closing sees it: how much evidence it has, whether it is closed."""

    evidence: int
    closed: bool


EVIDENCE, CLOSE = "evidence", "close"


def step(state: ItemState, event: str) -> ItemState:
    """The entry after an event (REM-2): evidence adds a file and never touches the closed
    state; closing needs evidence and an open entry (refused: the state is unchanged)."""
    if event == EVIDENCE:
        return ItemState(evidence=state.evidence + 1, closed=state.closed)
    if event == CLOSE and not state.closed and can_close(evidence_count=state.evidence):
        return ItemState(evidence=state.evidence, closed=True)
    return state
