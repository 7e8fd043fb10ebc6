"""One phone check (common.phones) in the member services and the importer (issue 10, item 10):
letters and markup are refused with the same Vietnamese message everywhere."""

from __future__ import annotations

import datetime as dt

import pytest

from doanvu.members.referrals import services as referrals
from doanvu.members.referrals.services import ReferralError
from tests.common.test_phones import CHARS
from tests.members.conftest import MembersWorld
from tests.members.test_import_mem13 import _media, check, good_rows, xlsx

__all__ = ["_media"]


def test_the_importer_and_a_service_refuse_letters_in_a_phone_alike(
    members_world: MembersWorld,
) -> None:
    rows = good_rows(2)
    rows[0][7] = "09abc<b>"
    rows[1][7] = "+84 912.345.678"

    job = check(members_world, "ds.xlsx", xlsx(rows))
    with pytest.raises(ReferralError) as refused:
        referrals.referral_create(
            actor=members_world.world.branch_secretary, referrer=members_world.a1[0],
            full_name="Võ Thị Hoa", referred_on=dt.date(2024, 3, 1), phone="09abc<b>")

    assert job.report["errors"] == [[3, "Điện thoại", CHARS.format("09abc<b>")]]
    assert (str(refused.value), refused.value.field) == (CHARS.format("09abc<b>"), "phone")
