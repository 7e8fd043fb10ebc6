"""Finding 5 of issue 8: no export writes a live formula. Every .xlsx and .csv export goes through
`common.spreadsheet`, which prefixes text beginning with =, +, -, @, tab or CR with a quote."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from django.urls import reverse

from doanvu.common.spreadsheet import safe_cell
from doanvu.org import services as org_services
from doanvu.org.models import Unit
from tests.conftest import World, kind, login
from tests.documents.conftest import issue
from tests.hub.conftest import make_ob
from tests.members.conftest import make_member

DANGEROUS = ["=HYPERLINK(\"http://x\",\"a\")", "+1+2", "-3+4", "@SUM(A1)", "\tTab", "\rCR"]
NEUTRAL = ["'" + v for v in DANGEROUS]


def _xlsx_cells(content: bytes) -> list[Any]:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(content)).active
    assert ws is not None
    return [c for row in ws.iter_rows() for c in row]


def _dangerous_cells(content: bytes) -> list[tuple[str, object]]:
    """(data_type, value) of every cell whose text holds one of the dangerous values."""
    return sorted((c.data_type, c.value) for c in _xlsx_cells(content)
                  if isinstance(c.value, str) and any(v[1:] in c.value for v in DANGEROUS))


def test_sec8_safe_cell_prefixes_text_that_a_spreadsheet_would_evaluate() -> None:
    assert [safe_cell(v) for v in DANGEROUS] == NEUTRAL
    assert [safe_cell(v) for v in ("Nguyễn Văn An", "a=b", "", "072200001234")] == [
        "Nguyễn Văn An", "a=b", "", "072200001234"]
    assert [safe_cell(v) for v in (-5, -2.5, 0, None, dt.date(2020, 1, 2))] == [
        -5, -2.5, 0, None, dt.date(2020, 1, 2)]
    assert safe_cell("-5") == "'-5"


def _six_units(world: World) -> list[Unit]:
    units = []
    for i, name in enumerate(DANGEROUS):
        u = org_services.unit_create(actor=None, parent=world.branch_a1, name=f"Phân đoàn {i}",
                                     kind=kind("phan_doan"), founded_on=dt.date(2020, 1, 1))
        Unit.objects.filter(pk=u.pk).update(name=name)
        units.append(u)
    return units


def test_sec8_unit_list_xlsx_writes_dangerous_names_as_quoted_text(world: World) -> None:
    _six_units(world)
    client = login(world.district_a_cadre)

    response = client.get(reverse("org:unit_export", args=[world.branch_a1.pk, "xlsx"]))

    assert response.status_code == 200
    assert _dangerous_cells(response.content) == sorted(("s", v) for v in NEUTRAL)


def test_sec8_unit_list_csv_prefixes_dangerous_names(world: World) -> None:
    _six_units(world)
    client = login(world.district_a_cadre)

    response = client.get(reverse("org:unit_export", args=[world.branch_a1.pk, "csv"]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert response.status_code == 200
    assert sorted(r[1] for r in rows[2:]) == sorted(NEUTRAL)
    assert sorted(r[4] for r in rows[2:]) == ["Chi đoàn ấp Bình Phong"] * 6


def test_sec8_members_xlsx_writes_dangerous_names_as_quoted_text(world: World) -> None:
    w = world
    for name in DANGEROUS:
        make_member(w.branch_a1, name)
    client = login(w.district_a_cadre)

    response = client.get(reverse("members:export_xlsx"), {"don_vi": w.branch_a1.pk})
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]

    assert response.status_code == 200
    assert _dangerous_cells(content) == sorted(("s", v) for v in NEUTRAL)


def test_sec8_document_register_xlsx_writes_dangerous_titles_as_quoted_text(
        world: World) -> None:
    from doanvu.documents.models import Document

    for title in DANGEROUS:
        doc = issue(world.district_a, dt.date(2020, 3, 2))
        Document.objects.filter(pk=doc.pk).update(title=title)
    client = login(world.district_a_cadre)

    response = client.get(reverse("documents:register_export"), {"nam": "2020"})

    assert response.status_code == 200
    assert _dangerous_cells(response.content) == sorted(("s", v) for v in NEUTRAL)


def test_sec8_timeliness_xlsx_writes_dangerous_unit_names_as_quoted_text(world: World) -> None:
    communes = []
    for i, name in enumerate(DANGEROUS):
        u = org_services.unit_create(actor=None, parent=world.district_a, name=f"Xã {i}",
                                     kind=world.commune_a1.kind, founded_on=dt.date(2019, 1, 1))
        make_ob(by=u, to=world.district_a, title="Báo cáo", due=dt.date(2020, 4, 15),
                kind_label="-Báo cáo quý")
        Unit.objects.filter(pk=u.pk).update(name=name)
        communes.append(u)
    client = login(world.district_a_cadre)

    response = client.get(reverse("hub:timeliness_export", args=[world.district_a.pk]),
                          {"ky": "2020-Y"})

    cells = _xlsx_cells(response.content)
    assert response.status_code == 200
    assert _dangerous_cells(response.content) == sorted(("s", v) for v in NEUTRAL)
    assert sorted({c.value for c in cells if c.column == 2 and c.row > 3} - {None}) == [
        "'-Báo cáo quý"]
    assert [c.data_type for c in cells if c.data_type == "f"] == []


SPREADSHEET_MAKERS = re.compile(r"\bWorkbook\(|csv\.writer\(|csv\.DictWriter\(|xlsxwriter")


def test_sec8_every_spreadsheet_is_made_by_the_safe_helper() -> None:
    """A new exporter that makes its own workbook or CSV writer bypasses the neutralising."""
    package = Path(__file__).resolve().parents[2] / "doanvu"
    offenders = sorted(
        str(path.relative_to(package)) for path in package.rglob("*.py")
        if path.name != "spreadsheet.py" and SPREADSHEET_MAKERS.search(path.read_text("utf-8"))
    )
    assert offenders == []
