"""HUB-4: month and week views of deadlines and events; a per-user iCalendar feed."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from doanvu.hub import services
from doanvu.hub.ics import escape_text, fold
from doanvu.hub.models import CalendarFeed
from tests.conftest import World, login

from .conftest import at, make_ob

D = dt.date


def _world_calendar(world: World) -> None:
    make_ob(by=world.district_a, to=world.province, title="Báo cáo quý I, II; tổng hợp",
            due=D(2020, 11, 9), to_department=world.tckt)
    for unit in (world.commune_a1, world.commune_a2):
        make_ob(by=unit, to=world.district_a, title=f"Báo cáo của {unit.name}",
                due=D(2020, 11, 15), kind="bao_cao_xa", kind_label="Báo cáo kết quả đi cơ sở")
    make_ob(by=world.district_b, to=world.province, title="Báo cáo của Tân Biên",
            due=D(2020, 11, 9))
    services.calendar_entry_create(unit=world.district_a, title="Kiểm tra chuyên đề tại xã",
                                   kind="inspection", start=at(D(2020, 11, 12), 8),
                                   end=at(D(2020, 11, 12), 11), location="Đoàn xã Thái Bình")
    services.calendar_entry_create(unit=world.district_b, title="Giao ban Tân Biên",
                                   kind="meeting", start=at(D(2020, 11, 12), 8))


def test_hub4_month_view_shows_deadlines_and_events_of_the_users_units(world: World) -> None:
    _world_calendar(world)
    client = login(world.district_a_cadre)

    response = client.get(reverse("hub:calendar_month"), {"thang": "2020-11"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "Lịch tháng 11/2020" in html
    assert "Hạn nộp: Báo cáo quý I, II; tổng hợp" in html
    assert "Hạn cấp dưới nộp: Báo cáo kết quả đi cơ sở" in html
    assert "2 việc phải nộp cho Huyện đoàn Châu Thành, 2 việc chưa nộp." in html
    assert "Kiểm tra chuyên đề tại xã" in html
    assert "Tân Biên" not in html
    assert html.count('class="cal-row"') == 6  # 26/10 … 06/12/2020, Monday to Sunday


def test_hub4_month_view_accepts_vietnamese_month_and_answers_junk_kindly(world: World) -> None:
    client = login(world.district_a_cadre)

    written = client.get(reverse("hub:calendar_month"), {"thang": "11/2020"}).content.decode()
    junk = client.get(reverse("hub:calendar_month"), {"thang": "tháng mười ba"})

    assert "Lịch tháng 11/2020" in written
    assert junk.status_code == 200
    assert ("Tháng “tháng mười ba” không hợp lệ. Ví dụ: 2020-11 hoặc 11/2020."
            in junk.content.decode())


def test_hub4_week_view_lists_each_day(world: World) -> None:
    _world_calendar(world)
    client = login(world.district_a_cadre)

    html = client.get(reverse("hub:calendar_week"), {"ngay": "12/11/2020"}).content.decode()

    assert "Lịch tuần 09/11 – 15/11/2020" in html
    monday, deadline = html.index("Thứ Hai, 09/11/2020"), html.index("Hạn nộp: Báo cáo quý I, II")
    assert monday < deadline < html.index("Thứ Ba, 10/11/2020")
    assert html.index("Thứ Năm, 12/11/2020") < html.index("Kiểm tra chuyên đề tại xã")
    assert "Giao ban Tân Biên" not in html


def _unfold(body: str) -> str:
    return body.replace("\r\n ", "")


def test_hub4_ical_feed_lists_deadlines_with_escaping_and_folding(world: World) -> None:
    from doanvu.common.dates import today

    t = today()
    ob = make_ob(by=world.district_a, to=world.province, title="Báo cáo quý I, II; tổng hợp",
                 due=t + dt.timedelta(days=5), to_department=world.tckt,
                 source_label="Kế hoạch số 45-KH/TĐTN-TCKT ngày 18/4/2018 của Ban Thường vụ "
                              "Tỉnh đoàn Tây Ninh về đi công tác cơ sở")
    make_ob(by=world.district_b, to=world.province, title="Báo cáo của Tân Biên",
            due=t + dt.timedelta(days=5))
    client = login(world.district_a_cadre)
    client.post(reverse("hub:calendar_feed_settings"))
    token = CalendarFeed.objects.get(user=world.district_a_cadre).token
    settings_page = client.get(reverse("hub:calendar_feed_settings")).content.decode()

    response = Client().get(reverse("hub:calendar_feed", args=[token]))
    raw = response.content
    body = raw.decode("utf-8")
    text = _unfold(body)

    assert f"/lich/{token}.ics" in settings_page
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert "\n" not in body.replace("\r\n", "")
    assert text.count("BEGIN:VEVENT") == 1
    assert f"UID:obligation-{ob.pk}@doanvu" in text
    assert "SUMMARY:Hạn nộp: Báo cáo quý I\\, II\\; tổng hợp\r\n" in text
    assert f"DTSTART;VALUE=DATE:{ob.due_on:%Y%m%d}\r\n" in text
    assert f"DTEND;VALUE=DATE:{ob.due_on + dt.timedelta(days=1):%Y%m%d}\r\n" in text
    assert "DESCRIPTION:Huyện đoàn Châu Thành nộp cho Tỉnh đoàn Tây Ninh – Ban Tổ chức " in text
    assert "Tân Biên" not in text


def test_hub4_wrong_or_old_token_is_404(world: World) -> None:
    client = login(world.district_a_cadre)
    client.post(reverse("hub:calendar_feed_settings"))
    old = CalendarFeed.objects.get(user=world.district_a_cadre).token
    client.post(reverse("hub:calendar_feed_settings"))
    new = CalendarFeed.objects.get(user=world.district_a_cadre).token
    anonymous = Client()

    assert new != old
    assert anonymous.get(reverse("hub:calendar_feed", args=[new])).status_code == 200
    assert anonymous.get(reverse("hub:calendar_feed", args=[old])).status_code == 404
    assert anonymous.get(reverse("hub:calendar_feed", args=["x" * 43])).status_code == 404
    assert anonymous.get(reverse("hub:calendar_feed", args=["<script>"])).status_code == 404
    world.district_a_cadre.is_active = False
    world.district_a_cadre.save()
    assert anonymous.get(reverse("hub:calendar_feed", args=[new])).status_code == 404


def test_hub4_ical_text_escaping_and_folding_rules() -> None:
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    line = "SUMMARY:" + "Đoàn " * 30
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_hub4_calendar_edges_never_fail(world: World) -> None:
    client = login(world.district_a_cadre)

    answers = [client.get(reverse("hub:calendar_month"), {"thang": v}).status_code
               for v in ("2199-12", "1901-01", "9999-12", "0001-01", "2020-00", "12/2199")]
    answers += [client.get(reverse("hub:calendar_week"), {"ngay": v}).status_code
                for v in ("01/01/0001", "31/12/9999", "01/01/1901", "31/12/2199")]
    far = client.get(reverse("hub:calendar_week"), {"ngay": "01/01/0001"}).content.decode()

    assert answers == [200] * 10
    assert "Ngày 01/01/0001 nằm ngoài lịch của hệ thống." in far
