"""Scope (X-3): what each reach of a role lets its holder read and change, and the Done-when case:
a district cadre of one Tây Ninh district cannot read or change another district."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from doanvu.accounts.models import PermissionKind, Reach, RoleType
from doanvu.accounts.scope import READ, Scope
from doanvu.common.dates import today
from doanvu.org import selectors, services
from doanvu.org.models import Department, Unit
from tests.conftest import World, grant, kind, login, make_user
from tests.org.test_org_rules import db_state, unit_snapshot

WRITE = PermissionKind.WRITE.value
ADMIN = PermissionKind.ADMINISTER.value


def readable(scope: Scope) -> list[str]:
    return sorted(scope.filter(Unit.objects.all()).values_list("name", flat=True))


DISTRICT_A_UNITS = ["Chi đoàn ấp Bình Phong", "Huyện đoàn Châu Thành", "Đoàn xã Hảo Đước",
                    "Đoàn xã Thái Bình"]


# -- reach --------------------------------------------------------------------------------------


def test_x3_subtree_reach_reads_and_administers_its_subtree_only(world: World) -> None:
    scope = Scope.for_user(world.district_a_cadre)

    assert readable(scope) == DISTRICT_A_UNITS
    assert sorted(scope.filter(Unit.objects.all(), ADMIN).values_list("name", flat=True)) == (
        DISTRICT_A_UNITS)
    assert [scope.can(ADMIN, u) for u in (world.district_a, world.commune_a1, world.branch_a1)] == [
        True, True, True]
    assert [scope.can(READ, u) for u in (world.province, world.district_b, world.commune_b1,
                                         world.branch_b1, world.centre)] == [
        False, False, False, False, False]
    assert scope.root_paths() == [world.district_a.path]


def test_x3_unit_reach_reads_only_that_unit(world: World) -> None:
    sub_branch = services.unit_create(actor=None, parent=world.branch_a1, name="Phân đoàn 1",
                                      kind=kind("phan_doan"),
                                      founded_on=dt.date(2020, 1, 1))
    scope = Scope.for_user(world.branch_secretary)

    assert readable(scope) == ["Chi đoàn ấp Bình Phong"]
    assert scope.can(READ, world.branch_a1) is True
    assert scope.can(WRITE, world.branch_a1) is True
    assert scope.can(ADMIN, world.branch_a1) is False
    assert scope.can(READ, sub_branch) is False
    assert scope.can(READ, world.commune_a1) is False
    assert scope.covers_subtree(READ, world.branch_a1) is False


def test_x3_department_reach_reads_subtree_but_cannot_administer(world: World) -> None:
    staff = make_user("canbo_tckt")
    grant(staff, "ban_tckt", world.province, department=world.tckt)
    other_dep = Department.objects.create(unit=world.province, name="Ban Tuyên giáo",
                                          category="ban")
    scope = Scope.for_user(staff)

    assert readable(scope) == sorted([
        "Tỉnh đoàn Tây Ninh", "Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên", "Đoàn xã Thái Bình",
        "Đoàn xã Hảo Đước", "Đoàn xã Tân Lập", "Chi đoàn ấp Bình Phong", "Chi đoàn ấp Tân Đông"])
    assert scope.can(ADMIN, world.commune_a1) is False
    assert scope.filter(Unit.objects.all(), ADMIN).count() == 0
    assert scope.can(WRITE, world.commune_a1) is False
    assert scope.can(WRITE, world.commune_a1, department_id=world.tckt.pk) is True
    assert scope.can(WRITE, world.commune_a1, department_id=other_dep.pk) is False
    assert scope.departments_for("approve", world.commune_b1) == {world.tckt.pk}
    assert list(scope.filter(Department.objects.all(), WRITE, via="unit__",
                             department_field="pk").values_list("name", flat=True)) == [
        "Ban Tổ chức – Kiểm tra"]


def test_x3_department_reach_pages_read_but_do_not_administer(world: World) -> None:
    staff = make_user("canbo_tckt")
    grant(staff, "ban_tckt", world.province, department=world.tckt)
    client = login(staff)

    unit_page = client.get(reverse("org:unit_detail", args=[world.commune_b1.pk]))
    rename = client.get(reverse("org:unit_rename", args=[world.commune_b1.pk]))
    grants = client.get(reverse("accounts:grant_list"))

    assert unit_page.status_code == 200
    assert "Đoàn xã Tân Lập" in unit_page.content.decode()
    assert "Đổi tên</a>" not in unit_page.content.decode()
    assert rename.status_code == 404
    assert grants.status_code == 404


def test_x3_ended_future_and_dissolved_grants_count_for_nothing(world: World) -> None:
    ended, future, on_dissolved = make_user("het_han"), make_user("chua_toi"), make_user("giai_the")
    g = grant(ended, "bi_thu", world.district_b)
    g.end_date = today() - dt.timedelta(days=1)
    g.save(update_fields=["end_date"])
    grant(future, "bi_thu", world.district_b, start=today() + dt.timedelta(days=1))
    grant(on_dissolved, "bi_thu_chi_doan", world.branch_b1)
    services.unit_dissolve(actor=world.admin, unit=world.branch_b1, on=dt.date(2024, 1, 1))

    scopes = [Scope.for_user(u) for u in (ended, future, on_dissolved)]

    assert [s.grants for s in scopes] == [(), (), ()]
    assert [readable(s) for s in scopes] == [[], [], []]
    assert [login(u).get(reverse("org:unit_detail", args=[world.district_b.pk])).status_code
            for u in (ended, future)] == [404, 404]
    assert login(on_dissolved).get(
        reverse("org:unit_detail", args=[world.branch_b1.pk])).status_code == 404


def test_x3_grant_ending_today_still_counts_today(world: World) -> None:
    user = make_user("cuoi_ngay")
    g = grant(user, "bi_thu", world.district_b)
    g.end_date = today()
    g.save(update_fields=["end_date"])

    assert readable(Scope.for_user(user)) == ["Chi đoàn ấp Tân Đông", "Huyện đoàn Tân Biên",
                                              "Đoàn xã Tân Lập"]


def test_x3_outsider_and_anonymous_reach_nothing(world: World) -> None:
    outsider = Scope.for_user(world.outsider)
    anonymous = Scope.for_user(None)

    assert readable(outsider) == []
    assert readable(anonymous) == []
    assert outsider.root_paths() == []
    assert selectors.tree_roots(scope=outsider) == []
    assert selectors.unit_search(scope=outsider, query="tay ninh") == []


def test_x3_superuser_reads_everything(world: World) -> None:
    scope = Scope.for_user(world.admin)

    assert len(readable(scope)) == 9
    assert scope.root_paths() == [""]
    assert [n.name for n in selectors.tree_roots(scope=scope)] == ["Trung ương Đoàn"]


# -- the Done-when case: one district cannot see the other ----------------------------------------


FOREIGN = ["district_b", "commune_b1", "branch_b1"]
UNIT_PAGES = ["unit_detail", "unit_children", "unit_audit", "unit_create", "unit_rename",
              "unit_move", "unit_merge", "unit_split", "unit_dissolve", "department_add",
              "term_add", "seat_add", "position_add", "supervision_add"]
FOREIGN_NAMES = ["Huyện đoàn Tân Biên", "Đoàn xã Tân Lập", "Chi đoàn ấp Tân Đông",
                 "Tỉnh đoàn Tây Ninh", "Trung ương Đoàn"]


@pytest.mark.parametrize("target", FOREIGN)
def test_x3_district_cadre_cannot_read_or_change_other_district(world: World, target: str) -> None:
    client = login(world.district_a_cadre)
    unit: Unit = getattr(world, target)
    post = {"name": "Bị đổi", "on": "01/01/2020", "confirm": "1", "new_parent": world.district_a.pk,
            "target": world.commune_a1.pk, "parts": "A\nB", "kind": "1", "founded_on": "01/01/2020",
            "category": "ban", "start_date": "01/01/2020", "full_name": "X",
            "supervised_unit": world.commune_a1.pk, "title": "X"}
    before, snapshot = db_state(), unit_snapshot()
    statuses: dict[str, tuple[int, int]] = {}

    for name in UNIT_PAGES:
        url = reverse(f"org:{name}", args=[unit.pk])
        statuses[name] = (client.get(url).status_code, client.post(url, post).status_code)
    for fmt in ("csv", "xlsx"):
        url = reverse("org:unit_export", args=[unit.pk, fmt])
        statuses[f"export {fmt}"] = (client.get(url).status_code, client.post(url).status_code)
        as_of = f"{url}?ngay=01/01/2020"
        statuses[f"export {fmt} as of"] = (client.get(as_of).status_code,
                                           client.post(as_of).status_code)

    # read-only pages refuse a POST before looking (405), the forms look and find nothing (404)
    read_only = {"unit_detail", "unit_children", "unit_audit", "export csv", "export xlsx",
                 "export csv as of", "export xlsx as of"}
    assert statuses == {name: (404, 405 if name in read_only else 404) for name in statuses}
    assert db_state() == before
    assert unit_snapshot() == snapshot


def test_x3_district_cadre_cannot_read_the_province_above(world: World) -> None:
    client = login(world.district_a_cadre)

    statuses = [client.get(reverse(f"org:{name}", args=[world.province.pk])).status_code
                for name in ("unit_detail", "unit_children", "unit_audit")]

    assert statuses == [404, 404, 404]


def test_x3_district_cadre_pages_do_not_name_the_other_district(world: World) -> None:
    client = login(world.district_a_cadre)
    bodies = [
        client.get(reverse("org:home")).content.decode(),
        client.get(reverse("org:tree")).content.decode(),
        client.get(reverse("org:tree"), {"q": "tan"}).content.decode(),
        client.get(reverse("org:tree"), {"q": "doan", "ngay": "01/01/2020"}).content.decode(),
        client.get(reverse("org:unit_pick"), {"field": "target", "q": "tan"}).content.decode(),
        client.get(reverse("org:unit_detail", args=[world.district_a.pk])).content.decode(),
        client.get(reverse("org:unit_children", args=[world.district_a.pk])).content.decode(),
        client.get(reverse("accounts:grant_list")).content.decode(),
        client.get(reverse("audit:log")).content.decode(),
    ]

    leaks = [(i, name) for i, body in enumerate(bodies) for name in FOREIGN_NAMES
             if name in body]
    assert leaks == []
    assert "Huyện đoàn Châu Thành" in bodies[1]


def test_x3_csv_export_of_own_district_holds_only_own_units(world: World) -> None:
    client = login(world.district_a_cadre)

    response = client.get(reverse("org:unit_export", args=[world.district_a.pk, "csv"]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0] == ["Mã", "Tên đơn vị", "Loại", "Khu vực", "Đơn vị cấp trên", "Cấp",
                       "Ngày thành lập"]
    assert sorted(r[1] for r in rows[1:]) == DISTRICT_A_UNITS
    assert [r[4] for r in rows[1:] if r[1] == "Huyện đoàn Châu Thành"] == [""]
    assert sorted(int(r[0]) for r in rows[1:]) == sorted(
        [world.district_a.pk, world.commune_a1.pk, world.commune_a2.pk, world.branch_a1.pk])


def test_x3_xlsx_export_of_own_district_holds_only_own_units(world: World) -> None:
    from openpyxl import load_workbook

    client = login(world.district_a_cadre)

    response = client.get(reverse("org:unit_export", args=[world.district_a.pk, "xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert response.status_code == 200
    assert rows[0] == ("Danh sách đơn vị thuộc Huyện đoàn Châu Thành", None, None, None, None,
                       None, None)
    assert sorted(r[1] for r in rows[2:]) == DISTRICT_A_UNITS


def test_x3_unit_reach_secretary_sees_only_own_branch(world: World) -> None:
    client = login(world.branch_secretary)

    own = client.get(reverse("org:unit_detail", args=[world.branch_a1.pk]))
    parent = client.get(reverse("org:unit_detail", args=[world.commune_a1.pk]))
    tree = client.get(reverse("org:tree")).content.decode()
    rename = client.get(reverse("org:unit_rename", args=[world.branch_a1.pk]))

    assert own.status_code == 200
    assert parent.status_code == 404
    assert rename.status_code == 404
    assert "Chi đoàn ấp Bình Phong" in tree
    assert "Đoàn xã Thái Bình" not in tree
    assert "Huyện đoàn Châu Thành" not in tree


def test_x3_merged_unit_stays_reachable_for_target_cadre_only(world: World) -> None:
    services.unit_merge(actor=world.admin, sources=[world.commune_b1], target=world.commune_a1,
                        on=dt.date(2023, 1, 1))
    target_cadre = make_user("bithu_thaibinh")
    grant(target_cadre, "bi_thu", world.commune_a1)

    mine = login(target_cadre).get(reverse("org:unit_detail", args=[world.commune_b1.pk]))
    old_district = login(world.district_b_cadre).get(
        reverse("org:unit_detail", args=[world.commune_b1.pk]))

    assert mine.status_code == 200
    assert "Đoàn xã Tân Lập" in mine.content.decode()
    assert "đã giải thể / sáp nhập từ 01/01/2023" in mine.content.decode()
    assert old_district.status_code == 404


def test_x3_custom_role_type_is_data(world: World) -> None:
    viewer = RoleType.objects.create(code="xem_tinh", name="Xem toàn tỉnh", permissions=["read"],
                                     reach=Reach.SUBTREE)
    user = make_user("xem")
    grant(user, viewer.code, world.province)
    scope = Scope.for_user(user)

    assert len(readable(scope)) == 8
    assert scope.can(WRITE, world.province) is False
    assert scope.root_paths(ADMIN) == []


def test_x3_search_names_a_parent_only_when_it_is_readable(world: World) -> None:
    branch = Scope.for_user(world.branch_secretary)
    district = Scope.for_user(world.district_a_cadre)

    own_branch = selectors.unit_search(scope=branch, query="binh phong")
    own_branch_then = selectors.unit_search(scope=branch, query="binh phong",
                                            as_of=dt.date(2020, 1, 1))
    commune = selectors.unit_search(scope=district, query="thai binh")
    district_itself = selectors.unit_search(scope=district, query="chau thanh")
    page = login(world.branch_secretary).get(reverse("org:tree"), {"q": "binh phong"})

    assert [(n.name, n.parent_name) for n in own_branch] == [("Chi đoàn ấp Bình Phong", None)]
    assert [(n.name, n.parent_name) for n in own_branch_then] == [
        ("Chi đoàn ấp Bình Phong", None)]
    assert [(n.name, n.parent_name) for n in commune] == [
        ("Đoàn xã Thái Bình", "Huyện đoàn Châu Thành")]
    assert [(n.name, n.parent_name) for n in district_itself] == [
        ("Huyện đoàn Châu Thành", None)]
    assert "Chi đoàn ấp Bình Phong" in page.content.decode()
    assert "Thái Bình" not in page.content.decode()
