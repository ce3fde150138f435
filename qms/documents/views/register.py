"""The document register (Danh mục tài liệu): search, filters, export, one document."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.documents import docx, forms, search, services, starter
from qms.documents.legal_forms import CiteForm
from qms.documents.models import Citation, Document, Revision, kind_rank
from qms.documents.views.common import (
    PAGE_SIZE,
    load_document,
    may_change,
    require_change,
    user_of,
)
from qms.lib.search import highlight, snippet, terms
from qms.organization.access import Action, AgencyAccess, agency_access
from qms.organization.models import today


def _filtered(access: AgencyAccess, filters: dict[str, Any]) -> QuerySet[Document]:
    documents = Document.objects.filter(agency=access.agency).select_related(
        "owner_unit", "current_revision"
    )
    if filters.get("kind"):
        documents = documents.filter(kind=filters["kind"])
    if filters.get("unit"):
        documents = documents.filter(owner_unit=filters["unit"])
    if filters.get("status"):
        documents = documents.filter(status=filters["status"])
    if not terms(filters.get("q", "")):
        # The register reads as the ISO set does: policy, objectives, …, forms; then by code.
        return documents.order_by(kind_rank(), "code")
    return search.matching(documents, filters["q"])


def _rows(page_documents: list[Document], query: str) -> list[dict[str, Any]]:
    """What the register shows per document; two queries for the whole page."""
    ids = [d.pk for d in page_documents]
    flagged = set(
        Citation.objects.filter(
            document_id__in=ids, flagged_on__isnull=False, resolved_on__isnull=True
        ).values_list("document_id", flat=True)
    )
    preparing = {
        r.document_id: r
        for r in Revision.objects.filter(document_id__in=ids, status__in=services.OPEN_STATES)
    }
    words = terms(query)
    return [
        {
            "document": d,
            "flagged": d.pk in flagged,
            "preparing": preparing.get(d.pk),
            "title": highlight(d.title, words) if words else d.title,
            "code": highlight(d.code, words) if words else d.code,
            "snippet": snippet(getattr(d, "search_body", ""), words) if words else "",
        }
        for d in page_documents
    ]


@login_required
@require_GET
def document_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    form = forms.SearchForm(request.GET, agency=access.agency)
    filters = form.filters()
    page = Paginator(_filtered(access, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: getattr(v, "pk", v) for k, v in filters.items()})
    return render(
        request,
        "documents/document_list.html",
        {
            "access": access,
            "agency": access.agency,
            "form": form,
            "page": page,
            "rows": _rows(list(page), filters.get("q", "")),
            "query": query,
            "can_manage": access.can(Action.MANAGE_DOCUMENTS),
        },
    )


@login_required
@require_GET
def register_export(request: HttpRequest, agency_id: int, what: str) -> HttpResponse:
    """The register as DOCX or XLSX, with the filters of the screen (not the search text:
    a register lists documents, not search hits)."""
    access = agency_access(request.user, agency_id)
    if what not in ("docx", "xlsx"):
        raise Http404
    filters = forms.SearchForm(request.GET, agency=access.agency).filters()
    filters.pop("q", None)
    documents = list(_filtered(access, filters))
    return docx.register_response(request, access.agency, documents, what)


def _own_by_default(access: AgencyAccess, document: Document) -> None:
    """A head of unit registers their unit's documents: left blank, the owner is their unit."""
    if document.owner_unit_id is None and not access.acts_across_units and access.unit_ids:
        document.owner_unit_id = min(access.unit_ids)


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_DOCUMENTS)
    form = forms.DocumentForm(request.POST or None, agency=access.agency)
    if request.method == "POST" and form.is_valid():
        _own_by_default(access, form.instance)
        require_change(access, form.instance, Action.MANAGE_DOCUMENTS)
        document = services.register_document(form.instance)
        messages.success(request, _("The document has been added to the register."))
        return redirect(document)
    return render(
        request,
        "documents/document_form.html",
        {"access": access, "agency": access.agency, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, document = load_document(request, agency_id, pk)
    require_change(access, document, Action.MANAGE_DOCUMENTS)
    data = request.POST or None
    form = forms.DocumentForm(data, instance=document, agency=access.agency)
    records = forms.RecordFormSet(data, instance=document, prefix="records")
    if request.method == "POST" and form.is_valid() and records.is_valid():
        require_change(access, form.instance, Action.MANAGE_DOCUMENTS)  # its new owner too
        services.save_document(form.instance, records)
        messages.success(request, _("The document has been saved."))
        return redirect(document)
    return render(
        request,
        "documents/document_form.html",
        {
            "access": access,
            "agency": access.agency,
            "form": form,
            "records": records,
            "document": document,
        },
        status=400 if request.method == "POST" else 200,
    )


def _detail_context(access: AgencyAccess, document: Document) -> dict[str, Any]:
    citations = list(
        document.citations.select_related("legal_document__changed_by").order_by(
            "legal_document__number"
        )
    )
    revisions = list(document.revisions.select_related("drafted_by", "reviewed_by", "approved_by"))
    preparing = any(r.status in services.OPEN_STATES for r in revisions)
    can_manage = may_change(access, document, Action.MANAGE_DOCUMENTS)
    return {
        "access": access,
        "agency": access.agency,
        "document": document,
        "revisions": revisions,
        "records": list(document.records.all()),
        "form_templates": list(document.form_templates.order_by("code")),
        "reviews": list(document.reviews.select_related("reviewer")[:10]),
        "citations": citations,
        "cite_form": CiteForm(agency=access.agency),
        "review_form": forms.DocumentReviewForm(initial={"reviewed_on": today()}),
        "revision_form": forms.RevisionForm(),
        "can_manage": can_manage,
        "can_manage_legal": may_change(access, document, Action.MANAGE_LEGAL),
        # One revision is prepared at a time, and a withdrawn document gets none.
        "can_open_revision": can_manage and not preparing and not document.is_withdrawn,
        "can_record_review": can_manage and document.is_in_force,
    }


@login_required
@require_GET
def document_detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, document = load_document(request, agency_id, pk)
    return render(request, "documents/document_detail.html", _detail_context(access, document))


@login_required
@require_POST
def document_review(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """Record a periodic review of a document in force."""
    access, document = load_document(request, agency_id, pk)
    require_change(access, document, Action.MANAGE_DOCUMENTS)
    form = forms.DocumentReviewForm(request.POST)
    if not form.is_valid():
        context = _detail_context(access, document) | {"review_form": form}
        return render(request, "documents/document_detail.html", context, status=400)
    try:
        services.record_document_review(document, by=user_of(request), **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(document)
    messages.success(
        request,
        _("The review has been recorded; the next one is due on %(day)s.")
        % {"day": f"{document.next_review_on:%d/%m/%Y}"},
    )
    return redirect(document)


@login_required
@require_POST
def starter_set(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Start the register from the framework model's starter set, as drafts."""
    access = agency_access(request.user, agency_id)
    # The starter set's documents have no owner unit yet: the secretary's or the leadership's.
    access.require_on(Action.MANAGE_DOCUMENTS, [])
    created = starter.create_starter_set(access.agency, by=user_of(request), owner_unit=None)
    if created:
        messages.success(
            request,
            _("%(n)s documents of the starter set have been added as drafts.")
            % {"n": len(created)},
        )
    else:
        messages.info(request, _("The register already holds every document of the starter set."))
    return redirect(reverse("documents:list", args=[access.agency.pk]))
