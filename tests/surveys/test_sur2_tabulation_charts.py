"""Tabulation (SUR-2), the second round: cross-tabulation of scale and number questions (count,
mean, minimum, maximum per group — groups adding up to the whole), stacked bars of the choice
cross-tabulation, and free-text answers paged on the page while the .xlsx keeps them all."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from doanvu.surveys import charts, services, tabulate
from doanvu.surveys.models import AnonymousAnswer, Audience
from tests.conftest import login
from tests.surveys.conftest import SurWorld, scope

LABELS = ["Huyện", "Xã", "Chi đoàn"]
VALUE = st.one_of(st.integers(min_value=-50, max_value=500).map(str),
                  st.decimals(min_value=0, max_value=100, places=2).map(str), st.just(""))


@given(st.lists(st.tuples(st.sampled_from(LABELS), VALUE), max_size=60))
def test_sur2_number_crosstab_groups_add_up_to_the_whole(drawn: list[tuple[str, str]]) -> None:
    parts = tabulate.number_parts([(label, v, 1) for label, v in drawn])
    rows = tabulate.crosstab_numbers(parts, order=["Huyện", "Xã"])
    count, mean, low, high, total = tabulate.numbers_summary([v for _l, v in drawn])

    assert sum(r.count for r in rows) == count
    assert sum((r.total for r in rows), Decimal(0)) == (total or 0)
    if rows:
        assert min(r.minimum for r in rows) == low
        assert max(r.maximum for r in rows) == high
    for r in rows:
        assert r.minimum <= r.mean <= r.maximum or abs(r.mean - r.maximum) < Decimal("0.01")
    labels = [r.label for r in rows]
    assert labels == [g for g in ["Huyện", "Xã", "Chi đoàn"] if g in labels]


@given(st.lists(st.tuples(st.sampled_from(LABELS), st.sampled_from(["u1", "u2", "u3"]),
                          VALUE), max_size=60))
def test_sur2_number_crosstab_of_unit_sums_equals_that_of_answers(
        drawn: list[tuple[str, str, str]]) -> None:
    """What the database sums per unit gives what the single answers give."""
    singles = tabulate.number_parts([(label, v, 1) for label, _u, v in drawn])
    per_unit: dict[tuple[str, str], list[tabulate.NumberPart]] = {}
    for (label, unit, _v), part in zip(
            [d for d in drawn if d[2] != ""], singles, strict=True):
        per_unit.setdefault((label, unit), []).append(part)
    summed = [(label, sum(p[1] for p in ps), sum((p[2] for p in ps), Decimal(0)),
               min(p[3] for p in ps), max(p[4] for p in ps))
              for (label, _u), ps in per_unit.items()]

    assert tabulate.crosstab_numbers(summed) == tabulate.crosstab_numbers(singles)


@given(st.integers(min_value=0, max_value=400), st.integers(min_value=-3, max_value=20),
       st.integers(min_value=1, max_value=60))
def test_sur2_text_pages_cover_every_answer_once(n: int, page: int, size: int) -> None:
    items = list(range(n))
    pages = tabulate.page_of(items, 1, size)[2]
    seen = [x for p in range(1, pages + 1) for x in tabulate.page_of(items, p, size)[0]]
    shown, at, _pages = tabulate.page_of(items, page, size)

    assert seen == items
    assert 1 <= at <= pages and len(shown) <= size


@given(st.lists(st.tuples(st.text(min_size=1, max_size=60),
                          st.lists(st.integers(min_value=0, max_value=300), min_size=3,
                                   max_size=3)), min_size=1, max_size=8))
def test_sur2_stacked_chart_one_bar_per_group_one_segment_per_option(
        rows: list[tuple[str, list[int]]]) -> None:
    options = ["Có <b>", "Không", "Chưa rõ"]
    svg = str(charts.stacked(rows, options, title="Câu 1 — Bảng chéo"))

    assert svg.startswith('<svg class="sur-chart sur-stacked"') and svg.endswith("</svg>")
    assert "<b>" not in svg  # escaped
    segments = re.findall(r'<rect class="sur-seg-(\d)" x="([\d.]+)" y="\d+" width="([\d.]+)"',
                          svg)
    drawn = segments[:sum(1 for _l, cs in rows for c in cs if c and sum(cs))]
    assert len(drawn) == sum(1 for _l, cs in rows for c in cs if c)
    legend = svg.count('class="sur-chart-legend"')
    assert legend == len(options)
    # each group's segments fill the bar's width (shares of the group)
    i = 0
    for _label, counts in rows:
        k = sum(1 for c in counts if c)
        if k:
            widths = [float(w) for _c, _x, w in drawn[i:i + k]]
            assert abs(sum(widths) - 396) < 0.5
        i += k


def test_sur2_tabulation_page_pages_free_text_and_export_keeps_all(sur: SurWorld) -> None:
    w = sur.world
    lead = sur.lead
    today = dt.date.today()
    sur.theme.opens_on, sur.theme.due_on, sur.theme.closes_on = today, today, today
    sur.theme.save()
    q = services.questionnaire_create(scope=scope(lead), actor=lead, theme=sur.theme,
                                      title="Nguyện vọng", audience=Audience.MEMBERS)
    services.question_add(scope=scope(lead), actor=lead, questionnaire=q, kind="single",
                          text="Có tham gia không?", options=["Có", "Không"])
    services.question_add(scope=scope(lead), actor=lead, questionnaire=q, kind="number",
                          text="Số buổi sinh hoạt", minimum="0", maximum="50")
    services.question_add(scope=scope(lead), actor=lead, questionnaire=q, kind="long",
                          text="Ý kiến")
    services.questionnaire_send(scope=scope(lead), actor=lead, questionnaire=q)
    version = services.current_version(q)
    from doanvu.org.models import Unit

    Unit.objects.filter(pk=w.district_b.pk).update(sector="truong_hoc")
    AnonymousAnswer.objects.bulk_create([
        AnonymousAnswer(questionnaire=q, version=version,
                        unit=w.district_a if i % 2 else w.district_b,
                        answers={"c1": "Có" if i % 3 else "Không", "c2": str(i % 7),
                                 "c3": f"Ý kiến số {i:03d}"}) for i in range(120)])
    client = login(w.province_secretary)
    url = reverse("surveys:tabulation", args=[q.pk])
    first = client.get(url).content.decode()
    texts = re.search(r'data-testid="sur-texts-3">(.*?)</ol>', first, re.S)
    assert texts is not None and texts.group(1).count("<li>") == 50
    assert "Trang 1/3" in first and "trang-c3=2" in first
    last = client.get(url, {"trang-c3": "3"}).content.decode()
    texts = re.search(r'data-testid="sur-texts-3">(.*?)</ol>', last, re.S)
    assert texts is not None and texts.group(1).count("<li>") == 20
    assert "Trang 3/3" in last
    assert client.get(url, {"trang-c3": "abc"}).status_code == 200
    # the stacked bars and the number cross-tabulation by sector
    assert 'data-testid="sur-stacked"' in first and "sur-seg-0" in first
    assert 'data-testid="sur-number-cross"' in first
    # the .xlsx keeps every text
    from openpyxl import load_workbook

    body = client.get(reverse("surveys:tabulation_export", args=[q.pk])).content
    book = load_workbook(io.BytesIO(body), read_only=True)
    values = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True)
              for c in row if isinstance(c, str) and c.startswith("Ý kiến số")]
    assert len(set(values)) == 120
    # and the number cross-tabulation by sector: 60 answers each side
    cross = [row for row in book["Bảng chéo"].iter_rows(values_only=True) if len(row) > 1]
    sectors = {row[0]: row[1] for row in cross if row[0] in ("Trường học", "Chưa xếp khu vực")
               and isinstance(row[1], int) and len(row) > 4 and row[4] is not None}
    assert sectors == {"Trường học": 60, "Chưa xếp khu vực": 60}


def test_sur2_free_text_pages_from_the_selector_hold_every_text_once(sur: SurWorld) -> None:
    """The page asks the selector for one page of free text (on PostgreSQL the database returns
    that page only): the pages together hold each non-blank text once, the count is all of
    them, a page past the end gives the last one, and the rest of the tabulation is unchanged."""
    from doanvu.surveys import selectors

    w, lead = sur.world, sur.lead
    today = dt.date.today()
    sur.theme.opens_on, sur.theme.due_on, sur.theme.closes_on = today, today, today
    sur.theme.save()
    q = services.questionnaire_create(scope=scope(lead), actor=lead, theme=sur.theme,
                                      title="Ý kiến", audience=Audience.MEMBERS)
    services.question_add(scope=scope(lead), actor=lead, questionnaire=q, kind="single",
                          text="Có tham gia không?", options=["Có", "Không"])
    services.question_add(scope=scope(lead), actor=lead, questionnaire=q, kind="long",
                          text="Ý kiến")
    services.questionnaire_send(scope=scope(lead), actor=lead, questionnaire=q)
    version = services.current_version(q)
    AnonymousAnswer.objects.bulk_create([
        AnonymousAnswer(questionnaire=q, version=version,
                        unit=w.district_a if i % 2 else w.district_b,
                        answers={"c1": "Có" if i % 3 else "Không",
                                 **({"c2": f"Ý kiến {i:02d}"} if i % 4 else {"c2": "  "})})
        for i in range(23)])
    whole = selectors.tabulation(questionnaire=q)
    texts = sorted(whole.tables[1].texts)
    assert len(texts) == 17 and whole.tables[1].answered == 17
    seen: list[tuple[str, str]] = []
    for page in (1, 2, 3, 4):
        tab = selectors.tabulation(questionnaire=q, text_page=lambda _c, p=page: p,
                                   texts_per_page=5)
        assert tab.text_pages["c2"] == (page, 4)
        assert tab.tables[1].answered == 17
        assert len(tab.tables[1].texts) == (5 if page < 4 else 2)
        assert tab.tables[0] == whole.tables[0] and tab.by_child == whole.by_child
        seen += tab.tables[1].texts
    assert sorted(seen) == texts
    past = selectors.tabulation(questionnaire=q, text_page=lambda _c: 99, texts_per_page=5)
    assert past.text_pages["c2"] == (4, 4) and len(past.tables[1].texts) == 2
