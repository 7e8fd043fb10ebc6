"""Logins and passwords (issue 8, finding 7): repeated wrong passwords lock the (username,
address) pair for a while with a Vietnamese message; Django's password validators on every path
that sets a password, in Vietnamese; a page to change one's password; an account an
administrator created changes its password before anything else."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse

from doanvu.accounts import services
from doanvu.accounts.models import RoleGrant, RoleType, User
from doanvu.demo import demo_data
from tests.conftest import World, login

LOCKED = ("Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau 15 phút hoặc liên hệ "
          "quản trị.")
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
WEAK_12345678 = ("Mật khẩu quá ngắn: cần ít nhất 10 ký tự. Mật khẩu này quá phổ biến. "
                 "Mật khẩu này hoàn toàn là số.")
NEW_PASSWORD = "Cay-xanh-ben-song-2026"
LIMIT = 5  # DOANVU_LOGIN_FAILURE_LIMIT's default
COOL_OFF = dt.timedelta(minutes=15)  # DOANVU_LOGIN_LOCKOUT_MINUTES' default
ROOT = Path(__file__).resolve().parents[2]


def attempt(client: Client, username: str, password: str) -> tuple[int, str]:
    response = client.post(reverse("accounts:login"),
                           {"username": username, "password": password})
    return response.status_code, response.content.decode()


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def cool_off_passes() -> None:
    """Time moves on: the recorded failures are older than the lockout period."""
    from axes.models import AccessAttempt  # django-axes' record of failures

    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - COOL_OFF - dt.timedelta(minutes=1))


def lock(client: Client, username: str) -> list[int]:
    return [attempt(client, username, f"sai-{i}")[0] for i in range(LIMIT)]


# -- throttling and lockout ------------------------------------------------------------------


def test_sec8_wrong_passwords_lock_the_login_with_a_vietnamese_message(world: World) -> None:
    client = Client()

    statuses = lock(client, "nguoingoai")
    right_status, right_html = attempt(client, "nguoingoai", "matkhau123")

    configured = (getattr(settings, "AXES_FAILURE_LIMIT", None),
                  getattr(settings, "AXES_COOLOFF_TIME", None))
    assert statuses == [200, 200, 200, 200, 429]
    assert right_status == 429
    assert logged_in(client) is False
    assert right_html.count(LOCKED) == 1
    assert WRONG not in right_html
    assert "<h1>Đăng nhập</h1>" in right_html  # the site's login page, not axes' English text
    assert 'value="nguoingoai"' in right_html
    assert "Account locked" not in right_html
    assert configured == (LIMIT, COOL_OFF)


def test_sec8_after_the_cool_off_the_right_password_works(world: World) -> None:
    client = Client()
    lock(client, "nguoingoai")

    cool_off_passes()
    later = client.post(reverse("accounts:login"),
                        {"username": "nguoingoai", "password": "matkhau123"})

    assert (later.status_code, later["Location"]) == (302, reverse("org:home"))
    assert logged_in(client) is True


def test_sec8_lockout_is_per_username_and_address(world: World) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    lock(attacker, "nguoingoai")

    colleague = Client(REMOTE_ADDR="203.0.113.7")  # the same office, another cadre
    owner_elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    colleague_status = attempt(colleague, "bithu_tinh", "matkhau123")[0]
    owner_status = attempt(owner_elsewhere, "nguoingoai", "matkhau123")[0]
    attacker_status = attempt(attacker, "nguoingoai", "matkhau123")[0]

    assert (colleague_status, owner_status, attacker_status) == (302, 302, 429)


def test_sec8_a_success_clears_earlier_failures(world: World) -> None:
    client = Client()
    for i in range(LIMIT - 1):
        attempt(client, "nguoingoai", f"sai-{i}")
    attempt(client, "nguoingoai", "matkhau123")
    client.post(reverse("accounts:logout"))

    again = [attempt(client, "nguoingoai", f"lai-sai-{i}")[0]
             for i in range(LIMIT - 1)]

    assert again == [200] * (LIMIT - 1)


def test_sec8_administrator_unlocks_with_axes_reset(world: World) -> None:
    client = Client()
    lock(client, "nguoingoai")

    call_command("axes_reset_username", "nguoingoai", stdout=io.StringIO())
    status = attempt(client, "nguoingoai", "matkhau123")[0]

    assert status == 302


def test_sec8_hostile_login_input_is_refused_without_an_error(world: World) -> None:
    client = Client(HTTP_USER_AGENT="A" * 2000, HTTP_ACCEPT="*/*;" * 600)
    cases = [("nguoi\x00ngoai", "x"), ("nguoingoai", "x\x00"), ("x" * 150, "x"), ("ằ" * 150, "x"),
             ("x" * 151, "x"), ("' OR 1=1 --", "x")]

    statuses = [attempt(client, username, password)[0] for username, password in cases]

    assert statuses == [200] * len(cases)


def _client_address(env: dict[str, str], meta: dict[str, str]) -> str:
    code = (
        "import django, json, sys; django.setup();"
        "from django.test import RequestFactory; from axes.helpers import get_client_ip_address;"
        "print(get_client_ip_address(RequestFactory().post('/dang-nhap/', **json.loads("
        "sys.argv[1]))))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, json.dumps(meta)], cwd=ROOT, capture_output=True,
        text=True, check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "doanvu.settings.test", **env},
    )
    return run.stdout.strip()


def test_sec8_client_address_from_forwarded_for_only_behind_a_configured_proxy() -> None:
    spoofed = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}
    through_two = {"REMOTE_ADDR": "127.0.0.1",
                   "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9, 192.0.2.1"}

    direct = _client_address({"DOANVU_PROXY_COUNT": "0"}, spoofed)
    behind_one = _client_address({"DOANVU_PROXY_COUNT": "1"}, spoofed)
    behind_two = _client_address({"DOANVU_PROXY_COUNT": "2"}, through_two)
    no_header = _client_address({"DOANVU_PROXY_COUNT": "1"}, {"REMOTE_ADDR": "127.0.0.1"})

    assert (direct, behind_one, behind_two, no_header) == (
        "127.0.0.1", "203.0.113.9", "203.0.113.9", "127.0.0.1")


# -- password validators -----------------------------------------------------------------------


def new_account_form(unit_pk: int, password: str, username: str = "bithu_moi"
                     ) -> dict[str, object]:
    return {"username": username, "full_name": "Nguyễn Thị Mới", "password": password,
            "role_type": RoleType.objects.get(code="bi_thu_chi_doan").pk, "unit": unit_pk,
            "start_date": "01/01/2024"}


@pytest.mark.parametrize(("password", "message"), [
    ("12345678", WEAK_12345678),
    ("bithu_moi1", "Mật khẩu quá giống với Tên đăng nhập."),
    ("nguyenthimoi", "Mật khẩu quá giống với họ và tên."),
    ("password123", "Mật khẩu này quá phổ biến."),
])
def test_sec8_weak_initial_password_refused_beside_the_field(
        world: World, password: str, message: str) -> None:
    client = login(world.district_a_cadre)
    users, grants = User.objects.count(), RoleGrant.objects.count()

    response = client.post(reverse("accounts:grant_create"),
                           new_account_form(world.commune_a1.pk, password))

    assert response.status_code == 200
    assert response.context["form"].errors == {"password": [message]}
    assert f'<p class="error" role="alert">{message}</p>' in response.content.decode()
    assert (User.objects.count(), RoleGrant.objects.count()) == (users, grants)


def test_sec8_user_create_service_applies_the_validators(world: World) -> None:
    with pytest.raises(services.PasswordError) as refused:
        services.user_create(actor=world.admin, username="bithu_moi", full_name="Nguyễn Thị Mới",
                             password="12345678")

    assert (refused.value.message, refused.value.field) == (WEAK_12345678, "password")
    assert User.objects.filter(username="bithu_moi").exists() is False


def test_sec8_demo_password_passes_the_validators() -> None:
    for demo_login in demo_data.DEMO_LOGINS:
        user = User(username=demo_login.username, full_name=demo_login.full_name)
        assert validate_password(demo_data.PASSWORD, user) is None, demo_login.username


# -- the password-change page ------------------------------------------------------------------


def change(client: Client, old: str, new1: str, new2: str | None = None) -> object:
    return client.post(reverse("accounts:password_change"), {
        "old_password": old, "new_password1": new1,
        "new_password2": new1 if new2 is None else new2})


def test_sec8_owner_changes_own_password_and_stays_logged_in(world: World) -> None:
    client = login(world.outsider)

    page = client.get(reverse("accounts:password_change"))
    done = change(client, "matkhau123", NEW_PASSWORD)
    after = client.get(reverse("org:home"))

    world.outsider.refresh_from_db()
    assert page.status_code == 200
    assert "Mật khẩu hiện tại" in page.content.decode()
    assert (done.status_code, done["Location"]) == (302, reverse("org:home"))  # type: ignore[attr-defined]
    assert world.outsider.check_password(NEW_PASSWORD) is True
    assert after.status_code == 200
    assert "Đã đổi mật khẩu." in after.content.decode()


def test_sec8_header_links_to_the_password_change_page(world: World) -> None:
    html = login(world.outsider).get(reverse("org:home")).content.decode()

    assert f'<a href="{reverse("accounts:password_change")}">Đổi mật khẩu</a>' in html


def test_sec8_anonymous_is_sent_to_login_from_the_password_change_page(db: object) -> None:
    response = Client().get(reverse("accounts:password_change"))

    assert (response.status_code, response["Location"]) == (
        302, "/dang-nhap/?next=/doi-mat-khau/")


@pytest.mark.parametrize(("old", "new1", "new2", "errors"), [
    ("sai-mat-khau", NEW_PASSWORD, NEW_PASSWORD,
     {"old_password": ["Mật khẩu hiện tại không đúng. Hãy nhập lại."]}),
    ("matkhau123", NEW_PASSWORD, NEW_PASSWORD + "x",
     {"new_password2": ["Hai lần nhập mật khẩu mới không khớp nhau."]}),
    ("matkhau123", "12345678", "12345678",
     {"new_password2": ["Mật khẩu quá ngắn: cần ít nhất 10 ký tự.", "Mật khẩu này quá phổ biến.",
                        "Mật khẩu này hoàn toàn là số."]}),
    ("matkhau123", "matkhau123", "matkhau123",
     {"new_password1": ["Mật khẩu mới phải khác mật khẩu đang dùng."]}),
    ("", "", "", {"old_password": ["Hãy nhập thông tin này."],
                  "new_password1": ["Hãy nhập thông tin này."],
                  "new_password2": ["Hãy nhập thông tin này."]}),
])
def test_sec8_bad_password_change_is_refused_beside_the_field(
        world: World, old: str, new1: str, new2: str, errors: dict[str, list[str]]) -> None:
    client = login(world.outsider)

    response = change(client, old, new1, new2)

    world.outsider.refresh_from_db()
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.context["form"].errors == errors  # type: ignore[attr-defined]
    assert world.outsider.check_password("matkhau123") is True


# -- a forced change at first login ------------------------------------------------------------


def test_sec8_account_an_administrator_created_must_change_its_password(world: World) -> None:
    admin = login(world.district_a_cadre)
    admin.post(reverse("accounts:grant_create"),
               new_account_form(world.commune_a1.pk, "Mat-khau-ban-dau-1"))
    newcomer = Client()

    first = newcomer.post(reverse("accounts:login"),
                          {"username": "bithu_moi", "password": "Mat-khau-ban-dau-1"})
    elsewhere = [newcomer.get(url) for url in (reverse("org:home"), reverse("org:tree"),
                                               reverse("members:member_list"))]
    htmx = newcomer.get(reverse("org:tree"), headers={"HX-Request": "true"})
    page = newcomer.get(reverse("accounts:password_change"))
    done = change(newcomer, "Mat-khau-ban-dau-1", NEW_PASSWORD)
    free = newcomer.get(reverse("org:tree"))

    change_url = reverse("accounts:password_change")
    assert (first.status_code, first["Location"]) == (302, reverse("org:home"))
    assert [(r.status_code, r["Location"]) for r in elsewhere] == [(302, change_url)] * 3
    assert (htmx.status_code, htmx["HX-Redirect"]) == (200, change_url)
    assert page.status_code == 200
    assert "Mật khẩu của bạn do quản trị viên đặt." in page.content.decode()
    assert done.status_code == 302  # type: ignore[attr-defined]
    assert free.status_code == 200
    assert User.objects.get(username="bithu_moi").must_change_password is False


def test_sec8_forced_user_may_still_log_out(world: World) -> None:
    world.outsider.must_change_password = True
    world.outsider.save(update_fields=["must_change_password"])
    client = login(world.outsider)

    out = client.post(reverse("accounts:logout"))

    assert (out.status_code, out["Location"]) == (302, reverse("accounts:login"))
    assert logged_in(client) is False


def test_sec8_accounts_not_made_by_an_administrator_are_not_forced(world: World) -> None:
    call_command("createsuperuser", "--noinput", username="quantri2", email="qt@example.org",
                 stdout=io.StringIO())

    assert User.objects.get(username="quantri2").must_change_password is False
    assert login(world.outsider).get(reverse("org:home")).status_code == 200
