"""SEC-8 finding 4: the import's reader is bounded. Each hostile file goes through the same path
as a user's (upload, then the background dry run) in a process of its own, whose peak memory
(VmHWM) is read at the end; the file must be refused with a message naming the limit, and the
job must not be left "checking"."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from doanvu.members.imports.services import ImportFileError, open_sheet

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ROOT = Path(__file__).resolve().parents[2]
PEAK_MB = 200
# On PostgreSQL the probe works in the test database, so the test's data must be committed
# (and the seeded rows put back after: serialized_rollback); SQLite probes use a copy.
ON_THE_TEST_DATABASE = (
    pytest.mark.django_db(transaction=True, serialized_rollback=True)
    if connection.vendor == "postgresql" else pytest.mark.django_db
)
HEADER = ("<row r=\"1\">" + "".join(
    f'<c r="{col}1" t="inlineStr"><is><t>{text}</t></is></c>'
    for col, text in zip("ABCDEF", ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD",
                                    "Ngày vào Đoàn", "SĐT"], strict=True)) + "</row>")
GOOD = ('<row r="2"><c r="A2" t="inlineStr"><is><t>Võ Thị Hạnh</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>12/03/2003</t></is></c>'
        '<c r="C2" t="inlineStr"><is><t>Nữ</t></is></c>'
        '<c r="D2" t="inlineStr"><is><t>072303000001</t></is></c>'
        '<c r="E2" t="inlineStr"><is><t>26/03/2019</t></is></c></row>')


def workbook(path: Path, write_sheet: Callable[[zipfile.ZipFile], None]) -> Path:
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
                f'xmlns:r="{REL}"><sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets>'
                "</workbook>")
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        write_sheet(z)
    return path


def sheet_of(body: str) -> Callable[[zipfile.ZipFile], None]:
    def write(z: zipfile.ZipFile) -> None:
        z.writestr("xl/worksheets/sheet1.xml",
                   f'<worksheet xmlns="{MAIN}"><sheetData>{HEADER}{GOOD}{body}</sheetData>'
                   "</worksheet>")
    return write


def bomb(z: zipfile.ZipFile) -> None:
    """A sheet of 300 MB that zips to a few hundred KB (a thousand times smaller)."""
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20000
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
        fh.write(f'<worksheet xmlns="{MAIN}"><sheetData>{HEADER}{GOOD}'.encode())
        chunk = row.encode()
        for _ in range(300 * 1024 * 1024 // len(chunk)):
            fh.write(chunk)
        fh.write(b"</sheetData></worksheet>")


HOSTILE: dict[str, tuple[Callable[[zipfile.ZipFile], None], str]] = {
    "huge-row-number": (sheet_of('<row r="1000000000000000"><c r="A1000000000000000" '
                                 't="inlineStr"><is><t>Lê Văn Bảy</t></is></c></row>'),
                        "Tệp có dòng số 1000000000000000, vượt giới hạn 1048576 dòng: hãy chia "
                        "danh sách thành nhiều tệp."),
    "row-600-million": (sheet_of('<row r="600000000"><c t="inlineStr"><is><t>Lê Văn Bảy</t>'
                                 "</is></c></row>"),
                        "Tệp có dòng số 600000000, vượt giới hạn 1048576 dòng: hãy chia danh "
                        "sách thành nhiều tệp."),
    "zip-bomb": (bomb, "Tệp .xlsx bất thường: phần “xl/worksheets/sheet1.xml” giải nén ra lớn "
                       "gấp hơn 200 lần (giới hạn tỉ lệ nén), có thể là tệp độc hại. Hãy mở tệp "
                       "bằng Excel, kiểm tra và lưu lại."),
    "huge-cell": (sheet_of('<row r="3"><c r="A3" t="inlineStr"><is><t>'
                           + "Nguyễn Văn " * 4000 + "</t></is></c></row>"),
                  "Ô A3 dài quá 32767 ký tự (giới hạn độ dài một ô): hãy rút gọn nội dung ô."),
    "column-past-xfd": (sheet_of('<row r="3"><c r="XFE3"><v>1</v></c></row>'),
                        "Dòng 3 có ô ở cột vượt quá XFD (giới hạn 16384 cột của Excel): tệp "
                        "không hợp lệ."),
    "many-columns": (sheet_of('<row r="3">' + "<c><v>1</v></c>" * 20000 + "</row>"),
                     "Dòng 3 có ô ở cột vượt quá XFD (giới hạn 16384 cột của Excel): tệp không "
                     "hợp lệ."),
    "deep-xml": (sheet_of('<row r="3"><c r="A3" t="inlineStr"><is>' + "<r>" * 5000
                          + "</r>" * 5000 + "</is></c></row>"),
                 "Tệp .xlsx có cấu trúc vượt giới hạn trong phần “xl/worksheets/sheet1.xml” "
                 "(lồng quá sâu hoặc một đoạn văn bản quá dài): hãy mở tệp bằng Excel, kiểm tra "
                 "và lưu lại."),
    "huge-text-node": (sheet_of('<row r="3"><c r="A3" t="inlineStr"><is><t>'
                                + os.urandom(6 * 1024 * 1024).hex()
                                + "</t></is></c></row>"),
                       "Tệp .xlsx có cấu trúc vượt giới hạn trong phần “xl/worksheets/sheet1.xml”"
                       " (lồng quá sâu hoặc một đoạn văn bản quá dài): hãy mở tệp bằng Excel, "
                       "kiểm tra và lưu lại."),
}

PROBE = r"""
import datetime as dt, json, os, sys
import django
django.setup()

def run():
    try:
        with open(sys.argv[1], "rb") as fh:
            job = import_job_create(actor=user, unit=unit, upload=File(fh, name="ds.xlsx"))
    except ImportFileError as exc:
        out = {"step": "upload", "message": exc.message}
    else:
        import_job_queue_check(job=job, mapping=job.mapping)
        job.refresh_from_db()
        out = {"step": "dry run", "status": job.status, "message": job.report.get("failure", "")}
    with open("/proc/self/status") as fh:
        out["peak_mb"] = next(int(line.split()[1]) for line in fh
                              if line.startswith("VmHWM")) // 1024
    return out

from django.core.files import File
from doanvu.accounts.models import User
from doanvu.members.imports.services import ImportFileError, import_job_create
from doanvu.members.imports.tasks import import_job_queue_check
from doanvu.members.models import ImportJob
from doanvu.org.models import Unit, UnitKind
unit = Unit.objects.create(name="Chi đoàn thử", kind=UnitKind.objects.get(code="chi_doan"),
                           path="9999.", founded_on=dt.date(2017, 1, 1))
user = User.objects.create_user(username="thu", password="x" * 12, is_superuser=True)
try:
    out = run()
finally:  # the PostgreSQL test database is shared with the test: leave it as found
    ImportJob.objects.filter(unit=unit).delete()
    user.delete()
    unit.delete()
print(json.dumps(out))
"""



@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """On PostgreSQL none: the probes use the test database (committed, see the tests' mark).
    On SQLite a migrated database the probes copy: each probe is its own process, so it cannot
    share a test database that lives in memory."""
    if connection.vendor == "postgresql":
        return None
    db = tmp_path_factory.mktemp("db") / "template.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}",
           "DJANGO_SETTINGS_MODULE": "doanvu.settings.test"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env,
                   check=True, timeout=300)
    return db


def probe(migrated: Path | None, tmp: Path, file: Path, **extra_env: str) -> dict[str, object]:
    if migrated is None:
        d = connection.settings_dict
        url = f"postgres://{d['USER']}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"
    else:
        db = tmp / "probe.sqlite3"
        shutil.copy(migrated, db)
        url = f"sqlite:///{db}"
    env = {**os.environ, "DATABASE_URL": url,
           "DJANGO_SETTINGS_MODULE": "doanvu.settings.test", "DOANVU_VAR_DIR": str(tmp),
           **extra_env}
    done = subprocess.run([sys.executable, "-c", PROBE, str(file)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@ON_THE_TEST_DATABASE
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_sec8_hostile_xlsx_is_refused_in_flat_memory(case: str, migrated: Path | None,
                                                       tmp_path: Path) -> None:
    write, message = HOSTILE[case]
    file = workbook(tmp_path / f"{case}.xlsx", write)
    result = probe(migrated, tmp_path, file)
    assert result["message"] == message
    assert result["step"] == "upload" or result["status"] == "da_tai_len"
    assert isinstance(result["peak_mb"], int) and result["peak_mb"] < PEAK_MB, result


@ON_THE_TEST_DATABASE
def test_sec8_row_count_limit_refuses_in_the_dry_run(migrated: Path | None, tmp_path: Path) -> None:
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Lê Văn {n}</t></is></c>'
                   "</row>" for n in range(3, 60))
    file = workbook(tmp_path / "dai.xlsx", sheet_of(rows))
    result = probe(migrated, tmp_path, file, DOANVU_IMPORT_MAX_ROWS="50")
    assert result == {"step": "dry run", "status": "da_tai_len", "peak_mb": result["peak_mb"],
                      "message": "Tệp có hơn 50 dòng (giới hạn số dòng): hãy chia danh sách "
                                 "thành nhiều tệp."}


def test_sec8_csv_line_and_cell_limits(tmp_path: Path) -> None:
    head = "Họ và tên,Ngày sinh,Số CCCD,Ngày vào Đoàn\n"
    cases = {
        "dong-dai.csv": (head + "a," * (settings.MEMBER_IMPORT_MAX_ROW_CHARS // 2 + 1),
                         f"Dòng 2 của tệp CSV dài quá {settings.MEMBER_IMPORT_MAX_ROW_CHARS} ký "
                         "tự (giới hạn một dòng): hãy kiểm tra tệp (có thể thiếu dấu xuống "
                         "dòng)."),
        "o-dai.csv": (head + "Lê Văn Bảy," + "x" * 40000 + "\n",
                      "Ô B2 dài quá 32767 ký tự (giới hạn độ dài một ô): hãy rút gọn nội dung "
                      "ô."),
        "nhieu-cot.csv": (head + "," * 20000 + "\n",
                          "Dòng 2 có 20001 cột, vượt quá XFD (giới hạn 16384 cột của Excel)."),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ImportFileError) as exc:
            sheet = open_sheet(str(path))
            try:
                list(sheet.rows)
            finally:
                sheet.close()
        assert exc.value.message == message, name
