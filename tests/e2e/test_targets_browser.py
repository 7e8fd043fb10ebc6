"""IND-1/IND-2 in a real browser at 360 px: seed 003's "100% Bí thư Đoàn xã … đạt chuẩn" target
of Huyện đoàn Tân Biên is red on its dashboard while its commune's secretary holds a college
degree; the district's cadre corrects the secretary's record through the members pages and the
dashboard turns green — measured from the live data, nothing typed into the target."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from doanvu.accounts.scope import Scope
from doanvu.org.models import CommitteeKind, CommitteeSeat, Term
from doanvu.targets import services
from tests.members.conftest import MembersWorld
from tests.members.conftest import members_world as members_world  # the fixture, here too

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
NAME = ("100% Bí thư Đoàn xã, phường, thị trấn đạt chuẩn trình độ chuyên môn (Đại học) và lý "
        "luận chính trị (tối thiểu trung cấp)")


@pytest.fixture
def tan_bien(transactional_db: None,
             members_world: MembersWorld) -> MembersWorld:  # noqa: F811 - imported above
    """Tân Lập's secretary is its member Phạm Minh Đạt, with Cao đẳng and Sơ cấp; Tân Biên sets
    seed 003's qualification target for this year."""
    w = members_world.world
    secretary = members_world.b1[0].person
    secretary.education_level, secretary.political_theory = "cao_dang", "so_cap"
    secretary.save(update_fields=["education_level", "political_theory"])
    term = Term.objects.create(unit=w.commune_b1, name="2022–2027",
                               start_date=dt.date(2022, 9, 1))
    CommitteeSeat.objects.create(term=term, committee=CommitteeKind.BTV, person=secretary,
                                 title="Bí thư")
    year = dt.date.today().year
    services.target_create(scope=Scope.for_user(w.district_b_cadre), unit=w.district_b,
                           name=NAME, goal="100", due_on=dt.date(year, 12, 31),
                           scope_unit=w.district_b, formula="commune_secretaries_qualified",
                           params={"year": year, "min_education": "dai_hoc",
                                   "min_theory": "trung_cap"})
    return members_world


def test_ind2_browser_seed_003_target_turns_green_after_the_secretary_is_updated(
        page: Page, live_server: object, tan_bien: MembersWorld) -> None:
    w = tan_bien.world
    base = str(live_server.url)  # type: ignore[attr-defined]
    dashboard = f"{base}/chi-tieu/don-vi/{w.district_b.pk}/"
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base, "canbo_tanbien")

    page.goto(dashboard)
    card = page.get_by_test_id("target").filter(has_text="Đoàn xã, phường, thị trấn")
    expect(card.get_by_test_id("target-verdict")).to_have_text("Chưa đạt")
    expect(card.get_by_test_id("target-verdict")).to_have_class("badge badge-nhap")
    expect(card.get_by_test_id("target-value")).to_contain_text("0,0 % (0/1)")
    expect(card.get_by_test_id("target-part")).to_contain_text("Đoàn xã Tân Lập")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # the secretary's record, corrected through the members pages
    page.goto(f"{base}/doan-vien/{tan_bien.b1[0].pk}/sua/")
    page.get_by_label("Trình độ học vấn, chuyên môn").select_option("dai_hoc")
    page.get_by_label("Trình độ lý luận chính trị").select_option("trung_cap")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã cập nhật hồ sơ đoàn viên.")).to_be_visible()

    page.goto(dashboard)
    card = page.get_by_test_id("target").filter(has_text="Đoàn xã, phường, thị trấn")
    expect(card.get_by_test_id("target-verdict")).to_have_text("Đạt")
    expect(card.get_by_test_id("target-verdict")).to_have_class("badge badge-da_ban_hanh")
    expect(card.get_by_test_id("target-value")).to_contain_text("100,0 % (1/1)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # the target's own page: this year's point is green now
    card.get_by_role("link", name=NAME).click()
    expect(page.get_by_test_id("trend-point").last).to_contain_text("100,0 %")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
