"""Writes of the risks app: the context and its yearly review, the scale, the register with
its assessments and treatments, their place on the agenda, and the copy to the next year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms.agenda import registry
from qms.agenda.models import Obligation
from qms.organization.models import Agency, User, today
from qms.paperwork import services as paperwork
from qms.risks.models import (
    ContextIssue,
    ContextReview,
    InterestedParty,
    Risk,
    RiskAssessment,
    RiskScale,
    Treatment,
    TreatmentPlan,
)
from qms.risks.workflows import RISK_FLOW, UnitActor

TREATMENT_KIND = "risks.treatment"
EFFECTIVENESS_KIND = "risks.effectiveness"


def register_kinds() -> None:
    registry.register_kind(TREATMENT_KIND, gettext_lazy("Treatment of a risk or opportunity"))
    registry.register_kind(EFFECTIVENESS_KIND, gettext_lazy("Effectiveness check of a treatment"))


# --- context ---------------------------------------------------------------------------


def save_issue(issue: ContextIssue) -> ContextIssue:
    issue.is_draft = False  # saved by a person: no longer a copied draft
    issue.save()
    return issue


def save_party(party: InterestedParty) -> InterestedParty:
    party.is_draft = False
    party.save()
    return party


def withdraw(row: ContextIssue | InterestedParty, by: User, day: dt.date, reason: str) -> None:
    """Take an issue or party out of the year's context, with the reason (kept in history)."""
    if not reason.strip():
        raise ValidationError(_("Give the reason it is no longer kept."))
    if row.is_withdrawn:
        raise ValidationError(_("It has already been withdrawn."))
    row.withdrawn_on, row.withdrawn_reason, row.withdrawn_by = day, reason.strip(), by
    row.save(update_fields=["withdrawn_on", "withdrawn_reason", "withdrawn_by"])


def restore(row: ContextIssue | InterestedParty) -> None:
    row.withdrawn_on, row.withdrawn_reason, row.withdrawn_by = None, "", None
    row.save(update_fields=["withdrawn_on", "withdrawn_reason", "withdrawn_by"])


@transaction.atomic
def record_review(
    agency: Agency, year: int, by: User, reviewed_on: dt.date, note: str
) -> ContextReview:
    """The year's review of the context: one row per year (a later review replaces the
    date, the history keeps both); every issue and party of the year is confirmed."""
    if not ContextIssue.objects.filter(agency=agency, year=year).exists():
        raise ValidationError(_("Record the issues of the year before recording its review."))
    if reviewed_on > today():
        raise ValidationError(_("The review cannot be dated in the future."))
    review = ContextReview.objects.filter(agency=agency, year=year).first()
    if review is None:
        review = ContextReview(agency=agency, year=year)
    review.reviewed_on, review.reviewed_by, review.note = reviewed_on, by, note
    review.save()
    for issue in ContextIssue.objects.filter(agency=agency, year=year):
        issue.reviewed_on, issue.is_draft = reviewed_on, False
        issue.save(update_fields=["reviewed_on", "is_draft"])
    for party in InterestedParty.objects.filter(agency=agency, year=year, is_draft=True):
        party.is_draft = False
        party.save(update_fields=["is_draft"])
    return review


# --- the scale -------------------------------------------------------------------------


def save_scale(scale: RiskScale) -> RiskScale:
    top = Risk.objects.filter(agency=scale.agency).order_by("-likelihood").first()
    widest = Risk.objects.filter(agency=scale.agency).order_by("-impact").first()
    highest = max([r.likelihood for r in [top] if r] + [r.impact for r in [widest] if r], default=0)
    if highest > scale.levels:
        raise ValidationError(
            _(
                "Some risks are scored up to %(level)s: reassess them before choosing a "
                "scale of %(levels)s levels."
            )
            % {"level": highest, "levels": scale.levels}
        )
    scale.save()
    return scale


# --- the register ----------------------------------------------------------------------


@transaction.atomic
def create_risk(risk: Risk, by: User) -> Risk:
    risk.created_by = by
    risk.is_draft = False
    risk.save()
    RiskAssessment.objects.create(
        risk=risk,
        assessed_on=today(),
        assessed_by=by,
        likelihood=risk.likelihood,
        impact=risk.impact,
        level=risk.level,
        note=_("First assessment"),
    )
    return risk


def update_risk(risk: Risk) -> Risk:
    risk.is_draft = False
    risk.save()
    return risk


@transaction.atomic
def reassess(
    risk: Risk, by: User, likelihood: int, impact: int, note: str, on: dt.date | None = None
) -> RiskAssessment:
    risk.likelihood, risk.impact, risk.is_draft = likelihood, impact, False
    risk.save(update_fields=["likelihood", "impact", "is_draft"])
    return RiskAssessment.objects.create(
        risk=risk,
        assessed_on=on or today(),
        assessed_by=by,
        likelihood=likelihood,
        impact=impact,
        level=risk.level,
        note=note,
    )


@transaction.atomic
def take_step(risk: Risk, name: str, actor: UnitActor, comment: str = "") -> None:
    RISK_FLOW.advance(risk, name, actor, comment)
    risk.save(update_fields=["status"])
    if comment:
        RiskAssessment.objects.create(
            risk=risk,
            assessed_on=today(),
            assessed_by=actor.user,
            likelihood=risk.likelihood,
            impact=risk.impact,
            level=risk.level,
            note=comment,
        )
    sync_agenda(risk)


# --- treatments ------------------------------------------------------------------------


def effectiveness_due_on(treatment: Treatment) -> dt.date | None:
    """When the effectiveness check of `treatment` is due: its check date once the action
    is done and until it is checked; None otherwise. The one rule (pages, agenda)."""
    if treatment.done_on is None or treatment.checked_on is not None:
        return None
    return treatment.check_on


def check_is_due(treatment: Treatment, day: dt.date) -> bool:
    due = effectiveness_due_on(treatment)
    return due is not None and due <= day


@transaction.atomic
def save_treatment(treatment: Treatment, scale: RiskScale) -> Treatment:
    if treatment.check_on is None:
        treatment.check_on = treatment.default_check_on(scale.check_after_days)
    if treatment.check_on < treatment.due_on:
        raise ValidationError(_("The effectiveness check cannot come before the due date."))
    treatment.save()
    sync_agenda(treatment.risk)
    return treatment


@transaction.atomic
def mark_done(treatment: Treatment, by: User, done_on: dt.date, note: str) -> None:
    if treatment.done_on is not None:
        raise ValidationError(_("This treatment has already been recorded as done."))
    if done_on > today():
        raise ValidationError(_("The date it was done cannot be in the future."))
    treatment.done_on, treatment.done_note, treatment.done_by = done_on, note, by
    treatment.save(update_fields=["done_on", "done_note", "done_by"])
    sync_agenda(treatment.risk)


@transaction.atomic
def record_check(
    treatment: Treatment, by: User, result: str, note: str, checked_on: dt.date
) -> None:
    """The effectiveness check, by someone other than the owner of the action."""
    if treatment.done_on is None:
        raise ValidationError(_("Record the treatment as done before checking it."))
    if treatment.checked_on is not None:
        raise ValidationError(_("This treatment has already been checked."))
    if by.pk in {treatment.owner_person_id, treatment.done_by_id}:
        raise ValidationError(
            _("The person who carried out a treatment cannot also check its effectiveness.")
        )
    if checked_on > today() or checked_on < treatment.done_on:
        raise ValidationError(
            _("The check is dated between the day the treatment was done and today.")
        )
    treatment.result, treatment.result_note = result, note
    treatment.checked_on, treatment.checked_by = checked_on, by
    treatment.save(update_fields=["result", "result_note", "checked_on", "checked_by"])
    sync_agenda(treatment.risk)


def _items(risk: Risk, treatments: list[Treatment]) -> list[registry.Item]:
    items = []
    url = risk.get_absolute_url()
    for t in treatments:
        items.append(
            registry.Item(
                key=f"{t.pk}:treatment",
                kind=TREATMENT_KIND,
                title=_("Treatment: %(action)s") % {"action": t.action},
                url=f"{url}#treatment-{t.pk}",
                due_date=t.due_on,
                state=Obligation.State.DONE if t.done_on else Obligation.State.OPEN,
                owner_person_id=t.owner_person_id,
                owner_unit_id=None if t.owner_person_id else t.owner_unit_id,
            )
        )
        if t.done_on is None:
            continue
        items.append(
            registry.Item(
                key=f"{t.pk}:check",
                kind=EFFECTIVENESS_KIND,
                title=_("Check the effectiveness: %(action)s") % {"action": t.action},
                url=f"{url}#treatment-{t.pk}",
                due_date=t.check_on,
                state=Obligation.State.DONE if t.checked_on else Obligation.State.OPEN,
                owner_text=_("ISO secretary"),
            )
        )
    return items


def sync_agenda(risk: Risk) -> None:
    """The risk's treatments and due checks on the agenda (a closed risk leaves nothing
    open: its remaining work is no longer expected)."""
    treatments = list(risk.treatments.order_by("pk"))
    items = _items(risk, treatments)
    if risk.status == Risk.Status.CLOSED:
        items = [i for i in items if i.state == Obligation.State.DONE]
    registry.sync(risk.agency, f"risks.risk:{risk.pk}", items)


# --- copy to the next year -------------------------------------------------------------


@dataclass
class Copied:
    year: int
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@transaction.atomic
def copy_to_next_year(agency: Agency, year: int, by: User) -> Copied:
    """Last year's open risks (with their latest assessment), issues and parties become
    drafts of the next year — each part only when the next year has none of it yet."""
    result = Copied(year + 1)
    parts = (
        (Risk, _copy_risks, _("%(count)s risks and opportunities")),
        (ContextIssue, _copy_issues, _("%(count)s context issues")),
        (InterestedParty, _copy_parties, _("%(count)s interested parties")),
    )
    for model, copy, label in parts:
        existing = model.objects.filter(agency=agency, year=year + 1).count()  # type: ignore[attr-defined]
        if existing:
            result.skipped.append(label % {"count": existing})
            continue
        count = copy(agency, year, by)
        if count:
            result.done.append(label % {"count": count})
    if not result.done:
        raise ValidationError(
            _("Nothing was copied: year %(year)s already has these rows, or %(last)s has none.")
            % {"year": year + 1, "last": year}
        )
    return result


def _copy_risks(agency: Agency, year: int, by: User) -> int:
    sources = Risk.objects.filter(agency=agency, year=year).exclude(status=Risk.Status.CLOSED)
    count = 0
    for source in sources.order_by("pk"):
        copy = Risk(
            agency=agency,
            year=year + 1,
            unit_id=source.unit_id,
            process_id=source.process_id,
            kind=source.kind,
            description=source.description,
            cause=source.cause,
            consequence=source.consequence,
            likelihood=source.likelihood,
            impact=source.impact,
            is_draft=True,
            copied_from=source,
            created_by=by,
        )
        copy.save()
        RiskAssessment.objects.create(
            risk=copy,
            assessed_on=today(),
            assessed_by=by,
            likelihood=copy.likelihood,
            impact=copy.impact,
            level=copy.level,
            note=_("Carried over from %(year)s") % {"year": year},
        )
        count += 1
    return count


def _copy_issues(agency: Agency, year: int, by: User) -> int:
    count = 0
    kept = ContextIssue.objects.filter(agency=agency, year=year, withdrawn_on=None)
    for source in kept.order_by("pk"):
        ContextIssue.objects.create(
            agency=agency,
            year=year + 1,
            side=source.side,
            category=source.category,
            description=source.description,
            effect=source.effect,
            is_draft=True,
            copied_from=source,
        )
        count += 1
    return count


def _copy_parties(agency: Agency, year: int, by: User) -> int:
    count = 0
    kept = InterestedParty.objects.filter(agency=agency, year=year, withdrawn_on=None)
    for source in kept.order_by("pk"):
        InterestedParty.objects.create(
            agency=agency,
            year=year + 1,
            name=source.name,
            needs=source.needs,
            response=source.response,
            monitored_by_id=source.monitored_by_id,
            is_draft=True,
            copied_from=source,
        )
        count += 1
    return count


# --- the treatment plan as an official document ----------------------------------------


@transaction.atomic
def draft_plan(agency: Agency, year: int) -> TreatmentPlan:
    """The year's plan, drafted in the register of outgoing documents (once a year)."""
    found = TreatmentPlan.objects.filter(agency=agency, year=year).first()
    if found is not None:
        return found
    paper = paperwork.new_paper(
        agency,
        TreatmentPlan,
        subject=f"Giải quyết rủi ro và cơ hội năm {year}",
        signer_position=agency.head_title,
        recipients="Ban Chỉ đạo ISO\nCác phòng, đơn vị thuộc cơ quan",
    )
    plan = TreatmentPlan.objects.create(agency=agency, year=year, paper=paper)
    paperwork.link(paper, plan)
    return plan
