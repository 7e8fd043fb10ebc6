"""Tabulation as pure functions over plain answers (dicts of question code → value): counts and
shares, means and distributions, sums of tables, free text with its unit, and roll-ups of
counts per unit up the tree. No ORM: selectors feed these and pages, exports and reports read
what they return.

Shares are in tenths of a percent, rounded by the largest remainder so that the shares of a
single-choice question add up to exactly 100.0 % (what the page shows), not 99.9 or 100.1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .rules import CHOICE_KINDS, FILE, LONG, MULTIPLE, NUMBER, SCALE, SHORT, TABLE, Question


def tenths_shares(counts: Sequence[int]) -> list[int]:
    """Each count's share of the total in tenths of a percent (0 … 1000), adding up to exactly
    1000 when the total is not 0 (largest remainder; ties to the earlier item)."""
    total = sum(counts)
    if total <= 0:
        return [0 for _ in counts]
    exact = [c * 1000 for c in counts]
    floors = [e // total for e in exact]
    remainders = [e % total for e in exact]
    missing = 1000 - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (-remainders[i], i))
    for i in order[:missing]:
        floors[i] += 1
    return floors


def percent_text(tenths: int) -> str:
    """Vietnamese decimal comma: 333 → "33,3"."""
    return f"{tenths // 10},{tenths % 10}"


@dataclass(frozen=True)
class OptionCount:
    option: str
    count: int
    tenths: int  # share in tenths of a percent

    @property
    def percent(self) -> str:
        return percent_text(self.tenths)


@dataclass
class QuestionTable:
    question: Question
    answered: int = 0  # answers that hold this question
    options: list[OptionCount] = field(default_factory=list)
    mean: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    total: Decimal | None = None
    distribution: list[OptionCount] = field(default_factory=list)  # a scale's points
    cells: dict[str, Decimal] = field(default_factory=dict)  # a table's sums, "r|c"
    texts: list[tuple[str, str]] = field(default_factory=list)  # (unit name, text)

    def cell(self, r: int, c: int) -> Decimal:
        return self.cells.get(f"{r}|{c}", Decimal(0))


def count_options(options: Sequence[str], values: Iterable[object], *,
                  multiple: bool = False) -> tuple[int, list[OptionCount]]:
    """(respondents, per option count and share). A single choice: shares of the answers, adding
    up to 100 %. Multiple choice: shares of the respondents, each on its own (they may add to
    more than 100 %)."""
    counts = dict.fromkeys(options, 0)
    respondents = 0
    for v in values:
        chosen = v if isinstance(v, list) else [v]
        chosen = [c for c in chosen if c in counts]
        if not chosen:
            continue
        respondents += 1
        for c in set(chosen):
            counts[c] += 1
    ordered = [counts[o] for o in options]
    if multiple:
        tenths = [(c * 1000 * 2 + respondents) // (2 * respondents) if respondents else 0
                  for c in ordered]
    else:
        tenths = tenths_shares(ordered)
    return respondents, [OptionCount(o, c, t) for o, c, t in zip(options, ordered, tenths,
                                                                 strict=True)]


def numbers_summary(values: Iterable[object]) -> tuple[int, Decimal | None, Decimal | None,
                                                       Decimal | None, Decimal | None]:
    """(count, mean to 2 places, minimum, maximum, total) of the numeric answers."""
    nums = [Decimal(str(v)) for v in values if v not in (None, "")]
    if not nums:
        return 0, None, None, None, None
    total = sum(nums, Decimal(0))
    mean = (total / len(nums)).quantize(Decimal("0.01"))
    return len(nums), mean, min(nums), max(nums), total


def tabulate(questions: Sequence[Question],
             answers: Sequence[tuple[str, Mapping[str, Any]]]) -> list[QuestionTable]:
    """One table per question from `answers`: (unit name, answers dict) pairs. Each answer is
    read against its own version's questions by the caller (codes are kept across versions)."""
    out: list[QuestionTable] = []
    for q in questions:
        t = QuestionTable(question=q)
        values = [(unit, a[q.code]) for unit, a in answers if q.code in a]
        if q.kind in CHOICE_KINDS:
            t.answered, t.options = count_options(q.options, (v for _, v in values),
                                                   multiple=q.kind == MULTIPLE)
        elif q.kind in (SCALE, NUMBER):
            t.answered, t.mean, t.minimum, t.maximum, t.total = numbers_summary(
                v for _, v in values)
            if q.kind == SCALE and q.min is not None and q.max is not None:
                points = [str(p) for p in range(int(q.min), int(q.max) + 1)]
                _, t.distribution = count_options(points, (str(v) for _, v in values))
        elif q.kind == TABLE:
            t.answered = len(values)
            for _, v in values:
                for key, cell in (v or {}).items():
                    t.cells[key] = t.cells.get(key, Decimal(0)) + Decimal(str(cell))
        elif q.kind in (SHORT, LONG):
            t.texts = [(unit, str(v)) for unit, v in values if str(v).strip()]
            t.answered = len(t.texts)
        elif q.kind == FILE:
            t.answered = len(values)
        out.append(t)
    return out


def rollup(counts: Mapping[str, int], children: Sequence[tuple[str, str]]) -> list[
        tuple[str, int]]:
    """Per child of a unit, the sum of the counts of the units at or under it. `counts`: unit
    path → count; `children`: (name, path) of the unit's children. Units under no child (the
    unit itself) are summed under "" last, so the parts add up to the whole."""
    sums = {path: 0 for _, path in children}
    rest = 0
    for path, n in counts.items():
        owner = next((p for _, p in children if path == p or path.startswith(p)), None)
        if owner is None:
            rest += n
        else:
            sums[owner] += n
    parts = [(name, sums[path]) for name, path in children]
    if rest:
        parts.append(("", rest))
    return parts


def choices_by_unit(question: Question, answers: Sequence[tuple[str, Mapping[str, Any]]],
                    children: Sequence[tuple[str, str]]) -> list[tuple[str, list[int]]]:
    """A choice question's counts per option, per child unit of the tree (answers as (unit
    path, answers) pairs; an answer under no child counts under "" last). Per option, the
    children's counts add up to the question's whole count."""
    options = list(question.options)
    rows: dict[str, list[int]] = {path: [0] * len(options) for _, path in children}
    rest = [0] * len(options)
    for path, a in answers:
        value = a.get(question.code)
        if value is None:
            continue
        chosen = set(value if isinstance(value, list) else [value])
        owner = next((p for _, p in children if path.startswith(p)), None)
        counts = rows[owner] if owner is not None else rest
        for i, o in enumerate(options):
            if o in chosen:
                counts[i] += 1
    out = [(name, rows[path]) for name, path in children if any(rows[path])]
    if any(rest):
        out.append(("", rest))
    return out
