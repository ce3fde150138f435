"""Every write of the management review, with its side effects: the paperwork register (the
minutes are the review's paper), the agenda (its outputs) and the plans (holding the review
is the plan event "management_review_held", so tasks counted from it get their dates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms.agenda import registry
from qms.organization.models import Agency, User, today
from qms.paperwork import services as paperwork
from qms.review import inputs
from qms.review.models import ManagementReview, ReviewInput, ReviewOutput

S = ManagementReview.Status
HELD_EVENT = "management_review_held"
OUTPUT_KIND = "review.output"


def register_kinds() -> None:
    registry.register_kind(OUTPUT_KIND, gettext_lazy("Decision of the management review"))


def _locked(review: ManagementReview) -> ManagementReview:
    """The review read again under a row lock: two presses at once do not both pass."""
    rows = ManagementReview.objects.select_for_update().select_related("paper", "agency", "chair")
    return rows.get(pk=review.pk)


def _require_open(review: ManagementReview) -> None:
    """Once its minutes are signed, the review is a record: nothing of it changes."""
    if not review.is_editable:
        raise ValidationError(
            _(
                "The minutes of this review have been put forward for signature or signed: "
                "it can no longer be changed."
            )
        )


@transaction.atomic
def plan_review(
    review: ManagementReview, participants: Iterable[User], by: User | None = None
) -> ManagementReview:
    """A new meeting (its form's instance, agency and fields set), with its minutes as a
    draft in the register."""
    review.year = review.meeting_on.year
    paper = paperwork.new_paper(
        review.agency,
        ManagementReview,
        subject=f"Họp xem xét của lãnh đạo về hệ thống quản lý chất lượng năm {review.year}",
        signer_position=review.agency.head_title,
        recipients="Ban Chỉ đạo ISO\nCác phòng, đơn vị\nLưu: VT, Thư ký ISO",
    )
    review.paper = paper
    review.save()
    review.participants.set(participants)
    paperwork.link(paper, review)
    return review


@transaction.atomic
def save_meeting(review: ManagementReview, participants: Iterable[User]) -> None:
    _require_open(review)
    review.year = review.meeting_on.year
    review.save()
    review.participants.set(participants)


def period_of(review: ManagementReview) -> inputs.Period:
    """What the review looks back on: from the day after the agency's previous meeting (or
    1 January of its year when there is none that year) to the meeting's date."""
    previous = (
        ManagementReview.objects.filter(agency=review.agency, meeting_on__lt=review.meeting_on)
        .exclude(pk=review.pk)
        .order_by("-meeting_on", "-pk")
        .first()
    )
    start = dt.date(review.meeting_on.year, 1, 1)
    if previous is not None and previous.meeting_on.year == review.meeting_on.year:
        start = previous.meeting_on + dt.timedelta(days=1)
    return inputs.Period(review.agency, start, review.meeting_on, previous)


@transaction.atomic
def compile_inputs(review: ManagementReview) -> int:
    """One press: every input of clause 9.3.2 read from the records into the draft (an input
    compiled before is compiled again: its figures, links and text). Returns how many."""
    review = _locked(review)
    _require_open(review)
    period = period_of(review)
    count = 0
    for found in inputs.registered():
        # The minutes are a Vietnamese document, whatever the language of who pressed.
        with translation.override(settings.LANGUAGE_CODE):
            compiled = found.compile(period) if found.compile else inputs.Compiled()
        ReviewInput.objects.update_or_create(
            review=review,
            key=found.key,
            defaults={
                "order": found.order,
                "title": found.title,
                "text": compiled.text,
                "figures": [list(pair) for pair in compiled.figures],
                "links": [list(pair) for pair in compiled.links],
            },
        )
        count += 1
    review.compiled_at = timezone.now()
    if review.status == S.PLANNED:
        review.status = S.COMPILED
    review.save(update_fields=["compiled_at", "status"])
    return count


def edit_input(review_input: ReviewInput, text: str) -> None:
    _require_open(review_input.review)
    review_input.text = text.strip()
    review_input.save(update_fields=["text"])


@transaction.atomic
def hold(review: ManagementReview, held_on: dt.date, conclusion: str, by: User) -> None:
    """The meeting took place, its decisions recorded: the conclusion is kept, the event goes
    on the agency's plans, and the minutes go to the chair for signature (what they sign is
    this record as it now stands: it no longer changes)."""
    review = _locked(review)
    _require_open(review)
    if review.compiled_at is None:
        raise ValidationError(_("Compile the inputs of the review before recording the meeting."))
    if held_on > today():
        raise ValidationError(_("The meeting cannot be recorded as held on a future date."))
    if not conclusion.strip():
        raise ValidationError(_("Write the conclusion of the chair."))
    review.status, review.held_on, review.conclusion = S.HELD, held_on, conclusion.strip()
    review.save(update_fields=["status", "held_on", "conclusion"])
    _record_on_plans(review, by)
    paperwork.offer_for_signature(review, by, users=[review.chair])


def _record_on_plans(review: ManagementReview, by: User) -> None:
    from qms.plans import services as plans
    from qms.plans.models import Plan, covers_q, in_force_q

    assert review.held_on is not None
    day = review.held_on
    for plan in Plan.objects.filter(in_force_q(), covers_q(day.year), agency=review.agency):
        plans.record_event(plan, HELD_EVENT, day, by, str(review))


def check_minutes_issue(review: ManagementReview, issued_on: dt.date) -> None:
    if review.status != S.HELD or review.held_on is None:
        raise ValidationError(_("Record the meeting as held before its minutes are signed."))
    if issued_on < review.held_on:
        raise ValidationError(
            {"issued_on": _("The minutes cannot be signed before the meeting was held.")}
        )


# --- outputs -------------------------------------------------------------------------------


@transaction.atomic
def save_output(output: ReviewOutput) -> ReviewOutput:
    _require_open(output.review)
    if output.owner_unit_id is None and output.owner_person_id is None:
        raise ValidationError(_("Choose the unit or the person in charge."))
    output.save()
    sync_agenda(output.review)
    return output


@transaction.atomic
def mark_output_done(output: ReviewOutput, by: User, done_on: dt.date, result: str) -> None:
    """Carrying out a decision goes on after the minutes are signed: not locked."""
    if output.done_on is not None:
        raise ValidationError(_("This decision has already been recorded as carried out."))
    if done_on > today():
        raise ValidationError(_("It cannot be recorded as done on a future date."))
    if not result.strip():
        raise ValidationError(_("Say what was done."))
    output.done_on, output.result = done_on, result.strip()
    output.save(update_fields=["done_on", "result"])
    sync_agenda(output.review)


def sync_agenda(review: ManagementReview) -> None:
    """Each decision on the agenda of who carries it out, until done."""
    items = [
        registry.Item(
            key=f"output:{o.pk}",
            kind=OUTPUT_KIND,
            title=o.description[:200],
            url=f"{review.get_absolute_url()}#output-{o.pk}",
            due_date=o.due_on,
            state="done" if o.done_on else "open",
            owner_person_id=o.owner_person_id,
            owner_unit_id=None if o.owner_person_id else o.owner_unit_id,
        )
        for o in review.outputs.all()
    ]
    registry.sync(review.agency, f"review.review:{review.pk}", items)


def reviews_held(agency: Agency, year: int) -> int:
    """QĐ 19/2014 Art. 4: at least one review a year (one query)."""
    return ManagementReview.objects.filter(agency=agency, year=year, status=S.HELD).count()
