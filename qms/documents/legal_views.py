"""Screens of the legal register (căn cứ pháp lý): the legal documents the agency's procedures
rest on, their changes and the flags these raise on the citing documents (QĐ 19/2014
Art. 4.4(a)), and the units' quarterly legal-basis reviews.

Every view loads the agency through `agency_access` and rows through `get_scoped`, so an id
of another agency gives 404; every write goes through `services`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.documents import queries, rules, services
from qms.documents.legal_forms import (
    CiteForm,
    LegalDocumentForm,
    LegalFilterForm,
    LegalReviewForm,
    LegalStatusForm,
    ResolveForm,
)
from qms.documents.models import Citation, Document, LegalBasisReview, LegalDocument
from qms.documents.views.common import PAGE_SIZE, attempt, require_change, user_of
from qms.lib.dates import months_later
from qms.lib.search import terms
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped
from qms.organization.models import Agency, Membership, Role, Unit, today

LIST_TEMPLATE = "documents/legal_list.html"
DETAIL_TEMPLATE = "documents/legal_detail.html"
REVIEWS_TEMPLATE = "documents/legal_reviews.html"


def _legal(request: HttpRequest, agency_id: int, pk: int) -> tuple[AgencyAccess, LegalDocument]:
    access = agency_access(request.user, agency_id)
    legal = get_scoped(access, LegalDocument.objects.select_related("changed_by"), pk=pk)
    return access, legal


def _citation(request: HttpRequest, agency_id: int, pk: int) -> tuple[AgencyAccess, Citation]:
    access = agency_access(request.user, agency_id)
    citation = get_scoped(
        access, Citation.objects.select_related("document", "legal_document"), pk=pk
    )
    return access, citation


# --- the register --------------------------------------------------------------------------


def _matching(legal: QuerySet[LegalDocument], agency: Agency, text: str) -> QuerySet[LegalDocument]:
    """Number or subject holding each word of `text` (the last being typed, a prefix),
    ignoring diacritics and case ("qd-ttg" finds "QĐ-TTg"). The register has no folded
    column, so the agency's numbers and subjects are folded here: one short query, a few
    hundred rows at most."""
    wanted = terms(text)
    if not wanted:
        return legal
    rows = LegalDocument.objects.filter(agency=agency).values_list("pk", "number", "title")
    hits = []
    for pk, number, title in rows:
        if wanted.found_in(f"{number} {title}"):
            hits.append(pk)
    return legal.filter(pk__in=hits)


def _register(access: AgencyAccess, filters: dict[str, str]) -> QuerySet[LegalDocument]:
    """The agency's legal documents with how many documents cite each and how many of those
    are flagged and not yet handled: one query per page, whatever the citations."""
    legal = LegalDocument.objects.filter(agency=access.agency)
    if filters.get("status"):
        legal = legal.filter(status=filters["status"])
    if filters.get("type"):
        legal = legal.filter(doc_type=filters["type"])
    if filters.get("q"):
        legal = _matching(legal, access.agency, filters["q"])
    open_flag = Q(citations__flagged_on__isnull=False, citations__resolved_on__isnull=True)
    return (
        legal.select_related("changed_by")
        .annotate(citing=Count("citations"), flagged=Count("citations", filter=open_flag))
        .order_by(F("issued_on").desc(nulls_last=True), "number", "pk")
    )


def _list_context(
    request: HttpRequest, access: AgencyAccess, form: LegalDocumentForm
) -> dict[str, Any]:
    filter_form = LegalFilterForm(request.GET)
    filters = filter_form.filters()
    page = Paginator(_register(access, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "access": access,
        "agency": access.agency,
        "page": page,
        "filter_form": filter_form,
        "filtered": bool(filters),
        "query": urlencode(filters),
        "form": form,
        "can_manage_legal": access.can(Action.MANAGE_LEGAL),
    }


@login_required
@require_GET
def legal_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    form = LegalDocumentForm(agency=access.agency)
    return render(request, LIST_TEMPLATE, _list_context(request, access, form))


@login_required
@require_POST
def legal_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_LEGAL)
    form = LegalDocumentForm(request.POST, agency=access.agency)
    if form.is_valid():
        legal = services.register_legal(form.instance)
        messages.success(request, _("The legal document has been added to the register."))
        return redirect(legal)
    return render(request, LIST_TEMPLATE, _list_context(request, access, form), status=400)


# --- one legal document --------------------------------------------------------------------


def _detail_context(access: AgencyAccess, legal: LegalDocument) -> dict[str, Any]:
    citations = legal.citations.select_related("document__owner_unit", "resolved_by").order_by(
        "document__code", "pk"
    )
    return {
        "access": access,
        "agency": access.agency,
        "legal": legal,
        "citations": list(citations),
        "changes": list(legal.changes.order_by(F("issued_on").desc(nulls_last=True), "pk")),
        "can_manage_legal": access.can(Action.MANAGE_LEGAL),
        "status_form": LegalStatusForm(
            legal=legal,
            initial={
                "status": legal.status,
                "changed_by": legal.changed_by_id,
                "change_effective_on": legal.change_effective_on,
            },
        ),
    }


@login_required
@require_GET
def legal_detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, legal = _legal(request, agency_id, pk)
    return render(request, DETAIL_TEMPLATE, _detail_context(access, legal))


@login_required
@require_http_methods(["GET", "POST"])
def legal_edit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, legal = _legal(request, agency_id, pk)
    access.require(Action.MANAGE_LEGAL)
    form = LegalDocumentForm(request.POST or None, instance=legal, agency=access.agency)
    if request.method == "POST":
        if form.is_valid():
            services.save_legal(form.instance)
            messages.success(request, _("The legal document has been saved."))
            return redirect(legal)
        status = 400
    else:
        status = 200
    context = {"access": access, "agency": access.agency, "legal": legal, "form": form}
    return render(request, "documents/legal_form.html", context, status=status)


def _due_after_change(legal: LegalDocument) -> dt.date | None:
    """When the citing documents must be updated: 3 months after the change takes effect."""
    day = legal.change_effective_on or (legal.changed_by.effective_on if legal.changed_by else None)
    return months_later(day, rules.LEGAL_CHANGE_MONTHS) if day else None


def _status_message(legal: LegalDocument, flagged: int) -> str:
    if legal.status == LegalDocument.Status.IN_FORCE:
        return _("The legal document is in force again; the open flags it raised are lifted.")
    due = _due_after_change(legal)
    values = {"count": flagged, "due": f"{due:%d/%m/%Y}" if due else "—"}
    if not flagged:
        return (
            _(
                "The status has been saved. No procedure citing it was newly flagged; those "
                "already flagged must be updated by %(due)s."
            )
            % values
        )
    return (
        ngettext(
            "The status has been saved. %(count)d procedure citing it has been flagged and must be "
            "updated by %(due)s.",
            "The status has been saved. %(count)d procedures citing it have been flagged and must "
            "be updated by %(due)s.",
            flagged,
        )
        % values
    )


@login_required
@require_POST
def legal_status(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, legal = _legal(request, agency_id, pk)
    access.require(Action.MANAGE_LEGAL)
    form = LegalStatusForm(request.POST, legal=legal)
    if not form.is_valid():
        context = _detail_context(access, legal) | {"status_form": form}
        return render(request, DETAIL_TEMPLATE, context, status=400)
    data = form.cleaned_data
    try:
        flagged = services.change_legal_status(
            legal, data["status"], data["changed_by"], data["change_effective_on"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _status_message(legal, flagged))
    return redirect(legal)


# --- citations -----------------------------------------------------------------------------


@login_required
@require_POST
def citation_add(request: HttpRequest, agency_id: int, document_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    document = get_scoped(access, Document.objects.all(), pk=document_id)
    require_change(access, document, Action.MANAGE_LEGAL)
    form = CiteForm(request.POST, agency=access.agency)
    if not form.is_valid():
        # The form lives on the document's page: its error comes back as a message.
        messages.error(request, _("Choose a legal document of this agency's register."))
        return redirect(document)
    legal = form.cleaned_data["legal_document"]
    attempt(
        request,
        lambda: services.cite(document, legal),
        _("%(legal)s has been added to the legal bases.") % {"legal": legal},
    )
    return redirect(document)


@login_required
@require_POST
def citation_remove(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, citation = _citation(request, agency_id, pk)
    require_change(access, citation.document, Action.MANAGE_LEGAL)
    document = citation.document
    attempt(
        request,
        lambda: services.uncite(citation),
        _("%(legal)s is no longer cited.") % {"legal": citation.legal_document},
    )
    return redirect(document)


def _back(request: HttpRequest, fallback: Any) -> HttpResponse:
    """To `next` when it is a path on this site, else to `fallback`."""
    target = request.POST.get("next", "")
    # A path, not a word `redirect` would look up as a view name (NoReverseMatch).
    safe = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target) if target and safe else redirect(fallback)


@login_required
@require_POST
def citation_resolve(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, citation = _citation(request, agency_id, pk)
    require_change(access, citation.document, Action.MANAGE_LEGAL)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how the change was handled (at most 500 characters)."))
        return _back(request, citation.document)
    attempt(
        request,
        lambda: services.resolve_citation(
            citation, user_of(request), form.cleaned_data["resolution"]
        ),
        _("The handling of %(code)s has been recorded.") % {"code": citation.document.code},
    )
    return _back(request, citation.document)


# --- legal-basis reviews -------------------------------------------------------------------


def _review_units(access: AgencyAccess) -> QuerySet[Unit]:
    """Units the user may record a review for: any active unit for the ISO secretary, else
    only the unit of their own membership (a subquery: no extra query)."""
    units = Unit.objects.filter(agency=access.agency, is_active=True).order_by("order", "name")
    if Role.ISO_SECRETARY in access.roles:
        return units
    own = Membership.objects.current().filter(user=access.user, agency=access.agency)
    return units.filter(pk__in=Subquery(own.values("unit_id")))


def _reviews_context(
    request: HttpRequest, access: AgencyAccess, form: LegalReviewForm
) -> dict[str, Any]:
    day = today()
    last = queries.last_legal_reviews(access.agency)
    schedule = []
    for unit in queries.units_owning_procedures(access.agency):
        found = last.get(unit.pk)
        last_on = found if isinstance(found, dt.date) else None
        due = services.legal_review_due(last_on, day)
        schedule.append({"unit": unit, "last": last_on, "due": due, "late": due < day})
    reviews = (
        LegalBasisReview.objects.filter(agency=access.agency)
        .select_related("unit", "reviewer")
        .prefetch_related(
            Prefetch("legal_documents", queryset=LegalDocument.objects.order_by("number"))
        )
        .order_by("-reviewed_on", "-pk")
    )
    return {
        "access": access,
        "agency": access.agency,
        "schedule": schedule,
        "page": Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page")),
        "form": form,
        "can_review": access.can(Action.REVIEW_LEGAL_BASIS),
    }


@login_required
@require_GET
def legal_reviews(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    form = LegalReviewForm(
        agency=access.agency, units=_review_units(access), initial={"reviewed_on": today()}
    )
    return render(request, REVIEWS_TEMPLATE, _reviews_context(request, access, form))


@login_required
@require_POST
def legal_review_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.REVIEW_LEGAL_BASIS)
    form = LegalReviewForm(request.POST, agency=access.agency, units=_review_units(access))
    if not form.is_valid():
        context = _reviews_context(request, access, form)
        return render(request, REVIEWS_TEMPLATE, context, status=400)
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.record_legal_review(
            data["unit"],
            user_of(request),
            data["reviewed_on"],
            data["result"],
            data["findings"],
            [legal.pk for legal in data["legal_documents"]],
        ),
        _("The legal-basis review of %(unit)s has been recorded.") % {"unit": data["unit"]},
    )
    return redirect("documents:legal_reviews", access.agency.pk)
