"""The states of a training session, declared once (docs/workflows.md):
planned → announced (the invited units nominate) → held (attendance recorded); a session not
yet held may be cancelled, with the reason."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qms.agenda import people
from qms.lib.workflow import Requirement, Transition, Workflow, states
from qms.organization.access import Action
from qms.organization.models import today
from qms.training.models import Nominee, TrainingSession

S = TrainingSession.Status
INBOX_KIND = "training.session"


def _has_units(session: TrainingSession) -> bool:
    return session.invited_units.exists()


def _has_attendance(session: TrainingSession) -> bool:
    nominees = session.nominees.all()
    return nominees.exists() and not nominees.filter(attendance=Nominee.Attendance.PENDING).exists()


def _has_started(session: TrainingSession) -> bool:
    return session.starts_on <= today()


def secretaries(session: TrainingSession) -> list[Any]:
    return people.holding(session.agency, Action.MANAGE_TRAINING)


SESSION_FLOW = Workflow(
    states(
        S,
        {S.PLANNED: "warning", S.ANNOUNCED: "primary", S.HELD: "success", S.CANCELLED: "secondary"},
    ),
    [
        Transition(
            "announce",
            _("Announce and invite the units"),
            sources=(S.PLANNED,),
            target=S.ANNOUNCED,
            right=Action.MANAGE_TRAINING,
            refusal=_("Only a planned session is announced; this one is “%(state)s”."),
            requires=(
                Requirement(_has_units, _("Choose the units invited to the session first.")),
            ),
            hands_to=secretaries,
            icon="megaphone",
            done=_("The session has been announced; the invited units nominate their people."),
        ),
        Transition(
            "hold",
            _("Record as held"),
            sources=(S.ANNOUNCED,),
            target=S.HELD,
            right=Action.MANAGE_TRAINING,
            refusal=_("Only an announced session is recorded as held; this one is “%(state)s”."),
            task=_("Record the attendance of a training session"),
            requires=(
                Requirement(_has_started, _("The session has not started yet.")),
                Requirement(
                    _has_attendance,
                    _(
                        "Record the attendance of every nominee before recording the "
                        "session as held."
                    ),
                ),
            ),
            style="success",
            icon="check2-all",
            done=_("The session has been recorded as held."),
        ),
        Transition(
            "cancel",
            _("Cancel the session"),
            sources=(S.PLANNED, S.ANNOUNCED),
            target=S.CANCELLED,
            right=Action.MANAGE_TRAINING,
            refusal=_("This session is already “%(state)s”."),
            comment=True,
            comment_label=_("Why it is cancelled"),
            style="outline-danger",
            icon="x-circle",
            done=_("The session has been cancelled."),
        ),
    ],
    url=lambda session, name: reverse("training:step", args=[session.agency_id, session.pk, name]),
    model=TrainingSession,
)
