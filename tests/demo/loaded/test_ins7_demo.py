"""The after-session demo (INS-7, INS-8): seed 000's central rounds with their compilation
deadlines and cluster recommendations, seed 001's city round with reflections some handed in,
some late; what hcm_bantochuc (head of a team, Ban Tổ chức) sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from doanvu.accounts.models import User
from doanvu.accounts.scope import Scope
from doanvu.hub import selectors as hub_selectors
from doanvu.hub.models import Obligation
from doanvu.inspections import followup
from doanvu.inspections.demo import demo_round
from doanvu.inspections.models import Recommendation, Session, TeamRole

D = dt.date
TODAY = D(2026, 1, 1)




@pytest.mark.django_db
def test_ins7_demo_central_rounds_have_their_compilation_deadlines(demo: None) -> None:
    r1, r2 = demo_round(2020, 1, "Trung ương Đoàn"), demo_round(2020, 2, "Trung ương Đoàn")
    assert r1 is not None and r2 is not None
    c1 = Obligation.objects.get(key=followup.round_compilation_key(r1))
    c2 = Obligation.objects.get(key=followup.round_compilation_key(r2))
    assert (c1.due_on, c2.due_on) == (D(2020, 6, 20), D(2020, 12, 5))  # 5 days after the round
    assert c1.owed_by_department.name == "Ban Kiểm tra"  # type: ignore[union-attr]
    assert not c1.is_late(TODAY) and c2.is_late(TODAY)
    compiled = Obligation.objects.filter(kind=followup.UNIT_COMPILATION_KIND,
                                         source_id__in=Session.objects.filter(
                                             team__round=r1).values("pk"))
    assert compiled.count() == 11
    for ob in compiled:
        session = Session.objects.get(pk=ob.source_id)
        assert ob.due_on == session.date + dt.timedelta(days=3)
    assert Recommendation.objects.filter(round__in=[r1, r2]).count() == 8
    assert Obligation.objects.filter(kind=followup.RECOMMENDATION_OFFICE_KIND,
                                     owed_by_department__short_name="VP").count() == 3


@pytest.mark.django_db
def test_ins7_demo_reflections_some_in_some_late(demo: None) -> None:
    obs = list(Obligation.objects.filter(kind=followup.REFLECTION_KIND))
    on_time = [o for o in obs if o.submitted_on is not None and not o.is_late(TODAY)]
    late_in = [o for o in obs if o.submitted_on is not None and o.is_late(TODAY)]
    missing = [o for o in obs if o.submitted_on is None]
    assert on_time and late_in and missing
    assert len(on_time) > len(late_in) + len(missing)


@pytest.mark.django_db
def test_ins7_demo_hcm_bantochuc_sees_the_head_view_and_btc_compilations(demo: None) -> None:
    user = User.objects.get(username="hcm_bantochuc")
    round_ = demo_round(2020, 1, "Thành đoàn TP. Hồ Chí Minh")
    assert round_ is not None
    session = Session.objects.filter(team__round=round_, held_on__isnull=False,
                                     team__members__person__user=user,
                                     team__members__role=TeamRole.HEAD).first()
    assert session is not None
    client = Client()
    client.force_login(user)
    page = client.get(reverse("inspections:session_reflections", args=[session.pk]))
    assert page.status_code == 200 and "Ai đã nộp" in page.content.decode()
    mine = hub_selectors.my_open_obligations(scope=Scope.for_user(user), today=TODAY)
    kinds = {o.kind for o in mine}
    assert followup.UNIT_COMPILATION_KIND in kinds
    assert {o.owed_by_department.short_name for o in mine  # type: ignore[union-attr]
            if o.kind == followup.UNIT_COMPILATION_KIND} == {"BTC"}
    for name in ("round_followup", "round_recommendations"):
        assert client.get(reverse(f"inspections:{name}", args=[round_.pk])).status_code == 200
