"""Issue 10 item 9: the import's counts add up for any file, and a re-import changes nothing.

A dry run once said "không đổi -1": a CCCD repeated inside one batch was marked unchanged
without being counted, then taken off the unchanged count when the duplicate was reported.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doanvu.members.models import ImportJob, ImportStatus
from tests.conftest import login
from tests.members.conftest import MembersWorld
from tests.members.test_import_mem13 import HEADER, check, confirm, csv_bytes, good_rows, xlsx

BRANCH = "Chi đoàn ấp Bình Phong"
# HEADER: STT, Họ và tên, Ngày sinh, Giới tính, Số CCCD, Ngày vào Đoàn, Chi đoàn, SĐT
EXISTING = [  # the members of members_world's branch a1, as a file would list them
    ["Nguyễn Văn An", "15/01/2000", "Nam", "072200001234", "26/03/2016"],
    ["Trần Thị Bích", "02/07/2001", "Nữ", "072301005678", "26/03/2016"],
    ["Lê Hoàng Đức", "30/11/1999", "Nam", "072099009012", "26/03/2016"],
]
ELSEWHERE = ["Phạm Minh Đạt", "04/04/2001", "Nam", "072201003456", "26/03/2018"]  # branch b1
BROKEN = [  # (column index, bad value): each makes the row invalid
    (2, "31/02/2003"), (1, ""), (4, "07230300002"), (3, "Khác"), (5, "01/01/2099"),
]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MEMBER_IMPORT_SPOOL_DIR = str(tmp_path / "spool")


def _new(i: int, variant: int) -> list[object]:
    row = good_rows(1, start=i)[0]
    if variant:
        row[1] = f"Võ Thị Hạnh {i} B"
        row[7] = f"08{i:08d}"
    return row


@st.composite
def rows(draw: Any) -> list[list[object]]:
    kinds = st.sampled_from(["new", "existing", "elsewhere", "broken", "repeat", "blank"])
    out: list[list[object]] = []
    for _i in range(draw(st.integers(min_value=1, max_value=12))):
        kind = draw(kinds)
        if kind == "new":
            out.append(_new(draw(st.integers(1, 6)), draw(st.integers(0, 1))))
        elif kind == "existing":
            name, birth, gender, cccd, joined = EXISTING[draw(st.integers(0, 2))]
            if draw(st.booleans()):
                joined = "26/03/2017"
            phone = draw(st.sampled_from(["", "0912345678"]))
            out.append([0, name, birth, gender, cccd, joined, BRANCH, phone])
        elif kind == "elsewhere":
            out.append([0, *ELSEWHERE, BRANCH, ""])
        elif kind == "broken":
            row = _new(draw(st.integers(1, 6)), 0)
            col, value = draw(st.sampled_from(BROKEN))
            row[col] = value
            out.append(row)
        elif kind == "repeat" and out:
            out.append(list(draw(st.sampled_from(out))))
        else:
            out.append([""] * len(HEADER))
    return out


def _counts(job: ImportJob) -> tuple[int, int, int, int, int]:
    r = job.report
    return (int(r["added"]), int(r["updated"]), int(r["unchanged"]), job.bad_rows,
            int(r["total"]))


class _Rollback(Exception):  # noqa: N818 - undoes one generated example
    pass


@pytest.mark.django_db
# each example runs in its own transaction, rolled back: the fixture's world stays as it was
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=rows(), fmt=st.sampled_from(["xlsx", "csv"]))
def test_i10_counts_add_up_and_a_reimport_changes_nothing(
    members_world: MembersWorld, data: list[list[object]], fmt: str,
) -> None:
    content = xlsx(data) if fmt == "xlsx" else csv_bytes(data)
    name = f"ds.{fmt}"
    try:
        with transaction.atomic():
            dry = check(members_world, name, content)
            added, updated, unchanged, bad, total = _counts(dry)
            assert min(added, updated, unchanged, bad) >= 0, dry.report
            assert added + updated + unchanged + bad == total, dry.report
            assert total == sum(1 for r in data if any(str(v).strip() for v in r))

            done = confirm(dry)
            assert done.status == ImportStatus.DONE
            assert _counts(done) == (added, updated, unchanged, bad, total), done.report

            again = check(members_world, name, content)
            assert _counts(again) == (0, 0, added + updated + unchanged, bad, total), \
                again.report
            raise _Rollback
    except _Rollback:
        pass


def test_i10_repeated_cccd_in_one_batch_is_not_counted_unchanged_minus_one(
    members_world: MembersWorld,
) -> None:
    rows = good_rows(2)
    job = confirm(check(members_world, "ds.xlsx", xlsx(rows)))
    assert _counts(job) == (2, 0, 0, 0, 2)
    again = check(members_world, "ds.xlsx", xlsx([*rows, rows[0]]))
    assert _counts(again) == (0, 0, 2, 1, 3)


def _confirm_button(html: str) -> str:
    m = re.search(r'<button[^>]*data-testid="import-confirm"[^>]*>(.*?)</button>', html, re.S)
    assert m is not None, html
    return m.group(0)


def test_i10_confirm_button_counts_what_changes_and_says_why_it_is_disabled(
    members_world: MembersWorld,
) -> None:
    client = login(members_world.world.admin)
    content = xlsx([*good_rows(3), good_rows(1)[0]])  # 3 rows and a repeat of the first
    first = check(members_world, "ds.xlsx", content)
    page = client.get(reverse("members:import_report", args=[first.pk])).content.decode()
    button = _confirm_button(page)
    assert "disabled" not in button
    assert "Xác nhận nhập 3 dòng" in button
    confirm(first)

    again = check(members_world, "ds.xlsx", content)
    page = client.get(reverse("members:import_report", args=[again.pk])).content.decode()
    assert "không đổi <strong>3</strong>" in page
    button = _confirm_button(page)
    assert " disabled" in button and 'aria-describedby="import-confirm-why"' in button
    assert "Xác nhận nhập 0 dòng" in button
    why = re.search(r'id="import-confirm-why"[^>]*>(.*?)</', page, re.S)
    assert why is not None
    assert "cả 3 dòng hợp lệ đã có sẵn, đúng như trong tệp" in why.group(1)
