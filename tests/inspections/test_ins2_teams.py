"""INS-2: teams with one head, a secretary and members (also from other bodies); a warning,
not a refusal, when a member belongs to or supervises the inspected unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.common.errors import ApplicationError
from doanvu.inspections import services
from doanvu.inspections.models import Team, TeamMember, TeamRole
from doanvu.org.models import (
    Cluster,
    ClusterKind,
    Department,
    DepartmentCategory,
    Position,
    Supervision,
)
from tests.conftest import login
from tests.inspections.conftest import Ins, person

D = dt.date


def test_ins2_a_team_has_exactly_one_head_and_each_person_once(ins: Ins) -> None:
    p = person("Lý Văn Sang")
    with pytest.raises(ApplicationError, match="đúng một trưởng đoàn"):
        services.team_create(actor=None, round_=ins.round, number=3, name="Đoàn số 3",
                             members=[services.MemberInput(p)])
    with pytest.raises(ApplicationError, match="Lý Văn Sang được chọn hai lần"):
        services.team_create(actor=None, round_=ins.round, number=3, name="Đoàn số 3",
                             members=[services.MemberInput(p, TeamRole.HEAD),
                                      services.MemberInput(p)])
    with pytest.raises(ApplicationError, match="Đợt này đã có đoàn số 1"):
        services.team_create(actor=None, round_=ins.round, number=1, name="Đoàn số 1 khác",
                             members=[services.MemberInput(p, TeamRole.HEAD)])
    assert Team.objects.count() == 2


def test_ins2_a_member_of_the_inspected_unit_is_warned_not_refused(ins: Ins) -> None:
    w = ins.world
    Position.objects.create(person=ins.secretary, unit=w.commune_a1, title="Bí thư Đoàn xã",
                            start_date=D(2019, 1, 1))
    done = services.session_create(actor=None, team=ins.team1, unit=w.district_a,
                                   on=D(2020, 11, 10), half="sang")
    assert done.session.pk
    assert done.warnings == ["Lưu ý xung đột lợi ích: Bùi Thị Thanh Tuyền giữ chức vụ Bí thư "
                             "Đoàn xã tại Đoàn xã Thái Bình."]


def test_ins2_a_supervisor_and_a_cluster_standing_department_are_warned(ins: Ins) -> None:
    w = ins.world
    Supervision.objects.create(assigning_unit=w.province, supervised_unit=w.district_b,
                               person=ins.head, start_date=D(2018, 1, 1))
    dept = Department.objects.create(unit=w.province, name="Ban Phong trào", short_name="BPT",
                                     category=DepartmentCategory.DEPARTMENT)
    Position.objects.create(person=ins.shared, unit=w.province, department=dept,
                            title="Chuyên viên", start_date=D(2018, 1, 1))
    cluster = Cluster.objects.create(owner=w.province, name="Cụm phía Bắc",
                                     kind=ClusterKind.ACTIVITY, standing_department=dept)
    cluster.members.add(w.district_b)
    done = services.session_create(actor=None, team=ins.team1, unit=w.district_b,
                                   on=D(2020, 11, 10), half="sang")
    assert done.warnings == [
        "Lưu ý xung đột lợi ích: Trần Lê Duy được phân công phụ trách Huyện đoàn Tân Biên.",
        "Lưu ý xung đột lợi ích: Mai Văn Hiếu công tác tại Ban Phong trào, ban thường trực "
        "Cụm phía Bắc.",
    ]
    page = login(w.province_secretary).get(reverse("inspections:team_detail",
                                                   args=[ins.team1.pk]))
    assert "Trần Lê Duy được phân công phụ trách Huyện đoàn Tân Biên" in page.content.decode()


def test_ins2_team_form_takes_people_of_the_unit_and_its_affiliated_bodies(ins: Ins) -> None:
    w = ins.world
    school = Department.objects.create(unit=w.province, name="Trường Đoàn tỉnh",
                                       short_name="TĐ", category=DepartmentCategory.AFFILIATED)
    teacher = person("Nguyễn Văn Giảng")
    Position.objects.create(person=teacher, unit=w.province, department=school,
                            title="Giảng viên", start_date=D(2019, 1, 1))
    url = reverse("inspections:team_create", args=[ins.round.pk])
    c = login(w.province_secretary)
    form = c.get(url)
    assert form.status_code == 200 and "Nguyễn Văn Giảng" in form.content.decode()
    bad = c.post(url, {"number": "3", "name": "Đoàn kiểm tra số 3"})
    assert bad.status_code == 400 and "Hãy chọn một mục trong danh sách." in bad.content.decode()
    ok = c.post(url, {"number": "3", "name": "Đoàn kiểm tra số 3", "head": ins.head.pk,
                      "members": [teacher.pk]})
    assert ok.status_code == 302
    team = Team.objects.get(number=3)
    assert [(m.person.full_name, m.role, m.body) for m in TeamMember.objects.filter(team=team)] == [
        ("Trần Lê Duy", TeamRole.HEAD, "Phó Bí thư Tỉnh đoàn"),
        ("Nguyễn Văn Giảng", TeamRole.MEMBER, "Giảng viên, Trường Đoàn tỉnh")]
    # a person from outside the unit cannot be picked
    stranger = person("Người Lạ")
    r = c.post(url, {"number": "4", "name": "Đoàn 4", "head": stranger.pk})
    assert r.status_code == 400 and not Team.objects.filter(number=4).exists()


def test_ins2_outsiders_cannot_form_teams(ins: Ins) -> None:
    w = ins.world
    url = reverse("inspections:team_create", args=[ins.round.pk])
    for user in (w.outsider, w.district_a_cadre):
        r = login(user).post(url, {"number": "3", "name": "X", "head": ins.head.pk})
        assert r.status_code == 404
    with pytest.raises(ApplicationError):
        services.team_create(actor=w.district_a_cadre, round_=ins.round, number=3, name="X",
                             members=[services.MemberInput(ins.head, TeamRole.HEAD)])
    assert Team.objects.count() == 2
