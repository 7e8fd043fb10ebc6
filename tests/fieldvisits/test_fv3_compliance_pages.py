"""FV-3/FV-4/FV-11 pages: a cadre's year (arithmetic, days, by level, branch meetings, "1+2",
more than the minimum, the missing sentence, exempt as exempt), a unit's table by department
with its chart and .xlsx export, the recompute button, the roll-up; outsiders get 404 and read
nothing foreign."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from doanvu.fieldvisits.models import Compliance
from doanvu.fieldvisits.recompute import recompute
from tests.conftest import login
from tests.fieldvisits.compliance_fixtures import FV, YEAR, fv  # noqa: F401


def url(name: str, pk: int) -> str:
    return reverse(f"fieldvisits:{name}", args=[pk]) + f"?nam={YEAR}"


def test_the_cadres_page(fv: FV) -> None:  # noqa: F811
    body = login(fv.goer_user).get(url("compliance_person", fv.goer.pk)).content.decode()
    assert "60 ngày/năm theo chế độ." in body
    assert "62 ngày" in body and "+2 ngày" in body and "Đạt" in body
    assert "cấp huyện" in body and "Chủ trương “1+2”" in body
    assert 'data-testid="fv-chart"' in body and "<svg" in body
    short = login(fv.world.province_secretary).get(url("compliance_person", fv.short.pk))
    assert ("Thiếu 12 ngày; chưa dự sinh hoạt chi đoàn ấp, khu phố; chưa đi cấp huyện."
            in short.content.decode())
    mother = login(fv.world.province_secretary).get(url("compliance_person", fv.mother.pk))
    assert "60 ngày × 6/12 tháng = 30 ngày, vì nghỉ thai sản 01/01–30/06" in \
        mother.content.decode()
    clerk = login(fv.world.province_secretary).get(url("compliance_person", fv.clerk.pk))
    text = clerk.content.decode()
    assert "Không áp dụng" in text and "Văn thư" in text and "Chưa đạt" not in text


def test_the_unit_table_button_and_export(fv: FV) -> None:  # noqa: F811
    client = login(fv.world.province_secretary)
    empty = client.get(url("compliance_unit", fv.world.province.pk)).content.decode()
    assert 'data-testid="fv-empty"' in empty and 'data-testid="fv-recompute"' in empty
    answer = client.post(url("compliance_recompute", fv.world.province.pk))
    assert answer.status_code == 302
    assert Compliance.objects.filter(year=YEAR, unit=fv.world.province).count() == 4
    body = client.get(url("compliance_unit", fv.world.province.pk)).content.decode()
    assert "Ban Tổ chức – Kiểm tra" in body and "Nguyễn Văn Đi" in body
    assert "vượt mức (62/60)" in body and "Không áp dụng" in body
    assert "Thiếu 12 ngày" in body and 'data-testid="fv-chart"' in body
    assert "Võ Văn Huyện" not in body  # a district's cadre is in the district's table
    xlsx = client.get(url("compliance_export", fv.world.province.pk))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    names = {row[1]: row for row in values[3:]}
    assert set(names) == {"Nguyễn Văn Đi", "Trần Thị Thiếu", "Lê Văn Thư", "Phạm Thị Mẹ"}
    assert names["Nguyễn Văn Đi"][4] == 62 and names["Nguyễn Văn Đi"][10] == "Đạt"
    assert names["Lê Văn Thư"][10] == "Không áp dụng"
    assert names["Trần Thị Thiếu"][11].startswith("Thiếu 12 ngày")


def test_a_reader_without_write_has_no_button(fv: FV) -> None:  # noqa: F811
    from tests.conftest import grant, make_user

    reader = make_user("chi_doc")
    grant(reader, "thanh_vien_doan_kiem_tra", fv.world.province)
    recompute(year=YEAR, unit=fv.world.province)
    client = login(reader)
    page = client.get(url("compliance_unit", fv.world.province.pk))
    assert page.status_code == 200 and 'data-testid="fv-recompute"' not in page.content.decode()
    assert client.post(url("compliance_recompute", fv.world.province.pk)).status_code == 404


def test_the_rollup(fv: FV) -> None:  # noqa: F811
    recompute(year=YEAR, unit=fv.world.centre)
    body = login(fv.world.province_secretary).get(
        url("compliance_rollup", fv.world.province.pk)).content.decode()
    assert "Cơ quan Tỉnh đoàn Tây Ninh" in body
    assert "Huyện đoàn Châu Thành" in body and "Huyện đoàn Tân Biên" in body
    national = login(fv.world.admin).get(url("compliance_rollup", fv.world.centre.pk))
    text = national.content.decode()
    assert "Tỉnh đoàn Tây Ninh" in text
    # 5 cadres: goer met, clerk exempt, three not met (short, mother, the district's cadre)
    assert '<th class="num">5</th><th class="num">1</th><th class="num">3</th>' \
           '<th class="num">1</th>' in text


def test_outsiders_get_404_and_read_nothing(fv: FV) -> None:  # noqa: F811
    recompute(year=YEAR, unit=fv.world.centre)
    w = fv.world
    pages = [url("compliance_person", fv.goer.pk), url("compliance_person", fv.clerk.pk),
             url("compliance_unit", w.province.pk), url("compliance_export", w.province.pk),
             url("compliance_rollup", w.province.pk), url("compliance_unit", w.district_a.pk),
             url("compliance_person", fv.district_cadre.pk)]
    for user in (w.outsider, w.district_b_cadre):
        client = login(user)
        for page in pages:
            answer = client.get(page)
            assert answer.status_code == 404, (user, page)
            text = answer.content.decode()
            assert "Nguyễn Văn Đi" not in text and "Tây Ninh" not in text
        assert client.post(url("compliance_recompute", w.province.pk)).status_code == 404
    # the district's reader reads its own cadre, not the province's
    own = login(w.district_a_cadre)
    assert own.get(url("compliance_person", fv.district_cadre.pk)).status_code == 200
    assert own.get(url("compliance_person", fv.goer.pk)).status_code == 404
    assert own.get(url("compliance_unit", w.province.pk)).status_code == 404


def test_junk_years_fall_back(fv: FV) -> None:  # noqa: F811
    client = login(fv.world.province_secretary)
    for junk in ("abc", "\x00", "99999", "-1"):
        answer = client.get(reverse("fieldvisits:compliance_unit", args=[fv.world.province.pk]),
                            {"nam": junk, "phong": junk})
        assert answer.status_code == 200
