"""Shared fixtures of the remediation tests: the small province of tests/conftest.py with its
agency (Văn phòng, Ban Tổ chức – Kiểm tra, Ban Phong trào), the three areas of seed 004 and its
register of the 2019 self-review (5 new + 3 carried − 1 the same = 7)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from doanvu.accounts.scope import Scope
from doanvu.org.models import Department, DepartmentCategory
from doanvu.remediation import services
from doanvu.remediation.models import Shortcoming, ShortcomingArea
from tests.conftest import World, grant, make_user

AREAS = ("Trong công tác lãnh đạo, điều hành",  # i18n: data
         "Trong lĩnh vực công tác tổ chức xây dựng Đoàn",  # i18n: data
         "Trong lĩnh vực công tác tổ chức các hoạt động phong trào")  # i18n: data
# (number, area index, year found, text, number it repeats)
REGISTER = [
    (1, 0, 2019, "Chưa đạt 100% chỉ tiêu kế hoạch năm", None),  # i18n: data
    (2, 0, 2019, "Chỉ đạo cơ sở còn gấp, chậm", None),  # i18n: data
    (3, 0, 2018, "Giải pháp theo Nghị quyết Trung ương 4 chậm lộ trình", None),  # i18n: data
    (4, 0, 2019, "Hoạt động cấp tỉnh chưa xứng tầm", None),  # i18n: data
    (5, 1, 2018, "Quản lý đoàn viên chưa chặt chẽ", None),  # i18n: data
    (6, 1, 2019, "Phần mềm quản lý đoàn viên chưa triển khai", None),  # i18n: data
    (7, 2, 2019, "Còn 02 đơn vị không vận động được nguồn vốn khởi nghiệp", None),  # i18n: data
    (8, 0, 2018, "Chỉ đạo cơ sở chưa kịp thời", 2),  # i18n: data
]


@dataclass
class RemWorld:
    world: World
    areas: list[ShortcomingArea]
    items: dict[int, Shortcoming]
    office: Department
    movement: Department


def scope(user: object) -> Scope:
    return Scope.for_user(user)  # type: ignore[arg-type]


@pytest.fixture
def rem(world: World) -> RemWorld:
    system = scope(world.admin)
    office = Department.objects.create(unit=world.province, name="Văn phòng",  # i18n: data
                                       short_name="VP", category=DepartmentCategory.OFFICE)
    movement = Department.objects.create(unit=world.province,
                                         name="Ban Phong trào",  # i18n: data
                                         short_name="BPT", category=DepartmentCategory.DEPARTMENT)
    areas = [services.area_create(scope=system, unit=world.province, name=n, position=i)
             for i, n in enumerate(AREAS, start=1)]
    items: dict[int, Shortcoming] = {}
    for number, area, found, text, same in REGISTER:
        items[number] = services.shortcoming_create(
            scope=system, unit=world.province, review_year=2019, year_found=found,
            area=areas[area], number=number, text=text,
            same_as=items[same] if same else None)
    return RemWorld(world, areas, items, office, movement)


@pytest.fixture
def province_writer(world: World) -> object:
    user = make_user("vanphong_tinh")
    grant(user, "quan_tri_don_vi", world.province)
    return user
