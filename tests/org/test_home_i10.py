"""Issue 10, item 4: the home page shows on its first screen what the cadre and their unit owe
(late first, with counts), what the lower units owe them, and the links their roles use most."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from doanvu.common.dates import today
from doanvu.hub import services as hub_services
from doanvu.hub.models import Obligation
from doanvu.org.models import Department, DepartmentCategory
from tests.conftest import World, grant, login, make_user
from tests.hub.conftest import make_ob

HOME = "/"


def _home(user: object) -> str:
    response = login(user).get(HOME)  # type: ignore[arg-type]
    assert response.status_code == 200
    return str(response.content.decode())


def _shortcut_urls(html: str) -> list[str]:
    nav = html.split('data-testid="home-shortcuts"')[1].split("</nav>")[0]
    return [u.replace("&amp;", "&") for u in re.findall(r'href="([^"]+)"', nav)]


def _owed(world: World) -> dict[str, Obligation]:
    """Châu Thành owes the province 2 late and 2 open reports and has one accepted; Thái Bình
    owes Châu Thành one late report; Tân Biên (outside Châu Thành's reach) owes the province."""
    t = today()
    w = world
    obs = {
        "upcoming": make_ob(by=w.district_a, to=w.province, title="Báo cáo A – còn hạn",
                            due=t + dt.timedelta(days=5)),
        "late": make_ob(by=w.district_a, to=w.province, title="Báo cáo B – quá hạn",
                        due=t - dt.timedelta(days=3)),
        "very_late": make_ob(by=w.district_a, to=w.province, title="Báo cáo C – quá hạn lâu",
                             due=t - dt.timedelta(days=10)),
        "today": make_ob(by=w.district_a, to=w.province, title="Báo cáo D – hạn hôm nay", due=t),
        "done": make_ob(by=w.district_a, to=w.province, title="Báo cáo E – đã tiếp nhận",
                        due=t - dt.timedelta(days=30)),
        "lower": make_ob(by=w.commune_a1, to=w.district_a, title="Báo cáo của xã Thái Bình",
                         due=t - dt.timedelta(days=20)),
        "foreign": make_ob(by=w.district_b, to=w.province, title="Báo cáo của Huyện đoàn Tân Biên",
                           due=t - dt.timedelta(days=1)),
    }
    hub_services.obligation_submit(actor=None, obligation=obs["done"], text="Xong.")
    hub_services.obligation_accept(actor=None, obligation=obs["done"])
    return obs


def test_i10_home_lists_what_my_unit_owes_late_first_with_counts(world: World) -> None:
    _owed(world)
    html = _home(world.district_a_cadre)

    owed = html.split('data-testid="home-owed"')[1].split("</section>")[0]
    assert re.search(r'data-testid="home-open-count">4<', owed)
    assert "2 quá hạn" in owed
    titles = re.findall(r"Báo cáo [A-E] – [^<]+", owed)
    assert titles == ["Báo cáo C – quá hạn lâu", "Báo cáo B – quá hạn", "Báo cáo D – hạn hôm nay",
                      "Báo cáo A – còn hạn"]
    # the home page comes before the roles, which stay below
    assert html.index('data-testid="home-owed"') < html.index('data-testid="home-roles"')


def test_i10_home_counts_what_lower_units_owe_me_with_a_link(world: World) -> None:
    _owed(world)
    html = _home(world.province_secretary)

    owed_to = html.split('data-testid="home-owed-to"')[1].split("</section>")[0]
    url = reverse("hub:unit_obligations", args=[world.province.pk])
    row = owed_to.split(f'data-unit="{world.province.pk}"')[1].split("</li>")[0]
    assert f'href="{url}"' in row and f'href="{url}?trang_thai=qua-han"' in row
    # late / open / waiting / accepted for Tỉnh đoàn Tây Ninh: 3 late of 5 open, 1 accepted
    assert re.findall(r'data-count="(\w+)">(\d+)<', row) == [
        ("late", "3"), ("open", "5"), ("submitted", "0"), ("done", "1")]


def test_i10_home_shortcuts_of_a_branch_secretary(world: World) -> None:
    b = world.branch_a1.pk
    assert _shortcut_urls(_home(world.branch_secretary)) == [
        reverse("members:dues_sheet", args=[b]),
        reverse("members:meeting_list", args=[b]),
        f"{reverse('members:member_list')}?don_vi={b}",
    ]


def test_i10_home_shortcuts_of_a_province_secretary_and_an_office(world: World) -> None:
    office = make_user("vanphong_tinh")
    grant(office, "van_phong", world.province)
    p = world.province.pk
    expected = [
        f"{reverse('documents:register')}?don_vi={p}",
        reverse("hub:unit_obligations", args=[p]),
        reverse("hub:unit_dashboard", args=[p]),
        f"{reverse('members:member_list')}?don_vi={p}",
    ]

    assert _shortcut_urls(_home(world.province_secretary)) == expected
    assert _shortcut_urls(_home(office)) == expected


def test_i10_home_shortcuts_of_department_staff_district_admin_and_superuser(
        world: World) -> None:
    staff = make_user("canbo_tckt")
    grant(staff, "can_bo_ban", world.province, department=world.tckt)
    d = world.district_a.pk

    assert _shortcut_urls(_home(staff))[0] == reverse("hub:my_work")
    assert _shortcut_urls(_home(world.district_a_cadre))[:2] == [
        reverse("org:unit_detail", args=[d]), f"{reverse('members:member_list')}?don_vi={d}"]
    assert _shortcut_urls(_home(world.admin))[:2] == [
        reverse("accounts:grant_list"), reverse("audit:log")]


def test_i10_home_shows_nothing_of_units_outside_my_reach(world: World) -> None:
    _owed(world)
    district_html = _home(world.district_a_cadre)
    outsider_html = _home(world.outsider)

    for html in (district_html, outsider_html):
        assert "Tân Biên" not in html
        assert str(reverse("hub:unit_obligations", args=[world.province.pk])) not in html
        assert str(reverse("hub:unit_obligations", args=[world.district_b.pk])) not in html
    assert "Tỉnh đoàn Tây Ninh" in district_html  # the province it reports to, by name only
    assert "Châu Thành" not in outsider_html and "Báo cáo" not in outsider_html
    assert 'data-testid="home-shortcuts"' not in outsider_html


def test_i10_home_query_count_is_bounded_and_does_not_grow(
        world: World, django_assert_max_num_queries: object) -> None:
    _owed(world)
    for unit in (world.commune_a1, world.commune_a2, world.branch_a1):
        extra = Department.objects.create(unit=world.province, name=f"Ban {unit.pk}",
                                          category=DepartmentCategory.DEPARTMENT)
        grant(world.district_a_cadre, "can_bo_ban", world.province, department=extra)
        grant(world.district_a_cadre, "bi_thu", unit)
        for i in range(5):
            make_ob(by=unit, to=world.district_a, title=f"Việc {unit.pk}-{i}",
                    due=today() - dt.timedelta(days=i))
    client = login(world.district_a_cadre)

    with django_assert_max_num_queries(10):  # type: ignore[operator]
        response = client.get(HOME)
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["province_secretary", "district_a_cadre", "branch_secretary",
                                 "admin", "outsider"])
def test_i10_home_renders_for_every_level(world: World, who: str) -> None:
    _owed(world)
    html = _home(getattr(world, who))
    assert "fv." not in html and "None" not in html
