"""SUR-3: the reports' deadlines as hub obligations.

A theme's `report_due_on` is the day its lead department owes the thematic report to the
Office (kind `sur.theme_report`, owed by the campaign's unit and the lead department, to the
campaign's unit and its Office — to the unit's leadership when the lead is the Office itself or
the unit has no Office). A campaign's `report_due_on` is the day the Office owes the compiled
mid-term review report to the campaign's unit's leadership (kind `sur.review_report`, owed by
the unit and its Office, to the unit with no department: for Trung ương Đoàn, the Secretariat).

`sync_*` create the obligation when a date is set, move its due date when the date changes and
waive it when the date is cleared; each obligation is submitted when its report document is
issued (`report_issued`, from the documents' post_save in receivers.py), on the day of issue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.audit.context import acting
from doanvu.common.dates import today
from doanvu.common.typing import Actor
from doanvu.documents.models import Document, DocumentStatus
from doanvu.hub import rules as hub_rules
from doanvu.hub import services as hub_services
from doanvu.hub.models import Obligation, ObligationStatus
from doanvu.org.models import Department, DepartmentCategory

from .models import Campaign, Theme

THEME_REPORT_KIND = "sur.theme_report"  # the hub's kind of a thematic report (a key, never shown)
REVIEW_REPORT_KIND = "sur.review_report"  # the compiled mid-term review report


def office_of(unit_id: int) -> Department | None:
    return (Department.objects.filter(unit_id=unit_id, category=DepartmentCategory.OFFICE)
            .order_by("pk").first())


def _user(actor: Actor | None) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _key(prefix: str, pk: int) -> str:
    """A fresh key per obligation of the same record (a date cleared then set again makes a new
    one; the waived one keeps its key)."""
    n = Obligation.objects.filter(key__startswith=f"{prefix}:{pk}:").count()
    return f"{prefix}:{pk}:{n + 1}"


def _issued_at(document: Document) -> dt.datetime | None:
    on = document.issued_on
    if on is None or on >= today():
        return None  # now
    return timezone.make_aware(dt.datetime.combine(on, dt.time(12)))


def _submit_if_issued(ob: Obligation, document: Document | None) -> None:
    if document is None or document.status != DocumentStatus.ISSUED or not ob.is_open():
        return
    hub_services.obligation_submit(
        actor=None, obligation=ob, at=_issued_at(document),
        text=_("Đã ban hành {doc}.").format(doc=document.symbol or document.title)[:20000])


def _sync(*, record: Theme | Campaign, due_on: dt.date | None, kind: str, kind_label: str,
          title: str, owed_by_department: Department | None,
          owed_to_department: Department | None, source_label: str,
          actor: Actor | None) -> None:
    # one save at a time per record: two at once would both make the obligation
    type(record).objects.select_for_update().filter(pk=record.pk).first()
    ob = record.report_obligation
    if ob is not None and ob.status == ObligationStatus.WAIVED:
        ob = None
    if due_on is None:
        if ob is not None and ob.is_open():  # a report already delivered stays delivered
            hub_services.obligation_waive(actor=None, obligation=ob,
                                          note=_("Bỏ hạn nộp báo cáo."))
        if record.report_obligation_id is not None:
            record.report_obligation = None
            with acting(_user(actor)):
                record.save(update_fields=["report_obligation"])
        return
    if ob is not None and ob.is_open() and (ob.owed_by_department_id, ob.owed_to_department_id) \
            != (getattr(owed_by_department, "pk", None), getattr(owed_to_department, "pk", None)):
        # the lead department changed: the old one owes nothing any more, the new one owes it
        hub_services.obligation_waive(actor=None, obligation=ob,
                                      note=_("Đổi ban chủ trì báo cáo."))
        ob = None
    if ob is not None:
        if ob.due_on != due_on:
            hub_services.obligation_reschedule(actor=None, obligation=ob,
                                               rule=hub_rules.DueRule.fixed(due_on))
        return
    unit = record.campaign.unit if isinstance(record, Theme) else record.unit
    prefix = "sur:theme-report" if isinstance(record, Theme) else "sur:review-report"
    ob = hub_services.obligation_create(
        actor=None, kind=kind, kind_label=kind_label, title=title[:255],
        owed_by_unit=unit, owed_by_department=owed_by_department, owed_to_unit=unit,
        owed_to_department=owed_to_department, rule=hub_rules.DueRule.fixed(due_on),
        source=record, source_label=source_label[:255], key=_key(prefix, record.pk))
    record.report_obligation = ob
    with acting(_user(actor)):
        record.save(update_fields=["report_obligation"])
    if record.report_id is not None:  # read afresh: the report may have been issued since
        _submit_if_issued(ob, Document.objects.filter(pk=record.report_id).first())


def sync_theme_report(theme: Theme, actor: Actor | None = None) -> None:
    """The lead department's thematic report owed to the Office by `theme.report_due_on`."""
    office = office_of(theme.campaign.unit_id)
    to = office if office is not None and office.pk != theme.lead_department_id else None
    _sync(record=theme, due_on=theme.report_due_on, kind=THEME_REPORT_KIND,
          kind_label=_("Báo cáo chuyên đề khảo sát"),
          title=_("Báo cáo chuyên đề {n}: {title}").format(n=theme.number, title=theme.title),
          owed_by_department=theme.lead_department, owed_to_department=to,
          source_label=theme.campaign.name, actor=actor)


def sync_review_report(campaign: Campaign, actor: Actor | None = None) -> None:
    """The Office's compiled mid-term review report owed to the unit's leadership."""
    _sync(record=campaign, due_on=campaign.report_due_on, kind=REVIEW_REPORT_KIND,
          kind_label=_("Báo cáo tổng hợp khảo sát, đánh giá giữa nhiệm kỳ"),
          title=_("Báo cáo tổng hợp: {name}").format(name=campaign.name),
          owed_by_department=office_of(campaign.unit_id), owed_to_department=None,
          source_label=campaign.name, actor=actor)


def report_issued(document: Document) -> int:
    """Submit the obligations of the themes and campaigns whose report `document` is (it was
    just issued). Returns how many were submitted."""
    if document.status != DocumentStatus.ISSUED:
        return 0
    done = 0
    for model in (Theme, Campaign):
        for record in (model.objects.filter(report=document, report_obligation__isnull=False)
                       .select_related("report_obligation")):
            ob = record.report_obligation
            if ob is not None and ob.is_open():
                _submit_if_issued(ob, document)
                done += 1
    return done


def report_state(due_on: dt.date | None, ob: Obligation | None,
                 day: dt.date) -> tuple[str, str]:
    """The report's timeliness for the pages (HUB-6): on time, late, not yet due (or "" when
    no date is set)."""
    if due_on is None:
        return "", ""
    if ob is not None and ob.status == ObligationStatus.WAIVED:
        return "waived", _("Được miễn")
    if ob is not None and ob.submitted_on is not None and not ob.is_open():
        if ob.submitted_on <= ob.due_on:
            return "on_time", _("Đã nộp đúng hạn")
        return "late", _("Đã nộp muộn")
    if day > due_on:
        return "missing", _("Chưa nộp, quá hạn")
    return "pending", _("Chưa đến hạn")
