"""Writes of targets: keyword-only, in a transaction, Vietnamese errors naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.common.errors import ApplicationError
from doanvu.documents.models import Document
from doanvu.org.models import Unit

from . import permissions
from .formulas import validate_params
from .models import Target, TargetEntry


class TargetError(ApplicationError):
    pass


def _goal(raw: object) -> Decimal:
    try:
        goal = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise TargetError(_("Giá trị chỉ tiêu phải là một số."), field="goal") from None
    if not goal.is_finite() or goal < 0 or goal >= Decimal("1e10"):
        raise TargetError(_("Giá trị chỉ tiêu phải là một số."), field="goal")
    return goal


@transaction.atomic
def target_create(*, scope: Scope, unit: Unit, name: str, goal: object, due_on: dt.date,
                  scope_unit: Unit, formula: str = "", params: object = None,
                  plan: Document | None = None, position: int = 1) -> Target:
    """A target `unit` sets for `scope_unit` (itself or a unit under it), measured by a
    registered formula, or by what units enter when `formula` is empty."""
    if not permissions.can_set(scope, unit):
        raise TargetError(_("Bạn không có quyền giao chỉ tiêu cho đơn vị này."), field="unit")
    if not scope_unit.path.startswith(unit.path) or not permissions.can_read(scope, scope_unit):
        raise TargetError(_("Phạm vi áp dụng phải là đơn vị giao chỉ tiêu hoặc một đơn vị "
                            "trực thuộc mà bạn quản lý."), field="scope_unit")
    if not name.strip():
        raise TargetError(_("Tên chỉ tiêu không được để trống."), field="name")
    value = _goal(goal)
    clean: dict[str, Any] = validate_params(formula, params or {}) if formula else {}
    if plan is not None and not unit.path.startswith(plan.issuing_unit.path):
        raise TargetError(_("Kế hoạch phải do đơn vị giao chỉ tiêu hoặc cấp trên ban hành."),
                          field="plan")
    return Target.objects.create(unit=unit, plan=plan, name=name.strip(), goal=value,
                                 due_on=due_on, scope_unit=scope_unit, formula=formula,
                                 params=clean, position=position)


@transaction.atomic
def target_entry_set(*, scope: Scope, target: Target, unit: Unit, value: object,
                     on: dt.date) -> TargetEntry:
    """A unit's own result for a target that units enter."""
    if not target.entered_by_units:
        raise TargetError(_("Chỉ tiêu này được tính từ dữ liệu, không nhập tay."), field="value")
    if not unit.path.startswith(target.scope_unit.path) or not permissions.can_set(scope, unit):
        raise TargetError(_("Đơn vị không thuộc phạm vi của chỉ tiêu hoặc ngoài quyền của bạn."),
                          field="unit")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise TargetError(_("Kết quả phải là một số."), field="value") from None
    if not number.is_finite() or number < 0 or number >= Decimal("1e10"):
        raise TargetError(_("Kết quả phải là một số."), field="value")
    entry, _created = TargetEntry.objects.update_or_create(
        target=target, unit=unit, defaults={"value": number, "entered_on": on})
    return entry
