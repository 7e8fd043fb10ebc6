"""HUB-5 dashboard with a server-rendered chart; HUB-6 timeliness like DHIS2 reporting rates."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.urls import reverse

from doanvu.accounts.scope import Scope
from doanvu.common.dates import today
from doanvu.common.periods import Period
from doanvu.hub import selectors, services
from doanvu.hub.exporters import TIMELINESS_HEADERS
from doanvu.hub.models import Obligation
from tests.conftest import World, login

from .conftest import at, make_ob

D = dt.date
Y2020 = Period.of_year(2020)


@dataclass
class Reports:
    world: World


def _quarter_report(world: World, unit: object, q: int, *, year: int = 2020,
                    due: dt.date | None = None) -> Obligation:
    period = Period.quarter(year, q)
    return make_ob(by=unit, to=world.district_a, title=f"Báo cáo {period}",  # type: ignore[arg-type]
                   due=due or period.next().start + dt.timedelta(days=14), period=period,
                   kind="bao_cao_quy", kind_label="Báo cáo kết quả đi cơ sở hằng quý")


def _submit(ob: Obligation, day: dt.date) -> None:
    services.obligation_submit(actor=None, obligation=ob, text="Báo cáo", at=at(day, 16))


@pytest.fixture
def reports(world: World) -> Reports:
    """Thái Bình: Q1 on time, Q2 two days late, Q3 missing, Q4 waived; an annual report on
    time. Hảo Đước: Q1–Q3 on time (Q3 on the due date itself), Q4 not yet due; an undated-period
    report due in 2020, missing. Outside the period or the reader's scope: not counted."""
    w = world
    a1, a2 = w.commune_a1, w.commune_a2
    q1 = _quarter_report(w, a1, 1)
    _submit(q1, q1.due_on - dt.timedelta(days=3))
    q2 = _quarter_report(w, a1, 2)
    _submit(q2, q2.due_on + dt.timedelta(days=2))
    _quarter_report(w, a1, 3)
    q4 = _quarter_report(w, a1, 4)
    services.obligation_waive(actor=None, obligation=q4, note="Sáp nhập")
    annual = make_ob(by=a1, to=w.district_a, title="Báo cáo năm 2020", due=D(2020, 10, 10),
                     period=Y2020, kind="bao_cao_nam", kind_label="Báo cáo kết quả đi cơ sở năm")
    _submit(annual, D(2020, 10, 8))
    services.obligation_accept(actor=None, obligation=annual)
    for q in (1, 2, 3):
        ob = _quarter_report(w, a2, q)
        _submit(ob, ob.due_on)
    _quarter_report(w, a2, 4, due=today() + dt.timedelta(days=10))
    make_ob(by=a2, to=w.district_a, title="Báo cáo đột xuất", due=D(2020, 12, 1),
            kind="bao_cao_nam", kind_label="Báo cáo kết quả đi cơ sở năm")
    _quarter_report(w, a2, 1, year=2021)  # another year
    make_ob(by=w.commune_b1, to=w.district_a, title="Báo cáo lạc chỗ", due=D(2020, 4, 15),
            period=Period.quarter(2020, 1), kind="bao_cao_quy",
            kind_label="Báo cáo kết quả đi cơ sở hằng quý")  # not readable by district A
    return Reports(world)


def test_hub6_timeliness_shares_per_lower_unit_and_kind(reports: Reports) -> None:
    w = reports.world
    scope = Scope.for_user(w.district_a_cadre)

    table = selectors.timeliness_table(scope=scope, unit=w.district_a, period=Y2020,
                                       as_of=today())
    rows = [(r.owed_by, r.kind, r.counts.expected, r.counts.on_time, r.counts.late,
             r.counts.missing, r.counts.pending) for r in table.rows]
    totals = {r.kind: r.counts for r in table.totals}

    assert rows == [
        ("Đoàn xã Hảo Đước", "bao_cao_nam", 1, 0, 0, 1, 0),
        ("Đoàn xã Hảo Đước", "bao_cao_quy", 3, 3, 0, 0, 1),
        ("Đoàn xã Thái Bình", "bao_cao_nam", 1, 1, 0, 0, 0),
        ("Đoàn xã Thái Bình", "bao_cao_quy", 3, 1, 1, 1, 0),
    ]
    thai_binh = table.rows[3].counts
    assert (thai_binh.share_on_time, thai_binh.share_late, thai_binh.share_missing) == (
        1 / 3, 1 / 3, 1 / 3)
    assert (totals["bao_cao_quy"].expected, totals["bao_cao_quy"].on_time) == (6, 4)
    assert totals["bao_cao_quy"].share_on_time == 4 / 6
    assert (totals["bao_cao_nam"].share_on_time, totals["bao_cao_nam"].share_missing) == (0.5, 0.5)


def test_hub6_a_units_own_timeliness_for_scoring(reports: Reports) -> None:
    counts = selectors.unit_timeliness(unit=reports.world.commune_a1, kind="bao_cao_quy",
                                       period=Y2020, as_of=today())

    assert (counts.expected, counts.on_time, counts.late, counts.missing) == (3, 1, 1, 1)


def test_hub5_dashboard_renders_svg_chart_and_timeliness_table(reports: Reports) -> None:
    w = reports.world
    client = login(w.district_a_cadre)

    response = client.get(reverse("hub:unit_dashboard", args=[w.district_a.pk]),
                          {"ky": "năm 2020"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "Bảng điều khiển: Huyện đoàn Châu Thành" in html
    assert '<svg class="chart"' in html
    assert "<script" not in html.split("<main")[1]
    assert 'class="bar-ontime"' in html and 'class="bar-late"' in html
    assert "Đoàn xã Thái Bình" in html
    assert "33,3%" in html
    assert "66,7%" in html  # bao_cao_quy total on time: 4 of 6
    assert "Tân Lập" not in html
    assert "Báo cáo lạc chỗ" not in html


def test_hub5_monthly_counts_on_time_late_and_open(reports: Reports) -> None:
    w = reports.world
    months = selectors.monthly_counts(scope=Scope.for_user(w.district_a_cadre),
                                      unit=w.district_a, direction="to", period=Y2020,
                                      today=today())
    by_month = {m.month.index: (m.on_time, m.late, m.open) for m in months if m.total}

    # due 15/4 (two Q1 on time), 15/7 (Thái Bình late, Hảo Đước on time), 15/10 (Thái Bình
    # missing, Hảo Đước on time, the annual on time 10/10), 1/12 (missing)
    assert by_month == {4: (2, 0, 0), 7: (1, 1, 0), 10: (2, 1, 0), 12: (0, 1, 0)}
    assert len(months) == 12


def test_hub6_timeliness_exports_to_xlsx_with_vietnamese_headers(reports: Reports) -> None:
    from openpyxl import load_workbook

    w = reports.world
    client = login(w.district_a_cadre)

    response = client.get(reverse("hub:timeliness_export", args=[w.district_a.pk]),
                          {"ky": "2020-Y"})
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert f'filename="dung-han-{w.district_a.pk}-2020-Y.xlsx"' in response["Content-Disposition"]
    assert rows[0][0] == "Tính đúng hạn của các việc phải nộp cho Huyện đoàn Châu Thành – năm 2020"
    assert list(rows[2]) == TIMELINESS_HEADERS
    assert TIMELINESS_HEADERS[:3] == ["Đơn vị thực hiện", "Loại việc", "Phải nộp"]
    assert list(rows[6]) == ["Đoàn xã Thái Bình", "Báo cáo kết quả đi cơ sở hằng quý", 3, 1, 1, 1,
                             1 / 3, 1 / 3, 1 / 3, 0]
    assert rows[-1][0] == "Tổng cộng"
    assert all("Tân Lập" not in str(c) for row in rows for c in row)


def test_hub6_dashboard_and_export_are_404_for_another_district(reports: Reports) -> None:
    w = reports.world
    client = login(w.district_b_cadre)

    dashboard = client.get(reverse("hub:unit_dashboard", args=[w.district_a.pk]))
    export = client.get(reverse("hub:timeliness_export", args=[w.district_a.pk]))
    owed = client.get(reverse("hub:unit_obligations", args=[w.district_a.pk]))

    assert [dashboard.status_code, export.status_code, owed.status_code] == [404, 404, 404]
    assert "Châu Thành" not in dashboard.content.decode()


def test_hub5_junk_period_falls_back_to_this_year_with_a_message(world: World) -> None:
    client = login(world.province_secretary)

    response = client.get(reverse("hub:unit_dashboard", args=[world.province.pk]),
                          {"ky": "quý V/2020"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "Kỳ “quý V/2020” không hợp lệ." in html
    assert f"Việc phải nộp cho đơn vị, năm {today().year}" in html


def test_hub6_timeliness_as_of_a_past_day_counts_later_reports_as_missing(
    reports: Reports,
) -> None:
    w = reports.world
    scope = Scope.for_user(w.district_a_cadre)

    table = selectors.timeliness_table(scope=scope, unit=w.district_a, period=Y2020,
                                       as_of=D(2020, 7, 16))
    rows = {(r.owed_by, r.kind): (r.counts.expected, r.counts.on_time, r.counts.late,
                                  r.counts.missing, r.counts.pending) for r in table.rows}

    # Thái Bình's Q2 report came on 17/7: on 16/7 it was missing; Q3 was not yet due
    assert rows[("Đoàn xã Thái Bình", "bao_cao_quy")] == (2, 1, 0, 1, 1)
    assert rows[("Đoàn xã Hảo Đước", "bao_cao_quy")] == (2, 2, 0, 0, 2)
    assert rows[("Đoàn xã Thái Bình", "bao_cao_nam")] == (0, 0, 0, 0, 1)


def test_hub5_other_modules_add_panels_to_the_dashboard(world: World) -> None:
    from doanvu.hub import charts
    from doanvu.hub.dashboard import Panel, register_panel, unregister_panel

    def members(*, scope: Scope, unit: object, period: Period, as_of: dt.date) -> Panel | None:
        if not scope.can("read", unit):
            return None
        body = charts.stacked_bars(labels=["2019", "2020"], title="Đoàn viên <theo năm>",
                                   series=[charts.Series("Kết nạp", "bar-ontime", [12, 30])])
        return Panel(title="Đoàn viên kết nạp", body=body)

    register_panel("test.members", members)
    try:
        html = login(world.district_a_cadre).get(
            reverse("hub:unit_dashboard", args=[world.district_a.pk])).content.decode()
    finally:
        unregister_panel("test.members")

    assert "<h2>Đoàn viên kết nạp</h2>" in html
    assert "Đoàn viên &lt;theo năm&gt;" in html
    assert "<title>2020: 30 kết nạp</title>" in html


def test_hub5_dashboard_edges_never_fail(world: World) -> None:
    client = login(world.province_secretary)
    url = reverse("hub:unit_dashboard", args=[world.province.pk])
    export = reverse("hub:timeliness_export", args=[world.province.pk])

    answers = [client.get(url, {"ky": k, "ngay": d}).status_code
               for k in ("năm 2200", "năm 1900", "năm học 2199 – 2200", "tháng 12/2200", "x")
               for d in ("01/01/0001", "31/12/9999", "", "ngày mai")]
    exported = [client.get(export, {"ky": k}).status_code for k in ("2200-Y", "1900-Q1", "zz")]

    assert set(answers) == {200}
    # a file never holds another period than the one asked for: a wrong one refuses (issue 10)
    assert exported == [200, 200, 400]


def test_hub5_dashboard_names_deadline_policies_without_their_internal_codes(
        world: World) -> None:
    """Issue 10, item 5: a cadre reads "Báo cáo năm", never a key such as fv.annual_report."""
    from doanvu.hub import rules

    policy = services.policy_create(
        unit=world.province, code="fv.annual_report", title="Báo cáo kết quả đi cơ sở năm",
        rule=rules.DueRule.fixed(D(2020, 10, 10)), valid_from=D(2018, 1, 1))

    html = login(world.district_a_cadre).get(
        reverse("hub:unit_dashboard", args=[world.district_a.pk])).content.decode()

    assert "Báo cáo kết quả đi cơ sở năm" in html
    assert "fv.annual_report" not in html
    assert str(policy) == "Báo cáo kết quả đi cơ sở năm"


# -- the bounded timeliness table of a unit with many sub-units (issue 11) ------------------------


@pytest.fixture
def crowd(reports: Reports) -> Reports:
    """Châu Thành gets 55 more communes, each with its Q1/2020 report sent on time, and one
    more, Phước Đông, whose Q1 report is missing: 60 rows, more than a page."""
    from doanvu.org import services as org_services
    from tests.conftest import kind

    w = reports.world
    for i in range(1, 57):
        name = f"Đoàn xã Số {i:02d}" if i < 56 else "Đoàn xã Phước Đông"
        commune = org_services.unit_create(actor=None, parent=w.district_a, name=name,
                                           kind=kind("co_so"), founded_on=w.district_a.founded_on,
                                           sector="dan_cu_nong_thon")
        ob = _quarter_report(w, commune, 1)
        if i < 56:
            _submit(ob, ob.due_on - dt.timedelta(days=1))
    return reports


def _page(w: World, **params: object) -> selectors.TimelinessPage:
    return selectors.timeliness_page(scope=Scope.for_user(w.district_a_cadre),
                                     unit=w.district_a, period=Y2020, as_of=today(),
                                     **params)  # type: ignore[arg-type]


def test_hub6_a_long_table_shows_one_page_needing_attention_first(crowd: Reports) -> None:
    w = crowd.world

    first, second = _page(w), _page(w, page=2)

    assert first.paged and first.state_counts[""] == 60
    assert len(first.rows) == selectors.TIMELINESS_PAGE_SIZE == 50
    assert first.has_next and not second.has_next and (first.num_pages, second.page) == (2, 2)
    head = [(r.owed_by, r.kind, r.counts.missing, r.counts.late) for r in first.rows[:4]]
    assert head == [  # missing first, then late, then by name
        ("Đoàn xã Thái Bình", "bao_cao_quy", 1, 1),
        ("Đoàn xã Hảo Đước", "bao_cao_nam", 1, 0),
        ("Đoàn xã Phước Đông", "bao_cao_quy", 1, 0),
        ("Đoàn xã Hảo Đước", "bao_cao_quy", 0, 0),
    ]
    seen = [(r.owed_by, r.kind) for r in first.rows + second.rows]
    assert len(seen) == len(set(seen)) == 60
    # the summary and the totals cover every row, not the page shown
    assert (first.summary.expected, first.summary.on_time, first.summary.late,
            first.summary.missing) == (64, 60, 1, 3)
    assert {r.kind: r.counts.expected for r in second.totals} == {"bao_cao_quy": 62,
                                                                  "bao_cao_nam": 2}


def test_hub6_the_long_table_filters_by_state_and_folded_name(crowd: Reports) -> None:
    w = crowd.world

    missing = _page(w, state="chua-nop")
    late = _page(w, state="nop-muon")
    found = _page(w, query="PHUOC dong")
    none = _page(w, query="không có xã này")

    assert [r.owed_by for r in missing.rows] == [
        "Đoàn xã Thái Bình", "Đoàn xã Hảo Đước", "Đoàn xã Phước Đông"]
    assert (missing.state_counts["chua-nop"], missing.state_counts["dung-han"]) == (3, 57)
    assert [r.owed_by for r in late.rows] == ["Đoàn xã Thái Bình"]
    assert [r.owed_by for r in found.rows] == ["Đoàn xã Phước Đông"]
    assert (found.state_counts[""], found.state_counts["chua-nop"]) == (1, 1)
    assert none.rows == [] and not none.has_next
    assert found.summary.expected == none.summary.expected == 64  # the search bounds rows only


def test_hub6_the_page_costs_the_same_queries_however_many_rows(crowd: Reports) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = crowd.world
    district, province = Scope.for_user(w.district_a_cadre), Scope.for_user(w.province_secretary)
    with CaptureQueriesContext(connection) as long_table:
        selectors.timeliness_page(scope=district, unit=w.district_a, period=Y2020, as_of=today(),
                                  state="chua-nop", query="xa")
    with CaptureQueriesContext(connection) as short_table:
        selectors.timeliness_page(scope=province, unit=w.province, period=Y2020, as_of=today())

    assert len(long_table) == len(short_table) == 2
    assert " LIMIT 51" in long_table[-1]["sql"]


def test_hub6_dashboard_pages_the_long_table_with_working_links(crowd: Reports) -> None:
    w = crowd.world
    client = login(w.district_a_cadre)
    url = reverse("hub:unit_dashboard", args=[w.district_a.pk])

    html = client.get(url, {"ky": "2020-Y"}).content.decode()
    table = html.split('data-testid="timeliness-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
    next_href = html.split('data-testid="timeliness-next"')[0].rsplit('href="', 1)[1]
    second = client.get(url + next_href.split('"')[0].replace("&amp;", "&")).content.decode()
    filtered = client.get(url, {"ky": "2020-Y", "loc": "chua-nop", "q": "phuoc"}).content.decode()

    assert table.count("<tr>") == 50
    assert table.index("Đoàn xã Thái Bình") < table.index("Đoàn xã Số 01")
    assert "Đoàn xã Số 55" not in table
    assert "Đoàn xã Số 55" in second and "Trang 2/2" in second
    assert 'data-testid="timeliness-next"' not in second
    assert 'data-testid="timeliness-summary"' in html and "<dd>64</dd>" in html
    rows = filtered.split("<tbody>")[-1].split("</tbody>")[0]
    assert rows.count("<tr>") == 1 and "Đoàn xã Phước Đông" in rows
    assert "<dd>64</dd>" in filtered  # the summary still covers every sub-unit
    assert 'value="phuoc"' in filtered


def test_hub6_a_short_table_is_shown_whole_in_name_order_without_pager(reports: Reports) -> None:
    w = reports.world
    page = _page(w, page=7)
    html = login(w.district_a_cadre).get(reverse("hub:unit_dashboard", args=[w.district_a.pk]),
                                         {"ky": "2020-Y"}).content.decode()
    whole = selectors.timeliness_table(scope=Scope.for_user(w.district_a_cadre),
                                       unit=w.district_a, period=Y2020, as_of=today())

    assert not page.paged and page.page == 1 and not page.has_next
    assert page.rows == whole.rows and page.totals == whole.totals
    assert 'data-testid="timeliness-states"' not in html
    assert 'data-testid="timeliness-pager"' not in html


def test_hub6_junk_page_state_and_search_never_fail(crowd: Reports) -> None:
    w = crowd.world
    client = login(w.district_a_cadre)
    url = reverse("hub:unit_dashboard", args=[w.district_a.pk])

    answers = [client.get(url, {"ky": "2020-Y", "trang": t, "loc": s, "q": q})
               for t in ("0", "-1", "999999", "x", "²", "9" * 40)
               for s in ("", "khong-co", "chua-nop")
               for q in ("", "%_\\", "x" * 5000)]
    last = _page(w, page=999999)

    assert {a.status_code for a in answers} == {200}
    assert (last.page, len(last.rows), last.has_next) == (2, 10, False)
    assert _page(w, state="khong-co").state == ""
    assert _page(w, query="%").rows == []  # a % is a character to find, not a wildcard
