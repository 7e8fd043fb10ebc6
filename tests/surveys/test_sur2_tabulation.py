"""Tabulation (SUR-2): pure functions, property-tested — single-choice shares add up to exactly
100.0 % as shown, roll-ups per unit add up to the whole — and the page and export over the
answers of units."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from doanvu.surveys import rules, services, tabulate
from tests.conftest import login
from tests.surveys.conftest import GOOD, SurWorld, scope


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12))
def test_sur2_shares_add_up_to_100_percent_as_shown(counts: list[int]) -> None:
    tenths = tabulate.tenths_shares(counts)

    if sum(counts):
        assert sum(tenths) == 1000
        for c, t in zip(counts, tenths, strict=True):
            assert abs(t - c * 1000 / sum(counts)) < 1  # each within the rounding shown
    else:
        assert tenths == [0] * len(counts)


@given(st.lists(st.sampled_from(["A", "B", "C", None]), max_size=60))
def test_sur2_single_choice_counts_add_up_to_the_answers(values: list[str | None]) -> None:
    answered, options = tabulate.count_options(["A", "B", "C"], values)

    assert answered == sum(v is not None for v in values)
    assert sum(o.count for o in options) == answered
    assert sum(o.tenths for o in options) == (1000 if answered else 0)


PATHS = ["0001.", "0001.0001.", "0001.0001.0001.", "0001.0002.", "0001.0002.0005.", "0001.0003."]


@given(st.dictionaries(st.sampled_from(PATHS), st.integers(min_value=0, max_value=500)))
def test_sur2_rollup_per_unit_adds_up_to_the_whole(counts: dict[str, int]) -> None:
    children = [("Huyện 1", "0001.0001."), ("Huyện 2", "0001.0002."), ("Huyện 3", "0001.0003.")]

    parts = tabulate.rollup(counts, children)

    assert sum(n for _, n in parts) == sum(counts.values())
    assert dict(parts)["Huyện 2"] == counts.get("0001.0002.", 0) + counts.get(
        "0001.0002.0005.", 0)


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=40))
def test_sur2_scale_mean_and_distribution(points: list[int]) -> None:
    q = rules.Question(code="c1", number=1, kind="scale", text="Điểm", min=Decimal(1),
                       max=Decimal(5))
    [t] = tabulate.tabulate([q], [("", {"c1": str(p)}) for p in points])

    assert t.answered == len(points)
    assert sum(o.count for o in t.distribution) == len(points)
    assert sum(o.tenths for o in t.distribution) == 1000
    assert t.mean == (Decimal(sum(points)) / len(points)).quantize(Decimal("0.01"))


def _submit(sur: SurWorld, key: str, answers: dict[str, object]) -> None:
    user = sur.world.district_a_cadre if key == "a" else sur.world.district_b_cadre
    services.response_save(scope=scope(user), actor=user, response=sur.responses[key],
                           answers=answers, submit=True, on=dt.date(2020, 5, 2),
                           at=timezone.make_aware(dt.datetime(2020, 5, 2, 9)))


def test_sur2_tabulation_page_counts_means_tables_and_texts(sur: SurWorld) -> None:
    _submit(sur, "a", GOOD)
    _submit(sur, "b", {**GOOD, "c1": "Không", "c2": "", "c3": "2", "c6": "Thêm cán bộ",
                       "c5": {"0|0": "4"}})
    page = login(sur.world.province_secretary).get(
        reverse("surveys:tabulation", args=[sur.q.pk])).content.decode()

    assert "2 phiếu đã nộp" in page
    assert "50,0%" in page  # Có / Không, one each
    assert "Trung bình 3,00" in page
    assert "<svg" in page and "sur-chart-bar" in page
    assert "Thêm cán bộ" in page and "Huyện đoàn Tân Biên" in page
    assert ">7<" in page  # Đoàn viên 2018: 3 + 4
    assert "Theo đơn vị trực thuộc" in page  # Có / Không per district


def test_sur2_export_has_a_sheet_per_question_and_the_raw_answers(sur: SurWorld) -> None:
    from openpyxl import load_workbook

    _submit(sur, "a", {**GOOD, "c6": "=HYPERLINK(\"http://x\")"})
    got = login(sur.world.province_secretary).get(
        reverse("surveys:tabulation_export", args=[sur.q.pk]))

    assert got.status_code == 200
    wb = load_workbook(io.BytesIO(got.content))
    assert wb.sheetnames == ["Câu 1", "Câu 2", "Câu 3", "Câu 4", "Câu 5", "Câu 6",
                             "Bảng chéo", "Phiếu trả lời"]
    rows = list(wb["Phiếu trả lời"].values)
    assert rows[1][0] == "Huyện đoàn Châu Thành"
    assert not str(rows[1][6]).startswith("=")  # a formula stays text
    assert list(wb["Câu 1"].values)[3] == ("Có", 1, 100.0)


@given(st.lists(st.tuples(st.sampled_from(PATHS), st.sampled_from(["A", "B", None])),
                max_size=50))
def test_sur2_choices_per_unit_add_up_to_the_whole(answers: list[tuple[str, str | None]]) -> None:
    q = rules.Question(code="c1", number=1, kind="single", text="Chọn", options=("A", "B"))
    children = [("Huyện 1", "0001.0001."), ("Huyện 2", "0001.0002."), ("Huyện 3", "0001.0003.")]
    rows = [(path, {"c1": v} if v else {}) for path, v in answers]

    per_unit = tabulate.choices_by_unit(q, rows, children)
    [whole] = tabulate.tabulate([q], [("", a) for _, a in rows])

    for i, option in enumerate(whole.options):
        assert sum(counts[i] for _, counts in per_unit) == option.count


# -- tabulation from counted answers (the database's groups) equals the reference -------------

QUESTIONS = rules.questions_of([
    {"code": "c1", "number": 1, "kind": "single", "text": "Một", "options": ["A", "B", "C"]},
    {"code": "c2", "number": 2, "kind": "multiple", "text": "Hai", "options": ["X", "Y", "Z"]},
    {"code": "c3", "number": 3, "kind": "scale", "text": "Ba", "min": "1", "max": "5"},
    {"code": "c4", "number": 4, "kind": "number", "text": "Bốn"},
    {"code": "c5", "number": 5, "kind": "table", "text": "Năm", "rows": ["r"], "cols": ["a", "b"]},
    {"code": "c6", "number": 6, "kind": "long", "text": "Sáu"},
])
ANSWER = st.fixed_dictionaries({}, optional={
    "c1": st.sampled_from(["A", "B", "C"]),
    "c2": st.lists(st.sampled_from(["X", "Y", "Z"]), min_size=1, max_size=3, unique=True),
    "c3": st.integers(min_value=1, max_value=5).map(str),
    "c4": st.decimals(min_value=-50, max_value=500, places=1).map(str),
    "c5": st.fixed_dictionaries({"0|0": st.integers(0, 9).map(str),
                                 "0|1": st.integers(0, 9).map(str)}),
    "c6": st.sampled_from(["Tốt", "Cần thêm kinh phí", " "]),
})


def _normal(tables: list[tabulate.QuestionTable]) -> list[tabulate.QuestionTable]:
    for t in tables:  # the order of free texts is the reader's, not a figure
        t.texts = sorted(t.texts)
    return tables


def _groups(answers: list[tuple[str, str, dict[str, object]]]) -> list[tuple[str, str, object,
                                                                            int]]:
    """What the database returns: (unit, code, value, n) per distinct value."""
    counted: dict[tuple[str, str, str], int] = {}
    import json

    for unit, _path, a in answers:
        for code, value in a.items():
            key = (unit, code, json.dumps(value, sort_keys=True))
            counted[key] = counted.get(key, 0) + 1
    return [(unit, code, json.loads(v), n) for (unit, code, v), n in counted.items()]


@given(st.lists(st.tuples(st.sampled_from(PATHS), ANSWER), max_size=40))
def test_sur2_tabulation_from_counted_answers_equals_the_reference(
        drawn: list[tuple[str, dict[str, object]]]) -> None:
    answers = [(f"Đơn vị {path}", path, a) for path, a in drawn]
    children = [("Huyện 1", "0001.0001."), ("Huyện 2", "0001.0002."), ("Huyện 3", "0001.0003.")]

    reference = tabulate.tabulate(QUESTIONS, [(unit, a) for unit, _p, a in answers])
    counted = tabulate.tabulate_counted(QUESTIONS, _groups(answers))

    assert _normal(counted) == _normal(reference)
    for q in QUESTIONS[:2]:
        by_path = [(path, a) for _u, path, a in answers]
        groups = [(path, v, n) for (unit, code, v, n) in _groups(answers)
                  if code == q.code for path in [unit.removeprefix("Đơn vị ")]]
        assert tabulate.choices_by_unit_counted(q, groups, children) == \
            tabulate.choices_by_unit(q, by_path, children)


def test_sur2_tabulation_served_equals_the_pure_reference(sur: SurWorld) -> None:
    """The selector (on PostgreSQL: counted in the database) gives what the pure `tabulate`
    gives over the same answers read one by one — the cross-tabulation of scale and number
    questions by sector too (named member answers: test_sur2_named_answers.py)."""
    from doanvu.org.models import Sector, Unit
    from doanvu.surveys import selectors

    Unit.objects.filter(pk=sur.world.district_b.pk).update(sector="truong_hoc")
    _submit(sur, "a", GOOD)
    _submit(sur, "b", {**GOOD, "c1": "Không", "c2": "", "c3": "2", "c6": "Thêm cán bộ",
                       "c5": {"0|0": "4"}, "c4": ["Cán bộ", "Kinh phí"]})

    tab = selectors.tabulation(questionnaire=sur.q)
    rows = selectors._answers(sur.q)
    reference = tabulate.tabulate(tab.questions, [(name, a) for name, _p, a in rows])
    children = [(u.name, u.path) for u in sur.world.province.children.order_by("path")]

    assert _normal(tab.tables) == _normal(reference)
    assert tab.answered == 2
    assert sum(n for _, n in tab.by_child) == 2
    for q in tab.questions:
        if q.kind in rules.CHOICE_KINDS:
            assert tab.choices_by_child[q.code] == tabulate.choices_by_unit(
                q, [(p, a) for _n, p, a in rows], children)
    sector = {sur.world.district_a.path: "Chưa xếp khu vực",
              sur.world.district_b.path: "Trường học"}
    for q in tab.questions:
        if q.kind in (rules.SCALE, rules.NUMBER):
            parts = tabulate.number_parts([(sector[p], a.get(q.code), 1) for _n, p, a in rows])
            assert tab.numbers_by_sector[q.code] == tabulate.crosstab_numbers(
                parts, [str(label) for _v, label in Sector.choices])
    # district A (no sector) answered the scale 4, district B (schools) 2
    assert [(r.label, r.count, r.mean, r.minimum, r.maximum)
            for r in tab.numbers_by_sector["c3"]] == [
        ("Trường học", 1, Decimal("2.00"), 2, 2), ("Chưa xếp khu vực", 1, Decimal("4.00"), 4, 4)]


# -- cross-tabulation by unit level or sector -------------------------------------------------


@given(st.lists(st.tuples(st.sampled_from(["Huyện", "Xã", "Chi đoàn"]), ANSWER), max_size=40),
       st.sampled_from([0, 1]))
def test_sur2_crosstab_groups_add_up_to_the_whole(drawn: list[tuple[str, dict[str, object]]],
                                                  which: int) -> None:
    q = QUESTIONS[which]
    values = [(label, a[q.code], 1) for label, a in drawn if q.code in a]

    rows = tabulate.crosstab(q, values, order=["Huyện", "Xã"])
    answered, options = tabulate.count_options(q.options, [v for _l, v, _n in values],
                                               multiple=q.kind == rules.MULTIPLE)

    assert sum(r.answered for r in rows) == answered
    for i, o in enumerate(options):
        assert sum(r.options[i].count for r in rows) == o.count
    if q.kind == rules.SINGLE:
        assert all(sum(o.tenths for o in r.options) == 1000 for r in rows)
    labels = [r.label for r in rows]
    assert labels == sorted(labels, key=["Huyện", "Xã", "Chi đoàn"].index)


def test_sur2_crosstab_by_sector_on_the_page_and_in_the_export(sur: SurWorld) -> None:
    from openpyxl import load_workbook

    from doanvu.org.models import Unit

    Unit.objects.filter(pk=sur.world.district_b.pk).update(sector="truong_hoc")
    _submit(sur, "a", GOOD)
    _submit(sur, "b", {**GOOD, "c1": "Không", "c2": "", "c3": "2"})
    client = login(sur.world.province_secretary)

    page = client.get(reverse("surveys:tabulation", args=[sur.q.pk])).content.decode()
    book = load_workbook(io.BytesIO(client.get(
        reverse("surveys:tabulation_export", args=[sur.q.pk])).content))

    assert "Bảng chéo theo khu vực" in page
    assert "Chưa xếp khu vực" in page and "Trường học" in page
    assert "Bảng chéo theo cấp đơn vị" not in page  # both districts are of one level
    sheet = [[c for c in row if c is not None] for row in book["Bảng chéo"].iter_rows(
        values_only=True)]
    assert ["Trường học", 1, 0, 1] in sheet  # câu 1: "Có" 0, "Không" 1
    assert ["Chưa xếp khu vực", 1, 1, 0] in sheet
