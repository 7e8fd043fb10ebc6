"""Fixtures of the emulation tests: Tỉnh đoàn Tây Ninh (the world of tests/conftest.py) issuing a
rubric for its district group, built through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from doanvu.accounts.models import User
from doanvu.emulation import services
from doanvu.emulation import sheets as sheet_services
from doanvu.emulation.models import Criterion, Rubric, ScoreSheet, SectorGroup
from doanvu.org.models import Department, DepartmentCategory
from tests.conftest import World, grant, make_user

# the departments' date of the sheets: ahead (scoring after it needs a reason, EMU-8)
DUE = dt.date.today() + dt.timedelta(days=30)


@dataclass
class EmuWorld:
    world: World
    group: SectorGroup
    rubric: Rubric
    office: Department
    office_cadre: User  # Văn phòng of the province: edits, may not open scoring


def build_rubric(world: World, group: SectorGroup, *, year: int = 2020,
                 office: Department | None = None) -> Rubric:
    """A complete, consistent rubric: two areas (10 + 20), a count criterion, bonus and penalty
    items, four tiers with a top-tier cap, a condition and a tie-break order."""
    rubric = services.rubric_create(actor=None, issuing_unit=world.province, year=year,
                                    group=group, name=f"Thang điểm thi đua năm {year}")
    a1 = services.area_save(actor=None, rubric=rubric, code="I", title="Công tác tư tưởng",
                            max_points=Decimal("10"), order=10)
    a2 = services.area_save(actor=None, rubric=rubric, code="II", title="Xây dựng tổ chức Đoàn",
                            max_points=Decimal("20"), order=20)
    services.criterion_save(actor=None, rubric=rubric, area=a1, code="1.1",
                            title="Học tập nghị quyết", max_points=Decimal("6"),
                            method="cham_diem", department=world.tckt, evidence_required=True,
                            evidence="Kế hoạch, báo cáo", order=10)
    services.criterion_save(actor=None, rubric=rubric, area=a1, code="1.2",
                            title="Báo cáo tư tưởng đúng hạn", max_points=Decimal("4"),
                            method="co_khong", order=20)
    services.criterion_save(actor=None, rubric=rubric, area=a2, code="2.1",
                            title="Công trình thanh niên", max_points=Decimal("12"),
                            method="so_lan", unit_points=Decimal("2.5"), department=office,
                            order=10)
    services.criterion_save(actor=None, rubric=rubric, area=a2, code="2.2",
                            title="Tỷ lệ đoàn viên được tập hợp", max_points=Decimal("8"),
                            method="ty_le", order=20)
    services.item_save(actor=None, rubric=rubric, kind="thuong", code="T1",
                       title="Mô hình được biểu dương", points=Decimal("1"), cap=Decimal("3"))
    services.item_save(actor=None, rubric=rubric, kind="tru", code="TR1",
                       title="Báo cáo trễ hạn", points=Decimal("0.5"), cap=Decimal("2"),
                       department=office)
    tiers = {}
    for code, name, rank, minimum, share in [
            ("htxs", "Hoàn thành xuất sắc nhiệm vụ", 1, "27", "20"),
            ("htt", "Hoàn thành tốt nhiệm vụ", 2, "22", None),
            ("ht", "Hoàn thành nhiệm vụ", 3, "15", None),
            ("kht", "Không hoàn thành nhiệm vụ", 4, "0", None)]:
        tiers[code] = services.tier_save(
            actor=None, rubric=rubric, code=code, name=name, rank=rank,
            min_score=Decimal(minimum), max_share=Decimal(share) if share else None)
    services.disqualifier_save(actor=None, rubric=rubric, code="L1",
                               label="Cán bộ chủ chốt bị kỷ luật", barred_tier=tiers["htxs"])
    return services.rubric_update(
        actor=None, rubric=rubric, name=rubric.name, bonus_cap=Decimal("3"),
        penalty_cap=Decimal("5"),
        tie_breaks=[{"key": "linh_vuc", "ref": "II"}, {"key": "it_diem_tru", "ref": ""}])


@pytest.fixture
def emu(world: World) -> EmuWorld:
    office = Department.objects.create(unit=world.province, name="Văn phòng", short_name="VP",
                                       category=DepartmentCategory.OFFICE)
    group = services.sector_group_create(actor=None, issuing_unit=world.province,
                                         name="Khối Huyện, Thành phố")
    services.sector_group_assign(actor=None, group=group,
                                 units=[world.district_a, world.district_b], year=2020)
    office_cadre = make_user("vanphong_tinh")
    grant(office_cadre, "van_phong", world.province)
    return EmuWorld(world, group, build_rubric(world, group, office=office), office,
                    office_cadre)


# -- score sheets (EMU-2, EMU-8, EMU-10) ---------------------------------------------------------


@dataclass
class SheetWorld:
    emu: EmuWorld
    sheet_a: ScoreSheet  # Huyện đoàn Châu Thành's sheet
    sheet_b: ScoreSheet  # Huyện đoàn Tân Biên's sheet
    tckt_scorer: User  # scores the criteria of Ban Tổ chức – Kiểm tra (1.1)
    office_scorer: User  # scores the criteria of Văn phòng (2.1)


def criterion(emu: EmuWorld, code: str) -> Criterion:
    return Criterion.objects.select_related("area", "department").get(
        area__rubric=emu.rubric, code=code)


@pytest.fixture
def sheets(emu: EmuWorld) -> SheetWorld:
    """The rubric frozen (scoring open) and a sheet for each district, due in 30 days."""
    services.rubric_freeze(actor=None, rubric=emu.rubric)
    emu.rubric.refresh_from_db()
    made = sheet_services.sheets_open(actor=None, rubric=emu.rubric, due_on=DUE)
    by_unit = {s.unit_id: s for s in made}
    tckt_scorer = make_user("chamdiem_tckt")
    grant(tckt_scorer, "can_bo_cham_diem", emu.world.province, department=emu.world.tckt)
    office_scorer = make_user("chamdiem_vp")
    grant(office_scorer, "can_bo_cham_diem", emu.world.province, department=emu.office)
    return SheetWorld(emu, by_unit[emu.world.district_a.pk], by_unit[emu.world.district_b.pk],
                      tckt_scorer, office_scorer)


# -- published results (EMU-6, EMU-7) ------------------------------------------------------------


def finalise_all(sw: SheetWorld) -> None:
    """Every sheet of the rubric final (the issuing unit's standing committee chotted them)."""
    from doanvu.emulation.models import SheetState

    ScoreSheet.objects.filter(rubric=sw.emu.rubric).update(state=SheetState.FINAL)


@dataclass
class Published:
    sw: SheetWorld
    snapshot: object  # RankingSnapshot, published
    approver: User  # a second approver of the province who scored nothing


@pytest.fixture
def published(sheets: SheetWorld) -> Published:
    """The two districts scored (test_emu3's lines), final, ranked and published today; the
    province's 2020 appeal window is 15 days."""
    from doanvu.common.dates import today
    from doanvu.emulation import ranking, results
    from tests.emulation.test_emu3_ranking import _score

    _score(sheets)
    finalise_all(sheets)
    w = sheets.emu.world
    snap = ranking.ranking_publish(
        actor=w.province_secretary,
        snapshot=ranking.ranking_compute(actor=w.province_secretary, rubric=sheets.emu.rubric),
        on=today())
    results.policy_set(actor=w.province_secretary, issuing_unit=w.province, year=2020,
                       appeal_days=15, note="Kế hoạch kiểm tra năm 2020")
    approver = make_user("phobithu_tinh")
    grant(approver, "pho_bi_thu", w.province)
    return Published(sheets, snap, approver)
