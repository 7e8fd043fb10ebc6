"""TOTP two-factor for administrators and whoever can grant roles (issue 16, hardening of X-3).

The codes are computed here from the secret the setup page shows (RFC 6238, independently of
django-otp), as the user's authenticator app would.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import struct
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from doanvu.accounts import second_factor
from doanvu.accounts.models import SecondFactorEvent, SecondFactorEventKind, User
from doanvu.accounts.permissions import requires_second_factor
from doanvu.accounts.scope import Scope
from doanvu.audit.chain import verify as audit_verify
from doanvu.audit.models import AuditRecord
from tests.conftest import World, grant, login, login_verified, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings: object) -> None:
    settings.OTP_REQUIRED = True  # type: ignore[attr-defined]


def totp(secret: str, *, at: float | None = None, step: int = 30) -> str:
    """RFC 6238 (SHA-1, 6 digits) from the base32 secret shown on the setup page."""
    key = base64.b32decode(secret.replace(" ", "").upper())
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def secret_of(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def unthrottle(user: User) -> None:
    """Let the throttle's pause pass (as the clock would)."""
    past = timezone.now() - dt.timedelta(hours=1)
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=past)
    StaticDevice.objects.filter(user=user).update(throttling_failure_timestamp=past)


def enable(user: User) -> tuple[str, list[str]]:
    """A confirmed device for `user` (through the service), its secret and recovery codes."""
    device = second_factor.setup_device(user)
    secret = secret_of(device)
    _, codes = second_factor.confirm_device(user, totp(secret))
    return secret, codes


def password_login(user: User) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"),
                           {"username": user.username, "password": "matkhau123"})
    assert response.status_code == 302
    return client


def events(user: User, kind: str) -> int:
    return SecondFactorEvent.objects.filter(user=user, kind=kind).count()


def test_x3_totp_required_for_administrators_and_grantors_not_readers(world: World) -> None:
    must = [world.admin, world.province_secretary, world.district_a_cadre]
    need_not = [world.branch_secretary, world.outsider]
    reader = make_user("nguoi_doc")
    grant(reader, "thanh_vien_doan_kiem_tra", world.province)
    need_not.append(reader)
    for user in must:
        assert requires_second_factor(Scope.for_user(user)), user.username
        response = login(user).get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:otp_setup"))
    for user in need_not:
        assert not requires_second_factor(Scope.for_user(user)), user.username
        assert login(user).get("/").status_code == 200
        # their own second-factor pages are not theirs
        assert login(user).get(reverse("accounts:otp_setup")).status_code == 404


def test_x3_totp_not_enforced_when_setting_off(world: World, settings: object) -> None:
    settings.OTP_REQUIRED = False  # type: ignore[attr-defined]
    assert login(world.admin).get("/").status_code == 200


def test_x3_totp_setup_flow_with_a_real_code(world: World) -> None:
    user = world.district_a_cadre
    client = password_login(user)
    first = client.get("/", follow=False)
    assert first["Location"].startswith(reverse("accounts:otp_setup"))
    page = client.get(first["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    svg = body[body.index("<svg"):body.index("</svg>")]
    assert "<path" in svg and "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    match = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', body)
    assert match, body
    secret = match.group(1)
    assert secret == " ".join(re.findall(".{1,4}", secret.replace(" ", "")))  # groups of four

    wrong = client.post(reverse("accounts:otp_setup"), {"code": "000000", "next": "/"})
    assert wrong.status_code == 400
    assert "Mã xác thực không đúng" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert events(user, SecondFactorEventKind.FAILED) == 1
    # at once again: the throttle refuses even a right code, in Vietnamese
    throttled = client.post(reverse("accounts:otp_setup"), {"code": totp(secret)})
    assert throttled.status_code == 400
    assert "hãy chờ" in throttled.content.decode()
    unthrottle(user)

    done = client.post(reverse("accounts:otp_setup"), {"code": totp(secret), "next": "/"})
    assert done.status_code == 302
    assert done["Location"].startswith(reverse("accounts:otp_codes"))
    codes_page = client.get(done["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", codes_page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=user)
                                   .values_list("token", flat=True))
    # shown once
    again = client.get(reverse("accounts:otp_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert client.get("/").status_code == 200
    assert events(user, SecondFactorEventKind.ENABLED) == 1
    # a second device cannot be added from the setup page once one is confirmed
    assert client.get(reverse("accounts:otp_setup"))["Location"] == reverse(
        "accounts:otp_devices")


def test_x3_totp_verify_after_login_wrong_code_refused(world: World) -> None:
    user = world.province_secretary
    secret, _ = enable(user)
    client = password_login(user)
    response = client.get(reverse("members:member_list"))
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    code = totp(secret, at=time.time() + 30)  # the next period's code: not the one just used
    right = totp(secret, at=time.time() + 30)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    refused = client.post(reverse("accounts:otp_verify"), {"code": wrong})
    assert refused.status_code == 400
    assert "Mã xác thực không đúng hoặc đã hết hạn" in refused.content.decode()
    assert client.get("/").status_code == 302
    assert events(user, SecondFactorEventKind.FAILED) == 1
    unthrottle(user)
    nxt = reverse("members:member_list")
    ok = client.post(reverse("accounts:otp_verify"), {"code": code, "next": nxt})
    assert ok.status_code == 302 and ok["Location"] == nxt
    assert client.get(nxt).status_code == 200
    assert events(user, SecondFactorEventKind.VERIFIED) == 1
    # an address elsewhere is not followed after the code
    other = password_login(user)
    unthrottle(user)
    foreign = other.post(reverse("accounts:otp_verify"),
                         {"code": totp(secret, at=time.time() + 60), "next": "https://ví.dụ/"})
    assert foreign["Location"] == reverse("org:home")


def test_x3_totp_recovery_code_is_single_use(world: World) -> None:
    user = world.admin
    _, codes = enable(user)
    client = password_login(user)
    ok = client.post(reverse("accounts:otp_verify"), {"code": codes[0].upper()})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9
    again = password_login(user)
    refused = again.post(reverse("accounts:otp_verify"), {"code": codes[0]})
    assert refused.status_code == 400
    assert "Mã dự phòng không đúng hoặc đã được dùng" in refused.content.decode()
    assert again.get("/").status_code == 302
    assert SecondFactorEvent.objects.filter(user=user, kind=SecondFactorEventKind.VERIFIED,
                                            method="recovery").count() == 1


BLOCKED = [
    ("org:home", "GET"),
    ("members:member_list", "GET"),
    ("accounts:grant_list", "GET"),
    ("accounts:grant_create", "POST"),
    ("accounts:password_change", "GET"),
    ("accounts:otp_devices", "GET"),
    ("accounts:otp_codes", "GET"),
    ("audit:log", "GET"),
]


@pytest.mark.parametrize(("route", "method"), BLOCKED)
def test_x3_totp_middleware_blocks_every_other_page(world: World, route: str,
                                                    method: str) -> None:
    user = world.district_a_cadre
    enable(user)
    client = password_login(user)
    url = reverse(route)
    response = client.get(url) if method == "GET" else client.post(url, {"username": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    if method == "GET":
        assert response["Location"].endswith("?next=" + url.replace("/", "%2F"))
    htmx = client.get(url, headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == reverse("accounts:otp_verify")
    # the verify page itself, and logout, stay open
    assert client.get(reverse("accounts:otp_verify")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_x3_totp_forced_password_change_waits_for_the_code(world: World) -> None:
    user = world.district_a_cadre
    secret, _ = enable(user)
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client = password_login(user)
    assert client.get("/")["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.get(reverse("accounts:password_change"))["Location"].startswith(
        reverse("accounts:otp_verify"))
    ok = client.post(reverse("accounts:otp_verify"),
                     {"code": totp(secret, at=time.time() + 30)})
    assert ok.status_code == 302
    assert client.get("/")["Location"] == reverse("accounts:password_change")


def test_x3_totp_own_reset_needs_a_code(world: World) -> None:
    user = world.district_a_cadre
    secret, _ = enable(user)
    client = password_login(user)
    client.post(reverse("accounts:otp_verify"), {"code": totp(secret, at=time.time() + 30)})
    page = client.get(reverse("accounts:otp_devices"))
    assert page.status_code == 200 and "Mã dự phòng còn lại" in page.content.decode()
    refused = client.post(reverse("accounts:otp_devices"), {"code": "123", "action": "reset"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    unthrottle(user)
    done = client.post(reverse("accounts:otp_devices"),
                       {"code": totp(secret, at=time.time() + 60), "action": "reset"})
    assert done["Location"] == reverse("accounts:otp_setup")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert events(user, SecondFactorEventKind.DISABLED) == 1
    # the session's verification went with the device
    assert client.get("/")["Location"].startswith(reverse("accounts:otp_setup"))


def test_x3_totp_renew_recovery_codes(world: World) -> None:
    user = world.admin
    secret, old = enable(user)
    client = password_login(user)
    client.post(reverse("accounts:otp_verify"), {"code": totp(secret, at=time.time() + 30)})
    done = client.post(reverse("accounts:otp_devices"), {"code": old[0], "action": "renew"})
    assert done["Location"].startswith(reverse("accounts:otp_codes"))
    new = re.findall(r"<li><code>([a-z2-7]+)</code></li>",
                     client.get(done["Location"]).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert events(user, SecondFactorEventKind.CODES_RENEWED) == 1


def verified(user: User) -> Client:
    """A client whose session has passed the second factor (the user gets a device)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    secret = secret_of(device) if device is not None else enable(user)[0]
    client = password_login(user)
    unthrottle(user)
    ok = client.post(reverse("accounts:otp_verify"), {"code": totp(secret, at=time.time() + 30)})
    assert ok.status_code == 302
    return client


def test_x3_totp_reset_by_outsider_administrator_refused(world: World) -> None:
    target = world.district_a_cadre
    enable(target)
    url = reverse("accounts:otp_reset_user", args=[target.pk])
    outsider_admin = verified(world.district_b_cadre)
    refused = outsider_admin.post(url)
    assert refused.status_code == 404
    assert "Châu Thành" not in refused.content.decode()
    assert TOTPDevice.objects.filter(user=target, confirmed=True).exists()
    # nor may a district administrator reset the superuser, nor a user with no role, nor a
    # plain reader reset anyone; a missing user is the same 404
    district = verified(world.district_a_cadre)
    assert district.post(reverse("accounts:otp_reset_user", args=[world.admin.pk])
                         ).status_code == 404
    assert district.post(reverse("accounts:otp_reset_user", args=[world.outsider.pk])
                         ).status_code == 404
    assert login(world.branch_secretary).post(url).status_code == 404
    assert outsider_admin.post(reverse("accounts:otp_reset_user", args=[99999])
                               ).status_code == 404
    assert outsider_admin.get(url).status_code == 405
    assert events(target, SecondFactorEventKind.RESET) == 0


def test_x3_totp_reset_by_administrator_with_reach_is_audited(world: World) -> None:
    target = world.district_a_cadre
    enable(target)
    province_admin = verified(world.province_secretary)
    done = province_admin.post(reverse("accounts:otp_reset_user", args=[target.pk]))
    assert done.status_code == 302 and done["Location"] == reverse("accounts:grant_list")
    assert not TOTPDevice.objects.filter(user=target).exists()
    event = SecondFactorEvent.objects.get(user=target, kind=SecondFactorEventKind.RESET)
    record = AuditRecord.objects.get(model="accounts.secondfactorevent", object_pk=str(event.pk))
    assert record.actor_id == world.province_secretary.pk
    assert "reset" in str(record.changes)
    # the target sets up a new device at their next login
    assert password_login(target).get("/")["Location"].startswith(reverse("accounts:otp_setup"))


def test_x3_totp_events_are_in_the_audit_chain(world: World) -> None:
    user = world.district_a_cadre
    secret, codes = enable(user)
    with pytest.raises(second_factor.SecondFactorError):
        second_factor.verify(user, "000000")
    unthrottle(user)
    second_factor.verify(user, codes[1])
    kinds = {e.kind: e.pk for e in SecondFactorEvent.objects.filter(user=user)}
    assert set(kinds) == {SecondFactorEventKind.ENABLED, SecondFactorEventKind.FAILED,
                          SecondFactorEventKind.VERIFIED}
    for kind, pk in kinds.items():
        record = AuditRecord.objects.get(model="accounts.secondfactorevent", object_pk=str(pk))
        assert record.actor_id == user.pk, kind
        assert record.object_repr == user.username
        # no secret and no code reaches the log
        assert secret.replace(" ", "") not in str(record.changes)
        assert not any(code in str(record.changes) for code in codes)
    assert audit_verify().ok
    # the log page tells them in Vietnamese
    log = login_verified(world.admin).get(reverse("audit:log")).content.decode()
    assert "sự kiện xác thực hai bước" in log
    assert "Nhập sai mã xác thực" in log and "Mã dự phòng" in log


def test_x3_totp_login_verified_helper_passes_the_middleware(world: World) -> None:
    """tests.conftest.login_verified: a session past the second factor, for tests that enforce
    it but are about something else."""
    assert login(world.admin).get("/").status_code == 302
    assert login_verified(world.admin).get("/").status_code == 200
    assert login_verified(world.district_a_cadre).get(reverse("accounts:grant_list")
                                                      ).status_code == 200


def test_x3_totp_demo_prints_what_administrators_meet() -> None:
    from doanvu.demo.management.commands.load_demo import second_factor_note

    assert "đang tắt trong bản dùng thử" in second_factor_note(required=False)
    assert "DOANVU_OTP_REQUIRED=1" in second_factor_note(required=False)
    assert "thiết lập ứng dụng xác thực" in second_factor_note(required=True)


def test_x3_totp_production_settings_require_it() -> None:
    """doanvu.settings.production requires the second factor even when the environment asks
    not to (read in a fresh interpreter, as gunicorn would)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "k" * 40,
           "DOANVU_AUDIT_KEY": "a" * 40, "DOANVU_OTP_REQUIRED": "0"}
    out = subprocess.run(
        [sys.executable, "-c", "import doanvu.settings.production as p; print(p.OTP_REQUIRED)"],
        env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
    dev = subprocess.run(
        [sys.executable, "-c", "import doanvu.settings.dev as d; print(d.OTP_REQUIRED)"],
        env={**env, "DOANVU_OTP_REQUIRED": "1"}, capture_output=True, text=True, check=True)
    assert dev.stdout.strip() == "True"
