"""The life of a revision (lần ban hành), declared once (see docs/workflows.md):

    draft ──submit──▶ in review ──review──▶ reviewed ──approve──▶ approved ──issue──▶ issued
      ▲                   │                    │                      │                │
      └──────────── send back (with comments) ─┴──────────────────────┘                │
    any state before "superseded" ──withdraw (with the reason)──▶ withdrawn ◀────────────┘

Three different people sign the grid: whoever drafted a revision cannot review it, and
whoever drafted or reviewed it cannot approve it. Each step hands the work that now waits on
the revision to the people who may do it; their inbox shows it until one of them does.
An issued revision becomes "superseded" when the next one is issued (a consequence, not a
step anyone takes: `services.issue` does it).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qms.agenda import people
from qms.documents.forms import IssueForm
from qms.documents.models import Document, LegalDocument, Revision
from qms.lib.workflow import Apart, Requirement, Transition, Workflow, states
from qms.organization.access import Action
from qms.organization.models import User

S = Revision.Status
INBOX_KIND = "documents.revision"  # + "." + the step, e.g. documents.revision.review


def _holders(revision: Revision, right: Action) -> list[User]:
    """Current members of the revision's agency holding a role that gives `right`."""
    return people.holding(revision.document.agency, right)


def reviewers(revision: Revision) -> list[User]:
    return REVISION_FLOW.eligible(revision, "review", _holders(revision, Action.REVIEW_DOCUMENT))


def approvers(revision: Revision) -> list[User]:
    return REVISION_FLOW.eligible(revision, "approve", _holders(revision, Action.APPROVE_DOCUMENT))


def issuers(revision: Revision) -> list[User]:
    return _holders(revision, Action.APPROVE_DOCUMENT)


def drafter(revision: Revision) -> list[User]:
    return [revision.drafted_by] if revision.drafted_by is not None else []


def _has_file(revision: Revision) -> bool:
    return revision.files.exists()


def _url(revision: Revision, name: str) -> str:
    return reverse(
        "documents:revision_action", args=[revision.document.agency_id, revision.pk, name]
    )


BEFORE_ISSUE = (S.IN_REVIEW, S.REVIEWED, S.APPROVED)

REVISION_FLOW = Workflow(
    states(
        S,
        {
            S.DRAFT: "warning",
            S.IN_REVIEW: "primary",
            S.REVIEWED: "info",
            S.APPROVED: "info",
            S.ISSUED: "success",
            S.SUPERSEDED: "secondary",
            S.WITHDRAWN: "secondary",
        },
    ),
    [
        Transition(
            "submit",
            _("Send for review"),
            sources=(S.DRAFT,),
            target=S.IN_REVIEW,
            right=Action.MANAGE_DOCUMENTS,
            refusal=_("Only a draft is sent for review; this revision is “%(state)s”."),
            hands_to=reviewers,
            task=_("Revise a document and send it for review"),
            requires=(
                Requirement(_has_file, _("Attach the document file before sending it for review.")),
            ),
            icon="send",
            done=_("The revision has been sent for review."),
        ),
        Transition(
            "review",
            _("Mark as reviewed"),
            sources=(S.IN_REVIEW,),
            target=S.REVIEWED,
            right=Action.REVIEW_DOCUMENT,
            refusal=_("Only a revision in review is reviewed; this revision is “%(state)s”."),
            hands_to=approvers,
            task=_("Review a document"),
            apart=(
                Apart(
                    "drafted_by_id", _("The person who drafted a revision cannot also review it.")
                ),
            ),
            icon="check2",
            done=_("The revision has been reviewed."),
        ),
        Transition(
            "approve",
            _("Approve"),
            sources=(S.REVIEWED,),
            target=S.APPROVED,
            right=Action.APPROVE_DOCUMENT,
            refusal=_("Only a reviewed revision is approved; this revision is “%(state)s”."),
            hands_to=issuers,
            task=_("Approve a document"),
            apart=(
                Apart(
                    "drafted_by_id", _("The person who drafted a revision cannot also approve it.")
                ),
                Apart(
                    "reviewed_by_id",
                    _("The person who reviewed a revision cannot also approve it."),
                ),
            ),
            style="success",
            icon="check2-all",
            done=_("The revision has been approved."),
        ),
        Transition(
            "issue",
            _("Issue"),
            sources=(S.APPROVED,),
            target=S.ISSUED,
            right=Action.APPROVE_DOCUMENT,
            refusal=_("Only an approved revision is issued; this revision is “%(state)s”."),
            task=_("Issue a document"),
            form=IssueForm,
            help=_("Or add it to a document set and issue the set by one decision."),
            style="success",
            icon="megaphone",
            done=_("The revision has been issued and is now in force."),
        ),
        Transition(
            "send_back",
            _("Send back with comments"),
            sources=BEFORE_ISSUE,
            target=S.DRAFT,
            right=Action.REVIEW_DOCUMENT,
            refusal=_(
                "Only a revision in review or approved but not yet issued is sent back; "
                "this revision is “%(state)s”."
            ),
            hands_to=drafter,
            comment=True,
            comment_label=_("What must be changed"),
            style="outline-danger",
            icon="arrow-return-left",
            done=_("The revision has been sent back to its drafter with your comments."),
        ),
        Transition(
            "withdraw",
            _("Withdraw"),
            sources=(S.DRAFT, *BEFORE_ISSUE, S.ISSUED),
            target=S.WITHDRAWN,
            right=Action.APPROVE_DOCUMENT,
            refusal=_("This revision can no longer be withdrawn: it is “%(state)s”."),
            comment=True,
            comment_label=_("Reason"),
            style="outline-secondary",
            icon="x-circle",
            done=_("The revision has been withdrawn."),
        ),
    ],
    url=_url,
    model=Revision,
)

# States without steps: a document's place in the register follows its revisions (the
# services set it), a legal text's status is set by `services.change_legal_status`. Declared
# here so that templates show their badge with `{% state_badge record %}`.
DOCUMENT_STATES = Workflow(
    states(
        Document.Status,
        {
            Document.Status.NOT_ISSUED: "warning",
            Document.Status.IN_FORCE: "success",
            Document.Status.WITHDRAWN: "secondary",
        },
    ),
    [],
    model=Document,
)

LEGAL_STATES = Workflow(
    states(
        LegalDocument.Status,
        {
            LegalDocument.Status.IN_FORCE: "success",
            LegalDocument.Status.AMENDED: "warning",
            LegalDocument.Status.REPLACED: "danger",
            LegalDocument.Status.REPEALED: "secondary",
        },
    ),
    [],
    model=LegalDocument,
)
