"""FV-6: a visit counts only once reported; the report is due the policy's days after the visit;
a late report is flagged and counts from its date; the report's obligation is delivered."""

from __future__ import annotations

import datetime as dt

import pytest

from doanvu.accounts.scope import Scope
from doanvu.fieldvisits import compliance, visits
from doanvu.fieldvisits.models import FieldVisitPolicy, Visit
from doanvu.hub.models import Obligation
from tests.conftest import login
from tests.fieldvisits.conftest import FvWorld, days_ago
from tests.fieldvisits.test_fv2_logging import log


def report(fv: FvWorld, visit: Visit, *, on: dt.date | None = None, text: str = "Đã làm việc "
           "với Ban Chấp hành Đoàn xã", proposals: str = "") -> Visit:
    return visits.visit_report(actor=fv.cadre_user, scope=Scope.for_user(fv.cadre_user),
                               visit=visit, report=text, proposals=proposals, on=on)


def counted(fv: FvWorld, visit: Visit, *, as_of: dt.date | None = None) -> int:
    year = compliance.cadre_year(fv.cadre, visit.start_date.year, as_of=as_of)
    assert year is not None
    return year.result.counted_days


def test_fv6_unreported_does_not_count_reported_in_window_does(fv: FvWorld) -> None:
    visit = log(fv, start_date=days_ago(3), end_date=days_ago(2))
    assert counted(fv, visit) == 0
    done = report(fv, visit, on=days_ago(1), proposals="Hỗ trợ kinh phí sinh hoạt hè")
    assert (done.reported_on, done.report_late, done.report_due) == (
        days_ago(1), False, days_ago(2) + dt.timedelta(days=3))
    assert counted(fv, visit) == 2
    ob = Obligation.objects.get(pk=visit.obligation_id)
    assert ob.status == "submitted" and ob.submitted_on == days_ago(1)
    assert "Hỗ trợ kinh phí" in ob.submission_text


def test_fv6_late_report_is_flagged_and_counts_from_its_date(fv: FvWorld) -> None:
    visit = log(fv, start_date=days_ago(12), end_date=days_ago(10))
    done = report(fv, visit)  # today: 10 days after, the window is 3
    assert done.report_late and done.reported_on == days_ago(0)
    assert counted(fv, visit) == 3
    assert counted(fv, visit, as_of=days_ago(1)) == 0  # not before the report
    page = login(fv.cadre_user).get(f"/di-co-so/chuyen-di/{visit.pk}/").content.decode()
    assert "trễ hạn, tính từ ngày báo cáo" in page


def test_fv6_the_window_is_the_policys(fv: FvWorld) -> None:
    FieldVisitPolicy.objects.filter(pk=fv.policy.pk).update(report_days=10)
    visit = log(fv, start_date=days_ago(12), end_date=days_ago(10))
    assert visit.report_due == days_ago(0) and visit.obligation.due_on == days_ago(0)
    assert not report(fv, visit).report_late


@pytest.mark.parametrize("text", ["", "   ", "x" * 10001])
def test_fv6_an_empty_or_too_long_report_is_refused(fv: FvWorld, text: str) -> None:
    visit = log(fv)
    with pytest.raises(visits.VisitError) as err:
        report(fv, visit, text=text)
    assert err.value.field == "report"
    visit.refresh_from_db()
    assert visit.reported_on is None and visit.obligation.status == "open"


def test_fv6_report_twice_before_the_end_or_after_the_year_closed_is_refused(
        fv: FvWorld) -> None:
    visit = log(fv)
    with pytest.raises(visits.VisitError):
        report(fv, visit, on=days_ago(3))  # before the visit ended
    report(fv, visit)
    with pytest.raises(visits.VisitError):
        report(fv, visit)
    old = Visit.objects.create(person=fv.cadre, unit=fv.world.province, kind="1.1",
                               start_date=dt.date(2019, 4, 1), end_date=dt.date(2019, 4, 2))
    with pytest.raises(visits.VisitError) as err:
        report(fv, old)
    assert "đã khóa" in str(err.value)
    old.refresh_from_db()
    assert old.reported_on is None


def test_fv6_no_edit_or_delete_after_the_report(fv: FvWorld) -> None:
    visit = log(fv)
    scope = Scope.for_user(fv.cadre_user)
    report(fv, visit)
    with pytest.raises(visits.VisitError):
        visits.visit_delete(actor=fv.cadre_user, scope=scope, visit=visit)
    with pytest.raises(visits.VisitError):
        visits.visit_update(actor=fv.cadre_user, scope=scope, visit=visit,
                            start_date=visit.start_date, end_date=visit.end_date,
                            places=[fv.world.district_a], kind="1.1")


def test_fv6_edit_moves_the_due_day_delete_waives_the_obligation(fv: FvWorld) -> None:
    visit = log(fv, start_date=days_ago(6), end_date=days_ago(5))
    scope = Scope.for_user(fv.cadre_user)
    visits.visit_update(actor=fv.cadre_user, scope=scope, visit=visit, start_date=days_ago(6),
                        end_date=days_ago(4), places=[fv.world.commune_a2], kind="1.3",
                        cost="200000")
    visit.refresh_from_db()
    ob = Obligation.objects.get(pk=visit.obligation_id)
    assert visit.report_due == ob.due_on == days_ago(1)
    assert [p.pk for p in visit.places.all()] == [fv.world.commune_a2.pk]
    visits.visit_delete(actor=fv.cadre_user, scope=scope, visit=visit)
    ob.refresh_from_db()
    assert ob.status == "waived" and not Visit.objects.exists()


def test_fv6_report_page_files_it_and_the_page_shows_it_counts(fv: FvWorld) -> None:
    visit = log(fv)
    client = login(fv.cadre_user)
    page = client.get(f"/di-co-so/chuyen-di/{visit.pk}/").content.decode()
    assert "Chưa tính: chuyến đi chưa có báo cáo kết quả." in page
    resp = client.post(f"/di-co-so/chuyen-di/{visit.pk}/bao-cao/",
                       {"report": "Kết quả tốt", "proposals": ""})
    assert resp.status_code == 302
    page = client.get(f"/di-co-so/chuyen-di/{visit.pk}/").content.decode()
    assert "Chuyến đi được tính vào số ngày đi cơ sở." in page
    empty = client.post(f"/di-co-so/chuyen-di/{visit.pk}/bao-cao/", {"report": ""})
    assert empty.status_code == 302  # a message, nothing filed again
    visit.refresh_from_db()
    assert visit.report == "Kết quả tốt"
