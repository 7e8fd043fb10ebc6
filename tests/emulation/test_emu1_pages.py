"""EMU-1 pages: the rubric list, tree, edit forms, copy, freeze, export and import — for the
issuing unit's cadres, and a 404 for everybody else on every page (X-3)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from doanvu.emulation.exporters import rubric_workbook
from doanvu.emulation.models import Criterion, Rubric, RubricState, RubricTier, WorkArea
from doanvu.emulation.services import rubric_spec
from tests.conftest import login
from tests.emulation.conftest import EmuWorld

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _urls(emu: EmuWorld) -> list[tuple[str, str]]:
    """(method, url) of every emulation route, filled with the province's records."""
    r, unit, group = emu.rubric, emu.world.province, emu.group
    area = WorkArea.objects.get(rubric=r, code="I")
    criterion = Criterion.objects.get(area__rubric=r, code="1.1")
    tier = RubricTier.objects.get(rubric=r, code="htt")
    return [
        ("GET", reverse("emulation:rubric_list", args=[unit.pk])),
        ("GET", reverse("emulation:rubric_create", args=[unit.pk])),
        ("GET", reverse("emulation:group_create", args=[unit.pk])),
        ("GET", reverse("emulation:group_assign", args=[group.pk])),
        ("GET", reverse("emulation:rubric_detail", args=[r.pk])),
        ("GET", reverse("emulation:rubric_edit", args=[r.pk])),
        ("GET", reverse("emulation:rubric_copy", args=[r.pk])),
        ("GET", reverse("emulation:rubric_export", args=[r.pk])),
        ("GET", reverse("emulation:rubric_import", args=[r.pk])),
        ("GET", reverse("emulation:part_add", args=[r.pk, "tieu-chi"])),
        ("GET", reverse("emulation:part_edit", args=[r.pk, "linh-vuc", area.pk])),
        ("GET", reverse("emulation:part_edit", args=[r.pk, "tieu-chi", criterion.pk])),
        ("GET", reverse("emulation:part_edit", args=[r.pk, "xep-loai", tier.pk])),
        ("POST", reverse("emulation:part_delete", args=[r.pk, "tieu-chi", criterion.pk])),
        ("POST", reverse("emulation:rubric_freeze", args=[r.pk])),
        ("POST", reverse("emulation:rubric_close", args=[r.pk])),
    ]


def _state() -> tuple[object, ...]:
    return (list(Rubric.objects.order_by("pk").values_list()),
            [rubric_spec(r) for r in Rubric.objects.order_by("pk")])


@pytest.mark.parametrize("who", ["outsider", "district_a_cadre", "district_b_cadre",
                                 "branch_secretary"])
def test_emu1_every_page_is_a_404_for_those_outside_the_issuing_unit(emu: EmuWorld,
                                                                      who: str) -> None:
    client = login(getattr(emu.world, who))
    before = _state()
    answers = []

    data = {"name": "X", "code": "Z", "year": "2021", "group": emu.group.pk, "title": "X",
            "max_points": "1", "area": "1", "method": "cham_diem"}
    for method, url in _urls(emu):
        get, post = client.get(url).status_code, client.post(url, data).status_code
        # the route's own method is a 404; the other one may be refused by method first
        answers.append((url, get if method == "GET" else post,
                        post if method == "GET" else get))

    assert [a for a in answers if a[1] != 404 or a[2] not in (404, 405)] == []
    assert _state() == before


def test_emu1_pages_open_for_the_issuing_units_cadre(emu: EmuWorld) -> None:
    client = login(emu.world.province_secretary)

    statuses = {url: client.get(url).status_code for method, url in _urls(emu)
                if method == "GET"}
    detail = client.get(reverse("emulation:rubric_detail", args=[emu.rubric.pk])).content.decode()
    export = client.get(reverse("emulation:rubric_export", args=[emu.rubric.pk]))

    assert set(statuses.values()) == {200}
    assert "Tổng điểm các tiêu chí: 10 / 10" in detail
    assert "Tổng điểm các tiêu chí: 20 / 20" in detail
    assert "2,5 điểm mỗi lần" in detail
    assert "Thang điểm đã đầy đủ và thống nhất: có thể mở chấm điểm." in detail
    assert "Tổng điểm lĩnh vực cao hơn: II. Xây dựng tổ chức Đoàn" in detail
    assert export["Content-Type"] == XLSX
    assert export.content[:2] == b"PK"


def test_emu1_district_reads_nothing_of_the_provinces_rubric_but_a_reader_does(
        emu: EmuWorld) -> None:
    reader = emu.office_cadre
    client = login(reader)

    page = client.get(reverse("emulation:rubric_detail", args=[emu.rubric.pk]))
    listing = client.get(reverse("emulation:rubric_list", args=[emu.world.province.pk]))

    assert page.status_code == 200
    assert "Mở chấm điểm (khóa thang điểm)" not in page.content.decode()  # edits, cannot freeze
    assert "Sửa thông tin chung" in page.content.decode()
    assert "Thang điểm thi đua năm 2020" in listing.content.decode()


def test_emu1_a_contradiction_typed_in_a_form_is_shown_beside_the_field(emu: EmuWorld) -> None:
    client = login(emu.world.province_secretary)
    area = WorkArea.objects.get(rubric=emu.rubric, code="I")
    url = reverse("emulation:part_add", args=[emu.rubric.pk, "tieu-chi"])

    response = client.post(url, {"area": area.pk, "code": "1.3", "title": "Thêm tiêu chí",
                                 "max_points": "2,5", "method": "cham_diem"})

    assert response.status_code == 200
    assert ("Lĩnh vực I: tổng điểm tối đa của các tiêu chí (12,5) vượt điểm tối đa của lĩnh "
            "vực (10).") in response.content.decode()
    assert 'value="2,5"' in response.content.decode()
    assert not Criterion.objects.filter(code="1.3").exists()


def test_emu1_edit_through_the_page_then_freeze_and_the_edit_pages_refuse(
        emu: EmuWorld) -> None:
    client = login(emu.world.province_secretary)
    criterion = Criterion.objects.get(area__rubric=emu.rubric, code="1.2")
    edit = reverse("emulation:part_edit", args=[emu.rubric.pk, "tieu-chi", criterion.pk])

    saved = client.post(edit, {"area": criterion.area_id, "code": "1.2",
                               "title": "Báo cáo tình hình tư tưởng hằng quý",
                               "max_points": "4", "method": "co_khong", "order": "20"})
    frozen = client.post(reverse("emulation:rubric_freeze", args=[emu.rubric.pk]))
    again = client.get(edit, follow=True)
    late = client.post(edit, {"area": criterion.area_id, "code": "1.2", "title": "Muộn",
                              "max_points": "4", "method": "co_khong"})

    assert saved.status_code == 302
    assert frozen.status_code == 302
    assert Rubric.objects.get(pk=emu.rubric.pk).state == RubricState.OPEN
    assert "đã khóa từ khi mở chấm điểm" in again.content.decode()
    assert late.status_code == 302
    assert Criterion.objects.get(pk=criterion.pk).title == "Báo cáo tình hình tư tưởng hằng quý"


def test_emu1_copy_page_makes_next_years_draft(emu: EmuWorld) -> None:
    client = login(emu.world.province_secretary)

    response = client.post(reverse("emulation:rubric_copy", args=[emu.rubric.pk]),
                           {"year": "2021", "group": emu.group.pk, "name": ""})
    copy = Rubric.objects.get(year=2021)

    assert response.status_code == 302
    assert response["Location"] == reverse("emulation:rubric_detail", args=[copy.pk])
    assert copy.name == "Thang điểm thi đua năm 2021"
    assert len(rubric_spec(copy).areas) == 2


def test_emu1_import_page_lists_every_problem_and_writes_nothing(emu: EmuWorld) -> None:
    from openpyxl import load_workbook

    client = login(emu.world.province_secretary)
    book = load_workbook(io.BytesIO(rubric_workbook(emu.rubric)))
    book["Tiêu chí"]["F3"] = "bốn"
    book["Xếp loại"]["D2"] = "x"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "thang-diem.xlsx"
    before = _state()

    response = client.post(reverse("emulation:rubric_import", args=[emu.rubric.pk]),
                           {"file": out})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Tệp có 2 lỗi, chưa nhập gì:" in page
    assert "Trang “Tiêu chí”, dòng 3, cột F (Điểm tối đa): “bốn” không phải là số." in page
    assert "Trang “Xếp loại”, dòng 2, cột D (Điểm tối thiểu): “x” không phải là số." in page
    assert _state() == before


def test_emu1_group_pages_create_a_group_and_assign_units(emu: EmuWorld) -> None:
    w = emu.world
    client = login(w.province_secretary)

    created = client.post(reverse("emulation:group_create", args=[w.province.pk]),
                          {"name": "Khối Lực lượng vũ trang", "order": ""})
    group = w.province.emulation_groups.get(name="Khối Lực lượng vũ trang")
    taken = client.post(reverse("emulation:group_assign", args=[group.pk]),
                        {"year": "2020", "units": [str(w.district_a.pk)]})
    assigned = client.post(reverse("emulation:group_assign", args=[group.pk]),
                           {"year": "2021", "units": [str(w.district_a.pk)]})

    assert created.status_code == 302
    assert "Huyện đoàn Châu Thành đã thuộc khối “Khối Huyện, Thành phố” năm 2020." in \
        taken.content.decode()
    assert assigned.status_code == 302
    assert list(group.memberships.values_list("unit_id", "year")) == [(w.district_a.pk, 2021)]


def test_emu1_general_form_sets_caps_and_tie_break_order(emu: EmuWorld) -> None:
    client = login(emu.world.province_secretary)
    url = reverse("emulation:rubric_edit", args=[emu.rubric.pk])

    refused = client.post(url, {"name": emu.rubric.name, "bonus_cap": "0,5",
                                "penalty_cap": ""})
    saved = client.post(url, {"name": "Thang điểm thi đua năm 2020 (sửa)", "bonus_cap": "2,5",
                              "penalty_cap": "", "tie_1_key": "tieu_chi", "tie_1_ref": "2.1",
                              "tie_2_key": "nhieu_diem_thuong", "tie_2_ref": "2.1"})
    rubric = Rubric.objects.get(pk=emu.rubric.pk)

    assert "Tổng điểm thưởng tối đa (0,5) nhỏ hơn điểm mỗi lần của mục T1 (1)." in \
        refused.content.decode()
    assert saved.status_code == 302
    assert (rubric.name, rubric.bonus_cap, rubric.penalty_cap) == (
        "Thang điểm thi đua năm 2020 (sửa)", Decimal("2.5"), None)
    assert rubric.tie_breaks == [{"key": "tieu_chi", "ref": "2.1"},
                                 {"key": "nhieu_diem_thuong", "ref": ""}]
