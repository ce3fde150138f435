"""What a record's page shows of its paper: number and date or the draft's state, signer,
the buttons this user may press, the issue form and the signed copy. One include,
paperwork/_panel.html, on every page of an official record."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _

from qms.lib.forms import refill
from qms.lib.signedpdf import SignedCopyReport, Trust
from qms.organization.access import Action, AgencyAccess
from qms.organization.models import today
from qms.paperwork import services
from qms.paperwork.forms import IssueForm, SignedCopyForm
from qms.paperwork.models import OfficialRecord, Paper
from qms.paperwork.workflows import PAPER_FLOW, RecordActor


@dataclass(frozen=True)
class Badge:
    label: str
    colour: str  # Bootstrap background: success, warning, danger, secondary


def integrity_badge(report: SignedCopyReport) -> Badge:
    if not report.intact:
        return Badge(_("Signature broken"), "danger")
    if report.changed_after_signing:
        return Badge(_("Changed after signing"), "danger")
    return Badge(_("Unchanged since signing"), "success")


def trust_badge(report: SignedCopyReport) -> Badge:
    """Never "valid" without roots the operator configured (QMS_TRUSTED_ROOTS)."""
    if report.trust == Trust.TRUSTED:
        return Badge(_("Trusted authority"), "success")
    if report.trust == Trust.NO_ROOTS:
        return Badge(_("No trusted authority configured"), "secondary")
    return Badge(_("Not confirmed"), "warning")


def issue_key(paper: Paper) -> str:
    """Under which a refused issue form waits for the record's page (lib.forms.refill)."""
    return f"paperwork.issue.{paper.pk}"


def require_right(access: AgencyAccess, action: str) -> None:
    access.require(Action(action))


def may_keep_copy(access: AgencyAccess, record: OfficialRecord) -> bool:
    """The signed copy is attached by the registry (văn thư), the ISO secretary, or whoever
    may record the record as issued."""
    return access.can(Action.KEEP_REGISTER) or access.can(Action(record.issue_action))


@dataclass
class Panel:
    paper: Paper
    can_edit: bool
    can_issue: bool
    issue_form: IssueForm | None
    copy_form: SignedCopyForm | None
    signature: SignedCopyReport | None
    # The paper's own steps (submit for signature, send back) for this user: `{%
    # workflow_actions panel.paper panel.actor flow=panel.flow %}`; none on a record with a
    # life of its own (a plan), whose page offers its own steps.
    actor: RecordActor | None = None
    flow: object = PAPER_FLOW

    @property
    def integrity(self) -> Badge | None:
        return integrity_badge(self.signature) if self.signature else None

    @property
    def trust(self) -> Badge | None:
        return trust_badge(self.signature) if self.signature else None


def panel(request: HttpRequest, access: AgencyAccess, record: OfficialRecord) -> Panel:
    """1 query for a draft the user may issue (the next free number); none otherwise."""
    paper = record.paper
    draft = not paper.is_issued
    # Submitted for signature, the draft is locked until it is sent back.
    can_edit = paper.status == Paper.Status.DRAFT and access.can(Action(record.manage_action))
    can_issue = access.can(Action(record.issue_action))
    if draft and not record.ready_to_issue():
        can_issue = False
    issue_form = None
    if draft and can_issue:
        year = today().year
        number = services.next_number(paper.agency, paper.issuer, year)
        issue_form = refill(request, issue_key(paper), IssueForm) or IssueForm(
            initial={"number": number, "issued_on": today()}
        )
    copy_form = SignedCopyForm() if (not draft and may_keep_copy(access, record)) else None
    report = paper.signed_copy_report
    signature = SignedCopyReport.from_dict(report) if report else None
    actor = RecordActor(access, record) if record.has_paper_flow() else None
    return Panel(
        paper, can_edit, can_issue and draft, issue_form, copy_form, signature, actor=actor
    )
