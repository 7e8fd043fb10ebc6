"""FV-2: logging a visit — what is recorded, what counts, what is refused (nothing written), and
a resend with the same key never making a second visit."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import override_settings

from doanvu.accounts.scope import Scope
from doanvu.fieldvisits import compliance, visits
from doanvu.fieldvisits.models import PlannedVisit, QuarterPlan, Visit, VisitFile
from doanvu.fieldvisits.rules import quarter_of
from doanvu.hub.models import Obligation
from doanvu.members.core import services as members
from doanvu.members.models import CadreStatusKind
from tests.fieldvisits.conftest import FvWorld, days_ago

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def log(fv: FvWorld, **changes: Any) -> Visit:
    """The provincial cadre logs a 2-day visit to a district and a commune (kind 1.1)."""
    user = changes.pop("user", fv.cadre_user)
    args: dict[str, Any] = {
        "person": fv.cadre, "start_date": days_ago(3), "end_date": days_ago(2),
        "places": [fv.world.district_a, fv.world.commune_a1], "kind": "1.1",
        "travel_order": "Giấy đi đường số 12/GĐĐ", "activities": "Phối hợp tổ chức ngày hội",
        "cost": 150000}
    args.update(changes)
    return visits.visit_log(actor=user, scope=Scope.for_user(user), **args)


def nothing_written() -> None:
    assert Visit.objects.count() == 0
    assert VisitFile.objects.count() == 0
    assert Obligation.objects.filter(kind=visits.REPORT_KIND).count() == 0


def test_fv2_visit_logged_with_its_places_and_obligation(fv: FvWorld) -> None:
    visit = log(fv)
    assert visit.unit == fv.world.province and visit.department == fv.movement
    assert {p.pk for p in visit.places.all()} == {fv.world.district_a.pk, fv.world.commune_a1.pk}
    assert visit.report_due == days_ago(2) + dt.timedelta(days=3)
    ob = Obligation.objects.get(kind=visits.REPORT_KIND)
    assert visit.obligation == ob
    assert (ob.owed_by_unit, ob.owed_by_department, ob.owed_by_user) == (
        fv.world.province, fv.movement, fv.cadre_user)
    assert (ob.owed_to_unit, ob.owed_to_department) == (fv.world.province, fv.tckt)
    assert ob.due_on == visit.report_due and ob.status == "open"


def test_fv2_district_without_report_department_owes_its_unit(fv: FvWorld) -> None:
    """A district agency without Ban Tổ chức – Kiểm tra: the cadre owes the report to the unit."""
    user = fv.district_user
    visit = log(fv, user=user, person=fv.district_cadre, places=[fv.world.commune_a2])
    ob = visit.obligation
    assert ob is not None and ob.owed_to_unit == fv.world.district_a
    assert ob.owed_to_department is None and ob.owed_by_user == user


def test_fv2_invitation_only_is_recorded_but_never_counts(fv: FvWorld) -> None:
    visit = log(fv, invitation_only=True)
    visits.visit_report(actor=fv.cadre_user, scope=Scope.for_user(fv.cadre_user), visit=visit,
                        report="Dự lễ kỷ niệm theo thư mời")
    year = compliance.cadre_year(fv.cadre, visit.start_date.year)
    assert year is not None and year.result.counted_days == 0
    page = _client(fv.cadre_user).get(f"/di-co-so/chuyen-di/{visit.pk}/")
    assert "chỉ dự hoạt động theo thư mời của đoàn cấp dưới" in page.content.decode()


def test_fv2_a_kind_the_standing_assigns_is_refused_without_an_assignment(fv: FvWorld) -> None:
    with pytest.raises(visits.VisitError) as err:
        log(fv, kind="1.2")
    assert err.value.field == "kind" and "phân công" in str(err.value)
    nothing_written()


def test_fv2_an_assigned_kind_is_logged_when_the_plan_assigned_it(fv: FvWorld) -> None:
    day = days_ago(3)
    plan = QuarterPlan.objects.create(unit=fv.world.province, department=fv.movement,
                                      year=day.year, quarter=quarter_of(day))
    line = PlannedVisit.objects.create(plan=plan, person=fv.cadre, kind="1.2",
                                       place=fv.world.district_a, start_date=day, end_date=day,
                                       assigned=True)
    visit = log(fv, kind="1.2")
    assert visit.planned == line


def test_fv2_a_place_outside_the_agency_is_refused(fv: FvWorld) -> None:
    with pytest.raises(visits.VisitError) as err:
        log(fv, user=fv.district_user, person=fv.district_cadre, places=[fv.world.commune_b1])
    assert err.value.field == "places" and "Đoàn xã Tân Lập" in str(err.value)
    with pytest.raises(visits.VisitError):  # the agency itself is not the base
        log(fv, places=[fv.world.province])
    with pytest.raises(visits.VisitError):
        log(fv, places=[])
    nothing_written()


# Dates relative to today are built when the test runs, not when it is collected: a suite that
# crosses midnight (Asia/Ho_Chi_Minh) would otherwise test yesterday's "tomorrow".
@pytest.mark.parametrize(("changes", "field"), [
    (lambda: {"start_date": days_ago(2), "end_date": days_ago(4)}, "end_date"),
    (lambda: {"start_date": days_ago(1), "end_date": days_ago(-1)}, "end_date"),
    ({"start_date": dt.date(2019, 5, 2), "end_date": dt.date(2019, 5, 3)}, "end_date"),
    ({"cost": -5}, "cost"),
    ({"cost": "mười nghìn"}, "cost"),
    ({"kind": "9.9"}, "kind"),
    ({"travel_order": "x" * 121}, "travel_order"),
    ({"client_key": "khong-phai-uuid"}, "client_key"),
])
def test_fv2_bad_input_is_refused_and_nothing_written(fv: FvWorld, changes: Any,
                                                      field: str) -> None:
    if callable(changes):
        changes = changes()
    with pytest.raises(visits.VisitError) as err:
        log(fv, **changes)
    assert err.value.field == field and str(err.value)
    nothing_written()


def test_fv2_a_year_closed_is_named(fv: FvWorld) -> None:
    with pytest.raises(visits.VisitError) as err:
        log(fv, start_date=dt.date(2019, 5, 2), end_date=dt.date(2019, 5, 3))
    assert "năm 2019 đã khóa" in str(err.value) and "31/01/2020" in str(err.value)


def test_fv2_days_of_maternity_leave_are_refused(fv: FvWorld) -> None:
    members.cadre_status_add(actor=None, person=fv.cadre, kind=CadreStatusKind.MATERNITY,
                             start_date=days_ago(30), end_date=days_ago(2))
    with pytest.raises(visits.VisitError) as err:
        log(fv)
    assert "nghỉ thai sản" in str(err.value)
    nothing_written()
    # a secondment shorter than the policy's months does not exempt: the visit is logged
    members.cadre_status_add(actor=None, person=fv.district_cadre,
                             kind=CadreStatusKind.SECONDMENT, start_date=days_ago(30),
                             end_date=days_ago(1))
    log(fv, user=fv.district_user, person=fv.district_cadre, places=[fv.world.commune_a1])


def test_fv2_only_the_cadre_or_a_writer_logs(fv: FvWorld) -> None:
    with pytest.raises(visits.VisitPermissionError):
        log(fv, user=fv.other_user)
    nothing_written()


def test_fv2_the_same_key_twice_makes_one_visit(fv: FvWorld) -> None:
    key = uuid.uuid4()
    first = log(fv, client_key=key)
    again = log(fv, client_key=str(key), start_date=days_ago(5), end_date=days_ago(5))
    assert again.pk == first.pk and Visit.objects.count() == 1
    assert Obligation.objects.filter(kind=visits.REPORT_KIND).count() == 1
    with pytest.raises(visits.VisitError):  # another cadre cannot reuse (or read) it
        log(fv, user=fv.district_user, person=fv.district_cadre,
            places=[fv.world.commune_a1], client_key=key)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fv2_a_race_on_the_same_key_returns_the_visit_made(fv: FvWorld,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sends at once: both pass the first look-up; the unique key makes the second insert
    fail and it returns the visit the first made."""
    key = uuid.uuid4()
    first = log(fv, client_key=key)
    real = visits.by_key
    calls: list[uuid.UUID] = []

    def late(k: uuid.UUID) -> Visit | None:
        calls.append(k)
        return None if len(calls) == 1 else real(k)

    monkeypatch.setattr(visits, "by_key", late)
    again = log(fv, client_key=key)
    assert again.pk == first.pk and len(calls) == 2
    assert Visit.objects.count() == 1
    monkeypatch.setattr(visits, "by_key", lambda k: None)
    with pytest.raises(IntegrityError):  # without the row found again, the error stands
        log(fv, client_key=key)


def test_fv2_photos_are_checked_by_content_and_size(fv: FvWorld) -> None:
    fake = SimpleUploadedFile("anh.jpg", b"MZ this is not an image", content_type="image/jpeg")
    with pytest.raises(visits.VisitError) as err:
        log(fv, photos=[fake])
    assert err.value.field == "photos" and "anh.jpg" in str(err.value)
    nothing_written()
    with override_settings(HUB_UPLOAD_MAX_BYTES=40):
        with pytest.raises(visits.VisitError) as err:
            log(fv, photos=[SimpleUploadedFile("lon.png", PNG, content_type="image/png")])
        assert "vượt quá giới hạn" in str(err.value)
        with pytest.raises(visits.VisitError) as err:
            log(fv, files=[SimpleUploadedFile("bien-ban.pdf", b"%PDF" + b"x" * 50)])
        assert err.value.field == "attachments"
    with pytest.raises(visits.VisitError):
        log(fv, files=[SimpleUploadedFile("virus.exe", b"MZ")])
    nothing_written()
    visit = log(fv, photos=[SimpleUploadedFile("anh.png", PNG, content_type="text/plain")],
                files=[SimpleUploadedFile("giay-di-duong.pdf", b"%PDF-1.4 ...")])
    stored = list(visit.files.order_by("pk"))
    assert [(f.name, f.is_photo, f.content_type) for f in stored] == [
        ("anh.png", True, "image/png"), ("giay-di-duong.pdf", False, "application/pdf")]


def _client(user: Any) -> Any:
    from tests.conftest import login

    return login(user)


def test_fv2_log_page_three_taps_and_remembered_place(fv: FvWorld) -> None:
    client = _client(fv.cadre_user)
    home = client.get("/di-co-so/")
    assert home.status_code == 200 and "Ghi chuyến đi" in home.content.decode()
    log(fv, places=[fv.world.commune_a2], kind="1.3")
    page = client.get("/di-co-so/chuyen-di/moi/?ngay=hom-qua")
    body = page.content.decode()
    form = page.context["form"]
    assert form.initial["places"] == [str(fv.world.commune_a2.pk)]
    assert form.initial["kind"] == "1.3"
    assert form.initial["start_date"] == days_ago(1) == form.initial["end_date"]
    assert "Hôm qua" in body and 'name="client_key"' in body
    # the third tap: save what is pre-filled
    data = {k: v for k, v in form.initial.items()}
    data["start_date"] = data["end_date"] = days_ago(1).strftime("%d/%m/%Y")
    resp = client.post("/di-co-so/chuyen-di/moi/", data)
    assert resp.status_code == 302
    made = Visit.objects.get(client_key=data["client_key"])
    assert resp["Location"] == f"/di-co-so/chuyen-di/{made.pk}/"
    again = client.post("/di-co-so/chuyen-di/moi/", data)  # the same form sent twice
    assert again["Location"] == resp["Location"] and Visit.objects.count() == 2


def test_fv2_page_shows_the_refusal_beside_the_field(fv: FvWorld) -> None:
    client = _client(fv.district_user)
    resp = client.post("/di-co-so/chuyen-di/moi/", {
        "client_key": str(uuid.uuid4()), "start_date": days_ago(1).strftime("%d/%m/%Y"),
        "places": [str(fv.world.commune_a1.pk)], "kind": "1.4"})
    assert resp.status_code == 200
    assert "kind" in resp.context["form"].errors and Visit.objects.count() == 0


def test_fv2_offline_sync_answers_json_and_never_duplicates(fv: FvWorld) -> None:
    client = _client(fv.cadre_user)
    key = str(uuid.uuid4())
    photo = io.BytesIO(PNG)
    photo.name = "anh-chup.png"
    data = {"client_key": key, "start_date": days_ago(2).strftime("%d/%m/%Y"),
            "places": [str(fv.world.commune_a1.pk)], "kind": "1.6", "cost": "50.000"}
    first = client.post("/di-co-so/chuyen-di/gui/", {**data, "photos": photo})
    assert first.status_code == 200 and first.json()["ok"] is True
    second = client.post("/di-co-so/chuyen-di/gui/", data)
    assert second.json()["id"] == first.json()["id"]
    visit = Visit.objects.get()
    assert visit.cost == 50000 and visit.files.get().is_photo
    bad = client.post("/di-co-so/chuyen-di/gui/", {**data, "client_key": str(uuid.uuid4()),
                                                   "places": [str(fv.world.centre.pk)]})
    assert bad.status_code == 400 and bad.json()["ok"] is False and bad.json()["errors"]
    assert Visit.objects.count() == 1


def test_fv2_service_worker_is_served_under_the_scope(fv: FvWorld) -> None:
    resp = _client(fv.cadre_user).get("/di-co-so/sw.js")
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("text/javascript")
    assert resp["Service-Worker-Allowed"] == "/di-co-so/"
    assert b"addEventListener(\"fetch\"" in resp.content
