"""The targets demo (issue 14, IND-1): seed 003, Huyện đoàn Dương Minh Châu's 2020 plan to
raise the quality of residential grassroots unions in 2019–2022, and its four targets, linked
to the plan the documents demo registers and measured on the demo's members.

The plan runs to the end of 2022 ("Phấn đấu đến hết 2022"), so the demo measures 2022; the
goals are the seed's (100%, ít nhất 01 lớp) and the qualification levels its wording (Đại học,
tối thiểu trung cấp lý luận chính trị).

The district level ended on 1/7/2025 and Dương Minh Châu's communes left the district; a target
is measured on the tree and data of its measurement day (X-10), so the 2022 targets read the
district's communes, branches and members of 2022. The demo's members exist then, and their
rèn luyện registrations; `load_demo_history` adds what 2022 lacks, deterministically: the
secretaries of the communes holding members (two of three qualified), a 2022 course attended
by two branch secretaries, and a year of monthly meetings in every other branch holding
members — so the dashboard shows targets met and targets missed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from doanvu.accounts.scope import Scope
from doanvu.audit.context import acting
from doanvu.documents.models import Document
from doanvu.members import api as members
from doanvu.org.models import CommitteeKind, CommitteeSeat, Person, Term, Unit
from doanvu.org.selectors import versions_on

from . import services
from .models import Target

SYSTEM = Scope(user_id=None, is_superuser=True)
DISTRICT = "Huyện đoàn Dương Minh Châu"
PLAN_TITLE = "Nâng cao chất lượng hoạt động tổ chức cơ sở Đoàn trên địa bàn dân cư"
YEAR = 2022

# (name, goal, formula, extra parameters)
TARGETS: tuple[tuple[str, str, str, dict[str, str]], ...] = (
    ("Hằng năm tổ chức ít nhất 01 lớp bồi dưỡng, tập huấn cho đội ngũ Bí thư chi đoàn trên "
     "địa bàn dân cư", "1", "residential_secretary_courses", {}),
    ("100% Bí thư Đoàn xã, thị trấn đạt chuẩn trình độ chuyên môn (Đại học) và lý luận chính "
     "trị (tối thiểu trung cấp)", "100", "commune_secretaries_qualified",
     {"min_education": "dai_hoc", "min_theory": "trung_cap"}),
    ("100% đoàn viên đăng ký rèn luyện đoàn viên", "100", "training_registration", {}),
    ("100% chi đoàn trên địa bàn dân cư duy trì chế độ sinh hoạt chi đoàn định kỳ", "100",
     "residential_branches_meeting", {}),
)


def load_demo_targets() -> int:
    """Seed 003's four targets for Dương Minh Châu; a no-op without the district or when they
    exist. Returns the number of targets made."""
    district = Unit.objects.filter(name=DISTRICT).order_by("pk").first()
    if district is None or Target.objects.filter(unit=district).exists():
        return 0
    plan = (Document.objects.filter(issuing_unit=district, title__startswith=PLAN_TITLE)
            .order_by("pk").first())
    for i, (name, goal, code, extra) in enumerate(TARGETS, start=1):
        services.target_create(scope=SYSTEM, unit=district, name=name, goal=goal,
                               due_on=dt.date(YEAR, 12, 31), scope_unit=district, formula=code,
                               params={"year": YEAR, **extra}, plan=plan, position=i)
    return len(TARGETS)


# the secretaries of the communes holding members in 2022: (name, gender, education, theory)
COMMUNE_SECRETARIES = (
    ("Nguyễn Thanh Tâm", "nam", "dai_hoc", "trung_cap"),
    ("Trần Thị Ngọc Hân", "nu", "dai_hoc", "cao_cap"),
    ("Lê Văn Phước", "nam", "cao_dang", "so_cap"),
)
BRANCH_SECRETARIES = (("Phạm Minh Khang", "nam"), ("Võ Thị Thu Trang", "nu"))
COURSE = ("Lớp tập huấn Bí thư chi đoàn địa bàn dân cư năm 2022", dt.date(YEAR, 8, 15),
          dt.date(YEAR, 8, 17))


def load_demo_history(*, add_course: Callable[[Person, str, dt.date, dt.date, str], object],
                      add_meeting: Callable[[Unit, dt.date], object]) -> int:
    """What the demo's 2022 lacks for Dương Minh Châu's targets (see the module's note); a
    no-op without the district, without members there in 2022, or when done already. Members'
    records are written by the callbacks the loader passes. Returns the secretaries seated."""
    district = Unit.objects.filter(name=DISTRICT).order_by("pk").first()
    if district is None:
        return 0
    day = dt.date(YEAR, 12, 31)
    share = members.training_registration_share(scope=SYSTEM, unit=district, year=YEAR,
                                                as_of=day)
    branches = [r.unit for r in share.rows if r.members]
    if not branches or Term.objects.filter(unit__in=branches, name=TERM_BRANCH).exists():
        return 0
    # the communes holding them in 2022 (a branch's parent then, not today's)
    parents = dict(versions_on(day).filter(unit__in=branches).values_list("unit_id", "parent_id"))
    commune_ids = list(dict.fromkeys(parents[b.pk] for b in branches if parents.get(b.pk)))
    by_id = Unit.objects.in_bulk(commune_ids)
    communes = [by_id[i] for i in commune_ids]
    seated = 0
    with acting(None, reason="Dữ liệu minh họa: chỉ tiêu năm 2022"):
        for commune, (name, gender, education, theory) in zip(communes, COMMUNE_SECRETARIES,
                                                             strict=False):
            term, _ = Term.objects.get_or_create(unit=commune, name=TERM_COMMUNE, defaults={
                "start_date": dt.date(YEAR, 6, 15), "end_date": dt.date(2025, 6, 30)})
            person = Person.objects.create(full_name=name, gender=gender,
                                           education_level=education, political_theory=theory)
            CommitteeSeat.objects.create(term=term, committee=CommitteeKind.BTV, person=person,
                                         title="Bí thư", order=1)
            seated += 1
        for branch, (name, gender) in zip(branches, BRANCH_SECRETARIES, strict=False):
            person = Person.objects.create(full_name=name, gender=gender,
                                           education_level="thpt")
            term = Term.objects.create(unit=branch, name=TERM_BRANCH,
                                       start_date=dt.date(YEAR, 1, 1),
                                       end_date=dt.date(YEAR + 2, 12, 31))
            CommitteeSeat.objects.create(term=term, committee=CommitteeKind.BCH, person=person,
                                         title="Bí thư", order=1)
            add_course(person, COURSE[0], COURSE[1], COURSE[2], DISTRICT)
            seated += 1
        for branch in branches[::2]:
            for month in range(1, 13):
                add_meeting(branch, dt.date(YEAR, month, 15))
    return seated


TERM_COMMUNE = "2022–2027"
TERM_BRANCH = "2022–2024"
