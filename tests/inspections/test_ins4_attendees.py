"""INS-4: the required attendees of a session — the party committee's representative, 2
secretaries of units rated excellent and 2 of units rated good/complete last year (members'
public API), the home-affairs official for a district union — named and confirmed by the
unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.common.errors import ApplicationError
from doanvu.inspections import services
from doanvu.inspections.models import Session, SessionAttendee
from doanvu.members.models import UnitClassification
from doanvu.members.rating.services import rating_scales_install
from doanvu.org import services as org_services
from doanvu.org.models import Position, UnitKind
from tests.conftest import login
from tests.inspections.conftest import Ins, person

D = dt.date


def _communes(ins: Ins) -> None:
    """Six grassroots unions under Huyện đoàn Châu Thành, classified for 2019."""
    w = ins.world
    rating_scales_install(issuing_unit=w.centre, years=[2019])
    co_so = UnitKind.objects.get(code="co_so")
    extra = [("Đoàn xã Hòa Hội", "dan_cu_nong_thon"), ("Đoàn thị trấn Châu Thành", "dan_cu_do_thi"),
             ("Đoàn cơ sở Công an huyện", "luc_luong_vu_trang"),
             ("Đoàn cơ sở Công ty Mía đường", "cong_nhan")]
    units = {u.name: u for u in (w.commune_a1, w.commune_a2)}
    for name, sector in extra:
        units[name] = org_services.unit_create(actor=None, parent=w.district_a, name=name,
                                               kind=co_so, founded_on=D(2017, 1, 1),
                                               sector=sector)
    levels = {"Đoàn xã Thái Bình": "vung_manh", "Đoàn xã Hòa Hội": "vung_manh",
              "Đoàn cơ sở Công an huyện": "vung_manh", "Đoàn xã Hảo Đước": "kha",
              "Đoàn thị trấn Châu Thành": "kha", "Đoàn cơ sở Công ty Mía đường": "yeu"}
    for name, level in levels.items():
        UnitClassification.objects.create(unit=units[name], year=2019, level=level)
    Position.objects.create(person=person("Nguyễn Thanh Tài"), unit=w.commune_a1,
                            title="Bí thư Đoàn xã", start_date=D(2018, 1, 1))


@pytest.fixture
def session(ins: Ins) -> Session:
    # the 2019 scale names levels Vững mạnh / Khá / …: this policy's groups use those codes
    ins.policy.excellent_levels = ["vung_manh"]
    ins.policy.good_levels = ["kha", "trung_binh"]
    ins.policy.save()
    _communes(ins)
    return services.session_create(actor=None, team=ins.team1, unit=ins.world.district_a,
                                    on=D(2020, 11, 10), half="sang").session


def _rows(session: Session) -> list[tuple[str, str, str, str]]:
    return [(a.kind, a.from_unit.name if a.from_unit else "", a.level_name, a.full_name)
            for a in SessionAttendee.objects.filter(session=session)]


def test_ins4_proposal_from_last_years_results(ins: Ins, session: Session) -> None:
    services.attendees_propose(actor=ins.world.district_a_cadre, session=session)
    assert _rows(session) == [
        ("cap_uy", "", "", ""),
        # one excellent unit from each sector in turn: the armed forces' first, then the rural
        ("bt_nhom_1", "Đoàn cơ sở Công an huyện", "Vững mạnh", ""),
        ("bt_nhom_1", "Đoàn xã Hòa Hội", "Vững mạnh", ""),
        ("bt_nhom_2", "Đoàn thị trấn Châu Thành", "Khá", ""),
        ("bt_nhom_2", "Đoàn xã Hảo Đước", "Khá", ""),
        ("noi_vu", "", "", ""),
    ]


def test_ins4_the_secretary_is_named_and_a_commune_gets_no_home_affairs_official(
        ins: Ins, session: Session) -> None:
    ins.policy.excellent_count = 3
    ins.policy.home_affairs_unit_kinds = []
    ins.policy.save()
    services.attendees_propose(actor=None, session=session)
    rows = _rows(session)
    assert ("bt_nhom_1", "Đoàn xã Thái Bình", "Vững mạnh", "Nguyễn Thanh Tài") in rows
    assert [r[0] for r in rows].count("noi_vu") == 0


def test_ins4_the_unit_confirms_names_row_by_row(ins: Ins, session: Session) -> None:
    w = ins.world
    services.attendees_propose(actor=None, session=session)
    rows = list(SessionAttendee.objects.filter(session=session))
    named = [services.AttendeeInput(a.pk, f"Người {i}", a.title) for i, a in enumerate(rows)]
    missing = [services.AttendeeInput(rows[0].pk, ""), *named[1:]]
    with pytest.raises(ApplicationError) as exc:
        services.attendees_confirm(actor=w.district_a_cadre, session=session, rows=missing)
    assert str(exc.value) == ("Dòng 1 (Đại diện Ban Thường vụ cấp ủy): hãy nhập họ và tên người "
                              "tham dự.")
    session.refresh_from_db()
    assert session.attendees_confirmed_at is None
    with pytest.raises(ApplicationError):
        services.attendees_confirm(actor=w.district_b_cadre, session=session, rows=named)
    services.attendees_confirm(actor=w.district_a_cadre, session=session, rows=named)
    session.refresh_from_db()
    assert session.attendees_confirmed_by_id == w.district_a_cadre.pk
    assert [a.full_name for a in SessionAttendee.objects.filter(session=session)] == [
        f"Người {i}" for i in range(6)]
    with pytest.raises(ApplicationError, match="đã xác nhận"):
        services.attendees_propose(actor=None, session=session)


def test_ins4_pages_propose_and_confirm(ins: Ins, session: Session) -> None:
    w = ins.world
    unit = login(w.district_a_cadre)
    propose = reverse("inspections:session_attendees_propose", args=[session.pk])
    confirm = reverse("inspections:session_attendees_confirm", args=[session.pk])
    for user in (w.outsider, w.district_b_cadre):
        assert login(user).post(propose).status_code == 404
        assert login(user).post(confirm).status_code == 404
    assert unit.post(propose).status_code == 302
    rows = list(SessionAttendee.objects.filter(session=session))
    data = {f"name_{a.pk}": "Lê Văn A" for a in rows}
    data[f"name_{rows[2].pk}"] = ""
    bad = unit.post(confirm, data)
    assert bad.status_code == 400
    assert "Dòng 3 (Bí thư Đoàn cơ sở (nhóm xếp loại thứ nhất)): hãy nhập họ và tên" in \
        bad.content.decode()
    data[f"name_{rows[2].pk}"] = "Trần Thị B"
    assert unit.post(confirm, data).status_code == 302
    session.refresh_from_db()
    assert session.attendees_confirmed_at is not None
