"""IND-2 pages: a target's trend over the years (inline SVG), the units under the measured unit
with "chưa có số liệu" for those holding no data, and the semi-annual and annual reports as a
draft Báo cáo (DOCX/PDF through documents) and as .xlsx; outsiders get 404."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from doanvu.accounts.scope import Scope
from doanvu.common.periods import Period
from doanvu.documents.models import Document
from doanvu.targets import rules, selectors
from tests.conftest import login
from tests.targets.conftest import YEAR, TargetsWorld

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@given(st.integers(0, 10**6), st.one_of(st.none(), st.integers(0, 10**6)), st.booleans())
def test_ind2_no_data_only_for_nothing_to_count(count: int, denominator: int | None,
                                                entered: bool) -> None:
    empty = rules.no_data(count, denominator, entered=entered)
    if denominator is not None:
        assert empty == (denominator == 0)  # a share of nothing, whatever the count
    else:
        assert empty == (entered and count == 0)  # a count of courses held is a real 0
    assert rules.met_or_none(Decimal(count), Decimal(1), empty=empty) == (
        None if empty else count >= 1)


@pytest.mark.django_db
def test_ind2_trend_points_year_by_year(tw: TargetsWorld) -> None:
    w = tw.mw.world
    target = tw.targets[2]  # rèn luyện: two of district A's three registered in 2024 only
    points = selectors.target_points(scope=Scope.for_user(w.province_secretary),
                                     unit=w.province, target=target)

    assert [(p.year, p.value, p.empty) for p in points] == [
        (2021, Decimal("0.0"), False), (2022, Decimal("0.0"), False),
        (2023, Decimal("0.0"), False), (2024, Decimal("50.0"), False)]


@pytest.mark.django_db
def test_ind2_target_page_draws_the_trend_and_every_unit_under_it(tw: TargetsWorld) -> None:
    w = tw.mw.world
    target = tw.targets[2]
    page = login(w.district_a_cadre).get(
        reverse("targets:target_detail", args=[w.district_a.pk, target.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('data-testid="trend-point"') == 4
    assert 'class="chart target-trend"' in body and "style=" not in body
    assert "Năm 2024: 66,7 %" in body
    # Hảo Đước holds no members: "chưa có số liệu", not 0/0
    assert body.count('data-testid="target-part"') == 2
    assert "Đoàn xã Hảo Đước" in body and "chưa có số liệu" in body and "(0/0)" not in body


@pytest.mark.django_db
def test_ind2_dashboard_shows_units_without_data_as_no_data(tw: TargetsWorld) -> None:
    w = tw.mw.world
    district = login(w.district_a_cadre).get(
        reverse("targets:dashboard", args=[w.district_a.pk])).content.decode()
    commune = login(w.district_a_cadre).get(
        reverse("targets:dashboard", args=[w.commune_a2.pk])).content.decode()

    assert "Đoàn xã Hảo Đước" in district and "chưa có số liệu" in district
    # Hảo Đước itself: no branch, no member, no secretary — no figure is 0/0 or "Chưa đạt"
    # except the count of courses (none held is a real 0)
    assert "(0/0)" not in commune
    assert commune.count("Chưa có số liệu</span>") == 3
    assert commune.count('data-testid="target-verdict">Chưa đạt') == 1


@pytest.mark.django_db
def test_ind2_target_page_outsiders_get_404(tw: TargetsWorld) -> None:
    w = tw.mw.world
    target = tw.targets[0]
    for user, unit in ((w.outsider, w.province), (w.district_b_cadre, w.district_a),
                       (w.district_a_cadre, w.province)):
        url = reverse("targets:target_detail", args=[unit.pk, target.pk])
        assert login(user).get(url).status_code == 404
    assert login(w.province_secretary).get(
        reverse("targets:target_detail", args=[w.province.pk, 999999])).status_code == 404


@pytest.mark.django_db
def test_ind2_report_rows_measure_the_period_asked(tw: TargetsWorld) -> None:
    w = tw.mw.world
    scope = Scope.for_user(w.province_secretary)
    year = selectors.report_rows(scope=scope, unit=w.province, period=Period.of_year(YEAR))
    half = selectors.report_rows(scope=scope, unit=w.province, period=Period.half(YEAR, 1))

    assert [(r.row.measure.value, r.row.met, r.day) for r in year] == [
        (Decimal(1), True, dt.date(YEAR, 12, 31)), (Decimal("50.0"), False, dt.date(YEAR, 12, 31)),
        (Decimal("50.0"), False, dt.date(YEAR, 12, 31)),
        (Decimal("50.0"), False, dt.date(YEAR, 12, 31))]
    assert [r.row.previous for r in year] == [Decimal(0), Decimal("50.0"), Decimal("0.0"),
                                              Decimal("0.0")]
    # by 30/06 two branches had not met regularly for half a year yet
    assert half[0].day == dt.date(YEAR, 6, 30)
    assert half[0].row.measure.value == Decimal(1)  # the April course


@pytest.mark.django_db
def test_ind2_report_xlsx_holds_the_targets_and_the_units(tw: TargetsWorld) -> None:
    from openpyxl import load_workbook

    w = tw.mw.world
    url = reverse("targets:report_xlsx", args=[w.province.pk])
    response = login(w.province_secretary).get(url, {"bao-cao": "Y", "nam": str(YEAR)})

    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert f"chi-tieu-{w.province.pk}-{YEAR}-Y.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    targets = list(book.worksheets[0].iter_rows(values_only=True))
    assert targets[2][:3] == (tw.targets[0].name, 1, "lớp")
    assert targets[3][6] == "Chưa đạt" and len(targets) == 6
    units = list(book.worksheets[1].iter_rows(values_only=True))
    assert ("100% đoàn viên đăng ký rèn luyện", "Huyện đoàn Châu Thành", 66.7, 2, 3,
            "Chưa đạt") in units


@pytest.mark.django_db
def test_ind2_report_xlsx_bad_period_and_outsiders(tw: TargetsWorld) -> None:
    w = tw.mw.world
    url = reverse("targets:report_xlsx", args=[w.province.pk])
    bad = login(w.province_secretary).get(url, {"bao-cao": "Q", "nam": "abc"}, follow=True)

    assert bad.redirect_chain[-1][0] == reverse("targets:dashboard", args=[w.province.pk])
    body = bad.content.decode()
    assert "Báo cáo: Lựa chọn không hợp lệ: hãy chọn lại trong danh sách." in body
    assert "Năm: Hãy nhập một số nguyên, ví dụ 12." in body
    for user in (w.outsider, w.district_a_cadre, w.branch_secretary):
        assert login(user).get(url, {"bao-cao": "Y", "nam": str(YEAR)}).status_code == 404


@pytest.mark.django_db
def test_ind2_report_document_is_a_draft_bao_cao_in_union_format(tw: TargetsWorld) -> None:
    w = tw.mw.world
    client = login(w.province_secretary)
    url = reverse("targets:report_document", args=[w.province.pk])

    response = client.post(url, {"kind": "H", "year": str(YEAR)})

    doc = Document.objects.get(issuing_unit=w.province)
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:detail", args=[doc.pk])
    assert (doc.doc_type.code, doc.is_draft) == ("bao_cao", True)
    assert doc.title == ("Sơ kết 6 tháng đầu năm 2024 thực hiện chỉ tiêu nâng cao chất lượng "
                         "tổ chức cơ sở Đoàn trên địa bàn dân cư")
    text = str(doc.body)
    assert "100% đoàn viên đăng ký rèn luyện" in text and "Huyện đoàn Tân Biên" in text
    docx = client.get(reverse("documents:download", args=[doc.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


@pytest.mark.django_db
def test_ind2_report_document_bad_input_and_outsiders_change_nothing(tw: TargetsWorld) -> None:
    w = tw.mw.world
    url = reverse("targets:report_document", args=[w.province.pk])
    bad = login(w.province_secretary).post(url, {"kind": "H", "year": "năm nay"}, follow=True)

    assert "Năm: Hãy nhập một số nguyên, ví dụ 12." in bad.content.decode()
    for user in (w.outsider, w.district_a_cadre, w.branch_secretary):
        assert login(user).post(url, {"kind": "Y", "year": str(YEAR)}).status_code == 404
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_ind2_target_row_is_measured_as_on_the_dashboard(tw: TargetsWorld) -> None:
    w = tw.mw.world
    scope = Scope.for_user(w.province_secretary)
    upto = dt.date(YEAR + 1, 6, 30)
    rows = selectors.target_rows(scope=scope, unit=w.province, upto=upto)

    assert [selectors.target_row(scope=scope, unit=w.province, target=t, upto=upto)
            for t in tw.targets] == rows
