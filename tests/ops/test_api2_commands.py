"""API-2: the bulk commands besides backup — `import_members` (the pages' import, all rows or
none), `recompute_rankings` (EMU-3/EMU-4 snapshots), `generate_reports` (periodic workbooks) —
each with its success and its refusals (Vietnamese, non-zero: CommandError), and Vietnamese
--help for every command of issue 16."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, load_command_class

from doanvu.audit.models import AuditRecord
from doanvu.emulation.models import RankingSnapshot, SnapshotState
from doanvu.members.models import ImportJob, ImportStatus, Membership
from doanvu.org.models import Person
from tests.conftest import World
from tests.emulation.conftest import SheetWorld, emu, finalise_all, sheets  # noqa: F401
from tests.emulation.test_emu3_ranking import _score
from tests.members.conftest import MembersWorld, members_world  # noqa: F401
from tests.ops.conftest import members_csv


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEMBER_IMPORT_SPOOL_DIR = str(tmp_path / "spool")
    return tmp_path


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> tuple[str, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return str(exc.value), err.getvalue()


# -- import_members ------------------------------------------------------------------------------


def test_api2_import_members_writes_every_row_audited(members_world, media: Path) -> None:  # noqa: F811
    w = members_world.world
    path = members_csv(media / "ds.csv", 4)
    records = AuditRecord.objects.count()
    out, _err = run("import_members", str(path), "--unit", str(w.commune_a1.pk),
                    "--as-user", w.admin.username)
    assert "Đã nhập 4 dòng" in out and "4 thêm" in out
    people = Person.objects.filter(cccd__startswith="072303")
    assert people.count() == 4
    assert Membership.objects.filter(person__in=people, branch=w.branch_a1,
                                     is_current=True).count() == 4
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE and job.created_by == w.admin
    assert AuditRecord.objects.filter(model="members.importjob", object_pk=str(job.pk)).exists()
    assert AuditRecord.objects.count() > records
    # the same file again changes nothing
    out, _err = run("import_members", str(path), "--unit", str(w.commune_a1.pk),
                    "--as-user", w.admin.username)
    assert "0 thêm, 0 cập nhật, 4 không đổi" in out


def test_api2_import_members_one_bad_row_writes_nothing(members_world, media: Path) -> None:  # noqa: F811
    w = members_world.world
    path = members_csv(media / "ds.csv", 5, bad_row=3)
    message, err = fails("import_members", str(path), "--unit", str(w.commune_a1.pk),
                         "--as-user", w.admin.username)
    assert "không nhập dòng nào" in message and "1 dòng có lỗi trong 5 dòng" in message
    assert "Dòng 4, cột Ngày sinh" in err  # the header is row 1: the third member is row 4
    assert not Person.objects.filter(cccd__startswith="072303").exists()


def test_api2_import_members_refuses_outside_the_users_scope(members_world, media: Path) -> None:  # noqa: F811
    w = members_world.world
    path = members_csv(media / "ds.csv", 2)
    message, _err = fails("import_members", str(path), "--unit", str(w.commune_a1.pk),
                          "--as-user", w.district_b_cadre.username)
    assert "quyền" in message
    assert not Person.objects.filter(cccd__startswith="072303").exists()
    assert not ImportJob.objects.exists()


def test_api2_import_members_refuses_what_it_cannot_find(members_world, media: Path) -> None:  # noqa: F811
    w = members_world.world
    path = members_csv(media / "ds.csv", 1)
    unit = str(w.commune_a1.pk)
    assert "Không tìm thấy tệp" in fails("import_members", str(media / "x.csv"), "--unit", unit,
                                         "--as-user", w.admin.username)[0]
    assert "Không có đơn vị số 999999" in fails("import_members", str(path), "--unit", "999999",
                                                "--as-user", w.admin.username)[0]
    assert "Không có người dùng" in fails("import_members", str(path), "--unit", unit,
                                          "--as-user", "khong-ai")[0]
    bad = media / "sai.csv"
    bad.write_text("STT,Họ và tên,Ngày sinh,Số CCCD,Ngày vào Đoàn\n"
                   "1,Võ Thị Hạnh,12/03/2003,072303000001,26/03/2019\n", encoding="utf-8")
    message = fails("import_members", str(bad), "--unit", unit, "--as-user", w.admin.username)[0]
    assert "thiếu cột bắt buộc" in message and "Chi đoàn" in message
    assert not Person.objects.filter(full_name__startswith="Võ Thị Hạnh").exists()


def test_api2_import_members_stopped_midway_is_rolled_back(members_world, media: Path,  # noqa: F811
                                                           monkeypatch) -> None:
    from doanvu.members.imports import services

    w = members_world.world
    real = services.run_import

    def dies_after_writing(*args, **kwargs):
        real(*args, **kwargs)  # every batch committed with its audit records …
        raise RuntimeError("worker lost")  # … then the process fails before the job is done

    monkeypatch.setattr(services, "run_import", dies_after_writing)
    path = members_csv(media / "ds.csv", 3)
    message, _err = fails("import_members", str(path), "--unit", str(w.commune_a1.pk),
                          "--as-user", w.admin.username)
    assert "đã hoàn lại mọi dòng đã ghi" in message
    assert not Person.objects.filter(cccd__startswith="072303").exists()
    assert ImportJob.objects.get().status == ImportStatus.CANCELLED


# -- recompute_rankings --------------------------------------------------------------------------


def test_api2_recompute_rankings_makes_and_publishes_a_snapshot(sheets: SheetWorld) -> None:  # noqa: F811
    _score(sheets)
    finalise_all(sheets)
    rubric, w = sheets.emu.rubric, sheets.emu.world
    out, _err = run("recompute_rankings", "--thang-diem", str(rubric.pk), "--cong-bo",
                    "--as-user", w.province_secretary.username)
    snap = RankingSnapshot.objects.get(rubric=rubric)
    assert snap.state == SnapshotState.PUBLISHED and snap.computed_by == w.province_secretary
    assert snap.entries.count() == 2
    assert f"bảng xếp hạng #{snap.pk} (2 đơn vị), đã công bố" in out
    # by year, as the system: a second snapshot, the published one kept
    out, _err = run("recompute_rankings", "--nam", str(rubric.year))
    assert RankingSnapshot.objects.filter(rubric=rubric).count() == 2
    snap.refresh_from_db()
    assert snap.state == SnapshotState.PUBLISHED
    assert "Đã tính lại 1 thang điểm" in out


def test_api2_recompute_rankings_refusals(sheets: SheetWorld) -> None:  # noqa: F811
    rubric, w = sheets.emu.rubric, sheets.emu.world
    message, err = fails("recompute_rankings", "--thang-diem", str(rubric.pk),
                         "--as-user", w.outsider.username)
    assert "1 trong 1 thang điểm không tính lại được" in message
    assert f"Thang điểm #{rubric.pk}" in err and "phạm vi" in err
    assert not RankingSnapshot.objects.exists()
    assert "Không có thang điểm số 999999" in fails("recompute_rankings", "--thang-diem",
                                                    "999999")[0]
    assert "không có thang điểm nào" in fails("recompute_rankings", "--nam", "1999")[0]
    _score(sheets)  # not final: publishing is refused, naming the units
    message, err = fails("recompute_rankings", "--thang-diem", str(rubric.pk), "--cong-bo")
    assert "phiếu chưa chính thức" in err


def test_api2_recompute_rankings_refuses_a_draft_rubric(emu) -> None:  # noqa: F811
    assert "còn đang soạn" in fails("recompute_rankings", "--thang-diem", str(emu.rubric.pk))[0]


# -- generate_reports ----------------------------------------------------------------------------


def test_api2_generate_reports_writes_the_workbooks(world: World, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    folder = tmp_path / "bao-cao"
    out, _err = run("generate_reports", "--nam", "2020", "--don-vi", str(world.province.pk),
                    "--loai", "chi-tieu", "--loai", "khac-phuc", "--thu-muc", str(folder),
                    "--as-user", world.province_secretary.username)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"chi-tieu-{world.province.pk}-2020-Y.xlsx",
                     f"khac-phuc-{world.province.pk}-2020-tong-hop.xlsx"]
    assert "Đã ghi 2 tệp báo cáo năm 2020" in out
    for name in names:
        texts = [str(c.value) for ws in load_workbook(folder / name).worksheets
                 for row in ws.iter_rows() for c in row if c.value is not None]
        assert texts  # a real workbook
    title = load_workbook(folder / names[0]).worksheets[0]["A1"].value
    assert "Tỉnh đoàn Tây Ninh" in title and "Tổng kết" in title


def test_api2_generate_reports_refusals(world: World, tmp_path: Path) -> None:
    folder = tmp_path / "bao-cao"
    unit = str(world.province.pk)
    # outside the user's scope: not found, like the pages, and nothing written
    message, _err = fails("generate_reports", "--nam", "2020", "--don-vi", unit,
                          "--thu-muc", str(folder), "--as-user", world.outsider.username)
    assert f"Không tìm thấy đơn vị số {unit}" in message
    assert not folder.exists()
    assert "Loại báo cáo “tong-hop” không có" in fails(
        "generate_reports", "--nam", "2020", "--don-vi", unit, "--loai", "tong-hop",
        "--thu-muc", str(folder))[0]
    assert "Năm 20 không hợp lệ" in fails("generate_reports", "--nam", "20", "--don-vi", unit,
                                          "--thu-muc", str(folder))[0]
    # no field-visit policy in this world: that report is named, the exit is non-zero
    message, err = fails("generate_reports", "--nam", "2020", "--don-vi", unit,
                         "--loai", "di-co-so", "--thu-muc", str(folder))
    assert "1 báo cáo không tạo được" in message and "Tỉnh đoàn Tây Ninh, báo cáo di-co-so" in err


# -- help ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("app", "name", "words"), [
    ("doanvu.ops", "backup", "Sao lưu toàn bộ"),
    ("doanvu.ops", "restore", "Khôi phục một bản sao lưu"),
    ("doanvu.ops", "generate_reports", "Tạo các báo cáo định kỳ"),
    ("doanvu.members", "import_members", "Nhập đoàn viên từ tệp"),
    ("doanvu.emulation", "recompute_rankings", "Tính lại bảng xếp hạng"),
])
def test_api2_commands_explain_themselves_in_vietnamese(app: str, name: str, words: str) -> None:
    text = load_command_class(app, name).create_parser("manage.py", name).format_help()
    assert words in " ".join(text.split())
