"""PERF-4: the dashboard's maintained figures equal the live formulas — after a recompute, and
after a member moves, a unit merges or a record changes, once the recompute the change enqueues
has run; the page reads them in a bounded number of queries and says when they were computed;
an outsider sees nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doanvu.accounts.scope import Scope
from doanvu.common.dates import today
from doanvu.members.core import services as member_services
from doanvu.members.models import Meeting, MeetingKind, TrainingRegistration
from doanvu.org import services as org_services
from doanvu.org.models import Unit
from doanvu.targets import selectors, services
from doanvu.targets.models import Target, TargetComputation, TargetFigure
from doanvu.targets.recompute import recompute
from tests.conftest import login
from tests.targets.conftest import SEED_003, YEAR, TargetsWorld

pytestmark = pytest.mark.django_db


def _this_year_targets(tw: TargetsWorld) -> list[Target]:
    """The same four for the current year, measured today: a move or a merge today changes
    their tree (the 2024 ones are measured on 2024's)."""
    w = tw.mw.world
    system = Scope.for_user(w.admin)
    year = today().year
    return [services.target_create(
        scope=system, unit=w.province, name=f"{name} {year}", goal=goal,
        due_on=dt.date(year, 12, 31), scope_unit=w.province, formula=code,
        params={"year": year, **extra}, position=10 + i)
        for i, (name, goal, code, extra) in enumerate(SEED_003, start=1)]


def _shape(rows: list[selectors.TargetRow]) -> list[tuple[Any, ...]]:
    return [(r.target.pk, r.measure.value, r.measure.numerator, r.measure.denominator,
             r.previous,
             [(p.unit.pk, p.value, p.numerator, p.denominator) for p in r.measure.parts])
            for r in rows]


def _assert_equal_everywhere(tw: TargetsWorld) -> None:
    """At every unit of the world: the stored figures read as the live formulas measure."""
    system = Scope.for_user(tw.mw.world.admin)
    for unit in Unit.objects.filter(path__startswith=tw.mw.world.province.path):
        stored = selectors.target_rows_from_aggregates(scope=system, unit=unit)
        assert all(isinstance(r, selectors.AggregateRow) for r in stored), unit
        assert _shape(stored) == _shape(selectors.target_rows(scope=system, unit=unit)), unit.name


@contextmanager
def _committed(django_capture_on_commit_callbacks: Callable[..., Any]) -> Iterator[None]:
    """The change's commit: its on-commit work runs (the recompute task, immediate in tests).
    The test's transaction still holds the fixture's own mark (its writes, which in life
    committed before the first recompute): dropped, so the change registers its own."""
    from doanvu.targets.receivers import mark_stale

    connection.run_on_commit = [e for e in connection.run_on_commit if e[1] is not mark_stale]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        yield
    assert mark_stale in callbacks


def test_perf4_figures_equal_the_live_formulas(tw: TargetsWorld) -> None:
    targets = tw.targets + _this_year_targets(tw)

    done = recompute()

    assert done.targets == len(targets)
    assert TargetComputation.objects.count() == len(targets)
    _assert_equal_everywhere(tw)
    province = selectors.target_rows_from_aggregates(
        scope=Scope.for_user(tw.mw.world.admin), unit=tw.mw.world.province)
    values = {r.target.formula: r.measure.value for r in province
              if r.target.params["year"] == YEAR}
    assert values["residential_secretary_courses"] == 1
    assert values["training_registration"] == 50  # 2 of 4 members registered


def test_perf4_recompute_twice_writes_the_same(tw: TargetsWorld) -> None:
    recompute()
    first = sorted(TargetFigure.objects.values_list(
        "target_id", "unit_id", "parent_id", "numerator", "denominator", "has_data",
        "previous_numerator", "previous_denominator"))
    recompute()
    assert sorted(TargetFigure.objects.values_list(
        "target_id", "unit_id", "parent_id", "numerator", "denominator", "has_data",
        "previous_numerator", "previous_denominator")) == first


def test_perf4_a_changed_record_is_recomputed_on_commit(
        tw: TargetsWorld, django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    recompute()
    w = tw.mw.world
    row = TargetFigure.objects.get(target=tw.targets[2], unit=w.province)
    assert (row.numerator, row.denominator) == (2, 4)

    with _committed(django_capture_on_commit_callbacks):
        TrainingRegistration.objects.create(membership=tw.mw.b1[0], year=YEAR,
                                            registered_on=dt.date(YEAR, 5, 1))
        Meeting.objects.create(unit=w.branch_b1, kind=MeetingKind.BRANCH,
                               date=dt.date(YEAR, 2, 10))

    assert TargetComputation.objects.filter(stale_since__isnull=False).count() == 0
    row = TargetFigure.objects.get(target=tw.targets[2], unit=w.province)
    assert (row.numerator, row.denominator) == (3, 4)
    _assert_equal_everywhere(tw)


def test_perf4_a_member_move_is_recomputed(
        tw: TargetsWorld, django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    _this_year_targets(tw)
    recompute()
    w = tw.mw.world
    an = tw.mw.a1[0]

    t = member_services.transfer_request(actor=None, membership=an, to_branch=w.branch_b1,
                                         kind="chinh_thuc",
                                         requested_on=today() - dt.timedelta(days=1))
    with _committed(django_capture_on_commit_callbacks):
        member_services.transfer_accept(actor=None, transfer=t, on=today())

    _assert_equal_everywhere(tw)


def test_perf4_a_unit_merge_is_recomputed(
        tw: TargetsWorld, django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    mine = _this_year_targets(tw)
    recompute()
    w = tw.mw.world
    # commune B1 (Tân Biên) merges into commune A2 (Châu Thành): its branch and members now
    # count in district A
    with _committed(django_capture_on_commit_callbacks):
        org_services.unit_merge(actor=w.admin, sources=[w.commune_b1], target=w.commune_a2,
                                on=today())

    _assert_equal_everywhere(tw)
    training = next(t for t in mine if t.formula == "training_registration")
    district_b = TargetFigure.objects.filter(target=training, unit=w.district_b).first()
    assert district_b is None or district_b.denominator == 0


def test_perf4_a_change_marks_the_figures_stale_until_recomputed(tw: TargetsWorld) -> None:
    from doanvu.targets import receivers

    recompute()
    TargetComputation.objects.update(stale_since=None)
    receivers.mark_stale()  # what a commit runs; the task (immediate in tests) recomputes
    assert not TargetComputation.objects.filter(stale_since__isnull=False).exists()


def test_perf4_dashboard_reads_figures_in_few_queries(tw: TargetsWorld) -> None:
    _this_year_targets(tw)
    recompute()
    w = tw.mw.world
    client = login(w.province_secretary)
    url = reverse("targets:dashboard", args=[w.province.pk])
    client.get(url)

    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url)

    assert page.status_code == 200
    body = page.content.decode()
    assert body.count('data-testid="target"') == 8
    assert body.count('data-testid="target-computed"') == 8
    assert "Số liệu tính lúc" in body
    figure_reads = [q for q in ctx.captured_queries if "targets_targetfigure" in q["sql"]]
    assert len(figure_reads) == 1
    assert not [q for q in ctx.captured_queries if "members_membership" in q["sql"]]
    assert len(ctx.captured_queries) <= 20


def test_perf4_without_a_computation_the_dashboard_measures_live(tw: TargetsWorld) -> None:
    system = Scope.for_user(tw.mw.world.admin)
    rows = selectors.target_rows_from_aggregates(scope=system, unit=tw.mw.world.province)
    assert rows and not any(isinstance(r, selectors.AggregateRow) for r in rows)
    assert _shape(rows) == _shape(selectors.target_rows(scope=system,
                                                        unit=tw.mw.world.province))


def test_perf4_outsider_gets_404_and_no_figures(tw: TargetsWorld) -> None:
    recompute()
    w = tw.mw.world
    for user, unit in ((w.outsider, w.province), (w.district_b_cadre, w.district_a)):
        page = login(user).get(reverse("targets:dashboard", args=[unit.pk]))
        assert page.status_code == 404
        assert "Số liệu tính lúc" not in page.content.decode()


def test_perf4_recompute_targets_command(tw: TargetsWorld) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("recompute_targets", stdout=out)
    assert "tính lại 4 chỉ tiêu" in out.getvalue()
    assert TargetComputation.objects.count() == 4
