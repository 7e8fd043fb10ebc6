"""The targets demo (issue 14, IND-1): seed 003, Huyện đoàn Dương Minh Châu's 2020 plan to
raise the quality of residential grassroots unions in 2019–2022, and its four targets, linked
to the plan the documents demo registers and measured on the demo's members.

The plan runs to the end of 2022 ("Phấn đấu đến hết 2022"), so the demo measures 2022; the
goals are the seed's (100%, ít nhất 01 lớp) and the qualification levels its wording (Đại học,
tối thiểu trung cấp lý luận chính trị).

The demo's tree is today's: the district level ended on 1/7/2025 and Dương Minh Châu's communes
left the district, so measured on the live tree its targets count nothing yet; measuring on the
tree as of the target's year (X-10) is not built.
"""

from __future__ import annotations

import datetime as dt

from doanvu.accounts.scope import Scope
from doanvu.documents.models import Document
from doanvu.org.models import Unit

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
