"""Screens of the audits: the list (filters by year, status and unit), the form, the page of one
audit (team, checklist, findings, the plan's and the report's paperwork), its steps, and the
XLSX of the year's findings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.audits import documents, exports, queries, services
from qms.audits.forms import AnswerForm, AuditForm, ConclusionForm, TeamForm, units_of
from qms.audits.models import Audit, AuditProgramme, ChecklistItem, Finding, TeamMember
from qms.audits.rights import AuditActor
from qms.audits.views_programme import PAGE_SIZE, check_year, programme_url, year_of
from qms.audits.workflows import AUDIT_FLOW
from qms.lib.converters import int_param
from qms.lib.downloads import XLSX_TYPE, attachment
from qms.lib.forms import named_errors
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped
from qms.paperwork.panel import panel as paper_panel

S = Audit.Status
PAPER = ("paper", "paper__agency", "paper__signer", "paper__delegation")


def load(request: HttpRequest, agency_id: int, pk: int) -> tuple[AgencyAccess, Audit]:
    access = agency_access(request.user, agency_id)
    rows = Audit.objects.select_related("agency", "programme")
    return access, get_scoped(access, rows, pk=pk)


def actor_of(access: AgencyAccess, audit: Audit) -> AuditActor:
    team = frozenset(audit.team.values_list("person_id", flat=True))
    return AuditActor(access, team)


def _refuse(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def audit_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Paginated; access, units (filter), count and page: the same whatever the rows."""
    access = agency_access(request.user, agency_id)
    agency = access.agency
    units = list(units_of(agency))
    unit = int_param(request, "unit")
    unit = unit if unit in {u.pk for u in units} else None
    status = request.GET.get("status", "")
    status = status if status in S.values else ""
    year = int_param(request, "year")
    year = year if year is not None and 1990 <= year <= 2100 else None
    rows = queries.audits(agency, year=year, status=status, unit=unit)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(
        {k: v for k, v in {"year": year or "", "status": status, "unit": unit or ""}.items() if v}
    )
    context = {
        "access": access,
        "agency": agency,
        "tab": "list",
        "year": year or year_of(request),
        "page": page,
        "query": query,
        "units": units,
        "statuses": S.choices,
        "chosen": {"unit": unit, "status": status, "year": year},
    }
    return render(request, "audits/audit_list.html", context)


def _form_page(request: HttpRequest, access: AgencyAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        "audits/form_page.html",
        {"access": access, "agency": access.agency, **context},
    )


def _save(form: AuditForm) -> Audit | None:
    """The form's audit saved through the service, or None with the refusal on the form."""
    try:
        return services.save_audit(
            form.instance,
            list(form.cleaned_data["units"]),
            list(form.cleaned_data["procedures"]),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def audit_new(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_AUDITS)
    programme = get_scoped(access, AuditProgramme.objects.all(), pk=pk)
    audit = Audit(agency=access.agency, programme=programme)
    if request.GET.get("kind") == Audit.Kind.MOCK:
        # The mock audit is proposed on its day: 15 days before the inspection notice.
        audit.kind = Audit.Kind.MOCK
        audit.title = _("Mock audit before the inspection, %(year)s") % {"year": programme.year}
        day = services.mock_audit_day(access.agency, programme.year)
        if day is not None:
            audit.starts_on = audit.ends_on = day
    form = AuditForm(request.POST or None, instance=audit, agency=access.agency)
    if request.method == "POST" and form.is_valid():
        audit.clauses = form.cleaned_data["clauses"]
        if _save(form) is not None:
            messages.success(request, _("The audit has been created: now choose its team."))
            return redirect(audit)
    title = _("New internal audit, %(year)s") % {"year": programme.year}
    back = programme_url(agency_id, programme.year)
    return _form_page(request, access, form=form, title=title, back=back, form_id="audit-form")


@login_required
@require_http_methods(["GET", "POST"])
def audit_edit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, audit = load(request, agency_id, pk)
    access.require(Action.MANAGE_AUDITS)
    if audit.status != S.DRAFT:
        messages.error(
            request,
            _("The audit plan has been issued: its scope, criteria and team no longer change."),
        )
        return redirect(audit)
    form = AuditForm(request.POST or None, instance=audit, agency=access.agency)
    if request.method == "POST" and form.is_valid():
        audit.clauses = form.cleaned_data["clauses"]
        if _save(form) is not None:
            messages.success(request, _("The audit has been saved."))
            return redirect(audit)
    return _form_page(
        request,
        access,
        form=form,
        title=str(audit),
        back=audit.get_absolute_url(),
        form_id="audit-form",
    )


def _counts(findings: list[Finding]) -> list[tuple[str, int]]:
    counted = queries.counts_by_kind(findings)
    return [(str(label), counted[kind]) for kind, label in Finding.Kind.choices]


@login_required
@require_GET
def detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """A fixed number of queries whatever the size of the team, checklist and findings."""
    access = agency_access(request.user, agency_id)
    rows = Audit.objects.select_related(
        "agency", "programme", *(f"plan__{p}" for p in PAPER), *(f"report__{p}" for p in PAPER)
    )
    audit = get_scoped(access, rows, pk=pk)
    team = list(audit.team.select_related("person"))
    actor = AuditActor(access, frozenset(m.person_id for m in team))
    plan = getattr(audit, "plan", None)
    report = getattr(audit, "report", None)
    findings = list(audit.findings.select_related("unit", "procedure").prefetch_related("files"))
    may_manage = access.can(Action.MANAGE_AUDITS)
    under_way = audit.status in (S.PLANNED, S.HELD)
    context = {
        "access": access,
        "agency": access.agency,
        "audit": audit,
        "units": list(audit.units.all()),
        "procedures": list(audit.procedures.all()),
        "team": team,
        "checklist": list(audit.checklist.select_related("procedure", "answered_by")),
        "findings": findings,
        "counts": _counts(findings),
        "plan": plan,
        "plan_panel": paper_panel(request, access, plan) if plan else None,
        "report": report,
        "report_panel": paper_panel(request, access, report) if report else None,
        "actor": actor,
        "may_manage": may_manage,
        "may_plan": may_manage and audit.status == S.DRAFT,
        "may_report": may_manage and audit.status == S.HELD,
        "may_record": under_way and actor.can(Action.RECORD_FINDINGS),
        "team_form": TeamForm(agency=access.agency)
        if may_manage and audit.status == S.DRAFT
        else None,
        "answer_choices": AnswerForm.base_fields["answer"].choices,  # type: ignore[attr-defined]
        "conclusion_form": (
            ConclusionForm(initial={"conclusion": report.conclusion})
            if report and report.is_editable and may_manage
            else None
        ),
    }
    return render(request, "audits/audit_detail.html", context)


@login_required
@require_POST
def team_add(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, audit = load(request, agency_id, pk)
    access.require(Action.MANAGE_AUDITS)
    form = TeamForm(request.POST, agency=access.agency)
    if not form.is_valid():
        for error in named_errors(form):
            messages.error(request, error)
        return redirect(audit)
    try:
        services.add_member(
            audit, form.cleaned_data["person"], is_lead=form.cleaned_data["is_lead"]
        )
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The auditor has joined the team."))
    return redirect(audit)


@login_required
@require_POST
def team_remove(request: HttpRequest, agency_id: int, pk: int, member_pk: int) -> HttpResponse:
    access, audit = load(request, agency_id, pk)
    access.require(Action.MANAGE_AUDITS)
    member = TeamMember.objects.filter(audit=audit, pk=member_pk).select_related("audit").first()
    if member is None:
        raise Http404
    try:
        services.remove_member(member)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The auditor has left the team."))
    return redirect(audit)


@login_required
@require_POST
def plan_draft(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    done = _("The audit plan has been drafted for signature.")
    return _draft_paper(request, agency_id, pk, services.draft_plan, done, "plan")


def _draft_paper(
    request: HttpRequest,
    agency_id: int,
    pk: int,
    draft: Callable[[Audit], object],
    done: str,
    anchor: str,
) -> HttpResponse:
    """The audit's plan or report drafted for signature, back to its panel on the page."""
    access, audit = load(request, agency_id, pk)
    access.require(Action.MANAGE_AUDITS)
    try:
        draft(audit)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, done)
    return redirect(reverse("audits:detail", args=[agency_id, pk]) + f"#{anchor}")


@login_required
@require_GET
def plan_docx(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, audit = load(request, agency_id, pk)
    plan = getattr(audit, "plan", None)
    if plan is None:
        raise Http404
    return documents.download(request, plan)


@login_required
@require_POST
def step(request: HttpRequest, agency_id: int, pk: int, name: str) -> HttpResponse:
    access, audit = load(request, agency_id, pk)
    transition = AUDIT_FLOW.transition(name)
    if transition is None:
        raise Http404
    access.require(Action(transition.right))
    try:
        services.hold(audit, access)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, str(transition.done))
    return redirect(audit)


@login_required
@require_POST
def checklist_build(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, audit = load(request, agency_id, pk)
    access.require(Action.MANAGE_AUDITS)
    try:
        count = services.build_checklist(audit)
    except ValidationError as error:
        _refuse(request, error)
    else:
        if count:
            messages.success(
                request,
                _("%(count)s questions have been copied into the checklist.") % {"count": count},
            )
        else:
            messages.info(
                request,
                _(
                    "No new question: the banks hold none for this audit's criteria, or all "
                    "are copied already."
                ),
            )
    return redirect(reverse("audits:detail", args=[agency_id, pk]) + "#checklist")


@login_required
@require_POST
def answer(request: HttpRequest, agency_id: int, pk: int, item_pk: int) -> HttpResponse:
    access, audit = load(request, agency_id, pk)
    actor_of(access, audit).require(Action.RECORD_FINDINGS)
    item = ChecklistItem.objects.filter(audit=audit, pk=item_pk).first()
    if item is None:
        raise Http404
    form = AnswerForm(request.POST)
    back = reverse("audits:detail", args=[agency_id, pk]) + f"#item-{item.pk}"
    if not form.is_valid():
        messages.error(request, _("Choose a result from the list."))
        return redirect(back)
    try:
        services.answer_item(
            item, form.cleaned_data["answer"], form.cleaned_data["evidence"], access.user
        )
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The answer has been recorded."))
    return redirect(back)


@login_required
@require_POST
def report_draft(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    done = _("The audit report has been drafted for signature.")
    return _draft_paper(request, agency_id, pk, services.draft_report, done, "report")


@login_required
@require_POST
def report_conclusion(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, audit = load(request, agency_id, pk)
    access.require(Action.MANAGE_AUDITS)
    report = getattr(audit, "report", None)
    if report is None:
        raise Http404
    form = ConclusionForm(request.POST)
    if form.is_valid():
        try:
            services.save_conclusion(report, form.cleaned_data["conclusion"])
        except ValidationError as error:
            _refuse(request, error)
        else:
            messages.success(request, _("The conclusion has been saved."))
    else:
        messages.error(request, _("The conclusion is too long."))
    return redirect(reverse("audits:detail", args=[agency_id, pk]) + "#report")


@login_required
@require_GET
def report_docx(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, audit = load(request, agency_id, pk)
    report = getattr(audit, "report", None)
    if report is None:
        raise Http404
    return documents.download(request, report)


@login_required
@require_GET
def export(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    content = exports.findings_xlsx(access.agency, check_year(year))
    name = f"phat-hien-danh-gia-noi-bo-{access.agency.abbreviation}-{year}.xlsx"
    return attachment(content, XLSX_TYPE, name)
