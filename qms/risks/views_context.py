"""Screens of the context: the year's internal and external issues, interested parties and
review (read by everyone of the agency, changed by the holders of MANAGE_CONTEXT)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.lib.forms import named_errors
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped
from qms.organization.models import today
from qms.risks import queries, services
from qms.risks.forms import ContextIssueForm, InterestedPartyForm, ReviewForm, WithdrawForm
from qms.risks.models import Category, ContextIssue, ContextReview, InterestedParty, Side
from qms.risks.pages import check_year, year_of


def _context_url(agency_id: int, year: int) -> str:
    return f"{reverse('risks:context', args=[agency_id])}?year={year}"


@login_required
@require_GET
def context_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The year's context: 5 queries whatever the number of rows (issues, parties with
    their units, the review, and the two of the comparison with the previous year)."""
    access = agency_access(request.user, agency_id)
    year = year_of(request)
    changes = queries.context_changes(access.agency, year)
    order = {code: n for n, code in enumerate(Category.values)}
    every = sorted(
        ContextIssue.objects.filter(agency=access.agency, year=year).select_related("withdrawn_by"),
        key=lambda issue: (order.get(issue.category, 99), issue.pk),
    )
    issues = [i for i in every if not i.is_withdrawn]
    parties = list(
        InterestedParty.objects.filter(agency=access.agency, year=year)
        .select_related("monitored_by", "withdrawn_by")
        .order_by("name", "pk")
    )
    review = (
        ContextReview.objects.filter(agency=access.agency, year=year)
        .select_related("reviewed_by")
        .first()
    )
    may_change = access.can(Action.MANAGE_CONTEXT)
    context = {
        "access": access,
        "agency": access.agency,
        "year": year,
        "external": [i for i in issues if i.side == Side.EXTERNAL],
        "internal": [i for i in issues if i.side == Side.INTERNAL],
        "parties": [p for p in parties if not p.is_withdrawn],
        "withdrawn_issues": [i for i in every if i.is_withdrawn],
        "withdrawn_parties": [p for p in parties if p.is_withdrawn],
        "review": review,
        "changes": changes,
        "may_change": may_change,
        "review_form": ReviewForm(initial={"reviewed_on": today()}) if may_change else None,
    }
    return render(request, "risks/context_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def issue_form(
    request: HttpRequest, agency_id: int, year: int | None = None, pk: int | None = None
) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_CONTEXT)
    if pk is not None:
        issue = get_scoped(access, ContextIssue.objects.all(), pk=pk)
    else:
        issue = ContextIssue(agency=access.agency, year=check_year(year or 0))
    form = ContextIssueForm(request.POST or None, instance=issue)
    if request.method == "POST" and form.is_valid():
        services.save_issue(form.instance)
        messages.success(request, _("The issue has been saved."))
        return redirect(_context_url(agency_id, issue.year))
    return render(
        request,
        "risks/form_page.html",
        {
            "access": access,
            "agency": access.agency,
            "form": form,
            "title": _("Issue of the context, %(year)s") % {"year": issue.year},
            "back": _context_url(agency_id, issue.year),
            "form_id": "issue-form",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def party_form(
    request: HttpRequest, agency_id: int, year: int | None = None, pk: int | None = None
) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_CONTEXT)
    if pk is not None:
        party = get_scoped(access, InterestedParty.objects.all(), pk=pk)
    else:
        party = InterestedParty(agency=access.agency, year=check_year(year or 0))
    form = InterestedPartyForm(request.POST or None, instance=party, agency=access.agency)
    if request.method == "POST" and form.is_valid():
        services.save_party(form.instance)
        messages.success(request, _("The interested party has been saved."))
        return redirect(_context_url(agency_id, party.year))
    return render(
        request,
        "risks/form_page.html",
        {
            "access": access,
            "agency": access.agency,
            "form": form,
            "title": _("Interested party, %(year)s") % {"year": party.year},
            "back": _context_url(agency_id, party.year),
            "form_id": "party-form",
        },
    )


@login_required
@require_POST
def review(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_CONTEXT)
    year = check_year(year)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for problem in named_errors(form):
            messages.error(request, problem)
        return redirect(_context_url(agency_id, year))
    try:
        services.record_review(
            access.agency,
            year,
            access.user,
            form.cleaned_data["reviewed_on"],
            form.cleaned_data["note"],
        )
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The review of the context has been recorded."))
    return redirect(_context_url(agency_id, year))


WITHDRAWABLE: dict[str, type[ContextIssue] | type[InterestedParty]] = {
    "issues": ContextIssue,
    "parties": InterestedParty,
}


def _withdrawable(
    request: HttpRequest, agency_id: int, what: str, pk: int
) -> tuple[AgencyAccess, ContextIssue | InterestedParty]:
    model = WITHDRAWABLE.get(what)
    if model is None:
        raise Http404
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_CONTEXT)
    row = cast("ContextIssue | InterestedParty", get_scoped(access, model.objects.all(), pk=pk))
    return access, row


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, agency_id: int, what: str, pk: int) -> HttpResponse:
    """An issue or party no longer relevant: withdrawn with its reason, kept in history."""
    access, row = _withdrawable(request, agency_id, what, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(row, access.user, today(), form.cleaned_data["reason"])
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("Withdrawn from the context of the year."))
            return redirect(_context_url(agency_id, row.year))
    return render(
        request,
        "risks/form_page.html",
        {
            "access": access,
            "agency": access.agency,
            "form": form,
            "title": _("Withdraw: %(row)s") % {"row": row},
            "back": _context_url(agency_id, row.year),
            "form_id": "withdraw-form",
        },
    )


@login_required
@require_POST
def restore(request: HttpRequest, agency_id: int, what: str, pk: int) -> HttpResponse:
    access, row = _withdrawable(request, agency_id, what, pk)
    services.restore(row)
    messages.success(request, _("Kept again in the context of the year."))
    return redirect(_context_url(agency_id, row.year))
