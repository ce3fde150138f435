"""Screens of the nonconformity register: the register (filtered, paginated, XLSX), raising
a nonconformity, its page (finding, evidence, correction, cause, actions, verification,
history, the steps this person may take), its forms and the request form as DOCX. Every
view loads through the access helper; rights follow the responsible unit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.agenda.models import Obligation
from qms.audits.models import Finding
from qms.corrective import exports, queries, services
from qms.corrective.forms import ActionForm, AnalysisForm, DoneForm, EvidenceForm, NonconformityForm
from qms.corrective.models import CorrectiveAction, Evidence, Nonconformity, Origin
from qms.corrective.workflows import MANAGE, NONCONFORMITY_FLOW, WORK, CorrectiveActor
from qms.lib.converters import int_param, parse_id
from qms.lib.downloads import DOCX_TYPE, XLSX_TYPE, attachment, stored_attachment
from qms.objectives.models import FollowUp
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped
from qms.organization.models import Unit, today

PAGE_SIZE = 25
HISTORY_ROWS = 20
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _filters(request: HttpRequest, unit_ids: set[int]) -> queries.Filters:
    get = request.GET
    year = int_param(request, "year")
    unit = int_param(request, "unit")
    return queries.Filters(
        year=year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else None,
        status=get.get("status", "") if get.get("status") in Nonconformity.Status.values else "",
        unit=unit if unit in unit_ids else None,
        origin=get.get("origin", "") if get.get("origin") in Origin.values else "",
        overdue=get.get("overdue") == "1",
    )


def _units(access: AgencyAccess) -> list[Unit]:
    return list(Unit.objects.filter(agency=access.agency).order_by("-is_active", "order", "name"))


@login_required
@require_GET
def register(request: HttpRequest, agency_id: int) -> HttpResponse:
    """10 queries whatever the number of rows (tests/test_pages.py): the access helper's 4,
    the units, the count, the years, the page (with units, owners, overdue actions and last
    due dates), the header's 2."""
    access = agency_access(request.user, agency_id)
    units = _units(access)
    filters = _filters(request, {u.pk for u in units})
    day = today()
    rows = queries.register_rows(access.agency, filters, day)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    years = sorted(
        set(
            Nonconformity.objects.filter(agency=access.agency)
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        )
        | {day.year},
        reverse=True,
    )
    for row in page:
        row.ageing = row.ageing_days(day)  # type: ignore[attr-defined]
    context = {
        "access": access,
        "agency": access.agency,
        "filters": filters,
        "units": units,
        "years": years,
        "statuses": Nonconformity.Status.choices,
        "origins": Origin.choices,
        "page": page,
        "query": filters.query(),
        "may_raise": access.can(Action.RAISE_NONCONFORMITY),
    }
    return render(request, "corrective/nonconformity_list.html", context)


@login_required
@require_GET
def export(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    filters = _filters(request, {u.pk for u in _units(access)})
    day = today()
    content = exports.register_xlsx(queries.export_rows(access.agency, filters, day), day)
    return attachment(content, XLSX_TYPE, f"diem-khong-phu-hop-{day:%Y%m%d}.xlsx")


def _form_page(request: HttpRequest, access: AgencyAccess, **context: Any) -> HttpResponse:
    return render(
        request, "corrective/form_page.html", {"access": access, "agency": access.agency, **context}
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.RAISE_NONCONFORMITY)
    form = NonconformityForm(request.POST or None, request.FILES or None, agency=access.agency)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("evidence")
        try:
            saved = services.raise_nonconformity(
                form.instance, access.user, [upload] if upload else []
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request,
                _("Nonconformity %(number)s has been reported.") % {"number": saved.number},
            )
            return redirect(saved)
    return _form_page(
        request,
        access,
        form=form,
        title=_("Report a nonconformity"),
        back=reverse("corrective:register", args=[agency_id]),
        form_id="nonconformity-form",
        multipart=True,
    )


def _load(request: HttpRequest, agency_id: int, pk: int) -> tuple[AgencyAccess, Nonconformity]:
    access = agency_access(request.user, agency_id)
    rows = Nonconformity.objects.select_related(
        "agency", "unit", "procedure", "raised_by", "owner", "analysed_by", "verified_by",
        "follow_up__objective",
    )  # fmt: skip
    return access, get_scoped(access, rows, pk=pk)


def _require(actor: CorrectiveActor, right: str) -> None:
    if actor.can(right):
        return
    actor.access.require(Action.RAISE_NONCONFORMITY)  # the agency-wide refusal first
    raise PermissionDenied(
        _(
            "This belongs to another unit: only that unit, the ISO secretary and the person "
            "responsible may change it."
        )
    )


@login_required
@require_GET
def detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """12 queries whatever the number of actions, files and verifications (the access
    helper's 4, the nonconformity, its actions, their obligations, evidence, verifications,
    history, the header's 2); a head of unit adds their unit, and a nonconformity waiting
    for verification who carried out its actions (for the steps offered)."""
    access, nc = _load(request, agency_id, pk)
    actor = CorrectiveActor(access, nc)
    day = today()
    actions = list(nc.actions.select_related("owner", "done_by"))
    obligations = {
        o.source: o
        for o in Obligation.objects.filter(
            agency=access.agency, source__startswith=f"{services.prefix(nc)}:"
        )
    }
    for a in actions:
        found = obligations.get(f"{services.prefix(nc)}:action:{a.pk}")
        a.overdue = found is not None and found.is_overdue(day)  # type: ignore[attr-defined]
    works = actor.can(WORK)
    open_for_actions = nc.status in services.ACTION_STATES
    raises = access.can(Action.RAISE_NONCONFORMITY)
    for a in actions:
        mine = raises and a.owner_id == access.user.pk
        may = open_for_actions and a.done_on is None and (works or mine)
        a.may_record = may  # type: ignore[attr-defined]
    context = {
        "access": access,
        "agency": access.agency,
        "nc": nc,
        "actor": actor,
        "evidence": list(nc.evidence.select_related("uploaded_by")),
        "actions": actions,
        "verifications": list(nc.verifications.select_related("verified_by")),
        "history": list(
            nc.history.select_related("history_user").order_by("-history_date")[:HISTORY_ROWS]
        ),
        "ageing": nc.ageing_days(day),
        "may_edit": actor.can(MANAGE) and not nc.is_closed,
        "may_analyse": works and nc.status in services.ANALYSIS_STATES,
        "may_plan": works and nc.status in services.ACTION_STATES,
        "may_add_evidence": works and not nc.is_closed,
    }
    return render(request, "corrective/nonconformity_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, nc = _load(request, agency_id, pk)
    _require(CorrectiveActor(access, nc), MANAGE)
    if request.method == "POST":  # moving it to a unit not one's own is refused too
        access.require_on(Action.MANAGE_CORRECTIVE, [parse_id(request.POST.get("unit"))])
    form = NonconformityForm(request.POST or None, instance=nc, agency=access.agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_details(form.instance, access.user)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The nonconformity has been saved."))
            return redirect(nc)
    return _form_page(request, access, form=form, title=str(nc), back=nc.get_absolute_url(),
                      form_id="nonconformity-form")  # fmt: skip


@login_required
@require_POST
def evidence_add(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, nc = _load(request, agency_id, pk)
    _require(CorrectiveActor(access, nc), WORK)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, str(error))
        return redirect(nc)
    try:
        services.add_evidence(nc, form.cleaned_data["file"], access.user)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The file has been attached."))
    return redirect(nc)


@login_required
@require_GET
def evidence_file(request: HttpRequest, agency_id: int, pk: int, file_pk: int) -> HttpResponse:
    access, nc = _load(request, agency_id, pk)
    found = Evidence.objects.filter(nonconformity=nc, pk=file_pk).first()
    if found is None:
        raise Http404
    return stored_attachment(found.file, found.content_type, found.name)


@login_required
@require_http_methods(["GET", "POST"])
def analysis(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, nc = _load(request, agency_id, pk)
    _require(CorrectiveActor(access, nc), WORK)
    form = AnalysisForm(request.POST or None, initial=AnalysisForm.initial_of(nc))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_analysis(nc, access.user, form.values())
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The correction and the analysis have been saved."))
            return redirect(nc)
    return _form_page(
        request,
        access,
        form=form,
        title=_("Correction and cause analysis: %(number)s") % {"number": nc.number},
        help=_(
            "Ask “why?” up to five times until the root cause appears, or tick the categories "
            "of causes found; then state the root cause."
        ),
        back=nc.get_absolute_url(),
        form_id="analysis-form",
    )


def _action(
    request: HttpRequest, agency_id: int, pk: int, action_pk: int
) -> tuple[AgencyAccess, Nonconformity, CorrectiveAction]:
    access, nc = _load(request, agency_id, pk)
    found = CorrectiveAction.objects.filter(nonconformity=nc, pk=action_pk).first()
    if found is None:
        raise Http404
    found.nonconformity = nc
    return access, nc, found


@login_required
@require_http_methods(["GET", "POST"])
def action_form(
    request: HttpRequest, agency_id: int, pk: int, action_pk: int | None = None
) -> HttpResponse:
    if action_pk is None:
        access, nc = _load(request, agency_id, pk)
        action = CorrectiveAction(nonconformity=nc)
    else:
        access, nc, action = _action(request, agency_id, pk, action_pk)
    _require(CorrectiveActor(access, nc), WORK)
    form = ActionForm(request.POST or None, instance=action, agency=access.agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_action(form.instance, access.user)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The action has been saved."))
            return redirect(nc)
    return _form_page(
        request,
        access,
        form=form,
        title=_("Action of %(number)s") % {"number": nc.number},
        back=nc.get_absolute_url(),
        form_id="action-form",
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_done(request: HttpRequest, agency_id: int, pk: int, action_pk: int) -> HttpResponse:
    access, nc, action = _action(request, agency_id, pk, action_pk)
    actor = CorrectiveActor(access, nc)
    if not (access.can(Action.RAISE_NONCONFORMITY) and action.owner_id == access.user.pk):
        _require(actor, WORK)  # the action's owner, the person responsible, the managers
    form = DoneForm(request.POST or None, initial={"done_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.mark_done(action, access.user, data["done_on"], data["note"])
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The action has been recorded as done."))
            return redirect(nc)
    return _form_page(
        request,
        access,
        form=form,
        title=_("Action done: %(action)s") % {"action": action},
        back=nc.get_absolute_url(),
        form_id="done-form",
    )


@login_required
@require_POST
def step(request: HttpRequest, agency_id: int, pk: int, name: str) -> HttpResponse:
    access, nc = _load(request, agency_id, pk)
    transition = NONCONFORMITY_FLOW.transition(name)
    if transition is None:
        raise Http404
    actor = CorrectiveActor(access, nc)
    if not actor.can(transition.right) and not actor.can(MANAGE):
        _require(actor, transition.right)
    try:
        values = transition.read(request.POST)
        services.take(nc, name, actor, values)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(transition.done))
    return redirect(nc)


@login_required
@require_GET
def request_form(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, nc = _load(request, agency_id, pk)
    actions = list(nc.actions.select_related("owner"))
    content = exports.request_form(nc, actions)
    return attachment(content, DOCX_TYPE, exports.request_form_name(nc))


@login_required
@require_POST
def from_follow_up(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """ "Open a corrective action" on the follow-up of a missed objective."""
    access = agency_access(request.user, agency_id)
    rows = FollowUp.objects.select_related("objective__agency", "measurement")
    follow_up = rows.filter(pk=pk, objective__agency=access.agency).first()
    if follow_up is None:
        raise Http404
    access.require_on(Action.MANAGE_CORRECTIVE, [follow_up.objective.responsible_unit_id])
    try:
        nc = services.open_from_follow_up(follow_up, access.user)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect(follow_up.objective)
    messages.success(
        request, _("Nonconformity %(number)s has been opened.") % {"number": nc.number}
    )
    return redirect(nc)


@login_required
@require_POST
def from_finding(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """ "Open a corrective action" on a nonconformity found by an internal audit: whoever may
    report a nonconformity."""
    access = agency_access(request.user, agency_id)
    finding = get_scoped(access, Finding.objects.select_related("audit"), pk=pk)
    access.require(Action.RAISE_NONCONFORMITY)
    try:
        nc = services.open_from_finding(finding, access.user)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect(finding.get_absolute_url())
    messages.success(
        request, _("Nonconformity %(number)s has been opened.") % {"number": nc.number}
    )
    return redirect(nc)
