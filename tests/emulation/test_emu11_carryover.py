"""EMU-11: last year's limitations that the supervising department has not marked remedied
appear on the unit's sheet of the next year as penalty candidates; the scorer applies a penalty
item of the rubric with a reason (through the ordinary entry service); a remedied one does not
appear."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.common.errors import ApplicationError
from doanvu.emulation import conclusions as carry
from doanvu.emulation.models import RubricItem, SheetEntry
from doanvu.inspections import conclusions
from doanvu.inspections.models import Limitation
from tests.conftest import login
from tests.inspections.conclusion_world import Concl, concl, draft, issue
from tests.inspections.conftest import ins

__all__ = ["concl", "ins"]


def _last_year(c: Concl) -> list[Limitation]:
    conclusion = draft(c, session=c.session_2019, actor=c.ins.head_user, adjustments=[],
                       limitations=["Chưa khắc phục việc chậm nộp báo cáo.",
                                    "Sổ sách chưa đầy đủ."])
    issue(c, conclusion, on=dt.date(2019, 11, 8))
    return list(Limitation.objects.filter(conclusion=conclusion).order_by("order"))


def test_emu11_unremedied_limitations_are_candidates_on_next_years_sheet(concl: Concl) -> None:
    first, second = _last_year(concl)
    conclusions.limitation_remedied(actor=concl.tckt_cadre, limitation=second,
                                    note="Đã bổ sung sổ sách")
    candidates = carry.carryover_candidates(sheet=concl.sheet_a)
    assert [c.limitation.pk for c in candidates] == [first.pk]
    assert carry.carryover_candidates(sheet=concl.sheet_b) == []
    url = reverse("emulation:sheet_detail", args=[concl.sheet_a.pk])
    scorer = login(concl.ins.world.province_secretary).get(url).content.decode()
    assert "Tồn tại năm trước chưa khắc phục" in scorer
    assert "Chưa khắc phục việc chậm nộp báo cáo." in scorer and "Sổ sách chưa đầy đủ" not in scorer
    assert reverse("emulation:carryover_apply", args=[concl.sheet_a.pk, first.pk]) in scorer
    # the unit sees them, without the button
    own = login(concl.ins.world.district_a_cadre).get(url).content.decode()
    assert "Chưa khắc phục việc chậm nộp báo cáo." in own
    assert reverse("emulation:carryover_apply", args=[concl.sheet_a.pk, first.pk]) not in own


def test_emu11_scorer_applies_a_penalty_item_with_reason(concl: Concl) -> None:
    first, _second = _last_year(concl)
    penalty = RubricItem.objects.get(rubric=concl.rubric, code="TR1")
    url = reverse("emulation:carryover_apply", args=[concl.sheet_a.pk, first.pk])
    # the inspected unit may not
    assert login(concl.ins.world.district_a_cadre).post(
        url, {"item": penalty.pk, "reason": "x"}).status_code == 404
    response = login(concl.ins.world.province_secretary).post(
        url, {"item": penalty.pk, "reason": "Tồn tại năm 2019 chưa khắc phục"})
    assert response.status_code == 302
    entry = SheetEntry.objects.get(sheet=concl.sheet_a)
    assert entry.item == penalty and entry.limitation == first
    assert entry.reason == "Tồn tại năm 2019 chưa khắc phục"
    page = login(concl.ins.world.province_secretary).get(
        reverse("emulation:sheet_detail", args=[concl.sheet_a.pk])).content.decode()
    assert "Đã ghi điểm trừ TR1 × 1" in page


def test_emu11_bad_input_writes_nothing(concl: Concl) -> None:
    first, second = _last_year(concl)
    bonus = RubricItem.objects.get(rubric=concl.rubric, code="T1")
    penalty = RubricItem.objects.get(rubric=concl.rubric, code="TR1")
    secretary = concl.ins.world.province_secretary
    with pytest.raises(ApplicationError, match="mục điểm trừ"):
        carry.carryover_apply(actor=secretary, sheet=concl.sheet_a, limitation_id=first.pk,
                              item=bonus, reason="x")
    with pytest.raises(ApplicationError, match="lý do"):
        carry.carryover_apply(actor=secretary, sheet=concl.sheet_a, limitation_id=first.pk,
                              item=penalty, reason="  ")
    # another unit's limitation, a remedied one, a missing one
    with pytest.raises(ApplicationError, match="chưa khắc phục này"):
        carry.carryover_apply(actor=secretary, sheet=concl.sheet_b, limitation_id=first.pk,
                              item=penalty, reason="x")
    conclusions.limitation_remedied(actor=concl.tckt_cadre, limitation=second, note="Xong")
    for pk in (second.pk, 999999):
        with pytest.raises(ApplicationError, match="chưa khắc phục này"):
            carry.carryover_apply(actor=secretary, sheet=concl.sheet_a, limitation_id=pk,
                                  item=penalty, reason="x")
    response = login(secretary).post(
        reverse("emulation:carryover_apply", args=[concl.sheet_a.pk, first.pk]),
        {"item": bonus.pk, "reason": "x"})
    assert response.status_code == 302
    assert not SheetEntry.objects.exists()


def test_emu11_open_shortcomings_of_last_years_self_review_are_candidates(concl: Concl) -> None:
    from doanvu.remediation.models import Shortcoming, ShortcomingArea

    sheet = concl.sheet_a
    area = ShortcomingArea.objects.create(unit=sheet.unit, name="Lãnh đạo, điều hành")
    open_one = Shortcoming.objects.create(unit=sheet.unit, review_year=sheet.year - 1,
                                          year_found=sheet.year - 1, area=area, number=1,
                                          text="Chỉ đạo cơ sở còn chậm")
    Shortcoming.objects.create(unit=sheet.unit, review_year=sheet.year - 1,
                               year_found=sheet.year - 1, area=area, number=2,
                               text="Đã khắc phục xong trong năm",
                               closed_on=dt.date(sheet.year - 1, 11, 30))

    assert carry.remediation_candidates(sheet=sheet) == [open_one]
    assert carry.remediation_candidates(sheet=concl.sheet_b) == []
    url = reverse("emulation:sheet_detail", args=[sheet.pk])
    body = login(concl.ins.world.province_secretary).get(url).content.decode()
    assert "Chỉ đạo cơ sở còn chậm" in body and "Đã khắc phục xong trong năm" not in body
    assert reverse("remediation:shortcoming_detail", args=[open_one.pk]) in body


def test_emu11_a_penalty_for_an_open_shortcoming_is_linked_to_it(concl: Concl) -> None:
    from doanvu.remediation.models import Shortcoming, ShortcomingArea

    sheet = concl.sheet_a
    area = ShortcomingArea.objects.create(unit=sheet.unit, name="Lãnh đạo, điều hành")
    open_one = Shortcoming.objects.create(unit=sheet.unit, review_year=sheet.year - 1,
                                          year_found=sheet.year - 1, area=area, number=1,
                                          text="Chỉ đạo cơ sở còn chậm")
    closed = Shortcoming.objects.create(unit=sheet.unit, review_year=sheet.year - 1,
                                        year_found=sheet.year - 1, area=area, number=2,
                                        text="Đã khắc phục xong trong năm",
                                        closed_on=dt.date(sheet.year - 1, 11, 30))
    penalty = RubricItem.objects.get(rubric=concl.rubric, code="TR1")
    bonus = RubricItem.objects.get(rubric=concl.rubric, code="T1")
    secretary = concl.ins.world.province_secretary
    url = reverse("emulation:remediation_apply", args=[sheet.pk, open_one.pk])
    page = login(secretary).get(reverse("emulation:sheet_detail", args=[sheet.pk]))
    assert url in page.content.decode()

    # refused: the unit itself, a bonus item, a closed or another unit's shortcoming
    assert login(concl.ins.world.district_a_cadre).post(
        url, {"item": penalty.pk, "reason": "x"}).status_code == 404
    with pytest.raises(ApplicationError, match="mục điểm trừ"):
        carry.remediation_apply(actor=secretary, sheet=sheet, shortcoming_id=open_one.pk,
                                item=bonus, reason="x")
    for sheet_, pk in ((sheet, closed.pk), (concl.sheet_b, open_one.pk), (sheet, 999999)):
        with pytest.raises(ApplicationError, match="chưa khắc phục này") as e:
            carry.remediation_apply(actor=secretary, sheet=sheet_, shortcoming_id=pk,
                                    item=penalty, reason="x")
        assert e.value.field == "shortcoming"
    assert not SheetEntry.objects.exists()

    response = login(secretary).post(url, {"item": penalty.pk,
                                           "reason": "Khuyết điểm năm trước chưa khắc phục"})

    assert response.status_code == 302
    entry = SheetEntry.objects.get(sheet=sheet)
    assert entry.item == penalty and entry.shortcoming == open_one and entry.limitation is None
    body = login(secretary).get(reverse("emulation:sheet_detail", args=[sheet.pk])).content
    assert "Đã ghi điểm trừ TR1 × 1" in body.decode()
    assert url not in body.decode()
