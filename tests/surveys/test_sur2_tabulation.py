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
                             "Phiếu trả lời"]
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
