"""Imports left behind (issue 9, item 6): an upload never confirmed expires after the days its
unit's members policy sets; its file and spool are deleted, its audit records kept."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from doanvu.audit.models import AuditRecord
from doanvu.members.imports.services import import_job_check, import_job_create, spool_path
from doanvu.members.imports.tasks import expire_imports
from doanvu.members.models import ImportJob, ImportStatus
from tests.conftest import login
from tests.members.conftest import MembersWorld
from tests.members.test_import_mem13 import good_rows, upload, xlsx


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    settings.MEMBER_IMPORT_SPOOL_DIR = str(tmp_path / "spool")  # type: ignore[attr-defined]


def checked_job(mw: MembersWorld, *, days_old: int, name: str = "ds.xlsx") -> ImportJob:
    """A job whose dry run ran (file and spool on disk), uploaded `days_old` days ago."""
    job = import_job_create(actor=mw.world.admin, unit=mw.world.commune_a1,
                            upload=upload(name, xlsx(good_rows(3))))
    import_job_check(job=job, mapping=job.mapping)
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days_old, minutes=1))
    job.refresh_from_db()
    return job


def expiry_records(job: ImportJob) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(model="members.importjob", object_pk=str(job.pk),
                                           action="update"))


def test_i9_old_unconfirmed_upload_expires_with_file_and_spool_deleted(
        members_world: MembersWorld) -> None:
    assert members_world.policy.import_upload_expiry_days == 7
    job = checked_job(members_world, days_old=8)
    file_path, spool = job.file.path, spool_path(job)
    assert os.path.exists(file_path) and os.path.exists(spool)

    out = io.StringIO()
    call_command("expire_imports", stdout=out)

    job.refresh_from_db()
    assert job.status == ImportStatus.EXPIRED
    assert job.get_status_display() == "Đã hết hạn"
    assert (os.path.exists(file_path), os.path.exists(spool)) == (False, False)
    [record] = expiry_records(job)
    assert record.unit_id == members_world.world.commune_a1.pk
    assert record.changes["before"]["status"] == ImportStatus.CHECKED
    assert record.changes["after"]["status"] == ImportStatus.EXPIRED
    assert "1 lượt nhập" in out.getvalue()


def test_i9_young_and_confirmed_jobs_stay(members_world: MembersWorld) -> None:
    young = checked_job(members_world, days_old=6, name="moi.xlsx")
    done = checked_job(members_world, days_old=30, name="xong.xlsx")
    ImportJob.objects.filter(pk=done.pk).update(status=ImportStatus.DONE)
    running = checked_job(members_world, days_old=30, name="dang-nhap.xlsx")
    ImportJob.objects.filter(pk=running.pk).update(status=ImportStatus.RUNNING,
                                                    heartbeat_at=timezone.now())

    assert expire_imports.call() == 0

    for job, status in ((young, ImportStatus.CHECKED), (done, ImportStatus.DONE),
                        (running, ImportStatus.RUNNING)):
        job.refresh_from_db()
        assert job.status == status
        assert os.path.exists(job.file.path)
        assert expiry_records(job) == []
    assert os.path.exists(spool_path(young))


def test_i9_uploaded_failed_and_interrupted_dry_run_expire(members_world: MembersWorld) -> None:
    uploaded = import_job_create(actor=members_world.world.admin,
                                 unit=members_world.world.commune_a1,
                                 upload=upload("chua.xlsx", xlsx(good_rows(2))))
    failed = checked_job(members_world, days_old=10, name="loi.xlsx")
    check_cut = checked_job(members_world, days_old=10, name="dung.xlsx")
    import_cut = checked_job(members_world, days_old=10, name="nhap-dung.xlsx")
    old = timezone.now() - dt.timedelta(days=9)
    ImportJob.objects.filter(pk=uploaded.pk).update(created_at=old)
    ImportJob.objects.filter(pk=failed.pk).update(status=ImportStatus.FAILED)
    ImportJob.objects.filter(pk=check_cut.pk).update(status=ImportStatus.INTERRUPTED,
                                                     progress={"step": "check"})
    ImportJob.objects.filter(pk=import_cut.pk).update(status=ImportStatus.INTERRUPTED,
                                                      progress={"step": "import"})

    assert expire_imports.call() == 3

    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert [statuses[j.pk] for j in (uploaded, failed, check_cut, import_cut)] == [
        ImportStatus.EXPIRED, ImportStatus.EXPIRED, ImportStatus.EXPIRED,
        ImportStatus.INTERRUPTED]


def test_i9_expiry_twice_does_nothing_the_second_time(members_world: MembersWorld) -> None:
    job = checked_job(members_world, days_old=8)
    call_command("expire_imports", stdout=io.StringIO())
    records = AuditRecord.objects.count()

    out = io.StringIO()
    call_command("expire_imports", stdout=out)

    assert AuditRecord.objects.count() == records
    assert len(expiry_records(job)) == 1
    assert "0 lượt nhập" in out.getvalue()


def test_i9_expiry_days_come_from_the_units_policy(members_world: MembersWorld) -> None:
    members_world.policy.import_upload_expiry_days = 30
    members_world.policy.save(update_fields=["import_upload_expiry_days"])
    job = checked_job(members_world, days_old=8)

    assert expire_imports.call() == 0

    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED


def test_i9_import_pages_show_the_expired_state(members_world: MembersWorld) -> None:
    job = checked_job(members_world, days_old=8)
    expire_imports.call()
    client = login(members_world.world.admin)

    report = client.get(reverse("members:import_report", args=[job.pk]))
    mapping = client.get(reverse("members:import_mapping", args=[job.pk]))
    start = client.get(reverse("members:import_start"))

    html = report.content.decode()
    assert report.status_code == 200
    assert 'data-testid="import-expired"' in html
    assert "Đã hết hạn" in html
    assert "không được xác nhận trong 7 ngày" in html
    assert 'data-testid="import-confirm"' not in html
    assert mapping.status_code == 302
    assert mapping["Location"] == reverse("members:import_report", args=[job.pk])
    assert "Đã hết hạn" in start.content.decode()
