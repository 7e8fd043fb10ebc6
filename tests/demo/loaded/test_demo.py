"""The demo data: `manage.py load_demo` builds a tree whose history and roles really work.

The demo is loaded once for the package (tests/demo/loaded/conftest.py), inside a transaction
rolled back when the package ends; each test runs in its own savepoint within it, as usual.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from doanvu.accounts.models import RoleGrant, User
from doanvu.accounts.scope import Scope
from doanvu.audit.models import AuditRecord
from doanvu.demo import demo_data
from doanvu.org import selectors
from doanvu.org.models import (
    Cluster,
    ClusterKind,
    CommitteeSeat,
    Department,
    Position,
    Supervision,
    Unit,
    UnitEvent,
    UnitEventKind,
    UnitKind,
)

ADMIN = Scope(user_id=1, is_superuser=True)
BEFORE_REFORM = dt.date(2020, 6, 1)
REFORM = dt.date(2025, 7, 1)
TAY_NINH_DISTRICTS = {
    "Thành đoàn Tây Ninh", "Thị đoàn Hòa Thành", "Thị đoàn Trảng Bàng", "Huyện đoàn Gò Dầu",
    "Huyện đoàn Bến Cầu", "Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên", "Huyện đoàn Tân Châu",
    "Huyện đoàn Dương Minh Châu",
}


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()





def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def kind_name(code: str) -> str:
    return UnitKind.objects.get(code=code).name


@pytest.mark.django_db
def test_org1_demo_loads_once_and_prints_the_logins(demo: str) -> None:
    first = demo
    counts = (Unit.objects.count(), User.objects.count(), RoleGrant.objects.count(),
              Department.objects.count(), Cluster.objects.count(), AuditRecord.objects.count())
    second = load()
    assert "Đã nạp dữ liệu mẫu" in first
    assert "không nạp lại" in second
    assert counts == (Unit.objects.count(), User.objects.count(), RoleGrant.objects.count(),
                      Department.objects.count(), Cluster.objects.count(),
                      AuditRecord.objects.count())
    assert Unit.objects.filter(name=demo_data.CENTRE).count() == 1
    for output in (first, second):
        assert "Tên đăng nhập" in output and demo_data.PASSWORD in output
        for login in demo_data.DEMO_LOGINS:
            assert login.username in output
    assert "Tỉnh đoàn Tây Ninh – Ban Tổ chức – Kiểm tra" in first


@pytest.mark.django_db
def test_x4_demo_audit_chain_verifies_after_loading(demo: str) -> None:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "toàn vẹn" in out.getvalue()
    # every unit's creation (and every later change) is on the chain, with the reason
    assert AuditRecord.objects.filter(reason=demo_data.REASON).count() > Unit.objects.count()


@pytest.mark.django_db
def test_org1_demo_centre_has_63_provinces_and_four_affiliated_unions(demo: str) -> None:
    centre = unit(demo_data.CENTRE)
    before = selectors.tree_children(scope=ADMIN, unit=centre, as_of=BEFORE_REFORM)
    provinces = [n for n in before if n.kind == kind_name("tinh")]
    affiliated = {n.name for n in before if n.kind == kind_name("truc_thuoc_tw")}
    assert len(provinces) == 63
    assert affiliated == {"Ban Thanh niên Quân đội", "Đoàn Thanh niên Bộ Công an",
                          "Đoàn Khối các cơ quan Trung ương", "Đoàn Khối Doanh nghiệp Trung ương"}
    today = selectors.tree_children(scope=ADMIN, unit=centre)
    assert len([n for n in today if n.kind == kind_name("tinh")]) == 62  # Long An merged
    hcm = unit("Thành đoàn TP. Hồ Chí Minh")
    assert (hcm.place, hcm.kind.code) == ("TP. Hồ Chí Minh", "tinh")
    assert unit("Tỉnh đoàn Hòa Bình").place == "Hòa Bình"
    tn = unit("Tỉnh đoàn Tây Ninh")
    assert (tn.short_name, tn.place) == ("TĐTN", "Tây Ninh")
    assert set(Department.objects.filter(unit=centre).values_list("short_name", flat=True)) >= {
        "VP", "BKT", "BTC", "BTG", "TNCN&ĐT", "TNNT", "CTTN"}
    assert Department.objects.get(unit=centre, short_name="BKT").category == "kiem_tra"


@pytest.mark.django_db
def test_org1_demo_tree_as_of_2020_shows_nine_tay_ninh_districts(demo: str) -> None:
    tn = unit("Tỉnh đoàn Tây Ninh")
    nodes = selectors.tree_children(scope=ADMIN, unit=tn, as_of=BEFORE_REFORM)
    districts = [n for n in nodes if n.kind == kind_name("huyen")]
    assert {n.name for n in districts} == TAY_NINH_DISTRICTS
    dmc = next(n for n in districts if n.name == "Huyện đoàn Dương Minh Châu")
    assert dmc.child_count == 11
    # in 2019 the two towns were still districts by name
    names_2019 = {n.name for n in selectors.tree_children(scope=ADMIN, unit=tn,
                                                          as_of=dt.date(2019, 6, 1))}
    assert {"Huyện đoàn Hòa Thành", "Huyện đoàn Trảng Bàng"} <= names_2019
    # Long An still stood beside Tây Ninh
    centre_2020 = selectors.tree_children(scope=ADMIN, unit=unit(demo_data.CENTRE),
                                          as_of=BEFORE_REFORM)
    assert "Tỉnh đoàn Long An" in {n.name for n in centre_2020}


@pytest.mark.django_db
def test_org1_demo_tree_today_has_communes_directly_under_tay_ninh(demo: str) -> None:
    tn = unit("Tỉnh đoàn Tây Ninh")
    nodes = selectors.tree_children(scope=ADMIN, unit=tn)
    names = {n.name for n in nodes}
    assert not [n for n in nodes if n.kind == kind_name("huyen")]
    assert {"Đoàn xã Suối Đá", "Đoàn xã Chà Là", "Đoàn xã Dương Minh Châu", "Đoàn phường 1",
            "Đoàn xã Đức Hòa Hạ", "Đoàn xã Hậu Nghĩa"} <= names  # incl. Long An's communes
    assert "Đoàn xã Phan" not in names  # merged into Suối Đá
    assert not any(name.startswith("Đoàn thị trấn") for name in names)
    for name in TAY_NINH_DISTRICTS | {"Huyện đoàn Đức Hòa", "Huyện đoàn Bến Lức"}:
        district = unit(name)
        assert district.dissolved_on == REFORM
        assert district.events.filter(kind=UnitEventKind.DISSOLVED, date=REFORM).exists()
    suoi_da = unit("Đoàn xã Suối Đá")
    assert suoi_da.parent == tn
    assert unit("Đoàn xã Phan").successor == suoi_da
    assert suoi_da.events.filter(kind=UnitEventKind.MOVED, date=REFORM).exists()
    # HCMC keeps its pre-reform shape in the demo
    hcm_today = selectors.tree_children(scope=ADMIN, unit=unit("Thành đoàn TP. Hồ Chí Minh"))
    assert "Quận đoàn 1" in {n.name for n in hcm_today}


@pytest.mark.django_db
def test_org3_demo_long_an_is_merged_into_tay_ninh(demo: str) -> None:
    long_an = unit("Tỉnh đoàn Long An")
    tn = unit("Tỉnh đoàn Tây Ninh")
    assert long_an.dissolved_on == REFORM
    assert long_an.successor == tn
    assert long_an.events.filter(kind=UnitEventKind.MERGED, date=REFORM).exists()
    assert tn.events.filter(kind=UnitEventKind.ABSORBED, related_units=long_an).exists()
    assert long_an in selectors.unit_lineage(unit=tn)
    assert not Department.objects.filter(unit=long_an, valid_to__isnull=True).exists()
    # its communes sit under Tây Ninh today, and sat under its districts in 2020
    duc_hoa_ha = unit("Đoàn xã Đức Hòa Hạ")
    assert duc_hoa_ha.parent == tn
    version = selectors.unit_version_on(unit=duc_hoa_ha, day=BEFORE_REFORM)
    assert version is not None and version.parent == unit("Huyện đoàn Đức Hòa")


@pytest.mark.django_db
def test_org3_demo_inter_hamlet_branch_shows_its_2020_merge(demo: str) -> None:
    branch = unit(demo_data.INTER_HAMLET)
    assert branch.kind.code == "chi_doan"
    absorbed = branch.events.get(kind=UnitEventKind.ABSORBED)
    assert absorbed.date.year == 2020
    sources = {u.name for u in absorbed.related_units.all()}
    assert sources == {"Chi đoàn ấp Phước Hội", "Chi đoàn ấp Phước Lợi"}
    for name in sources:
        src = unit(name)
        assert src.successor == branch and src.dissolved_on == absorbed.date
        assert src.events.filter(kind=UnitEventKind.MERGED).exists()
    phan = unit("Đoàn xã Phan")
    before = {n.name for n in selectors.tree_children(scope=ADMIN, unit=phan,
                                                      as_of=dt.date(2020, 1, 1))}
    after = {n.name for n in selectors.tree_children(scope=ADMIN, unit=phan,
                                                     as_of=BEFORE_REFORM)}
    assert sources <= before and demo_data.INTER_HAMLET not in before
    assert demo_data.INTER_HAMLET in after and not sources & after
    history = selectors.unit_history(unit=branch)
    assert {e.kind for e in history} >= {UnitEventKind.FOUNDED, UnitEventKind.ABSORBED}
    # Đoàn xã Phan merged into Đoàn xã Suối Đá in 2025: the branch followed it
    assert branch.parent == unit("Đoàn xã Suối Đá")
    version = selectors.unit_version_on(unit=branch, day=dt.date(2024, 1, 1))
    assert version is not None and version.parent == phan


@pytest.mark.django_db
def test_org4_demo_clusters_have_standing_departments(demo: str) -> None:
    centre = unit(demo_data.CENTRE)
    clusters = Cluster.objects.filter(owner=centre, kind=ClusterKind.ACTIVITY)
    assert clusters.count() == 8
    members: list[int] = []
    for cluster in clusters:
        assert cluster.standing_department is not None
        assert cluster.standing_department.unit == centre
        members.extend(cluster.members.values_list("pk", flat=True))
    assert len(members) == len(set(members)) == 63 + 4
    south_east = clusters.get(name="Cụm Đông Nam Bộ")
    assert set(south_east.members.values_list("name", flat=True)) >= {
        "Tỉnh đoàn Tây Ninh", "Thành đoàn TP. Hồ Chí Minh"}


@pytest.mark.django_db
def test_org2_demo_hcmc_has_three_sector_groups(demo: str) -> None:
    hcm = unit("Thành đoàn TP. Hồ Chí Minh")
    groups = {c.name: c for c in Cluster.objects.filter(owner=hcm, kind=ClusterKind.SECTOR_GROUP)}
    assert set(groups) == {"Khu vực Quận – Huyện", "Khu vực Công nhân lao động",
                           "Khu vực Lực lượng vũ trang"}
    districts = groups["Khu vực Quận – Huyện"].members.all()
    assert {u.kind.code for u in districts} == {"huyen"}
    assert "Thành đoàn Thủ Đức" in {u.name for u in districts}
    assert not [u for u in districts if u.dissolved_on]
    assert {u.sector for u in groups["Khu vực Công nhân lao động"].members.all()} == {"cong_nhan"}
    armed = groups["Khu vực Lực lượng vũ trang"].members.all()
    assert {u.sector for u in armed} == {"luc_luong_vu_trang"}
    assert "Đoàn Thanh niên Công an Thành phố" in {u.name for u in armed}
    # Thủ Đức: three district unions merged into the new city union on 1/1/2021
    thu_duc = unit("Thành đoàn Thủ Đức")
    assert {u.name for u in selectors.unit_lineage(unit=thu_duc)} == {
        "Thành đoàn Thủ Đức", "Quận đoàn 2", "Quận đoàn 9", "Quận đoàn Thủ Đức"}
    affiliated = Department.objects.filter(unit=hcm, category="su_nghiep")
    assert {"Nhà Thiếu nhi Thành phố", "Trường Đoàn Lý Tự Trọng"} <= set(
        affiliated.values_list("name", flat=True))


@pytest.mark.django_db
def test_org6_demo_terms_seat_the_people_of_the_seeds(demo: str) -> None:

    def standing(unit_name: str) -> dict[str, str]:
        seats = CommitteeSeat.objects.filter(term__unit__name=unit_name, term__name="2017–2022",
                                             committee="thuong_truc")
        return {s.person.full_name: s.title for s in seats}

    assert standing(demo_data.CENTRE)["Lê Quốc Phong"] == "Bí thư thứ nhất"
    assert standing(demo_data.CENTRE)["Bùi Quang Huy"] == "Bí thư"
    assert standing("Thành đoàn TP. Hồ Chí Minh")["Phan Thị Thanh Phương"] == "Bí thư"
    tn = standing("Tỉnh đoàn Tây Ninh")
    assert tn["Hoàng Thị Thanh Thúy"] == "Bí thư" and tn["Trần Lê Duy"] == "Phó Bí thư"
    tn_unit = unit("Tỉnh đoàn Tây Ninh")
    assert CommitteeSeat.objects.filter(term__unit=tn_unit, committee="btv").count() >= 6
    assert CommitteeSeat.objects.filter(term__unit=tn_unit, committee="bch").count() > (
        CommitteeSeat.objects.filter(term__unit=tn_unit, committee="btv").count())
    tckt = Department.objects.get(unit=tn_unit, short_name="TCKT")
    assert Position.objects.filter(unit=tn_unit, department=tckt).count() >= 2
    assert Department.objects.get(unit=tn_unit, short_name="UBKT").category == "kiem_tra"


@pytest.mark.django_db
def test_org7_demo_province_supervises_each_district(demo: str) -> None:
    tn = unit("Tỉnh đoàn Tây Ninh")
    for name in TAY_NINH_DISTRICTS:
        found = selectors.supervisors_of(unit=unit(name), day=BEFORE_REFORM)
        assert {s.assigning_unit_id for s in found} == {tn.pk}
        assert any(s.person for s in found) and any(s.department for s in found)
    # after the reform the province supervises communes directly
    assert selectors.supervisors_of(unit=unit("Đoàn xã Suối Đá"), day=dt.date.today())
    assert not selectors.supervisors_of(unit=unit("Huyện đoàn Gò Dầu"), day=dt.date.today())
    assert Supervision.objects.filter(assigning_unit=tn).count() >= 18


@pytest.mark.django_db
def test_x3_demo_logins_work_and_reach_their_units(demo: str) -> None:
    for login in demo_data.DEMO_LOGINS:
        # the login throttle (django-axes) needs the request: whose address is trying
        user = authenticate(RequestFactory().post("/dang-nhap/"), username=login.username,
                            password=demo_data.PASSWORD)
        assert user is not None, login.username
        assert user.full_name == login.full_name  # type: ignore[attr-defined]
    admin = User.objects.get(username="quantri")
    assert admin.is_superuser

    def scope(username: str) -> Scope:
        return Scope.for_user(User.objects.get(username=username))

    suoi_da, tn = unit("Đoàn xã Suối Đá"), unit("Tỉnh đoàn Tây Ninh")
    commune = scope("tn_xa_suoida")
    assert commune.can("write", suoi_da) and commune.can("read", unit(demo_data.INTER_HAMLET))
    assert not commune.can("read", tn) and not commune.can("read", unit("Đoàn xã Chà Là"))
    assert scope("tn_bithu").can("approve", suoi_da)
    assert not scope("tn_bithu").can("read", unit("Thành đoàn TP. Hồ Chí Minh"))
    branch = scope("tn_chidoan")
    assert branch.can("write", unit("Chi đoàn ấp Khởi Trung"))
    assert not branch.can("read", suoi_da)
    inspector = scope("kiemtra_doan")
    assert inspector.can("read", unit("Quận đoàn Gò Vấp"))
    assert not inspector.can("write", unit("Quận đoàn Gò Vấp"))
    tckt = scope("tn_tckt")
    dept = Department.objects.get(unit=tn, short_name="TCKT")
    assert tckt.can("approve", suoi_da, department_id=dept.pk)
    assert not tckt.can("approve", suoi_da, department_id=None)
    assert scope("hcm_quan1").can("write", unit("Đoàn phường Bến Nghé"))
    # the 2025 merges happened after every demo grant began and none was on a merged unit
    assert not RoleGrant.objects.filter(end_date__isnull=False).exists()
    assert UnitEvent.objects.filter(kind=UnitEventKind.MERGED, date=REFORM).exists()
