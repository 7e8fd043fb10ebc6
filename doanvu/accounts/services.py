"""Writes of accounts and grants (X-3)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from doanvu.audit.context import acting
from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.text import clean_name
from doanvu.common.typing import Actor
from doanvu.org.models import Department, Unit

from . import permissions
from .models import Reach, RoleGrant, RoleType, User
from .scope import Scope


class GrantError(ApplicationError):
    pass


class PasswordError(ApplicationError):
    pass


def _password_check(password: str, *, user: User, field: str) -> None:
    """Django's validators (AUTH_PASSWORD_VALIDATORS), their messages in Vietnamese."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise PasswordError(" ".join(exc.messages), field=field) from exc


def _require_own_scope(actor: Actor | None, scope: Scope) -> None:
    """The scope checked must be the actor's own (a `None` actor is the system)."""
    if actor is not None and scope.user_id != actor.pk:
        raise GrantError(_("Phạm vi quản trị không phải của người thực hiện."))


@transaction.atomic
def grant_create(
    *, actor: Actor | None, scope: Scope, user: User, role_type: RoleType, unit: Unit,
    department: Department | None, start_date: dt.date, end_date: dt.date | None = None,
) -> RoleGrant:
    """Give `user` a role on `unit`; the granter must administer everything the role reaches."""
    _require_own_scope(actor, scope)
    if unit.dissolved_on is not None:
        raise GrantError(_("{unit_name} đã giải thể, không thể phân quyền.").format(
                             unit_name=unit.name), field="unit")
    if not permissions.can_grant(scope, role_type, unit):
        raise GrantError(_("Bạn không có quyền quản trị đủ phạm vi để cấp vai trò này."),
                         field="role_type")
    missing = permissions.permissions_not_held(scope, role_type, unit)
    if missing:
        raise GrantError(
            _("Không thể cấp vai trò “{role_type}”: bạn không có quyền {permissions} "
              "trên toàn bộ phạm vi của vai trò này.").format(
                role_type=role_type.name,
                permissions=', '.join(missing)), field="role_type")
    if role_type.reach == Reach.DEPARTMENT:
        if department is None:
            raise GrantError(_("Vai trò “{role_type}” cần chọn một ban.").format(
                                 role_type=role_type.name), field="department")
        if department.unit_id != unit.pk:
            raise GrantError(_("Ban đã chọn không thuộc đơn vị này."), field="department")
    elif department is not None:
        raise GrantError(_("Vai trò “{role_type}” không gắn với một ban; hãy bỏ chọn "
                           "ban.").format(role_type=role_type.name),
                         field="department")
    if end_date is not None and end_date < start_date:
        raise GrantError(_("Ngày kết thúc {end_date} trước ngày bắt đầu.").format(
                             end_date=format_date(end_date)),
                         field="end_date")
    duplicate = RoleGrant.objects.filter(
        user=user, role_type=role_type, unit=unit, department=department, end_date__isnull=True
    ).exists()
    if duplicate:
        raise GrantError(_("{user} đã có vai trò “{role_type}” tại {unit_name}.").format(
                             user=user,
                             role_type=role_type.name,
                             unit_name=unit.name),
                         field="role_type")
    with acting(actor):
        return RoleGrant.objects.create(
            user=user, role_type=role_type, unit=unit, department=department,
            start_date=start_date, end_date=end_date,
            granted_by_id=actor.pk if actor is not None else None,
        )


@transaction.atomic
def grant_end(*, actor: Actor | None, scope: Scope, grant: RoleGrant,
              on: dt.date | None = None) -> RoleGrant:
    # the same reach as granting it: a unit-reach administrator cannot end a subtree role
    _require_own_scope(actor, scope)
    if not permissions.can_grant(scope, grant.role_type, grant.unit):
        raise GrantError(_("Bạn không có quyền thu hồi vai trò này."))
    on = on or today()
    if grant.end_date is not None and grant.end_date <= on:
        raise GrantError(_("Vai trò này đã kết thúc."))
    with acting(actor):
        grant.end_date = max(on, grant.start_date)
        grant.save(update_fields=["end_date"])
    return grant


@transaction.atomic
def user_create(*, actor: Actor | None, username: str, full_name: str, password: str) -> User:
    if actor is not None and not permissions.can_manage_accounts(Scope.for_user(actor)):
        raise GrantError(_("Bạn không có quyền quản trị để tạo tài khoản."), field="username")
    username = clean_name(username, field="username", label=_("Tên đăng nhập"), error=GrantError)
    if not username:
        raise GrantError(_("Tên đăng nhập không được để trống."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise GrantError(_("Tên đăng nhập “{username}” đã có.").format(username=username),
                         field="username")
    user = User(username=username, must_change_password=True, full_name=clean_name(
        full_name, field="full_name", label=_("Họ và tên"), error=GrantError))
    _password_check(password, user=user, field="password")
    with acting(actor):
        # the administrator knows this password: the owner replaces it at first login
        user.set_password(password)
        user.save()
    return user


@transaction.atomic
def password_change(*, user: User, new_password: str) -> User:
    """The owner replaces their password (the old one already checked by the caller's form)."""
    if user.check_password(new_password):
        raise PasswordError(_("Mật khẩu mới phải khác mật khẩu đang dùng."),
                            field="new_password1")
    _password_check(new_password, user=user, field="new_password1")
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    return user
