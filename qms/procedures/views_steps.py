"""Screens of the steps part: the steps of a TTHC the agency handles (read by everyone of the
agency, changed by whoever manages the procedures of its unit), their DOCX, and the
working-day calendar kept by the system administrator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.lib.downloads import DOCX_TYPE, attachment
from qms.organization.access import (
    Action,
    AgencyAccess,
    agency_access,
    get_scoped,
    require_system_admin,
)
from qms.procedures import steps
from qms.procedures.forms_steps import StepFormSet, WorkdayChangeForm
from qms.procedures.models import AgencyProcedure, WorkdayChange


def _handling(
    request: HttpRequest, agency_id: int, pk: int
) -> tuple[AgencyAccess, AgencyProcedure]:
    access = agency_access(request.user, agency_id)
    handlings = AgencyProcedure.objects.select_related("agency", "procedure", "unit", "document")
    return access, get_scoped(access, handlings, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def steps_page(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, handling = _handling(request, agency_id, pk)
    may_change = access.can_on(Action.MANAGE_PROCEDURES, [handling.unit_id])
    formset = None
    if request.method == "POST":
        access.require_on(Action.MANAGE_PROCEDURES, [handling.unit_id])
        formset = StepFormSet(request.POST, instance=handling, prefix="steps")
        if formset.is_valid():
            steps.save_steps(formset)
            messages.success(request, _("The steps have been saved."))
            return redirect("procedures:steps", access.agency.pk, handling.pk)
    elif may_change:
        formset = StepFormSet(instance=handling, prefix="steps")
    saved = list(handling.steps.all())
    context = {
        "access": access,
        "agency": access.agency,
        "handling": handling,
        "procedure": handling.procedure,
        "rows": [{"step": step, "days": steps.days_text(step.days)} for step in saved],
        "summary": steps.summary(handling, saved, timezone.localdate()),
        "formset": formset,
        "may_change": may_change,
    }
    return render(request, "procedures/steps_page.html", context)


@login_required
@require_GET
def steps_download(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    _access, handling = _handling(request, agency_id, pk)
    content = steps.steps_docx(handling, list(handling.steps.all()))
    return attachment(content, DOCX_TYPE, steps.steps_filename(handling))


# --- the working-day calendar ----------------------------------------------------------


def _require_admin(request: HttpRequest) -> None:
    try:
        require_system_admin(request.user)
    except PermissionDenied as refusal:
        raise PermissionDenied(
            _("Only the system administrator keeps the working-day calendar.")
        ) from refusal


def _year(year: int) -> int:
    if not steps.year_in_span(year):
        raise Http404
    return year


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest, year: int) -> HttpResponse:
    _require_admin(request)
    year = _year(year)
    form = WorkdayChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        change = steps.save_change(form.instance)
        messages.success(request, _("The working-day change has been recorded."))
        return redirect("procedures:calendar", change.day.year)
    return _calendar(request, year, form)


def _calendar(
    request: HttpRequest, year: int, form: WorkdayChangeForm, editing: WorkdayChange | None = None
) -> HttpResponse:
    changes = steps.changes_of(year)
    moved = {change.day: change for change in changes}
    context = {
        "year": year,
        "previous": year - 1 if steps.year_in_span(year - 1) else None,
        "next": year + 1 if steps.year_in_span(year + 1) else None,
        "holidays": [(h, moved.get(h.day)) for h in steps.year_holidays(year)],
        "changes": changes,
        "swaps": steps.library_swaps(year),
        "working_days": steps.working_days_of(year),
        "form": form,
        "editing": editing,
    }
    return render(request, "procedures/workdays_calendar.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_change(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    change = get_object_or_404(WorkdayChange, pk=pk)
    year = change.day.year
    form = WorkdayChangeForm(request.POST or None, instance=change)
    if request.method == "POST" and form.is_valid():
        saved = steps.save_change(form.instance)
        messages.success(request, _("The working-day change has been recorded."))
        return redirect("procedures:calendar", saved.day.year)
    return _calendar(request, year, form, editing=change)


@login_required
@require_POST
def calendar_change_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    change = get_object_or_404(WorkdayChange, pk=pk)
    year = change.day.year
    steps.remove_change(change)
    messages.success(request, _("The working-day change has been removed."))
    return redirect(reverse("procedures:calendar", args=[year]))


def this_year() -> int:
    return timezone.localdate().year


@login_required
@require_GET
def calendar_now(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return redirect("procedures:calendar", this_year())
