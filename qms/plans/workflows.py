"""The life of the annual plan, declared once (see docs/workflows.md):

    draft ──submit──▶ submitted ──(approved: paper recorded as signed)──▶ issued ──close──▶ closed
      ▲                   │                                                 │
      └── send back ──────┘ (with comments)        draft ◀── amend ────────┘

Approving a plan is signing its Kế hoạch: the head or a deputy head records the paper as
issued with the register's form (`qms.paperwork.services.issue`, the panel's issue form),
which needs a number and a date; it is therefore not a button of this workflow. Submitting
puts "Phê duyệt kế hoạch" in the inbox of everyone who may approve (less whoever submitted:
nobody approves a plan they submitted); sending back puts "Sửa kế hoạch" in the ISO
secretary's; recording the paper as signed or sending the plan back takes the approval out of
every inbox.
"""

from __future__ import annotations

from dataclasses import replace

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from qms.agenda import people
from qms.lib.workflow import Transition, Workflow, states
from qms.organization.access import Action
from qms.organization.models import Role, User
from qms.plans.models import Plan, PlanTask

S = Plan.Status
APPROVE_KIND = "plans.plan.approve"  # the plan waits for approval (its paper for signature)
REVISE_KIND = "plans.plan.submit"  # a plan sent back waits for its secretary


def approvers(plan: Plan, submitted_by: User | None = None) -> list[User]:
    """Who may approve the plan: the members holding the approval right (the head and the
    deputy heads), less whoever submitted it."""
    holders = people.holding(plan.agency, Action.APPROVE_PLAN)
    return [user for user in holders if submitted_by is None or user.pk != submitted_by.pk]


def secretaries(plan: Plan, submitted_by: User | None = None) -> list[User]:
    """Who revises a plan sent back: whoever submitted it, else the ISO secretaries."""
    if submitted_by is not None:
        return [submitted_by]
    return people.with_roles(plan.agency, [Role.ISO_SECRETARY])


def _url(plan: Plan, name: str) -> str:
    return reverse("plans:action", args=[plan.agency_id, plan.pk, name])


PLAN_FLOW = Workflow(
    states(
        S,
        {S.DRAFT: "warning", S.SUBMITTED: "primary", S.ISSUED: "success", S.CLOSED: "secondary"},
    ),
    [
        Transition(
            "submit",
            _("Submit for approval"),
            sources=(S.DRAFT,),
            target=S.SUBMITTED,
            right=Action.MANAGE_PLAN,
            refusal=_("Only a draft plan is submitted for approval; this plan is “%(state)s”."),
            style="success",
            icon="send",
            done=_("The plan has been submitted for approval."),
        ),
        Transition(
            "send_back",
            _("Send back with comments"),
            sources=(S.SUBMITTED,),
            target=S.DRAFT,
            right=Action.APPROVE_PLAN,
            refusal=_("Only a submitted plan is sent back; this plan is “%(state)s”."),
            comment=True,
            comment_label=_("What must be changed"),
            style="outline-danger",
            icon="arrow-return-left",
            done=_("The plan has been sent back to the secretary."),
        ),
        Transition(
            "amend",
            _("Amend"),
            sources=(S.ISSUED,),
            target=S.DRAFT,
            right=Action.MANAGE_PLAN,
            refusal=_("Only an issued plan is amended; this plan is “%(state)s”."),
            comment=True,
            comment_label=_("Reason for the amendment"),
            help=_(
                "The issued plan stays in force while the amendment is drafted and signed: "
                "its tasks stay on the agenda and their progress is still recorded."
            ),
            confirm=_("Open the plan for amendment? The amendment must be signed again."),
            style="outline-secondary",
            icon="pencil-square",
            done=_("The plan is open for amendment; the issued version stays in force."),
        ),
        Transition(
            "close",
            _("Close at year end"),
            sources=(S.ISSUED,),
            target=S.CLOSED,
            right=Action.MANAGE_PLAN,
            refusal=_("Only an issued plan is closed; this plan is “%(state)s”."),
            style="outline-secondary",
            icon="archive",
            done=_("The plan has been closed."),
        ),
    ],
    url=_url,
    model=Plan,
)


def submit_form(unassigned: int) -> type[forms.Form]:
    """The submit step's form for a plan with `unassigned` rows not assigned yet: the
    secretary ticks that the plan goes out so (services.submit checks it)."""
    label = ngettext(
        "I confirm submitting the plan while %(n)d task is not assigned yet",
        "I confirm submitting the plan while %(n)d tasks are not assigned yet",
        unassigned,
    ) % {"n": unassigned}
    field = forms.BooleanField(label=label, required=False)
    return type("SubmitForm", (forms.Form,), {"confirm_unassigned": field})


def plan_flow(plan: Plan) -> Workflow:
    """PLAN_FLOW as this plan offers it: a plan with rows not assigned yet is submitted
    with the secretary's confirmation, a checkbox of the submit step's form."""
    submit = PLAN_FLOW.transition("submit")
    assert submit is not None
    if plan.status not in submit.sources:
        return PLAN_FLOW
    count = plan.tasks.filter(lead_kind=PlanTask.Lead.UNASSIGNED).count()
    if not count:
        return PLAN_FLOW
    help_text = _("Rows not assigned yet are printed “Chưa phân công”.")
    step = replace(submit, form=submit_form(count), help=help_text)
    steps = [step if t.name == submit.name else t for t in PLAN_FLOW.transitions]
    return Workflow(PLAN_FLOW.states, steps, url=_url)
