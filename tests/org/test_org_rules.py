"""Rules of the organisation tree, through the services and selectors (ORG-1…ORG-7, X-2, X-9, X-10).

Names are compared as sorted lists: SQLite and PostgreSQL order "Đ" differently.
"""

from __future__ import annotations

import datetime as dt

import pytest

from doanvu.accounts.models import RoleGrant
from doanvu.accounts.scope import Scope
from doanvu.audit.models import AuditRecord
from doanvu.common.dates import format_date, today
from doanvu.org import selectors, services
from doanvu.org.models import (
    Department,
    DepartmentCategory,
    Person,
    Position,
    Sector,
    Supervision,
    Term,
    Unit,
    UnitEvent,
    UnitEventKind,
    UnitKind,
    UnitVersion,
)
from doanvu.org.paths import child_path
from doanvu.org.selectors import Node
from tests.conftest import D0, World, grant, kind, make_user

REORG = dt.date(2025, 7, 1)  # Vietnam's district tier ends (ORG-1)
DAY_BEFORE_REORG = dt.date(2025, 6, 30)


def names(nodes: list[Node]) -> list[str]:
    return sorted(n.name for n in nodes)


def db_state() -> dict[str, int]:
    """Row counts of everything a change of the tree may write."""
    return {
        "units": Unit.objects.count(),
        "versions": UnitVersion.objects.count(),
        "events": UnitEvent.objects.count(),
        "grants_open": RoleGrant.objects.filter(end_date__isnull=True).count(),
        "audit": AuditRecord.objects.count(),
        "dissolved": Unit.objects.filter(dissolved_on__isnull=False).count(),
    }


def unit_snapshot() -> list[tuple[object, ...]]:
    return list(
        Unit.objects.order_by("pk").values_list(
            "pk", "name", "parent_id", "path", "depth", "dissolved_on", "successor_id"
        )
    )


@pytest.fixture
def everything(world: World) -> Scope:
    return Scope.for_user(world.admin)


# -- ORG-1: the tree and its levels as data ----------------------------------------------------


def test_org1_tree_holds_district_shape_before_and_flat_shape_after_reorg(
    world: World, everything: Scope
) -> None:
    for commune in (world.commune_a1, world.commune_a2):
        services.unit_move(actor=world.admin, unit=commune, new_parent=world.province, on=REORG)
    services.unit_move(actor=world.admin, unit=world.commune_b1, new_parent=world.province,
                       on=REORG)
    services.unit_dissolve(actor=world.admin, unit=world.district_a, on=REORG)
    services.unit_dissolve(actor=world.admin, unit=world.district_b, on=REORG)

    before = selectors.tree_children(scope=everything, unit=world.province,
                                     as_of=DAY_BEFORE_REORG)
    after = selectors.tree_children(scope=everything, unit=world.province, as_of=REORG)
    now = selectors.tree_children(scope=everything, unit=world.province)

    assert names(before) == ["Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên"]
    assert [n.child_count for n in sorted(before, key=lambda n: n.name)] == [2, 1]
    assert names(after) == ["Đoàn xã Hảo Đước", "Đoàn xã Thái Bình", "Đoàn xã Tân Lập"]
    assert names(now) == names(after)
    old_a1 = selectors.unit_version_on(unit=world.commune_a1, day=DAY_BEFORE_REORG)
    new_a1 = selectors.unit_version_on(unit=world.commune_a1, day=REORG)
    assert old_a1 is not None and new_a1 is not None
    assert (old_a1.parent_id, old_a1.depth) == (world.district_a.pk, 4)
    assert (new_a1.parent_id, new_a1.depth) == (world.province.pk, 3)
    branch_old = selectors.unit_version_on(unit=world.branch_a1, day=DAY_BEFORE_REORG)
    branch_new = selectors.unit_version_on(unit=world.branch_a1, day=REORG)
    assert branch_old is not None and branch_new is not None
    assert branch_old.path.startswith(world.district_a.path)
    assert branch_new.path == child_path(child_path(world.province.path, world.commune_a1.pk),
                                         world.branch_a1.pk)
    assert branch_new.depth == 4


def test_org1_levels_are_unitkind_rows_with_allowed_parents(db: None) -> None:
    codes = list(UnitKind.objects.order_by("level", "code").values_list("code", flat=True))
    chi_doan = UnitKind.objects.get(code="chi_doan")
    co_so = UnitKind.objects.get(code="co_so")

    assert codes == ["trung_uong", "tinh", "truc_thuoc_tw", "huyen", "truc_thuoc_tinh",
                     "chi_doan_co_so", "co_so", "chi_doan", "phan_doan"]
    assert list(chi_doan.allowed_parents.values_list("code", flat=True)) == ["co_so"]
    assert sorted(co_so.allowed_parents.values_list("code", flat=True)) == [
        "huyen", "tinh", "truc_thuoc_tinh", "truc_thuoc_tw"]


def test_org1_chi_doan_directly_under_tinh_is_refused_in_vietnamese(world: World) -> None:
    before = db_state()

    with pytest.raises(services.OrgError) as exc:
        services.unit_create(actor=world.admin, parent=world.province, name="Chi đoàn lạc",
                             kind=kind("chi_doan"), founded_on=dt.date(2020, 1, 1))

    assert str(exc.value) == (
        "Loại “Chi đoàn” không thể trực thuộc “Tỉnh đoàn, Thành đoàn” (chỉ trực thuộc: "
        "Đoàn cơ sở)."
    )
    assert db_state() == before


def test_org1_a_level_added_as_data_is_used_without_code(world: World, everything: Scope) -> None:
    cluster_kind = UnitKind.objects.create(code="lien_chi_doan", name="Liên chi đoàn", level=4,
                                           is_branch=True)
    cluster_kind.allowed_parents.set([kind("co_so")])

    made = services.unit_create(actor=world.admin, parent=world.commune_a1,
                                name="Liên chi đoàn ấp Bình Phong", kind=cluster_kind,
                                founded_on=dt.date(2020, 1, 1))
    with pytest.raises(services.OrgError) as exc:
        services.unit_create(actor=world.admin, parent=world.province, name="Liên chi đoàn sai",
                             kind=cluster_kind, founded_on=dt.date(2020, 1, 1))

    assert made.depth == 5
    assert names(selectors.tree_children(scope=everything, unit=world.commune_a1)) == [
        "Chi đoàn ấp Bình Phong", "Liên chi đoàn ấp Bình Phong"]
    assert str(exc.value) == ("Loại “Liên chi đoàn” không thể trực thuộc “Tỉnh đoàn, Thành đoàn” "
                              "(chỉ trực thuộc: Đoàn cơ sở).")


def test_org1_top_level_kind_cannot_hang_below_and_lower_kind_needs_parent(world: World) -> None:
    with pytest.raises(services.OrgError) as exc:
        services.unit_create(actor=world.admin, parent=None, name="Đoàn xã mồ côi",
                             kind=kind("co_so"), founded_on=dt.date(2020, 1, 1))

    assert str(exc.value) == "Loại “Đoàn cơ sở” phải trực thuộc một đơn vị cấp trên."
    assert Unit.objects.filter(name="Đoàn xã mồ côi").count() == 0


# -- ORG-2: kinds and sectors --------------------------------------------------------------------


def test_org2_kind_and_sector_are_stored_with_each_version(world: World) -> None:
    school = services.unit_create(actor=world.admin, parent=world.district_a,
                                  name="Đoàn trường THPT Châu Thành", kind=kind("co_so"),
                                  founded_on=dt.date(2019, 9, 5), sector=Sector.SCHOOL)

    school.refresh_from_db()
    version = selectors.unit_version_on(unit=school, day=dt.date(2019, 9, 5))
    assert (school.kind.code, school.sector) == ("co_so", "truong_hoc")
    assert school.get_sector_display() == "Trường học"
    assert version is not None
    assert (version.kind.code, version.sector) == ("co_so", "truong_hoc")
    assert selectors.unit_version_on(unit=school, day=dt.date(2019, 9, 4)) is None


# -- ORG-3: history ------------------------------------------------------------------------------


def test_org3_create_records_founded_event_and_first_version(world: World) -> None:
    on = dt.date(2021, 3, 26)

    unit = services.unit_create(actor=world.admin, parent=world.commune_a1,
                                name="  Chi đoàn ấp  Bình Hòa ", kind=kind("chi_doan"),
                                founded_on=on, decision="12-QĐ/HĐTN")

    events = list(UnitEvent.objects.filter(unit=unit).values_list("kind", "date", "decision"))
    versions = list(UnitVersion.objects.filter(unit=unit).values_list(
        "valid_from", "valid_to", "name", "parent_id"))
    assert unit.name == "Chi đoàn ấp Bình Hòa"
    assert events == [(UnitEventKind.FOUNDED, on, "12-QĐ/HĐTN")]
    assert versions == [(on, None, "Chi đoàn ấp Bình Hòa", world.commune_a1.pk)]


def test_org3_rename_shows_old_name_before_date_and_new_name_after(
    world: World, everything: Scope
) -> None:
    on = dt.date(2020, 1, 1)

    services.unit_rename(actor=world.admin, unit=world.district_a, name="Thị đoàn Châu Thành",
                         on=on, decision="05-QĐ/TĐTN")

    old = selectors.unit_version_on(unit=world.district_a, day=on - dt.timedelta(days=1))
    new = selectors.unit_version_on(unit=world.district_a, day=on)
    assert old is not None and new is not None
    assert (old.name, old.valid_from, old.valid_to) == ("Huyện đoàn Châu Thành", D0, on)
    assert (new.name, new.valid_from, new.valid_to) == ("Thị đoàn Châu Thành", on, None)
    assert names(selectors.tree_children(scope=everything, unit=world.province,
                                         as_of=dt.date(2019, 12, 31))) == [
        "Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên"]
    assert names(selectors.tree_children(scope=everything, unit=world.province, as_of=on)) == [
        "Huyện đoàn Tân Biên", "Thị đoàn Châu Thành"]
    assert names(selectors.unit_search(scope=everything, query="chau thanh",
                                       as_of=dt.date(2019, 6, 1))) == ["Huyện đoàn Châu Thành"]
    assert names(selectors.unit_search(scope=everything, query="chau thanh",
                                       as_of=dt.date(2020, 6, 1))) == ["Thị đoàn Châu Thành"]
    assert names(selectors.unit_search(scope=everything, query="chau thanh")) == [
        "Thị đoàn Châu Thành"]
    event = UnitEvent.objects.get(unit=world.district_a, kind=UnitEventKind.RENAMED)
    assert (event.date, event.details) == (on, {"from": "Huyện đoàn Châu Thành",
                                                "to": "Thị đoàn Châu Thành"})


def test_org3_move_shows_old_parent_before_date_and_new_after(
    world: World, everything: Scope
) -> None:
    on = dt.date(2021, 3, 1)
    eve = dt.date(2021, 2, 28)

    services.unit_move(actor=world.admin, unit=world.commune_a1, new_parent=world.district_b,
                       on=on)

    assert names(selectors.tree_children(scope=everything, unit=world.district_a, as_of=eve)) == [
        "Đoàn xã Hảo Đước", "Đoàn xã Thái Bình"]
    assert names(selectors.tree_children(scope=everything, unit=world.district_a, as_of=on)) == [
        "Đoàn xã Hảo Đước"]
    assert names(selectors.tree_children(scope=everything, unit=world.district_b, as_of=on)) == [
        "Đoàn xã Thái Bình", "Đoàn xã Tân Lập"]
    assert names(selectors.tree_children(scope=everything, unit=world.district_b)) == [
        "Đoàn xã Thái Bình", "Đoàn xã Tân Lập"]
    old = selectors.unit_version_on(unit=world.commune_a1, day=eve)
    new = selectors.unit_version_on(unit=world.commune_a1, day=on)
    assert old is not None and new is not None
    assert (old.parent_id, new.parent_id) == (world.district_a.pk, world.district_b.pk)
    branch_new = selectors.unit_version_on(unit=world.branch_a1, day=on)
    assert branch_new is not None
    assert branch_new.path.startswith(world.district_b.path)
    world.branch_a1.refresh_from_db()
    assert world.branch_a1.path.startswith(world.district_b.path)
    event = UnitEvent.objects.get(unit=world.commune_a1, kind=UnitEventKind.MOVED)
    assert list(event.related_units.all()) == [world.district_b]
    assert event.details == {"from": "Huyện đoàn Châu Thành", "to": "Huyện đoàn Tân Biên"}


def test_org3_dissolve_closes_the_unit_from_its_date(world: World, everything: Scope) -> None:
    on = dt.date(2022, 1, 1)

    services.unit_dissolve(actor=world.admin, unit=world.branch_a1, on=on)

    world.branch_a1.refresh_from_db()
    assert world.branch_a1.dissolved_on == on
    assert names(selectors.tree_children(scope=everything, unit=world.commune_a1,
                                         as_of=dt.date(2021, 12, 31))) == [
        "Chi đoàn ấp Bình Phong"]
    assert selectors.tree_children(scope=everything, unit=world.commune_a1, as_of=on) == []
    assert selectors.tree_children(scope=everything, unit=world.commune_a1) == []
    assert list(UnitVersion.objects.filter(unit=world.branch_a1).values_list(
        "valid_from", "valid_to")) == [(D0, on)]
    assert list(UnitEvent.objects.filter(unit=world.branch_a1).values_list("kind", flat=True)) == [
        UnitEventKind.DISSOLVED, UnitEventKind.FOUNDED]


def test_org3_dissolve_is_refused_while_live_children_exist(world: World) -> None:
    before, snapshot = db_state(), unit_snapshot()

    with pytest.raises(services.OrgError) as exc:
        services.unit_dissolve(actor=world.admin, unit=world.commune_a1, on=dt.date(2022, 1, 1))

    assert str(exc.value) == (
        "Đoàn xã Thái Bình còn 1 đơn vị trực thuộc đang hoạt động: hãy chuyển, sáp nhập hoặc "
        "giải thể các đơn vị đó trước."
    )
    assert db_state() == before
    assert unit_snapshot() == snapshot


def _attach_records(unit: Unit) -> None:
    Department.objects.create(unit=unit, name="Văn phòng", category=DepartmentCategory.OFFICE)
    Term.objects.create(unit=unit, name="2022–2027", start_date=dt.date(2022, 6, 1))
    person = Person.objects.create(full_name="Trần Thị Mai")
    Position.objects.create(person=person, unit=unit, title="Bí thư",
                            start_date=dt.date(2022, 6, 1))


def test_org3_merge_preview_lists_moved_children_and_counts_and_changes_nothing(
    world: World,
) -> None:
    _attach_records(world.commune_a1)
    grant(make_user("bithu_thaibinh"), "bi_thu", world.commune_a1)
    before, snapshot = db_state(), unit_snapshot()

    plan = services.unit_merge_preview(sources=[world.commune_a1], target=world.commune_a2,
                                       on=dt.date(2023, 1, 1))

    assert [(c.name, s.name) for c, s in plan.moved_children] == [
        ("Chi đoàn ấp Bình Phong", "Đoàn xã Thái Bình")]
    assert plan.attached == {
        "ban, đơn vị trực thuộc": 1,
        "nhiệm kỳ": 1,
        "chức vụ": 1,
        "phân công phụ trách": 0,
        "phân quyền (sẽ kết thúc)": 1,
    }
    assert db_state() == before
    assert unit_snapshot() == snapshot


def test_org3_merge_moves_children_and_keeps_source_reachable(world: World) -> None:
    on = dt.date(2023, 1, 1)
    _attach_records(world.commune_a1)
    source_secretary = make_user("bithu_thaibinh")
    source_grant = grant(source_secretary, "bi_thu", world.commune_a1)
    target_cadre = make_user("bithu_haoduoc")
    grant(target_cadre, "bi_thu", world.commune_a2)

    services.unit_merge(actor=world.admin, sources=[world.commune_a1], target=world.commune_a2,
                        on=on, decision="20-QĐ/HĐTN")

    source = Unit.objects.get(pk=world.commune_a1.pk)
    branch = Unit.objects.get(pk=world.branch_a1.pk)
    assert (branch.parent_id, branch.path[:-6]) == (world.commune_a2.pk, world.commune_a2.path)
    assert (source.dissolved_on, source.successor_id, source.parent_id) == (
        on, world.commune_a2.pk, world.commune_a2.pk)
    assert source.path.startswith(world.commune_a2.path)
    target_scope = Scope.for_user(target_cadre)
    assert selectors.unit_get(scope=target_scope, pk=source.pk) == source
    assert list(target_scope.filter(Position.objects.all(), via="unit__").values_list(
        "person__full_name", flat=True)) == ["Trần Thị Mai"]
    assert [u.pk for u in selectors.unit_lineage(unit=world.commune_a2)] == [
        world.commune_a2.pk, source.pk]
    source_grant.refresh_from_db()
    assert source_grant.end_date == dt.date(2022, 12, 31)
    assert Scope.for_user(source_secretary).grants == ()
    events = UnitEvent.objects.filter(date=on).order_by("id")
    assert list(events.values_list("unit_id", "kind")) == [
        (branch.pk, UnitEventKind.MOVED), (source.pk, UnitEventKind.MERGED),
        (world.commune_a2.pk, UnitEventKind.ABSORBED)]
    assert events.first().details == {"from": source.name, "to": world.commune_a2.name}


def test_org3_merge_as_of_shows_old_structure_before_date(world: World, everything: Scope) -> None:
    on = dt.date(2023, 1, 1)
    eve = dt.date(2022, 12, 31)

    services.unit_merge(actor=world.admin, sources=[world.commune_a1], target=world.commune_a2,
                        on=on)

    assert names(selectors.tree_children(scope=everything, unit=world.district_a, as_of=eve)) == [
        "Đoàn xã Hảo Đước", "Đoàn xã Thái Bình"]
    assert names(selectors.tree_children(scope=everything, unit=world.district_a, as_of=on)) == [
        "Đoàn xã Hảo Đước"]
    assert selectors.tree_children(scope=everything, unit=world.commune_a2, as_of=eve) == []
    assert names(selectors.tree_children(scope=everything, unit=world.commune_a2, as_of=on)) == [
        "Chi đoàn ấp Bình Phong"]
    assert names(selectors.tree_children(scope=everything, unit=world.commune_a2)) == [
        "Chi đoàn ấp Bình Phong"]
    assert selectors.unit_version_on(unit=world.commune_a1, day=on) is None
    old = selectors.unit_version_on(unit=world.commune_a1, day=eve)
    assert old is not None and old.parent_id == world.district_a.pk


def test_org3_split_without_keeping_original_dissolves_it(world: World, everything: Scope) -> None:
    on = dt.date(2024, 1, 1)
    parts = [services.SplitPart(name="Huyện đoàn Châu Thành Bắc", children=[world.commune_a1]),
             services.SplitPart(name="Huyện đoàn Châu Thành Nam", children=[world.commune_a2])]

    created = services.unit_split(actor=world.admin, unit=world.district_a, parts=parts, on=on,
                                  keep_original=False)

    north, south = created
    world.district_a.refresh_from_db()
    assert world.district_a.dissolved_on == on
    assert [(u.parent_id, u.founded_on, u.kind.code) for u in created] == [
        (world.province.pk, on, "huyen"), (world.province.pk, on, "huyen")]
    assert Unit.objects.get(pk=world.commune_a1.pk).parent_id == north.pk
    assert Unit.objects.get(pk=world.commune_a2.pk).parent_id == south.pk
    assert names(selectors.tree_children(scope=everything, unit=world.province,
                                         as_of=dt.date(2023, 12, 31))) == [
        "Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên"]
    assert names(selectors.tree_children(scope=everything, unit=world.province, as_of=on)) == [
        "Huyện đoàn Châu Thành Bắc", "Huyện đoàn Châu Thành Nam", "Huyện đoàn Tân Biên"]
    event = UnitEvent.objects.get(unit=world.district_a, kind=UnitEventKind.SPLIT)
    assert event.details == {"parts": ["Huyện đoàn Châu Thành Bắc", "Huyện đoàn Châu Thành Nam"],
                             "kept": False}
    assert sorted(event.related_units.values_list("pk", flat=True)) == [north.pk, south.pk]


def test_org3_split_keeping_original_moves_only_assigned_children(
    world: World, everything: Scope
) -> None:
    on = dt.date(2024, 1, 1)
    parts = [services.SplitPart(name="Huyện đoàn Hòa Thành", children=[world.commune_a2])]

    (new,) = services.unit_split(actor=world.admin, unit=world.district_a, parts=parts, on=on,
                                 keep_original=True)

    world.district_a.refresh_from_db()
    assert world.district_a.dissolved_on is None
    assert names(selectors.tree_children(scope=everything, unit=world.district_a)) == [
        "Đoàn xã Thái Bình"]
    assert names(selectors.tree_children(scope=everything, unit=new)) == ["Đoàn xã Hảo Đước"]
    assert names(selectors.tree_children(scope=everything, unit=world.district_a,
                                         as_of=dt.date(2023, 12, 31))) == [
        "Đoàn xã Hảo Đước", "Đoàn xã Thái Bình"]


def test_org3_split_refuses_children_left_without_a_new_unit(world: World) -> None:
    before, snapshot = db_state(), unit_snapshot()
    parts = [services.SplitPart(name="Huyện đoàn A", children=[world.commune_a1]),
             services.SplitPart(name="Huyện đoàn B")]

    with pytest.raises(services.OrgError) as exc:
        services.unit_split(actor=world.admin, unit=world.district_a, parts=parts,
                            on=dt.date(2024, 1, 1), keep_original=False)

    assert str(exc.value) == (
        "Còn 1 đơn vị trực thuộc chưa được giao cho đơn vị mới nào (Đoàn xã Hảo Đước…); "
        "mọi đơn vị trực thuộc phải có nơi chuyển đến."
    )
    assert db_state() == before
    assert unit_snapshot() == snapshot


def test_org3_split_into_one_part_needs_keep_original(world: World) -> None:
    parts = [services.SplitPart(name="Huyện đoàn A", children=[world.commune_a1,
                                                               world.commune_a2])]

    with pytest.raises(services.OrgError) as exc:
        services.unit_split(actor=world.admin, unit=world.district_a, parts=parts,
                            on=dt.date(2024, 1, 1), keep_original=False)

    assert str(exc.value) == ("Chia tách cần ít nhất hai đơn vị mới, hoặc một đơn vị mới nếu giữ "
                              "lại đơn vị cũ.")
    assert Unit.objects.filter(name="Huyện đoàn A").count() == 0


# -- at the service level -------------------------------------------------------------


def test_x9_change_dated_in_future_is_refused(world: World) -> None:
    tomorrow = today() + dt.timedelta(days=1)
    before = db_state()

    with pytest.raises(services.OrgError) as exc:
        services.unit_rename(actor=world.admin, unit=world.district_a, name="Tên mới",
                             on=tomorrow)

    assert str(exc.value) == (f"Ngày hiệu lực {format_date(tomorrow)} ở tương lai: chỉ ghi nhận "
                              "thay đổi đã có hiệu lực.")
    assert exc.value.field == "on"
    assert db_state() == before


def test_x9_change_dated_before_unit_existed_is_refused(world: World) -> None:
    before = db_state()

    with pytest.raises(services.OrgError) as exc:
        services.unit_rename(actor=world.admin, unit=world.district_a, name="Tên mới",
                             on=dt.date(2010, 5, 1))

    assert str(exc.value) == ("Ngày hiệu lực 01/05/2010 trước ngày thành lập của Huyện đoàn Châu "
                              "Thành (01/01/2017).")
    assert db_state() == before


def test_x10_change_dated_before_the_latest_change_is_refused(world: World) -> None:
    services.unit_rename(actor=world.admin, unit=world.district_a, name="Thị đoàn Châu Thành",
                         on=dt.date(2021, 1, 1))
    before = db_state()

    with pytest.raises(services.OrgError) as exc:
        services.unit_rename(actor=world.admin, unit=world.district_a, name="Tên khác",
                             on=dt.date(2020, 1, 1))

    assert str(exc.value) == ("Thị đoàn Châu Thành đã có thay đổi ngày 01/01/2021; ngày hiệu lực "
                              "phải từ ngày đó trở về sau.")
    assert db_state() == before


def test_x10_moving_a_unit_before_a_later_change_below_it_is_refused(world: World) -> None:
    services.unit_rename(actor=world.admin, unit=world.branch_a1, name="Chi đoàn ấp Bình Phong 2",
                         on=dt.date(2022, 1, 1))
    before, snapshot = db_state(), unit_snapshot()

    with pytest.raises(services.OrgError) as exc:
        services.unit_move(actor=world.admin, unit=world.commune_a1, new_parent=world.district_b,
                           on=dt.date(2020, 1, 1))

    assert str(exc.value) == ("Chi đoàn ấp Bình Phong 2 (thuộc Đoàn xã Thái Bình) đã có thay đổi "
                              "ngày 01/01/2022; ngày hiệu lực phải từ ngày đó trở về sau.")
    assert db_state() == before
    assert unit_snapshot() == snapshot


def test_x10_merge_and_split_before_a_later_change_below_are_refused(world: World) -> None:
    services.unit_rename(actor=world.admin, unit=world.branch_a1, name="Chi đoàn ấp Bình Phong 2",
                         on=dt.date(2022, 1, 1))
    before, snapshot = db_state(), unit_snapshot()

    with pytest.raises(services.OrgError) as merge_exc:
        services.unit_merge(actor=world.admin, sources=[world.commune_a1],
                            target=world.commune_a2, on=dt.date(2020, 1, 1))
    with pytest.raises(services.OrgError) as split_exc:
        services.unit_split(actor=world.admin, unit=world.commune_a1, on=dt.date(2020, 1, 1),
                            parts=[services.SplitPart(name="Đoàn xã Thái Bình 2",
                                                      children=[world.branch_a1])],
                            keep_original=True)

    expected = ("Chi đoàn ấp Bình Phong 2 đã có thay đổi ngày 01/01/2022; ngày hiệu lực phải từ "
                "ngày đó trở về sau.")
    assert str(merge_exc.value) == expected
    assert str(split_exc.value) == expected
    assert db_state() == before
    assert unit_snapshot() == snapshot


def test_x9_move_under_own_descendant_is_refused(world: World) -> None:
    before, snapshot = db_state(), unit_snapshot()

    with pytest.raises(services.OrgError) as exc:
        services.unit_move(actor=world.admin, unit=world.district_a, new_parent=world.commune_a1,
                           on=dt.date(2020, 1, 1))

    assert str(exc.value) == ("Không thể chuyển một đơn vị vào chính nó hoặc vào đơn vị cấp dưới "
                              "của nó.")
    assert db_state() == before
    assert unit_snapshot() == snapshot


def test_x9_merge_into_itself_and_merge_across_forbidden_kinds_are_refused(world: World) -> None:
    before, snapshot = db_state(), unit_snapshot()

    with pytest.raises(services.OrgError) as itself:
        services.unit_merge(actor=world.admin, sources=[world.district_a],
                            target=world.district_a, on=dt.date(2020, 1, 1))
    with pytest.raises(services.OrgError) as kinds:
        services.unit_merge(actor=world.admin, sources=[world.district_a],
                            target=world.commune_b1, on=dt.date(2020, 1, 1))

    assert str(itself.value) == "Không thể sáp nhập Huyện đoàn Châu Thành vào chính nó."
    assert str(kinds.value) == ("Loại “Huyện, quận, thị, thành đoàn” không thể sáp nhập vào loại "
                                "“Đoàn cơ sở”.")
    assert db_state() == before
    assert unit_snapshot() == snapshot


def test_x9_changes_to_a_dissolved_unit_are_refused(world: World) -> None:
    services.unit_dissolve(actor=world.admin, unit=world.branch_b1, on=dt.date(2022, 1, 1))
    before = db_state()

    with pytest.raises(services.OrgError) as exc:
        services.unit_rename(actor=world.admin, unit=world.branch_b1, name="Chi đoàn hồi sinh",
                             on=dt.date(2023, 1, 1))

    assert str(exc.value) == "Chi đoàn ấp Tân Đông đã giải thể / sáp nhập từ 01/01/2022."
    assert db_state() == before


# -- search without accents -----------------------------------------------------------------


def test_x2_unit_search_ignores_accents_and_d_matches_dj(world: World, everything: Scope) -> None:
    assert names(selectors.unit_search(scope=everything, query="tay ninh")) == [
        "Tỉnh đoàn Tây Ninh"]
    assert names(selectors.unit_search(scope=everything, query="TÂY NINH")) == [
        "Tỉnh đoàn Tây Ninh"]
    assert names(selectors.unit_search(scope=everything, query="doan xa tan")) == [
        "Đoàn xã Tân Lập"]
    assert names(selectors.unit_search(scope=everything, query="hao duoc")) == [
        "Đoàn xã Hảo Đước"]
    assert len(selectors.unit_search(scope=everything, query="doan")) == 9
    assert selectors.unit_search(scope=everything, query="   ") == []
    assert selectors.unit_search(scope=everything, query="%") == []
    assert selectors.unit_search(scope=everything, query="_") == []
    assert names(selectors.unit_search(scope=everything, query="tay\x00 ninh")) == [
        "Tỉnh đoàn Tây Ninh"]


def test_x2_unit_search_stays_within_scope(world: World) -> None:
    district_a = Scope.for_user(world.district_a_cadre)

    assert names(selectors.unit_search(scope=district_a, query="doan xa")) == [
        "Đoàn xã Hảo Đước", "Đoàn xã Thái Bình"]
    assert selectors.unit_search(scope=district_a, query="tan bien") == []


# -- ORG-7: supervision --------------------------------------------------------------------------


def test_org7_supervisors_of_returns_current_supervisors_only(world: World) -> None:
    current = Person.objects.create(full_name="Lê Văn Phụ Trách")
    former = Person.objects.create(full_name="Phạm Thị Đã Thôi")
    Supervision.objects.create(assigning_unit=world.district_a, supervised_unit=world.commune_a1,
                               person=current, role_label="Phó Bí thư",
                               start_date=dt.date(2022, 1, 1))
    Supervision.objects.create(assigning_unit=world.district_a, supervised_unit=world.commune_a1,
                               person=former, start_date=dt.date(2019, 1, 1),
                               end_date=dt.date(2021, 12, 31))
    Supervision.objects.create(assigning_unit=world.province, supervised_unit=world.commune_a1,
                               department=world.tckt, start_date=dt.date(2020, 1, 1))
    Supervision.objects.create(assigning_unit=world.district_a, supervised_unit=world.commune_a2,
                               person=former, start_date=dt.date(2022, 1, 1))

    now = selectors.supervisors_of(unit=world.commune_a1, day=today())
    in_2021 = selectors.supervisors_of(unit=world.commune_a1, day=dt.date(2021, 6, 1))

    assert sorted(str(s.person or s.department) for s in now) == [
        "Ban Tổ chức – Kiểm tra", "Lê Văn Phụ Trách"]
    assert sorted(str(s.person or s.department) for s in in_2021) == [
        "Ban Tổ chức – Kiểm tra", "Phạm Thị Đã Thôi"]


def test_org3_dissolve_ends_the_roles_held_on_the_unit(world: World) -> None:
    on = dt.date(2024, 3, 1)
    held = RoleGrant.objects.get(user=world.branch_secretary, unit=world.branch_a1)
    services.unit_dissolve(actor=world.admin, unit=world.branch_a1, on=on, decision="05-QĐ/ĐTN")
    held.refresh_from_db()
    assert held.end_date == dt.date(2024, 2, 29)
    assert AuditRecord.objects.filter(model="accounts.rolegrant", object_pk=str(held.pk),
                                      action="update").count() == 1
