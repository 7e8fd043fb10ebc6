"""Tabulation as pure functions over plain answers (dicts of question code → value): counts and
shares, means and distributions, sums of tables, free text with its unit, and roll-ups of
counts per unit up the tree. No ORM: selectors feed these and pages, exports and reports read
what they return.

Shares are in tenths of a percent, rounded by the largest remainder so that the shares of a
single-choice question add up to exactly 100.0 % (what the page shows), not 99.9 or 100.1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
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
    return count_options_counted(options, ((v, 1) for v in values), multiple=multiple)


def count_options_counted(options: Sequence[str], values: Iterable[tuple[object, int]], *,
                          multiple: bool = False) -> tuple[int, list[OptionCount]]:
    """`count_options` over (value, number of answers that gave it) pairs."""
    counts = dict.fromkeys(options, 0)
    respondents = 0
    for v, n in values:
        chosen = v if isinstance(v, list) else [v]
        chosen = [c for c in chosen if c in counts]
        if not chosen:
            continue
        respondents += n
        for c in set(chosen):
            counts[c] += n
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
    return numbers_summary_counted((v, 1) for v in values)


def numbers_summary_counted(values: Iterable[tuple[object, int]]) -> tuple[
        int, Decimal | None, Decimal | None, Decimal | None, Decimal | None]:
    """`numbers_summary` over (value, number of answers that gave it) pairs."""
    nums = [(Decimal(str(v)), n) for v, n in values if v not in (None, "") and n > 0]
    if not nums:
        return 0, None, None, None, None
    count = sum(n for _, n in nums)
    total = sum((d * n for d, n in nums), Decimal(0))
    mean = (total / count).quantize(Decimal("0.01"))
    return count, mean, min(d for d, _ in nums), max(d for d, _ in nums), total


def tabulate(questions: Sequence[Question],
             answers: Sequence[tuple[str, Mapping[str, Any]]]) -> list[QuestionTable]:
    """One table per question from `answers`: (unit name, answers dict) pairs. Each answer is
    read against its own version's questions by the caller (codes are kept across versions)."""
    return tabulate_counted(questions, [(unit, code, value, 1) for unit, a in answers
                                        for code, value in a.items()])


def tabulate_counted(questions: Sequence[Question],
                     groups: Iterable[tuple[str, str, Any, int]]) -> list[QuestionTable]:
    """`tabulate` over answers counted by value: (unit name, question code, value, n) — n
    answers gave that value (the database groups them; only free text needs its unit, others
    may carry any unit name). The same tables as `tabulate` over the answers themselves."""
    by_code: dict[str, list[tuple[str, Any, int]]] = {}
    for unit, code, value, n in groups:
        by_code.setdefault(code, []).append((unit, value, n))
    out: list[QuestionTable] = []
    for q in questions:
        t = QuestionTable(question=q)
        values = by_code.get(q.code, [])
        if q.kind in CHOICE_KINDS:
            t.answered, t.options = count_options_counted(
                q.options, ((v, n) for _, v, n in values), multiple=q.kind == MULTIPLE)
        elif q.kind in (SCALE, NUMBER):
            t.answered, t.mean, t.minimum, t.maximum, t.total = numbers_summary_counted(
                (v, n) for _, v, n in values)
            if q.kind == SCALE and q.min is not None and q.max is not None:
                points = [str(p) for p in range(int(q.min), int(q.max) + 1)]
                _, t.distribution = count_options_counted(points,
                                                          ((str(v), n) for _, v, n in values))
        elif q.kind == TABLE:
            t.answered = sum(n for _, _, n in values)
            for _, v, n in values:
                for key, cell in (v or {}).items():
                    t.cells[key] = t.cells.get(key, Decimal(0)) + Decimal(str(cell)) * n
        elif q.kind in (SHORT, LONG):
            t.texts = [(unit, str(v)) for unit, v, n in values if str(v).strip()
                       for _ in range(n)]
            t.answered = len(t.texts)
        elif q.kind == FILE:
            t.answered = sum(n for _, _, n in values)
        out.append(t)
    return out


def _owner_of(children: Sequence[tuple[str, str]]) -> Callable[[str], str | None]:
    """path → the path of the child at or above it (None under none), each path looked up
    once: by its prefixes of the children's path lengths, not by scanning the children."""
    paths = {p for _, p in children}
    lengths = sorted({len(p) for p in paths})
    found: dict[str, str | None] = {}

    def owner(path: str) -> str | None:
        if path not in found:
            found[path] = next((path[:n] for n in lengths if path[:n] in paths), None)
        return found[path]

    return owner


def rollup(counts: Mapping[str, int], children: Sequence[tuple[str, str]]) -> list[
        tuple[str, int]]:
    """Per child of a unit, the sum of the counts of the units at or under it. `counts`: unit
    path → count; `children`: (name, path) of the unit's children. Units under no child (the
    unit itself) are summed under "" last, so the parts add up to the whole."""
    sums = {path: 0 for _, path in children}
    rest = 0
    owner_of = _owner_of(children)
    for path, n in counts.items():
        owner = owner_of(path)
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
    return choices_by_unit_counted(
        question, [(path, a[question.code], 1) for path, a in answers
                   if a.get(question.code) is not None], children)


def choices_by_unit_counted(question: Question, values: Iterable[tuple[str, Any, int]],
                            children: Sequence[tuple[str, str]]) -> list[tuple[str, list[int]]]:
    """`choices_by_unit` over (unit path, value, n) groups of the question's answers."""
    options = list(question.options)
    rows: dict[str, list[int]] = {path: [0] * len(options) for _, path in children}
    rest = [0] * len(options)
    owner_of = _owner_of(children)
    for path, value, n in values:
        if value is None:
            continue
        chosen = set(value if isinstance(value, list) else [value])
        owner = owner_of(path)
        counts = rows[owner] if owner is not None else rest
        for i, o in enumerate(options):
            if o in chosen:
                counts[i] += n
    out = [(name, rows[path]) for name, path in children if any(rows[path])]
    if any(rest):
        out.append(("", rest))
    return out


@dataclass(frozen=True)
class CrossRow:
    """One group of a cross-tabulation: its label, the answers in it, per option the count and
    its share of the group (single choice: adding to 100 % per group)."""

    label: str
    answered: int
    options: list[OptionCount]


def crosstab(question: Question, values: Iterable[tuple[str, Any, int]],
             order: Sequence[str] = ()) -> list[CrossRow]:
    """A choice question's answers by a property of the answering unit — its level or its
    sector: (group label, value, n) groups in, one row per group out (labels in `order` first,
    the others after, alphabetically; groups without an answer left out). Per option the rows
    add up to the question's count, and their answers to its respondents."""
    by: dict[str, list[tuple[Any, int]]] = {}
    for label, value, n in values:
        by.setdefault(label, []).append((value, n))
    labels = [g for g in order if g in by] + sorted(g for g in by if g not in order)
    rows = []
    for label in labels:
        answered, options = count_options_counted(question.options, by[label],
                                                  multiple=question.kind == MULTIPLE)
        if answered:
            rows.append(CrossRow(label, answered, options))
    return rows


@dataclass(frozen=True)
class NumberRow:
    """One group of a scale or number question's cross-tabulation: how many answered, their
    mean (to 2 places), minimum, maximum and total."""

    label: str
    count: int
    mean: Decimal
    minimum: Decimal
    maximum: Decimal
    total: Decimal


NumberPart = tuple[str, int, Decimal, Decimal, Decimal]  # (label, count, total, min, max)


def number_parts(values: Iterable[tuple[str, Any, int]]) -> list[NumberPart]:
    """(label, value, n) groups of a scale or number question's answers as parts: n answers of
    one value (blank values left out)."""
    out: list[NumberPart] = []
    for label, value, n in values:
        if value in (None, "") or n <= 0:
            continue
        d = Decimal(str(value))
        out.append((label, n, d * n, d, d))
    return out


def crosstab_numbers(parts: Iterable[NumberPart], order: Sequence[str] = ()) -> list[NumberRow]:
    """A scale or number question's answers by a property of the answering unit: parts
    (label, count, total, minimum, maximum) — single answers, or already summed per unit by the
    database — in, one row per group out (labels in `order` first, the others after,
    alphabetically). The groups' counts and totals add up to the question's, their extremes
    are the question's extremes."""
    acc: dict[str, list[Any]] = {}
    for label, count, total, low, high in parts:
        if count <= 0:
            continue
        row = acc.get(label)
        if row is None:
            acc[label] = [count, total, low, high]
        else:
            row[0] += count
            row[1] += total
            row[2] = min(row[2], low)
            row[3] = max(row[3], high)
    labels = [g for g in order if g in acc] + sorted(g for g in acc if g not in order)
    return [NumberRow(g, acc[g][0], (Decimal(acc[g][1]) / acc[g][0]).quantize(Decimal("0.01")),
                      acc[g][2], acc[g][3], acc[g][1]) for g in labels]


def page_of(items: Sequence[Any], page: int, size: int = 50) -> tuple[list[Any], int, int]:
    """(the items of page `page` (1-based; out of range: the nearest page), that page, the
    number of pages — at least 1)."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 1), pages)
    return list(items[(page - 1) * size:page * size]), page, pages
