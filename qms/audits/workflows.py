"""The states of an internal audit, declared once (docs/workflows.md): being planned → its
plan issued (the plan's paper, qms.audits.services.plan_issued) → held (the step below, which
records the plan event) → report signed (the report's paper locks the audit)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qms.audits.models import Audit
from qms.lib.workflow import Requirement, Transition, Workflow, states
from qms.organization.models import today

S = Audit.Status


def _has_ended(audit: Audit) -> bool:
    return audit.ends_on <= today()


AUDIT_FLOW = Workflow(
    states(
        S,
        {S.DRAFT: "warning", S.PLANNED: "primary", S.HELD: "info", S.REPORTED: "success"},
    ),
    [
        Transition(
            "hold",
            _("Record the audit as held"),
            sources=(S.PLANNED,),
            target=S.HELD,
            right="manage_audits",
            refusal=_(
                "Only an audit whose plan is issued is recorded as held; this one is “%(state)s”."
            ),
            requires=(
                Requirement(
                    _has_ended, _("The audit is recorded as held once its last day has come.")
                ),
            ),
            icon="check2-square",
            done=_(
                "The audit has been recorded as held; the plans' tasks that follow it are dated."
            ),
        ),
    ],
    url=lambda audit, name: reverse("audits:step", args=[audit.agency_id, audit.pk, name]),
    model=Audit,
)
