"""Component requests (EMU-2; seed 001 §III.3): the issuing unit asks one of its departments —
or an affiliated body, which is a department of the unit too — for the component results of
named criteria of a rubric by a date. Seed 001: "Ban Thiếu nhi Thành đoàn phối hợp Nhà Thiếu nhi
Thành phố đánh giá … gửi về Văn phòng Thành đoàn chậm nhất ngày 04/11/2020"; "Ban Thư ký Hội
LHTN Việt Nam Thành phố … gửi về các đoàn kiểm tra chậm nhất ngày 04/11/2020"; "Văn phòng Thành
Đoàn cung cấp … kết quả chấm điểm khu vực Trường học … năm học 2019 – 2020".

Creating a request gives the department a hub obligation ("Kết quả thành phần thi đua") due that
day: it is in its cadres' "Việc của tôi" and counted for timeliness. When a component file
(components.component_import) covering every criterion of the request is imported, the system
delivers the obligation naming the file, on the day of the import — after the due date it counts
late — and the request keeps the import that delivered it. A file covering only some of the
criteria delivers nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from doanvu.audit.context import acting
from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.text import strip_hidden
from doanvu.common.typing import Actor
from doanvu.hub import rules as hub_rules
from doanvu.hub import services as hub_services
from doanvu.hub.models import DONE_STATUSES, OPEN_STATUSES, ObligationStatus
from doanvu.org.models import Department

from . import permissions
from .models import ComponentImport, ComponentRequest, Criterion, Rubric, RubricState

REQUEST_KIND = "emu.component_results"


class ComponentRequestError(ApplicationError):
    """A component request refused: no criteria, no date, a department or criterion that is
    not the rubric's."""


def _key(request: ComponentRequest) -> str:
    return f"emu:component-request:{request.pk}"


def _user_id(actor: Actor | None) -> int | None:
    from doanvu.accounts.models import User

    return actor.pk if isinstance(actor, User) else None


def _codes(criteria: Sequence[Criterion]) -> str:
    return ", ".join(c.code for c in criteria)


@transaction.atomic
def component_request_create(*, actor: Actor | None, rubric: Rubric,
                             criteria: Sequence[Criterion], owed_by: Department | None,
                             due_on: dt.date | None, owed_to: Department | None = None,
                             title: str = "") -> ComponentRequest:
    """Ask `owed_by` for the results of `criteria` by `due_on` (sent to `owed_to`, or to the
    issuing unit). Every problem is refused naming its field; nothing is written then."""
    permissions.require(actor, rubric.issuing_unit)
    if rubric.state == RubricState.CLOSED:
        raise ComponentRequestError(_("Thang điểm đã kết thúc năm thi đua: không yêu cầu kết "
                                      "quả thành phần được nữa."))
    criteria = list({c.pk: c for c in criteria}.values())
    if not criteria:
        raise ComponentRequestError(_("Hãy chọn ít nhất một tiêu chí."), field="criteria")
    foreign = [c for c in criteria if c.area.rubric_id != rubric.pk]
    if foreign:
        raise ComponentRequestError(_("Tiêu chí {codes} không thuộc thang điểm “{rubric}”.")
                                    .format(codes=_codes(foreign), rubric=rubric.name),
                                    field="criteria")
    unit = rubric.issuing_unit
    if owed_by is None:
        raise ComponentRequestError(_("Hãy chọn ban, đơn vị thực hiện."), field="owed_by")
    for dep, field in ((owed_by, "owed_by"), (owed_to, "owed_to")):
        if dep is None:
            continue
        if dep.unit_id != unit.pk:
            raise ComponentRequestError(_("{name} không phải là ban, đơn vị trực thuộc của "
                                          "{unit}.").format(name=dep.name, unit=unit.name),
                                        field=field)
        if dep.valid_to is not None:
            raise ComponentRequestError(_("{name} đã thôi hoạt động từ {date}.").format(
                name=dep.name, date=format_date(dep.valid_to)), field=field)
    if owed_to is not None and owed_to.pk == owed_by.pk:
        raise ComponentRequestError(_("Ban thực hiện và ban nhận kết quả không thể là một."),
                                    field="owed_to")
    if due_on is None:
        raise ComponentRequestError(_("Hãy ghi hạn gửi kết quả."), field="due_on")
    if due_on.year < rubric.year:
        raise ComponentRequestError(_("Hạn gửi kết quả của năm thi đua {year} không thể trước "
                                      "năm {year}.").format(year=rubric.year), field="due_on")
    codes = sorted({c.code for c in criteria},
                   key=lambda code: [int(p) if p.isdigit() else 0 for p in code.split(".")])
    pending = [r for r in ComponentRequest.objects.filter(rubric=rubric, delivered_by__isnull=True)
               .select_related("obligation")
               if r.obligation is None or r.obligation.status in OPEN_STATUSES]
    for other in pending:
        twice = sorted(set(codes) & set(other.criterion_codes))
        if twice:
            raise ComponentRequestError(_("Tiêu chí {codes} đã được yêu cầu trong “{title}” "
                                          "(chưa nộp).").format(codes=", ".join(twice),
                                                                title=other.title),
                                        field="criteria")
    title = strip_hidden(title or "").strip()[:255] or _(
        "Kết quả thành phần thi đua năm {year}: tiêu chí {codes}").format(
            year=rubric.year, codes=", ".join(codes))[:255]
    with acting(actor):
        request = ComponentRequest.objects.create(
            rubric=rubric, title=title, criterion_codes=codes, owed_by=owed_by, owed_to=owed_to,
            due_on=due_on, by_id=_user_id(actor))
    ob = hub_services.obligation_create(
        actor=None, kind=REQUEST_KIND, kind_label=_("Kết quả thành phần thi đua"),
        title=title, owed_by_unit=unit, owed_by_department=owed_by, owed_to_unit=unit,
        owed_to_department=owed_to, rule=hub_rules.DueRule.fixed(due_on), source=request,
        source_label=rubric.name[:255], key=_key(request))
    request.obligation = ob
    with acting(actor):
        request.save(update_fields=["obligation"])
    return request


def deliver(*, imp: ComponentImport, codes: Iterable[str], at: dt.datetime) -> list[
        ComponentRequest]:
    """Called inside the import's transaction: the requests of the rubric whose criteria the
    file covers, not yet linked to a file, are linked to it; their open obligations are
    delivered by the system (at `at`, the import's time)."""
    covered = set(codes)
    done: list[ComponentRequest] = []
    for request in (ComponentRequest.objects.select_for_update(of=("self",))
                    .filter(rubric_id=imp.rubric_id, delivered_by__isnull=True)
                    .select_related("obligation").order_by("pk")):
        if not request.criterion_codes or not set(request.criterion_codes) <= covered:
            continue
        request.delivered_by = imp
        request.save(update_fields=["delivered_by"])
        ob = request.obligation
        if ob is not None and ob.status in OPEN_STATUSES:
            hub_services.obligation_submit(actor=None, obligation=ob, at=at, text=_(
                "Đã nhập tệp “{name}” ({title}, {n} dòng) trên phần mềm: có kết quả các tiêu "
                "chí {codes}.").format(name=imp.original_name, title=imp.title, n=imp.rows,
                                       codes=", ".join(request.criterion_codes)))
        done.append(request)
    return done


# -- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRow:
    request: ComponentRequest
    criteria: list[Criterion]
    state: str  # "chua_nop", "da_nop", "qua_han", "mien"
    label: str
    late: bool = False  # delivered after the due date


def request_rows(*, rubric: Rubric, on: dt.date | None = None) -> list[RequestRow]:
    """The rubric's requests with their criteria and their state on `on` (today)."""
    day = on or today()
    by_code = {c.code: c for c in Criterion.objects.filter(area__rubric=rubric)
               .select_related("area")}
    rows: list[RequestRow] = []
    for r in (ComponentRequest.objects.filter(rubric=rubric)
              .select_related("owed_by", "owed_to", "obligation", "delivered_by")
              .order_by("due_on", "pk")):
        ob = r.obligation
        if ob is not None and ob.status in DONE_STATUSES:
            state = "da_nop"
            label = _("Đã nộp {date}").format(date=format_date(ob.submitted_on)) \
                if ob.submitted_on else _("Đã nộp")
            if ob.is_late(day):
                label = _("{label} (muộn {n} ngày)").format(label=label, n=ob.days_late(day))
        elif ob is not None and ob.status == ObligationStatus.WAIVED:
            state, label = "mien", str(ob.get_status_display())
        elif r.due_on < day:
            state = "qua_han"
            label = _("Quá hạn {n} ngày").format(n=(day - r.due_on).days)
        else:
            state, label = "chua_nop", _("Chưa nộp")
        rows.append(RequestRow(r, [by_code[c] for c in r.criterion_codes if c in by_code],
                               state, label, state == "da_nop" and ob is not None
                               and ob.is_late(day)))
    return rows
