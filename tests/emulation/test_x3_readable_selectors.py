"""X-3: the scoped lists of rubrics, sheets and the ranking's current snapshot (used by the API)
keep to what `rubric_get` / `sheet_get` / the sheet page's line read."""

from __future__ import annotations

from doanvu.accounts.scope import Scope
from doanvu.emulation import ranking, selectors
from tests.emulation.conftest import Published, SheetWorld


def test_x3_rubrics_and_sheets_readable_match_the_gets(sheets: SheetWorld) -> None:
    w = sheets.emu.world
    province = Scope.for_user(w.province_secretary)
    district = Scope.for_user(w.district_a_cadre)
    outsider = Scope.for_user(w.outsider)

    assert list(selectors.rubrics_readable(scope=province, year=2020)) == [sheets.emu.rubric]
    assert list(selectors.rubrics_readable(scope=province, year=2021)) == []
    assert list(selectors.rubrics_readable(scope=district)) == []
    assert set(selectors.sheets_readable(scope=province)) == {sheets.sheet_a, sheets.sheet_b}
    assert list(selectors.sheets_readable(scope=province, unit_id=w.district_b.pk)) == [
        sheets.sheet_b]
    assert list(selectors.sheets_readable(scope=province, unit_id=999999)) == []
    assert list(selectors.sheets_readable(scope=district)) == [sheets.sheet_a]
    assert list(selectors.sheets_readable(scope=district, state="chinh_thuc")) == []
    assert list(selectors.sheets_readable(scope=outsider)) == []


def test_x3_current_snapshot_is_the_published_one_and_entries_page_by_position(
        published: Published) -> None:
    rubric = published.sw.emu.rubric
    ranking.ranking_compute(actor=published.sw.emu.world.province_secretary, rubric=rubric)

    current = selectors.current_snapshot(rubric=rubric)
    first = selectors.snapshot_entries(snapshot=published.snapshot, limit=1)
    rest = selectors.snapshot_entries(snapshot=published.snapshot,
                                      after=(first[0].position, first[0].pk))

    assert current == published.snapshot
    assert [e.position for e in [*first, *rest]] == [1, 2]
