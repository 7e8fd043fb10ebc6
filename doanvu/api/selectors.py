"""Reads of API tokens: a user reads only their own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.common.typing import Actor

from .models import ApiToken


def tokens_of(*, user: Actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def token_get(*, user: Actor, pk: object) -> ApiToken:
    """One of the user's own tokens; 404 alike for missing and someone else's."""
    try:
        token_id = int(str(pk))
    except (TypeError, ValueError):
        raise Http404(_("Không tìm thấy khóa truy cập.")) from None
    token = (tokens_of(user=user).filter(pk=token_id).first()
             if 0 < token_id < 2**63 else None)
    if token is None:
        raise Http404(_("Không tìm thấy khóa truy cập."))
    return token
