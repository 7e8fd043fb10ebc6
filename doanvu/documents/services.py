"""Every write to documents: compose and edit drafts, issue with the next number (DOC-2), and
register a document issued before the system existed with its own number.

Issuing delivers the document to the units it is addressed to (`DocumentAddress`, groups
expanded as the tree stood on the issue date) as `DocumentRecipient` rows; a reporting
deadline asks the hub, through `common.signals.obligations_requested`, for one obligation per
recipient unit. `document_open` records a recipient unit's first opening.

Numbers run per issuing unit, year and type. Issuing locks the (unit, year, type) counter row
with SELECT … FOR UPDATE, so concurrent issuing waits its turn and never reuses a number; the
unique constraint on (unit, year, type, number) is the last line of defence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.audit.context import acting
from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.signals import ObligationRequest, obligations_requested
from doanvu.common.text import clean_name, fold
from doanvu.common.typing import Actor
from doanvu.org.models import Department, Unit

from . import addressing, markup, permissions, selectors
from .addressing import Address
from .models import (
    Document,
    DocumentAddress,
    DocumentCounter,
    DocumentRecipient,
    DocumentStatus,
    DocumentType,
    RecipientGroup,
)

MAX_ADDRESSES = 200


class DocumentError(ApplicationError):
    pass


class DocumentNotDraft(DocumentError):
    pass


class DocumentNotReady(DocumentError):
    """Issuing refused: something an issued document must carry is missing."""


class NumberTaken(DocumentError):
    pass


class DocumentScopeError(DocumentError):
    """The actor may not make this change (the service's own check, X-3)."""


def _require(actor: Actor | None, allowed: Callable[[Scope], bool]) -> None:
    """Refuse an actor whose scope does not allow the change; `None` is the system."""
    if actor is not None and not allowed(Scope.for_user(actor)):  # type: ignore[arg-type]
        raise DocumentScopeError(_("Văn bản này không thuộc phạm vi bạn được cập nhật."))


# -- the symbol -------------------------------------------------------------------------------


def format_symbol(*, number: int | None, abbreviation: str, body_code: str,
                  department_code: str = "") -> str:
    """ "45-KH/TĐTN-TCKT": number-type/body[-department]; a draft leaves the number blank."""
    code = f"{body_code}-{department_code}" if department_code else body_code
    return f"{number if number is not None else ''}-{abbreviation}/{code}"


def document_symbol(document: Document) -> str:
    """The stored symbol of an issued document, or the symbol the draft will get."""
    if document.symbol:
        return document.symbol
    dept = document.department.short_name if document.department_id else ""  # type: ignore[union-attr]
    return format_symbol(number=document.number, abbreviation=document.doc_type.abbreviation,
                         body_code=document.body_code, department_code=dept)


# -- defaults for a new draft -------------------------------------------------------------------


@dataclass(frozen=True)
class Defaults:
    header_upper: str
    header_body: str
    body_code: str
    place: str
    signer_on_behalf: str


def defaults_for(unit: Unit) -> Defaults:
    """What a new draft of the unit starts with: its latest document's header, else the unit's."""
    last = (Document.objects.filter(issuing_unit=unit)
            .order_by("-updated_at", "-pk")
            .values("header_upper", "header_body", "body_code", "place", "signer_on_behalf")
            .first())
    if last:
        return Defaults(**last)
    return Defaults(
        header_upper=_("BAN CHẤP HÀNH {unit}").format(unit=unit.name.upper()),
        header_body="",
        body_code=unit.short_name,
        place=unit.place,
        signer_on_behalf=_("TM. BAN THƯỜNG VỤ"),
    )


# -- cleaning ---------------------------------------------------------------------------------


def _text(value: str | None, *, field: str, label: str, max_length: int,
          required: bool = False) -> str:
    text = markup.clean_line(value or "")
    if required and not text:
        raise DocumentError(_("Hãy nhập {label}.").format(label=label), field=field)
    if len(text) > max_length:
        raise DocumentError(_("{label_capitalize} dài quá {max_length} ký tự.").format(
                                label_capitalize=label.capitalize(),
                                max_length=max_length), field=field)
    return text


def _lines(values: Iterable[str] | None, *, field: str, label: str,
           strip_dash: bool = False) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        raise DocumentError(_("{label_capitalize} phải là danh sách dòng.").format(
                                label_capitalize=label.capitalize()), field=field)
    out = []
    for value in values:
        line = markup.clean_line(value)
        if strip_dash:
            line = line.removeprefix("- ").removeprefix("-").strip()
        if line:
            if len(line) > 1000:
                raise DocumentError(_("Một dòng {label} dài quá 1000 ký tự.").format(label=label),
                                    field=field)
            out.append(line)
    return out


def _sections(value: object) -> list[dict[str, Any]]:
    try:
        return markup.clean_sections(value or [])
    except markup.MarkupError as exc:
        raise DocumentError(_("Nội dung không hợp lệ: {exc}.").format(exc=exc),
                            field="body") from None


def _check_department(unit: Unit, department: Department | None) -> None:
    if department is not None and department.unit_id != unit.pk:
        raise DocumentError(_("{department_name} không phải là ban của {unit_name}.").format(
                                department_name=department.name,
                                unit_name=unit.name),
                            field="department")


def _check_issue_date(unit: Unit, on: dt.date, *, field: str = "issued_on") -> None:
    if on > today():
        raise DocumentError(_("Ngày ban hành {date} ở tương lai.").format(
                                date=format_date(on)), field=field)
    if on < unit.founded_on:
        raise DocumentError(
            _("Ngày ban hành {date} trước ngày thành lập của {unit_name} "
              "({founded_on}).").format(
                date=format_date(on),
                unit_name=unit.name,
                founded_on=format_date(unit.founded_on)), field=field)
    if unit.dissolved_on is not None and on >= unit.dissolved_on:
        raise DocumentError(
            _("{unit_name} không còn hoạt động từ {dissolved_on}: không ban "
              "hành văn bản ngày {date}.").format(
                unit_name=unit.name,
                dissolved_on=format_date(unit.dissolved_on),
                date=format_date(on)), field=field)


def _content(*, unit: Unit, title: str, header_upper: str | None, header_body: str | None,
             body_code: str | None, place: str | None, legal_bases: Iterable[str] | None,
             body: object, closing: Iterable[str] | None, recipients: Iterable[str] | None,
             signer_on_behalf: str | None, signer_title: str | None,
             signer_name: str | None) -> dict[str, Any]:
    d = defaults_for(unit)
    return {
        "title": markup.plain(_text(title, field="title", label=_("trích yếu (tên) văn bản"),
                                    max_length=500, required=True)),
        "header_upper": _text(d.header_upper if header_upper is None else header_upper,
                              field="header_upper", label=_("tên cơ quan cấp trên"),
                              max_length=200, required=True),
        "header_body": _text(d.header_body if header_body is None else header_body,
                             field="header_body", label=_("tên cơ quan ban hành"), max_length=200),
        "body_code": _text(d.body_code if body_code is None else body_code, field="body_code",
                           label=_("ký hiệu cơ quan ban hành"), max_length=40, required=True),
        "place": _text(d.place if place is None else place, field="place", label=_("địa danh"),
                       max_length=120, required=True),
        "legal_bases": _lines(legal_bases, field="legal_bases", label=_("căn cứ")),
        "body": _sections(body),
        "closing": _lines(closing, field="closing", label=_("đoạn kết")),
        "recipients": _lines(recipients, field="recipients", label=_("nơi nhận khác"),
                             strip_dash=True),
        "signer_on_behalf": _text(
            d.signer_on_behalf if signer_on_behalf is None else signer_on_behalf,
            field="signer_on_behalf", label=_("thẩm quyền ký"), max_length=200),
        "signer_title": _text(signer_title, field="signer_title", label=_("chức vụ người ký"),
                              max_length=120),
        "signer_name": _text(clean_name(signer_name or "", field="signer_name",
                                        label=_("Họ tên người ký"), error=DocumentError),
                             field="signer_name", label=_("họ tên người ký"), max_length=120),
    }


def _folded(document: Document, symbol: str) -> str:
    return fold(f"{symbol} {document.title}")[:800]


def _check_ready(document: Document, *, has_addresses: bool) -> None:
    missing = []
    fields = []
    if not document.signer_title:
        missing.append(_("chức vụ người ký"))
        fields.append("signer_title")
    if not document.signer_name:
        missing.append(_("họ tên người ký"))
        fields.append("signer_name")
    if not document.recipients and not has_addresses:
        missing.append(_("nơi nhận"))
        fields.append("recipients")
    if missing:
        raise DocumentNotReady(
            _("Chưa ban hành được: văn bản còn thiếu {missing}. Bản nháp vẫn được giữ "
              "nguyên.").format(missing=", ".join(missing)), field=fields[0])


# -- addressees ("Nơi nhận") and what they owe --------------------------------------------------


def _live_on(unit: Unit, day: dt.date) -> bool:
    return unit.founded_on <= day and (unit.dissolved_on is None or unit.dissolved_on > day)


def _clean_addresses(actor: Actor | None, unit: Unit, addresses: Sequence[Address],
                     *, on: dt.date | None = None) -> list[Address]:
    """The addressees, each once, checked: a live unit (on `on`, else today), not the issuer
    itself, and one the actor may address — a unit in their reach, or one above the issuer
    (a report to the province)."""
    if isinstance(addresses, str):
        raise DocumentError(_("Nơi nhận phải là danh sách đơn vị."), field="recipient_units")
    if len(addresses) > MAX_ADDRESSES:
        raise DocumentError(_("Một văn bản gửi tối đa {n} nơi nhận là đơn vị hoặc nhóm.").format(
                                n=MAX_ADDRESSES), field="recipient_units")
    scope = Scope.for_user(actor) if actor is not None else None  # type: ignore[arg-type]
    out: list[Address] = []
    for a in addresses:
        group = a.group or RecipientGroup.UNIT
        if group not in RecipientGroup.values:
            raise DocumentError(_("Nhóm nơi nhận không hợp lệ."), field="recipient_units")
        target = a.unit
        if group == RecipientGroup.UNIT and target.pk == unit.pk:
            raise DocumentError(_("Đơn vị ban hành không là nơi nhận của chính văn bản."),
                                field="recipient_units")
        if not (_live_on(target, on) if on is not None else target.dissolved_on is None):
            raise DocumentError(_("{unit_name} không còn hoạt động: không gửi văn bản tới "
                                  "được.").format(unit_name=target.name), field="recipient_units")
        if scope is not None and not permissions.can_address(scope, unit, target, group=group):
            raise DocumentError(_("Không tìm thấy đơn vị nơi nhận đã chọn."),
                                field="recipient_units")
        label = _text(a.label, field="recipient_units", label=_("tên nơi nhận"), max_length=255)
        if all((o.unit.pk, o.group) != (target.pk, group) for o in out):
            out.append(Address(unit=target, group=group, label=label))
    return out


def _save_addresses(document: Document, addresses: list[Address]) -> None:
    kept = {(a.unit_id, a.group): a.label for a in document.addresses.all()}
    document.addresses.all().delete()
    DocumentAddress.objects.bulk_create([
        DocumentAddress(document=document, unit=a.unit, group=a.group, order=i,
                        label=a.label or kept.get((a.unit.pk, a.group), ""))
        for i, a in enumerate(addresses)
    ])


def _report(report_due_on: dt.date | None, report_title: str | None) -> dict[str, Any]:
    return {"report_due_on": report_due_on,
            "report_title": _text(report_title, field="report_title", label=_("nội dung báo cáo"),
                                  max_length=255)}


def _deliver(actor: Actor | None, document: Document, on: dt.date) -> list[DocumentRecipient]:
    """Issued: each addressee unit receives it (groups as the tree stood on `on`), labels are
    frozen as printed, and a reporting deadline becomes one obligation per live recipient."""
    addresses = list(document.addresses.select_related("unit__kind"))
    for a in addresses:
        if a.group == RecipientGroup.UNIT and not _live_on(a.unit, on):
            raise DocumentError(_("{unit_name} không hoạt động vào ngày {date}: bỏ đơn vị này "
                                  "khỏi nơi nhận.").format(unit_name=a.unit.name,
                                                            date=format_date(on)),
                                field="recipient_units")
        if not a.label:
            a.label = addressing.default_label(unit=a.unit, group=a.group,
                                               issuing_unit=document.issuing_unit)
            a.save(update_fields=["label"])
    ids = addressing.expand(addresses=addresses, issuing_unit=document.issuing_unit, on=on)
    rows = DocumentRecipient.objects.bulk_create(
        [DocumentRecipient(document=document, unit_id=i) for i in ids])
    if document.report_due_on is not None:
        if not ids:
            raise DocumentError(_("Hạn báo cáo cần có nơi nhận là đơn vị."),
                                field="report_due_on")
        if document.report_due_on < on:
            raise DocumentError(_("Hạn báo cáo {due} trước ngày ban hành {date}.").format(
                                    due=format_date(document.report_due_on),
                                    date=format_date(on)), field="report_due_on")
        _request_reports(actor, document, ids)
    return rows


def _request_reports(actor: Actor | None, document: Document, unit_ids: list[int]) -> None:
    assert document.report_due_on is not None
    title = document.report_title or _("Báo cáo kết quả thực hiện {type} số {symbol}").format(
        type=document.doc_type.name.lower(), symbol=document.symbol)
    label = f"{document.doc_type.name} {document.symbol}: {document.title}"[:255]
    units = Unit.objects.filter(pk__in=unit_ids, dissolved_on__isnull=True).order_by("name")
    requests = [
        ObligationRequest(
            kind="doc.report", kind_label=_("Báo cáo theo văn bản"), title=title[:255],
            owed_by_unit=u, owed_to_unit=document.issuing_unit,
            owed_to_department=document.department, due_on=document.report_due_on,
            source=document, source_label=label, key=f"doc:{document.pk}:{u.pk}",
        )
        for u in units
    ]
    if not requests:
        return
    answers = obligations_requested.send(sender=Document, actor=actor, requests=requests)
    if not any(made for _receiver, made in answers):
        raise DocumentError(_("Chưa giao được việc báo cáo cho nơi nhận."), field="report_due_on")


# -- numbering ------------------------------------------------------------------------------


def _locked_counter(unit: Unit, year: int, doc_type: DocumentType) -> DocumentCounter:
    """The counter row for (unit, year, type), created if needed, locked until commit."""
    rows = DocumentCounter.objects.select_for_update().filter(
        issuing_unit=unit, year=year, doc_type=doc_type)
    counter = rows.first()
    if counter is None:
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(issuing_unit=unit, year=year, doc_type=doc_type)
        except IntegrityError:
            pass  # created meanwhile by a concurrent issue: lock theirs
        counter = rows.get()
    return counter


def _highest_used(unit: Unit, year: int, doc_type: DocumentType) -> int:
    found = Document.objects.filter(issuing_unit=unit, year=year, doc_type=doc_type
                                    ).aggregate(m=Max("number"))["m"]
    return int(found or 0)


# -- services ---------------------------------------------------------------------------------


@transaction.atomic
def document_create(
    *, actor: Actor | None, issuing_unit: Unit, doc_type: DocumentType, title: str,
    department: Department | None = None, header_upper: str | None = None,
    header_body: str | None = None, body_code: str | None = None, place: str | None = None,
    issued_on: dt.date | None = None, legal_bases: Sequence[str] | None = None,
    body: object = None, closing: Sequence[str] | None = None,
    recipients: Sequence[str] | None = None, signer_on_behalf: str | None = None,
    signer_title: str | None = None, signer_name: str | None = None,
    addresses: Sequence[Address] = (), report_due_on: dt.date | None = None,
    report_title: str | None = None,
) -> Document:
    """A new draft of `issuing_unit`; unset header fields come from `defaults_for`.
    `addresses`: the units (and groups of sub-units) it is addressed to."""
    _require(actor, lambda scope: permissions.can_compose(scope, issuing_unit, department))
    if issuing_unit.dissolved_on is not None:
        raise DocumentError(
            _("{unit_name} không còn hoạt động từ {dissolved_on}: "
              "không soạn văn bản mới.").format(
                unit_name=issuing_unit.name,
                dissolved_on=format_date(issuing_unit.dissolved_on)))
    _check_department(issuing_unit, department)
    if issued_on is not None and issued_on > today():
        raise DocumentError(_("Ngày ban hành {date} ở tương lai.").format(
                                date=format_date(issued_on)),
                            field="issued_on")
    content = _content(unit=issuing_unit, title=title, header_upper=header_upper,
                       header_body=header_body, body_code=body_code, place=place,
                       legal_bases=legal_bases, body=body, closing=closing,
                       recipients=recipients, signer_on_behalf=signer_on_behalf,
                       signer_title=signer_title, signer_name=signer_name)
    chosen = _clean_addresses(actor, issuing_unit, addresses)
    document = Document(issuing_unit=issuing_unit, department=department, doc_type=doc_type,
                        issued_on=issued_on, status=DocumentStatus.DRAFT,
                        created_by_id=actor.pk if actor is not None else None,
                        **content, **_report(report_due_on, report_title))
    document.search_folded = _folded(document, document_symbol(document))
    with acting(actor):
        document.save()
    _save_addresses(document, chosen)
    return document


@transaction.atomic
def document_update(
    *, actor: Actor | None, document: Document, doc_type: DocumentType, title: str,
    department: Department | None = None, header_upper: str | None = None,
    header_body: str | None = None, body_code: str | None = None, place: str | None = None,
    issued_on: dt.date | None = None, legal_bases: Sequence[str] | None = None,
    body: object = None, closing: Sequence[str] | None = None,
    recipients: Sequence[str] | None = None, signer_on_behalf: str | None = None,
    signer_title: str | None = None, signer_name: str | None = None,
    addresses: Sequence[Address] | None = None, report_due_on: dt.date | None = None,
    report_title: str | None = None,
) -> Document:
    """Replace the content of a draft; an issued document is frozen. `addresses` None keeps
    the chosen addressees as they are."""
    locked = (Document.objects.select_for_update(of=("self",)).select_related("doc_type")
              .get(pk=document.pk))
    _require(actor, lambda scope: permissions.can_compose(
        scope, locked.issuing_unit, locked.department) and permissions.can_compose(
        scope, locked.issuing_unit, department))
    if not locked.is_draft:
        raise DocumentNotDraft(_("Văn bản {symbol} đã ban hành, không sửa được nữa.").format(
                                   symbol=locked.symbol))
    unit = locked.issuing_unit
    _check_department(unit, department)
    if issued_on is not None and issued_on > today():
        raise DocumentError(_("Ngày ban hành {date} ở tương lai.").format(
                                date=format_date(issued_on)),
                            field="issued_on")
    content = _content(unit=unit, title=title, header_upper=header_upper,
                       header_body=header_body, body_code=body_code, place=place,
                       legal_bases=legal_bases, body=body, closing=closing,
                       recipients=recipients, signer_on_behalf=signer_on_behalf,
                       signer_title=signer_title, signer_name=signer_name)
    content.update(_report(report_due_on, report_title))
    chosen = _clean_addresses(actor, unit, addresses) if addresses is not None else None
    for key, value in content.items():
        setattr(locked, key, value)
    locked.department = department
    locked.doc_type = doc_type
    locked.issued_on = issued_on
    locked.search_folded = _folded(locked, document_symbol(locked))
    with acting(actor):
        locked.save(update_fields=[*content, "department", "doc_type", "issued_on",
                                   "search_folded", "updated_at"])
    if chosen is not None:
        _save_addresses(locked, chosen)
    return locked


@transaction.atomic
def document_issue(*, actor: Actor | None, document: Document,
                   issued_on: dt.date | None = None) -> Document:
    """Issue a draft: check it is complete, give it the next number of its unit, year and type
    (DOC-2), freeze its symbol. On any refusal nothing changes and the draft stays a draft."""
    locked = (Document.objects.select_for_update(of=("self",))
              .select_related("issuing_unit", "doc_type", "department").get(pk=document.pk))
    _require(actor, lambda scope: permissions.can_approve(
        scope, locked.issuing_unit, locked.department))
    if not locked.is_draft:
        raise DocumentNotDraft(_("Văn bản {symbol} đã được ban hành.").format(
                                   symbol=locked.symbol))
    _check_ready(locked, has_addresses=locked.addresses.exists())
    on = issued_on or locked.issued_on or today()
    _check_issue_date(locked.issuing_unit, on)
    counter = _locked_counter(locked.issuing_unit, on.year, locked.doc_type)
    number = max(counter.last_number,
                 _highest_used(locked.issuing_unit, on.year, locked.doc_type)) + 1
    counter.last_number = number
    counter.save(update_fields=["last_number"])
    locked.number = number
    locked.year = on.year
    locked.issued_on = on
    locked.status = DocumentStatus.ISSUED
    locked.symbol = document_symbol(locked)
    locked.search_folded = _folded(locked, locked.symbol)
    with acting(actor):
        locked.save(update_fields=["number", "year", "issued_on", "status", "symbol",
                                   "search_folded", "updated_at"])
    _deliver(actor, locked, on)
    return locked


@transaction.atomic
def document_register_issued(
    *, actor: Actor | None, issuing_unit: Unit, doc_type: DocumentType, number: int,
    issued_on: dt.date, title: str, department: Department | None = None,
    header_upper: str | None = None, header_body: str | None = None,
    body_code: str | None = None, place: str | None = None,
    legal_bases: Sequence[str] | None = None, body: object = None,
    closing: Sequence[str] | None = None, recipients: Sequence[str] | None = None,
    signer_on_behalf: str | None = None, signer_title: str | None = None,
    signer_name: str | None = None, addresses: Sequence[Address] = (),
    report_due_on: dt.date | None = None, report_title: str | None = None,
) -> Document:
    """Enter a document already issued (on paper, before the system) with its own number.
    Its addressees receive it as the tree stood on `issued_on`.

    The number must not be used yet for that unit, year and type; the counter moves past it so
    the next document issued here continues after it."""
    _require(actor, lambda scope: permissions.can_approve(scope, issuing_unit,
                                                                   department))
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise DocumentError(_("Số văn bản phải là số nguyên dương."), field="number")
    _check_department(issuing_unit, department)
    _check_issue_date(issuing_unit, issued_on)
    content = _content(unit=issuing_unit, title=title, header_upper=header_upper,
                       header_body=header_body, body_code=body_code, place=place,
                       legal_bases=legal_bases, body=body, closing=closing,
                       recipients=recipients, signer_on_behalf=signer_on_behalf,
                       signer_title=signer_title, signer_name=signer_name)
    document = Document(issuing_unit=issuing_unit, department=department, doc_type=doc_type,
                        issued_on=issued_on, year=issued_on.year, number=number,
                        status=DocumentStatus.ISSUED,
                        created_by_id=actor.pk if actor is not None else None,
                        **content, **_report(report_due_on, report_title))
    chosen = _clean_addresses(actor, issuing_unit, addresses, on=issued_on)
    _check_ready(document, has_addresses=bool(chosen))
    counter = _locked_counter(issuing_unit, issued_on.year, doc_type)
    taken = Document.objects.filter(issuing_unit=issuing_unit, year=issued_on.year,
                                    doc_type=doc_type, number=number).first()
    if taken is not None:
        raise NumberTaken(
            _("Số {number}-{abbreviation} năm {year} của "
              "{unit_name} đã dùng cho văn bản “{title}”.").format(
                number=number,
                abbreviation=doc_type.abbreviation,
                year=issued_on.year,
                unit_name=issuing_unit.name,
                title=taken.title), field="number")
    if number > counter.last_number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])
    document.symbol = document_symbol(document)
    document.search_folded = _folded(document, document.symbol)
    with acting(actor):
        document.save()
    _save_addresses(document, chosen)
    _deliver(actor, document, issued_on)
    return document


@transaction.atomic
def document_open(*, actor: Actor | None, document: Document) -> int:
    """Record that the actor opened an issued document addressed to their unit: the first
    opening per recipient unit, by a person whose own role is on that unit (a province
    secretary reading a district's copy does not open it for the district). Refuses an actor
    who may not read the document; answers how many receipts it recorded."""
    if actor is None:
        return 0
    scope = Scope.for_user(actor)  # type: ignore[arg-type]
    try:
        selectors.document_get(scope=scope, pk=document.pk)
    except Http404:
        raise DocumentScopeError(_("Không tìm thấy văn bản.")) from None
    own = {g.unit_id for g in scope.grants}
    if document.is_draft or not own:
        return 0
    rows = list(DocumentRecipient.objects.select_for_update()
                .filter(document=document, unit_id__in=own, opened_at__isnull=True))
    now = timezone.now()
    with acting(actor):
        for row in rows:
            row.opened_at, row.opened_by_id = now, actor.pk
            row.save(update_fields=["opened_at", "opened_by"])
    return len(rows)
