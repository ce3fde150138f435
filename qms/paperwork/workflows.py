"""The life of a paper (văn bản) before it is numbered, declared once (docs/workflows.md):

    draft ──submit for signature──▶ submitted for signature ──(recorded as signed)──▶ issued
      ▲                                      │
      └──────── send back (with comments) ───┘

Submitting locks the draft's signing details and puts "Ký / vào sổ văn bản" in the inbox of
everyone who may record it as signed; sending back (or issuing) takes it out of every inbox.
Recording it as signed is the register's own form (`services.issue`, the panel's issue form):
it needs a number and a date, so it is not a button of this workflow.

The rights depend on the record the paper issues (a committee decision is managed with
"manage_committee", a document set with "manage_documents"): the steps name the generic
rights `MANAGE` and `ISSUE`, and `RecordActor` answers them with the record's own
`manage_action` and `issue_action`.

A record with a life of its own (a plan: draft → submitted → issued) puts its paper forward
itself, through `services.offer_for_signature`; these steps are not offered on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qms.lib.workflow import Actor, Transition, Workflow, states
from qms.paperwork.models import OfficialRecord, Paper

S = Paper.Status
MANAGE = "paper.manage"  # the record's manage_action: who drafts its paper
ISSUE = "paper.issue"  # the record's issue_action: who records it as signed


@dataclass(frozen=True)
class RecordActor:
    """An actor on a paper: the generic rights of PAPER_FLOW become the record's own."""

    actor: Actor
    record: OfficialRecord

    @property
    def user(self) -> Any:
        return self.actor.user

    def can(self, right: str) -> bool:
        if not self.record.has_paper_flow():
            return False
        own = {MANAGE: self.record.manage_action, ISSUE: self.record.issue_action}
        return self.actor.can(own.get(right, right))


def _url(paper: Paper, name: str) -> str:
    return reverse("paperwork:step", args=[paper.agency_id, paper.pk, name])


PAPER_FLOW = Workflow(
    states(S, {S.DRAFT: "warning", S.SIGNING: "primary", S.ISSUED: "success"}),
    [
        Transition(
            "submit",
            _("Submit for signature"),
            sources=(S.DRAFT,),
            target=S.SIGNING,
            right=MANAGE,
            refusal=_("Only a draft is submitted for signature; this document is “%(state)s”."),
            icon="pen",
            done=_("The draft has been submitted for signature; it can no longer be changed."),
        ),
        Transition(
            "send_back",
            _("Send back with comments"),
            sources=(S.SIGNING,),
            target=S.DRAFT,
            right=ISSUE,
            refusal=_(
                "Only a document submitted for signature is sent back; this document is "
                "“%(state)s”."
            ),
            comment=True,
            comment_label=_("What must be changed"),
            style="outline-danger",
            icon="arrow-return-left",
            done=_("The draft has been sent back with your comments."),
        ),
    ],
    url=_url,
    model=Paper,
)
