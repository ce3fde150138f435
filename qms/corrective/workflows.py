"""The life of a nonconformity, declared once (docs/workflows.md):

    reported ──accept──▶ analysis ──analyse──▶ action plan ──start──▶ in progress
                            ▲                                              │
                            │                                   request verification
                            │                                              ▼
                            └──── not effective (comment) ──── verification ──effective──▶ closed

Gates: no analysis finished without a root cause; no "in progress" without an action; no
verification until every action is done; closing needs an effectiveness verification by
someone other than the person responsible and other than whoever carried out an action.
Every hand-over puts the work into the next person's inbox (qms.corrective.services).

Rights follow the nonconformity's responsible unit (`AgencyAccess.can_on`): the ISO secretary
acts on every unit's, a head of unit on their own unit's; the person responsible also carries
the analysis and the plan through.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qms.agenda import people
from qms.corrective.models import Nonconformity
from qms.lib.forms import StyledFormMixin
from qms.lib.workflow import Apart, Requirement, Transition, Workflow, states
from qms.organization.access import Action, AgencyAccess
from qms.organization.forms import DATE_WIDGET
from qms.organization.models import Role, User, today

S = Nonconformity.Status
MANAGE = "corrective.manage"  # the secretary, or a head of the responsible unit
WORK = "corrective.work"  # MANAGE, or the person responsible
VERIFY = "corrective.verify"  # MANAGE, never the person responsible nor a doer


def doers(nonconformity: Nonconformity) -> set[int]:
    """Whoever carries out or carried out an action of the nonconformity (1 query)."""
    ids: set[int] = set()
    for owner_id, done_by_id in nonconformity.actions.values_list("owner_id", "done_by_id"):
        ids.update(i for i in (owner_id, done_by_id) if i is not None)
    return ids


@dataclass
class CorrectiveActor:
    """The access helper seen through one nonconformity: its unit decides."""

    access: AgencyAccess
    nonconformity: Nonconformity

    @property
    def user(self) -> Any:
        return self.access.user

    def can(self, right: str, /) -> bool:
        manages = self.access.can_on(Action.MANAGE_CORRECTIVE, [self.nonconformity.unit_id])
        if right == MANAGE:
            return manages
        if right == WORK:
            return manages or (
                self.access.can(Action.RAISE_NONCONFORMITY)
                and self.nonconformity.owner_id == self.user.pk
            )
        if right == VERIFY:
            return manages and self.user.pk not in self._doers
        return self.access.can(Action(right))

    @property
    def _doers(self) -> set[int]:
        found: set[int] | None = getattr(self, "_doer_ids", None)
        if found is None:
            found = doers(self.nonconformity)
            self._doer_ids = found
        return found


def managers(nonconformity: Nonconformity) -> list[User]:
    """The ISO secretaries and the heads of the responsible unit."""
    agency = nonconformity.agency
    users = people.with_roles(agency, [Role.ISO_SECRETARY])
    users += people.unit_heads(agency, [nonconformity.unit_id]).get(nonconformity.unit_id, [])
    return list({u.pk: u for u in users}.values())


def owner(nonconformity: Nonconformity) -> list[User]:
    return [nonconformity.owner] if nonconformity.owner is not None else managers(nonconformity)


def verifiers(nonconformity: Nonconformity) -> list[User]:
    """Who may verify: the managers, less the person responsible and whoever did an action."""
    excluded = doers(nonconformity) | {nonconformity.owner_id}
    return [u for u in managers(nonconformity) if u.pk not in excluded]


def _has_owner(nc: Nonconformity) -> bool:
    return nc.owner_id is not None


def _has_root_cause(nc: Nonconformity) -> bool:
    return bool(nc.root_cause.strip()) and bool(nc.method)


def _has_action(nc: Nonconformity) -> bool:
    return nc.actions.exists()


def _all_done(nc: Nonconformity) -> bool:
    return not nc.actions.filter(done_on__isnull=True).exists()


class VerifyForm(StyledFormMixin, forms.Form):
    verified_on = forms.DateField(label=_("Verified on"), widget=DATE_WIDGET, initial=today)
    note = forms.CharField(
        label=_("Evidence of effectiveness"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


APART_OWNER = _("The person responsible for a nonconformity cannot verify its effectiveness.")


def _url(nonconformity: Nonconformity, name: str) -> str:
    return reverse("corrective:step", args=[nonconformity.agency_id, nonconformity.pk, name])


NONCONFORMITY_FLOW = Workflow(
    states(
        S,
        {
            S.DRAFT: "warning",
            S.ANALYSIS: "primary",
            S.PLANNING: "info",
            S.IN_PROGRESS: "primary",
            S.VERIFICATION: "info",
            S.CLOSED: "success",
        },
    ),
    [
        Transition(
            "accept",
            _("Accept and start the analysis"),
            sources=(S.DRAFT,),
            target=S.ANALYSIS,
            right=MANAGE,
            refusal=_("Only a reported nonconformity is accepted; this one is “%(state)s”."),
            hands_to=owner,
            task=_("Accept a reported nonconformity"),
            requires=(
                Requirement(
                    _has_owner, _("Name the person responsible before starting the analysis.")
                ),
            ),
            icon="check2",
            done=_("The nonconformity has been accepted: its cause is being analysed."),
        ),
        Transition(
            "analyse",
            _("Finish the analysis"),
            sources=(S.ANALYSIS,),
            target=S.PLANNING,
            right=WORK,
            refusal=_(
                "Only a nonconformity under analysis has it finished; this one is “%(state)s”."
            ),
            hands_to=owner,
            task=_("Analyse the root cause of a nonconformity"),
            requires=(
                Requirement(
                    _has_root_cause,
                    _(
                        "Record the root cause (5 whys or cause categories) before finishing "
                        "the analysis."
                    ),
                ),
            ),
            icon="search",
            done=_("The analysis is finished: plan the actions."),
        ),
        Transition(
            "start",
            _("Start carrying out the actions"),
            sources=(S.PLANNING,),
            target=S.IN_PROGRESS,
            right=WORK,
            refusal=_("Only a nonconformity with its action plan starts; this one is “%(state)s”."),
            hands_to=owner,
            task=_("Plan the actions of a nonconformity"),
            requires=(
                Requirement(_has_action, _("Add at least one action before starting the work.")),
            ),
            icon="play",
            done=_("The actions are in progress."),
        ),
        Transition(
            "request_verification",
            _("Send for effectiveness verification"),
            sources=(S.IN_PROGRESS,),
            target=S.VERIFICATION,
            right=WORK,
            refusal=_(
                "Only a nonconformity whose actions are in progress is sent for verification; "
                "this one is “%(state)s”."
            ),
            hands_to=verifiers,
            task=_("Send a nonconformity for verification once its actions are done"),
            requires=(
                Requirement(
                    _all_done, _("Every action must be done before the effectiveness is verified.")
                ),
            ),
            icon="send",
            done=_("The nonconformity waits for its effectiveness verification."),
        ),
        Transition(
            "close",
            _("Effective: close"),
            sources=(S.VERIFICATION,),
            target=S.CLOSED,
            right=VERIFY,
            refusal=_(
                "Only a nonconformity waiting for verification is closed; this one is “%(state)s”."
            ),
            task=_("Verify the effectiveness of corrective actions"),
            apart=(Apart("owner_id", APART_OWNER),),
            form=VerifyForm,
            style="success",
            icon="check2-all",
            done=_("The actions were effective: the nonconformity has been closed."),
        ),
        Transition(
            "reopen",
            _("Not effective: back to the analysis"),
            sources=(S.VERIFICATION,),
            target=S.ANALYSIS,
            right=VERIFY,
            refusal=_(
                "Only a nonconformity waiting for verification is sent back; "
                "this one is “%(state)s”."
            ),
            hands_to=owner,
            apart=(Apart("owner_id", APART_OWNER),),
            comment=True,
            comment_label=_("Why the actions were not effective"),
            style="outline-danger",
            icon="arrow-return-left",
            done=_("Not effective: the nonconformity is back to the analysis of its cause."),
        ),
    ],
    url=_url,
    model=Nonconformity,
)

# Who the work waiting in each state goes to (by the step that takes it out of that state).
WAITING_ON = {
    "accept": managers,
    "analyse": owner,
    "start": owner,
    "request_verification": owner,
    "close": verifiers,
}
