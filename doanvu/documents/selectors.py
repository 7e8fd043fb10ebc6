"""Reads of documents, always through a Scope (X-3): the register and one document."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import READ, Scope
from doanvu.common.search import search_words
from doanvu.org.models import Department, Unit
from doanvu.org.selectors import unit_get

from .models import Document, DocumentRecipient, DocumentStatus, DocumentType

WRITE = PermissionKind.WRITE.value


@dataclass(frozen=True)
class RegisterFilter:
    """The register's filters; every field optional (DOC-2)."""

    unit_id: int | None = None
    year: int | None = None
    doc_type_id: int | None = None
    status: str = ""
    query: str = ""


def document_get(*, scope: Scope, pk: object, perm: str = READ) -> Document:
    """The document if the scope reaches its issuing unit with `perm` (in its department's
    field for department-reach grants) or, to read an issued one, a unit it was sent to
    (văn bản đến); a draft stays with its issuer. 404 alike for missing and not yours.

    The one place the documents decide who reads a document: pages, downloads and the
    services that record an opening all come through here."""
    try:
        doc_id = int(str(pk))
    except (TypeError, ValueError):
        raise Http404(_("Không tìm thấy văn bản.")) from None
    document = (Document.objects.select_related("issuing_unit", "doc_type", "department",
                                                "created_by")
                .filter(pk=doc_id).first())
    if document is None:
        raise Http404(_("Không tìm thấy văn bản."))
    if scope.can(perm, document.issuing_unit, department_id=document.department_id):
        return document
    if perm == READ and not document.is_draft and scope.filter(
            DocumentRecipient.objects.filter(document=document), via="unit__").exists():
        return document
    raise Http404(_("Không tìm thấy văn bản."))


def is_issuer_side(*, scope: Scope, document: Document) -> bool:
    """Reads the document as its issuing office does (not only as a recipient): sees who of
    the recipients opened it."""
    return scope.can(READ, document.issuing_unit, department_id=document.department_id)


def document_receipts(*, document: Document) -> list[DocumentRecipient]:
    """The units an issued document reached, unopened first, with who opened it and when."""
    return list(DocumentRecipient.objects.filter(document=document)
                .select_related("unit", "opened_by")
                .order_by(F("opened_at").asc(nulls_first=True), "unit__name"))


@dataclass(frozen=True)
class IncomingFilter:
    unit_id: int | None = None  # one recipient unit; None: every unit reached, but not the
    unread: bool = False        # documents the user's own units issued (their outgoing)


def incoming_list(*, scope: Scope, filters: IncomingFilter) -> QuerySet[DocumentRecipient]:
    """Văn bản đến: issued documents sent to units the user reads, unread first, newest first.

    Without a unit chosen, the documents the user reads as issuer (their own outgoing ones,
    sent to their own lower units) are left out: those are tracked on the document's page."""
    qs = scope.filter(DocumentRecipient.objects.filter(document__status=DocumentStatus.ISSUED),
                      via="unit__")
    if filters.unit_id is not None:
        qs = qs.filter(unit_id=filters.unit_id)
    else:
        qs = qs.exclude(scope.q(READ, via="document__issuing_unit__"))
    if filters.unread:
        qs = qs.filter(opened_at__isnull=True)
    return qs.select_related("document__doc_type", "document__issuing_unit", "unit",
                             "opened_by").order_by(
        F("opened_at").asc(nulls_first=True), F("document__issued_on").desc(),
        "-document_id", "unit__name")


def incoming_unread_count(*, scope: Scope) -> int:
    return incoming_list(scope=scope, filters=IncomingFilter(unread=True)).count()


def incoming_units(*, scope: Scope) -> list[tuple[int, str]]:
    """Units the user reads that received documents: the incoming page's unit filter."""
    received = DocumentRecipient.objects.filter(unit_id=OuterRef("pk"),
                                                document__status=DocumentStatus.ISSUED)
    return list(scope.filter(Unit.objects.filter(Exists(received)))
                .order_by("name").values_list("pk", "name"))


def composing_unit_get(*, scope: Scope, pk: object, perm: str = WRITE) -> Unit:
    """A live unit the user may compose documents for (unit-wide, or in a department of
    theirs: `composable_departments`); 404 alike for missing and not yours."""
    unit = unit_get(scope=scope, pk=pk)
    if unit.dissolved_on is not None or composable_departments(
            scope=scope, unit=unit, perm=perm) is None:
        raise Http404(_("Không tìm thấy đơn vị."))
    return unit


def document_register(*, scope: Scope, filters: RegisterFilter) -> QuerySet[Document]:
    """Documents of the units the user reads, filtered; drafts first, then newest issued."""
    qs = scope.filter(Document.objects.all(), via="issuing_unit__")
    if filters.unit_id is not None:
        qs = qs.filter(issuing_unit_id=filters.unit_id)
    if filters.year is not None:
        qs = qs.filter(Q(year=filters.year) | Q(year__isnull=True, issued_on__year=filters.year))
    if filters.doc_type_id is not None:
        qs = qs.filter(doc_type_id=filters.doc_type_id)
    if filters.status in DocumentStatus.values:
        qs = qs.filter(status=filters.status)
    for word in search_words(filters.query):
        qs = qs.filter(search_folded__contains=word)
    return qs.select_related("issuing_unit", "doc_type", "department").order_by(
        F("issued_on").desc(nulls_first=True), "-number", "-pk")


def register_units(*, scope: Scope) -> list[tuple[int, str]]:
    """Units that have documents the user may read, for the register's unit filter."""
    rows = (scope.filter(Document.objects.all(), via="issuing_unit__")
            .order_by("issuing_unit__name")
            .values_list("issuing_unit_id", "issuing_unit__name")
            .distinct())
    return list(rows)


def register_years(*, scope: Scope) -> list[int]:
    rows = (scope.filter(Document.objects.filter(year__isnull=False), via="issuing_unit__")
            .order_by("-year").values_list("year", flat=True).distinct())
    return list(rows)


def document_types() -> QuerySet[DocumentType]:
    return DocumentType.objects.all()


def composable_departments(*, scope: Scope, unit: Unit, perm: str) -> QuerySet[Department] | None:
    """Departments under whose name the user may write documents of `unit`: all current ones
    for a unit-wide grant, only their own for a department-reach grant; None if neither."""
    current = Department.objects.filter(unit=unit, valid_to__isnull=True)
    if scope.can(perm, unit):
        return current
    own = scope.departments_for(perm, unit)
    if own and current.filter(pk__in=own).exists():
        return current.filter(pk__in=own)
    return None


def writable_units(*, scope: Scope, perm: str) -> list[Unit]:
    """The units of the user's own grants on which they may write: where compose starts."""
    ids = {g.unit_id for g in scope.grants if perm in g.permissions}
    return list(Unit.objects.filter(pk__in=ids, dissolved_on__isnull=True).order_by("name"))
