"""What a record's page shows of its paper: number and date or the draft's state, signer,
the buttons this user may press, the issue form and the signed copy. One include,
paperwork/_panel.html, on every page of an official record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qms.organization.access import Action, AgencyAccess
from qms.organization.models import today
from qms.paperwork import services
from qms.paperwork.forms import IssueForm, SignedCopyForm
from qms.paperwork.models import OfficialRecord, Paper


def require_right(access: AgencyAccess, action: str) -> None:
    access.require(Action(action))


@dataclass
class Panel:
    paper: Paper
    can_edit: bool
    can_issue: bool
    issue_form: IssueForm | None
    copy_form: SignedCopyForm | None
    signature: dict[str, Any] | None


def panel(access: AgencyAccess, record: OfficialRecord) -> Panel:
    """1 query for a draft the user may issue (the next free number); none otherwise."""
    paper = record.paper
    draft = not paper.is_issued
    can_edit = draft and access.can(Action(record.manage_action))
    can_issue = access.can(Action(record.issue_action))
    if draft and not record.ready_to_issue():
        can_issue = False
    issue_form = None
    if draft and can_issue:
        year = today().year
        number = services.next_number(paper.agency, paper.issuer, year)
        issue_form = IssueForm(initial={"number": number, "issued_on": today()})
    copy_form = (
        SignedCopyForm() if (not draft and access.can(Action(record.issue_action))) else None
    )
    return Panel(paper, can_edit, can_issue and draft, issue_form, copy_form,
                 paper.signed_copy_report)  # fmt: skip
