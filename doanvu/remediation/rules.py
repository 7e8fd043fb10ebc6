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
