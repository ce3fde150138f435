"""Writes of the training app: courses, sessions and their workflow, nominations by unit,
attendance, results and certificates; the inbox items, the agenda of the nominees and the
plan task a held session fulfils follow in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms.agenda import inbox, people, registry
from qms.agenda.models import Obligation
from qms.lib.uploads import CheckedUpload
from qms.organization.access import Action, AgencyAccess
from qms.organization.models import Membership, Unit, User
from qms.plans import services as plans
from qms.plans.models import PlanTask
from qms.training.models import Certificate, Course, Nominee, TrainingSession
from qms.training.workflows import INBOX_KIND, SESSION_FLOW

NOMINATE_KIND = "training.nominate"
ATTEND_KIND = "training.attend"
AGENDA_KIND = "training.session"
RECORD_KIND = "training.trainingsession"


def register_kinds() -> None:
    registry.register_kind(AGENDA_KIND, gettext_lazy("Training session"))
    inbox.register_kind(NOMINATE_KIND, gettext_lazy("Nominate people for a training session"))
    inbox.register_kind(ATTEND_KIND, gettext_lazy("Attend a training session"))
    for step in SESSION_FLOW.transitions:
        if step.task:
            inbox.register_kind(f"{INBOX_KIND}.{step.name}", step.task)


def prefix_of(session: TrainingSession) -> str:
    return f"training.session:{session.pk}"


# --- courses and sessions ----------------------------------------------------------------


def save_course(course: Course) -> Course:
    course.save()
    return course


@transaction.atomic
def save_session(form: Any, by: User) -> TrainingSession:
    """A session from its valid form (SessionForm). Once announced, a unit newly invited is
    asked for nominees, a unit no longer invited loses its request (refused while it has
    nominees), and the agenda follows the new dates."""
    session: TrainingSession = form.instance
    before: set[int] = set()
    if session.pk is not None:
        if not session.is_editable:
            raise ValidationError(_("A session held or cancelled is no longer changed."))
        before = set(session.invited_units.values_list("pk", flat=True))
    else:
        session.created_by = by
    session = form.save()
    after = set(session.invited_units.values_list("pk", flat=True))
    dropped = before - after
    if dropped and session.nominees.filter(unit_id__in=dropped).exists():
        raise ValidationError(
            _("A unit whose people are nominated stays invited; withdraw its nominees first.")
        )
    if session.status == TrainingSession.Status.ANNOUNCED:
        _invite(session, only=after - before)
        for unit_id in dropped:
            inbox.complete(f"{prefix_of(session)}:nominate:{unit_id}", by=by)
        sync_agenda(session)
    return session


@transaction.atomic
def take_step(session: TrainingSession, name: str, actor: AgencyAccess, comment: str = "") -> None:
    step = SESSION_FLOW.advance(session, name, actor, comment)
    session._change_reason = comment[:100] if comment else None  # type: ignore[attr-defined]
    session.save(update_fields=["status"])
    prefix = prefix_of(session)
    if name == "announce":
        _invite(session)
        for nominee in session.nominees.select_related("person"):
            _hand_attendance(session, nominee)
    else:
        inbox.close(prefix, by=actor.user)
    work = SESSION_FLOW.work(session)
    if work and step.hands_to:
        inbox.assign(
            session.agency,
            f"{prefix}:{work.name}",
            step.hands_to(session),
            kind=f"{INBOX_KIND}.{work.name}",
            title=str(session),
            url=session.get_absolute_url(),
            due_date=session.ends_on,
        )
    if name == "hold" and session.plan_task_id is not None:
        _fulfil(session)
    sync_agenda(session)


def _fulfil(session: TrainingSession) -> None:
    """The plan task the session fulfils is done, through the plans app's own functions."""
    task = session.plan_task
    assert task is not None
    plans.link_record(task, f"{RECORD_KIND}:{session.pk}")
    if task.status != PlanTask.Status.DONE:
        plans.set_task_status(task, PlanTask.Status.DONE)


def _invite(session: TrainingSession, only: set[int] | None = None) -> None:
    """Each invited unit's heads (or only those of the units `only` names): "nominate
    people" from the session."""
    prefix = prefix_of(session)
    units = list(session.invited_units.all())
    if only is not None:
        units = [u for u in units if u.pk in only]
    heads = people.unit_heads(session.agency, [u.pk for u in units])
    for unit in units:
        inbox.assign(
            session.agency,
            f"{prefix}:nominate:{unit.pk}",
            heads.get(unit.pk, []),
            kind=NOMINATE_KIND,
            title=_("%(session)s — %(unit)s") % {"session": session, "unit": unit.name},
            url=session.get_absolute_url(),
            due_date=session.starts_on,
        )


def _hand_attendance(session: TrainingSession, nominee: Nominee) -> None:
    if nominee.attendance != Nominee.Attendance.PENDING:
        return
    inbox.assign(
        session.agency,
        f"{prefix_of(session)}:attend:{nominee.person_id}",
        [nominee.person_id],
        kind=ATTEND_KIND,
        title=_("%(session)s, at %(place)s") % {"session": session, "place": session.place},
        url=session.get_absolute_url(),
        due_date=session.starts_on,
    )


def sync_agenda(session: TrainingSession) -> None:
    """The session's dates on the agenda of each nominee, once announced; done once their
    attendance is recorded; nothing for a planned or cancelled session."""
    items = []
    if session.status in (TrainingSession.Status.ANNOUNCED, TrainingSession.Status.HELD):
        for nominee in session.nominees.all():
            done = nominee.attendance != Nominee.Attendance.PENDING
            items.append(
                registry.Item(
                    key=str(nominee.person_id),
                    kind=AGENDA_KIND,
                    title=str(session),
                    url=session.get_absolute_url(),
                    due_date=session.ends_on,
                    start_date=session.starts_on,
                    state=Obligation.State.DONE if done else Obligation.State.OPEN,
                    owner_person_id=nominee.person_id,
                )
            )
    registry.sync(session.agency, prefix_of(session), items)


# --- nominations ---------------------------------------------------------------------------


def unit_members(unit: Unit) -> list[User]:
    """The current members of `unit`, by name: whom its heads nominate."""
    rows = (
        Membership.objects.current()
        .filter(unit=unit, agency_id=unit.agency_id, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    return [m.user for m in rows]


@transaction.atomic
def nominate(
    session: TrainingSession, unit: Unit, persons: Iterable[User], access: AgencyAccess
) -> list[Nominee]:
    """People of `unit` nominated for the announced `session`; a head of unit nominates
    only for their own unit, the ISO secretary for every invited unit."""
    access.require_on(Action.NOMINATE_TRAINEES, [unit.pk])
    if not session.takes_nominees:
        raise ValidationError(_("People are nominated only while the session is announced."))
    if not session.invited_units.filter(pk=unit.pk).exists():
        raise ValidationError(_("This unit is not invited to the session."))
    members = {u.pk for u in unit_members(unit)}
    chosen = list(persons)
    if not chosen:
        raise ValidationError(_("Choose at least one person."))
    if any(p.pk not in members for p in chosen):
        raise ValidationError(_("Only current members of the unit are nominated for it."))
    already = set(session.nominees.values_list("person_id", flat=True))
    added = []
    for person in chosen:
        if person.pk in already:
            continue
        nominee = Nominee.objects.create(
            session=session, person=person, unit=unit, nominated_by=access.user
        )
        _hand_attendance(session, nominee)
        added.append(nominee)
    if not added:
        raise ValidationError(_("These people are already nominated."))
    sync_agenda(session)
    return added


@transaction.atomic
def withdraw_nominee(nominee: Nominee, access: AgencyAccess) -> None:
    """A nomination made by mistake, before any attendance is recorded: removed, with its
    inbox item and agenda entry (nothing cites it yet; the history keeps it)."""
    access.require_on(Action.NOMINATE_TRAINEES, [nominee.unit_id])
    session = nominee.session
    if not session.takes_nominees or nominee.attendance != Nominee.Attendance.PENDING:
        raise ValidationError(
            _("Only a nomination without attendance is withdrawn, before the session is held.")
        )
    inbox.complete(f"{prefix_of(session)}:attend:{nominee.person_id}", by=access.user)
    nominee.delete()
    sync_agenda(session)


def confirm_unit(session: TrainingSession, unit: Unit, access: AgencyAccess) -> None:
    """The unit's list is complete: its "nominate" item leaves every inbox."""
    access.require_on(Action.NOMINATE_TRAINEES, [unit.pk])
    if not session.takes_nominees:
        raise ValidationError(_("People are nominated only while the session is announced."))
    if not session.nominees.filter(unit=unit).exists():
        raise ValidationError(_("Nominate at least one person of the unit first."))
    inbox.complete(f"{prefix_of(session)}:nominate:{unit.pk}", by=access.user)


# --- attendance, results, certificates -------------------------------------------------------


def check_attendance(attendance: str, reason: str, result: str) -> None:
    if attendance not in Nominee.Attendance.values:
        raise ValidationError(_("Unknown attendance."))
    if result not in Nominee.Result.values:
        raise ValidationError(_("Unknown result."))
    if attendance == Nominee.Attendance.ABSENT and not reason.strip():
        raise ValidationError(_("Give the reason for the absence."))
    if attendance != Nominee.Attendance.ATTENDED and result:
        raise ValidationError(_("Only a person who attended has a result."))


@transaction.atomic
def record_attendance(
    session: TrainingSession, rows: dict[int, tuple[str, str, str]], by: User
) -> int:
    """Attendance, reason and result of the nominees `rows` names (nominee id → values), all or
    nothing; each one recorded leaves its "attend" item. Returns how many changed."""
    if not session.takes_attendance:
        raise ValidationError(_("Attendance is recorded once the session is announced."))
    nominees = {n.pk: n for n in session.nominees.select_related("person")}
    changed = 0
    for pk, (attendance, reason, result) in rows.items():
        nominee = nominees.get(pk)
        if nominee is None:
            raise ValidationError(_("This person is not nominated for the session."))
        check_attendance(attendance, reason, result)
        reason = reason.strip() if attendance == Nominee.Attendance.ABSENT else ""
        if (nominee.attendance, nominee.absence_reason, nominee.result) == (
            attendance,
            reason,
            result,
        ):
            continue
        if nominee.certificates.exists() and attendance != Nominee.Attendance.ATTENDED:
            raise ValidationError(
                _("%(person)s has a certificate: they attended.") % {"person": nominee.person}
            )
        nominee.attendance, nominee.absence_reason, nominee.result = attendance, reason, result
        nominee.recorded_by = by
        nominee.save(update_fields=["attendance", "absence_reason", "result", "recorded_by"])
        source = f"{prefix_of(session)}:attend:{nominee.person_id}"
        if attendance == Nominee.Attendance.PENDING:
            _hand_attendance(session, nominee)
        else:
            inbox.complete(source, by=by)
        changed += 1
    sync_agenda(session)
    return changed


@transaction.atomic
def add_certificate(nominee: Nominee, checked: CheckedUpload, by: User) -> Certificate:
    if not nominee.attended:
        raise ValidationError(_("A certificate is attached only for a person who attended."))
    upload = checked.file
    return Certificate.objects.create(
        nominee=nominee,
        file=upload,
        name=(upload.name or "")[:255],
        content_type=checked.content_type,
        sha256=checked.sha256,
        uploaded_by=by,
    )
