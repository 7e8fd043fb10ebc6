"""IND-1: seed 003's four formulas measured on members' data, with the per-child breakdown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from doanvu.accounts.scope import Scope
from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period
from doanvu.targets import formulas, selectors, services
from doanvu.targets.models import Target
from tests.targets.conftest import YEAR, TargetsWorld

UPTO = dt.date(YEAR + 1, 6, 30)


def _measure(tw: TargetsWorld, code: str, unit: object, **extra: object) -> formulas.Measure:
    w = tw.mw.world
    return formulas.measure(scope=Scope.for_user(w.province_secretary), unit=unit,  # type: ignore[arg-type]
                            code=code, params={"year": YEAR, **extra}, upto=UPTO)


def _parts(m: formulas.Measure) -> list[tuple[str, Decimal, int, int | None]]:
    return [(p.unit.name, p.value, p.numerator, p.denominator) for p in m.parts]


def test_ind1_courses_for_residential_branch_secretaries_per_district(tw: TargetsWorld) -> None:
    w = tw.mw.world
    m = _measure(tw, "residential_secretary_courses", w.province)

    assert (m.value, m.numerator, m.denominator) == (Decimal(1), 1, None)
    assert _parts(m) == [("Huyện đoàn Tân Biên", Decimal(0), 0, None),
                         ("Huyện đoàn Châu Thành", Decimal(1), 1, None)]


def test_ind1_commune_secretaries_with_degree_and_theory(tw: TargetsWorld) -> None:
    w = tw.mw.world
    m = _measure(tw, "commune_secretaries_qualified", w.province, min_education="dai_hoc",
                 min_theory="trung_cap")

    assert (m.value, m.numerator, m.denominator) == (Decimal("50.0"), 1, 2)
    assert _parts(m) == [("Huyện đoàn Tân Biên", Decimal("0.0"), 0, 1),
                         ("Huyện đoàn Châu Thành", Decimal("100.0"), 1, 1)]


def test_ind1_members_registered_for_ren_luyen(tw: TargetsWorld) -> None:
    w = tw.mw.world
    m = _measure(tw, "training_registration", w.province)

    assert (m.value, m.numerator, m.denominator) == (Decimal("50.0"), 2, 4)
    assert _parts(m) == [("Huyện đoàn Tân Biên", Decimal("0.0"), 0, 1),
                         ("Huyện đoàn Châu Thành", Decimal("66.7"), 2, 3)]
    # the drill-down: the same target at district A, by commune
    down = _measure(tw, "training_registration", w.district_a)
    assert _parts(down) == [("Đoàn xã Thái Bình", Decimal("66.7"), 2, 3)]


def test_ind1_residential_branches_meeting_regularly(tw: TargetsWorld) -> None:
    w = tw.mw.world
    m = _measure(tw, "residential_branches_meeting", w.province)

    assert (m.value, m.numerator, m.denominator) == (Decimal("50.0"), 1, 2)
    assert _parts(m) == [("Huyện đoàn Tân Biên", Decimal("0.0"), 0, 1),
                         ("Huyện đoàn Châu Thành", Decimal("100.0"), 1, 1)]


def test_ind1_a_scope_reads_only_its_own_subtree(tw: TargetsWorld) -> None:
    w = tw.mw.world
    inside = Scope.for_user(w.district_a_cadre)

    mine = formulas.measure(scope=inside, unit=w.district_a, code="training_registration",
                            params={"year": YEAR}, upto=UPTO)
    theirs = formulas.measure(scope=inside, unit=w.district_b, code="training_registration",
                              params={"year": YEAR}, upto=UPTO)

    assert (mine.numerator, mine.denominator) == (2, 3)
    assert (theirs.value, theirs.numerator, theirs.denominator, theirs.parts) == (
        Decimal(0), 0, 0, [])


def test_ind1_rows_give_met_trend_and_the_units_behind(tw: TargetsWorld) -> None:
    w = tw.mw.world
    rows = selectors.target_rows(scope=Scope.for_user(w.province_secretary), unit=w.province,
                                 upto=UPTO)

    assert [(r.target.formula, r.measure.value, r.met, r.trend) for r in rows] == [
        ("residential_secretary_courses", Decimal(1), True, "up"),
        ("commune_secretaries_qualified", Decimal("50.0"), False, "same"),
        ("training_registration", Decimal("50.0"), False, "up"),
        ("residential_branches_meeting", Decimal("50.0"), False, "up"),
    ]
    assert [p.unit.name for p in rows[2].behind] == ["Huyện đoàn Tân Biên",
                                                     "Huyện đoàn Châu Thành"]
    assert [p.unit.name for p in rows[0].behind] == ["Huyện đoàn Tân Biên"]


def _create(tw: TargetsWorld, user: object, **over: object) -> Target:
    w = tw.mw.world
    kwargs: dict[str, object] = {
        "scope": Scope.for_user(user), "unit": w.district_a, "name": "Chỉ tiêu",  # type: ignore[arg-type]
        "goal": "100", "due_on": dt.date(2022, 12, 31), "scope_unit": w.district_a,
        "formula": "training_registration", "params": {"year": YEAR}}
    kwargs.update(over)
    return services.target_create(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("over", "field", "message"), [
    ({"goal": "một trăm"}, "goal", "Giá trị chỉ tiêu phải là một số."),
    ({"goal": "NaN"}, "goal", "Giá trị chỉ tiêu phải là một số."),
    ({"goal": "-5"}, "goal", "Giá trị chỉ tiêu phải là một số."),
    ({"params": {"year": "hai nghìn"}}, "params", "Tham số “Năm” phải là một năm."),
    ({"params": {"year": 2024, "x": 1}}, "params", "Tham số công thức không hợp lệ: x."),
    ({"formula": "eval(1)"}, "formula", "Công thức không có trong danh mục."),
    ({"name": "  "}, "name", "Tên chỉ tiêu không được để trống."),
])
def test_ind1_bad_input_names_the_field(tw: TargetsWorld, over: dict[str, object], field: str,
                                        message: str) -> None:
    before = Target.objects.count()
    with pytest.raises(ApplicationError) as err:
        _create(tw, tw.mw.world.district_a_cadre, **over)

    assert (err.value.field, err.value.message) == (field, message)
    assert Target.objects.count() == before


def test_ind1_scope_outside_the_users_reach_is_refused(tw: TargetsWorld) -> None:
    w = tw.mw.world
    with pytest.raises(ApplicationError) as err:
        _create(tw, w.district_a_cadre, scope_unit=w.district_b)
    assert err.value.field == "scope_unit"
    with pytest.raises(ApplicationError) as err:
        _create(tw, w.district_b_cadre)
    assert err.value.field == "unit"


def test_ind1_entered_by_units_is_the_mean_of_their_figures(tw: TargetsWorld) -> None:
    w = tw.mw.world
    target = _create(tw, w.district_a_cadre, formula="", params=None, goal="80")
    scope = Scope.for_user(w.district_a_cadre)
    services.target_entry_set(scope=scope, target=target, unit=w.commune_a1, value="90",
                              on=dt.date(2024, 12, 1))
    services.target_entry_set(scope=scope, target=target, unit=w.commune_a2, value="60,5",
                              on=dt.date(2024, 12, 1))

    row = next(r for r in selectors.target_rows(scope=scope, unit=w.district_a, upto=UPTO)
               if r.target == target)

    assert (row.measure.value, row.met) == (Decimal("75.25"), False)
    assert [(p.unit.name, p.value) for p in row.behind] == [("Đoàn xã Hảo Đước",
                                                             Decimal("60.50"))]
    with pytest.raises(ApplicationError) as err:
        services.target_entry_set(scope=scope, target=target, unit=w.commune_a1, value="x",
                                  on=dt.date(2024, 12, 1))
    assert err.value.field == "value"


def test_ind1_measured_on_the_tree_of_its_due_date(tw: TargetsWorld) -> None:
    """X-10: district A's 2024 targets read its communes, branches and members of 2024 after a
    reform moved its communes to district B and dissolved it; members' API answers alike."""
    from doanvu.members import api as members
    from doanvu.org import services as org

    w = tw.mw.world
    reform = dt.date(YEAR + 1, 7, 1)
    for commune in (w.commune_a1, w.commune_a2):
        org.unit_move(actor=None, unit=commune, new_parent=w.district_b, on=reform)
    org.unit_dissolve(actor=None, unit=w.district_a, on=reform)
    w.district_a.refresh_from_db()
    w.district_b.refresh_from_db()
    scope = Scope.for_user(w.province_secretary)

    rows = selectors.target_rows(scope=scope, unit=w.district_a)  # today: after the reform
    got = {r.target.formula: (r.measure.numerator, r.measure.denominator) for r in rows}
    assert got == {"residential_secretary_courses": (1, None),
                   "commune_secretaries_qualified": (1, 1),
                   "training_registration": (2, 3),
                   "residential_branches_meeting": (1, 1)}
    # district B as of 2024 held only its own commune
    b = {r.target.formula: (r.measure.numerator, r.measure.denominator)
         for r in selectors.target_rows(scope=scope, unit=w.district_b)}
    assert b["training_registration"] == (0, 1)
    # the members API: today's tree by default (backward compatible), the day's on `as_of`
    day = dt.date(YEAR, 12, 31)
    assert members.training_registration_share(scope=scope, unit=w.district_a, year=YEAR).rows \
        == []
    assert members.training_registration_share(scope=scope, unit=w.district_a, year=YEAR,
                                               as_of=day).members == 3
    assert members.branches_meeting_regularly(
        scope=scope, unit=w.district_a, period=Period.of_year(YEAR), upto=day) == []
    assert [b.branch for b in members.branches_meeting_regularly(
        scope=scope, unit=w.district_a, period=Period.of_year(YEAR), upto=day, as_of=day)] \
        == [w.branch_a1]
    assert members.secretary_qualifications(scope=scope, unit=w.district_a, day=day) == []
    assert {r.unit for r in members.secretary_qualifications(
        scope=scope, unit=w.district_a, day=day, as_of=day)} == {w.commune_a1, w.branch_a1}
