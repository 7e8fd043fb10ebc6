"""IND-2: a unit's dashboard — owner and reader see it, the outsider gets 404."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import login
from tests.targets.conftest import TargetsWorld


def test_ind2_dashboard_shows_value_goal_and_the_units_behind(tw: TargetsWorld) -> None:
    w = tw.mw.world
    page = login(w.province_secretary).get(reverse("targets:dashboard", args=[w.province.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('data-testid="target"') == 4
    assert "Chưa đạt" in body and "Đạt" in body
    assert reverse("targets:dashboard", args=[w.district_b.pk]) in body  # drill-down
    assert "<svg" in body and "style=" not in body


def test_ind2_drill_down_to_a_district_shows_its_communes(tw: TargetsWorld) -> None:
    w = tw.mw.world
    page = login(w.district_a_cadre).get(reverse("targets:dashboard", args=[w.district_a.pk]))

    assert page.status_code == 200
    assert "Đoàn xã Thái Bình" in page.content.decode()


def test_ind2_outsider_gets_404(tw: TargetsWorld) -> None:
    w = tw.mw.world
    for user, unit in ((w.outsider, w.province), (w.district_b_cadre, w.district_a),
                       (w.district_a_cadre, w.province)):
        assert login(user).get(reverse("targets:dashboard", args=[unit.pk])).status_code == 404
    assert login(w.district_b_cadre).get("/chi-tieu/don-vi/999999/").status_code == 404


def test_ind2_dashboard_queries_are_bounded(
        tw: TargetsWorld, django_assert_max_num_queries: object) -> None:
    w = tw.mw.world
    client = login(w.province_secretary)
    url = reverse("targets:dashboard", args=[w.province.pk])
    # 4 targets × (this year + last year) through members' grouped reads, each reading the
    # tree as of its day (unit versions); not yet tuned
    with django_assert_max_num_queries(120):  # type: ignore[operator]
        assert client.get(url).status_code == 200


def test_ind1_writer_sets_a_target_from_the_dashboard(tw: TargetsWorld) -> None:
    from doanvu.targets.models import Target

    w = tw.mw.world
    client = login(w.district_a_cadre)
    url = reverse("targets:target_create", args=[w.district_a.pk])
    data = {"name": "100% đoàn viên đăng ký rèn luyện", "goal": "100", "due_on": "31/12/2024",
            "scope_unit": str(w.district_a.pk), "formula": "training_registration",
            "year": "2024"}

    assert "Giao chỉ tiêu" in client.get(
        reverse("targets:dashboard", args=[w.district_a.pk])).content.decode()
    response = client.post(url, data, follow=True)

    made = Target.objects.get(unit=w.district_a)
    assert (made.formula, made.params, made.goal) == ("training_registration", {"year": 2024},
                                                      100)
    assert "Đã giao chỉ tiêu." in response.content.decode()
    bad = client.post(url, {**data, "goal": "một trăm"}, follow=True)
    assert "Giá trị chỉ tiêu phải là một số." in bad.content.decode()
    assert Target.objects.filter(unit=w.district_a).count() == 1


def test_ind1_outsider_and_reader_cannot_set_targets(tw: TargetsWorld) -> None:
    from doanvu.targets.models import Target

    w = tw.mw.world
    before = Target.objects.count()
    data = {"name": "x", "goal": "1", "due_on": "31/12/2024", "scope_unit": str(w.district_a.pk)}
    for user in (w.district_b_cadre, w.outsider, w.branch_secretary):
        url = reverse("targets:target_create", args=[w.district_a.pk])
        assert login(user).post(url, data).status_code == 404
    assert Target.objects.count() == before
