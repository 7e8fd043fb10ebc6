"""X-3 for EMU-1: every write of the emulation module checks its actor itself. Each public
function with an `actor` parameter has a case: called by a district cadre (below the issuing
province) and by a stranger it raises EmulationScopeError and writes nothing; called by the
province's secretary it succeeds. A new write service fails the enumeration until it has one."""

from __future__ import annotations

import datetime as dt
import inspect
import io
from collections.abc import Callable
from decimal import Decimal

import pytest

from doanvu.audit.models import AuditRecord
from doanvu.emulation import component_requests, importers, services
from doanvu.emulation.exporters import rubric_workbook
from doanvu.emulation.models import Criterion, RubricTier, WorkArea
from doanvu.emulation.permissions import EmulationScopeError
from tests.emulation.conftest import EmuWorld

Call = Callable[[EmuWorld, object], object]


def _area(emu: EmuWorld) -> WorkArea:
    return WorkArea.objects.get(rubric=emu.rubric, code="I")


def _tier(emu: EmuWorld) -> RubricTier:
    return RubricTier.objects.get(rubric=emu.rubric, code="htxs")


CASES: dict[str, Call] = {
    "sector_group_create": lambda e, a: services.sector_group_create(
        actor=a, issuing_unit=e.world.province, name="Khối mới"),
    "sector_group_assign": lambda e, a: services.sector_group_assign(
        actor=a, group=e.group, units=[e.world.district_a], year=2021),
    "rubric_create": lambda e, a: services.rubric_create(
        actor=a, issuing_unit=e.world.province, year=2022, group=e.group, name="Năm 2022"),
    "rubric_update": lambda e, a: services.rubric_update(
        actor=a, rubric=e.rubric, name="Đổi tên", bonus_cap=None, penalty_cap=None,
        tie_breaks=[]),
    "area_save": lambda e, a: services.area_save(
        actor=a, rubric=e.rubric, code="III", title="Lĩnh vực mới", max_points=Decimal("5")),
    "criterion_save": lambda e, a: services.criterion_save(
        actor=a, rubric=e.rubric, area=WorkArea.objects.get(rubric=e.rubric, code="II"),
        criterion=Criterion.objects.get(area__rubric=e.rubric, code="2.2"), code="2.2",
        title="Đổi", max_points=Decimal("8"), method="ty_le"),
    "item_save": lambda e, a: services.item_save(
        actor=a, rubric=e.rubric, kind="tru", code="TR9", title="Mới", points=Decimal("1")),
    "tier_save": lambda e, a: services.tier_save(
        actor=a, rubric=e.rubric, tier=_tier(e), code="htxs", name="Xuất sắc", rank=1,
        min_score=Decimal("28")),
    "disqualifier_save": lambda e, a: services.disqualifier_save(
        actor=a, rubric=e.rubric, code="L9", label="Mới", barred_tier=_tier(e)),
    "rubric_part_delete": lambda e, a: services.rubric_part_delete(
        actor=a, rubric=e.rubric, part=Criterion.objects.get(area__rubric=e.rubric, code="2.2")),
    "rubric_replace": lambda e, a: services.rubric_replace(
        actor=a, rubric=e.rubric, spec=services.rubric_spec(e.rubric)),
    "rubric_copy": lambda e, a: services.rubric_copy(actor=a, source=e.rubric, year=2021),
    "rubric_freeze": lambda e, a: services.rubric_freeze(actor=a, rubric=e.rubric),
    "rubric_close": lambda e, a: services.rubric_close(actor=a, rubric=e.rubric),
    "rubric_import": lambda e, a: importers.rubric_import(
        actor=a, rubric=e.rubric, upload=io.BytesIO(rubric_workbook(e.rubric))),
    # EMU-2: asking a department for component results
    "component_request_create": lambda e, a: component_requests.component_request_create(
        actor=a, rubric=e.rubric, criteria=[Criterion.objects.get(area__rubric=e.rubric,
                                                                  code="2.2")],
        owed_by=e.world.tckt, owed_to=e.office, due_on=dt.date(2020, 11, 4)),
}


def test_x3_every_emulation_write_service_has_a_case() -> None:
    found = {name for module in (services, importers, component_requests)
             for name, fn in inspect.getmembers(module, inspect.isfunction)
             if fn.__module__ == module.__name__ and not name.startswith("_")
             and "actor" in inspect.signature(fn).parameters}

    assert found == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_x3_emulation_service_refuses_an_outsider_and_serves_the_owner(emu: EmuWorld,
                                                                         name: str) -> None:
    call = CASES[name]
    if name == "rubric_close":  # only an open rubric is closed
        services.rubric_freeze(actor=None, rubric=emu.rubric)
    records = AuditRecord.objects.count()

    for outsider in (emu.world.district_a_cadre, emu.world.outsider):
        with pytest.raises(EmulationScopeError):
            call(emu, outsider)
    unchanged = AuditRecord.objects.count() == records
    call(emu, emu.world.province_secretary)

    assert unchanged
    assert AuditRecord.objects.count() > records
