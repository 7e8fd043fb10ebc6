"""MEM-13: import of members from .xlsx/.csv (dry run, upsert by CCCD) and .xlsx export."""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from doanvu.audit.models import AuditRecord
from doanvu.members.imports.services import (
    ImportFileError,
    auto_mapping,
    import_job_check,
    import_job_create,
    parse_cell_date,
)
from doanvu.members.imports.tasks import import_job_confirm
from doanvu.members.models import ImportJob, ImportStatus, Membership
from doanvu.org.models import Person
from tests.conftest import login
from tests.members.conftest import MembersWorld, make_member

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Đoàn", "Chi đoàn",
          "SĐT"]


def good_rows(n: int, *, start: int = 1,
              branch: str = "Chi đoàn ấp Bình Phong") -> list[list[object]]:
    rows: list[list[object]] = []
    for i in range(start, start + n):
        rows.append([i, f"Võ Thị Hạnh {i}", "12/03/2003", "Nữ", f"072303{i:06d}", "26/03/2019",
                     branch, f"09{i:08d}"])
    return rows


def xlsx(rows: Sequence[Sequence[object]], *, header: Sequence[object] = HEADER,
         title: str | None = "DANH SÁCH ĐOÀN VIÊN", merge: str | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if title:
        ws.append([title])
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    if merge:
        ws.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], *, bom: bool = True, sep: str = ",") -> bytes:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep)
    w.writerow(HEADER)
    w.writerows(rows)
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def check(mw: MembersWorld, name: str, content: bytes, *, unit: object = None) -> ImportJob:
    w = mw.world
    job = import_job_create(actor=w.admin, unit=unit or w.commune_a1, upload=upload(name, content))
    import_job_check(job=job, mapping=job.mapping)
    job.refresh_from_db()
    return job


def confirm(job: ImportJob) -> ImportJob:
    import_job_confirm(job=job)
    job.refresh_from_db()
    return job


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    settings.MEMBER_IMPORT_SPOOL_DIR = str(tmp_path / "spool")  # type: ignore[attr-defined,operator]


def test_mem13_headers_mapped_automatically() -> None:
    mapping = auto_mapping(["STT", "Họ tên", "Ngày tháng năm sinh", "Số căn cước",
                            "Ngày kết nạp", "Điện thoại", "Quê quán", "Lý luận chính trị",
                            "Tên chi đoàn", "Số CCCD (*)"])
    assert mapping == {"1": "full_name", "2": "birth_date", "3": "cccd", "4": "joined_union_on",
                       "5": "phone", "6": "hometown", "7": "political_theory", "8": "branch"}


def test_mem13_three_date_formats_and_excel_serial() -> None:
    assert parse_cell_date("17/05/2000") == dt.date(2000, 5, 17)
    assert parse_cell_date("7-5-03") == dt.date(2003, 5, 7)
    assert parse_cell_date(36663) == dt.date(2000, 5, 17)
    assert parse_cell_date("36663") == dt.date(2000, 5, 17)
    assert parse_cell_date(dt.datetime(2000, 5, 17, 0, 0)) == dt.date(2000, 5, 17)


def test_mem13_dry_run_writes_nothing(members_world: MembersWorld) -> None:
    people, members = Person.objects.count(), Membership.objects.count()
    job = check(members_world, "ds.xlsx", xlsx(good_rows(5)))
    assert job.status == ImportStatus.CHECKED
    assert (job.report["added"], job.report["updated"], job.report["unchanged"]) == (5, 0, 0)
    assert job.report["errors"] == []
    assert (Person.objects.count(), Membership.objects.count()) == (people, members)


def test_mem13_import_then_reimport_changes_nothing(members_world: MembersWorld) -> None:
    content = xlsx(good_rows(4))
    job = confirm(check(members_world, "ds.xlsx", content))
    assert job.status == ImportStatus.DONE
    assert (job.report["added"], job.report["updated"], job.report["unchanged"]) == (4, 0, 0)
    m = Membership.objects.select_related("person").get(person__cccd="072303000002")
    assert m.branch == members_world.world.branch_a1
    assert m.unit_path == members_world.world.branch_a1.path
    assert m.name_folded == "vo thi hanh 2"
    assert m.person.gender == "nu" and m.person.phone == "0900000002"
    assert m.birth_date == dt.date(2003, 3, 12)
    # ONE audit record for the whole job, with the counts
    rec = AuditRecord.objects.get(model="members.importjob", object_pk=str(job.pk))
    assert rec.changes["after"] == {"added": 4, "updated": 0, "unchanged": 0, "errors": 0,
                                    "total": 4}
    audited = AuditRecord.objects.count()
    again = confirm(check(members_world, "ds-lan-2.xlsx", content))
    assert (again.report["added"], again.report["updated"], again.report["unchanged"]) == (0, 0, 4)
    assert Membership.objects.filter(person__cccd__startswith="072303").count() == 4
    assert AuditRecord.objects.count() == audited + 1


def test_mem13_reimport_with_a_change_updates_only_that(members_world: MembersWorld) -> None:
    rows = good_rows(3)
    confirm(check(members_world, "ds.xlsx", xlsx(rows)))
    rows[1][1] = "Võ Thị Hạnh Hai"
    job = confirm(check(members_world, "ds.xlsx", xlsx(rows)))
    assert (job.report["added"], job.report["updated"], job.report["unchanged"]) == (0, 1, 2)
    m = Membership.objects.get(person__cccd="072303000002")
    assert (m.person.full_name, m.name_folded) == ("Võ Thị Hạnh Hai", "vo thi hanh hai")


def test_mem13_one_bad_row_in_many_reported_with_row_and_column(
    members_world: MembersWorld,
) -> None:
    rows = good_rows(300)
    rows[149][2] = "31/02/2003"  # file row 152: title, header, then data from row 3
    job = check(members_world, "ds.xlsx", xlsx(rows))
    assert job.report["errors"] == [
        [152, "Ngày sinh", "Ngày “31/02/2003” không tồn tại: tháng 2/2003 chỉ có 28 ngày."]]
    assert (job.report["added"], job.bad_rows) == (299, 1)
    job = confirm(job)
    assert job.report["added"] == 299
    assert not Person.objects.filter(cccd="072303000150").exists()


def test_mem13_cccd_with_spaces_normalised_and_wrong_length_refused(
    members_world: MembersWorld,
) -> None:
    rows = good_rows(2)
    rows[0][4] = "072 303 000 001"
    rows[1][4] = "07230300002"
    job = confirm(check(members_world, "ds.csv", csv_bytes(rows)))
    assert Person.objects.filter(cccd="072303000001").exists()
    assert job.report["errors"] == [
        [3, "Số CCCD", "Số CCCD “07230300002”: số CCCD phải có 12 chữ số (đang có 11)."]
    ]


def test_mem13_duplicates_inside_the_file(members_world: MembersWorld) -> None:
    rows = good_rows(3)
    rows[2][4] = rows[0][4]
    job = check(members_world, "ds.csv", csv_bytes(rows, bom=False, sep=";"))
    assert job.report["errors"] == [
        [4, "Số CCCD", "Số CCCD 072303000001 trùng với dòng 2 trong tệp."]
    ]
    assert (job.report["added"], job.bad_rows) == (2, 1)


def test_mem13_member_active_elsewhere_is_refused_naming_the_branch(
    members_world: MembersWorld,
) -> None:
    rows = good_rows(1)
    rows[0][1:6] = ["Phạm Minh Đạt", "04/04/2001", "Nam", "072201003456", "26/03/2018"]
    job = check(members_world, "ds.xlsx", xlsx(rows))
    assert job.report["errors"] == [[
        3, "Số CCCD",
        "Phạm Minh Đạt (CCCD 072201003456) đang sinh hoạt tại Chi đoàn ấp Tân Đông, ngoài "
        "Đoàn xã Thái Bình: cần chuyển sinh hoạt Đoàn trước khi nhập.",
    ]]


def test_mem13_age_unknown_branch_and_cccd_digits(members_world: MembersWorld) -> None:
    rows = good_rows(3)
    rows[0][2] = "12/03/1990"  # 36 years old on 22/11/2026-ish: past the maturity age
    rows[0][4] = "072190000001"
    rows[1][6] = "Chi đoàn ấp Không Có"
    rows[2][4] = "072203000003"  # digit 2 = male, but Nữ
    job = check(members_world, "ds.xlsx", xlsx(rows))
    cols = [(r, c) for r, c, _m in job.report["errors"]]
    assert cols == [(3, "Ngày sinh"), (4, "Chi đoàn"), (5, "Số CCCD")]
    assert job.bad_rows == 3


def test_mem13_not_a_spreadsheet(members_world: MembersWorld) -> None:
    w = members_world.world
    for name, content, words in [
        ("anh.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 50, "không phải bảng tính"),
        ("hong.xlsx", b"PK\x03\x04 not really a zip", "không phải bảng tính .xlsx"),
        ("cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, ".xls"),
        ("rong.csv", b"   ", "rỗng"),
        ("latin.csv", b"H\xf4 v\xe0 t\xean,Ng\xe0y sinh\n", "UTF-8"),
        ("khong-tieu-de.csv", b"a,b,c\n1,2,3\n", "dòng tiêu đề"),
    ]:
        with pytest.raises(ImportFileError) as exc:
            import_job_create(actor=w.admin, unit=w.commune_a1, upload=upload(name, content))
        assert words in exc.value.message, name
    assert ImportJob.objects.count() == 0


def test_mem13_merged_header_cells_refused(members_world: MembersWorld) -> None:
    header = ["STT", "Họ và tên", None, "Giới tính", "Số CCCD", "Ngày vào Đoàn", "Chi đoàn"]
    rows = [[1, "Võ Thị Hạnh", "12/03/2003", "Nữ", "072303000001", "26/03/2019",
             "Chi đoàn ấp Bình Phong"]]
    w = members_world.world
    with pytest.raises(ImportFileError) as exc:
        import_job_create(actor=w.admin, unit=w.commune_a1,
                          upload=upload("gop.xlsx", xlsx(rows, header=header, merge="B2:C2")))
    assert exc.value.message == (
        "Dòng tiêu đề (dòng 2) có ô trống hoặc ô gộp ở cột C trong khi cột này có dữ liệu: "
        "hãy bỏ gộp ô và ghi tên cho từng cột.")


def test_mem13_missing_required_columns_reported_on_mapping(members_world: MembersWorld) -> None:
    w = members_world.world
    client = login(w.admin)
    content = xlsx([["Võ Thị Hạnh", "12/03/2003"]], header=["Họ và tên", "Ngày sinh"])
    r = client.post(reverse("members:import_start"),
                    {"unit": w.commune_a1.pk, "file": upload("ds.xlsx", content)})
    job = ImportJob.objects.get()
    assert r.status_code == 302 and r.url == reverse("members:import_mapping", args=[job.pk])
    r = client.post(reverse("members:import_mapping", args=[job.pk]),
                    {"col_0": "full_name", "col_1": "birth_date"})
    assert r.status_code == 200
    assert "Chưa gán các cột bắt buộc: Số CCCD, Ngày vào Đoàn, Chi đoàn." in r.content.decode()


def test_mem13_pages_flow_and_search_without_accents(members_world: MembersWorld) -> None:
    w = members_world.world
    client = login(w.district_a_cadre)
    r = client.post(reverse("members:import_start"),
                    {"unit": w.commune_a1.pk, "file": upload("ds.xlsx", xlsx(good_rows(3)))})
    job = ImportJob.objects.get()
    r = client.get(r.url)
    assert r.status_code == 200 and "Họ và tên" in r.content.decode()
    data = {f"col_{k}": v for k, v in job.mapping.items()}
    r = client.post(reverse("members:import_mapping", args=[job.pk]), data)
    assert r.status_code == 302
    r = client.get(reverse("members:import_report", args=[job.pk]))
    assert "Sẽ thêm <strong>3</strong>" in r.content.decode()
    r = client.post(reverse("members:import_confirm", args=[job.pk]))
    assert r.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.processed_rows == 3
    r = client.get(reverse("members:import_report", args=[job.pk]), {"q": "vo thi hanh 2"})
    page = r.content.decode()
    assert "Võ Thị Hạnh 2" in page and "Võ Thị Hạnh 3" not in page
    r = client.get(reverse("members:import_progress", args=[job.pk]))
    assert r.status_code == 200 and "3 / 3 dòng" in r.content.decode()



def test_i9_import_report_pages_members_with_the_lists_time_bound(
    members_world: MembersWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from doanvu.members.core import selectors as core_selectors

    w = members_world.world
    job = confirm(check(members_world, "ds.xlsx", xlsx(good_rows(3))))
    client = login(w.district_a_cadre)
    url = reverse("members:import_report", args=[job.pk])
    first = client.get(url, {"q": "vo thi hanh"}).content.decode()
    assert [n in first for n in ("Võ Thị Hạnh 1", "Võ Thị Hạnh 2", "Võ Thị Hạnh 3")] == [True] * 3

    def too_broad(**_kw: object) -> None:
        raise core_selectors.SearchTooBroad(core_selectors.SearchTooBroad.message)

    monkeypatch.setattr(core_selectors, "member_list_page", too_broad)
    r = client.get(url, {"q": "vo thi hanh"})
    assert r.status_code == 200
    assert "quá rộng để trả lời nhanh" in r.content.decode()

def test_mem13_export_filtered_list_xlsx(members_world: MembersWorld) -> None:
    from openpyxl import load_workbook

    w = members_world.world
    make_member(w.branch_a1, "Đỗ Thị Ánh", cccd="072302000777", birth=dt.date(2002, 1, 1),
                gender="nu")
    client = login(w.district_a_cadre)
    r = client.get(reverse("members:export_xlsx"), {"don_vi": w.commune_a1.pk, "gioi_tinh": "nu"})
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)  # type: ignore[attr-defined]
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[1][:5] == ("Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Đoàn")
    assert [r[0] for r in rows[2:]] == ["Đỗ Thị Ánh", "Trần Thị Bích"]
    assert rows[2][3] == "072302000777" and rows[2][1] == "01/01/2002"
    r = client.get(reverse("members:export_xlsx"), {"q": "bich"})
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)  # type: ignore[attr-defined]
    names = [r[0] for r in list(wb.worksheets[0].iter_rows(values_only=True))[2:]]
    assert names == ["Trần Thị Bích"]


def test_mem13_export_of_an_exported_file_reimports_unchanged(members_world: MembersWorld) -> None:
    w = members_world.world
    client = login(w.admin)
    r = client.get(reverse("members:export_xlsx"), {"don_vi": w.commune_a1.pk})
    content = b"".join(r.streaming_content)  # type: ignore[attr-defined]
    job = check(members_world, "xuat.xlsx", content)
    # the fixture's Trần Thị Bích joined in her 15th year (14 years and some months, "15" as the
    # Union counts): the dry run says so, the others are unchanged
    assert (job.report["added"], job.report["updated"], job.report["unchanged"]) == (0, 0, 2)
    assert job.report["errors"] == [
        [5, "Ngày vào Đoàn", "Tuổi khi vào Đoàn là 15, ngoài khoảng 16–30 tuổi theo quy định."]
    ]


# -- outsiders: every page answers 404 (or the login page), never 500 --------------------------


def test_mem13_outsider_and_junk_ids(members_world: MembersWorld) -> None:
    w = members_world.world
    job = check(members_world, "ds.xlsx", xlsx(good_rows(2)))
    outsider = login(w.outsider)
    other = login(w.district_b_cadre)  # reads and writes Tân Biên only
    for name in ("import_report", "import_mapping", "import_progress"):
        assert outsider.get(reverse(f"members:{name}", args=[job.pk])).status_code == 404
        assert other.get(reverse(f"members:{name}", args=[job.pk])).status_code == 404
        assert outsider.get(reverse(f"members:{name}", args=[999999])).status_code == 404
    assert other.post(reverse("members:import_confirm", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert outsider.get(reverse("members:import_start")).status_code == 404
    assert outsider.get(reverse("members:export_xlsx")).status_code == 404
    assert other.get(reverse("members:export_xlsx"),
                     {"don_vi": w.commune_a1.pk}).status_code == 404
    for junk in ("abc", "-1", "9" * 30, "1\x00"):
        r = login(w.admin).get(reverse("members:export_xlsx"),
                               {"don_vi": junk, "tuoi": junk, "trang_thai": junk, "q": junk})
        # a file never holds another selection than the one asked for (issue 10): 400
        assert r.status_code in (400, 404)
    anon = login(w.outsider)
    anon.logout()
    assert anon.get(reverse("members:import_start")).status_code == 302
    # a branch secretary cannot import into the commune above their branch
    r = login(w.branch_secretary).post(
        reverse("members:import_start"),
        {"unit": w.commune_a1.pk, "file": upload("ds.xlsx", xlsx(good_rows(1)))})
    assert r.status_code == 200
    assert "Hãy chọn một đơn vị bạn được quyền cập nhật." in r.content.decode()


def test_mem13_junk_file_via_the_page_shows_the_reason(members_world: MembersWorld) -> None:
    w = members_world.world
    r = login(w.admin).post(reverse("members:import_start"),
                            {"unit": w.commune_a1.pk, "file": upload("x.pdf", b"%PDF-1.4\x00\x01")})
    assert r.status_code == 200
    assert "Tệp không phải bảng tính" in r.content.decode()
    assert ImportJob.objects.count() == 0


def test_mem13_import_reads_the_dry_runs_rows_not_the_file_again(
    members_world: MembersWorld,
) -> None:
    """PERF-1: the file is read once; what the user confirmed is what gets written."""
    from doanvu.members.imports.services import spool_path

    job = check(members_world, "ds.csv", csv_bytes(good_rows(3)))
    assert os.path.exists(spool_path(job))
    assert not spool_path(job).startswith(os.path.dirname(job.file.path))  # not among uploads
    first = spool_path(job)
    import_job_check(job=job, mapping=job.mapping)  # checked again: a new spool, the old gone
    job.refresh_from_db()
    assert os.path.exists(spool_path(job)) and not os.path.exists(first)
    with open(job.file.path, "wb") as fh:  # the upload is not read again
        fh.write(b"junk that is not a spreadsheet")
    job = confirm(job)
    assert job.status == ImportStatus.DONE and job.report["added"] == 3
    assert Person.objects.filter(cccd__startswith="072303").count() == 3
    assert not os.path.exists(spool_path(job))


def test_mem13_import_without_a_spool_reads_the_file(members_world: MembersWorld) -> None:
    from doanvu.members.imports.services import spool_path

    job = check(members_world, "ds.csv", csv_bytes(good_rows(2)))
    os.unlink(spool_path(job))
    job = confirm(job)
    assert job.status == ImportStatus.DONE and job.report["added"] == 2


def test_mem13_excel_files_with_shared_strings_and_date_serials(
    members_world: MembersWorld, tmp_path: Path
) -> None:
    """Files as Excel writes them: texts in the shared-strings table, dates as serial numbers,
    CCCD typed as a number (its leading 0 lost), in a 1900- and a 1904-based workbook."""
    from tests.bench.excel_like import write_xlsx

    for date1904, shift in ((False, 0), (True, 1462)):
        rows: list[list[object]] = [["DANH SÁCH"], HEADER]
        for i in (1, 2):
            rows.append([i, f"Lê Thị Thu {i}{int(date1904)}", 37692 - shift, "Nữ",  # 12/03/2003
                         int(f"72303{int(date1904)}{i:05d}"), 43550 - shift,  # 26/03/2019
                         "Chi đoàn ấp Bình Phong", "0901234567"])
        path = tmp_path / f"excel-{int(date1904)}.xlsx"
        write_xlsx(str(path), rows, date1904=date1904)
        job = confirm(check(members_world, "excel.xlsx", path.read_bytes()))
        assert job.report["errors"] == [] and job.report["added"] == 2, job.report
        p = Person.objects.get(cccd=f"072303{int(date1904)}00002")
        assert p.birth_date == dt.date(2003, 3, 12)
        assert Membership.objects.get(person=p).joined_union_on == dt.date(2019, 3, 26)


def test_mem13_dry_run_runs_in_the_background_with_progress(
    members_world: MembersWorld, settings: Any
) -> None:
    """A big file takes longer to check than a page may wait: the dry run is a task too."""
    from django_tasks import default_task_backend

    w = members_world.world
    client = login(w.district_a_cadre)
    r = client.post(reverse("members:import_start"),
                    {"unit": w.commune_a1.pk, "file": upload("ds.csv", csv_bytes(good_rows(4)))})
    job = ImportJob.objects.get()
    data = {f"col_{k}": v for k, v in job.mapping.items()}
    # a backend that keeps what is queued, as the database backend does until a worker comes
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    r = client.post(reverse("members:import_mapping", args=[job.pk]), data)
    queued = [(t.task.name, t.args, t.kwargs) for t in default_task_backend.results]  # type: ignore[attr-defined]
    assert r.status_code == 302 and queued == [("check_members", [], {"job_id": job.pk})]
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKING
    page = client.get(reverse("members:import_report", args=[job.pk])).content.decode()
    assert "Đang kiểm tra thử" in page and "đã đọc 0 dòng" in page
    # checking already: neither the mapping page nor a confirm starts anything
    r = client.post(reverse("members:import_mapping", args=[job.pk]), data)
    assert r.status_code == 302
    client.post(reverse("members:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKING
    # the worker runs it: the progress poll then asks the page to reload with the result
    from doanvu.members.imports.services import import_job_check_run

    assert import_job_check_run(job_id=job.pk) == {"total": 4, "errors": 0}
    r = client.get(reverse("members:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert r["HX-Refresh"] == "true"
    page = client.get(reverse("members:import_report", args=[job.pk])).content.decode()
    assert "Sẽ thêm <strong>4</strong>" in page


def test_mem13_a_file_that_breaks_off_in_the_dry_run_is_reported_on_the_mapping_page(
    members_world: MembersWorld,
) -> None:
    w = members_world.world
    client = login(w.district_a_cadre)
    content = xlsx(good_rows(3))
    client.post(reverse("members:import_start"),
                {"unit": w.commune_a1.pk, "file": upload("ds.xlsx", content)})
    job = ImportJob.objects.get()
    with open(job.file.path, "wb") as fh:  # the stored file is cut short after the upload
        fh.write(content[: len(content) // 2])
    data = {f"col_{k}": v for k, v in job.mapping.items()}
    r = client.post(reverse("members:import_mapping", args=[job.pk]), data)
    assert r.status_code == 200
    assert "không phải bảng tính .xlsx hợp lệ" in r.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED and Membership.objects.filter(
        person__cccd__startswith="072303").count() == 0


def test_sec8_utf16_and_utf8_csv_read_alike(members_world: MembersWorld) -> None:
    rows = good_rows(2)
    text = "\ufeff" + csv_bytes(rows, bom=False, sep="\t").decode("utf-8")
    for name, content in [("unicode-text.txt.csv", text.encode("utf-16-le")),
                          ("utf16-be.csv", text.encode("utf-16-be")),
                          ("utf8-bom.csv", csv_bytes(rows)),
                          ("utf8.csv", csv_bytes(rows, bom=False))]:
        job = check(members_world, name, content)
        assert job.report["errors"] == [], name
        assert (job.report["added"], job.report["total"]) == (2, 2), name
    w = members_world.world
    with pytest.raises(ImportFileError) as exc:
        import_job_create(actor=w.admin, unit=w.commune_a1,
                          upload=upload("anh.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert exc.value.message == ("Tệp không phải bảng tính: hãy tải lên tệp .xlsx hoặc .csv "
                                 "(mã UTF-8 hoặc UTF-16).")


def test_sec8_exported_formula_like_text_reimports_without_its_quote(
    members_world: MembersWorld,
) -> None:
    w = members_world.world
    member = make_member(w.branch_a1, "Lê Văn Cộng", cccd="072200000888",
                         joined=dt.date(2018, 1, 1), hometown="-Tây Ninh")
    r = login(w.admin).get(reverse("members:export_xlsx"), {"don_vi": w.commune_a1.pk})
    content = b"".join(r.streaming_content)  # type: ignore[attr-defined]

    job = confirm(check(members_world, "xuat.xlsx", content))

    assert (job.report["added"], job.report["updated"], job.report["unchanged"]) == (0, 0, 3)
    assert Person.objects.get(pk=member.person_id).hometown == "-Tây Ninh"
