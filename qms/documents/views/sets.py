"""Document sets (Bộ tài liệu ISO): the decision that brings revisions into force together."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.documents import docx, forms, services
from qms.documents.models import DocumentSet, Revision
from qms.documents.views.common import PAGE_SIZE, attempt
from qms.lib.converters import parse_id
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped
from qms.organization.standards import standard
from qms.paperwork.panel import panel as paper_panel


def _load(request: HttpRequest, agency_id: int, pk: int) -> tuple[AgencyAccess, DocumentSet]:
    access = agency_access(request.user, agency_id)
    sets = DocumentSet.objects.select_related("agency", "paper__agency", "paper__drafting_unit")
    return access, get_scoped(access, sets, pk=pk)


def _list_context(access: AgencyAccess, request: HttpRequest, form: Any) -> dict[str, Any]:
    sets = (
        DocumentSet.objects.filter(agency=access.agency)
        .select_related("paper__agency", "paper__drafting_unit")
        .annotate(size=Count("revisions"))
    )
    return {
        "access": access,
        "agency": access.agency,
        "page": Paginator(sets.order_by("-created_at"), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "form": form,
        "can_manage": access.can(Action.MANAGE_DOCUMENTS),
    }


def _new_set_initial(access: AgencyAccess) -> dict[str, str]:
    agency = access.agency
    return {
        "title": "Bộ tài liệu Hệ thống quản lý chất lượng theo "
        f"{standard(agency.standard).full_name_lower} của {agency.name}",
    }


@login_required
@require_GET
def set_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    form = forms.DocumentSetForm(initial=_new_set_initial(access))
    return render(request, "documents/set_list.html", _list_context(access, request, form))


@login_required
@require_POST
def set_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_DOCUMENTS)
    form = forms.DocumentSetForm(request.POST)
    if not form.is_valid():
        context = _list_context(access, request, form)
        return render(request, "documents/set_list.html", context, status=400)
    document_set = services.create_set(access.agency, **form.cleaned_data)
    messages.success(request, _("The document set has been created; add its revisions."))
    return redirect(document_set)


def _detail_context(
    request: HttpRequest, access: AgencyAccess, document_set: DocumentSet
) -> dict[str, Any]:
    revisions = list(
        document_set.revisions.select_related("document", "document__owner_unit").order_by(
            "document__code"
        )
    )
    return {
        "access": access,
        "agency": access.agency,
        "document_set": document_set,
        "revisions": revisions,
        "not_approved": [r for r in revisions if r.status != Revision.Status.APPROVED],
        "is_draft": document_set.is_draft,
        "can_manage": access.can(Action.MANAGE_DOCUMENTS),
        "add_form": forms.SetRevisionForm(document_set=document_set),
        "panel": paper_panel(request, access, document_set),
    }


@login_required
@require_GET
def set_detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, document_set = _load(request, agency_id, pk)
    return render(
        request, "documents/set_detail.html", _detail_context(request, access, document_set)
    )


@login_required
@require_http_methods(["GET", "POST"])
def set_edit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, document_set = _load(request, agency_id, pk)
    access.require(Action.MANAGE_DOCUMENTS)
    if not document_set.is_editable:
        messages.error(request, _("Only a draft not yet submitted for signature can be changed."))
        return redirect(document_set)
    form = forms.DocumentSetForm(request.POST or None, instance=document_set)
    if request.method == "POST" and form.is_valid():
        attempt(
            request,
            lambda: services.save_set_draft(document_set, **form.cleaned_data),
            _("The document set has been saved."),
        )
        return redirect(document_set)
    return render(
        request,
        "documents/set_form.html",
        {"access": access, "agency": access.agency, "document_set": document_set, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def set_revisions(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """Add a revision to the draft set, or take one out (`remove` = its id)."""
    access, document_set = _load(request, agency_id, pk)
    access.require(Action.MANAGE_DOCUMENTS)
    remove = request.POST.get("remove", "")
    if remove:
        remove_id = parse_id(remove)
        if remove_id is None:
            raise Http404
        revision = Revision.objects.filter(pk=remove_id, document__agency=access.agency).first()
        if revision is None:
            raise Http404
        attempt(
            request,
            lambda: services.remove_from_set(document_set, revision),
            _("The revision has been taken out of the set."),
        )
        return redirect(document_set)
    form = forms.SetRevisionForm(request.POST, document_set=document_set)
    if not form.is_valid():
        messages.error(request, _("Choose a revision being prepared in this agency."))
        return redirect(document_set)
    attempt(
        request,
        lambda: services.add_to_set(document_set, form.cleaned_data["revision"]),
        _("The revision has been added to the set."),
    )
    return redirect(document_set)


@login_required
@require_GET
def set_export(request: HttpRequest, agency_id: int, pk: int, what: str) -> HttpResponse:
    access, document_set = _load(request, agency_id, pk)
    if what not in ("docx", "pdf"):
        raise Http404
    return docx.set_decision_response(request, document_set, what)
