"""The synthetic nation (generate_nation): size, determinism, paths, versions, search, audit."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from doanvu.accounts.scope import Scope
from doanvu.audit.chain import verify
from doanvu.audit.models import AuditRecord
from doanvu.common.dates import today
from doanvu.common.text import fold
from doanvu.demo.nation import FOUNDED_CAP, NationPlan, build_nation
from doanvu.org import selectors, services
from doanvu.org.models import (
    CommitteeSeat,
    Department,
    Person,
    Position,
    Term,
    Unit,
    UnitKind,
    UnitVersion,
)
from doanvu.org.paths import encode_step
from tests.conftest import World

SUPERUSER = Scope(user_id=0, is_superuser=True)


def generate(units: int = 2000, seed: int = 7) -> str:
    out = StringIO()
    call_command("generate_nation", units=units, seed=seed, stdout=out)
    return out.getvalue()


def plan_depths(plan: NationPlan, root_depth: int = 0) -> list[tuple[int, str]]:
    depths: list[int] = []
    for u in plan.units:
        parent = u.parent
        depths.append(root_depth + 1 if parent is None or parent < 0 else depths[parent] + 1)
    return sorted(zip(depths, (u.name for u in plan.units), strict=True))


def test_nation_generator_is_deterministic() -> None:
    first = build_nation(units=2000, seed=7)
    second = build_nation(units=2000, seed=7)
    assert first == second
    assert plan_depths(first) == plan_depths(second)
    other = build_nation(units=2000, seed=8)
    assert [u.name for u in other.units] != [u.name for u in first.units]


def test_nation_plan_is_realistic() -> None:
    plan = build_nation(units=20_000, seed=3)
    kinds = Counter(u.kind for u in plan.units)
    assert kinds["trung_uong"] == 1
    assert kinds["tinh"] == 63
    assert kinds["truc_thuoc_tw"] >= 2
    assert kinds["huyen"] > 0 and kinds["co_so"] > 0 and kinds["chi_doan"] > kinds["co_so"]
    assert kinds["chi_doan_co_so"] > 0 and kinds["phan_doan"] > 0
    # Some provinces have districts, some (after 1/7/2025) have communes directly under them.
    provinces = {i for i, u in enumerate(plan.units) if u.kind == "tinh"}
    with_districts = {u.parent for u in plan.units if u.kind == "huyen"}
    assert with_districts and provinces - with_districts
    assert any(
        u.kind == "co_so" and u.parent in provinces and u.name.startswith("Đoàn xã")
        for u in plan.units
    )
    sectors = {u.sector for u in plan.units if u.kind == "co_so"}
    assert sectors >= {
        "dan_cu_nong_thon",
        "dan_cu_do_thi",
        "truong_hoc",
        "cong_nhan",
        "luc_luong_vu_trang",
        "co_quan",
    }
    names = [u.name for u in plan.units]
    for prefix in (
        "Chi đoàn ấp ",
        "Chi đoàn khu phố ",
        "Chi đoàn lớp 12A1",
        "Chi đoàn phân xưởng ",
        "Phân đoàn ",
        "Huyện đoàn ",
        "Tỉnh đoàn Tây Ninh",
    ):
        assert any(n.startswith(prefix) for n in names), prefix
    # Parents come before their children; every founding date is in the past, after the parent's.
    for i, u in enumerate(plan.units):
        if u.parent is not None and u.parent >= 0:
            assert u.parent < i
            assert plan.units[u.parent].founded_on <= u.founded_on <= FOUNDED_CAP
    full_names = [p.full_name for p in plan.people]
    assert all(2 <= len(n.split()) <= 5 for n in full_names)
    assert sum(n.startswith("Nguyễn ") for n in full_names) > len(full_names) * 0.25
    assert {p.gender for p in plan.people} == {"nam", "nu"}


@pytest.mark.django_db
def test_generate_nation_creates_about_n_units_with_cadres() -> None:
    output = generate()
    assert "2.000 đơn vị" in output
    units = Unit.objects.count()
    assert 1900 <= units <= 2100
    root = Unit.objects.get(parent__isnull=True)
    assert root.kind.code == "trung_uong"
    by_kind = Counter(Unit.objects.values_list("kind__code", flat=True))
    assert by_kind["tinh"] > 0 and by_kind["co_so"] > 0 and by_kind["chi_doan"] > 0
    assert not Unit.objects.filter(founded_on__gt=today()).exists()
    assert not Unit.objects.filter(founded_on__gt=FOUNDED_CAP).exists()
    # Agencies have departments; units above branch level have a Bí thư; branches nobody.
    for unit in Unit.objects.filter(kind__has_agency=True):
        assert Department.objects.filter(unit=unit, category="van_phong").exists(), unit
    above_branch = Unit.objects.filter(kind__is_branch=False)
    assert Position.objects.filter(title="Bí thư thứ nhất", unit=root).count() == 1
    assert Position.objects.filter(title="Bí thư").values("unit").distinct().count() == (
        above_branch.count()  # the root's Ban Bí thư too
    )
    assert not Position.objects.filter(unit__kind__is_branch=True).exists()
    assert Position.objects.filter(title="Chánh Văn phòng", department__category="van_phong")
    assert Person.objects.count() == Position.objects.count()
    person = Person.objects.first()
    assert person is not None and person.name_folded == fold(person.full_name)
    # Provinces and districts have a term with a standing committee.
    for unit in Unit.objects.filter(kind__code__in=["tinh", "huyen"]):
        term = Term.objects.get(unit=unit)
        standing = CommitteeSeat.objects.filter(term=term, committee="thuong_truc")
        assert standing.filter(title="Bí thư", order=1).count() == 1
        assert standing.filter(title="Phó Bí thư").exists()


@pytest.mark.django_db
def test_generated_rows_match_the_plan() -> None:
    generate()
    plan = build_nation(units=2000, seed=7)
    assert sorted(Unit.objects.values_list("depth", "name")) == plan_depths(plan)


@pytest.mark.django_db
def test_generated_paths_follow_parents() -> None:
    generate()
    units = {u.pk: u for u in Unit.objects.all()}
    for unit in units.values():
        if unit.parent_id is None:
            assert unit.path == encode_step(unit.pk)
            assert unit.depth == 1
        else:
            parent = units[unit.parent_id]
            assert unit.path == parent.path + encode_step(unit.pk)
            assert unit.depth == parent.depth + 1
        assert unit.name_folded == fold(unit.name)


@pytest.mark.django_db
def test_generated_units_have_exactly_one_open_version() -> None:
    generate()
    open_versions = Counter(
        UnitVersion.objects.filter(valid_to__isnull=True).values_list("unit_id", flat=True)
    )
    assert UnitVersion.objects.count() == Unit.objects.count()
    for unit in Unit.objects.all():
        assert open_versions[unit.pk] == 1
    for v in UnitVersion.objects.select_related("unit")[:300]:
        u = v.unit
        assert (
            v.valid_from,
            v.name,
            v.name_folded,
            v.kind_id,
            v.sector,
            v.parent_id,
            v.path,
            v.depth,
        ) == (
            u.founded_on,
            u.name,
            u.name_folded,
            u.kind_id,
            u.sector,
            u.parent_id,
            u.path,
            u.depth,
        )
    # "As of" reads see the tree too.
    day = dt.date(2021, 1, 1)
    assert selectors.versions_on(day).count() == Unit.objects.count()


@pytest.mark.django_db
def test_generated_units_are_found_by_search_and_tree() -> None:
    generate()
    found = selectors.unit_search(scope=SUPERUSER, query="chi doan")
    assert len(found) == 50
    assert all("chi" in fold(n.name) and "doan" in fold(n.name) for n in found)
    provinces = selectors.unit_search(scope=SUPERUSER, query="tinh doan")
    expected = set(Unit.objects.filter(name__startswith="Tỉnh đoàn").values_list("name", flat=True))
    assert expected and expected <= {n.name for n in provinces}
    school = Unit.objects.filter(name__startswith="Đoàn trường THPT").first()
    assert school is not None
    assert any(
        n.id == school.pk
        for n in selectors.unit_search(scope=SUPERUSER, query=fold(school.name), limit=500)
    )
    (root,) = selectors.tree_roots(scope=SUPERUSER)
    assert root.child_count == Unit.objects.filter(parent_id=root.id).count() > 0
    province = Unit.objects.filter(kind__code="tinh").first()
    assert province is not None
    subtree = selectors.unit_subtree(scope=SUPERUSER, unit=province)
    assert subtree.count() == Unit.objects.filter(path__startswith=province.path).count() > 1


@pytest.mark.django_db
def test_generate_nation_attaches_under_existing_root_and_keeps_audit_chain(world: World) -> None:
    records_before = AuditRecord.objects.count()
    assert records_before > 0
    highest = Unit.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert highest is not None
    generate(units=500, seed=2)

    assert Unit.objects.filter(parent__isnull=True).count() == 1
    new = list(Unit.objects.filter(pk__gt=highest))
    assert 450 <= len(new) <= 550
    assert not [u for u in new if u.parent_id is None]
    assert [u for u in new if u.parent_id == world.centre.pk and u.name.startswith("T")]
    assert all(world.centre.founded_on <= u.founded_on <= FOUNDED_CAP for u in new)
    assert all(u.path.startswith(world.centre.path) for u in new)

    # Bulk synthetic data is not audited, and the chain still holds.
    assert AuditRecord.objects.count() == records_before
    assert verify().ok
    call_command("audit_verify", stdout=StringIO())

    # Ids continue after the generated ones: the services still create units.
    made = services.unit_create(
        actor=None,
        parent=world.province,
        name="Huyện đoàn Mới",
        kind=UnitKind.objects.get(code="huyen"),
        founded_on=dt.date(2020, 1, 1),
    )
    assert made.pk > max(u.pk for u in new)
    assert made.path == world.province.path + encode_step(made.pk)


@pytest.mark.django_db
def test_generate_history_writes_a_year_and_keeps_the_chain(world: World) -> None:
    from django.core.management.base import CommandError
    from django.db.models import Max as MaxOf

    from doanvu.demo.history import HALF, MONTHLY, YEARLY
    from doanvu.documents.models import Document, DocumentCounter, DocumentRecipient
    from doanvu.hub import selectors as hub_selectors
    from doanvu.hub.models import Obligation
    from doanvu.members.models import MemberRating, Membership, UnitClassification

    records_before = AuditRecord.objects.count()
    out = StringIO()
    call_command("generate_nation", units=400, seed=3, members=1500, history=True,
                 audit_records=4000, stdout=out)
    assert "Xong lịch sử" in out.getvalue()
    day = today()

    # Obligations: every live unit but the root owes its parent a year of reports.
    live = Unit.objects.filter(dissolved_on__isnull=True, parent__isnull=False)
    branches = live.filter(kind__is_branch=True).count()
    assert Obligation.objects.count() == 14 * (live.count() - branches) + 2 * branches
    province = Unit.objects.filter(kind__code="tinh", name__startswith="T").exclude(
        pk=world.province.pk).order_by("pk").first()
    assert province is not None
    owed = Obligation.objects.filter(owed_by_unit=province)
    assert owed.count() == 14
    assert set(owed.values_list("owed_to_unit_id", flat=True)) == {province.parent_id}
    assert set(owed.values_list("kind", flat=True)) == {MONTHLY, HALF, YEARLY}
    assert {o.period.year for o in owed} == {day.year}
    # past deadlines: mostly delivered, some late, some missing; none delivered in the future
    statuses = Counter(Obligation.objects.filter(due_on__lt=day).values_list("status", flat=True))
    if sum(statuses.values()) > 500:
        assert statuses["accepted"] > statuses["open"] > 0
    assert not Obligation.objects.filter(submitted_on__gt=day).exists()
    late = [o for o in Obligation.objects.filter(status="accepted")[:3000] if o.is_late(day)]
    if statuses["accepted"] > 500:
        assert late
    # …and they reach "Việc của tôi" of whoever holds a grant on the province
    secretary = Scope.for_user(world.province_secretary)
    mine = list(hub_selectors.my_open_obligations(scope=secretary, today=day))
    assert mine and {o.owed_by_unit_id for o in mine} == {world.province.pk}
    summary = hub_selectors.owed_to_my_units(scope=secretary, today=day)
    assert [s.unit_id for s in summary] == [world.province.pk]
    assert summary[0].open + summary[0].submitted + summary[0].done > 0

    # Documents: numbered 1…n per unit, type and year, with the counters past them.
    docs = Document.objects.filter(year=day.year)
    assert docs.exists() and not docs.exclude(status="da_ban_hanh").exists()
    for c in DocumentCounter.objects.filter(year=day.year)[:50]:
        numbers = sorted(docs.filter(issuing_unit_id=c.issuing_unit_id, doc_type_id=c.doc_type_id)
                         .values_list("number", flat=True))
        assert numbers == list(range(1, c.last_number + 1))
    assert docs.filter(issued_on__gt=day).count() == 0
    some = DocumentRecipient.objects.select_related("document", "unit").first()
    assert some is not None and some.unit.parent_id == some.document.issuing_unit_id

    # Last year's ratings: every member current at its end, every branch and grassroots unit.
    end = dt.date(day.year - 1, 12, 31)
    rated = Membership.objects.filter(joined_union_on__lte=end).exclude(ended_on__lte=end)
    assert MemberRating.objects.filter(year=day.year - 1).count() == rated.count() > 0
    assert set(MemberRating.objects.values_list("level", flat=True)) <= {
        "htxs", "htt", "ht", "khong_ht"}
    assert UnitClassification.objects.filter(year=day.year - 1, unit__kind__is_branch=True
                                             ).exists()

    # The audit log: the events of the year and member edits up to the target, chained.
    added = AuditRecord.objects.count() - records_before
    assert added >= 4000
    assert AuditRecord.objects.filter(model="hub.obligation").exists()
    assert AuditRecord.objects.filter(model="documents.document").exists()
    assert AuditRecord.objects.filter(model="members.membership").exists()
    new = AuditRecord.objects.order_by("-id")[:added]
    assert all(r.at.date() <= day for r in new)
    assert verify().ok
    call_command("audit_verify", stdout=StringIO())
    # an ordinary audited write goes on after the generated records, and the chain holds
    top = AuditRecord.objects.aggregate(m=MaxOf("id"))["m"]
    services.unit_create(actor=None, parent=world.province, name="Huyện đoàn Sau Lịch Sử",
                         kind=UnitKind.objects.get(code="huyen"), founded_on=dt.date(2020, 1, 1))
    assert AuditRecord.objects.aggregate(m=MaxOf("id"))["m"] > top
    assert verify().ok

    # A second history for the same year is refused.
    with pytest.raises(CommandError):
        call_command("generate_nation", units=0, history=True, stdout=StringIO())


@pytest.mark.django_db
def test_generated_members_are_counted_once_and_triggers_come_back() -> None:
    """The generator writes members with the tally triggers off and recounts once (issue 11);
    afterwards the triggers keep the counts again."""
    from doanvu.members import tally
    from doanvu.members.models import Membership, MemberStatus

    generate(units=300)
    call_command("generate_nation", units=0, members=500, seed=7, stdout=StringIO())
    assert tally.differences() == []
    root = Unit.objects.get(parent=None)
    active = Membership.objects.filter(is_current=True, status=MemberStatus.ACTIVE).count()
    assert tally.totals([root.path], status=MemberStatus.ACTIVE)[root.path] == active > 0
    Membership.objects.filter(pk=Membership.objects.filter(is_current=True).first().pk).delete()
    assert tally.differences() == []
    assert tally.totals([root.path], status=None)[root.path] == Membership.objects.filter(
        is_current=True).count()
