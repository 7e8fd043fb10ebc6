"""EMU-9: the register of good models and solutions, across the issued conclusions the user
reaches, searchable by words without diacritics, field, year and unit; each links to its
conclusion."""

from __future__ import annotations

from django.urls import reverse

from doanvu.accounts.scope import Scope
from doanvu.inspections import conclusions
from doanvu.inspections import selectors as inspection_selectors
from tests.conftest import login
from tests.inspections.conclusion_world import Concl, concl, draft, issue
from tests.inspections.conftest import ins

__all__ = ["concl", "ins"]
URL = "emulation:good_models"


def _world(c: Concl) -> None:
    issue(c, draft(c, models=[
        conclusions.ModelInput("Mô hình “Ngày thứ Bảy tình nguyện”", "Mỗi tháng một công trình",
                               "Tình nguyện", "ấp, công trình"),
        conclusions.ModelInput("Giải pháp số hóa sổ đoàn viên", "Sổ điện tử", "Xây dựng Đoàn",
                               "chuyển đổi số")]))
    # 2019: another model; and a draft whose model is not in the register yet
    issue(c, draft(c, session=c.session_2019, actor=c.ins.head_user, adjustments=[],
                   models=[conclusions.ModelInput("Câu lạc bộ lý luận trẻ", "", "Tuyên giáo")]))


def test_emu9_search_without_diacritics_field_year_and_unit(concl: Concl) -> None:
    _world(concl)
    scope = Scope.for_user(concl.ins.world.province_secretary)
    find = inspection_selectors.good_models
    assert [m.title for m in find(scope=scope, text="ngay thu bay")] == [
        "Mô hình “Ngày thứ Bảy tình nguyện”"]
    assert [m.title for m in find(scope=scope, text="SỐ HÓA")] == [
        "Giải pháp số hóa sổ đoàn viên"]
    assert [m.title for m in find(scope=scope, text="chuyen doi so")] == [
        "Giải pháp số hóa sổ đoàn viên"]
    assert [m.title for m in find(scope=scope, field="Tuyên giáo")] == ["Câu lạc bộ lý luận trẻ"]
    assert len(find(scope=scope, year=2020)) == 2 and len(find(scope=scope, year=2019)) == 1
    assert len(find(scope=scope, unit=concl.ins.world.district_a)) == 3
    assert find(scope=scope, unit=concl.ins.world.district_b) == []
    client = login(concl.ins.world.province_secretary)
    page = client.get(reverse(URL), {"q": "tinh nguyen", "year": "2020"}).content.decode()
    assert "Ngày thứ Bảy tình nguyện" in page and "Câu lạc bộ" not in page
    assert reverse("inspections:conclusion_detail", args=[concl.session.pk]) in page
    page = client.get(reverse(URL), {"field": "Tuyên giáo"}).content.decode()
    assert "Câu lạc bộ lý luận trẻ" in page and "Ngày thứ Bảy" not in page
    # a wrong filter value is a form error, not a crash
    assert client.get(reverse(URL), {"year": "abc", "unit": "x" * 300}).status_code == 200


def test_emu9_drafts_are_not_in_the_register(concl: Concl) -> None:
    draft(concl)
    page = login(concl.ins.world.province_secretary).get(reverse(URL)).content.decode()
    assert "Ngày thứ Bảy tình nguyện" not in page


def test_emu9_register_follows_the_users_scope(concl: Concl) -> None:
    _world(concl)
    w = concl.ins.world
    # the inspected unit sees its own; the other district and a stranger see none
    own = login(w.district_a_cadre).get(reverse(URL)).content.decode()
    assert "Ngày thứ Bảy tình nguyện" in own
    for user in (w.district_b_cadre, w.outsider, w.branch_secretary):
        page = login(user).get(reverse(URL)).content.decode()
        assert "Ngày thứ Bảy" not in page and "Câu lạc bộ" not in page
        assert "Huyện đoàn Châu Thành" not in page
    # a team member reads the models of the conclusions of their team
    member = login(concl.member_user).get(reverse(URL)).content.decode()
    assert "Ngày thứ Bảy tình nguyện" in member
