"""Every write of the quality policy and objectives, with its side effects: the paperwork
register, the agenda (actions, follow-ups) and the inbox (proposals, send-backs, missed
objectives). Views and the background task call these; nothing else writes the tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import translation
from django.utils.translation import gettext as _

from qms.agenda import inbox, people, registry
from qms.documents import services as documents
from qms.documents.models import Kind
from qms.lib.uploads import CheckedUpload
from qms.objectives import periods, sources
from qms.objectives.models import (
    FollowUp,
    Measurement,
    ObjectiveAction,
    ObjectiveSet,
    QualityObjective,
    QualityPolicy,
    ResultsReport,
)
from qms.objectives.workflows import OBJECTIVE_FLOW, ObjectiveActor
from qms.organization.access import AgencyAccess
from qms.organization.models import Agency, Role, User, today
from qms.paperwork import services as paperwork

S = QualityObjective.Status
ACTION_KIND = "objectives.action"
FOLLOW_UP_KIND = "objectives.follow_up"  # agenda: open the corrective action
MISSED_KIND = "objectives.missed"  # inbox: decide the follow-up of a missed objective
COMPILE_KIND = "objectives.objective.accept"
REVISE_KIND = "objectives.objective.propose"
OBJECTIVE_RECORDS = "Như Điều 3\nBan Chỉ đạo ISO"


# --- the policy ------------------------------------------------------------------------------


def policy_in_force(agency: Agency) -> QualityPolicy | None:
    """The latest issued version (one query)."""
    return (
        QualityPolicy.objects.filter(agency=agency, paper__status="issued")
        .select_related("paper")
        .order_by("-paper__issued_on", "-version")
        .first()
    )


@transaction.atomic
def draft_policy(agency: Agency, text: str) -> QualityPolicy:
    """A new version of the policy, drafted for the head's signature."""
    if QualityPolicy.objects.filter(agency=agency).exclude(paper__status="issued").exists():
        raise ValidationError(
            _("A draft of the quality policy already exists: finish or change that one.")
        )
    version = (
        QualityPolicy.objects.filter(agency=agency).aggregate(n=Max("version"))["n"] or 0
    ) + 1
    paper = paperwork.new_paper(
        agency,
        QualityPolicy,
        subject="Ban hành Chính sách chất lượng",
        signer_position=agency.head_title,
        recipients=OBJECTIVE_RECORDS,
    )
    policy = QualityPolicy.objects.create(agency=agency, version=version, text=text, paper=paper)
    paperwork.link(paper, policy)
    return policy


@transaction.atomic
def change_policy_text(policy: QualityPolicy, text: str) -> None:
    if not policy.is_editable:
        raise ValidationError(
            _("Only a draft not yet submitted for signature is changed; this policy is not.")
        )
    policy.text = text
    policy.save(update_fields=["text"])


def check_policy_issue(policy: QualityPolicy) -> None:
    if not policy.text.strip():
        raise ValidationError(_("Write the text of the quality policy before issuing it."))


# --- objectives ------------------------------------------------------------------------------


def year_is_open(agency: Agency, year: int) -> bool:
    """Whether the year's objectives may still change: its decision is not issued."""
    return not ObjectiveSet.objects.filter(
        agency=agency, year=year, paper__status="issued"
    ).exists()


def _require_open(agency: Agency, year: int) -> None:
    if not year_is_open(agency, year):
        raise ValidationError(
            _("The quality objectives of %(year)s have been issued: they no longer change.")
            % {"year": year}
        )


def validate(objective: QualityObjective) -> None:
    """What an objective must satisfy, whoever writes it (form or service)."""
    errors: dict[str, str] = {}
    parent = objective.parent
    if objective.unit_id is None:
        if parent is not None:
            errors["parent"] = _("An objective of the agency serves no other objective.")
    elif parent is None:
        errors["parent"] = _("Choose the objective of the agency this unit objective serves.")
    elif (
        parent.agency_id != objective.agency_id
        or parent.year != objective.year
        or parent.unit_id is not None
    ):
        errors["parent"] = _("Choose an objective of the agency of the same year.")
    source = sources.SOURCES.get(objective.source)
    if source is None:
        errors["source"] = _("Choose a data source from the list.")
    elif source.needs_unit and objective.responsible_unit_id is None:
        errors["source"] = _("This source is computed for a unit: choose the unit in charge.")
    elif source.needs_field and not objective.source_field.strip():
        errors["source_field"] = _("Name the field of procedures this rate is computed for.")
    if objective.target is not None and objective.target < 0:
        errors["target"] = _("The target cannot be negative.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_objective(objective: QualityObjective, by: User) -> QualityObjective:
    """Create or change an objective while its year is open; a changed target or direction
    re-decides whether each recorded period was achieved."""
    _require_open(objective.agency, objective.year)
    if objective.pk is not None:
        stored = QualityObjective.objects.select_for_update().get(pk=objective.pk)
        if stored.status == S.ISSUED:
            raise ValidationError(_("An issued objective no longer changes."))
    validate(objective)
    objective.save()
    _recompute(objective)
    sync_agenda(objective)
    return objective


def _recompute(objective: QualityObjective) -> None:
    for measurement in objective.measurements.all():
        reached = periods.achieved(objective.direction, objective.target, measurement.value)
        if reached != measurement.achieved:
            measurement.achieved = reached
            measurement.save(update_fields=["achieved"])


def _prefix(objective: QualityObjective) -> str:
    return f"objectives.objective:{objective.pk}"


@transaction.atomic
def take(
    objective: QualityObjective, name: str, access: AgencyAccess, values: dict[str, Any]
) -> QualityObjective:
    """One step of OBJECTIVE_FLOW, checked, with its hand-over to the inbox."""
    comment = str(values.get("comment", ""))
    step = OBJECTIVE_FLOW.check(objective, name, ObjectiveActor(access, objective), comment)
    _require_open(objective.agency, objective.year)
    user = access.user
    objective.status = step.target
    fields = ["status"]
    if name == "propose":
        objective.proposed_by = user
        fields.append("proposed_by")
    if name == "accept":
        year_set(objective.agency, objective.year)
    objective._change_reason = comment[:100]  # type: ignore[attr-defined]
    objective.save(update_fields=fields)
    prefix = _prefix(objective)
    inbox.close(prefix, by=user)
    work = OBJECTIVE_FLOW.work(objective)
    if work is not None and step.hands_to is not None:
        title = objective.statement if not comment else f"{objective.statement} – {comment}"
        inbox.assign(
            objective.agency,
            f"{prefix}:{work.name}",
            step.hands_to(objective),
            kind=f"objectives.objective.{work.name}",
            title=title,
            url=objective.get_absolute_url(),
        )
    return objective


@transaction.atomic
def year_set(agency: Agency, year: int) -> ObjectiveSet:
    """The year's decision issuing the objectives: drafted once, when the first objective is
    accepted into the year's set."""
    found = ObjectiveSet.objects.filter(agency=agency, year=year).select_related("paper").first()
    if found is not None:
        return found
    paper = paperwork.new_paper(
        agency,
        ObjectiveSet,
        subject=f"Ban hành Mục tiêu chất lượng năm {year}",
        signer_position=agency.head_title,
        recipients=OBJECTIVE_RECORDS,
    )
    objective_set = ObjectiveSet.objects.create(agency=agency, year=year, paper=paper)
    paperwork.link(paper, objective_set)
    return objective_set


def check_set_issue(objective_set: ObjectiveSet, issued_on: dt.date) -> None:
    year_objectives = QualityObjective.objects.filter(
        agency=objective_set.agency, year=objective_set.year
    )
    if year_objectives.filter(status=S.PROPOSED).exists():
        raise ValidationError(
            _("Accept or send back every proposed objective before issuing the year's objectives.")
        )
    if not year_objectives.filter(status=S.ACCEPTED).exists():
        raise ValidationError(_("Accept at least one objective before issuing them."))


def issue_objectives(objective_set: ObjectiveSet, by: User | None) -> None:
    """The decision is signed: the accepted objectives of the year are issued."""
    accepted = QualityObjective.objects.filter(
        agency=objective_set.agency, year=objective_set.year, status=S.ACCEPTED
    )
    for objective in accepted:
        objective.status = S.ISSUED
        objective.save(update_fields=["status"])
        inbox.close(_prefix(objective), by=by)


# --- the document register ------------------------------------------------------------------
# The register's "Chính sách chất lượng" and "Mục tiêu chất lượng" are these records' documents:
# each signed decision brings a new revision into force there, its text kept here.


def _into_register(
    record: QualityPolicy | ObjectiveSet, kind: str, code: str, title: str, by: User | None
) -> None:
    paper = record.paper
    assert paper.issued_on is not None
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("%(what)s, issued by %(decision)s") % {
            "what": record,
            "decision": paper.reference,
        }
    record.revision = documents.issue_from_record(
        record.agency,
        documents.RecordIssue(
            kind=kind,
            code=code,
            title=title,
            summary=summary,
            signed_on=paper.issued_on,
            drafted_by=by,
            signer=paper.signer,
            url=record.get_absolute_url(),
        ),
    )
    record.save(update_fields=["revision"])


def policy_into_register(policy: QualityPolicy, by: User | None) -> None:
    _into_register(policy, Kind.QUALITY_POLICY, "CS.ISO.01", "Chính sách chất lượng", by)


def objectives_into_register(objective_set: ObjectiveSet, by: User | None) -> None:
    _into_register(objective_set, Kind.QUALITY_OBJECTIVES, "MT.ISO.01", "Mục tiêu chất lượng", by)


# --- measurements ----------------------------------------------------------------------------


def _measurable(objective: QualityObjective) -> None:
    if objective.status not in (S.ACCEPTED, S.ISSUED):
        raise ValidationError(
            _("Results are recorded for objectives accepted into the year's objectives.")
        )


@transaction.atomic
def enter_measurement(
    objective: QualityObjective,
    key: str,
    value: Decimal,
    by: User,
    *,
    note: str = "",
    evidence: CheckedUpload | None = None,
) -> Measurement:
    """A result entered by people, with its evidence; entered again, it replaces the value
    (the history keeps the old one)."""
    _measurable(objective)
    if objective.is_computed:
        raise ValidationError(_("The results of this objective are computed by the system."))
    span = periods.span_of(objective.year, objective.period, key)
    if span is None:
        raise ValidationError(_("Choose a period of the objective's year."))
    if span.end >= today():
        raise ValidationError(_("A result is recorded once its period has ended."))
    found = Measurement.objects.filter(objective=objective, period_key=key).first()
    measurement = found or Measurement(objective=objective, period_key=key)
    measurement.period_start, measurement.period_end = span.start, span.end
    measurement.value, measurement.note, measurement.entered_by = value, note, by
    measurement.computed = False
    measurement.achieved = periods.achieved(objective.direction, objective.target, value)
    if evidence is not None:
        measurement.evidence.save(
            f"{evidence.sha256}{evidence.extension}", evidence.file, save=False
        )
        measurement.evidence_name = (evidence.file.name or "")[:255]
    measurement.save()
    _after_measurement(measurement)
    return measurement


def measure_due(agency: Agency, day: dt.date) -> int:
    """Compute the results of every computed objective of `agency` for the periods that
    ended before `day` (the worker's job, never a request's): a period without a result gets
    one, a computed result whose figure has changed since (TTHC results imported again, a
    late citation updated) is corrected; a period without data records nothing. Returns how
    many results were recorded or corrected."""
    objectives = QualityObjective.objects.filter(
        agency=agency,
        status__in=[S.ACCEPTED, S.ISSUED],
        source__in=sources.COMPUTED,
        year__lte=day.year,
    ).select_related("agency", "unit", "owner_unit")
    changed = 0
    for objective in objectives:
        have = {m.period_key: m for m in objective.measurements.all()}
        for span in periods.ended(periods.spans(objective.year, objective.period), day):
            value = sources.compute(objective, span.start, span.end)
            if value is None or not _needs_recording(have.get(span.key), value):
                continue
            with transaction.atomic():
                _record_computed(objective, span, value, have.get(span.key))
            changed += 1
    return changed


def _needs_recording(measurement: Measurement | None, value: Decimal) -> bool:
    """A period without a result, or a computed one whose figure is no longer right (a
    result entered by a person is never overwritten)."""
    if measurement is None:
        return True
    return measurement.computed and measurement.value != value


def _record_computed(
    objective: QualityObjective, span: periods.Span, value: Decimal, found: Measurement | None
) -> None:
    achieved = periods.achieved(objective.direction, objective.target, value)
    if found is None:
        found = Measurement(
            objective=objective,
            period_key=span.key,
            period_start=span.start,
            period_end=span.end,
            computed=True,
        )
    flipped = found.pk is None or found.achieved != achieved
    found.value, found.achieved = value, achieved
    found.save()
    # The inbox moves only when the verdict does, and a follow-up already decided stays.
    if flipped and not FollowUp.objects.filter(measurement=found).exists():
        _after_measurement(found)


def _missed_source(measurement: Measurement) -> str:
    return f"objectives.measurement:{measurement.pk}:follow_up"


def deciders(objective: QualityObjective) -> list[User]:
    """Who decides the follow-up of a missed objective: the ISO secretaries and the heads
    of the unit in charge."""
    users = people.with_roles(objective.agency, [Role.ISO_SECRETARY])
    unit_id = objective.responsible_unit_id
    if unit_id is not None:
        users += people.unit_heads(objective.agency, [unit_id]).get(unit_id, [])
    return list({u.pk: u for u in users}.values())


def _after_measurement(measurement: Measurement) -> None:
    """A missed period waits in the inbox of who decides its follow-up; achieved, it does not."""
    source = _missed_source(measurement)
    if measurement.achieved or hasattr(measurement, "follow_up"):
        inbox.complete(source)
        return
    objective = measurement.objective
    inbox.assign(
        objective.agency,
        source,
        deciders(objective),
        kind=MISSED_KIND,
        title=f"{objective.statement} – {measurement.period_label}",
        url=objective.get_absolute_url(),
    )


# --- follow-ups and the plan to reach the objective -------------------------------------------


@transaction.atomic
def record_follow_up(measurement: Measurement, note: str, due_date: dt.date, by: User) -> FollowUp:
    """The missed period needs corrective action: recorded, on the agenda of the unit in
    charge until the corrective-action register exists."""
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if measurement.achieved:
        raise ValidationError(_("This period was achieved: it needs no corrective action."))
    if FollowUp.objects.filter(measurement=measurement).exists():
        raise ValidationError(_("The follow-up of this period has already been recorded."))
    if not note.strip():
        raise ValidationError(_("Say what must be corrected."))
    follow_up = FollowUp.objects.create(
        measurement=measurement,
        objective=measurement.objective,
        note=note,
        due_date=due_date,
        recorded_by=by,
    )
    inbox.complete(_missed_source(measurement), by=by)
    sync_agenda(measurement.objective)
    return follow_up


def follow_up_taken_over(follow_up: FollowUp) -> None:
    """The corrective-action register opened the corrective action this follow-up asked
    for: its obligation on the agenda is done."""
    sync_agenda(follow_up.objective)


@transaction.atomic
def add_action(objective: QualityObjective, action: ObjectiveAction) -> ObjectiveAction:
    action.objective = objective
    if action.owner_unit_id is None and action.owner_person_id is None:
        action.owner_unit_id = objective.responsible_unit_id
    action.save()
    sync_agenda(objective)
    return action


@transaction.atomic
def set_action_done(action: ObjectiveAction, done: bool) -> None:
    action.done = done
    action.done_on = today() if done else None
    action.save(update_fields=["done", "done_on"])
    sync_agenda(action.objective)


def sync_agenda(objective: QualityObjective) -> None:
    """The objective's actions and the corrective actions its missed periods need, on the
    agenda of their owners ("Việc của tôi")."""
    url = objective.get_absolute_url()
    items = [
        registry.Item(
            key=f"action:{a.pk}",
            kind=ACTION_KIND,
            title=a.description,
            url=f"{url}#action-{a.pk}",
            due_date=a.due_date,
            state="done" if a.done else "open",
            owner_person_id=a.owner_person_id,
            owner_unit_id=None if a.owner_person_id else a.owner_unit_id,
            owner_text="" if (a.owner_person_id or a.owner_unit_id) else "Thư ký ISO",
        )
        for a in objective.actions.all()
    ]
    items += [
        registry.Item(
            key=f"follow_up:{f.pk}",
            kind=FOLLOW_UP_KIND,
            title=f"Khắc phục: {objective.statement} – {f.measurement.period_label}",
            url=f"{url}#follow-up-{f.pk}",
            due_date=f.due_date,
            owner_unit_id=objective.responsible_unit_id,
            owner_text="" if objective.responsible_unit_id else "Thư ký ISO",
            # done once the corrective-action register has opened it (its nonconformity)
            state="done" if f.taken_over else "open",
        )
        for f in objective.follow_ups.select_related("measurement").annotate(
            taken_over=Exists(
                FollowUp.objects.filter(pk=OuterRef("pk"), nonconformity__isnull=False)
            )
        )
    ]
    registry.sync(objective.agency, _prefix(objective), items)


# --- copy to next year, the results report ------------------------------------------------


@transaction.atomic
def copy_to_next_year(agency: Agency, year: int, by: User) -> int:
    """Last year's objectives reused as drafts of the next year (each once); unit objectives
    keep serving the copy of their agency objective. Returns how many were copied."""
    _require_open(agency, year + 1)
    old = list(
        QualityObjective.objects.filter(agency=agency, year=year).order_by("unit_id", "order", "pk")
    )
    done = set(
        QualityObjective.objects.filter(
            agency=agency, year=year + 1, copied_from__isnull=False
        ).values_list("copied_from_id", flat=True)
    )
    copies: dict[int, QualityObjective] = {
        o.copied_from_id: o
        for o in QualityObjective.objects.filter(agency=agency, year=year + 1)
        if o.copied_from_id
    }
    count = 0
    for objective in sorted(old, key=lambda o: o.unit_id is not None):
        if objective.pk in done:
            continue
        parent = copies.get(objective.parent_id) if objective.parent_id else None
        if objective.unit_id is not None and parent is None:
            continue  # its agency objective was not carried over
        copy = QualityObjective.objects.create(
            agency=agency,
            year=year + 1,
            unit_id=objective.unit_id,
            parent=parent,
            statement=objective.statement,
            indicator=objective.indicator,
            unit_of_measure=objective.unit_of_measure,
            direction=objective.direction,
            target=objective.target,
            period=objective.period,
            owner_unit_id=objective.owner_unit_id,
            source=objective.source,
            source_field=objective.source_field,
            order=objective.order,
            copied_from=objective,
            status=S.DRAFT,
        )
        copies[objective.pk] = copy
        count += 1
    return count


@transaction.atomic
def draft_report(agency: Agency, year: int) -> ResultsReport:
    found = ResultsReport.objects.filter(agency=agency, year=year).first()
    if found is not None:
        return found
    paper = paperwork.new_paper(
        agency,
        ResultsReport,
        subject=f"Kết quả thực hiện mục tiêu chất lượng năm {year}",
        signer_position=agency.head_title,
        recipients="Ban Chỉ đạo ISO\nCác phòng, đơn vị",
    )
    report = ResultsReport.objects.create(agency=agency, year=year, paper=paper)
    paperwork.link(paper, report)
    return report
