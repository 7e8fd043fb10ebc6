"""INS-1: an annual inspection plan with rounds — purpose, content, units, window, the cluster
meeting it is tied to; pages scoped to the issuing unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.common.errors import ApplicationError
from doanvu.inspections import services
from doanvu.inspections.models import Round
from tests.conftest import login
from tests.inspections.conftest import Ins

D = dt.date


def test_ins1_a_round_holds_its_units_window_and_cluster_meeting(ins: Ins) -> None:
    r = ins.round
    assert [u.name for u in r.units.order_by("name")] == ["Huyện đoàn Châu Thành",
                                                          "Huyện đoàn Tân Biên"]
    assert (r.window_start, r.window_end, r.cluster_meeting) == (
        D(2020, 11, 9), D(2020, 11, 20), "Giao ban cụm cuối năm 2020")


def test_ins1_bad_rounds_are_refused_and_nothing_written(ins: Ins) -> None:
    w = ins.world
    kwargs = dict(actor=None, plan=ins.plan, title="Đợt 3", units=[w.district_a])
    with pytest.raises(ApplicationError, match=r"Ngày kết thúc đợt \(01/06/2020\) trước ngày "
                                               r"bắt đầu \(15/06/2020\)"):
        services.round_create(number=3, window_start=D(2020, 6, 15), window_end=D(2020, 6, 1),
                              **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ApplicationError, match="Kế hoạch đã có đợt 1"):
        services.round_create(number=1, window_start=D(2020, 6, 1), window_end=D(2020, 6, 15),
                              **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ApplicationError, match="Trung ương Đoàn không trực thuộc"):
        services.round_create(actor=None, plan=ins.plan, number=3, title="Đợt 3",
                              window_start=D(2020, 6, 1), window_end=D(2020, 6, 15),
                              units=[w.centre])
    with pytest.raises(ApplicationError, match="Hãy nhập tên đợt"):
        services.round_create(actor=None, plan=ins.plan, number=3, title="  ",
                              window_start=D(2020, 6, 1), window_end=D(2020, 6, 15), units=[])
    assert Round.objects.count() == 1


def test_ins1_only_the_issuer_writes_rounds(ins: Ins) -> None:
    with pytest.raises(ApplicationError):
        services.round_create(actor=ins.world.district_a_cadre, plan=ins.plan, number=2,
                              title="Đợt 2", window_start=D(2020, 6, 1),
                              window_end=D(2020, 6, 15), units=[])
    assert Round.objects.count() == 1


def test_ins1_plan_pages_for_the_issuer_and_404_for_others(ins: Ins) -> None:
    w = ins.world
    c = login(w.province_secretary)
    listing = c.get(reverse("inspections:plan_list")).content.decode()
    assert "Kế hoạch kiểm tra năm 2020 của Tỉnh đoàn Tây Ninh" in listing
    detail = c.get(reverse("inspections:plan_detail", args=[ins.plan.pk]))
    assert detail.status_code == 200
    assert "Kiểm tra định kỳ đợt 2 năm 2020" in detail.content.decode()
    assert c.get(reverse("inspections:round_detail", args=[ins.round.pk])).status_code == 200
    for user in (w.outsider, w.district_b_cadre, w.branch_secretary):
        o = login(user)
        assert "Tỉnh đoàn Tây Ninh" not in o.get(reverse("inspections:plan_list")).content.decode()
        for name, pk in (("plan_detail", ins.plan.pk), ("round_detail", ins.round.pk),
                         ("round_calendar", ins.round.pk), ("team_create", ins.round.pk),
                         ("team_detail", ins.team1.pk)):
            assert o.get(reverse(f"inspections:{name}", args=[pk])).status_code == 404, name


def test_ins1_a_team_member_reads_the_round(ins: Ins) -> None:
    c = login(ins.head_user)  # no grant at all: reads as the head of team 1
    assert c.get(reverse("inspections:round_detail", args=[ins.round.pk])).status_code == 200
    assert c.get(reverse("inspections:team_create", args=[ins.round.pk])).status_code == 404


def test_ins1_plan_and_round_forms(ins: Ins) -> None:
    w = ins.world
    c = login(w.province_secretary)
    listing = c.get(reverse("inspections:plan_list")).content.decode()
    assert reverse("inspections:plan_create", args=[w.province.pk]) in listing
    url = reverse("inspections:plan_create", args=[w.province.pk])
    bad = c.post(url, {"year": "abc", "title": ""})
    assert bad.status_code == 400 and "Hãy nhập thông tin này." in bad.content.decode()
    assert c.post(url, {"year": "2021", "title": "Kế hoạch kiểm tra năm 2021"}).status_code == 302
    from doanvu.inspections.models import InspectionPlan

    plan = InspectionPlan.objects.get(year=2021)
    round_url = reverse("inspections:round_create", args=[plan.pk])
    form = c.get(round_url).content.decode()
    assert "Huyện đoàn Châu Thành" in form and "Đoàn xã Thái Bình" not in form  # direct units
    wrong = c.post(round_url, {"number": "1", "title": "Đợt 1", "window_start": "30/06/2021",
                               "window_end": "01/06/2021", "units": [w.district_a.pk]})
    assert wrong.status_code == 400
    assert "Ngày kết thúc đợt (01/06/2021) trước ngày bắt đầu (30/06/2021)." in \
        wrong.content.decode()
    ok = c.post(round_url, {"number": "1", "title": "Đợt 1", "window_start": "01/06/2021",
                            "window_end": "15/06/2021", "units": [w.district_a.pk],
                            "cluster_meeting": "Giao ban cụm 6 tháng",
                            "cluster_meeting_on": "12/06/2021"})
    assert ok.status_code == 302
    assert list(Round.objects.get(plan=plan).units.values_list("name", flat=True)) == [
        "Huyện đoàn Châu Thành"]
    for user in (w.outsider, w.district_a_cadre):
        o = login(user)
        assert o.get(url).status_code == 404
        assert o.post(round_url, {"number": "2", "title": "X", "window_start": "01/07/2021",
                                  "window_end": "02/07/2021",
                                  "units": [w.district_a.pk]}).status_code == 404
    assert Round.objects.filter(plan=plan).count() == 1
