"""HUB-3: reminders by e-mail and in-app N days before due and on lateness; never twice."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from doanvu.hub import rules, services
from doanvu.hub.models import Notification
from doanvu.hub.services import reminders_send
from doanvu.hub.tasks import send_reminders
from tests.conftest import World, grant, login, make_user

from .conftest import make_ob

D = dt.date
T = D(2026, 3, 10)  # the day the reminders run, in these tests


@pytest.fixture
def due(world: World) -> dict[str, object]:
    world.district_a_cadre.email = "chauthanh@example.vn"
    world.district_a_cadre.save()
    w = world
    obs = {
        "in3": make_ob(by=w.district_a, to=w.province, title="Báo cáo còn 3 ngày",
                       due=T + dt.timedelta(days=3)),
        "in1": make_ob(by=w.district_a, to=w.province, title="Báo cáo còn 1 ngày",
                       due=T + dt.timedelta(days=1)),
        "late": make_ob(by=w.district_a, to=w.province, title="Báo cáo quá hạn",
                        due=T - dt.timedelta(days=2)),
        "far": make_ob(by=w.district_a, to=w.province, title="Báo cáo còn xa",
                       due=T + dt.timedelta(days=10)),
        "done": make_ob(by=w.district_a, to=w.province, title="Báo cáo đã nộp",
                        due=T + dt.timedelta(days=1)),
    }
    services.obligation_submit(actor=None, obligation=obs["done"], text="xong")  # type: ignore[arg-type]
    return obs


def test_hub3_reminders_before_due_and_on_lateness_go_to_the_owing_units_writers(
    world: World, due: dict[str, object]
) -> None:
    run = reminders_send(on=T)

    notices = list(Notification.objects.order_by("obligation__due_on")
                   .values_list("user__username", "kind", "message"))
    assert (run.notices, run.emails) == (3, 3)
    assert notices == [
        ("canbo_chauthanh", "late", "Quá hạn 2 ngày: “Báo cáo quá hạn” (hạn 08/03/2026)."),
        ("canbo_chauthanh", "before_due",
         "Còn 1 ngày đến hạn: “Báo cáo còn 1 ngày” (hạn 11/03/2026)."),
        ("canbo_chauthanh", "before_due",
         "Còn 3 ngày đến hạn: “Báo cáo còn 3 ngày” (hạn 13/03/2026)."),
    ]
    assert sorted(m.subject for m in mail.outbox) == [
        "[Đoàn Vụ] Quá hạn: Báo cáo quá hạn (hạn 08/03/2026)",
        "[Đoàn Vụ] Sắp đến hạn: Báo cáo còn 1 ngày (hạn 11/03/2026)",
        "[Đoàn Vụ] Sắp đến hạn: Báo cáo còn 3 ngày (hạn 13/03/2026)",
    ]
    assert {tuple(m.to) for m in mail.outbox} == {("chauthanh@example.vn",)}
    body = mail.outbox[0].body
    assert "Đơn vị thực hiện: Huyện đoàn Châu Thành" in body
    assert "Nộp cho: Tỉnh đoàn Tây Ninh" in body
    assert "/viec/" in body


def test_hub3_running_twice_sends_nothing_new(world: World, due: dict[str, object]) -> None:
    first = reminders_send(on=T)
    second = reminders_send(on=T)

    assert (first.notices, first.emails) == (3, 3)
    assert (second.notices, second.emails) == (0, 0)
    assert len(mail.outbox) == 3
    assert Notification.objects.count() == 3


def test_hub3_each_window_once_even_across_days(world: World, due: dict[str, object]) -> None:
    reminders_send(on=T)
    next_day = reminders_send(on=T + dt.timedelta(days=1))
    two_days = reminders_send(on=T + dt.timedelta(days=2))

    # T+1: the "3 days" obligation is 2 days away, its 3-day notice is sent; "1 day" is due
    # today and had its notice. T+2: the first is 1 day away (new window), the second is late.
    assert next_day.notices == 0
    assert two_days.notices == 2
    assert sorted(m.subject.split(":")[0] for m in mail.outbox[3:]) == [
        "[Đoàn Vụ] Quá hạn", "[Đoàn Vụ] Sắp đến hạn"]


def test_hub3_remind_days_come_from_the_policy(world: World) -> None:
    world.district_a_cadre.email = "chauthanh@example.vn"
    world.district_a_cadre.save()
    services.policy_create(unit=world.province, code="bao_cao_tuan", title="Báo cáo tuần",
                           rule=rules.DueRule.after(7, "start", "bắt đầu tuần"),
                           valid_from=D(2020, 1, 1), remind_days=[5])
    services.obligation_create(actor=None, kind="bao_cao_tuan", policy_code="bao_cao_tuan",
                               title="Báo cáo tuần 11", owed_by_unit=world.district_a,
                               owed_to_unit=world.province, events={"start": T - dt.timedelta(2)},
                               on=T)

    run = reminders_send(on=T)  # due in 5 days: the policy says remind 5 days ahead

    assert run.notices == 1
    assert mail.outbox[0].subject == "[Đoàn Vụ] Sắp đến hạn: Báo cáo tuần 11 (hạn 15/03/2026)"


def test_hub3_personal_obligation_reminds_that_person_only(world: World) -> None:
    person = make_user("can_bo_ca_nhan")
    person.email = "canhan@example.vn"
    person.save()
    grant(person, "uv_btv", world.province)
    make_ob(by=world.province, to=world.province, title="Báo cáo đi cơ sở cá nhân",
            due=T - dt.timedelta(days=1), owed_by_user=person, to_department=world.tckt)

    reminders_send(on=T)

    assert [m.to for m in mail.outbox] == [["canhan@example.vn"]]


def test_hub3_task_and_command_run_the_same_reminders(world: World,
                                                      due: dict[str, object]) -> None:
    result = send_reminders.enqueue(on=T.isoformat())
    out = StringIO()
    call_command("send_reminders", "--ngay", "10/03/2026", stdout=out)

    assert result.return_value == {"notices": 3, "emails": 3}
    assert out.getvalue().strip() == ("Nhắc hạn tại ngày 10/03/2026: 0 thông báo mới, 0 thư "
                                      "điện tử đã gửi.")
    with pytest.raises(CommandError, match="Ngày “32/13/2026” không tồn tại: không có tháng 13"):
        call_command("send_reminders", "--ngay", "32/13/2026")


def test_hub3_unread_count_in_the_nav_and_marking_read(world: World,
                                                       due: dict[str, object]) -> None:
    reminders_send(on=T)
    client = login(world.district_a_cadre)

    home = client.get(reverse("org:home")).content.decode()
    page = client.get(reverse("hub:notifications")).content.decode()
    one = Notification.objects.filter(user=world.district_a_cadre).first()
    assert one is not None
    opened = client.post(reverse("hub:notification_read", args=[one.pk]))
    after_one = client.get(reverse("org:home")).content.decode()
    client.post(reverse("hub:notifications_read_all"))
    after_all = client.get(reverse("org:home")).content.decode()
    foreign = login(world.district_b_cadre).post(
        reverse("hub:notification_read", args=[one.pk]))

    assert 'aria-label="3 thông báo chưa đọc">3</span>' in home
    assert "Quá hạn 2 ngày: “Báo cáo quá hạn” (hạn 08/03/2026)." in page
    assert (opened.status_code, opened["Location"]) == (
        302, reverse("hub:obligation_detail", args=[one.obligation_id]))
    assert 'aria-label="2 thông báo chưa đọc">2</span>' in after_one
    assert "thông báo chưa đọc" not in after_all
    assert foreign.status_code == 404


def test_hub3_reminders_cost_a_fixed_number_of_queries(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run_with(n: int, day: dt.date) -> int:
        for i in range(n):
            make_ob(by=world.district_a, to=world.province, title=f"Báo cáo {day} {i}",
                    due=day - dt.timedelta(days=1 + i % 3))
        with CaptureQueriesContext(connection) as ctx:
            assert reminders_send(on=day).notices == n
        return len(ctx.captured_queries)

    # no e-mail addresses: mailing costs one update per message sent, by design
    assert run_with(3, D(2020, 1, 10)) == run_with(30, D(2021, 1, 10))
