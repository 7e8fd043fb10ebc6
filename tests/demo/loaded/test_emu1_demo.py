"""EMU-1 in the demo: Thành đoàn TP. Hồ Chí Minh's 2020 rubrics, one per sector group of seed
001, frozen for the November 2020 inspections, and the 2021 draft copied from the districts'
one; every rubric page opens for the city's secretary and reads in Vietnamese."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from doanvu.emulation.models import Rubric, RubricState, SectorGroupMember
from doanvu.emulation.services import rubric_spec, spec_problems
from tests.e2e.layout_sweep import account_ids, forbidden_tokens, page_urls

pytestmark = pytest.mark.django_db


def test_emu1_demo_has_hcmc_2020_rubric_per_sector_group(demo: None) -> None:
    rubrics = list(Rubric.objects.filter(issuing_unit__name="Thành đoàn TP. Hồ Chí Minh")
                   .order_by("year", "group__order"))
    members_2020 = {g: n for g, n in [
        (name, SectorGroupMember.objects.filter(group__name=name, year=2020).count())
        for name in ("Khu vực Quận – Huyện", "Khu vực Công nhân lao động",
                     "Khu vực Lực lượng vũ trang")]}
    thu_duc = SectorGroupMember.objects.filter(unit__name="Thành đoàn Thủ Đức")

    assert [(r.year, r.group.name, r.state) for r in rubrics] == [
        (2020, "Khu vực Quận – Huyện", RubricState.OPEN),
        (2020, "Khu vực Công nhân lao động", RubricState.OPEN),
        (2020, "Khu vực Lực lượng vũ trang", RubricState.OPEN),
        (2021, "Khu vực Quận – Huyện", RubricState.DRAFT)]
    for rubric in rubrics:
        spec = rubric_spec(rubric)
        assert spec.total == Decimal("100")
        assert spec_problems(spec, complete=True) == []
    assert members_2020 == {"Khu vực Quận – Huyện": 24, "Khu vực Công nhân lao động": 6,
                            "Khu vực Lực lượng vũ trang": 3}
    assert list(thu_duc.values_list("year", flat=True)) == [2021]
    assert rubrics[3].copied_from == rubrics[0]


def test_emu1_demo_rubric_pages_open_and_show_no_internal_code(demo: None) -> None:
    client = Client()
    from doanvu.accounts.models import User

    client.force_login(User.objects.get(username="quantri"))
    urls = [(name, url) for name, url in page_urls(account_ids("quantri"))
            if name.startswith("emulation:")]
    answers = []
    for name, url in urls:
        response = client.get(url)
        text = response.content.decode()
        answers.append((name, response.status_code, forbidden_tokens(_visible(text))))

    assert {name for name, _status, _tokens in answers} == {
        "emulation:rubric_list", "emulation:rubric_create", "emulation:group_create",
        "emulation:group_assign", "emulation:rubric_detail", "emulation:rubric_edit",
        "emulation:rubric_copy", "emulation:rubric_import", "emulation:part_add",
        "emulation:part_edit",
        # the score sheets (EMU-2)
        "emulation:sheet_list", "emulation:component_import", "emulation:sheet_detail",
        "emulation:sheet_self_score", "emulation:evidence_upload", "emulation:entry_add",
        "emulation:adjustment_add", "emulation:department_score", "emulation:my_worklists",
        "emulation:department_worklist", "emulation:rubric_deadlines",
        "emulation:component_request_create",
        # the ranking (EMU-3, EMU-4)
        "emulation:ranking_list", "emulation:snapshot_detail",
        # the register of good models (EMU-9)
        "emulation:good_models",
        # the unit's results and an appeal (EMU-6, EMU-7)
        "emulation:unit_results", "emulation:appeal_detail"}
    assert [a for a in answers if a[1] != 200 or a[2]] == []


def _visible(html: str) -> str:
    """The page's text without tags, scripts and attribute values."""
    import re

    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)
