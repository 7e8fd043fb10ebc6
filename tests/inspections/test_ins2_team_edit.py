"""INS-2: a team's people change after it is formed (a member replaced, a new secretary) —
the same rules as forming it, the team's schedule asked again, the rows of those who stay kept,
every change audited; outsiders see nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.audit.models import AuditRecord
from doanvu.common.errors import ApplicationError
from doanvu.inspections import services
from doanvu.inspections.models import TeamMember, TeamRole
from tests.conftest import login
from tests.inspections.conftest import Ins, person

D = dt.date


def _people(team_pk: int) -> list[tuple[str, str]]:
    return list(TeamMember.objects.filter(team_id=team_pk).order_by("order")
                .values_list("person__full_name", "role"))


def test_ins2_a_team_is_changed_keeping_those_who_stay(ins: Ins) -> None:
    kept = TeamMember.objects.get(team=ins.team1, person=ins.head)
    newcomer = person("Đặng Thu Hà")
    before = AuditRecord.objects.count()
    services.team_update(actor=None, team=ins.team1, number=1, name="Đoàn kiểm tra số 1",
                         members=[services.MemberInput(ins.head, TeamRole.HEAD),
                                  services.MemberInput(newcomer, TeamRole.SECRETARY),
                                  services.MemberInput(ins.secretary)])
    assert _people(ins.team1.pk) == [("Trần Lê Duy", "truong_doan"),
                                     ("Đặng Thu Hà", "thu_ky"),
                                     ("Bùi Thị Thanh Tuyền", "thanh_vien")]
    assert TeamMember.objects.get(team=ins.team1, person=ins.head).pk == kept.pk
    assert AuditRecord.objects.count() > before


def test_ins2_a_change_follows_the_rules_of_forming_a_team(ins: Ins) -> None:
    with pytest.raises(ApplicationError, match="đúng một trưởng đoàn") as no_head:
        services.team_update(actor=None, team=ins.team1, number=1, name="Đoàn kiểm tra số 1",
                             members=[services.MemberInput(ins.secretary)])
    assert no_head.value.field == "head"
    with pytest.raises(ApplicationError, match="Đợt này đã có đoàn số 2") as number:
        services.team_update(actor=None, team=ins.team1, number=2, name="Đoàn kiểm tra số 1",
                             members=[services.MemberInput(ins.head, TeamRole.HEAD)])
    assert number.value.field == "number"
    assert len(_people(ins.team1.pk)) == 3


def test_ins2_a_person_added_who_is_elsewhere_at_a_session_is_refused(ins: Ins) -> None:
    w = ins.world
    services.session_create(actor=None, team=ins.team1, unit=w.district_a, on=D(2020, 11, 10),
                            half="sang")
    head2 = TeamMember.objects.get(team=ins.team2, role=TeamRole.HEAD).person
    # Mai Văn Hiếu leaves team 2, which can then work the same morning elsewhere
    services.team_update(actor=None, team=ins.team2, number=2, name="Đoàn kiểm tra số 2",
                         members=[services.MemberInput(head2, TeamRole.HEAD)])
    services.session_create(actor=None, team=ins.team2, unit=w.district_b, on=D(2020, 11, 10),
                            half="sang")
    with pytest.raises(ApplicationError) as clash:
        services.team_update(actor=None, team=ins.team2, number=2, name="Đoàn kiểm tra số 2",
                             members=[services.MemberInput(head2, TeamRole.HEAD),
                                      services.MemberInput(ins.shared)])
    assert clash.value.field == "members"
    assert "Mai Văn Hiếu đã ở Đoàn kiểm tra số 1 làm việc tại Huyện đoàn Châu Thành" in str(
        clash.value)
    assert _people(ins.team2.pk) == [("Phạm Minh Khôi", "truong_doan")]


def test_ins2_team_edit_page_for_the_issuing_unit_only(ins: Ins) -> None:
    w = ins.world
    url = reverse("inspections:team_edit", args=[ins.team1.pk])
    client = login(w.province_secretary)
    page = client.get(url)
    assert page.status_code == 200 and "Điều chỉnh đoàn kiểm tra" in page.content.decode()
    bad = client.post(url, {"number": "1", "name": "", "head": ins.head.pk})
    assert bad.status_code == 400 and "Tên đoàn" in bad.content.decode()
    done = client.post(url, {"number": "1", "name": "Đoàn kiểm tra số 1 (điều chỉnh)",
                             "head": ins.head.pk}, follow=True)
    assert "Đã lưu Đoàn kiểm tra số 1 (điều chỉnh)." in done.content.decode()
    assert _people(ins.team1.pk) == [("Trần Lê Duy", "truong_doan")]
    for user in (w.district_a_cadre, w.outsider, ins.head_user):
        other = login(user)
        assert other.get(url).status_code == 404
        assert other.post(url, {"number": "1", "name": "X", "head": ins.head.pk}
                          ).status_code == 404
    assert _people(ins.team1.pk) == [("Trần Lê Duy", "truong_doan")]
