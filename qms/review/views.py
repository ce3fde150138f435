"""Screens of the management review: read by everyone of the agency; the meeting, its inputs
and outputs kept by the holders of MANAGE_REVIEW (the ISO secretary); a decision recorded as
carried out by who it was given to; the minutes signed on the paperwork panel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.lib.forms import named_errors
from qms.objectives.documents import download
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped
from qms.organization.models import today
from qms.paperwork.panel import panel as paper_panel
from qms.review import services
from qms.review.forms import DoneForm, HoldForm, InputForm, MeetingForm, OutputForm
from qms.review.models import ManagementReview, ReviewInput, ReviewOutput

PAGE_SIZE = 20


def _review(request: HttpRequest, agency_id: int, pk: int) -> tuple[AgencyAccess, ManagementReview]:
    access = agency_access(request.user, agency_id)
    rows = ManagementReview.objects.select_related(
        "paper", "paper__agency", "paper__signer", "paper__delegation", "chair", "agency"
    )
    return access, get_scoped(access, rows, pk=pk)


def _form_page(request: HttpRequest, access: AgencyAccess, **context: Any) -> HttpResponse:
    return render(
        request, "review/form_page.html", {"access": access, "agency": access.agency, **context}
    )


def may_record_done(access: AgencyAccess, output: ReviewOutput) -> bool:
    """Who records a decision as carried out: the person given it, the heads of the unit given
    it (and the leadership, across units), or the secretary who keeps the review."""
    if output.owner_person_id is not None and output.owner_person_id == access.user.pk:
        return True
    if access.can(Action.MANAGE_REVIEW):
        return True
    return output.owner_unit_id is not None and access.can_on(
        Action.RECORD_PROGRESS, [output.owner_unit_id]
    )


@login_required
@require_GET
def review_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The agency's reviews, newest first, with the yearly duty (3 queries + the page)."""
    access = agency_access(request.user, agency_id)
    rows = ManagementReview.objects.filter(agency=access.agency).select_related("chair", "paper")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    year = today().year
    context = {
        "access": access,
        "agency": access.agency,
        "page": page,
        "year": year,
        "held_this_year": services.reviews_held(access.agency, year),
        "may_manage": access.can(Action.MANAGE_REVIEW),
    }
    return render(request, "review/review_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_REVIEW)
    review = ManagementReview(agency=access.agency)
    form = MeetingForm(request.POST or None, instance=review, agency=access.agency)
    if request.method == "POST" and form.is_valid():
        services.plan_review(form.instance, form.cleaned_data["participants"], access.user)
        messages.success(request, _("The management review has been planned."))
        return redirect(form.instance.get_absolute_url())
    return _form_page(
        request, access, form=form, title=_("Plan a management review"), form_id="review-form"
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, review = _review(request, agency_id, pk)
    access.require(Action.MANAGE_REVIEW)
    form = MeetingForm(request.POST or None, instance=review, agency=access.agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_meeting(form.instance, form.cleaned_data["participants"])
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect(review.get_absolute_url())
    return _form_page(
        request,
        access,
        form=form,
        title=str(review),
        back=review.get_absolute_url(),
        form_id="review-form",
    )


@login_required
@require_GET
def detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """The review: 9 queries whatever the number of inputs and outputs (access, review with
    its paper, participants, inputs, outputs with owners, the paperwork panel's)."""
    access, review = _review(request, agency_id, pk)
    outputs = list(review.outputs.select_related("owner_unit", "owner_person"))
    day = today()
    for o in outputs:
        o.late = o.done_on is None and o.due_on < day  # type: ignore[attr-defined]
        o.may_done = o.done_on is None and may_record_done(access, o)  # type: ignore[attr-defined]
    may_manage = access.can(Action.MANAGE_REVIEW)
    is_open = review.is_editable
    context = {
        "access": access,
        "agency": access.agency,
        "review": review,
        "participants": list(review.participants.order_by("full_name")),
        "inputs": list(review.inputs.order_by("order")),
        "outputs": outputs,
        "period": services.period_of(review) if review.compiled_at is None else None,
        "may_change": may_manage and is_open,
        "hold_form": HoldForm(initial={"held_on": min(day, review.meeting_on)})
        if may_manage and is_open and review.compiled_at
        else None,
        "panel": paper_panel(request, access, review),
    }
    return render(request, "review/review_detail.html", context)


@login_required
@require_POST
def compile_inputs(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, review = _review(request, agency_id, pk)
    access.require(Action.MANAGE_REVIEW)
    try:
        count = services.compile_inputs(review)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("%(count)s inputs have been compiled from the records.") % {"count": count}
        )
    return redirect(review.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def input_edit(request: HttpRequest, agency_id: int, pk: int, input_pk: int) -> HttpResponse:
    access, review = _review(request, agency_id, pk)
    access.require(Action.MANAGE_REVIEW)
    found = get_object_or_404(ReviewInput, review=review, pk=input_pk)
    form = InputForm(request.POST or None, initial={"text": found.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_input(found, form.cleaned_data["text"])
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The input has been saved."))
            return redirect(f"{review.get_absolute_url()}#input-{found.pk}")
    return _form_page(
        request,
        access,
        form=form,
        title=found.title,
        back=review.get_absolute_url(),
        form_id="input-form",
    )


@login_required
@require_POST
def hold(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, review = _review(request, agency_id, pk)
    access.require(Action.MANAGE_REVIEW)
    form = HoldForm(request.POST)
    if not form.is_valid():
        for problem in named_errors(form):
            messages.error(request, problem)
        return redirect(review.get_absolute_url())
    try:
        services.hold(
            review, form.cleaned_data["held_on"], form.cleaned_data["conclusion"], access.user
        )
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The meeting has been recorded as held."))
    return redirect(review.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def output_form(
    request: HttpRequest, agency_id: int, pk: int, output_pk: int | None = None
) -> HttpResponse:
    access, review = _review(request, agency_id, pk)
    access.require(Action.MANAGE_REVIEW)
    output = (
        ReviewOutput(review=review)
        if output_pk is None
        else get_object_or_404(ReviewOutput, review=review, pk=output_pk)
    )
    form = OutputForm(request.POST or None, instance=output, agency=access.agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_output(form.instance)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The decision has been saved."))
            return redirect(f"{review.get_absolute_url()}#outputs")
    return _form_page(
        request,
        access,
        form=form,
        title=_("Decision of the review"),
        back=review.get_absolute_url(),
        form_id="output-form",
    )


@login_required
@require_http_methods(["GET", "POST"])
def output_done(request: HttpRequest, agency_id: int, pk: int, output_pk: int) -> HttpResponse:
    access, review = _review(request, agency_id, pk)
    output = get_object_or_404(ReviewOutput, review=review, pk=output_pk)
    if not may_record_done(access, output):
        access.require(Action.MANAGE_REVIEW)
    form = DoneForm(request.POST or None, initial={"done_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_output_done(
                output, access.user, form.cleaned_data["done_on"], form.cleaned_data["result"]
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The decision has been recorded as carried out."))
            return redirect(f"{review.get_absolute_url()}#output-{output.pk}")
    return _form_page(
        request,
        access,
        form=form,
        title=output.description[:80],
        back=review.get_absolute_url(),
        form_id="done-form",
    )


@login_required
@require_GET
def minutes_docx(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, review = _review(request, agency_id, pk)
    return download(request, review)
