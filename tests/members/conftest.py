"""Members fixtures on top of the `world` tree: a policy at the root and a few members."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from doanvu.members.models import Membership, MembersPolicy
from doanvu.org.models import Person, Unit
from tests.conftest import World


def make_member(
    branch: Unit,
    full_name: str,
    *,
    birth: dt.date = dt.date(2000, 5, 17),
    cccd: str | None = None,
    joined: dt.date = dt.date(2016, 3, 26),
    gender: str = "nam",
    hometown: str = "Tây Ninh",
) -> Membership:
    """A current member made directly (tests of other features need members to exist)."""
    person = Person.objects.create(
        full_name=full_name, birth_date=birth, cccd=cccd, gender=gender, hometown=hometown
    )
    return Membership.objects.create(
        person=person,
        branch=branch,
        unit_path=branch.path,
        name_folded=person.name_folded,
        birth_date=birth,
        gender=gender,
        joined_union_on=joined,
        started_on=joined,
    )


@dataclass
class MembersWorld:
    world: World
    policy: MembersPolicy
    a1: list[Membership]
    b1: list[Membership]


@pytest.fixture
def members_world(world: World) -> MembersWorld:
    policy = MembersPolicy.objects.create(
        issuing_unit=world.centre,
        valid_from=dt.date(2011, 1, 1),
        source="Điều lệ Đoàn; NQ 07-NQ/TWĐTN",
        # NQ 07-NQ/TWĐTN as in the demo: branches monthly, grassroots and districts quarterly,
        # provinces yearly by 30/12; unconfirmed uploads kept 7 days
        remittance_cadence_by_kind={
            "chi_doan": "M", "phan_doan": "M", "chi_doan_co_so": "Q", "co_so": "Q",
            "huyen": "Q", "truc_thuoc_tinh": "Q", "tinh": "Y", "truc_thuoc_tw": "Y",
            "trung_uong": "Y"},
        remittance_cadence_fallback="Q",
        remittance_year_deadline_day=30,
        remittance_year_deadline_month=12,
        import_upload_expiry_days=7,
    )
    a1 = [
        make_member(world.branch_a1, name, cccd=cccd, birth=birth, gender=g)
        for name, cccd, birth, g in [
            ("Nguyễn Văn An", "072200001234", dt.date(2000, 1, 15), "nam"),
            ("Trần Thị Bích", "072301005678", dt.date(2001, 7, 2), "nu"),
            ("Lê Hoàng Đức", "072099009012", dt.date(1999, 11, 30), "nam"),
        ]
    ]
    b1 = [
        make_member(
            world.branch_b1, "Phạm Minh Đạt", cccd="072201003456", birth=dt.date(2001, 4, 4)
        )
    ]
    return MembersWorld(world, policy, a1, b1)
