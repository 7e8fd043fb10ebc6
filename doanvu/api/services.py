"""Writes of API tokens (issue 16, API-1). A user creates and revokes only their own tokens;
creating, revoking and the first use of each day are in the audit chain (X-4)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.audit import chain
from doanvu.audit.context import acting
from doanvu.audit.models import AuditAction
from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.text import clean_name
from doanvu.common.typing import Actor

from .models import ApiToken

KEY_PREFIX = "dv_"
PREFIX_CHARS = 11  # "dv_" and 8 characters of the key: enough to tell keys apart


class TokenError(ApplicationError):
    """A token cannot be created or revoked as asked; nothing is written."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # shown once; only its hash is kept


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def max_days() -> int:
    return int(getattr(settings, "API_TOKEN_MAX_DAYS", 365))


def _own(actor: Actor | None, user: Actor) -> None:
    if actor is None or actor.pk != user.pk:
        raise TokenError(_("Chỉ chủ tài khoản mới tạo hoặc thu hồi khóa truy cập của mình."))


@transaction.atomic
def token_create(*, actor: Actor | None, user: Actor, name: str,
                 expires_on: dt.date | None) -> NewToken:
    """A new token for `user` (the actor themself) named `name`, valid through `expires_on`
    (from today to API_TOKEN_MAX_DAYS ahead). The key is in the answer only."""
    _own(actor, user)
    name = clean_name(name or "", field="name", label=_("Tên khóa"), error=TokenError).strip()
    if not name:
        raise TokenError(_("Hãy đặt tên cho khóa (ví dụ: tên chương trình dùng nó)."),
                         field="name")
    if len(name) > 100:
        raise TokenError(_("Tên khóa dài quá 100 ký tự."), field="name")
    day, limit = today(), max_days()
    if expires_on is None:
        raise TokenError(_("Hãy chọn ngày hết hạn của khóa."), field="expires_on")
    last = day + dt.timedelta(days=limit)
    if not day <= expires_on <= last:
        raise TokenError(_("Ngày hết hạn phải từ hôm nay ({first}) đến {last} (khóa dùng được "
                           "tối đa {days} ngày).").format(first=format_date(day),
                                                         last=format_date(last), days=limit),
                         field="expires_on")
    key = KEY_PREFIX + secrets.token_urlsafe(30)
    with acting(actor):
        token = ApiToken.objects.create(user_id=user.pk, name=name, prefix=key[:PREFIX_CHARS],
                                        key_hash=key_hash(key), expires_on=expires_on)
    return NewToken(token=token, key=key)


@transaction.atomic
def token_revoke(*, actor: Actor | None, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens: it stops working at once."""
    _own(actor, token.user)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise TokenError(_("Khóa này đã bị thu hồi từ trước."))
    token.revoked_at = timezone.now()
    with acting(actor):
        token.save(update_fields=["revoked_at"])
    return token


def token_usable(token: ApiToken, *, on: dt.date | None = None) -> str:
    """"" when the token may be used on `on` (today); else why not, in Vietnamese."""
    if token.revoked_at is not None:
        return _("Khóa truy cập đã bị thu hồi.")
    if token.expires_on < (on or today()):
        return _("Khóa truy cập đã hết hạn ngày {day}: hãy tạo khóa mới.").format(
            day=format_date(token.expires_on))
    if not token.user.is_active:
        return _("Tài khoản của khóa truy cập đã bị khóa.")
    return ""


@transaction.atomic
def token_mark_used(*, token: ApiToken) -> bool:
    """Record a use of `token`: its first use of each day (local time) sets `last_used_at` and
    appends one audit record; later uses that day write nothing. True when this call recorded.

    Once a day rather than per request: every audited write takes the chain's single head
    (docs/architecture.md, "The audit chain": ~100 audited writes/s for the whole system), so
    a record per API read would make the API's reads queue behind each other on it. What a
    token changes is audited by the changed models' own records, naming the token's user."""
    now = timezone.now()
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
    won = ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=start)).update(last_used_at=now)
    if not won:
        return False
    before = chain.to_jsonable({"last_used_at": token.last_used_at})
    after = chain.to_jsonable({"last_used_at": now})
    chain.append(action=AuditAction.UPDATE, model=ApiToken._meta.label_lower,
                 object_pk=str(token.pk), object_repr=f"{token.user.username}: {token.name}",
                 unit_id=None, changes={"before": before, "after": after},
                 reason=_("Dùng khóa truy cập API (lần đầu trong ngày)"), actor=token.user)
    token.last_used_at = now
    return True
