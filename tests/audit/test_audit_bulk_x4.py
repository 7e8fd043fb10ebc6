"""Issue 9, X-4: a batch of changes is one step of the keyed chain with its rows hashed in, and an
audited save loads no related row to find its unit or its label."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from doanvu.audit import chain, services
from doanvu.audit.models import AuditBulkRow, AuditHead, AuditRecord
from doanvu.common.periods import Period
from doanvu.members.dues.meetings import meeting_create
from doanvu.members.dues.services import dues_generate_month
from doanvu.members.models import Attendance, DuesEntry, Meeting, Membership
from tests.members.conftest import MembersWorld
from tests.members.conftest import members_world as members_world  # the fixture, here too


def verify_error() -> str:
    with pytest.raises(CommandError) as exc:
        call_command("audit_verify", stdout=io.StringIO())
    return str(exc.value)


def verify_output() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue().strip()


def recompute(mw: MembersWorld, n: int = 3) -> AuditRecord:
    rows = [services.BulkRow(object_pk=str(1000 + i), unit_id=mw.world.branch_a1.pk,
                             before={"score": i}, after={"score": i + 10})
            for i in range(n)]
    rec = services.record_bulk(model=Membership, rows=rows, description="Tính lại điểm 2026",
                               unit_id=mw.world.district_a.pk, actor=mw.world.admin,
                               reason="Tính lại theo thang điểm mới")
    assert rec is not None
    return rec


# -- the bulk step -------------------------------------------------------------------------------


def test_x4_bulk_step_is_one_keyed_record_with_its_rows(members_world: MembersWorld) -> None:
    before = AuditRecord.objects.count()

    rec = recompute(members_world)

    head = AuditHead.objects.get(id=1)
    rows = list(AuditBulkRow.objects.filter(record_id=rec.id).values_list(
        "seq", "object_pk", "unit_id", "before", "after"))
    b1 = members_world.world.branch_a1.pk
    assert AuditRecord.objects.count() == before + 1
    assert (rec.action, rec.model, rec.object_repr, rec.unit_id, rec.actor_id, rec.reason) == (
        "bulk", "members.membership", "Tính lại điểm 2026", members_world.world.district_a.pk,
        members_world.world.admin.pk, "Tính lại theo thang điểm mới")
    assert rec.changes == {"rows": 3, "digest": chain.bulk_digest(
        list(AuditBulkRow.objects.filter(record_id=rec.id).order_by("seq")
             .values_list("mac", flat=True)))}
    assert rec.key_id == chain.key_id_of(chain.DEV_KEY)
    assert rows == [(1, "1000", b1, {"score": 0}, {"score": 10}),
                    (2, "1001", b1, {"score": 1}, {"score": 11}),
                    (3, "1002", b1, {"score": 2}, {"score": 12})]
    assert (head.last_id, head.last_hash) == (rec.id, rec.hash)
    assert verify_output() == f"Chuỗi nhật ký toàn vẹn: {rec.id} bản ghi."


def test_x4_bulk_step_takes_the_head_once_and_inserts_one_record(
    members_world: MembersWorld,
) -> None:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        rec = recompute(members_world, n=5000)

    sql = [q["sql"] for q in queries.captured_queries]
    head = [s.split()[0].upper() for s in sql if '"audit_audithead"' in s]
    records = [s.split()[0].upper() for s in sql if '"audit_auditrecord"' in s]
    rows = [s.split()[0].upper() for s in sql if '"audit_auditbulkrow"' in s]
    assert head == ["SELECT", "UPDATE"]
    assert records == ["INSERT"]
    assert set(rows) == {"INSERT"}
    assert AuditBulkRow.objects.filter(record_id=rec.id).count() == 5000
    assert verify_output() == f"Chuỗi nhật ký toàn vẹn: {rec.id} bản ghi."


def test_x4_unchanged_rows_are_left_out_and_an_empty_batch_records_nothing(
    members_world: MembersWorld,
) -> None:
    before = AuditRecord.objects.count()
    same = services.BulkRow(object_pk="1", before={"score": 5}, after={"score": 5})

    nothing = services.record_bulk(model="members.membership", rows=[same], description="x")
    rec = services.record_bulk(model="members.membership", description="y", rows=[
        same, services.BulkRow(object_pk="2", before={"score": 5}, after={"score": 6})])

    assert nothing is None
    assert rec is not None and rec.id == before + 1
    assert list(AuditBulkRow.objects.filter(record_id=rec.id).values_list("seq", "object_pk")) \
        == [(1, "2")]


def test_x4_changed_helper_keeps_only_the_fields_that_differ() -> None:
    assert services.changed({"a": 1, "b": dt.date(2026, 1, 2), "c": 3},
                            {"a": 1, "b": dt.date(2026, 1, 3), "d": 4}) == (
        {"b": "2026-01-02", "c": 3, "d": None}, {"b": "2026-01-03", "c": None, "d": 4})


# -- tampering with the rows of a bulk step -------------------------------------------------------


def test_x4_a_changed_bulk_row_is_found_naming_the_record_and_the_row(
    members_world: MembersWorld,
) -> None:
    rec = recompute(members_world)
    AuditBulkRow.objects.filter(record_id=rec.id, seq=2).update(after={"score": 99})

    assert verify_error() == (
        f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{rec.id}: dòng 2 của bản ghi hàng loạt #{rec.id} "
        f"(members.membership 1001) đã bị sửa. Đã kiểm tra {rec.id - 1} bản ghi hợp lệ trước đó.")


def test_x4_a_bulk_row_rewritten_with_a_recomputed_unkeyed_mac_is_found(
    members_world: MembersWorld,
) -> None:
    """Without the key the row's MAC cannot be made again; sha256 over the same input fails."""
    import hashlib
    import json

    rec = recompute(members_world)
    row = AuditBulkRow.objects.get(record_id=rec.id, seq=1)
    row.after = {"score": 0}
    forged = hashlib.sha256(json.dumps([rec.id, 1, row.action, row.object_pk, row.unit_id,
                                        row.before, row.after]).encode()).hexdigest()
    AuditBulkRow.objects.filter(pk=row.pk).update(after=row.after, mac=forged)

    assert verify_error() == (
        f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{rec.id}: dòng 1 của bản ghi hàng loạt #{rec.id} "
        f"(members.membership 1000) đã bị sửa. Đã kiểm tra {rec.id - 1} bản ghi hợp lệ trước đó.")


def test_x4_a_deleted_bulk_row_is_found(members_world: MembersWorld) -> None:
    rec = recompute(members_world)
    AuditBulkRow.objects.filter(record_id=rec.id, seq=2).delete()

    assert verify_error() == (
        f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{rec.id}: thiếu dòng 2 của bản ghi hàng loạt "
        f"#{rec.id} (đã bị xóa). Đã kiểm tra {rec.id - 1} bản ghi hợp lệ trước đó.")


def test_x4_the_last_bulk_row_deleted_is_found_by_the_digest(members_world: MembersWorld) -> None:
    rec = recompute(members_world)
    AuditBulkRow.objects.filter(record_id=rec.id, seq=3).delete()

    assert verify_error() == (
        f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{rec.id}: các dòng của bản ghi hàng loạt "
        f"#{rec.id} không khớp mã tổng mà bản ghi ghi nhận (3 dòng, còn 2): đã bị thêm, xóa "
        f"hoặc thay. Đã kiểm tra {rec.id - 1} bản ghi hợp lệ trước đó.")


def test_x4_a_row_moved_from_another_bulk_step_is_found(members_world: MembersWorld) -> None:
    first = recompute(members_world)
    second = recompute(members_world)
    AuditBulkRow.objects.filter(record_id=second.id, seq=3).delete()
    AuditBulkRow.objects.filter(record_id=first.id, seq=3).update(record_id=second.id)

    assert verify_error() == (
        f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{first.id}: các dòng của bản ghi hàng loạt "
        f"#{first.id} không khớp mã tổng mà bản ghi ghi nhận (3 dòng, còn 2): đã bị thêm, xóa "
        f"hoặc thay. Đã kiểm tra {first.id - 1} bản ghi hợp lệ trước đó.")


def test_x4_a_row_attached_to_a_record_that_is_not_a_bulk_step_is_found(
    members_world: MembersWorld,
) -> None:
    rec = recompute(members_world)
    row = AuditBulkRow.objects.get(record_id=rec.id, seq=1)
    AuditBulkRow.objects.create(record_id=2, seq=1, action="update", object_pk="7",
                                before={}, after={"x": 1}, mac=row.mac)

    assert verify_error() == (
        "Chuỗi nhật ký bị phá vỡ tại bản ghi #2: dòng 1 gắn với bản ghi #2 không phải bản ghi "
        f"hàng loạt (đã bị thêm ngoài ứng dụng). Đã kiểm tra {rec.id} bản ghi hợp lệ trước đó.")


def test_x4_the_bulk_record_itself_rewritten_is_found(members_world: MembersWorld) -> None:
    """Editing the record's row count (to hide a deleted row) breaks the record's own MAC."""
    rec = recompute(members_world)
    AuditBulkRow.objects.filter(record_id=rec.id, seq=3).delete()
    AuditRecord.objects.filter(id=rec.id).update(changes={**rec.changes, "rows": 2})

    assert verify_error() == (
        f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{rec.id}: nội dung bản ghi #{rec.id} đã bị sửa. "
        f"Đã kiểm tra {rec.id - 1} bản ghi hợp lệ trước đó.")


# -- the per-save path ----------------------------------------------------------------------------


def test_x4_audited_save_of_a_dues_entry_loads_no_related_row(
    members_world: MembersWorld, django_assert_num_queries: Any,
) -> None:
    """The row as it is (1), the update (2), unit and label through the membership in one
    query (3), then the head's lock (4), the record (5) and the head (6): no savepoint, no load
    of the membership or the person."""
    month = Period.month(2026, 1)
    dues_generate_month(branch=members_world.world.branch_a1, month=month)
    entry = DuesEntry.objects.filter(membership=members_world.a1[0]).get()

    with transaction.atomic(), django_assert_num_queries(6) as captured:
        entry.amount_paid = entry.amount_due
        entry.save()

    record = AuditRecord.objects.order_by("-id").first()
    assert record is not None
    assert (record.model, record.object_repr, record.unit_id, record.changes) == (
        "members.duesentry", f"Nguyễn Văn An {month}",
        members_world.world.branch_a1.pk,
        {"before": {"amount_paid": 0}, "after": {"amount_paid": entry.amount_due}})
    related = [q["sql"] for q in captured.captured_queries
               if '"org_person"' in q["sql"] or '"members_membership"' in q["sql"]]
    assert len(related) == 1
    assert related[0].startswith(
        'SELECT "members_membership"."branch_id" AS "membership__branch_id", '
        '"org_person"."full_name" AS "membership__person__full_name" FROM "members_duesentry"')


def test_x4_audited_save_with_the_relations_loaded_costs_no_extra_query(
    members_world: MembersWorld, django_assert_num_queries: Any,
) -> None:
    date = dt.date(2026, 3, 26)
    meeting = meeting_create(unit=members_world.world.branch_a1, kind="sinh_hoat", date=date,
                             attendance={m.pk: "co_mat" for m in members_world.a1})
    row = (Attendance.objects.select_related("membership__person", "meeting")
           .get(meeting=meeting, membership=members_world.a1[1]))

    with transaction.atomic(), django_assert_num_queries(5):
        row.status = "vang_co_phep"
        row.save(update_fields=["status"])

    record = AuditRecord.objects.order_by("-id").first()
    assert record is not None
    assert (record.object_repr, record.unit_id) == ("Trần Thị Bích: Vắng có phép",
                                                    members_world.world.branch_a1.pk)


def test_x4_labels_read_by_field_path_are_what_str_gives(members_world: MembersWorld) -> None:
    month = Period.month(2026, 2)
    dues_generate_month(branch=members_world.world.branch_a1, month=month)
    meeting = meeting_create(unit=members_world.world.branch_a1, kind="sinh_hoat",
                             date=dt.date(2026, 3, 26),
                             attendance={m.pk: "co_mat" for m in members_world.a1})
    objects: list[Any] = [*DuesEntry.objects.all(), *Attendance.objects.all(), meeting,
                          *Membership.objects.all(), members_world.policy]

    got = {(r.model, r.object_pk): r.object_repr for r in AuditRecord.objects.all()}

    expected = {(o._meta.label_lower, str(o.pk)): str(o) for o in objects}
    assert {k: got.get(k) for k in expected} == expected
    assert Meeting.objects.count() == 1


def test_x4_the_app_role_cannot_change_or_delete_bulk_rows(members_world: MembersWorld) -> None:
    """The grants of docs/deploy.md cover the rows of bulk steps as they do the records."""
    from django.db import DatabaseError

    from doanvu.audit.grants import app_role_grants

    grants = app_role_grants("doanvu_app")
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditbulkrow FROM doanvu_app" in grants
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # no roles: the grants are PostgreSQL's
        return
    refused: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("DROP ROLE IF EXISTS doanvu_test_app")
        cursor.execute("CREATE ROLE doanvu_test_app")
        for statement in app_role_grants("doanvu_test_app"):
            cursor.execute(statement)
        cursor.execute("SET ROLE doanvu_test_app")
        try:
            rec = recompute(members_world)
            for attempt, sql in (("UPDATE", "UPDATE audit_auditbulkrow SET after='{}'"),
                                 ("DELETE", "DELETE FROM audit_auditbulkrow"),
                                 ("TRUNCATE", "TRUNCATE audit_auditbulkrow")):
                try:
                    with transaction.atomic():
                        cursor.execute(sql)
                except DatabaseError:
                    refused.append(attempt)
        finally:
            cursor.execute("RESET ROLE")
    assert refused == ["UPDATE", "DELETE", "TRUNCATE"]
    assert AuditBulkRow.objects.filter(record_id=rec.id).count() == 3
