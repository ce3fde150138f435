"""The year's quality objectives (the entry page), its decision, copy to next year, and the
results report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.lib.dates import EARLIEST, LATEST
from qms.objectives import documents, queries, services
from qms.objectives.models import ObjectiveSet, ResultsReport
from qms.objectives.workflows import may_compile
from qms.organization.access import Action, agency_access, get_scoped
from qms.organization.models import today
from qms.paperwork.panel import panel as paper_panel

PAGE_SIZE = 25


def year_of(value: object) -> int:
    """?year=2026; anything else (missing, garbage, out of range) means this year."""
    try:
        year = int(str(value))
    except (TypeError, ValueError):
        return today().year
    return year if EARLIEST.year <= year <= LATEST.year - 1 else today().year


def year_url(agency_id: int, year: int) -> str:
    return reverse("objectives:year", args=[agency_id]) + f"?year={year}"


@login_required
@require_GET
def year_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    year = year_of(request.GET.get("year"))
    agency = access.agency
    page = Paginator(queries.year_objectives(agency, year), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    objective_set = (
        ObjectiveSet.objects.filter(agency=agency, year=year)
        .select_related("paper", "paper__agency", "paper__signer", "paper__delegation")
        .first()
    )
    report = ResultsReport.objects.filter(agency=agency, year=year).select_related("paper").first()
    context = {
        "access": access,
        "agency": agency,
        "year": year,
        "page": page,
        "query": f"year={year}",
        "objective_set": objective_set,
        "panel": paper_panel(request, access, objective_set) if objective_set else None,
        "report": report,
        "missed": list(queries.missed(agency, year)[:50]),
        "policy": services.policy_in_force(agency),
        "can_add": access.can(Action.MANAGE_OBJECTIVES),
        "can_compile": may_compile(access),
        "is_open": objective_set is None or not objective_set.paper.is_issued,
    }
    return render(request, "objectives/objective_year.html", context)


@login_required
@require_GET
def year_docx(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    objective_set = get_scoped(access, ObjectiveSet.objects.select_related("paper"), pk=pk)
    return documents.download(request, objective_set)


def _compiler(request: HttpRequest, agency_id: int):  # type: ignore[no-untyped-def]
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_OBJECTIVES)
    if not may_compile(access):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the ISO secretary compiles the year's objectives."))
    return access


@login_required
@require_POST
def copy_year(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access = _compiler(request, agency_id)
    year = year_of(year)
    try:
        count = services.copy_to_next_year(access.agency, year, access.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(year_url(agency_id, year))
    messages.success(
        request,
        _("%(count)s objectives have been copied to %(year)s as drafts.")
        % {"count": count, "year": year + 1},
    )
    return redirect(year_url(agency_id, year + 1))


@login_required
@require_POST
def report_draft(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access = _compiler(request, agency_id)
    report = services.draft_report(access.agency, year_of(year))
    messages.success(request, _("The results report has been drafted."))
    return redirect(report)


@login_required
@require_http_methods(["GET"])
def report_page(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    report = get_scoped(
        access,
        ResultsReport.objects.select_related(
            "paper", "paper__agency", "paper__signer", "paper__delegation"
        ),
        pk=pk,
    )
    context = {
        "access": access,
        "agency": access.agency,
        "report": report,
        "rows": queries.results(access.agency, report.year),
        "panel": paper_panel(request, access, report),
    }
    return render(request, "objectives/report_page.html", context)


@login_required
@require_GET
def report_docx(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    report = get_scoped(access, ResultsReport.objects.select_related("paper"), pk=pk)
    return documents.download(request, report)
