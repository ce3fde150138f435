"""Screens of one row of the register: its page (assessments, before → after treatment,
treatments), the forms that add or change it, its reassessment, its treatments and their
effectiveness checks, and its workflow steps. A head of unit acts on their unit's rows only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.lib.converters import parse_id
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped
from qms.organization.models import today
from qms.risks import services
from qms.risks.forms import AssessmentForm, CheckForm, DoneForm, RiskForm, TreatmentForm
from qms.risks.models import Risk, Treatment
from qms.risks.pages import check_year
from qms.risks.scale import axis_labels, scale_of, scored
from qms.risks.workflows import RISK_FLOW, UnitActor, may_record_done


def _risk(request: HttpRequest, agency_id: int, pk: int) -> tuple[AgencyAccess, Risk]:
    access = agency_access(request.user, agency_id)
    rows = Risk.objects.select_related("agency", "unit", "process", "created_by")
    return access, get_scoped(access, rows, pk=pk)


def _form_page(request: HttpRequest, access: AgencyAccess, **context: Any) -> HttpResponse:
    return render(
        request, "risks/form_page.html", {"access": access, "agency": access.agency, **context}
    )


def _unit_ids(access: AgencyAccess) -> list[int] | None:
    """The units whose rows the user adds: all (None) across units, else their own."""
    return None if access.acts_across_units else sorted(access.unit_ids)


@login_required
@require_GET
def detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """5 queries whatever the number of assessments and treatments (the access helper's,
    the risk, the scale, the assessments with their authors, the treatments with owners)."""
    access, risk = _risk(request, agency_id, pk)
    scale = scale_of(access.agency)
    assessments = list(risk.assessments.select_related("assessed_by").order_by("assessed_on", "pk"))
    treatments = list(
        risk.treatments.select_related("owner_unit", "owner_person", "done_by", "checked_by")
    )
    day = today()
    for t in treatments:
        t.check_due = services.check_is_due(t, day)  # type: ignore[attr-defined]
        t.late = t.done_on is None and t.due_on < day  # type: ignore[attr-defined]
        t.may_done = may_record_done(access, risk.unit_id, t)  # type: ignore[attr-defined]
    for a in assessments:
        a.scored = scored(scale, a.level, risk.kind)  # type: ignore[attr-defined]
    first, second = axis_labels(risk.kind)
    actor = UnitActor(access, risk.unit_id)
    context = {
        "access": access,
        "agency": access.agency,
        "risk": risk,
        "scored": scored(scale, risk.level, risk.kind),
        "assessments": assessments,
        "before": assessments[0] if assessments else None,
        "after": assessments[-1] if len(assessments) > 1 else None,
        "treatments": treatments,
        "first_label": first,
        "second_label": second,
        "actor": actor,
        "may_change": actor.can(Action.MANAGE_RISKS),
    }
    return render(request, "risks/risk_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def risk_new(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_RISKS)
    year = check_year(year)
    if request.method == "POST":  # a unit not of the user's own is refused before the form
        access.require_on(Action.MANAGE_RISKS, [parse_id(request.POST.get("unit"))])
    scale = scale_of(access.agency)
    risk = Risk(agency=access.agency, year=year)
    form = RiskForm(
        request.POST or None,
        instance=risk,
        agency=access.agency,
        scale=scale,
        unit_ids=_unit_ids(access),
    )
    if request.method == "POST" and form.is_valid():
        saved = services.create_risk(form.instance, access.user)
        messages.success(request, _("The row has been added to the register."))
        return redirect(saved.get_absolute_url())
    back = f"{reverse('risks:register', args=[agency_id])}?year={year}"
    title = _("New risk or opportunity, %(year)s") % {"year": year}
    return _form_page(request, access, form=form, title=title, back=back, form_id="risk-form")


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, risk = _risk(request, agency_id, pk)
    access.require_on(Action.MANAGE_RISKS, [risk.unit_id])
    form = RiskForm(
        request.POST or None,
        instance=risk,
        agency=access.agency,
        scale=scale_of(access.agency),
        unit_ids=_unit_ids(access),
    )
    if request.method == "POST" and form.is_valid():
        services.update_risk(form.instance)
        messages.success(request, _("The row has been saved."))
        return redirect(risk.get_absolute_url())
    return _form_page(
        request,
        access,
        form=form,
        title=str(risk),
        back=risk.get_absolute_url(),
        form_id="risk-form",
    )


@login_required
@require_http_methods(["GET", "POST"])
def reassess(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, risk = _risk(request, agency_id, pk)
    access.require_on(Action.MANAGE_RISKS, [risk.unit_id])
    initial = {"likelihood": risk.likelihood, "impact": risk.impact}
    form = AssessmentForm(
        request.POST or None, initial=initial, scale=scale_of(access.agency), kind=risk.kind
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.reassess(risk, access.user, data["likelihood"], data["impact"], data["note"])
        messages.success(request, _("The reassessment has been recorded."))
        return redirect(risk.get_absolute_url())
    return _form_page(
        request,
        access,
        form=form,
        title=_("Reassess: %(risk)s") % {"risk": risk},
        back=risk.get_absolute_url(),
        form_id="assessment-form",
    )


@login_required
@require_POST
def step(request: HttpRequest, agency_id: int, pk: int, name: str) -> HttpResponse:
    access, risk = _risk(request, agency_id, pk)
    transition = RISK_FLOW.transition(name)
    if transition is None:
        raise Http404
    access.require_on(Action(transition.right), [risk.unit_id])
    try:
        values = transition.read(request.POST)
        services.take_step(risk, name, UnitActor(access, risk.unit_id), values.get("comment", ""))
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(transition.done))
    return redirect(risk.get_absolute_url())


# --- treatments ------------------------------------------------------------------------


def _treatment(
    request: HttpRequest, agency_id: int, pk: int, treatment_pk: int
) -> tuple[AgencyAccess, Risk, Treatment]:
    access, risk = _risk(request, agency_id, pk)
    rows = Treatment.objects.filter(risk=risk).select_related("risk__agency")
    treatment = rows.filter(pk=treatment_pk).first()
    if treatment is None:
        raise Http404
    return access, risk, treatment


@login_required
@require_http_methods(["GET", "POST"])
def treatment_form(
    request: HttpRequest, agency_id: int, pk: int, treatment_pk: int | None = None
) -> HttpResponse:
    if treatment_pk is None:
        access, risk = _risk(request, agency_id, pk)
        treatment = Treatment(risk=risk)
    else:
        access, risk, treatment = _treatment(request, agency_id, pk, treatment_pk)
    access.require_on(Action.MANAGE_RISKS, [risk.unit_id])
    form = TreatmentForm(request.POST or None, instance=treatment, agency=access.agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_treatment(form.instance, scale_of(access.agency))
        except ValidationError as refusal:
            form.add_error("check_on", refusal)
        else:
            messages.success(request, _("The treatment has been saved."))
            return redirect(risk.get_absolute_url())
    return _form_page(
        request,
        access,
        form=form,
        title=_("Treatment of: %(risk)s") % {"risk": risk},
        back=risk.get_absolute_url(),
        form_id="treatment-form",
    )


@login_required
@require_http_methods(["GET", "POST"])
def treatment_done(
    request: HttpRequest, agency_id: int, pk: int, treatment_pk: int
) -> HttpResponse:
    access, risk, treatment = _treatment(request, agency_id, pk, treatment_pk)
    if not may_record_done(access, risk.unit_id, treatment):
        access.require_on(Action.MANAGE_RISKS, [risk.unit_id, treatment.owner_unit_id])
    form = DoneForm(request.POST or None, initial={"done_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_done(
                treatment, access.user, form.cleaned_data["done_on"], form.cleaned_data["note"]
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The treatment has been recorded as done."))
            return redirect(risk.get_absolute_url())
    return _form_page(
        request,
        access,
        form=form,
        title=_("Treatment done: %(action)s") % {"action": treatment},
        back=risk.get_absolute_url(),
        form_id="done-form",
    )


@login_required
@require_http_methods(["GET", "POST"])
def treatment_check(
    request: HttpRequest, agency_id: int, pk: int, treatment_pk: int
) -> HttpResponse:
    access, risk, treatment = _treatment(request, agency_id, pk, treatment_pk)
    access.require_on(Action.MANAGE_RISKS, [risk.unit_id])
    form = CheckForm(request.POST or None, initial={"checked_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_check(
                treatment, access.user, data["result"], data["note"], data["checked_on"]
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The effectiveness check has been recorded."))
            return redirect(risk.get_absolute_url())
    return _form_page(
        request,
        access,
        form=form,
        title=_("Effectiveness check: %(action)s") % {"action": treatment},
        back=risk.get_absolute_url(),
        form_id="check-form",
    )
