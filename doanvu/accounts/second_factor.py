"""The second factor (issue 16): TOTP devices and single-use recovery codes (django-otp), and the
events the audit chain keeps of them (docs/architecture.md "Second factor").

The devices are django-otp's own rows (`TOTPDevice`, `StaticDevice` + `StaticToken`): they hold
the secret and change on every use (drift, throttling), so they are not audited; each enabling,
renewal, reset and verification is a `SecondFactorEvent`, which is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from doanvu.audit.context import acting
from doanvu.common.errors import ApplicationError
from doanvu.common.typing import Actor

from .models import SecondFactorEvent, SecondFactorEventKind, SecondFactorMethod, User

TOTP_NAME = "totp"
RECOVERY_NAME = "recovery"
_SPACES = re.compile(r"[\s-]+")


class SecondFactorError(ApplicationError):
    pass


@dataclass(frozen=True)
class Status:
    totp: TOTPDevice | None
    recovery_left: int

    @property
    def enabled(self) -> bool:
        return self.totp is not None


def status(user: User) -> Status:
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return Status(totp=totp, recovery_left=left)


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _event(user: User, kind: SecondFactorEventKind, *, actor: Actor | None,
           method: SecondFactorMethod | str = "") -> None:
    with acting(actor):
        SecondFactorEvent.objects.create(user=user, kind=kind, method=method)


def _throttled(device: Device) -> str | None:
    """The Vietnamese answer while django-otp's throttle refuses every code for `device`."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    until = (data or {}).get("locked_until")
    seconds = 1
    if isinstance(until, dt.datetime):
        seconds = max(1, int((until - timezone.now()).total_seconds() + 0.999))
    return _("Bạn đã nhập sai mã nhiều lần liên tiếp; hãy chờ {seconds} giây rồi nhập lại "
             "mã mới.").format(seconds=seconds)


def _clean(code: str) -> str:
    return _SPACES.sub("", code or "").lower()


def setup_device(user: User) -> TOTPDevice:
    """The unconfirmed TOTP device a user is setting up (the same one until confirmed, so the
    QR code does not change on every reload). Refused once a device is confirmed: a second one
    would let whoever holds only the password add their own."""
    if has_confirmed_device(user):
        raise SecondFactorError(_("Tài khoản đã có ứng dụng xác thực; hãy đặt lại trước khi "
                                  "thiết lập ứng dụng khác."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < settings.OTP_RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def confirm_device(user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the device being set up with a code from the app; returns it and the new
    recovery codes (shown once). A wrong code is refused (and counted by the throttle, after
    the transaction that recorded it commits)."""
    pending = setup_device(user)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=pending.pk)
        refused = _throttled(device)
        if refused is None:
            if device.verify_token(_clean(code)):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                codes = _new_recovery_codes(user)
                _event(user, SecondFactorEventKind.ENABLED, actor=user,
                       method=SecondFactorMethod.TOTP)
                return device, codes
            _event(user, SecondFactorEventKind.FAILED, actor=user, method=SecondFactorMethod.TOTP)
            refused = _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã 6 chữ số đang hiện "
                        "trong ứng dụng.")
    raise SecondFactorError(refused, field="code")


def verify(user: User, code: str) -> Device:
    """The device that accepts `code`: the app's 6-digit code, or one recovery code (used up).
    Every answer is an event in the audit chain; a wrong code raises in Vietnamese.

    The device row is locked while the code is checked, so one code (a recovery code, or a
    TOTP period's code) opens at most one session however many requests send it at once; the
    refusal is raised after that transaction commits, so the throttle's count and the event of
    a wrong code stay."""
    code = _clean(code)
    if not code:
        raise SecondFactorError(_("Hãy nhập mã xác thực."), field="code")
    if not has_confirmed_device(user):
        raise SecondFactorError(_("Tài khoản chưa thiết lập xác thực hai bước."), field="code")
    recovery = not code.isdigit()
    method = SecondFactorMethod.RECOVERY if recovery else SecondFactorMethod.TOTP
    model: type[Device] = StaticDevice if recovery else TOTPDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            refused: str | None = _("Tài khoản không còn mã dự phòng nào; hãy nhập mã 6 chữ số "
                                    "trong ứng dụng.")
        else:
            refused = _throttled(device)
        if refused is None and device is not None:
            if device.verify_token(code):
                _event(user, SecondFactorEventKind.VERIFIED, actor=user, method=method)
                return device
            _event(user, SecondFactorEventKind.FAILED, actor=user, method=method)
            refused = (_("Mã dự phòng không đúng hoặc đã được dùng.") if recovery else
                       _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã 6 chữ số đang "
                         "hiện trong ứng dụng."))
    raise SecondFactorError(str(refused), field="code")


def renew_recovery_codes(user: User, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), after the user enters a code again.
    The check is outside the transaction: a wrong code stays counted and recorded."""
    verify(user, code)
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        _event(user, SecondFactorEventKind.CODES_RENEWED, actor=user)
    return codes


def reset_own(user: User, code: str) -> None:
    """The user removes their own devices after entering a code again; who must use a second
    factor is sent to set one up anew."""
    verify(user, code)
    with transaction.atomic():
        _remove_devices(user)
        _event(user, SecondFactorEventKind.DISABLED, actor=user)


@transaction.atomic
def reset_for(*, actor: Actor, user: User) -> None:
    """An administrator with reach (selectors.second_factor_reset_target) resets another user's
    second factor: their next login sets up a new one."""
    if actor.pk == user.pk:
        raise SecondFactorError(_("Hãy tự đặt lại xác thực hai bước của mình ở trang thiết bị."))
    _remove_devices(user)
    _event(user, SecondFactorEventKind.RESET, actor=actor)


def _remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
