"""Helpers of the API-2 tests."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command

from tests.members.conftest import MembersWorld

HEADER = "STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Ngày vào Đoàn,Chi đoàn,SĐT\n"


def members_csv(path: Path, rows: int, *, start: int = 1, bad_row: int | None = None) -> Path:
    lines = [HEADER]
    for i in range(start, start + rows):
        birth = "31/02/2003" if i == bad_row else "12/03/2003"
        lines.append(f"{i},Võ Thị Hạnh {i},{birth},Nữ,072303{i:06d},26/03/2019,"
                     f"Chi đoàn ấp Bình Phong,09{i:08d}\n")
    path.write_text("".join(lines), encoding="utf-8-sig")
    return path


def import_csv(mw: MembersWorld, folder: Path, *, rows: int) -> None:
    path = members_csv(folder / "doan-vien.csv", rows)
    call_command("import_members", str(path), "--unit", str(mw.world.commune_a1.pk),
                 "--as-user", mw.world.admin.username)
