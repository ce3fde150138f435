"""Every write of the nonconformity register, with its side effects: the numbering per agency
and year, the inbox at each hand-over (qms.agenda.inbox), the actions on the agenda of their
owners (qms.agenda.registry), and the follow-up of a missed objective taken over. Views, the
demo and other apps call these; nothing else writes the tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from qms.agenda import inbox, registry
from qms.agenda.models import Obligation
from qms.audits.models import Finding
from qms.corrective.models import (
    WHYS,
    CorrectiveAction,
    Evidence,
    Method,
    Nonconformity,
    Origin,
    Rating,
    Severity,
    Verification,
)
from qms.corrective.workflows import (
    NONCONFORMITY_FLOW,
    WAITING_ON,
    CorrectiveActor,
    doers,
)
from qms.lib.uploads import CheckedUpload
from qms.lib.workflow import Actor, Transition
from qms.objectives import services as objectives
from qms.objectives.models import FollowUp
from qms.organization.models import Agency, Membership, User, today

S = Nonconformity.Status
ACTION_KIND = "corrective.action"  # agenda and inbox: carry out an action
INBOX_ACTION_KIND = "corrective.action.do"
OPEN_STATES = (S.DRAFT, S.ANALYSIS, S.PLANNING, S.IN_PROGRESS, S.VERIFICATION)
ANALYSIS_STATES = (S.DRAFT, S.ANALYSIS, S.PLANNING)
ACTION_STATES = (S.ANALYSIS, S.PLANNING, S.IN_PROGRESS)


def prefix(nonconformity: Nonconformity) -> str:
    return f"corrective.nonconformity:{nonconformity.pk}"


def _action_source(action: CorrectiveAction) -> str:
    return f"corrective.action:{action.pk}"


def _refuse_closed(nonconformity: Nonconformity) -> None:
    if nonconformity.status == S.CLOSED:
        raise ValidationError(_("This nonconformity is closed: it no longer changes."))


def _check_date(day: dt.date | None, nonconformity: Nonconformity, what: str) -> None:
    if day is None:
        return
    if day > today():
        raise ValidationError(_("%(what)s cannot be in the future.") % {"what": what})
    if day < nonconformity.raised_on:
        raise ValidationError(
            _("%(what)s cannot come before the nonconformity was raised (%(day)s).")
            % {"what": what, "day": f"{nonconformity.raised_on:%d/%m/%Y}"}
        )


# --- raising and changing --------------------------------------------------------------


def _next_seq(agency: Agency, year: int) -> int:
    Agency.objects.select_for_update().filter(pk=agency.pk).first()  # one number at a time
    found = Nonconformity.objects.filter(agency=agency, year=year).aggregate(n=Max("seq"))["n"]
    return (found or 0) + 1


def _validate(nonconformity: Nonconformity) -> None:
    agency_id = nonconformity.agency_id
    if nonconformity.unit.agency_id != agency_id:
        raise ValidationError(_("Choose a unit of this agency."))
    if nonconformity.procedure is not None and nonconformity.procedure.agency_id != agency_id:
        raise ValidationError(_("Choose a procedure of this agency."))
    if nonconformity.raised_on > today():
        raise ValidationError(_("The day it was raised cannot be in the future."))
    if nonconformity.owner_id is not None and not _is_member(agency_id, nonconformity.owner_id):
        raise ValidationError(_("Choose a person of this agency."))


def _is_member(agency_id: int, user_id: int) -> bool:
    return Membership.objects.current().filter(agency_id=agency_id, user_id=user_id).exists()


@transaction.atomic
def raise_nonconformity(
    nonconformity: Nonconformity, by: User, files: list[CheckedUpload] | None = None
) -> Nonconformity:
    """A new nonconformity, reported (numbered in its agency and year): it waits in the inbox
    of the ISO secretaries and the heads of its unit, who accept it."""
    _validate(nonconformity)
    nonconformity.year = nonconformity.raised_on.year
    nonconformity.seq = _next_seq(nonconformity.agency, nonconformity.year)
    nonconformity.raised_by = by
    nonconformity.status = S.DRAFT
    nonconformity.save()
    for upload in files or []:
        add_evidence(nonconformity, upload, by)
    _hand_over(nonconformity, None, by)
    return nonconformity


@transaction.atomic
def save_details(nonconformity: Nonconformity, by: User) -> Nonconformity:
    """What was found, its unit, clause, procedure, severity and the person responsible."""
    stored = Nonconformity.objects.select_for_update().get(pk=nonconformity.pk)
    _refuse_closed(stored)
    _validate(nonconformity)
    if nonconformity.raised_on.year != stored.year:
        raise ValidationError(
            _("The day it was raised stays in %(year)s: the number is of that year.")
            % {"year": stored.year}
        )
    nonconformity.save()
    if nonconformity.owner_id != stored.owner_id:
        _hand_over(nonconformity, None, by)  # the work waiting follows the new owner
    return nonconformity


@transaction.atomic
def add_evidence(nonconformity: Nonconformity, upload: CheckedUpload, by: User) -> Evidence:
    _refuse_closed(nonconformity)
    evidence = Evidence(
        nonconformity=nonconformity,
        name=(upload.file.name or "")[:255],
        content_type=upload.content_type,
        uploaded_by=by,
    )
    evidence.file.save(f"{upload.sha256}{upload.extension}", upload.file, save=False)
    evidence.save()
    return evidence


# --- correction and root-cause analysis ----------------------------------------------------


@transaction.atomic
def record_analysis(
    nonconformity: Nonconformity, by: User, values: dict[str, Any]
) -> Nonconformity:
    """The correction made at once and the root-cause analysis: "5 whys" (up to five
    why/because lines) or cause categories, and the root cause statement."""
    if nonconformity.status not in ANALYSIS_STATES:
        raise ValidationError(
            _("The analysis changes until the actions start; this nonconformity is “%(state)s”.")
            % {"state": nonconformity.get_status_display()}
        )
    method = values.get("method") or ""
    whys = [
        [str(w).strip(), str(b).strip()]
        for w, b in values.get("whys", [])[:WHYS]
        if str(w).strip() or str(b).strip()
    ]
    categories = list(values.get("categories") or [])
    root_cause = str(values.get("root_cause") or "").strip()
    if method == Method.FIVE_WHYS and root_cause and not whys:
        raise ValidationError(_("Write at least one “why – because” line of the 5 whys."))
    if method == Method.CATEGORIES and root_cause and not categories:
        raise ValidationError(_("Choose at least one category of causes."))
    if root_cause and not method:
        raise ValidationError(_("Choose how the cause was analysed: 5 whys or cause categories."))
    _check_date(values.get("correction_on"), nonconformity, _("The day of the correction"))
    nonconformity.correction = str(values.get("correction") or "").strip()
    nonconformity.correction_on = values.get("correction_on")
    nonconformity.method = method
    nonconformity.whys = whys if method == Method.FIVE_WHYS else []
    nonconformity.categories = categories if method == Method.CATEGORIES else []
    nonconformity.root_cause = root_cause
    nonconformity.analysed_by, nonconformity.analysed_on = by, today()
    nonconformity.save(
        update_fields=[
            "correction",
            "correction_on",
            "method",
            "whys",
            "categories",
            "root_cause",
            "analysed_by",
            "analysed_on",
        ]
    )
    return nonconformity


# --- actions ---------------------------------------------------------------------------


@transaction.atomic
def save_action(action: CorrectiveAction, by: User) -> CorrectiveAction:
    """Add or change an action (while the nonconformity is analysed, planned or in
    progress): it goes on its owner's agenda and into their inbox."""
    nonconformity = action.nonconformity
    if nonconformity.status not in ACTION_STATES:
        raise ValidationError(
            _(
                "Actions are planned once the cause is analysed and until the verification; "
                "this nonconformity is “%(state)s”."
            )
            % {"state": nonconformity.get_status_display()}
        )
    if action.pk is not None and action.done_on is not None:
        raise ValidationError(_("A done action no longer changes."))
    if not _is_member(nonconformity.agency_id, action.owner_id):
        raise ValidationError(_("Choose a person of this agency."))
    if action.due_date < nonconformity.raised_on:
        raise ValidationError(_("The due date cannot come before the nonconformity was raised."))
    action.save()
    sync_agenda(nonconformity)
    return action


@transaction.atomic
def mark_done(action: CorrectiveAction, by: User, done_on: dt.date, note: str) -> None:
    if action.done_on is not None:
        raise ValidationError(_("This action has already been recorded as done."))
    nonconformity = action.nonconformity
    if nonconformity.status not in ACTION_STATES:
        raise ValidationError(
            _("Actions are recorded until the verification; this nonconformity is “%(state)s”.")
            % {"state": nonconformity.get_status_display()}
        )
    _check_date(done_on, nonconformity, _("The day it was done"))
    if not note.strip():
        raise ValidationError(_("Say what was done and its result."))
    action.done_on, action.done_by, action.result_note = done_on, by, note.strip()
    action.save(update_fields=["done_on", "done_by", "result_note"])
    sync_agenda(nonconformity)


def sync_agenda(nonconformity: Nonconformity) -> None:
    """Each action on its owner's agenda ("Việc của tôi") and, while open, in their inbox;
    done, it leaves both."""
    url = nonconformity.get_absolute_url()
    actions = list(nonconformity.actions.order_by("pk"))
    items = [
        registry.Item(
            key=f"action:{a.pk}",
            kind=ACTION_KIND,
            title=f"{nonconformity.number}: {a.description}",
            url=f"{url}#action-{a.pk}",
            due_date=a.due_date,
            state=Obligation.State.DONE if a.done_on else Obligation.State.OPEN,
            owner_person_id=a.owner_id,
        )
        for a in actions
    ]
    registry.sync(nonconformity.agency, prefix(nonconformity), items)
    for a in actions:
        if a.done_on is not None:
            inbox.complete(_action_source(a), by=a.done_by)
            continue
        inbox.assign(
            nonconformity.agency,
            _action_source(a),
            [a.owner_id],
            kind=INBOX_ACTION_KIND,
            title=f"{nonconformity.number}: {a.description}",
            url=f"{url}#action-{a.pk}",
            due_date=a.due_date,
        )


# --- the workflow ----------------------------------------------------------------------


@transaction.atomic
def take(
    nonconformity: Nonconformity, name: str, actor: Actor, values: dict[str, Any]
) -> Nonconformity:
    """One step of NONCONFORMITY_FLOW, checked, with its hand-over to the inbox."""
    comment = str(values.get("comment", "")).strip()
    user = actor.user
    if name in ("close", "reopen") and user is not None and user.pk in doers(nonconformity):
        raise ValidationError(
            _("Whoever carried out an action cannot verify the effectiveness of the actions.")
        )
    step = NONCONFORMITY_FLOW.check(nonconformity, name, actor, comment)
    nonconformity.status = step.target
    fields = ["status"]
    if name in ("close", "reopen"):
        fields += _verify(nonconformity, name, user, values, comment)
    nonconformity._change_reason = comment[:100]  # type: ignore[attr-defined]
    nonconformity.save(update_fields=fields)
    _hand_over(nonconformity, step, user)
    return nonconformity


def _verify(
    nonconformity: Nonconformity, name: str, user: User, values: dict[str, Any], comment: str
) -> list[str]:
    day = values.get("verified_on") or today()
    _check_date(day, nonconformity, _("The day of the verification"))
    last_done = nonconformity.actions.aggregate(d=Max("done_on"))["d"]
    if last_done is not None and day < last_done:
        raise ValidationError(
            _("The verification cannot come before the last action was done (%(day)s).")
            % {"day": f"{last_done:%d/%m/%Y}"}
        )
    effective = name == "close"
    rating = Rating.EFFECTIVE if effective else Rating.NOT_EFFECTIVE
    note = str(values.get("note") or "").strip() if effective else comment
    Verification.objects.create(
        nonconformity=nonconformity, rating=rating, verified_by=user, verified_on=day, note=note
    )
    nonconformity.effectiveness = rating
    nonconformity.verified_by, nonconformity.verified_on = user, day
    nonconformity.verification_note = note
    nonconformity.closed_on = day if effective else None
    return ["effectiveness", "verified_by", "verified_on", "verification_note", "closed_on"]


def _hand_over(nonconformity: Nonconformity, step: Transition | None, by: User | None) -> None:
    """The work done leaves every inbox; the work now waiting on the nonconformity goes to
    whoever must do it (WAITING_ON: the managers of its unit to accept it, the person
    responsible to analyse, plan and carry it through, the verifiers to verify it)."""
    source = prefix(nonconformity)
    inbox.close(source, by=by)
    work = NONCONFORMITY_FLOW.work(nonconformity)
    if work is None:
        return
    inbox.assign(
        nonconformity.agency,
        f"{source}:{work.name}",
        WAITING_ON[work.name](nonconformity),
        kind=f"corrective.nonconformity.{work.name}",
        title=str(nonconformity),
        url=nonconformity.get_absolute_url(),
    )


# --- a missed quality objective ------------------------------------------------------------


@transaction.atomic
def open_from_follow_up(follow_up: FollowUp, by: User) -> Nonconformity:
    """The follow-up of a missed objective becomes a nonconformity (origin: missed
    objective), its text from the objective and the measurement; the follow-up's obligation
    is then done (qms.objectives.services.follow_up_taken_over)."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if Nonconformity.objects.filter(follow_up=follow_up).exists():
        raise ValidationError(_("A corrective action has already been opened for this follow-up."))
    objective = follow_up.objective
    measurement = follow_up.measurement
    unit_id = objective.responsible_unit_id
    if unit_id is None:
        raise ValidationError(
            _("Name the unit in charge of the objective before opening its corrective action.")
        )
    nonconformity = Nonconformity(
        agency=objective.agency,
        title=f"Không đạt mục tiêu chất lượng: {objective.statement}"[:300],
        description=(
            f"Mục tiêu: {objective.statement} ({objective.indicator}: {objective.target_text}).\n"
            f"Kết quả {measurement.period_label}: {measurement.value_text} "
            f"{objective.unit_of_measure} – không đạt.\n{follow_up.note}"
        ),
        origin=Origin.MISSED_OBJECTIVE,
        origin_note=(
            f"Theo dõi mục tiêu chất lượng năm {objective.year}, {measurement.period_label}"
        ),
        unit_id=unit_id,
        clause="6.2",
        raised_on=today(),
        follow_up=follow_up,
    )
    raise_nonconformity(nonconformity, by)
    objectives.follow_up_taken_over(follow_up)
    return nonconformity


# --- a nonconformity found by an internal audit -----------------------------------------------


@transaction.atomic
def open_from_finding(finding: Finding, by: User) -> Nonconformity:
    """A major or minor nonconformity found by an internal audit enters the register (origin:
    internal audit) with the finding's unit, clause, procedure and description, once."""
    finding = Finding.objects.select_for_update().select_related("audit").get(pk=finding.pk)
    if not finding.is_nonconformity:
        raise ValidationError(
            _("Only a nonconformity found by an audit opens a corrective action.")
        )
    if Nonconformity.objects.filter(finding=finding).exists():
        raise ValidationError(_("A corrective action has already been opened for this finding."))
    nonconformity = Nonconformity(
        agency_id=finding.agency_id,
        title=finding.description.splitlines()[0][:300],
        description=finding.description,
        origin=Origin.INTERNAL_AUDIT,
        origin_note=f"{finding.audit.title}, phát hiện số {finding.number}"[:1000],
        unit_id=finding.unit_id,
        clause=finding.clause,
        procedure_id=finding.procedure_id,
        severity=Severity.MAJOR if finding.kind == Finding.Kind.MAJOR else Severity.MINOR,
        raised_on=today(),
        finding=finding,
    )
    return raise_nonconformity(nonconformity, by)


def actor_of(access: Any, nonconformity: Nonconformity) -> CorrectiveActor:
    return CorrectiveActor(access, nonconformity)
