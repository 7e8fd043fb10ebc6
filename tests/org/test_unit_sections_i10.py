"""Issue 10, item 5: each level's unit page shows the sections that apply to its kind."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from doanvu.org.models import CommitteeKind, CommitteeSeat, Person, Term
from tests.conftest import World, login


def _html(world: World, unit_pk: int) -> str:
    response = login(world.province_secretary).get(reverse("org:unit_detail", args=[unit_pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def _with_term(unit: object) -> None:
    term = Term.objects.create(unit=unit, name="2022–2027", start_date=dt.date(2022, 10, 1))
    CommitteeSeat.objects.create(term=term, committee=CommitteeKind.STANDING, title="Bí thư",
                                 person=Person.objects.create(full_name="Ngô Thị Thư"), order=1)


def test_i10_branch_page_has_no_departments_btv_or_lower_units_sections(world: World) -> None:
    _with_term(world.branch_a1)
    html = _html(world, world.branch_a1.pk)

    assert 'data-testid="section-agency"' not in html
    assert "Cơ quan chuyên trách" not in html
    assert "Ban Thường vụ" not in html
    assert "Việc cấp dưới phải nộp" not in html
    assert 'data-testid="section-children"' not in html
    assert "Đơn vị cấp dưới do đơn vị này phân công phụ trách" not in html
    # what a branch does have: its BCH with its secretaries, and its branch tools
    assert "Bí thư, Phó Bí thư" in html and "Ngô Thị Thư" in html
    assert reverse("members:dues_sheet", args=[world.branch_a1.pk]) in html


def test_i10_province_page_keeps_agency_btv_and_lower_units_sections(world: World) -> None:
    _with_term(world.province)
    html = _html(world, world.province.pk)

    assert 'data-testid="section-agency"' in html and "Ban Tổ chức – Kiểm tra" in html
    assert "Ban Thường vụ" in html
    assert reverse("hub:unit_obligations", args=[world.province.pk]) in html
    assert 'data-testid="section-children"' in html


def test_i10_grassroots_page_has_lower_units_but_no_agency(world: World) -> None:
    """A commune union (Đoàn cơ sở) has branches below it but no specialised agency."""
    html = _html(world, world.commune_a1.pk)

    assert 'data-testid="section-agency"' not in html
    assert 'data-testid="section-children"' in html and "Chi đoàn ấp Bình Phong" in html
    assert reverse("hub:unit_obligations", args=[world.commune_a1.pk]) in html
