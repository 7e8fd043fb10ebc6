"""EMU-1: the rubric as data — built, checked, copied and frozen through the services."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone

from doanvu.audit.models import AuditRecord
from doanvu.emulation import services
from doanvu.emulation.models import (
    Criterion,
    Rubric,
    RubricItem,
    RubricState,
    RubricTier,
    WorkArea,
)
from doanvu.emulation.permissions import EmulationScopeError
from doanvu.emulation.services import RubricError, RubricFrozenError, rubric_spec
from doanvu.org.models import Department, DepartmentCategory
from tests.emulation.conftest import EmuWorld


def _area(emu: EmuWorld, code: str) -> WorkArea:
    return WorkArea.objects.get(rubric=emu.rubric, code=code)


def _refused(call: Callable[[], object]) -> RubricError:
    with pytest.raises(RubricError) as caught:
        call()
    return caught.value


def test_emu1_rubric_is_data_of_its_unit_and_year_and_audited(emu: EmuWorld) -> None:
    spec = rubric_spec(emu.rubric)
    kinds = set(AuditRecord.objects.filter(unit_id=emu.world.province.pk)
                .values_list("model", flat=True))

    assert (emu.rubric.issuing_unit, emu.rubric.year, emu.rubric.group) == (
        emu.world.province, 2020, emu.group)
    assert emu.rubric.state == RubricState.DRAFT
    assert [(a.code, a.max_points, [c.code for c in a.criteria]) for a in spec.areas] == [
        ("I", Decimal("10"), ["1.1", "1.2"]), ("II", Decimal("20"), ["2.1", "2.2"])]
    assert [(t.code, t.min_score, t.max_share) for t in spec.tiers] == [
        ("htxs", Decimal("27"), Decimal("20")), ("htt", Decimal("22"), None),
        ("ht", Decimal("15"), None), ("kht", Decimal("0"), None)]
    assert spec.tie_breaks == [{"key": "linh_vuc", "ref": "II"},
                               {"key": "it_diem_tru", "ref": ""}]
    assert {"emulation.rubric", "emulation.workarea", "emulation.criterion",
            "emulation.rubricitem", "emulation.rubrictier",
            "emulation.rubricdisqualifier"} <= kinds
    assert services.spec_problems(spec, complete=True) == []


def test_emu1_criteria_above_the_area_maximum_are_refused_naming_the_field(emu: EmuWorld) -> None:
    before = rubric_spec(emu.rubric)

    error = _refused(lambda: services.criterion_save(
        actor=None, rubric=emu.rubric, area=_area(emu, "I"), code="1.3", title="Thêm",
        max_points=Decimal("1"), method="cham_diem"))

    assert str(error) == ("Lĩnh vực I: tổng điểm tối đa của các tiêu chí (11) vượt điểm tối đa "
                          "của lĩnh vực (10).")
    assert error.field == "max_points"
    assert rubric_spec(emu.rubric) == before
    assert not Criterion.objects.filter(code="1.3").exists()


def test_emu1_lowering_an_area_below_its_criteria_is_refused(emu: EmuWorld) -> None:
    area = _area(emu, "II")

    error = _refused(lambda: services.area_save(
        actor=None, rubric=emu.rubric, area=area, code="II", title=area.title,
        max_points=Decimal("15")))

    assert str(error) == ("Lĩnh vực II: tổng điểm tối đa của các tiêu chí (20) vượt điểm tối đa "
                          "của lĩnh vực (15).")
    assert _area(emu, "II").max_points == Decimal("20")


def test_emu1_item_cap_below_its_points_is_refused(emu: EmuWorld) -> None:
    error = _refused(lambda: services.item_save(
        actor=None, rubric=emu.rubric, kind="tru", code="TR2", title="Vắng hội nghị",
        points=Decimal("2"), cap=Decimal("1.5")))

    assert str(error) == "Mục TR2: mức tối đa của mục (1,5) nhỏ hơn điểm mỗi lần (2)."
    assert error.field == "cap"
    assert not RubricItem.objects.filter(code="TR2").exists()


def test_emu1_overall_bonus_cap_below_an_items_points_is_refused(emu: EmuWorld) -> None:
    error = _refused(lambda: services.rubric_update(
        actor=None, rubric=emu.rubric, name=emu.rubric.name, bonus_cap=Decimal("0.5"),
        penalty_cap=None, tie_breaks=[]))

    assert str(error) == "Tổng điểm thưởng tối đa (0,5) nhỏ hơn điểm mỗi lần của mục T1 (1)."
    assert error.field == "bonus_cap"
    assert Rubric.objects.get(pk=emu.rubric.pk).bonus_cap == Decimal("3")


def test_emu1_thresholds_that_do_not_increase_are_refused(emu: EmuWorld) -> None:
    tier = RubricTier.objects.get(rubric=emu.rubric, code="htt")

    error = _refused(lambda: services.tier_save(
        actor=None, rubric=emu.rubric, tier=tier, code="htt", name=tier.name, rank=2,
        min_score=Decimal("27")))

    assert str(error) == ("Điểm tối thiểu của “Hoàn thành tốt nhiệm vụ” (27) phải thấp hơn của "
                          "“Hoàn thành xuất sắc nhiệm vụ” (27): mức cao hơn cần nhiều điểm hơn.")
    assert error.field == "min_score"
    assert RubricTier.objects.get(pk=tier.pk).min_score == Decimal("22")


@pytest.mark.parametrize("share", ["100.01", "150"])
def test_emu1_top_tier_cap_outside_0_100_percent_is_refused(emu: EmuWorld, share: str) -> None:
    tier = RubricTier.objects.get(rubric=emu.rubric, code="htxs")

    error = _refused(lambda: services.tier_save(
        actor=None, rubric=emu.rubric, tier=tier, code="htxs", name=tier.name, rank=1,
        min_score=tier.min_score, max_share=Decimal(share)))

    assert str(error) == (f"“Hoàn thành xuất sắc nhiệm vụ”: tỷ lệ tối đa trong khối "
                          f"({share.replace('.', ',')} %) phải từ 0 đến 100 %.")
    assert error.field == "max_share"


def test_emu1_count_method_needs_points_per_occurrence_within_the_maximum(
        emu: EmuWorld) -> None:
    criterion = Criterion.objects.get(area__rubric=emu.rubric, code="2.1")

    def save(unit: Decimal | None) -> object:
        return services.criterion_save(
            actor=None, rubric=emu.rubric, criterion=criterion, area=criterion.area,
            code="2.1", title=criterion.title, max_points=Decimal("12"), method="so_lan",
            unit_points=unit)

    missing, above = _refused(lambda: save(None)), _refused(lambda: save(Decimal("13")))

    assert str(missing) == ("Tiêu chí 2.1: cách chấm “số lần × điểm mỗi lần” cần điểm mỗi lần "
                            "lớn hơn 0.")
    assert str(above) == "Tiêu chí 2.1: điểm mỗi lần (13) lớn hơn điểm tối đa của tiêu chí (12)."
    assert above.field == "unit_points"


def test_emu1_tie_break_naming_a_missing_area_is_refused(emu: EmuWorld) -> None:
    error = _refused(lambda: services.rubric_update(
        actor=None, rubric=emu.rubric, name=emu.rubric.name, bonus_cap=None, penalty_cap=None,
        tie_breaks=[{"key": "linh_vuc", "ref": "IX"}]))

    assert str(error) == "Bước 1 của thứ tự xét bằng điểm: không có lĩnh vực “IX”."
    assert error.field == "tie_breaks"


def test_emu1_codes_are_unique_in_the_rubric(emu: EmuWorld) -> None:
    error = _refused(lambda: services.criterion_save(
        actor=None, rubric=emu.rubric, area=_area(emu, "II"), code="1.1", title="Trùng mã",
        max_points=Decimal("1"), method="cham_diem"))

    assert str(error) == "Mã tiêu chí “1.1” đã có trong thang điểm."
    assert error.field == "code"


def test_emu1_department_of_another_unit_is_refused(emu: EmuWorld) -> None:
    foreign = Department.objects.create(unit=emu.world.district_b, name="Văn phòng",
                                        category=DepartmentCategory.OFFICE)
    criterion = Criterion.objects.get(area__rubric=emu.rubric, code="1.2")

    error = _refused(lambda: services.criterion_save(
        actor=None, rubric=emu.rubric, criterion=criterion, area=criterion.area, code="1.2",
        title=criterion.title, max_points=criterion.max_points, method="co_khong",
        department=foreign))

    assert str(error) == "Ban này không thuộc Tỉnh đoàn Tây Ninh."
    assert error.field == "department"


def test_emu1_freezing_asks_a_complete_rubric(emu: EmuWorld) -> None:
    criterion = Criterion.objects.get(area__rubric=emu.rubric, code="2.2")
    services.rubric_part_delete(actor=None, rubric=emu.rubric, part=criterion)

    error = _refused(lambda: services.rubric_freeze(actor=None, rubric=emu.rubric))

    assert str(error) == ("Lĩnh vực II: tổng điểm tối đa của các tiêu chí (12) chưa bằng điểm "
                          "tối đa của lĩnh vực (20).")
    assert Rubric.objects.get(pk=emu.rubric.pk).state == RubricState.DRAFT


def test_emu1_frozen_rubric_refuses_every_edit_with_a_clear_message(emu: EmuWorld) -> None:
    rubric = services.rubric_freeze(actor=emu.world.province_secretary, rubric=emu.rubric)
    area = _area(emu, "I")
    criterion = Criterion.objects.get(area__rubric=rubric, code="1.1")
    tier = RubricTier.objects.get(rubric=rubric, code="htt")
    before = rubric_spec(rubric)
    edits: list[Callable[[], object]] = [
        lambda: services.area_save(actor=None, rubric=rubric, area=area, code="I",
                                   title="Đổi", max_points=Decimal("10")),
        lambda: services.criterion_save(actor=None, rubric=rubric, criterion=criterion,
                                        area=area, code="1.1", title="Đổi",
                                        max_points=Decimal("6"), method="cham_diem"),
        lambda: services.item_save(actor=None, rubric=rubric, kind="thuong", code="T9",
                                   title="Mới", points=Decimal("1")),
        lambda: services.tier_save(actor=None, rubric=rubric, tier=tier, code="htt",
                                   name="Tốt", rank=2, min_score=Decimal("20")),
        lambda: services.disqualifier_save(actor=None, rubric=rubric, code="L9", label="Mới",
                                           barred_tier=tier),
        lambda: services.rubric_update(actor=None, rubric=rubric, name="Đổi tên",
                                       bonus_cap=None, penalty_cap=None, tie_breaks=[]),
        lambda: services.rubric_part_delete(actor=None, rubric=rubric, part=criterion),
        lambda: services.rubric_replace(actor=None, rubric=rubric, spec=before),
        lambda: services.rubric_freeze(actor=None, rubric=rubric),
    ]
    messages = set()

    for edit in edits:
        with pytest.raises(RubricFrozenError) as caught:
            edit()
        messages.add(str(caught.value))

    day = timezone.localtime(rubric.frozen_at).strftime("%d/%m/%Y") if rubric.frozen_at else ""
    assert messages == {f"Thang điểm “Thang điểm thi đua năm 2020” đã khóa từ khi mở chấm điểm "
                        f"ngày {day}: không thể sửa nữa. Nếu cần thay đổi, hãy sao chép thành "
                        f"một thang điểm mới."}
    assert rubric_spec(rubric) == before
    assert rubric.frozen_by == emu.world.province_secretary


def test_emu1_copy_last_year_is_deep_and_independent(emu: EmuWorld) -> None:
    services.rubric_freeze(actor=None, rubric=emu.rubric)

    copy = services.rubric_copy(actor=emu.world.province_secretary, source=emu.rubric,
                                year=2021)
    services.area_save(actor=None, rubric=copy, area=WorkArea.objects.get(rubric=copy,
                                                                          code="I"),
                       code="I", title="Công tác giáo dục chính trị", max_points=Decimal("10"))
    source, copied = rubric_spec(emu.rubric), rubric_spec(copy)

    assert (copy.year, copy.group, copy.state, copy.copied_from) == (
        2021, emu.group, RubricState.DRAFT, emu.rubric)
    assert copy.name == "Thang điểm thi đua năm 2021"
    assert source.areas[0].title == "Công tác tư tưởng"
    assert copied.areas[0].title == "Công tác giáo dục chính trị"
    copied.areas[0].title = source.areas[0].title
    copied.name = source.name
    assert copied == source
    assert not set(WorkArea.objects.filter(rubric=copy).values_list("pk", flat=True)) & set(
        WorkArea.objects.filter(rubric=emu.rubric).values_list("pk", flat=True))


def test_emu1_copy_into_a_year_that_has_one_is_refused(emu: EmuWorld) -> None:
    error = _refused(lambda: services.rubric_copy(actor=None, source=emu.rubric, year=2020))

    assert str(error) == "Năm 2020 đã có thang điểm cho khối “Khối Huyện, Thành phố”."
    assert error.field == "year"
    assert Rubric.objects.count() == 1


def test_emu1_copy_drops_departments_that_ended(emu: EmuWorld) -> None:
    Department.objects.filter(pk=emu.office.pk).update(valid_to="2020-12-31")

    copy = services.rubric_copy(actor=None, source=emu.rubric, year=2021)

    assert Criterion.objects.get(area__rubric=copy, code="2.1").department is None
    assert Criterion.objects.get(area__rubric=copy, code="1.1").department == emu.world.tckt


def test_emu1_writes_check_the_actor_scope(emu: EmuWorld) -> None:
    w = emu.world
    area = _area(emu, "I")
    count = Rubric.objects.count()

    for actor in (w.district_a_cadre, w.outsider):
        with pytest.raises(EmulationScopeError):
            services.area_save(actor=actor, rubric=emu.rubric, area=area, code="I", title="X",
                               max_points=Decimal("10"))
        with pytest.raises(EmulationScopeError):
            services.rubric_copy(actor=actor, source=emu.rubric, year=2021)
        with pytest.raises(EmulationScopeError):
            services.rubric_freeze(actor=actor, rubric=emu.rubric)
    with pytest.raises(EmulationScopeError):  # the office edits but does not open scoring
        services.rubric_freeze(actor=emu.office_cadre, rubric=emu.rubric)
    services.area_save(actor=emu.office_cadre, rubric=emu.rubric, area=area, code="I",
                       title="Công tác tư tưởng, chính trị", max_points=Decimal("10"))

    assert Rubric.objects.count() == count
    assert _area(emu, "I").title == "Công tác tư tưởng, chính trị"
    assert Rubric.objects.get(pk=emu.rubric.pk).state == RubricState.DRAFT


def test_emu1_a_unit_is_in_one_group_a_year(emu: EmuWorld) -> None:
    w = emu.world
    other = services.sector_group_create(actor=None, issuing_unit=w.province,
                                         name="Khối Lực lượng vũ trang")

    error = _refused(lambda: services.sector_group_assign(
        actor=None, group=other, units=[w.district_a], year=2020))
    services.sector_group_assign(actor=None, group=other, units=[w.district_a], year=2021)
    not_below = _refused(lambda: services.sector_group_assign(
        actor=None, group=other, units=[w.centre], year=2022))

    assert str(error) == "Huyện đoàn Châu Thành đã thuộc khối “Khối Huyện, Thành phố” năm 2020."
    assert str(not_below) == "Trung ương Đoàn không trực thuộc Tỉnh đoàn Tây Ninh."
    assert list(other.memberships.values_list("unit__name", "year")) == [
        ("Huyện đoàn Châu Thành", 2021)]


def test_emu1_deleting_an_area_drops_its_criteria_and_tie_breaks(emu: EmuWorld) -> None:
    services.rubric_part_delete(actor=None, rubric=emu.rubric, part=_area(emu, "II"))

    rubric = Rubric.objects.get(pk=emu.rubric.pk)
    assert list(Criterion.objects.filter(area__rubric=rubric).values_list("code", flat=True)) \
        == ["1.1", "1.2"]
    assert rubric.tie_breaks == [{"key": "it_diem_tru", "ref": ""}]


def test_emu1_close_ends_an_open_rubric_only(emu: EmuWorld) -> None:
    error = _refused(lambda: services.rubric_close(actor=None, rubric=emu.rubric))
    services.rubric_freeze(actor=None, rubric=emu.rubric)

    closed = services.rubric_close(actor=emu.world.province_secretary, rubric=emu.rubric)

    assert str(error) == "Chỉ kết thúc được thang điểm đang chấm điểm."
    assert closed.state == RubricState.CLOSED
