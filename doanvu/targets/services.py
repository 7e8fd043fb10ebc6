"""Writes of targets: keyword-only, in a transaction, Vietnamese errors naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period
from doanvu.common.typing import Actor
from doanvu.documents.models import Document
from doanvu.org.models import Unit
from doanvu.org.selectors import subtree_paths_on

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


def _checked(*, scope: Scope, unit: Unit, name: str, goal: object, scope_unit: Unit,
             formula: str, params: object, plan: Document | None) -> tuple[str, Decimal,
                                                                       dict[str, Any]]:
    """What a target's fields must hold, for a new target and a corrected one alike."""
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
    return name.strip(), value, clean


@transaction.atomic
def target_create(*, scope: Scope, unit: Unit, name: str, goal: object, due_on: dt.date,
                  scope_unit: Unit, formula: str = "", params: object = None,
                  plan: Document | None = None, position: int = 1) -> Target:
    """A target `unit` sets for `scope_unit` (itself or a unit under it), measured by a
    registered formula, or by what units enter when `formula` is empty."""
    name, value, clean = _checked(scope=scope, unit=unit, name=name, goal=goal,
                                  scope_unit=scope_unit, formula=formula, params=params,
                                  plan=plan)
    return Target.objects.create(unit=unit, plan=plan, name=name, goal=value,
                                 due_on=due_on, scope_unit=scope_unit, formula=formula,
                                 params=clean, position=position)


@transaction.atomic
def target_update(*, scope: Scope, target: Target, name: str, goal: object, due_on: dt.date,
                  scope_unit: Unit, formula: str = "", params: object = None) -> Target:
    """Corrects a target (writers of the unit that set it). A target whose units have entered
    figures keeps being measured by what they enter: it cannot switch to a formula."""
    item = (Target.objects.select_for_update(of=("self",)).select_related("unit", "plan")
            .get(pk=target.pk))
    name, value, clean = _checked(scope=scope, unit=item.unit, name=name, goal=goal,
                                  scope_unit=scope_unit, formula=formula, params=params,
                                  plan=item.plan)
    if formula and not item.formula and item.entries.exists():
        raise TargetError(_("Các đơn vị đã nhập kết quả cho chỉ tiêu này: không đổi sang tính "
                            "theo công thức được."), field="formula")
    item.name, item.goal, item.due_on, item.scope_unit = name, value, due_on, scope_unit
    item.formula, item.params = formula, clean
    item.save(update_fields=["name", "goal", "due_on", "scope_unit", "formula", "params"])
    return item


@transaction.atomic
def target_delete(*, scope: Scope, target: Target, confirmed: bool) -> int:
    """Removes a target and the figures units entered for it, once the writer confirms it;
    refused for a target of an issued plan (the plan's record stays as issued). Each removal
    is audited. Returns how many entered figures went with it."""
    item = (Target.objects.select_for_update(of=("self",)).select_related("unit", "plan")
            .get(pk=target.pk))
    if not permissions.can_set(scope, item.unit):
        raise TargetError(_("Bạn không có quyền xóa chỉ tiêu của đơn vị này."), field="unit")
    if item.plan is not None and not item.plan.is_draft:
        raise TargetError(_("Chỉ tiêu thuộc kế hoạch đã ban hành ({plan}): không xóa được, chỉ "
                            "sửa được.").format(plan=item.plan), field="confirm")
    if not confirmed:
        raise TargetError(_("Hãy đánh dấu ô xác nhận xóa chỉ tiêu."), field="confirm")
    entries = list(item.entries.all())
    for entry in entries:
        entry.delete()  # one by one: each removal is audited
    item.delete()
    return len(entries)


@transaction.atomic
def target_entry_set(*, scope: Scope, target: Target, unit: Unit, value: object,
                     on: dt.date) -> TargetEntry:
    """A unit's own result for a target that units enter."""
    if not target.entered_by_units:
        raise TargetError(_("Chỉ tiêu này được tính từ dữ liệu, không nhập tay."), field="value")
    # under the scope as the tree stood on the target's measurement day
    day = min(on, target.due_on)
    under = unit.pk in subtree_paths_on(unit=target.scope_unit, day=day)
    if not under or not permissions.can_set(scope, unit):
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


@transaction.atomic
def report_document_create(*, actor: Actor | None, scope: Scope, unit: Unit, period: Period,
                           body: str) -> Document:
    """The semi-annual or annual report (seed 003 §6) as a draft "Báo cáo" of `unit`, through
    the documents app (its Union format, DOCX and PDF, numbering on issue). The writer edits
    and issues it there. Refused for a unit the user does not write, and by documents for a
    unit no longer standing."""
    from doanvu.documents import markup
    from doanvu.documents.models import DocumentType
    from doanvu.documents.services import document_create

    from .reports import report_title

    if not permissions.can_set(scope, unit):
        raise TargetError(_("Bạn không có quyền lập báo cáo của đơn vị này."), field="kind")
    doc_type = DocumentType.objects.filter(code="bao_cao").first()
    if doc_type is None:
        raise TargetError(_("Chưa có loại văn bản Báo cáo trong danh mục."), field="kind")
    try:
        return document_create(actor=actor, issuing_unit=unit, doc_type=doc_type,
                               title=report_title(period), body=markup.parse_body(body),
                               recipients=[_("Ban Thường vụ đoàn cấp trên"), _("Lưu VP")])
    except ApplicationError as exc:
        raise TargetError(exc.message, field="kind") from None
