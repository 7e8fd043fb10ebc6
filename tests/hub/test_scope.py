"""X-3 for the hub: every hub URL, asked by people it does not concern, answers 302/400/403/404/
405 (never 500) and names no unit they may not read; district A never sees district B."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from doanvu.hub import services
from doanvu.hub.models import CalendarFeed, Notification, Obligation, ObligationFile
from doanvu.org.models import Unit
from tests.conftest import login

from .conftest import Inbox

JUNK_QUERY = {"ngay": "32/13/2020", "thang": "2020-13", "ky": "quý V/2020", "trang": "abc",
              "trang_thai": "<script>", "loai": "' OR 1=1 --"}
TOO_BIG = 2**64
ALLOWED = {302, 400, 403, 404, 405}


@dataclass
class Targets:
    inbox: Inbox
    file: ObligationFile
    notification: Notification
    token: str


Filler = Callable[[Targets], list[object]]


def _obligations(t: Targets) -> list[object]:
    return [t.inbox.foreign.pk, t.inbox.late.pk, 999999, TOO_BIG]


def _units(t: Targets) -> list[object]:
    w = t.inbox.world
    return [w.district_b.pk, w.district_a.pk, w.province.pk, 999999, TOO_BIG]


def _files(t: Targets) -> list[object]:
    return [t.file.pk, 999999, TOO_BIG]


def _notifications(t: Targets) -> list[object]:
    return [t.notification.pk, 999999, TOO_BIG]


HUB_ROUTES: dict[str, dict[str, Filler]] = {
    "hub:my_work": {},
    "hub:obligation_detail": {"pk": _obligations},
    "hub:obligation_submit": {"pk": _obligations},
    "hub:obligation_accept": {"pk": _obligations},
    "hub:obligation_return": {"pk": _obligations},
    "hub:obligation_waive": {"pk": _obligations},
    "hub:obligation_remind": {"pk": _obligations},
    "hub:obligation_file": {"pk": _obligations, "file_pk": _files},
    "hub:unit_obligations": {"pk": _units},
    "hub:unit_dashboard": {"pk": _units},
    "hub:timeliness_export": {"pk": _units},
    "hub:calendar_month": {},
    "hub:calendar_week": {},
    "hub:calendar_feed_settings": {},
    "hub:calendar_feed": {"token": lambda t: [t.token[::-1], "x" * 43, "..", "%00"]},
    "hub:notifications": {},
    "hub:notifications_read_all": {},
    "hub:notification_read": {"pk": _notifications},
}


def _hub_patterns() -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}

    def walk(resolver: URLResolver, ns: str = "") -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, f"{ns}{entry.namespace}:" if entry.namespace else ns)
            elif isinstance(entry, URLPattern) and ns == "hub:":
                found[f"hub:{entry.name}"] = tuple(sorted(entry.pattern.regex.groupindex))

    walk(get_resolver())
    return found


def test_x3_hub_sweep_knows_every_hub_url() -> None:
    patterns = _hub_patterns()

    assert sorted(patterns) == sorted(HUB_ROUTES)
    assert {k: tuple(sorted(v)) for k, v in HUB_ROUTES.items()} == patterns


@pytest.fixture
def targets(inbox: Inbox, media: object, settings: object) -> Targets:
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = inbox.world
    pdf = SimpleUploadedFile("tan-bien.pdf", b"%PDF", "application/pdf")
    services.obligation_submit(actor=w.district_b_cadre, obligation=inbox.foreign, files=[pdf])
    services.reminders_send()
    notification = Notification.objects.filter(user=w.district_a_cadre).first()
    assert notification is not None
    feed = services.calendar_feed_regenerate(user=w.district_a_cadre)
    return Targets(inbox, ObligationFile.objects.get(), notification, feed.token)


def _sweep(client: Client, t: Targets, forbidden: list[str]) -> list[str]:
    problems: list[str] = []
    for name, spec in HUB_ROUTES.items():
        params = sorted(spec)
        for combo in itertools.product(*(spec[p](t) for p in params)):
            url = reverse(name, kwargs=dict(zip(params, combo, strict=True)))
            allowed = ALLOWED if params else ALLOWED | {200}
            answers = [("GET", client.get(url)), ("GET?", client.get(url, JUNK_QUERY)),
                       ("POST", client.post(url, {"text": "x", "note": "x", "quay_lai": "x"}))]
            for method, response in answers:
                body = response.content.decode("utf-8", errors="replace")
                if response.status_code not in allowed:
                    problems.append(f"{method} {url}: {response.status_code}")
                leaked = [n for n in forbidden if n in body]
                if leaked:
                    problems.append(f"{method} {url}: names {leaked}")
    return problems


def _state() -> tuple[object, ...]:
    return (list(Obligation.objects.order_by("pk").values_list("status", "reminded_on",
                                                                 "submission_text")),
            ObligationFile.objects.count(),
            list(CalendarFeed.objects.exclude(user__username__in=["nguoingoai", "bithu_chidoan"])
                 .values_list("token", flat=True)))


@pytest.mark.parametrize("who", ["outsider", "branch_secretary"])
def test_x3_hub_urls_leak_nothing_to_those_they_do_not_concern(targets: Targets,
                                                               who: str) -> None:
    w = targets.inbox.world
    user = getattr(w, who)
    readable = {w.branch_a1.pk} if who == "branch_secretary" else set()
    forbidden = list(Unit.objects.exclude(pk__in=readable).values_list("name", flat=True))
    before = _state()

    problems = _sweep(login(user), targets, forbidden)

    assert problems == []
    assert _state() == before


def test_x3_hub_urls_send_the_anonymous_to_login_except_the_feed(targets: Targets) -> None:
    client = Client()
    statuses: dict[str, set[int]] = {}
    for name, spec in HUB_ROUTES.items():
        params = sorted(spec)
        for combo in itertools.product(*(spec[p](targets) for p in params)):
            url = reverse(name, kwargs=dict(zip(params, combo, strict=True)))
            for response in (client.get(url), client.post(url)):
                statuses.setdefault(name, set()).add(response.status_code)
                if response.status_code == 302:
                    assert response["Location"].startswith("/dang-nhap/")

    feed = statuses.pop("hub:calendar_feed")
    assert feed == {404, 405}
    assert set(itertools.chain.from_iterable(statuses.values())) == {302}


def test_x3_district_a_cannot_see_district_bs_obligations(inbox: Inbox) -> None:
    w = inbox.world
    client = login(w.district_a_cadre)

    detail = client.get(reverse("hub:obligation_detail", args=[inbox.foreign.pk]))
    submit = client.post(reverse("hub:obligation_submit", args=[inbox.foreign.pk]),
                         {"text": "chen ngang"})
    calendar = client.get(reverse("hub:calendar_month"))
    own = client.get(reverse("hub:obligation_detail", args=[inbox.late.pk]))
    inbox.foreign.refresh_from_db()

    assert detail.status_code == 404
    assert submit.status_code == 404
    assert inbox.foreign.status == "open"
    assert "Tân Biên" not in calendar.content.decode()
    assert own.status_code == 200
    assert "Báo cáo B – quá hạn" in own.content.decode()


def test_x3_province_reads_both_districts_obligations(inbox: Inbox) -> None:
    client = login(inbox.world.province_secretary)

    for ob in (inbox.late, inbox.foreign, inbox.lower):
        assert client.get(reverse("hub:obligation_detail", args=[ob.pk])).status_code == 200
