"""Pages of the documents: the register (DOC-2), compose and edit drafts, the document with its
preview, issuing, and the .docx / .pdf downloads (DOC-1, DOC-3).

Every object comes through a selector that answers 404 alike for missing and not yours (X-3):
reading needs `read` on the issuing unit, composing and editing `write`, issuing `approve` (in
the document's department for department-reach grants).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import READ, scope_of
from doanvu.common.forms import form_submit
from doanvu.common.text import fold
from doanvu.common.views import download_form_valid, refuses_bad_input
from doanvu.org.models import Unit
from doanvu.org.paths import ancestor_ids
from doanvu.org.selectors import unit_search

from . import permissions, rendering, selectors, services
from .exporters import export_register_xlsx
from .forms import DocumentForm, IncomingFilterForm, IssueForm, RegisterFilterForm, initial_from
from .models import Document

WRITE = PermissionKind.WRITE.value
APPROVE = PermissionKind.APPROVE.value
PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _filters(request: HttpRequest) -> tuple[RegisterFilterForm, selectors.RegisterFilter]:
    scope = scope_of(request)
    form = RegisterFilterForm(request.GET or None, units=selectors.register_units(scope=scope),
                              years=selectors.register_years(scope=scope))
    if not form.is_bound:
        return form, selectors.RegisterFilter()
    form.is_valid()
    # a bad filter is dropped (and shown beside its field); the others still apply
    d = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    loai = d.get("loai")
    return form, selectors.RegisterFilter(
        unit_id=d.get("don_vi"), year=d.get("nam"), doc_type_id=loai.pk if loai else None,
        status=d.get("trang_thai") or "", query=d.get("q") or "",
    )


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """Sổ văn bản đi: the documents of every unit the user reads."""
    scope = scope_of(request)
    form, filters = _filters(request)
    documents = selectors.document_register(scope=scope, filters=filters)
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    ctx = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_compose": bool(selectors.writable_units(scope=scope, perm=WRITE))
        or scope.is_superuser,
        "unread": selectors.incoming_unread_count(scope=scope),
    }
    if request.htmx and request.htmx.target == "register-results":  # type: ignore[attr-defined]
        return render(request, "documents/register.html#results", ctx)
    return render(request, "documents/register.html", ctx)


@login_required
@require_GET
@refuses_bad_input
def register_export(request: HttpRequest) -> HttpResponse:
    """The filtered register as .xlsx with Vietnamese headers (X-6); a wrong filter (a year
    not in the list) refuses with 400 rather than export every year."""
    scope = scope_of(request)
    form, filters = _filters(request)
    download_form_valid(form)
    documents = selectors.document_register(scope=scope, filters=filters)
    filename, content_type, body = export_register_xlsx(
        documents.iterator(chunk_size=1000), title=_("Sổ văn bản đi"))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest) -> HttpResponse:
    """Soạn văn bản mới for a unit (?don_vi=<id>): needs `write` on it (or in one of its
    departments); without a unit, the user picks one of theirs."""
    scope = scope_of(request)
    raw_unit = request.GET.get("don_vi") or request.GET.get("unit")
    if not raw_unit:
        if request.method == "POST":
            raise Http404(_("Không tìm thấy đơn vị."))
        return render(request, "documents/compose_pick.html", {
            "units": selectors.writable_units(scope=scope, perm=WRITE),
            "pick_field": "unit", "pick_label": _("Đơn vị ban hành"), "pick_errors": [],
            "pick_value": None,
        })
    unit = selectors.composing_unit_get(scope=scope, pk=raw_unit)
    departments = selectors.composable_departments(scope=scope, unit=unit, perm=WRITE)
    assert departments is not None  # composing_unit_get answered 404 otherwise
    department_required = not scope.can(WRITE, unit)
    defaults = services.defaults_for(unit)
    form = DocumentForm(request.POST or None, departments=departments, unit=unit,
                        department_required=department_required, initial={
                            "header_upper": defaults.header_upper,
                            "header_body": defaults.header_body,
                            "body_code": defaults.body_code, "place": defaults.place,
                            "signer_on_behalf": defaults.signer_on_behalf,
                        })
    done = form_submit(request, form, lambda _d: services.document_create(
        actor=request.user, issuing_unit=unit, **form.service_kwargs(),
    ), success=_("Đã lưu bản nháp văn bản."), redirect_to=_detail_url)
    if done:
        return done
    return render(request, "documents/document_form.html", {
        "form": form, "unit": unit, "chosen_units": form.chosen_units(),
        "title": _("Soạn văn bản của {unit_name}").format(
                                                 unit_name=unit.name),
        "submit": _("Lưu bản nháp"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    document = selectors.document_get(scope=scope, pk=pk, perm=WRITE)
    if not document.is_draft:
        messages.error(request, _("Văn bản đã ban hành, không sửa được nữa."))
        return redirect("documents:detail", pk=document.pk)
    unit = document.issuing_unit
    departments = selectors.composable_departments(scope=scope, unit=unit, perm=WRITE)
    if departments is None:
        raise Http404(_("Không tìm thấy văn bản."))
    form = DocumentForm(request.POST or None, departments=departments, unit=unit,
                        department_required=not scope.can(WRITE, unit),
                        initial=initial_from(document))
    done = form_submit(request, form, lambda _d: services.document_update(
        actor=request.user, document=document, **form.service_kwargs(),
    ), success=_("Đã lưu bản nháp."), redirect_to=_detail_url)
    if done:
        return done
    return render(request, "documents/document_form.html", {
        "form": form, "unit": unit, "document": document, "chosen_units": form.chosen_units(),
        "title": _("Sửa bản nháp: {title}").format(title=document.title),
        "submit": _("Lưu bản nháp"),
    })


def _detail_url(document: Document) -> str:
    return reverse("documents:detail", args=[document.pk])


def _detail(request: HttpRequest, document: Document, *, issue_form: IssueForm | None = None,
            status: int = 200) -> HttpResponse:
    scope = scope_of(request)
    issuer_side = selectors.is_issuer_side(scope=scope, document=document)
    receipts = (selectors.document_receipts(document=document)
                if issuer_side and not document.is_draft else [])
    return render(request, "documents/detail.html", {
        "document": document,
        "doc": rendering.layout(document),
        "symbol": services.document_symbol(document),
        "can_edit": permissions.can_edit(scope, document),
        "can_issue": permissions.can_issue(scope, document),
        "issue_form": issue_form or IssueForm(),
        "issuer_side": issuer_side,
        "receipts": receipts,
        "opened_count": sum(1 for r in receipts if r.opened_at is not None),
    }, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The document; opening it records the receipt of the user's own recipient unit."""
    document = selectors.document_get(scope=scope_of(request), pk=pk)
    services.document_open(actor=request.user, document=document)
    return _detail(request, document)


@login_required
@require_GET
def incoming(request: HttpRequest) -> HttpResponse:
    """Văn bản đến: issued documents addressed to the units the user reads, unread first."""
    scope = scope_of(request)
    form = IncomingFilterForm(request.GET or None, units=selectors.incoming_units(scope=scope))
    filters = selectors.IncomingFilter()
    if form.is_bound:
        form.is_valid()
        d = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
        filters = selectors.IncomingFilter(unit_id=d.get("don_vi"), unread=bool(d.get("chua_mo")))
    rows = selectors.incoming_list(scope=scope, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "documents/incoming.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "unread": selectors.incoming_unread_count(scope=scope),
    })


@login_required
@require_GET
def recipient_pick(request: HttpRequest) -> HttpResponse:
    """The recipient picker (htmx): units matching `q` that a draft of `don_vi` may be sent to
    — units the user reads, and the units above the issuer; `chon=<id>` answers one of them
    as a ticked recipient, appended to the chosen list."""
    scope = scope_of(request)
    issuer = selectors.composing_unit_get(scope=scope, pk=request.GET.get("don_vi"))
    above = ancestor_ids(issuer.path)
    chosen = request.GET.get("chon")
    if chosen is not None:
        unit = Unit.objects.filter(pk=int(chosen) if chosen.isdigit() else 0,
                                   dissolved_on__isnull=True).exclude(pk=issuer.pk).first()
        if unit is None or not permissions.can_address(scope, issuer, unit):
            raise Http404(_("Không tìm thấy đơn vị."))
        return render(request, "documents/_recipient_chosen.html", {"units": [unit]})
    q = request.GET.get("q", "").strip()[:100]
    words = fold(q).split()[:5]
    units: list[Unit] = []
    if len(q) >= 2 and words:
        ids = [n.id for n in unit_search(scope=scope, query=" ".join(words), limit=20)
               if n.dissolved_on is None and n.id != issuer.pk]
        ids += [i for i in above if i not in ids]
        qs = Unit.objects.filter(pk__in=ids, dissolved_on__isnull=True).select_related("kind")
        for w in words:
            qs = qs.filter(name_folded__contains=w)
        units = list(qs.order_by("depth", "name")[:20])
    return render(request, "documents/_recipient_pick.html", {
        "units": units, "q": q, "issuer": issuer})


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Ban hành: needs `approve` on the issuing unit; a refusal keeps the draft as it was."""
    document = selectors.document_get(scope=scope_of(request), pk=pk, perm=APPROVE)
    form = IssueForm(request.POST)
    done = form_submit(request, form, lambda d: services.document_issue(
        actor=request.user, document=document, issued_on=d["issued_on"],
    ), success=lambda issued: _("Đã ban hành văn bản số {symbol}.").format(
                                  symbol=issued.symbol),
        redirect_to=_detail_url)
    if done:
        return done
    document.refresh_from_db()
    return _detail(request, document, issue_form=form, status=400)


@login_required
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The document as .docx or .pdf, for whoever may read it."""
    if fmt not in {"docx", "pdf"}:
        raise Http404(_("Định dạng không được hỗ trợ."))
    document = selectors.document_get(scope=scope_of(request), pk=pk, perm=READ)
    services.document_open(actor=request.user, document=document)
    stem = rendering.layout(document).filename_stem
    if fmt == "docx":
        body, content_type = rendering.render_docx(document), DOCX
    else:
        try:
            body, content_type = rendering.render_pdf(document), "application/pdf"
        except rendering.PdfUnavailable as exc:
            return render(request, "errors/error.html", {
                "code": 503, "title": _("Chưa tạo được PDF"), "message": exc.message,
            }, status=503)
    response = HttpResponse(body, content_type=content_type)
    disposition = content_disposition_header(True, f"{stem}.{fmt}")
    response["Content-Disposition"] = disposition or "attachment"
    return response
