"""FV-3/FV-4/FV-11 stored: the yearly recompute of every cadre's compliance, set-based (the
number of queries does not grow with the cadres), equal to the cadre's year through the rules,
idempotent, and run by `manage.py recompute_fieldvisits`."""

from __future__ import annotations

import gc
import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doanvu.fieldvisits.compliance import cadre_year
from doanvu.fieldvisits.models import Compliance
from doanvu.fieldvisits.recompute import compute, recompute
from doanvu.org.models import Person
from tests.fieldvisits.compliance_fixtures import (  # noqa: F401
    FV,
    YEAR,
    cadre,
    fv,
    supervise,
    visit,
)


def rows() -> dict[str, Compliance]:
    return {c.person.full_name: c for c in
            Compliance.objects.filter(year=YEAR).select_related("person").order_by("id")}


def test_recompute_stores_every_cadre(fv: FV) -> None:  # noqa: F811
    done = recompute(year=YEAR, unit=fv.world.province)
    assert done.cadres == 5 and done.created == 5
    got = rows()
    goer = got["Nguyễn Văn Đi"]
    assert (goer.met, goer.counted_days, goer.required_days) == (True, 62, 60)
    assert goer.days_by_level == {"huyen": 2, "co_so": 60} and goer.branch_meetings == 1
    assert sum(goer.days_by_month) == 62 and goer.days_by_month[0] == 26
    short = got["Trần Thị Thiếu"]
    assert short.missing == ("Thiếu 12 ngày; chưa dự sinh hoạt chi đoàn ấp, khu phố; "
                             "chưa đi cấp huyện.")
    assert short.department_id == fv.dept.pk and short.unit_id == fv.world.province.pk
    clerk = got["Lê Văn Thư"]
    assert clerk.exempt and clerk.met and clerk.missing == ""
    mother = got["Phạm Thị Mẹ"]
    assert mother.required_days == 30 and "vì nghỉ thai sản 01/01–30/06" in mother.requirement_text
    district = got["Võ Văn Huyện"]
    assert district.unit_id == fv.world.district_a.pk and district.counted_days == 10


def test_the_recompute_equals_the_cadres_year(fv: FV) -> None:  # noqa: F811
    for c in compute(year=YEAR):
        year = cadre_year(Person.objects.get(pk=c.person_id), YEAR)
        assert year is not None
        assert c.result == year.result and c.required == year.required


def test_queries_do_not_grow_with_the_cadres(fv: FV) -> None:  # noqa: F811
    with CaptureQueriesContext(connection) as few:
        recompute(year=YEAR, unit=fv.world.province)
    w = fv.world
    for i in range(15):
        p = cadre(w.district_b, "Chuyên viên", name=f"Cán bộ thêm {i}")
        visit(p, w.district_b, [w.commune_b1, w.branch_b1], "02/03", "04/03", "1.6")
    with CaptureQueriesContext(connection) as many:
        done = recompute(year=YEAR, unit=fv.world.province)
    assert done.cadres == 20 and done.created == 15
    assert len(many.captured_queries) <= len(few.captured_queries) + 2
    assert len(many.captured_queries) < 20


def test_recompute_again_changes_only_what_changed(fv: FV) -> None:  # noqa: F811
    recompute(year=YEAR, unit=fv.world.province)
    assert recompute(year=YEAR, unit=fv.world.province).updated == 0
    visit(fv.short, fv.world.province, [fv.world.district_a], "01/06", "12/06", "1.6")
    again = recompute(year=YEAR, unit=fv.world.province)
    assert (again.updated, again.created) == (1, 0)
    assert rows()["Trần Thị Thiếu"].met is True


def test_a_district_recompute_leaves_the_province_alone(fv: FV) -> None:  # noqa: F811
    recompute(year=YEAR, unit=fv.world.province)
    done = recompute(year=YEAR, unit=fv.world.district_a)
    assert done.cadres == 1 and done.deleted == 0
    assert Compliance.objects.filter(year=YEAR).count() == 5


def test_the_daily_command(fv: FV) -> None:  # noqa: F811
    out = io.StringIO()
    call_command("recompute_fieldvisits", "--ngay", f"31/12/{YEAR}", stdout=out)
    assert "5 cán bộ năm 2020" in out.getvalue()
    assert Compliance.objects.filter(year=YEAR).count() == 5


def test_own_only_recomputes_the_units_own_agency(fv: FV) -> None:  # noqa: F811
    recompute(year=YEAR, unit=fv.world.centre)
    done = recompute(year=YEAR, unit=fv.world.province, own_only=True)
    assert done.cadres == 4 and done.deleted == 0
    assert Compliance.objects.filter(year=YEAR, unit=fv.world.district_a).count() == 1


def test_the_collector_is_held_off_only_while_computing(fv: FV) -> None:  # noqa: F811
    """The recompute holds the cyclic garbage collector off while it computes and leaves it as
    it found it."""
    assert gc.isenabled()
    assert compute(year=YEAR) and gc.isenabled()
    gc.disable()
    try:
        assert compute(year=YEAR) and not gc.isenabled()
    finally:
        gc.enable()


def test_the_recompute_counts_days_at_the_assigned_units(fv: FV) -> None:  # noqa: F811
    """FV-11 "1+2": a place at or below a unit the cadre supervises is at their assigned unit
    (the places' paths are read only when someone supervises); the same as the cadre's year."""
    w = fv.world
    supervise(fv.short, w.province, w.commune_a1)
    supervise(fv.goer, w.province, w.commune_b1)
    supervise(fv.goer, w.province, w.commune_a1)
    computed = {c.person_id: c for c in compute(year=YEAR)}
    assert computed[fv.short.pk].result.assigned_unit_days == 47  # 01/02–18/03/2020
    assert computed[fv.goer.pk].result.assigned_unit_days == 60  # the commune and its branch
    assert computed[fv.mother.pk].result.assigned_unit_days == 0
    for c in computed.values():
        year = cadre_year(Person.objects.get(pk=c.person_id), YEAR)
        assert year is not None and c.result == year.result
