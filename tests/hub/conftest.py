"""Hub fixtures: obligations around the shared `world`, created through the hub services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from doanvu.common.dates import today
from doanvu.common.periods import Period
from doanvu.hub import rules, services
from doanvu.hub.models import Obligation
from doanvu.org.models import Department, Unit
from tests.conftest import World


def make_ob(*, by: Unit, to: Unit, title: str, due: dt.date, kind: str = "bao_cao_quy",
            kind_label: str = "Báo cáo quý", by_department: Department | None = None,
            to_department: Department | None = None, period: Period | None = None,
            **extra: object) -> Obligation:
    return services.obligation_create(
        actor=None, kind=kind, kind_label=kind_label, title=title, owed_by_unit=by,
        owed_to_unit=to, owed_by_department=by_department, owed_to_department=to_department,
        rule=rules.DueRule.fixed(due), period=period, **extra,  # type: ignore[arg-type]
    )


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@dataclass
class Inbox:
    """What Huyện đoàn Châu Thành owes the province, relative to today."""

    world: World
    upcoming: Obligation  # due in 5 days
    late: Obligation  # 3 days late
    very_late: Obligation  # 10 days late
    due_today: Obligation
    lower: Obligation  # owed by a commune to the district: not the district cadre's own work
    submitted: Obligation
    foreign: Obligation  # Huyện đoàn Tân Biên's


@pytest.fixture
def inbox(world: World) -> Inbox:
    t = today()
    w = world
    province = w.province
    ups = make_ob(by=w.district_a, to=province, title="Báo cáo A – còn hạn",
                  due=t + dt.timedelta(days=5))
    late = make_ob(by=w.district_a, to=province, title="Báo cáo B – quá hạn",
                   due=t - dt.timedelta(days=3), to_department=w.tckt)
    very_late = make_ob(by=w.district_a, to=province, title="Báo cáo C – quá hạn lâu",
                        due=t - dt.timedelta(days=10))
    due_today = make_ob(by=w.district_a, to=province, title="Báo cáo D – hạn hôm nay", due=t)
    lower = make_ob(by=w.commune_a1, to=w.district_a, title="Báo cáo của xã Thái Bình",
                    due=t - dt.timedelta(days=20))
    submitted = make_ob(by=w.district_a, to=province, title="Báo cáo E – đã nộp",
                        due=t - dt.timedelta(days=30))
    services.obligation_submit(actor=w.district_a_cadre, obligation=submitted, text="Đã xong.")
    foreign = make_ob(by=w.district_b, to=province, title="Báo cáo của Huyện đoàn Tân Biên",
                      due=t - dt.timedelta(days=1))
    return Inbox(w, ups, late, very_late, due_today, lower, submitted, foreign)


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path
