"""Audit (X-4): every change of an audited model is recorded with who and before→after, the log is
hash-chained, and `audit_verify` finds edits and deletions made behind the application's back."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from doanvu.accounts.models import RoleGrant, RoleType
from doanvu.accounts.scope import Scope
from doanvu.accounts.services import grant_create, grant_end
from doanvu.audit import chain
from doanvu.audit.context import acting
from doanvu.audit.models import AuditHead, AuditRecord
from doanvu.common.dates import today
from doanvu.org import services
from doanvu.org.models import Department
from tests.conftest import World, login, make_user


def last_record(model: str, pk: object) -> AuditRecord:
    record = AuditRecord.objects.filter(model=model, object_pk=str(pk)).order_by("-id").first()
    assert record is not None
    return record


def verify_output() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue().strip()


# -- what is recorded ---------------------------------------------------------------------------


def test_x4_unit_rename_is_recorded_with_actor_and_before_after(world: World) -> None:
    before = AuditRecord.objects.count()

    services.unit_rename(actor=world.district_a_cadre, unit=world.district_a,
                         name="Thị đoàn Châu Thành", on=dt.date(2020, 1, 1))

    record = last_record("org.unit", world.district_a.pk)
    assert AuditRecord.objects.count() == before + 1
    assert (record.action, record.actor_id, record.actor_label, record.unit_id) == (
        "update", world.district_a_cadre.pk, "canbo_chauthanh", world.district_a.pk)
    assert record.changes == {"before": {"name": "Huyện đoàn Châu Thành"},
                              "after": {"name": "Thị đoàn Châu Thành"}}
    assert record.object_repr == "Thị đoàn Châu Thành"


def test_x4_unit_rename_through_the_page_is_attributed_to_the_logged_in_user(world: World) -> None:
    client = login(world.district_a_cadre)

    client.post(reverse("org:unit_rename", args=[world.commune_a1.pk]),
                {"name": "Đoàn xã Thái Bình mới", "on": "01/01/2021"})

    record = last_record("org.unit", world.commune_a1.pk)
    assert (record.action, record.actor_id) == ("update", world.district_a_cadre.pk)
    assert record.changes == {"before": {"name": "Đoàn xã Thái Bình"},
                              "after": {"name": "Đoàn xã Thái Bình mới"}}


def test_x4_unit_create_is_recorded(world: World) -> None:
    unit = services.unit_create(actor=world.district_a_cadre, parent=world.commune_a1,
                                name="Chi đoàn ấp Bình Hòa", kind=world.branch_a1.kind,
                                founded_on=dt.date(2021, 1, 1))

    record = AuditRecord.objects.filter(model="org.unit", object_pk=str(unit.pk)).first()
    assert record is not None
    assert (record.action, record.actor_id, record.changes["before"]) == (
        "create", world.district_a_cadre.pk, {})
    assert (record.changes["after"]["name"], record.changes["after"]["parent_id"]) == (
        "Chi đoàn ấp Bình Hòa", world.commune_a1.pk)


def test_x4_role_grant_create_and_end_are_recorded(world: World) -> None:
    user = make_user("nguoinhan")
    scope = Scope.for_user(world.district_a_cadre)

    made = grant_create(actor=world.district_a_cadre, scope=scope, user=user,
                        role_type=RoleType.objects.get(code="bi_thu_chi_doan"),
                        unit=world.commune_a1, department=None, start_date=dt.date(2024, 1, 1))
    created = last_record("accounts.rolegrant", made.pk)
    grant_end(actor=world.district_a_cadre, scope=scope, grant=made)
    ended = last_record("accounts.rolegrant", made.pk)

    assert (created.action, created.actor_id, created.unit_id) == (
        "create", world.district_a_cadre.pk, world.commune_a1.pk)
    assert created.changes["after"]["user_id"] == user.pk
    assert created.changes["after"]["start_date"] == "2024-01-01"
    assert (ended.action, ended.actor_id) == ("update", world.district_a_cadre.pk)
    assert ended.changes == {"before": {"end_date": None},
                             "after": {"end_date": today().isoformat()}}


def test_x4_department_edit_and_delete_are_recorded(world: World) -> None:
    with acting(world.province_secretary):
        dep = Department.objects.create(unit=world.province, name="Ban Phong trào",
                                        category="ban")
        dep.name = "Ban Phong trào – Thanh niên"
        dep.short_name = "BPT"
        dep.save()
        dep_pk = dep.pk
        dep.delete()

    records = list(AuditRecord.objects.filter(model="org.department", object_pk=str(dep_pk))
                   .order_by("id"))
    assert [(r.action, r.actor_id, r.unit_id) for r in records] == [
        ("create", world.province_secretary.pk, world.province.pk),
        ("update", world.province_secretary.pk, world.province.pk),
        ("delete", world.province_secretary.pk, world.province.pk),
    ]
    assert records[1].changes == {
        "before": {"name": "Ban Phong trào", "short_name": ""},
        "after": {"name": "Ban Phong trào – Thanh niên", "short_name": "BPT"},
    }
    assert records[2].changes["after"] == {}
    assert records[2].changes["before"]["name"] == "Ban Phong trào – Thanh niên"


def test_x4_saving_without_a_change_writes_nothing(world: World) -> None:
    before = AuditRecord.objects.count()

    world.tckt.save()

    assert AuditRecord.objects.count() == before


def test_x4_reason_is_recorded_when_given(world: World) -> None:
    with acting(world.admin, reason="Sửa lỗi nhập liệu theo Công văn 12"):
        world.tckt.short_name = "TC-KT"
        world.tckt.save(update_fields=["short_name"])

    record = last_record("org.department", world.tckt.pk)
    assert (record.reason, record.actor_id) == ("Sửa lỗi nhập liệu theo Công văn 12",
                                                world.admin.pk)


# -- the chain --------------------------------------------------------------------------------


def test_x4_audit_verify_passes_on_an_intact_chain(world: World) -> None:
    services.unit_rename(actor=world.admin, unit=world.district_a, name="Thị đoàn Châu Thành",
                         on=dt.date(2020, 1, 1))
    total = AuditRecord.objects.count()

    output = verify_output()

    assert output == f"Chuỗi nhật ký toàn vẹn: {total} bản ghi."
    assert list(AuditRecord.objects.order_by("id").values_list("id", flat=True)) == list(
        range(1, total + 1))


def test_x4_audit_verify_fails_after_sql_edit(world: World) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditrecord SET reason='x' WHERE id=2")

    with pytest.raises(CommandError) as exc:
        call_command("audit_verify")

    assert str(exc.value) == ("Chuỗi nhật ký bị phá vỡ tại bản ghi #2: nội dung bản ghi #2 đã bị "
                              "sửa. Đã kiểm tra 1 bản ghi hợp lệ trước đó.")


def test_x4_audit_verify_fails_when_an_edit_is_rehashed(world: World) -> None:
    """Rehashed with the unkeyed sha256 (the key is not in the database): the record itself
    no longer holds (issue 8; before the key, the next record's link was what broke)."""
    record = AuditRecord.objects.get(id=3)
    record.reason = "x"
    record.hash = chain.record_hash(record.prev_hash, chain._hashed_fields(record))
    AuditRecord.objects.filter(id=3).update(reason=record.reason, hash=record.hash)

    with pytest.raises(CommandError) as exc:
        call_command("audit_verify")

    assert str(exc.value) == ("Chuỗi nhật ký bị phá vỡ tại bản ghi #3: nội dung bản ghi #3 đã bị "
                              "sửa. Đã kiểm tra 2 bản ghi hợp lệ trước đó.")


def test_x4_audit_verify_fails_after_deleting_a_middle_record(world: World) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE id=5")

    with pytest.raises(CommandError) as exc:
        call_command("audit_verify")

    assert str(exc.value) == ("Chuỗi nhật ký bị phá vỡ tại bản ghi #5: thiếu bản ghi #5 (đã bị "
                              "xóa). Đã kiểm tra 4 bản ghi hợp lệ trước đó.")


def test_x4_audit_verify_fails_after_deleting_the_last_record(world: World) -> None:
    last = AuditRecord.objects.order_by("-id").first()
    assert last is not None
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE id=%s", [last.id])

    with pytest.raises(CommandError) as exc:
        call_command("audit_verify")

    assert str(exc.value) == (
        f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{last.id}: các bản ghi sau #{last.id - 1} đã bị "
        f"xóa (đầu chuỗi ghi #{last.id}). Đã kiểm tra {last.id - 1} bản ghi hợp lệ trước đó."
    )


def test_x4_audit_verify_fails_after_deleting_the_head_and_last_record(world: World) -> None:
    last = AuditRecord.objects.order_by("-id").first()
    assert last is not None
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE id=%s", [last.id])
        cursor.execute("DELETE FROM audit_audithead")

    with pytest.raises(CommandError) as exc:
        call_command("audit_verify")

    assert str(exc.value) == (
        f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{last.id}: không tìm thấy đầu chuỗi (bản ghi "
        f"cuối cùng đã ghi); có thể các bản ghi sau #{last.id - 1} đã bị xóa. "
        f"Đã kiểm tra {last.id - 1} bản ghi hợp lệ trước đó."
    )


def test_x4_appending_continues_the_chain_from_the_head(world: World) -> None:
    head = AuditHead.objects.get(id=1)

    with acting(world.admin):
        RoleGrant.objects.create(user=world.outsider,
                                 role_type=RoleType.objects.get(code="ke_toan"),
                                 unit=world.branch_b1, start_date=dt.date(2024, 1, 1))

    record = AuditRecord.objects.order_by("-id").first()
    head_after = AuditHead.objects.get(id=1)
    assert record is not None
    assert (record.id, record.prev_hash) == (head.last_id + 1, head.last_hash)
    assert (head_after.last_id, head_after.last_hash) == (record.id, record.hash)


# -- the pages ----------------------------------------------------------------------------------


def test_x4_unit_audit_panel_shows_the_rename(world: World) -> None:
    services.unit_rename(actor=world.district_a_cadre, unit=world.district_a,
                         name="Thị đoàn Châu Thành", on=dt.date(2020, 1, 1))
    client = login(world.district_a_cadre)

    response = client.get(reverse("org:unit_audit", args=[world.district_a.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Canbo_chauthanh đã sửa đơn vị “Thị đoàn Châu Thành”" in html
    assert ('<span class="audit-label">Tên đơn vị:</span> <del>Huyện đoàn Châu Thành</del> → '
            "<ins>Thị đoàn Châu Thành</ins>") in html
    assert "org.unit" not in html


def test_x4_unit_audit_panel_of_another_district_is_404(world: World) -> None:
    client = login(world.district_a_cadre)

    response = client.get(reverse("org:unit_audit", args=[world.district_b.pk]))

    assert response.status_code == 404


def test_x4_audit_log_lists_only_records_of_administered_units(world: World) -> None:
    services.unit_rename(actor=world.admin, unit=world.district_b, name="Thị đoàn Tân Biên",
                         on=dt.date(2020, 1, 1))
    services.unit_rename(actor=world.admin, unit=world.commune_a2, name="Đoàn xã Hảo Đước mới",
                         on=dt.date(2020, 1, 1))

    html = login(world.district_a_cadre).get(reverse("audit:log")).content.decode()

    assert "Đoàn xã Hảo Đước mới" in html
    assert "Tân Biên" not in html


def _run_worker() -> None:
    """The task worker, run once in the test's transaction."""
    call_command("db_worker", batch=True, reload=False, startup_delay=False,
                 stdout=io.StringIO(), stderr=io.StringIO())


def test_x4_superuser_verifies_the_chain_from_the_log_page(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker recycles connections between tasks; inside a test transaction that would close
    # the connection holding the test's data.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections",
                        lambda: None)
    client = login(world.admin)
    total = AuditRecord.objects.count()

    queued = client.post(reverse("audit:verify"))
    waiting = client.get(reverse("audit:log")).content.decode()
    _run_worker()
    intact = client.get(reverse("audit:log")).content.decode()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditrecord SET reason='x' WHERE id=2")
    client.post(reverse("audit:verify"))
    _run_worker()
    broken = client.get(reverse("audit:log")).content.decode()

    assert queued.status_code == 302
    assert "Đang kiểm tra chuỗi nhật ký (đang chờ tiến trình nền)." in waiting
    assert "READY" not in waiting
    assert f"Chuỗi nhật ký toàn vẹn ({total} bản ghi)." in intact
    assert "Chuỗi bị phá vỡ tại bản ghi #2: nội dung bản ghi #2 đã bị sửa" in broken


def test_x4_only_superuser_may_start_verification(world: World) -> None:
    statuses = [login(u).post(reverse("audit:verify")).status_code
                for u in (world.province_secretary, world.district_a_cadre, world.outsider)]

    assert statuses == [404, 404, 404]


def test_i10_verify_waiting_without_a_worker_says_so_and_what_to_do(
    world: World, settings: Any
) -> None:
    """Issue 10, item 8: a verification no worker has taken says why nothing moves — after the
    setting's seconds, not before."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_PICKUP_WARN_SECONDS = 5
    settings.DEBUG = True
    client = login(world.admin)
    client.post(reverse("audit:verify"))
    fresh = client.get(reverse("audit:log")).content.decode()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(seconds=6))
    late = client.get(reverse("audit:log")).content.decode()

    assert 'data-testid="no-worker"' not in fresh
    assert 'data-testid="no-worker"' in late
    assert "manage.py db_worker" in late
