"""The demo of INS-6, EMU-9 and EMU-11 (HCMC 2020, login hcm_bantochuc): a 2019 conclusion at
Quận đoàn 1 with one limitation left unremedied (a penalty candidate on its 2020 sheet), issued
2020 conclusions whose adjustments are in the sheets, good models in the register, a draft for
the head of team 4 to issue."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from doanvu.accounts.models import User
from doanvu.emulation import conclusions as carry
from doanvu.emulation.models import ScoreLine, ScoreSheet
from doanvu.inspections.models import Conclusion, GoodModel

HCM = "Thành đoàn TP. Hồ Chí Minh"




def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.django_db
def test_ins6_demo_conclusions_adjustments_and_carryover(demo: None) -> None:
    issued = Conclusion.objects.filter(state="ban_hanh",
                                       session__team__round__plan__issuing_unit__name=HCM)
    assert {c.session.date.year for c in issued} == {2019, 2020}
    assert issued.filter(session__date__year=2020).count() == 3
    assert all(c.document is not None and c.document.symbol for c in issued)
    q1_2020 = issued.get(session__unit__name="Quận đoàn 1", session__date__year=2020)
    lines = ScoreLine.objects.filter(inspection_item__conclusion__in=issued)
    assert lines.count() == 2
    q1_sheet = ScoreSheet.objects.get(unit__name="Quận đoàn 1", year=2020)
    assert lines.filter(sheet=q1_sheet, inspection_item__conclusion=q1_2020).exists()
    # EMU-11: 2019's unremedied limitation is a candidate on the 2020 sheet; the remedied not
    candidates = carry.carryover_candidates(sheet=q1_sheet)
    assert [c.limitation.text for c in candidates] == [
        "Các chi đoàn khu phố sinh hoạt chưa đều, chưa được củng cố."]
    page = _client("hcm_bithu").get(reverse("emulation:sheet_detail", args=[q1_sheet.pk]))
    text = page.content.decode()
    assert "Tồn tại năm trước chưa khắc phục" in text
    assert reverse("inspections:conclusion_detail", args=[q1_2020.session_id]) in text
    # the unit sees where its adjusted point came from
    own = _client("hcm_quan1").get(reverse("emulation:sheet_detail", args=[q1_sheet.pk]))
    assert q1_2020.document.symbol in own.content.decode()  # type: ignore[union-attr]


@pytest.mark.django_db
def test_ins6_demo_register_and_the_draft_for_hcm_bantochuc(demo: None) -> None:
    assert GoodModel.objects.filter(conclusion__state="ban_hanh").count() >= 5
    client = _client("hcm_bantochuc")
    register = client.get(reverse("emulation:good_models"), {"q": "tinh nguyen"})
    assert "Ngày thứ Bảy tình nguyện" in register.content.decode()
    draft = Conclusion.objects.get(state="nhap")
    page = client.get(reverse("inspections:conclusion_detail", args=[draft.session_id]))
    assert page.status_code == 200 and 'data-testid="issue-form"' in page.content.decode()
    btc = draft.directions.first()
    assert btc is not None
    listing = client.get(reverse("inspections:department_directions",
                                 args=[btc.department_id]))
    assert listing.status_code == 200
