"""The states of a risk or opportunity in the register, declared once (docs/workflows.md):
identified → being treated → checked and closed; a closed one may be reopened."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qms.lib.workflow import Requirement, Transition, Workflow, states
from qms.organization.access import Action, AgencyAccess
from qms.risks.models import Risk, Treatment

S = Risk.Status


def _has_treatment(risk: Risk) -> bool:
    return risk.treatments.exists()


def _all_checked(risk: Risk) -> bool:
    return not risk.treatments.filter(checked_on__isnull=True).exists()


RISK_FLOW = Workflow(
    states(S, {S.IDENTIFIED: "warning", S.TREATING: "primary", S.CLOSED: "success"}),
    [
        Transition(
            "treat",
            _("Start the treatment"),
            sources=(S.IDENTIFIED,),
            target=S.TREATING,
            right=Action.MANAGE_RISKS,
            refusal=_("Only an identified risk starts its treatment; this one is “%(state)s”."),
            requires=(
                Requirement(_has_treatment, _("Add at least one treatment before starting it.")),
            ),
            icon="play",
            done=_("The treatment has started."),
        ),
        Transition(
            "close",
            _("Close after the check"),
            sources=(S.IDENTIFIED, S.TREATING),
            target=S.CLOSED,
            right=Action.MANAGE_RISKS,
            refusal=_("This risk is already “%(state)s”."),
            requires=(
                Requirement(
                    _all_checked,
                    _("Every treatment must be done and checked for effectiveness first."),
                ),
            ),
            style="success",
            icon="check2-all",
            done=_("The risk has been closed."),
        ),
        Transition(
            "reopen",
            _("Reopen"),
            sources=(S.CLOSED,),
            target=S.IDENTIFIED,
            right=Action.MANAGE_RISKS,
            refusal=_("Only a closed risk is reopened; this one is “%(state)s”."),
            comment=True,
            comment_label=_("Why it is reopened"),
            style="outline-danger",
            icon="arrow-counterclockwise",
            done=_("The risk has been reopened."),
        ),
    ],
    url=lambda risk, name: reverse("risks:step", args=[risk.agency_id, risk.pk, name]),
    model=Risk,
)


@dataclass(frozen=True)
class UnitActor:
    """The access seen through the risk's owner unit: a head of unit acts only on the risks
    of their own unit, so the page offers them only those steps."""

    access: AgencyAccess
    unit_id: int | None

    @property
    def user(self) -> Any:
        return self.access.user

    def can(self, right: Any, /) -> bool:
        return self.access.can_on(Action(right), [self.unit_id])


def may_record_done(access: AgencyAccess, risk_unit_id: int | None, treatment: Treatment) -> bool:
    """Who records a treatment as done: who manages the risk's unit or the treatment's owner
    unit, or the person it was given to (it waits on their agenda)."""
    if treatment.owner_person_id is not None and treatment.owner_person_id == access.user.pk:
        return True
    return access.can_on(Action.MANAGE_RISKS, [risk_unit_id, treatment.owner_unit_id])
