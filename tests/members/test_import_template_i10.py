"""Issue 10 item 7: the import and the export can be found from the member list, and the
template .xlsx holds the headers the importer maps by itself and one row that imports as it is."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse

from doanvu.members.imports.services import COLUMNS, auto_mapping, template_headers
from doanvu.members.models import ImportStatus
from doanvu.org.models import Person
from tests.conftest import grant, login, make_user
from tests.members.conftest import MembersWorld
from tests.members.test_import_mem13 import check, confirm


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MEMBER_IMPORT_SPOOL_DIR = str(tmp_path / "spool")


def _sheets(content: bytes) -> list[list[tuple[object, ...]]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [list(ws.iter_rows(values_only=True)) for ws in wb.worksheets]


def test_i10_template_headers_are_every_column_the_importer_maps_by_itself() -> None:
    headers = template_headers()
    assert headers == [str(c.label) for c in COLUMNS]
    mapping = auto_mapping(headers)
    assert sorted(mapping.values()) == sorted(c.key for c in COLUMNS)
    assert len(mapping) == len(headers)  # every header maps, none twice


@pytest.mark.parametrize("into", ["commune_a1", "branch_a1"])
def test_i10_the_template_imports_as_it_is(members_world: MembersWorld, into: str) -> None:
    w = members_world.world
    unit = getattr(w, into)
    r = login(w.district_a_cadre).get(reverse("members:import_template"), {"don_vi": unit.pk})
    assert r.status_code == 200
    assert r["Content-Disposition"] == 'attachment; filename="mau-nhap-doan-vien.xlsx"'
    first, guide = _sheets(r.content)
    assert list(first[0]) == template_headers()
    assert len(first) == 2  # the headers and ONE example row
    assert guide[0] == ("Mẫu danh sách đoàn viên để nhập vào Đoàn Vụ",)
    people = Person.objects.count()

    job = check(members_world, "mau.xlsx", r.content, unit=unit)
    assert job.mapping == {str(i): c.key for i, c in enumerate(COLUMNS)}
    assert (job.report["added"], job.report["updated"], job.bad_rows) == (1, 0, 0), \
        job.report["errors"]
    job = confirm(job)
    assert job.status == ImportStatus.DONE
    assert (job.report["added"], job.report["errors"]) == (1, [])
    assert Person.objects.count() == people + 1
    person = Person.objects.get(full_name="Nguyễn Văn A")
    assert (person.phone, person.education_level, person.political_theory) == (
        "0912345678", "thpt", "so_cap")


def test_i10_template_needs_a_grant_and_ignores_a_unit_out_of_scope(
    members_world: MembersWorld,
) -> None:
    w = members_world.world
    url = reverse("members:import_template")
    assert login(w.outsider).get(url).status_code == 404
    # a unit the user may not import into: the example names no branch (nothing leaks)
    r = login(w.branch_secretary).get(url, {"don_vi": w.commune_b1.pk})
    assert r.status_code == 200
    first, _guide = _sheets(r.content)
    assert first[1][-1] is None or first[1][-1] == ""
    assert "Tân Đông" not in str(_sheets(r.content))


def _links(html: str) -> dict[str, str]:
    return {m[2]: m[1].replace("&amp;", "&") for m in re.finditer(
        r'<a[^>]*href="([^"]*)"[^>]*data-testid="(member-import|member-export|import-template)"',
        html)} | {m[1]: m[2].replace("&amp;", "&") for m in re.finditer(
        r'<a[^>]*data-testid="(member-import|member-export|import-template)"[^>]*href="([^"]*)"',
        html)}


def test_i10_member_list_links_import_template_and_export_with_the_filters(
    members_world: MembersWorld,
) -> None:
    w = members_world.world
    client = login(w.district_a_cadre)
    page = client.get(reverse("members:member_list"),
                      {"don_vi": w.commune_a1.pk, "q": "bich", "gioi_tinh": "nu"})
    links = _links(page.content.decode())
    assert links["member-import"] == reverse("members:import_start") + f"?don_vi={w.commune_a1.pk}"
    assert links["import-template"] == (reverse("members:import_template")
                                        + f"?don_vi={w.commune_a1.pk}")
    export = links["member-export"]
    assert export.startswith(reverse("members:export_xlsx") + "?")
    assert sorted(export.split("?", 1)[1].split("&")) == sorted(
        ["q=bich", "gioi_tinh=nu", f"don_vi={w.commune_a1.pk}"])
    # the import page offers the template for the unit it imports into
    page = client.get(reverse("members:import_start"), {"don_vi": w.commune_a1.pk})
    assert _links(page.content.decode())["import-template"] == (
        reverse("members:import_template") + f"?don_vi={w.commune_a1.pk}")
    # the export link follows the search typed in the list (htmx swaps the results)
    r = client.get(reverse("members:member_list"), {"don_vi": w.commune_a1.pk, "q": "an"},
                   HTTP_HX_REQUEST="true", HTTP_HX_TARGET="member-results")
    assert "q=an" in _links(r.content.decode())["member-export"]
    # and the file it gives is that filtered list
    r = client.get(export)
    assert r.status_code == 200


def test_i10_member_list_offers_import_to_writers_and_export_to_readers(
    members_world: MembersWorld,
) -> None:
    w = members_world.world
    page = login(w.branch_secretary).get(reverse("members:member_list"),
                                         {"don_vi": w.branch_a1.pk}).content.decode()
    assert set(_links(page)) == {"member-import", "import-template", "member-export"}
    inspector = make_user("kiemtra")  # thành viên đoàn kiểm tra: reads, never writes
    grant(inspector, "thanh_vien_doan_kiem_tra", w.commune_a1)
    page = login(inspector).get(reverse("members:member_list"),
                                {"don_vi": w.commune_a1.pk}).content.decode()
    assert set(_links(page)) == {"member-export"}
    page = login(w.outsider).get(reverse("members:member_list")).content.decode()
    assert _links(page) == {}
