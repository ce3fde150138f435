"""The quality policy: the version in force, every version, drafting a new one and issuing it
through the paperwork register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qms.objectives import documents, services
from qms.objectives.forms import PolicyForm
from qms.objectives.models import QualityPolicy
from qms.organization.access import Action, agency_access, get_scoped
from qms.paperwork.panel import panel as paper_panel


@login_required
@require_http_methods(["GET", "POST"])
def policy_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    can_draft = access.can(Action.MANAGE_OBJECTIVES) and access.acts_across_units
    form = None
    if request.method == "POST":
        access.require(Action.MANAGE_OBJECTIVES)
        if not can_draft:
            access.require_on(Action.MANAGE_OBJECTIVES, [])
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                policy = services.draft_policy(access.agency, form.cleaned_data["text"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The new version of the policy has been drafted."))
                return redirect(policy)
    in_force = services.policy_in_force(access.agency)
    if form is None and can_draft:
        form = PolicyForm(initial={"text": in_force.text if in_force else ""})
    versions = QualityPolicy.objects.filter(agency=access.agency).select_related("paper")
    context = {
        "access": access,
        "agency": access.agency,
        "in_force": in_force,
        "versions": versions[:50],
        "form": form,
    }
    return render(request, "objectives/policy_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def policy_detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    policy = get_scoped(
        access,
        QualityPolicy.objects.select_related(
            "paper", "paper__agency", "paper__signer", "paper__delegation", "revision__document"
        ),
        pk=pk,
    )
    can_edit = (
        policy.is_editable and access.can(Action.MANAGE_OBJECTIVES) and access.acts_across_units
    )
    form = PolicyForm(initial={"text": policy.text}) if can_edit else None
    if request.method == "POST":
        access.require(Action.MANAGE_OBJECTIVES)
        if not access.acts_across_units:
            access.require_on(Action.MANAGE_OBJECTIVES, [])
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                services.change_policy_text(policy, form.cleaned_data["text"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The text of the policy has been saved."))
            return redirect(policy)
    in_force = services.policy_in_force(access.agency)
    context = {
        "access": access,
        "agency": access.agency,
        "policy": policy,
        "is_in_force": in_force is not None and in_force.pk == policy.pk,
        "form": form,
        "panel": paper_panel(request, access, policy),
    }
    return render(request, "objectives/policy_detail.html", context)


@login_required
@require_GET
def policy_docx(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    policy = get_scoped(access, QualityPolicy.objects.select_related("paper"), pk=pk)
    return documents.download(request, policy)
