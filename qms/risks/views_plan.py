"""The year's treatment plan issued through the register of outgoing documents: drafted by
the ISO secretary, put forward, signed and numbered in the paperwork panel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qms.lib import officialdoc as od
from qms.lib.downloads import DOCX_TYPE, attachment
from qms.organization.access import Action, agency_access, get_scoped
from qms.paperwork.panel import panel as paper_panel
from qms.risks import queries, services
from qms.risks.models import TreatmentPlan
from qms.risks.pages import check_year
from qms.risks.scale import scale_of

PLANS = TreatmentPlan.objects.select_related(
    "agency", "paper", "paper__agency", "paper__signer", "paper__delegation"
)


@login_required
@require_POST
def plan_draft(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require_on(Action.MANAGE_RISKS, [])
    access.require(Action.MANAGE_CONTEXT)
    plan = services.draft_plan(access.agency, check_year(year))
    messages.success(request, _("The treatment plan has been drafted in the register."))
    return redirect(plan)


@login_required
@require_GET
def plan_page(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    plan = get_scoped(access, PLANS, pk=pk)
    scale = scale_of(access.agency)
    rows = queries.export_rows(access.agency, plan.year, needing_action=scale.threshold)
    context = {
        "access": access,
        "agency": access.agency,
        "plan": plan,
        "rows": rows,
        "scale": scale,
        "panel": paper_panel(request, access, plan),
    }
    return render(request, "risks/plan_page.html", context)


@login_required
@require_GET
def plan_docx(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    plan = get_scoped(access, PLANS, pk=pk)
    content = od.build_docx(plan.official_document())
    return attachment(content, DOCX_TYPE, f"ke-hoach-xu-ly-rui-ro-{plan.year}.docx")
