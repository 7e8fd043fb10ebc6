"""API-1 (MEM-13 through the API): a province's system pushes a member file; the same import
service and background jobs as the import pages, the same scope; nothing written on a refusal.

The tests run the tasks as the other import tests do: the test settings' ImmediateBackend runs
a queued task at once (a DummyBackend keeps it queued, as the database backend does until a
worker comes)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doanvu.api.v1 import members_write
from doanvu.audit.models import AuditRecord
from doanvu.members.models import ImportJob, ImportStatus, Membership
from doanvu.org.models import Person
from tests.api.conftest import A_NAMES, ApiWorld, api, body, new_key
from tests.members import conftest as members_conftest
from tests.members.test_import_mem13 import csv_bytes, good_rows, xlsx

members_world = members_conftest.members_world  # the members' policy (ages, upload expiry)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEMBER_IMPORT_SPOOL_DIR = str(tmp_path / "spool")


def _files(settings: Any) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return [str(p) for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _push(client: Any, unit_id: object, name: str, content: bytes, **extra: Any) -> Any:
    return client.post(reverse("api:v1_member_imports"),
                       {"don_vi": unit_id, "tep": SimpleUploadedFile(name, content), **extra})


@pytest.fixture
def world_(api_world: ApiWorld, members_world: members_conftest.MembersWorld) -> ApiWorld:
    return api_world


def test_api1_member_import_check_then_confirm_through_the_import_service(
        world_: ApiWorld) -> None:
    w = world_.world
    client = api(world_.a_key)
    people = Person.objects.count()

    pushed = _push(client, w.commune_a1.pk, "ds.xlsx", xlsx(good_rows(3)))

    assert pushed.status_code == 202, pushed.content
    job = ImportJob.objects.get()
    checked = body(pushed)
    assert (checked["id"], checked["trang_thai"], checked["buoc"]) == (
        job.pk, "da_kiem_tra", "kiem_tra")
    assert (checked["tong_so_dong"], checked["se_them"], checked["so_dong_loi"]) == (3, 3, 0)
    assert checked["don_vi"] == "Đoàn xã Thái Bình" and checked["tep"] == "ds.xlsx"
    assert checked["dia_chi_trang_thai"] == reverse("api:v1_member_import", args=[job.pk])
    assert "Họ và tên" in checked["cot_da_gan"] and checked["loi"] == []
    assert Person.objects.count() == people  # the dry run writes nothing
    assert body(client.get(checked["dia_chi_trang_thai"])) == checked

    confirmed = client.post(checked["dia_chi_xac_nhan"])

    assert confirmed.status_code == 202, confirmed.content
    done = body(client.get(checked["dia_chi_trang_thai"]))
    assert (done["trang_thai"], done["trang_thai_ten"], done["da_xu_ly"], done["se_them"]) == (
        "hoan_tat", "Hoàn tất", 3, 3)
    assert done["dia_chi_xac_nhan"] == ""
    assert Membership.objects.filter(branch=w.branch_a1,
                                     person__full_name="Võ Thị Hạnh 2").exists()
    # audited by the import's own records, naming the token's user
    record = AuditRecord.objects.get(model="members.importjob", object_pk=str(job.pk))
    assert record.actor_id == w.district_a_cadre.pk
    assert job.created_by_id == w.district_a_cadre.pk
    # confirming again: the state is named, nothing queued twice
    again = client.post(checked["dia_chi_xac_nhan"])
    assert again.status_code == 400 and "trang_thai" in body(again)["loi"]["truong"]
    assert "Hoàn tất" in body(again)["loi"]["thong_diep"]


def test_api1_member_import_reports_refused_rows_with_row_and_column(world_: ApiWorld) -> None:
    w = world_.world
    rows = good_rows(4)
    rows[1][2] = "31/02/2003"  # file row 3: the header, then data from row 2
    rows[3][4] = rows[0][4]  # file row 5 repeats row 2's CCCD

    pushed = _push(api(world_.a_key), w.commune_a1.pk, "ds.csv", csv_bytes(rows))

    assert pushed.status_code == 202
    answer = body(pushed)
    assert answer["loi"] == [
        {"dong": 3, "cot": "Ngày sinh",
         "thong_diep": "Ngày “31/02/2003” không tồn tại: tháng 2/2003 chỉ có 28 ngày."},
        {"dong": 5, "cot": "Số CCCD", "thong_diep": "Số CCCD 072303000001 trùng với dòng 2 "
                                                    "trong tệp."},
    ]
    assert (answer["se_them"], answer["so_dong_loi"]) == (2, 2)


def test_api1_member_import_another_units_job_is_404_and_a_unit_out_of_reach_is_refused(
        world_: ApiWorld, settings: Any) -> None:
    w = world_.world
    pushed = _push(api(world_.a_key), w.commune_a1.pk, "ds.xlsx", xlsx(good_rows(2)))
    job_id = body(pushed)["id"]
    b = api(world_.b_key)
    status_url = reverse("api:v1_member_import", args=[job_id])
    confirm_url = reverse("api:v1_member_import_confirm", args=[job_id])

    foreign = b.get(status_url)
    missing = b.get(reverse("api:v1_member_import", args=[job_id + 1000]))
    foreign_confirm = b.post(confirm_url)
    into_a = _push(b, w.commune_a1.pk, "ds.xlsx", xlsx(good_rows(2, start=50)))
    outsider = _push(api(new_key(w.outsider)), w.commune_a1.pk, "ds.xlsx",
                     xlsx(good_rows(2, start=60)))

    assert (foreign.status_code, missing.status_code, foreign_confirm.status_code) == (
        404, 404, 404)
    assert body(foreign) == body(missing)
    for response in (foreign, foreign_confirm, into_a, outsider):
        text = response.content.decode()
        assert not any(n in text for n in ("Thái Bình", "Châu Thành", "ds.xlsx", *A_NAMES))
    for response in (into_a, outsider):
        assert response.status_code == 400
        assert list(body(response)["loi"]["truong"]) == ["don_vi"]
    assert ImportJob.objects.count() == 1  # the refused pushes stored nothing
    assert ImportJob.objects.get().status == ImportStatus.CHECKED  # not confirmed by B


def test_api1_member_import_a_file_it_cannot_read_is_400_naming_the_file_and_stores_nothing(
        world_: ApiWorld, settings: Any) -> None:
    w = world_.world
    client = api(world_.a_key)
    header = ["STT", "Họ và tên", None, "Giới tính", "Số CCCD", "Ngày vào Đoàn", "Chi đoàn"]
    merged = xlsx([[1, "Võ Thị Hạnh", "12/03/2003", "Nữ", "072303000001", "26/03/2019",
                    "Chi đoàn ấp Bình Phong"]], header=header, merge="B2:C2")

    cases = [
        ("gop.xlsx", merged, "cột C"),
        ("anh.xlsx", b"PK\x03\x04 not really a zip", "không phải bảng tính .xlsx"),
        ("thieu.xlsx", xlsx([["Võ Thị Hạnh", "12/03/2003"]], header=["Họ và tên", "Ngày sinh"]),
         "thiếu các cột bắt buộc: Số CCCD, Ngày vào Đoàn, Chi đoàn"),
    ]
    for name, content, words in cases:
        response = _push(client, w.commune_a1.pk, name, content)
        assert response.status_code == 400, name
        error = body(response)["loi"]
        assert list(error["truong"]) == ["tep"] and words in error["truong"]["tep"][0], error

    assert ImportJob.objects.count() == 0
    assert _files(settings) == []


@pytest.mark.parametrize(("data", "field"), [
    ({"don_vi": "abc"}, "don_vi"),
    ({"don_vi": "0"}, "don_vi"),
    ({}, "don_vi"),
    ({"don_vi": "1", "tep": "not a file"}, "tep"),
    ({"don_vi": "1", "cot": "x"}, "cot"),
])
def test_api1_member_import_refuses_bad_fields_naming_them(
        world_: ApiWorld, data: dict[str, str], field: str) -> None:
    response = api(world_.a_key).post(reverse("api:v1_member_imports"), data)

    assert response.status_code == 400
    assert field in body(response)["loi"]["truong"]
    assert ImportJob.objects.count() == 0


def test_api1_member_import_takes_only_multipart_and_bounds_the_file(
        world_: ApiWorld, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    w = world_.world
    client = api(world_.a_key)
    url = reverse("api:v1_member_imports")

    as_json = client.post(url, {"don_vi": w.commune_a1.pk}, content_type="application/json")
    huge = client.post(url, b"x", content_type="multipart/form-data; boundary=x",
                       CONTENT_LENGTH=str(members_write.MAX_UPLOAD_BYTES + 10**6))
    monkeypatch.setattr(members_write, "MAX_UPLOAD_BYTES", 2048)
    too_big = _push(client, w.commune_a1.pk, "lon.csv", csv_bytes(good_rows(100)))

    assert as_json.status_code == 415
    assert "multipart/form-data" in body(as_json)["loi"]["thong_diep"]
    assert (huge.status_code, body(huge)["loi"]["ma"]) == (413, "qua_lon")
    assert too_big.status_code == 413 and "lon.csv" in body(too_big)["loi"]["thong_diep"]
    assert ImportJob.objects.count() == 0 and _files(settings) == []


def test_api1_member_import_queued_until_a_worker_takes_it(
        world_: ApiWorld, settings: Any) -> None:
    from django_tasks import default_task_backend

    from doanvu.members.imports.services import import_job_check_run

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = api(world_.a_key)

    pushed = _push(client, world_.world.commune_a1.pk, "ds.csv", csv_bytes(good_rows(4)))

    answer = body(pushed)
    queued = [(t.task.name, t.kwargs) for t in default_task_backend.results]  # type: ignore[attr-defined]
    assert pushed.status_code == 202 and queued == [("check_members", {"job_id": answer["id"]})]
    assert (answer["trang_thai"], answer["da_xu_ly"], answer["dia_chi_xac_nhan"]) == (
        "dang_kiem_tra", 0, "")
    early = client.post(reverse("api:v1_member_import_confirm", args=[answer["id"]]))
    assert early.status_code == 400 and "Đang kiểm tra thử" in body(early)["loi"]["thong_diep"]
    import_job_check_run(job_id=answer["id"])
    after = body(client.get(answer["dia_chi_trang_thai"]))
    assert (after["trang_thai"], after["se_them"]) == ("da_kiem_tra", 4)


def test_api1_member_import_status_costs_the_same_queries_whatever_the_errors(
        world_: ApiWorld) -> None:
    client = api(world_.a_key)
    counts = []
    for n in (2, 40):
        rows = good_rows(n, start=n * 100)
        for r in rows:
            r[2] = "31/02/2003"
        job_id = body(_push(client, world_.world.commune_a1.pk, f"ds{n}.csv",
                            csv_bytes(rows)))["id"]
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(reverse("api:v1_member_import", args=[job_id]))
        assert len(body(answer)["loi"]) == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_api1_member_import_spool_left_only_for_the_confirm(world_: ApiWorld,
                                                            settings: Any) -> None:
    """The pushed file goes the pages' way: kept with its job, its good rows spooled by the
    dry run for the import, the spool gone once imported."""
    client = api(world_.a_key)
    answer = body(_push(client, world_.world.commune_a1.pk, "ds.csv", csv_bytes(good_rows(2))))
    spool = settings.MEMBER_IMPORT_SPOOL_DIR
    assert len(os.listdir(spool)) == 1
    client.post(answer["dia_chi_xac_nhan"])
    assert os.listdir(spool) == [] and len(_files(settings)) == 1


def test_api1_member_import_discard_drops_only_a_job_never_checked(world_: ApiWorld,
                                                                   settings: Any) -> None:
    from doanvu.members.imports.services import (
        ImportStateError,
        import_job_create,
        import_job_discard,
    )

    w = world_.world
    fresh = import_job_create(actor=w.district_a_cadre, unit=w.commune_a1,
                              upload=SimpleUploadedFile("a.csv", csv_bytes(good_rows(1))))
    checked = body(_push(api(world_.a_key), w.commune_a1.pk, "b.csv", csv_bytes(good_rows(1))))
    assert len(_files(settings)) == 2

    import_job_discard(job=fresh)
    with pytest.raises(ImportStateError):
        import_job_discard(job=ImportJob.objects.get(pk=checked["id"]))

    assert list(ImportJob.objects.values_list("pk", flat=True)) == [checked["id"]]
    assert [Path(f).name for f in _files(settings)] == ["b.csv"]
