"""The year's audit programme (units and procedures × months, with the units not yet covered),
the auditors' qualifications and the question banks: the ISO secretary's screens
(Action.MANAGE_AUDITS); everyone of the agency reads them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.audits import documents, queries, services
from qms.audits.forms import BankForm, ProgrammeRowForm, QualificationForm, QuestionForm
from qms.audits.models import (
    AuditorQualification,
    AuditProgramme,
    ProgrammeRow,
    Question,
    QuestionBank,
)
from qms.lib.converters import int_param
from qms.lib.dates import EARLIEST, LATEST
from qms.lib.downloads import stored_attachment
from qms.lib.forms import named_errors
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped
from qms.organization.models import today
from qms.paperwork.panel import panel as paper_panel

PAGE_SIZE = 25


def year_of(request: HttpRequest) -> int:
    """?year=…, this year when absent or not a sane year."""
    year = int_param(request, "year")
    return year if year is not None and EARLIEST.year <= year < LATEST.year else today().year


def check_year(year: int) -> int:
    if not EARLIEST.year <= year < LATEST.year:
        raise Http404
    return year


def programme_url(agency_id: int, year: int) -> str:
    return reverse("audits:programme", args=[agency_id]) + f"?year={year}"


def _refuse(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def programme_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    """A fixed number of queries whatever the rows: access, programme with its paper, rows,
    units, the year's audits, the next free number (panel, for who may issue)."""
    access = agency_access(request.user, agency_id)
    agency, year = access.agency, year_of(request)
    programme = queries.programme_of(agency, year)
    rows = queries.programme_rows(programme) if programme else []
    may_manage = access.can(Action.MANAGE_AUDITS)
    context = {
        "access": access,
        "agency": agency,
        "year": year,
        "tab": "programme",
        "programme": programme,
        "rows": rows,
        "months": range(1, 13),
        "uncovered": queries.uncovered_units(programme, rows) if programme else [],
        "panel": paper_panel(request, access, programme) if programme else None,
        "audits": list(queries.audits(agency, year=year)[:50]),
        "may_manage": may_manage,
        "row_form": (
            ProgrammeRowForm(agency=agency)
            if programme and programme.is_editable and may_manage
            else None
        ),
    }
    return render(request, "audits/programme_page.html", context)


@login_required
@require_POST
def programme_create(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_AUDITS)
    services.create_programme(access.agency, check_year(year))
    messages.success(request, _("The audit programme has been drafted."))
    return redirect(programme_url(agency_id, year))


def _programme(access: AgencyAccess, pk: int) -> AuditProgramme:
    rows = AuditProgramme.objects.select_related("paper", "agency")
    return get_scoped(access, rows, pk=pk)


@login_required
@require_POST
def row_add(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_AUDITS)
    programme = _programme(access, pk)
    form = ProgrammeRowForm(request.POST, agency=access.agency)
    if not form.is_valid():
        for error in named_errors(form):
            messages.error(request, error)
        return redirect(programme_url(agency_id, programme.year))
    data = form.cleaned_data
    row = ProgrammeRow(unit=data["unit"], procedure=data["procedure"], months=data["months"])
    try:
        services.save_row(programme, row)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The row has been added to the programme."))
    return redirect(programme_url(agency_id, programme.year))


@login_required
@require_POST
def row_remove(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_AUDITS)
    row = ProgrammeRow.objects.filter(programme__agency=access.agency, pk=pk).select_related(
        "programme__paper"
    )
    found = row.first()
    if found is None:
        raise Http404
    try:
        services.remove_row(found)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The row has been removed from the programme."))
    return redirect(programme_url(agency_id, found.programme.year))


@login_required
@require_GET
def programme_docx(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    return documents.download(request, _programme(access, pk))


# --- auditor qualifications ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def auditors(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The qualifications recorded, paginated, with the form that records one (3 queries for
    the list whatever its length, plus the form's people)."""
    access = agency_access(request.user, agency_id)
    may_manage = access.can(Action.MANAGE_AUDITS)
    form = None
    if may_manage:
        form = QualificationForm(
            request.POST or None,
            request.FILES or None,
            instance=AuditorQualification(agency=access.agency),
            agency=access.agency,
        )
    if request.method == "POST":
        access.require(Action.MANAGE_AUDITS)
        assert form is not None
        if form.is_valid():
            try:
                services.record_qualification(
                    form.instance, access.user, form.cleaned_data.get("file")
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The qualification has been recorded."))
                return redirect("audits:auditors", agency_id)
    rows = AuditorQualification.objects.filter(agency=access.agency).select_related("person")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "access": access,
        "agency": access.agency,
        "tab": "auditors",
        "year": today().year,
        "page": page,
        "form": form,
    }
    return render(request, "audits/auditor_list.html", context)


@login_required
@require_GET
def auditor_file(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    qualification = get_scoped(access, AuditorQualification.objects.all(), pk=pk)
    if not qualification.file:
        raise Http404
    name = qualification.file_name or "chung-chi"
    return stored_attachment(qualification.file, "application/octet-stream", name)


# --- question banks --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def banks(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    may_manage = access.can(Action.MANAGE_AUDITS)
    form = (
        BankForm(
            request.POST or None, instance=QuestionBank(agency=access.agency), agency=access.agency
        )
        if may_manage
        else None
    )
    if request.method == "POST":
        access.require(Action.MANAGE_AUDITS)
        assert form is not None
        if form.is_valid():
            try:
                bank = services.save_bank(form.instance)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The question bank has been created."))
                return redirect(bank)
    rows = (
        QuestionBank.objects.filter(agency=access.agency)
        .select_related("procedure")
        .annotate(active=Count("questions", filter=Q(questions__is_active=True)))
        .order_by("clause", "title", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "access": access,
        "agency": access.agency,
        "tab": "banks",
        "year": today().year,
        "page": page,
        "form": form,
    }
    return render(request, "audits/bank_list.html", context)


def _bank(access: AgencyAccess, pk: int) -> QuestionBank:
    return get_scoped(access, QuestionBank.objects.select_related("procedure"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def bank(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """The bank's questions (in use and retired) and the form adding one."""
    access = agency_access(request.user, agency_id)
    found = _bank(access, pk)
    may_manage = access.can(Action.MANAGE_AUDITS)
    form = QuestionForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        access.require(Action.MANAGE_AUDITS)
        assert form is not None
        if form.is_valid():
            services.add_question(found, form.cleaned_data["text"])
            messages.success(request, _("The question has been added."))
            return redirect(found)
    context = {
        "access": access,
        "agency": access.agency,
        "tab": "banks",
        "year": today().year,
        "bank": found,
        "questions": list(found.questions.all()),
        "form": form,
    }
    return render(request, "audits/bank_detail.html", context)


@login_required
@require_POST
def question_toggle(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_AUDITS)
    question = (
        Question.objects.filter(bank__agency=access.agency, pk=pk).select_related("bank").first()
    )
    if question is None:
        raise Http404
    services.set_question_active(question, not question.is_active)
    if question.is_active:
        messages.success(request, _("The question is in use again."))
    else:
        messages.success(request, _("The question has been retired; checklists keep their copies."))
    return redirect(question.bank)
