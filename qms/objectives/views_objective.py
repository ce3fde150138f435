"""One quality objective: its form, its page (measurements, trend, plan, follow-ups), its
workflow steps, results entered with evidence, actions and follow-ups."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.lib.converters import parse_id
from qms.lib.downloads import stored_attachment
from qms.lib.forms import named_errors
from qms.lib.uploads import EVIDENCE_FILES, extension_of
from qms.objectives import periods, services
from qms.objectives.forms import ActionForm, FollowUpForm, MeasurementForm, ObjectiveForm
from qms.objectives.models import Measurement, ObjectiveAction, QualityObjective
from qms.objectives.views_year import year_of, year_url
from qms.objectives.workflows import OBJECTIVE_FLOW, ObjectiveActor, may_compile
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped

S = QualityObjective.Status


def _objective(
    request: HttpRequest, agency_id: int, pk: int
) -> tuple[AgencyAccess, QualityObjective]:
    access = agency_access(request.user, agency_id)
    rows = QualityObjective.objects.select_related(
        "agency", "unit", "owner_unit", "parent", "proposed_by"
    )
    return access, get_scoped(access, rows, pk=pk)


def may_edit(access: AgencyAccess, objective: QualityObjective) -> bool:
    if objective.status == S.ISSUED:
        return False
    if objective.status == S.ACCEPTED:
        return may_compile(access)
    return access.can_on(Action.MANAGE_OBJECTIVES, [objective.unit_id])


def may_follow(access: AgencyAccess, objective: QualityObjective) -> bool:
    """Results, actions and follow-ups: the unit in charge, the ISO secretary."""
    return access.can_on(Action.MANAGE_OBJECTIVES, [objective.responsible_unit_id])


def _refuse_unless(allowed: bool, access: AgencyAccess) -> None:
    if not allowed:
        access.require(Action.MANAGE_OBJECTIVES)
        raise PermissionDenied(
            _(
                "This belongs to another unit: only that unit, the ISO secretary and the "
                "leadership may change it."
            )
        )


@login_required
@require_http_methods(["GET", "POST"])
def new_objective(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_OBJECTIVES)
    if not access.acts_across_units and not access.unit_ids:
        raise PermissionDenied(_("Only a member of a unit proposes the objectives of a unit."))
    year = year_of(request.GET.get("year"))
    if request.method == "POST" and not access.acts_across_units:
        access.require_on(Action.MANAGE_OBJECTIVES, [parse_id(request.POST.get("unit"))])
    form = ObjectiveForm(request.POST or None, access=access, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.save_objective(form.instance, access.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The objective has been saved as a draft."))
            return redirect(objective)
    context = {"access": access, "agency": access.agency, "form": form, "year": year}
    return render(request, "objectives/objective_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_objective(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, objective = _objective(request, agency_id, pk)
    _refuse_unless(may_edit(access, objective), access)
    if request.method == "POST" and not access.acts_across_units:
        access.require_on(Action.MANAGE_OBJECTIVES, [parse_id(request.POST.get("unit"))])
    form = ObjectiveForm(
        request.POST or None, instance=objective, access=access, year=objective.year
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_objective(form.instance, access.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The objective has been saved."))
            return redirect(objective)
    context = {
        "access": access,
        "agency": access.agency,
        "form": form,
        "year": objective.year,
        "objective": objective,
    }
    return render(request, "objectives/objective_form.html", context)


def follow_up_form(measurement: Measurement, data: object = None) -> FollowUpForm:
    """One form per missed period on the page: its own prefix keeps the ids apart."""
    return FollowUpForm(data, prefix=f"follow-{measurement.pk}")  # type: ignore[arg-type]


def _chart(
    objective: QualityObjective, rows: list[tuple[periods.Span, Measurement | None]]
) -> dict:
    return {
        "labels": [span.label for span, _m in rows],
        "value": {
            "label": objective.indicator,
            "data": [float(m.value) if m else None for _s, m in rows],
        },
        "target": {"label": str(_("Target")), "data": [float(objective.target)] * len(rows)},
    }


@login_required
@require_GET
def detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, objective = _objective(request, agency_id, pk)
    found = {
        m.period_key: m
        for m in objective.measurements.select_related(
            "entered_by", "follow_up", "follow_up__recorded_by", "follow_up__nonconformity"
        )
    }
    spans = periods.spans(objective.year, objective.period)
    follows = may_follow(access, objective)
    rows = [(span, found.get(span.key)) for span in spans]
    missed = [
        (span, m, follow_up_form(m) if follows and not hasattr(m, "follow_up") else None)
        for span, m in rows
        if m is not None and not m.achieved
    ]
    measurable = objective.status in (S.ACCEPTED, S.ISSUED)
    context = {
        "access": access,
        "agency": access.agency,
        "objective": objective,
        "actor": ObjectiveActor(access, objective),
        "rows": rows,
        "missed": missed,
        "chart": _chart(objective, rows),
        "actions": objective.actions.select_related("owner_unit", "owner_person"),
        "unit_objectives": objective.unit_objectives.select_related("unit"),
        "may_edit": may_edit(access, objective)
        and services.year_is_open(objective.agency, objective.year),
        "may_follow": follows,
        "measure_form": (
            MeasurementForm(objective=objective, prefix="measure")
            if follows and measurable and not objective.is_computed
            else None
        ),
        "action_form": ActionForm(access=access, prefix="action") if follows else None,
        "year_url": year_url(agency_id, objective.year),
    }
    return render(request, "objectives/objective_detail.html", context)


@login_required
@require_POST
def take_step(request: HttpRequest, agency_id: int, pk: int, name: str) -> HttpResponse:
    access, objective = _objective(request, agency_id, pk)
    step = OBJECTIVE_FLOW.transition(name)
    if step is None:
        raise Http404
    actor = ObjectiveActor(access, objective)
    if not actor.can(step.right):
        _refuse_unless(False, access)
    try:
        services.take(objective, name, access, step.read(request.POST))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(step.done))
    return redirect(objective)


def _errors(request: HttpRequest, form: object) -> None:
    messages.error(request, " ".join(named_errors(form)))  # type: ignore[arg-type]


@login_required
@require_POST
def measure(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, objective = _objective(request, agency_id, pk)
    _refuse_unless(may_follow(access, objective), access)
    form = MeasurementForm(request.POST, request.FILES, objective=objective, prefix="measure")
    if not form.is_valid():
        _errors(request, form)
        return redirect(objective)
    data = form.cleaned_data
    try:
        services.enter_measurement(
            objective,
            data["period"],
            data["value"],
            access.user,
            note=data["note"],
            evidence=data["evidence"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The result has been recorded."))
    return redirect(objective)


@login_required
@require_GET
def evidence(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    rows = Measurement.objects.filter(objective__agency=access.agency)
    measurement = rows.filter(pk=pk).exclude(evidence="").first()
    if measurement is None:
        raise Http404
    name = measurement.evidence_name or "minh-chung"
    kind = EVIDENCE_FILES.get(extension_of(name), "application/octet-stream")
    return stored_attachment(measurement.evidence, kind, name)


@login_required
@require_POST
def add_action(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, objective = _objective(request, agency_id, pk)
    _refuse_unless(may_follow(access, objective), access)
    form = ActionForm(request.POST, access=access, prefix="action")
    if form.is_valid():
        services.add_action(objective, form.instance)
        messages.success(request, _("The action has been added to the plan."))
    else:
        _errors(request, form)
    return redirect(objective)


@login_required
@require_POST
def action_done(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    rows = ObjectiveAction.objects.filter(objective__agency=access.agency).select_related(
        "objective", "objective__agency"
    )
    action = rows.filter(pk=pk).first()
    if action is None:
        raise Http404
    _refuse_unless(may_follow(access, action.objective), access)
    done = request.POST.get("done") == "1"
    services.set_action_done(action, done)
    messages.success(
        request, _("The action is marked as done.") if done else _("The action is open again.")
    )
    return redirect(action.objective)


@login_required
@require_POST
def follow_up(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    rows = Measurement.objects.filter(objective__agency=access.agency).select_related(
        "objective", "objective__agency"
    )
    measurement = rows.filter(pk=pk).first()
    if measurement is None:
        raise Http404
    objective = measurement.objective
    _refuse_unless(may_follow(access, objective), access)
    form = follow_up_form(measurement, request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(objective)
    try:
        services.record_follow_up(
            measurement, form.cleaned_data["note"], form.cleaned_data["due_date"], access.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The need for corrective action has been recorded."))
    return redirect(objective)
