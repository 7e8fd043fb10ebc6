"""Issue 13 in a real browser at 360 px: a provincial cadre logs yesterday's visit in three taps
(the place and kind of their last visit remembered), files its report, and sees their year
change (days counted up, the missing sentence shorter); a visit logged without a connection is
kept on the phone and sent, once, when the connection returns."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from doanvu.accounts.scope import Scope
from doanvu.fieldvisits import visits
from doanvu.fieldvisits.models import FieldVisitPolicy, Visit
from doanvu.org import services as org_services
from doanvu.org.models import Department, DepartmentCategory, Person, Position, Unit
from tests.conftest import kind, make_user
from tests.fieldvisits.conftest import SEED_002

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
D0 = dt.date(2000, 1, 1)


@dataclass
class TayNinh:
    person: Person
    commune: Unit


@pytest.fixture
def tay_ninh(transactional_db: None) -> TayNinh:
    mk = org_services.unit_create
    centre = mk(actor=None, parent=None, name="Trung ương Đoàn", kind=kind("trung_uong"),
                founded_on=D0)
    province = mk(actor=None, parent=centre, name="Tỉnh đoàn Tây Ninh", kind=kind("tinh"),
                  founded_on=D0, short_name="TĐTN", place="Tây Ninh")
    district = mk(actor=None, parent=province, name="Huyện đoàn Châu Thành",
                  kind=kind("huyen"), founded_on=D0)
    commune = mk(actor=None, parent=district, name="Đoàn xã Thái Bình", kind=kind("co_so"),
                 founded_on=D0, sector="dan_cu_nong_thon")
    Department.objects.create(unit=province, name="Ban Tổ chức – Kiểm tra", short_name="TCKT",
                              category=DepartmentCategory.DEPARTMENT)
    movement = Department.objects.create(unit=province, name="Ban Phong trào", short_name="PT",
                                         category=DepartmentCategory.DEPARTMENT)
    FieldVisitPolicy.objects.create(issuing_unit=province, valid_from=dt.date(2018, 1, 1),
                                    **SEED_002)
    user = make_user("tn_canbo_pt")
    person = Person.objects.create(full_name="Nguyễn Văn Phong", user=user)
    Position.objects.create(person=person, unit=province, department=movement,
                            title="Chuyên viên", start_date=dt.date(2018, 1, 1))
    # an earlier visit, reported: its place and kind are remembered by the log form
    day = dt.date.today() - dt.timedelta(days=9)
    earlier = visits.visit_log(actor=user, scope=Scope.for_user(user), person=person,
                               start_date=day, end_date=day, places=[commune], kind="1.3",
                               activities="Khảo sát tình hình đoàn viên")
    visits.visit_report(actor=user, scope=Scope.for_user(user), visit=earlier,
                        report="Đã khảo sát", on=day + dt.timedelta(days=1))
    return TayNinh(person, commune)


def _year(page: Page) -> tuple[str, str]:
    return (page.get_by_test_id("fv-counted").inner_text(),
            page.get_by_test_id("fv-missing").inner_text())


def test_fv_cadre_logs_yesterday_reports_and_sees_the_year_change(
        page: Page, live_server: object, tay_ninh: TayNinh) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base, "tn_canbo_pt")
    page.goto(base + "/di-co-so/")
    counted, missing = _year(page)
    assert counted == "1" and missing.startswith("Thiếu 59 ngày")
    # the service worker of the offline form registers under /di-co-so/
    assert page.evaluate("""() => navigator.serviceWorker.ready.then(r => r.scope)""") == (
        base + "/di-co-so/")

    page.get_by_test_id("fv-log").click()  # tap 1
    page.get_by_test_id("fv-yesterday").click()  # tap 2
    yesterday = (dt.date.today() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    expect(page.locator("#id_start_date")).to_have_value(yesterday)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_test_id("fv-save").click()  # tap 3
    page.wait_for_url(re.compile(r".*/di-co-so/chuyen-di/\d+/$"))
    visit = Visit.objects.order_by("-pk").first()
    assert visit is not None and visit.start_date == dt.date.today() - dt.timedelta(days=1)
    assert [p.pk for p in visit.places.all()] == [tay_ninh.commune.pk] and visit.kind == "1.3"
    expect(page.get_by_test_id("fv-why")).to_contain_text("chưa có báo cáo")

    page.locator("#id_report").fill("Làm việc với Ban Chấp hành Đoàn xã về sinh hoạt hè")
    page.get_by_test_id("fv-report-save").click()
    expect(page.get_by_test_id("fv-why")).to_contain_text("được tính")
    page.goto(base + "/di-co-so/")
    counted, missing = _year(page)
    assert counted == "2" and missing.startswith("Thiếu 58 ngày")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_fv_visit_logged_offline_is_sent_once_when_back_online(
        page: Page, live_server: object, tay_ninh: TayNinh) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base, "tn_canbo_pt")
    page.goto(base + "/di-co-so/chuyen-di/moi/")
    page.evaluate("""() => navigator.serviceWorker.ready""")
    before = Visit.objects.count()
    page.get_by_test_id("fv-yesterday").click()
    page.locator("#id_cost").fill("120.000")
    page.context.set_offline(True)
    page.get_by_test_id("fv-save").click()
    expect(page.locator("[data-fv-status]")).to_contain_text("lưu trên máy")
    assert Visit.objects.count() == before
    kept = page.evaluate("""() => new Promise((ok) => {
        const r = indexedDB.open('doanvu-fieldvisits', 1);
        r.onsuccess = () => { const q = r.result.transaction('outbox').objectStore('outbox')
            .getAll(); q.onsuccess = () => ok(q.result.length); };
    })""")
    assert kept == 1
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.locator("[data-fv-status]")).to_contain_text("Đã gửi 1 chuyến đi")
    assert Visit.objects.count() == before + 1
    assert Visit.objects.order_by("-pk").first().cost == 120000  # type: ignore[union-attr]
    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # a second send: nothing
    page.goto(base + "/di-co-so/")
    assert Visit.objects.count() == before + 1
    expect(page.locator("[data-fv-pending]")).to_be_hidden()
