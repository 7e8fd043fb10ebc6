"""SEC-8 findings 2 and 3: the import respects the person's governing membership (scope and
history), audits each person it changes, and survives a worker killed mid-import."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from doanvu.audit import chain
from doanvu.audit.models import AuditRecord
from doanvu.members.imports.services import (
    OUT_OF_SCOPE,
    import_job_create,
    import_job_interrupted,
    import_jobs_sweep,
    spool_path,
)
from doanvu.members.imports.tasks import import_job_resume
from doanvu.members.models import ImportJob, ImportStatus, Membership, MemberStatus
from doanvu.org.models import Person
from tests.conftest import login
from tests.members.conftest import MembersWorld, make_member
from tests.members.test_import_mem13 import check, confirm, csv_bytes, good_rows, upload, xlsx

ROOT = Path(__file__).resolve().parents[2]
DAT = "072201003456"  # Phạm Minh Đạt, a member of Chi đoàn ấp Tân Đông (district B)


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    settings.MEMBER_IMPORT_SPOOL_DIR = str(tmp_path / "import-spool")  # type: ignore[attr-defined]


def dat_row(**change: object) -> list[object]:
    row: list[object] = [1, "Tên Giả Mạo", "04/04/2001", "Nam", DAT, "26/03/2018",
                         "Chi đoàn ấp Bình Phong", "0911111111"]
    for i, v in change.items():
        row[int(i[1:])] = v
    return row


def check_as(mw: MembersWorld, user: object, rows: list[list[object]]) -> ImportJob:
    from doanvu.members.imports.services import import_job_check

    job = import_job_create(actor=user, unit=mw.world.commune_a1,
                            upload=upload("ds.csv", csv_bytes(rows)))
    import_job_check(job=job, mapping=job.mapping)
    job.refresh_from_db()
    return job


def end_membership(m: Membership) -> None:
    Membership.objects.filter(pk=m.pk).update(is_current=False, ended_on=dt.date(2025, 1, 1),
                                              status=MemberStatus.REMOVED)


def test_sec8_import_refuses_a_person_governed_outside_scope_and_names_nobody(
    members_world: MembersWorld,
) -> None:
    w = members_world.world
    job = check_as(members_world, w.district_a_cadre, [dat_row()])
    message = OUT_OF_SCOPE.format(cccd=DAT)
    assert job.report["errors"] == [[2, "Số CCCD", message]]
    assert "Phạm" not in message and "Tân Đông" not in message
    assert (job.report["added"], job.report["updated"]) == (0, 0)
    page = login(w.district_a_cadre).get(reverse("members:import_report", args=[job.pk]))
    assert "Phạm Minh Đạt" not in page.content.decode()
    assert "Tân Đông" not in page.content.decode()


def test_sec8_import_refuses_a_removed_member_whose_last_unit_is_outside_scope(
    members_world: MembersWorld,
) -> None:
    """The issue's case: district B removed the member; a district A cadre imports the CCCD
    into their own branch. The last membership still governs: refused, nothing overwritten."""
    w = members_world.world
    end_membership(members_world.b1[0])
    job = check_as(members_world, w.district_a_cadre, [dat_row()])
    assert job.report["errors"] == [[2, "Số CCCD", OUT_OF_SCOPE.format(cccd=DAT)]]
    confirm(job)
    person = Person.objects.get(cccd=DAT)
    assert (person.full_name, person.phone) == ("Phạm Minh Đạt", "")
    assert Membership.objects.filter(person=person).count() == 1


def test_sec8_import_rechecks_scope_at_import_time(members_world: MembersWorld) -> None:
    """Between the dry run and the import the person is admitted elsewhere: refused then."""
    w = members_world.world
    rows = good_rows(2)
    job = check_as(members_world, w.district_a_cadre, rows)
    assert (job.report["added"], job.report["errors"]) == (2, [])
    make_member(w.branch_b1, "Người Khác", cccd="072303000002", birth=dt.date(2003, 3, 12),
                gender="nu")
    job = confirm(job)
    assert job.status == ImportStatus.DONE
    assert job.report["errors"] == [[3, "Số CCCD", OUT_OF_SCOPE.format(cccd="072303000002")]]
    assert job.report["added"] == 1
    assert Person.objects.get(cccd="072303000002").full_name == "Người Khác"


def test_sec8_import_update_is_audited_per_person_with_old_and_new_values(
    members_world: MembersWorld,
) -> None:
    w = members_world.world
    an = members_world.a1[0]
    rows = good_rows(2)
    rows.append([3, "Nguyễn Văn An Mới", "15/01/2000", "Nam", "072200001234", "26/03/2016",
                 "Chi đoàn ấp Bình Phong", "0912345678"])
    job = check_as(members_world, w.district_a_cadre, rows)
    job = confirm(job)
    assert (job.report["added"], job.report["updated"]) == (2, 1)
    rec = AuditRecord.objects.get(model="org.person", object_pk=str(an.person_id),
                                 reason__startswith="Nhập")
    assert rec.action == "update"
    assert rec.actor_id == w.district_a_cadre.pk
    assert rec.unit_id == w.branch_a1.pk
    assert rec.changes == {"before": {"full_name": "Nguyễn Văn An", "phone": ""},
                           "after": {"full_name": "Nguyễn Văn An Mới", "phone": "0912345678"},
                           "import_job": job.pk}
    batch = AuditRecord.objects.get(model="members.importbatch", object_pk=f"{job.pk}:0")
    added = Person.objects.filter(cccd__in=["072303000001", "072303000002"])
    assert sorted(batch.changes["after"]["persons_added"]) == sorted(p.pk for p in added)
    assert sorted(batch.changes["after"]["memberships_added"]) == sorted(
        Membership.objects.filter(person__in=added).values_list("pk", flat=True))
    assert chain.verify().ok


# -- finding 3: faults ----------------------------------------------------------------------------


def _rows_for_batches(members_world: MembersWorld, n: int) -> tuple[ImportJob, list[int]]:
    """A checked job of n new rows plus one update (An's phone), spooled in batches of 50."""
    rows = [[0, "Nguyễn Văn An", "15/01/2000", "Nam", "072200001234", "26/03/2016",
             "Chi đoàn ấp Bình Phong", "0912345678"], *good_rows(n)]
    job = check(members_world, "lon.xlsx", xlsx(rows))
    assert (job.report["added"], job.report["updated"], job.report["errors"]) == (n, 1, [])
    return job, [members_world.a1[0].person_id]


def _assert_imported_exactly(job: ImportJob, n: int, an_id: int) -> None:
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.report["added"], job.report["updated"], job.report["unchanged"]) == (n, 1, 0)
    assert Person.objects.filter(cccd__startswith="072303").count() == n
    assert Membership.objects.filter(person__cccd__startswith="072303").count() == n
    assert Person.objects.get(pk=an_id).phone == "0912345678"
    batches = AuditRecord.objects.filter(model="members.importbatch",
                                         object_pk__startswith=f"{job.pk}:")
    added = [p for b in batches for p in b.changes["after"]["persons_added"]]
    assert len(added) == len(set(added)) == n  # every batch audited once, none twice
    assert AuditRecord.objects.filter(model="org.person", object_pk=str(an_id),
                                      reason__startswith="Nhập").count() == 1
    assert AuditRecord.objects.filter(model="members.importjob",
                                      object_pk=str(job.pk)).count() == 1
    assert chain.verify().ok


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sec8_worker_killed_mid_import_is_detected_and_resumed_exactly(
    members_world: MembersWorld, settings: object, tmp_path: Path,
) -> None:
    """PostgreSQL: the real worker (manage.py db_worker) is killed with SIGKILL mid-import.
    SQLite (an in-memory test database no second process can open): the same state is reached
    by a fault inside the worker's own process (the spool breaks off after some batches)."""
    settings.MEMBER_IMPORT_BATCH = 50  # type: ignore[attr-defined]
    n = 2000
    job, (an_id,) = _rows_for_batches(members_world, n)
    total_batches = (n + 1 + 49) // 50
    if connection.vendor == "postgresql":
        _kill_worker_mid_import(job, settings, tmp_path)
    else:
        _break_spool_mid_import(job)
    job.refresh_from_db()
    assert 0 < job.batches_done < total_batches
    assert import_job_interrupted(job)
    done = job.batches_done
    # what was committed is whole and audited: the rows of the committed batches, no more
    assert Person.objects.filter(cccd__startswith="072303").count() + (
        1 if Person.objects.get(pk=an_id).phone else 0) == job.processed_rows
    assert AuditRecord.objects.filter(model="members.importbatch",
                                      object_pk__startswith=f"{job.pk}:").count() == done
    page = login(members_world.world.admin).get(reverse("members:import_report", args=[job.pk]))
    html = page.content.decode()
    assert "bị gián đoạn" in html and "Tiếp tục nhập" in html and "Hủy" in html
    settings.TASKS = {"default": {  # type: ignore[attr-defined]
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    login(members_world.world.admin).post(reverse("members:import_resume", args=[job.pk]))
    _assert_imported_exactly(job, n, an_id)


def _kill_worker_mid_import(job: ImportJob, settings: object, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # type: ignore[attr-defined]
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "doanvu.settings.test",
           "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(tmp_path / "media"), str(tmp_path / "import-spool")],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        confirm(job)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.batches_done >= 3 or job.status != ImportStatus.RUNNING:
                break
            time.sleep(0.005)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL


# the worker as `manage.py db_worker` runs it, with the test's media and spool folders
WORKER = r"""
import sys
import django
from django.conf import settings
from django.test.utils import override_settings
django.setup()
# through override_settings, so the task backends an app loaded at start-up are loaded again
override_settings(MEDIA_ROOT=sys.argv[1], MEMBER_IMPORT_SPOOL_DIR=sys.argv[2],
                  TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
                  MEMBER_IMPORT_BATCH=50).enable()
from django.core.management import call_command
call_command("db_worker", interval=0.05, startup_delay=False)
"""


def _break_spool_mid_import(job: ImportJob) -> None:
    path = spool_path(job)
    whole = Path(path).read_bytes()
    Path(path).write_bytes(whole[: len(whole) // 3])  # the spool breaks off mid-batch
    confirm(job)  # the worker's task fails; what it committed stays, the job shows the fault
    Path(path).write_bytes(whole)


def test_sec8_interrupted_job_detected_by_heartbeat_and_at_worker_start(
    members_world: MembersWorld, settings: object,
) -> None:
    job = check(members_world, "ds.xlsx", xlsx(good_rows(3)))
    now = django_settings.USE_TZ and dt.datetime.now(dt.UTC)
    assert now
    # a worker on another host that reported 1 minute ago: still running
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, worker="khac:1",
                                               heartbeat_at=now - dt.timedelta(seconds=60))
    job.refresh_from_db()
    assert not import_job_interrupted(job)
    assert import_jobs_sweep() == 0
    # silent for longer than the setting: interrupted, and the sweep marks it
    settings.MEMBER_IMPORT_STALE_SECONDS = 30  # type: ignore[attr-defined]
    job.refresh_from_db()
    assert import_job_interrupted(job)
    assert import_jobs_sweep() == 1
    job.refresh_from_db()
    assert (job.status, job.progress["step"]) == (ImportStatus.INTERRUPTED, "import")
    # a dry run whose worker process on this host is gone: interrupted at once
    import socket

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING,
                                               worker=f"{socket.gethostname()}:{dead.pid}",
                                               heartbeat_at=now)
    job.refresh_from_db()
    assert import_job_interrupted(job)
    page = login(members_world.world.admin).get(reverse("members:import_report", args=[job.pk]))
    assert "Kiểm tra thử bị gián đoạn" in page.content.decode()
    # resuming the dry run runs it again, from the start
    import_job_resume(job=job)
    job.refresh_from_db()
    assert (job.status, job.report["added"]) == (ImportStatus.CHECKED, 3)


def test_sec8_cancel_rolls_back_an_interrupted_import(members_world: MembersWorld,
                                                      settings: object) -> None:
    settings.MEMBER_IMPORT_BATCH = 50  # type: ignore[attr-defined]
    job, (an_id,) = _rows_for_batches(members_world, 400)
    people, members = Person.objects.count(), Membership.objects.count()
    _break_spool_mid_import(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.INTERRUPTED and job.batches_done > 0
    assert Person.objects.count() > people
    client = login(members_world.world.admin)
    client.post(reverse("members:import_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert (Person.objects.count(), Membership.objects.count()) == (people, members)
    assert Person.objects.get(pk=an_id).phone == ""
    rec = AuditRecord.objects.get(model="members.importjob", object_pk=str(job.pk))
    assert rec.action == "delete"
    assert chain.verify().ok
    # a cancelled job cannot be resumed
    page = client.post(reverse("members:import_resume", args=[job.pk]))
    assert page.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED


def test_sec8_cancel_of_an_interrupted_dry_run_goes_back_to_the_mapping(
    members_world: MembersWorld,
) -> None:
    job = check(members_world, "ds.xlsx", xlsx(good_rows(3)))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, worker="khac:1",
                                               heartbeat_at=None, processed_rows=2)
    client = login(members_world.world.admin)
    response = client.post(reverse("members:import_cancel", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("members:import_mapping", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.worker) == (ImportStatus.UPLOADED, 0, "")
    # a job that runs (reported just now) can be neither cancelled nor resumed
    job2 = check(members_world, "ds2.xlsx", xlsx(good_rows(3)))
    ImportJob.objects.filter(pk=job2.pk).update(status=ImportStatus.RUNNING, worker="khac:1",
                                                heartbeat_at=dt.datetime.now(dt.UTC))
    client.post(reverse("members:import_cancel", args=[job2.pk]))
    client.post(reverse("members:import_resume", args=[job2.pk]))
    job2.refresh_from_db()
    assert (job2.status, job2.worker) == (ImportStatus.RUNNING, "khac:1")
