"""The life of a quality objective, declared once (docs/workflows.md):

    draft ──propose──▶ proposed ──accept──▶ accepted ──(the year's decision issued)──▶ issued
      ▲                   │
      └── send back ──────┘ (with a comment, into the proposer's inbox)

A head of unit proposes the objectives of their unit (the ISO secretary those of the agency);
the ISO secretary compiles: accepts a proposal into the year's set or sends it back. Issuing
is signing the year's "Mục tiêu chất lượng năm …" decision on the paperwork panel
(`ObjectiveSet.after_issue`), not a button here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qms.agenda import people
from qms.lib.workflow import Transition, Workflow, states
from qms.objectives.models import QualityObjective
from qms.organization.access import Action, AgencyAccess
from qms.organization.models import Role, User

S = QualityObjective.Status
OWN = "objectives.own"  # the objective's own unit (or, for the agency's, the secretary)
COMPILE = "objectives.compile"  # compiling the year's set: the ISO secretary


@dataclass(frozen=True)
class ObjectiveActor:
    """The rights of the flow, answered by the access helper: proposing follows the unit
    (`can_on`), compiling is for who manages objectives across units (the ISO secretary)."""

    access: AgencyAccess
    objective: QualityObjective

    @property
    def user(self) -> Any:
        return self.access.user

    def can(self, right: str) -> bool:
        if right == OWN:
            return self.access.can_on(Action.MANAGE_OBJECTIVES, [self.objective.unit_id])
        if right == COMPILE:
            return may_compile(self.access)
        return self.access.can(Action(right))


def may_compile(access: AgencyAccess) -> bool:
    return access.can(Action.MANAGE_OBJECTIVES) and access.acts_across_units


def secretaries(objective: QualityObjective) -> list[User]:
    return people.with_roles(objective.agency, [Role.ISO_SECRETARY])


def proposer(objective: QualityObjective) -> list[User]:
    if objective.proposed_by is not None:
        return [objective.proposed_by]
    return secretaries(objective)


def _url(objective: QualityObjective, name: str) -> str:
    return reverse("objectives:action", args=[objective.agency_id, objective.pk, name])


OBJECTIVE_FLOW = Workflow(
    states(
        S,
        {S.DRAFT: "warning", S.PROPOSED: "primary", S.ACCEPTED: "info", S.ISSUED: "success"},
    ),
    [
        Transition(
            "propose",
            _("Propose"),
            sources=(S.DRAFT,),
            target=S.PROPOSED,
            right=OWN,
            refusal=_("Only a draft objective is proposed; this objective is “%(state)s”."),
            hands_to=secretaries,
            task=_("Revise and propose a quality objective again"),
            style="success",
            icon="send",
            done=_("The objective has been proposed to the ISO secretary."),
        ),
        Transition(
            "accept",
            _("Accept into the year's objectives"),
            sources=(S.PROPOSED,),
            target=S.ACCEPTED,
            right=COMPILE,
            refusal=_("Only a proposed objective is accepted; this objective is “%(state)s”."),
            task=_("Compile a proposed quality objective"),
            style="success",
            icon="check2",
            done=_("The objective has been accepted into the year's objectives."),
        ),
        Transition(
            "send_back",
            _("Send back with comments"),
            sources=(S.PROPOSED, S.ACCEPTED),
            target=S.DRAFT,
            right=COMPILE,
            refusal=_(
                "Only a proposed or accepted objective is sent back; this objective is “%(state)s”."
            ),
            hands_to=proposer,
            comment=True,
            comment_label=_("What must be changed"),
            style="outline-danger",
            icon="arrow-return-left",
            done=_("The objective has been sent back to whoever proposed it."),
        ),
    ],
    url=_url,
    model=QualityObjective,
)
