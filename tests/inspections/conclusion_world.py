"""A conclusion-ready world on top of the inspections fixture (`ins`): Tỉnh đoàn Tây Ninh's
2020 session at Huyện đoàn Châu Thành, its team secretary with an account, the province's
district rubric for 2020 open for scoring with a sheet per district (Châu Thành self-scored
5/6 on 1.1), a cadre of Ban Tổ chức – Kiểm tra (the department that supervises Châu Thành)
and the 2019 round with a session at Châu Thành too (EMU-11)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from doanvu.accounts.models import User
from doanvu.emulation import services as emu_services
from doanvu.emulation import sheets as sheet_services
from doanvu.emulation.models import Criterion, Rubric, ScoreSheet
from doanvu.inspections import conclusions, services
from doanvu.inspections.models import Conclusion, Session, TeamRole
from doanvu.org.models import Department, DepartmentCategory, Supervision
from tests.conftest import grant, make_user
from tests.emulation.conftest import build_rubric
from tests.inspections.conftest import Ins, person

D = dt.date


@dataclass
class Concl:
    ins: Ins
    session: Session
    secretary_user: User
    member_user: User  # a plain team member (not secretary, not head)
    rubric: Rubric
    sheet_a: ScoreSheet
    sheet_b: ScoreSheet
    tckt_cadre: User  # Ban Tổ chức – Kiểm tra, supervising Châu Thành
    office: Department
    office_cadre: User  # Văn phòng: follows nothing of Châu Thành
    session_2019: Session


def criterion(rubric: Rubric, code: str) -> Criterion:
    return Criterion.objects.select_related("area").get(area__rubric=rubric, code=code)


@pytest.fixture
def concl(ins: Ins) -> Concl:
    w = ins.world
    session = services.session_create(actor=None, team=ins.team1, unit=w.district_a,
                                      on=D(2020, 11, 10), half="sang").session
    secretary_user = make_user("thuky_doan1")
    ins.secretary.user = secretary_user
    ins.secretary.save(update_fields=["user"])
    member_user = make_user("thanhvien_doan1")
    ins.shared.user = member_user
    ins.shared.save(update_fields=["user"])
    office = Department.objects.create(unit=w.province, name="Văn phòng", short_name="VP",
                                       category=DepartmentCategory.OFFICE)
    group = emu_services.sector_group_create(actor=None, issuing_unit=w.province,
                                             name="Khối Huyện, Thành phố")
    emu_services.sector_group_assign(actor=None, group=group,
                                     units=[w.district_a, w.district_b], year=2020)
    rubric = build_rubric(w, group, office=office)
    emu_services.rubric_freeze(actor=None, rubric=rubric)
    rubric.refresh_from_db()
    made = {s.unit_id: s for s in sheet_services.sheets_open(actor=None, rubric=rubric,
                                                             due_on=D(2020, 11, 10))}
    sheet_a = made[w.district_a.pk]
    sheet_services.scores_save(actor=None, sheet=sheet_a, source="tu_cham",
                               values={criterion(rubric, "1.1"): "5"},
                               evidence={criterion(rubric, "1.1"): "Kế hoạch số 12-KH/HĐ"})
    tckt_cadre = make_user("canbo_tckt")
    grant(tckt_cadre, "can_bo_ban", w.province, department=w.tckt)
    office_cadre = make_user("canbo_vp")
    grant(office_cadre, "can_bo_ban", w.province, department=office)
    Supervision.objects.create(assigning_unit=w.province, supervised_unit=w.district_a,
                               department=w.tckt, start_date=D(2018, 1, 1))
    # 2019: a round with one session at Châu Thành
    services.policy_issue(actor=None, issuing_unit=w.province, valid_from=D(2019, 1, 1),
                          valid_to=D(2019, 12, 31), morning_start=dt.time(8, 0),
                          afternoon_start=dt.time(14, 0), party_rep_count=1, excellent_count=0,
                          excellent_levels=[], good_count=0, good_levels=[])
    plan = services.plan_create(actor=None, issuing_unit=w.province, year=2019,
                                title="Kế hoạch kiểm tra năm 2019")
    round_ = services.round_create(actor=None, plan=plan, number=1, title="Kiểm tra năm 2019",
                                   window_start=D(2019, 11, 4), window_end=D(2019, 11, 15),
                                   units=[w.district_a])
    team = services.team_create(actor=None, round_=round_, number=1, name="Đoàn kiểm tra 2019",
                                members=[services.MemberInput(ins.head, TeamRole.HEAD),
                                         services.MemberInput(person("Lê Văn Thư Ký"),
                                                              TeamRole.SECRETARY)])
    session_2019 = services.session_create(actor=None, team=team, unit=w.district_a,
                                           on=D(2019, 11, 6), half="sang").session
    return Concl(ins, session, secretary_user, member_user, rubric, sheet_a,
                 made[w.district_b.pk], tckt_cadre, office, office_cadre, session_2019)


def draft(c: Concl, *, session: Session | None = None, actor: User | None = None,
          **kwargs: object) -> Conclusion:
    """A draft with a strength, two limitations, a task for Ban Tổ chức – Kiểm tra, an
    adjustment of 1.1 by -2 and a good model (unless `kwargs` say otherwise)."""
    values: dict[str, object] = {
        "notes": ["Giới thiệu đủ thành phần.", "Đoàn hỏi về công tác phát triển đoàn viên."],
        "strengths": "Ban Thường vụ Huyện đoàn năng động, bám sát chương trình công tác.",
        "limitations": ["Sổ sách đoàn vụ của 3 cơ sở chưa cập nhật.",
                        "Chưa tổ chức sinh hoạt chủ điểm tháng 9."],
        "directions": [conclusions.DirectionInput("Hoàn thiện sổ sách đoàn vụ trong quý I.",
                                                  c.ins.world.tckt)],
        "adjustments": [conclusions.AdjustmentInput("1.1", "-2", "Thiếu biên bản học tập "
                                                                "nghị quyết")],
        "models": [conclusions.ModelInput("Mô hình “Ngày thứ Bảy tình nguyện”",
                                          "Mỗi tháng một công trình ở ấp.", "Tình nguyện",
                                          "tình nguyện, ấp")],
    }
    values.update(kwargs)
    return conclusions.conclusion_save(actor=actor or c.secretary_user,
                                       session=session or c.session,
                                       **values)  # type: ignore[arg-type]


ISSUED_ON = D(2020, 11, 12)


def issue(c: Concl, conclusion: Conclusion, *, on: dt.date = ISSUED_ON) -> object:
    return conclusions.conclusion_issue(actor=c.ins.head_user, conclusion=conclusion,
                                        signer_title="TRƯỞNG ĐOÀN KIỂM TRA",
                                        signer_name="Trần Lê Duy", issued_on=on)
