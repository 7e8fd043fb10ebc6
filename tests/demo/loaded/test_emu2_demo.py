"""EMU-2 in the demo: HCMC's 2020 sheets at every stage — the districts' taken through
self-score, submission, the departments' scores, the three component files of seed 001,
bonus/penalty and an inspection adjustment to final (their ranking is published, EMU-7's demo);
the workers' group still at every stage — and the pages open for those they concern."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from doanvu.accounts.models import User
from doanvu.emulation import component_requests as cr
from doanvu.emulation import scoring
from doanvu.emulation.models import (
    ComponentImport,
    ComponentRequest,
    LineSource,
    Rubric,
    ScoreLine,
    ScoreSheet,
)
from tests.conftest import login
from tests.e2e.layout_sweep import forbidden_tokens


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_emu2_demo_has_sheets_at_every_stage_that_add_up(demo: None) -> None:
    sheets = list(ScoreSheet.objects.filter(rubric__issuing_unit__name="Thành đoàn TP. Hồ Chí "
                                                                        "Minh", year=2020)
                  .select_related("unit", "rubric"))
    states = Counter(s.state for s in sheets)
    q1 = next(s for s in sheets if s.unit.name == "Quận đoàn 1")
    result = scoring.sheet_result(q1)
    sources = {o.source for o in result.origins}

    assert {"tu_cham", "da_nop", "ban_cham", "da_kiem_tra", "chinh_thuc"} <= set(states)
    assert q1.state == "chinh_thuc"  # the districts' year is closed (EMU-6, EMU-7)
    # every criterion of the scale has a responsible department: its score is the one counted
    assert {"ban_cham", "nhap_tu_tep", "dieu_chinh", "thuong", "tru"} <= sources
    # 16 criteria less the 3 component results
    assert ScoreLine.objects.filter(sheet=q1, source=LineSource.SELF).count() == 13
    assert sum(o.points for o in result.origins) == result.total
    assert ComponentImport.objects.count() == 3
    assert ScoreLine.objects.filter(source=LineSource.DEPARTMENT,
                                    by__username="hcm_bantochuc").exists()


def test_emu2_demo_pages_open_for_the_unit_the_city_and_the_department(demo: None) -> None:
    q1 = ScoreSheet.objects.get(unit__name="Quận đoàn 1", year=2020)
    other = ScoreSheet.objects.filter(year=2020).exclude(pk=q1.pk).first()
    assert other is not None
    btc = q1.rubric.issuing_unit.departments.get(short_name="BTC")

    unit_page = _client("hcm_quan1").get(reverse("emulation:sheet_detail", args=[q1.pk]))
    foreign = _client("hcm_quan1").get(reverse("emulation:sheet_detail", args=[other.pk]))
    worklist = _client("hcm_bantochuc").get(reverse("emulation:department_worklist",
                                                    args=[btc.pk]))
    city = _client("hcm_bithu")
    city_pages = [city.get(reverse("emulation:sheet_list", args=[q1.rubric_id])),
                  city.get(reverse("emulation:sheet_detail", args=[q1.pk])),
                  city.get(reverse("emulation:component_import", args=[q1.rubric_id]))]

    assert unit_page.status_code == 200 and foreign.status_code == 404
    text = unit_page.content.decode()
    assert "Kết luận đoàn kiểm tra số 3" in text and "Nguyễn Hữu Lộc" in text
    # the districts' sheets are final: the worklist holds the workers' group, still open
    listed = worklist.content.decode()
    assert worklist.status_code == 200 and "Quận đoàn 1" not in listed
    assert "Đoàn Khu Chế xuất và Công nghiệp Thành phố" in listed
    assert [p.status_code for p in city_pages] == [200, 200, 200]
    assert forbidden_tokens(text) == []


def test_emu2_demo_has_seed_001s_three_requests_delivered_one_late(demo: None) -> None:
    rubric = ComponentRequest.objects.values_list("rubric", flat=True).distinct().get()
    rows = {r.request.criterion_codes[0]: r for r in cr.request_rows(
        rubric=Rubric.objects.get(pk=rubric), on=dt.date(2020, 12, 1))}

    assert {code: (r.request.owed_by.short_name, r.request.due_on, r.state)
            for code, r in rows.items()} == {
        "4.1": ("VP", dt.date(2020, 11, 6), "da_nop"),
        "5.2": ("BTN", dt.date(2020, 11, 4), "da_nop"),
        "6.1": ("HLHTN", dt.date(2020, 11, 4), "da_nop")}
    assert rows["5.2"].request.owed_to is not None
    assert rows["5.2"].request.owed_to.short_name == "VP"
    assert rows["5.2"].label == "Đã nộp 05/11/2020 (muộn 1 ngày)" and rows["5.2"].late
    assert not rows["6.1"].late
    assert rows["6.1"].label == "Đã nộp 04/11/2020"
    assert all(r.request.delivered_by is not None for r in rows.values())
    page = login(User.objects.get(username="hcm_vanphong")).get(
        reverse("emulation:component_import", args=[rubric])).content.decode()
    assert "muộn 1 ngày" in page and "Nhà Thiếu nhi" in page
    form = login(User.objects.get(username="hcm_vanphong")).get(
        reverse("emulation:component_request_create", args=[rubric]))
    assert form.status_code == 200
    assert login(User.objects.get(username="hcm_quan1")).get(
        reverse("emulation:component_request_create", args=[rubric])).status_code == 404

pytestmark = pytest.mark.django_db
