"""Every change of state of documents, revisions, document sets and legal bases.

Each function checks the transition is legal, refuses it with a Vietnamese message
(`ValidationError`) otherwise, writes in one transaction, and keeps the agenda, the inbox
and the search index in step. A revision's steps are those of its declared workflow
(`qms.documents.workflows.REVISION_FLOW`), taken by a user (their roles in the agency
decide) or an access object; each hands the work now waiting on the revision to the
people who may do it. Views call these; nothing else changes a revision's status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.forms import BaseModelFormSet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qms.agenda import inbox, people, registry
from qms.agenda.models import Obligation, reading_days
from qms.documents import rules
from qms.documents.models import (
    Citation,
    Document,
    DocumentReview,
    DocumentSet,
    LegalBasisReview,
    LegalDocument,
    Posting,
    ReadConfirmation,
    ReadRequirement,
    ReviewComment,
    Revision,
    RevisionFile,
)
from qms.documents.queries import READING_KIND
from qms.documents.workflows import INBOX_KIND, REVISION_FLOW
from qms.lib.dates import months_later, quarter_end
from qms.lib.uploads import CheckedUpload
from qms.lib.workflow import Actor
from qms.lib.workflow import Transition as Step
from qms.organization.access import access_for
from qms.organization.models import Agency, Role, Unit, User
from qms.organization.standards import standard

S = Revision.Status
LEGAL_CHANGE_KIND = "documents.legal_change"
REVIEW_KIND = "documents.review"
LEGAL_REVIEW_KIND = "documents.legal_review"
OPEN_STATES = (S.DRAFT, S.IN_REVIEW, S.REVIEWED, S.APPROVED)


def _today() -> dt.date:
    return timezone.localdate()


def _require(revision: Revision, *allowed: str) -> None:
    if revision.status not in allowed:
        raise ValidationError(
            _("This cannot be done while the revision is “%(status)s”.")
            % {"status": revision.get_status_display()}
        )


# --- revisions: the steps of REVISION_FLOW ---------------------------------------------


class _ByDecision:
    """The actor of a step taken by a decision recorded elsewhere: a document set issues
    its revisions (its own workflow checks who may record it)."""

    user = None

    def can(self, right: object) -> bool:
        return True


BY_DECISION = _ByDecision()


def actor_of(by: User | Actor | None, agency: Agency) -> Actor:
    """Who takes a step: an access object as is (views pass theirs), a user through the
    access helper (their roles in the agency), nobody: the decision that issues a set."""
    if by is None:
        return BY_DECISION
    if not isinstance(by, User):
        return by
    try:
        return access_for(by, agency)
    except Http404:
        raise ValidationError(
            _("Only a member of the agency takes a step on its documents.")
        ) from None


def _check(revision: Revision, name: str, by: User | Actor | None, comment: str = "") -> Step:
    """The step `name` if `by` may take it now; ValidationError with the reason otherwise.
    The caller sets `revision.status = step.target` once its own checks pass. The state is
    read again under a row lock: of two reviewers pressing at once, the second is refused."""
    current = Revision.objects.select_for_update().values_list("status", flat=True)
    revision.status = current.get(pk=revision.pk)
    return REVISION_FLOW.check(revision, name, actor_of(by, revision.document.agency), comment)


def _user(by: User | Actor | None) -> User | None:
    return by if isinstance(by, User) or by is None else by.user


def _title(revision: Revision) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(code)s %(title)s, revision %(no)s") % {
            "code": revision.document.code,
            "title": revision.document.title,
            "no": revision.revision_no,
        }


def _hand_over(revision: Revision, step: Step, by: User | None) -> None:
    """The work done leaves every inbox; the work now waiting on the revision goes to
    those the step hands it to (e.g. after "submit": every reviewer but the drafter)."""
    inbox.close(f"documents.revision:{revision.pk}", by=by)
    if step.hands_to is not None:
        _hand_waiting(revision, step.hands_to)


def _hand_waiting(revision: Revision, hands_to: Callable[[Any], Iterable[Any]]) -> None:
    work = REVISION_FLOW.work(revision)
    if work is None:
        return
    inbox.assign(
        revision.document.agency,
        f"documents.revision:{revision.pk}:{work.name}",
        hands_to(revision),
        kind=f"{INBOX_KIND}.{work.name}",
        title=_title(revision),
        url=revision.get_absolute_url(),
    )


def hand_revisions_again(agency: Agency) -> None:
    """Who may review, approve or issue changed (a delegation started or ended): each revision
    of `agency` waiting on one of those steps is handed again, by the step that led to its
    state (after "submit" to the reviewers, …). Registered with `inbox.register_rehand`."""
    into = {t.target: t.hands_to for t in REVISION_FLOW.transitions if t.hands_to is not None}
    waiting = Revision.objects.filter(
        document__agency=agency,
        status__in=[Revision.Status.IN_REVIEW, Revision.Status.REVIEWED, Revision.Status.APPROVED],
    ).select_related("document__agency")
    for revision in waiting:
        _hand_waiting(revision, into[revision.status])


def take(revision: Revision, name: str, by: User | Actor, data: dict[str, object]) -> None:
    """The step `name` of the revision's workflow, with what its form gave (views)."""
    comment = str(data.get("comment", ""))
    if name == "submit":
        submit(revision, by)
    elif name == "review":
        mark_reviewed(revision, by)
    elif name == "approve":
        approve(revision, by)
    elif name == "send_back":
        send_back(revision, by, comment)
    elif name == "issue":
        issue(revision, data["issued_on"], data["effective_on"], by=by)  # type: ignore[arg-type]
    elif name == "withdraw":
        withdraw(revision, by, comment)
    else:
        raise ValidationError(_("This step does not exist."))


@transaction.atomic
def new_revision(document: Document, by: User, summary: str = "") -> Revision:
    """The next lần ban hành, as a draft drafted by `by`. One open revision at a time."""
    Document.objects.select_for_update().get(pk=document.pk)
    if document.revisions.filter(status__in=OPEN_STATES).exists():
        raise ValidationError(_("This document already has a revision being prepared."))
    last = document.revisions.aggregate(n=Max("revision_no"))["n"] or 0
    return Revision.objects.create(
        document=document,
        revision_no=last + 1,
        summary=summary,
        drafted_by=by,
        drafted_on=_today(),
    )


@transaction.atomic
def add_file(revision: Revision, checked: CheckedUpload, by: User) -> RevisionFile:
    """Attach a checked upload to a draft; its text is read in the background."""
    _require(revision, S.DRAFT)
    stored = RevisionFile(
        revision=revision,
        original_name=(checked.file.name or "")[:255],
        content_type=checked.content_type,
        size=checked.file.size or 0,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    stored.file.save(checked.sha256, checked.file, save=False)
    stored.save()
    _after_commit_read_text(stored)
    return stored


def _after_commit_read_text(stored: RevisionFile) -> None:
    from qms.documents.tasks import read_file_text

    transaction.on_commit(lambda: read_file_text.enqueue(stored.pk))


@transaction.atomic
def submit(revision: Revision, by: User | Actor) -> None:
    """Draft → in review (with its file); every reviewer but the drafter is handed it."""
    step = _check(revision, "submit", by)
    user = _user(by)
    revision.status = step.target
    revision.drafted_by = revision.drafted_by or user
    revision.drafted_on = revision.drafted_on or _today()
    revision.save(update_fields=["status", "drafted_by", "drafted_on"])
    _hand_over(revision, step, user)


@transaction.atomic
def send_back(revision: Revision, by: User | Actor, comment: str) -> None:
    """In review, reviewed or approved (before issue) → draft, with the comments; the
    signatures are cleared and the drafter is handed the revision again."""
    if not comment.strip():
        raise ValidationError(_("Write what must be changed before sending the revision back."))
    step = _check(revision, "send_back", by, comment)
    user = _user(by)
    assert user is not None
    ReviewComment.objects.create(
        revision=revision, author=user, text=comment.strip(), sent_back=True
    )
    revision.status = step.target
    revision.reviewed_by = revision.approved_by = None
    revision.reviewed_on = revision.approved_on = None
    revision.save(
        update_fields=["status", "reviewed_by", "reviewed_on", "approved_by", "approved_on"]
    )
    _hand_over(revision, step, user)


@transaction.atomic
def mark_reviewed(revision: Revision, by: User | Actor) -> None:
    """Soát xét: the reviewer signs the grid (never the drafter); the approvers who did
    neither are handed it."""
    step = _check(revision, "review", by)
    user = _user(by)
    revision.status = step.target
    revision.reviewed_by, revision.reviewed_on = user, _today()
    revision.save(update_fields=["status", "reviewed_by", "reviewed_on"])
    _hand_over(revision, step, user)


@transaction.atomic
def approve(revision: Revision, by: User | Actor) -> None:
    """Phê duyệt: reviewed → approved, by a third person (neither drafter nor reviewer)."""
    step = _check(revision, "approve", by)
    user = _user(by)
    revision.status = step.target
    revision.approved_by, revision.approved_on = user, _today()
    revision.save(update_fields=["status", "approved_by", "approved_on"])
    _hand_over(revision, step, user)


@transaction.atomic
def issue(
    revision: Revision,
    issued_on: dt.date,
    effective_on: dt.date,
    document_set: DocumentSet | None = None,
    *,
    by: User | Actor | None = None,
) -> None:
    """Approved → issued and in force; the revision in force until now is superseded and
    its readers are now to read this one. `by` is None when a document set's decision
    issues it."""
    step = _check(revision, "issue", by)
    if effective_on < issued_on:
        raise ValidationError(_("A document cannot take effect before it is issued."))
    document = Document.objects.select_for_update().get(pk=revision.document_id)
    # Supersede first: the database allows one issued revision per document.
    superseded = list(document.revisions.filter(status=S.ISSUED).exclude(pk=revision.pk))
    for old in superseded:
        old.status, old.ended_on = S.SUPERSEDED, effective_on
        old.save(update_fields=["status", "ended_on"])
    revision.status, revision.issued_on, revision.effective_on = (
        step.target,
        issued_on,
        effective_on,
    )
    revision.document_set = document_set or revision.document_set
    revision.save(update_fields=["status", "issued_on", "effective_on", "document_set"])
    document.status, document.current_revision = Document.Status.IN_FORCE, revision
    document.next_review_on = months_later(effective_on, document.review_interval_months)
    document.save(update_fields=["status", "current_revision", "next_review_on"])
    _resolve_by_revision(document, revision)
    _hand_over(revision, step, _user(by))
    _carry_readers(revision, superseded)
    # Readers named before the issue read it within the days counted from the issue.
    revision.read_requirements.update(added_on=issued_on)
    for old in superseded:
        sync_reading(old)
    sync_reading(revision)
    _after_document_change(document)


@dataclass(frozen=True)
class RecordIssue:
    """A decision recorded elsewhere that brings a new revision of a register entry into
    force: the quality policy, the year's quality objectives."""

    kind: str
    code: str  # of the register's entry, when the agency has none of `kind` yet
    title: str
    summary: str  # "Ban hành theo Quyết định số …"
    signed_on: dt.date
    drafted_by: User | None
    signer: User | None
    url: str  # the record's page, where the text is kept


@transaction.atomic
def issue_from_record(agency: Agency, issued: RecordIssue) -> Revision:
    """The register's entry of `issued.kind` (created when the agency has none) gets a new
    revision in force, approved by the decision's signer and issued on its date; the one in
    force until then is superseded. The text stays in the record (`record_url`)."""
    # The entry in force first; a withdrawn one comes back into force rather than doubling.
    entries = sorted(
        Document.objects.filter(agency=agency, kind=issued.kind),
        key=lambda d: (d.status == Document.Status.WITHDRAWN, d.pk),
    )
    document = entries[0] if entries else None
    if document is None:
        document = register_document(
            Document(agency=agency, kind=issued.kind, code=issued.code, title=issued.title)
        )
    last = document.revisions.aggregate(n=Max("revision_no"))["n"] or 0
    revision = Revision.objects.create(
        document=document,
        revision_no=last + 1,
        status=S.APPROVED,
        summary=issued.summary[:500],
        drafted_by=issued.drafted_by,
        drafted_on=issued.signed_on,
        approved_by=issued.signer,
        approved_on=issued.signed_on,
        record_url=issued.url,
    )
    issue(revision, issued.signed_on, issued.signed_on)
    return revision


@transaction.atomic
def withdraw(revision: Revision, by: User | Actor, reason: str) -> None:
    """Take a revision out: a draft abandoned, or an issued one no longer applied."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for withdrawing."))
    was_in_force = revision.status == S.ISSUED
    step = _check(revision, "withdraw", by, reason)
    revision.status, revision.withdrawal_reason = step.target, reason.strip()
    revision.ended_on = _today() if was_in_force else None
    revision.save(update_fields=["status", "withdrawal_reason", "ended_on"])
    _hand_over(revision, step, _user(by))
    sync_reading(revision)
    if was_in_force:
        document = revision.document
        document.status, document.current_revision = Document.Status.WITHDRAWN, None
        document.next_review_on = None
        document.save(update_fields=["status", "current_revision", "next_review_on"])
        _after_document_change(document)


def _after_document_change(document: Document) -> None:
    from qms.documents import search

    transaction.on_commit(lambda: search.reindex_documents([document.pk]))
    sync_review_agenda(document.agency)


# --- the register ----------------------------------------------------------------------


@transaction.atomic
def register_document(document: Document) -> Document:
    """A new entry of the register (the form's document, its agency and fields set, not yet
    saved); the register's search finds it once the transaction commits."""
    from qms.documents import search

    document.save()
    transaction.on_commit(lambda: search.reindex_documents([document.pk]))
    return document


@transaction.atomic
def save_document(document: Document, records: BaseModelFormSet | None = None) -> None:
    """A register entry changed (the form's document, fields set, not yet saved) and its
    records to keep (a valid inline formset): the search entry and the periodic-review
    agenda follow; a changed review cycle moves the next periodic review date with it."""
    if document.pk and document.status == Document.Status.IN_FORCE:
        before = Document.objects.filter(pk=document.pk).values_list(
            "review_interval_months", flat=True
        )
        if before.first() != document.review_interval_months:
            document.next_review_on = _next_review(document) or document.next_review_on
    document.save()
    if records is not None:
        records.save()
    _after_document_change(document)


def _next_review(document: Document) -> dt.date | None:
    """The next periodic review of a document in force: one cycle after its last periodic
    review, or after the revision in force took effect when it has had none."""
    last = document.reviews.order_by("-reviewed_on").values_list("reviewed_on", flat=True).first()
    if last is None and document.current_revision_id:
        last = (
            Revision.objects.filter(pk=document.current_revision_id)
            .values_list("effective_on", flat=True)
            .first()
        )
    return months_later(last, document.review_interval_months) if last else None


@transaction.atomic
def save_revision_draft(
    revision: Revision, summary: str, amendments: BaseModelFormSet | None = None
) -> None:
    """What a draft revision changes and its amendment table (a valid inline formset).
    The state is read again under a row lock: a draft sent for review meanwhile is refused."""
    current = Revision.objects.select_for_update().values_list("status", flat=True)
    revision.status = current.get(pk=revision.pk)
    _require(revision, S.DRAFT)
    revision.summary = summary
    revision.save(update_fields=["summary"])
    if amendments is not None:
        amendments.save()


# --- document sets ---------------------------------------------------------------------


@transaction.atomic
def save_set_draft(document_set: DocumentSet, *, title: str, effective_on: dt.date | None) -> None:
    """The draft set's title and the effective date its decision will state."""
    _require_editable(document_set)
    document_set.title, document_set.effective_on = title, effective_on
    document_set.save(update_fields=["title", "effective_on"])


def _require_editable(document_set: DocumentSet) -> None:
    if not document_set.is_editable:
        raise ValidationError(_("Only a draft not yet submitted for signature can be changed."))


@transaction.atomic
def add_to_set(document_set: DocumentSet, revision: Revision) -> None:
    _require_editable(document_set)
    _require(revision, *OPEN_STATES)
    if revision.document.agency_id != document_set.agency_id:
        raise ValidationError(_("This revision belongs to another agency."))
    if revision.document_set_id not in (None, document_set.pk):
        raise ValidationError(_("This revision is already in another document set."))
    revision.document_set = document_set
    revision.save(update_fields=["document_set"])
    sync_set_subject(document_set)


@transaction.atomic
def remove_from_set(document_set: DocumentSet, revision: Revision) -> None:
    _require_editable(document_set)
    if revision.document_set_id != document_set.pk:
        raise ValidationError(_("This revision is not in the document set."))
    revision.document_set = None
    revision.save(update_fields=["document_set"])
    sync_set_subject(document_set)


@transaction.atomic
def create_set(
    agency: Agency,
    *,
    title: str,
    effective_on: dt.date | None,
    created_at: dt.datetime | None = None,
    **paper_fields: object,
) -> DocumentSet:
    """A draft set with the draft of the decision that will issue it; `paper_fields`
    (grounds, signer, …) override the defaults of a new decision."""
    from qms.organization.services import QD19_GROUND, TT26_GROUND
    from qms.paperwork import services as paperwork

    fields: dict[str, object] = {
        "subject": set_subject(agency),
        "grounds": f"{QD19_GROUND}\n{TT26_GROUND}",
        "recipients": "Như Điều 3\nLãnh đạo cơ quan",
        "signer_position": agency.head_title,
    }
    paper = paperwork.new_paper(agency, DocumentSet, **(fields | paper_fields))
    document_set = DocumentSet.objects.create(
        agency=agency,
        paper=paper,
        title=title,
        effective_on=effective_on,
        created_at=created_at or timezone.now(),
    )
    paperwork.link(paper, document_set)
    return document_set


def issue_set(document_set: DocumentSet, *, number: int, signed_on: dt.date, by: User) -> None:
    """Record the signed decision in the register; its revisions come into force."""
    from qms.paperwork import services as paperwork

    paperwork.issue(document_set.paper, number=number, issued_on=signed_on, by=by)


def set_subject(agency: Agency) -> str:
    return (
        "Về việc ban hành Bộ tài liệu Hệ thống quản lý chất lượng theo "
        f"{standard(agency.standard).full_name_lower} của {agency.name}"
    )


def sync_set_subject(document_set: DocumentSet) -> None:
    """The draft decision's subject follows what the set does: issue a whole set, or amend
    part of one in force (documents.docx.set_subject); the register shows the same words."""
    from qms.documents.docx import set_subject as printed_subject
    from qms.paperwork import services as paperwork

    subject = printed_subject(document_set)
    if document_set.is_draft and document_set.paper.subject != subject:
        paperwork.save_draft(document_set.paper, subject=subject)


def check_set_issue(document_set: DocumentSet, signed_on: dt.date) -> None:
    """A set is issued with at least one revision, every one approved."""
    revisions = list(document_set.revisions.select_related("document"))
    if not revisions:
        raise ValidationError(_("Add at least one approved revision to the document set."))
    waiting = [r.document.code for r in revisions if r.status != S.APPROVED]
    if waiting:
        raise ValidationError(
            _("These revisions are not approved yet: %(codes)s.") % {"codes": ", ".join(waiting)}
        )
    effective_on = document_set.effective_on
    if effective_on and effective_on < signed_on:
        text = _("The decision takes effect on %(day)s: it cannot be signed after that day.")
        raise ValidationError({"issued_on": text % {"day": f"{effective_on:%d/%m/%Y}"}})


def bring_set_into_force(document_set: DocumentSet, by: User) -> None:
    """Issuing the decision: every revision of the set is issued and takes effect on the
    effective date, which the plan of that year records as "Bộ tài liệu ISO mới có hiệu lực"
    so the internal audit (D+30) and the management review (D+35) get their dates."""
    signed_on = document_set.paper.issued_on
    assert signed_on is not None
    if document_set.effective_on is not None and document_set.effective_on < signed_on:
        raise ValidationError(_("A decision cannot take effect before it is signed."))
    for revision in document_set.revisions.select_related("document"):
        issue(revision, signed_on, document_set.in_force_on, document_set)
    _record_plan_event(document_set, by)


def _record_plan_event(document_set: DocumentSet, by: User) -> None:
    from qms.plans import services as plans
    from qms.plans.models import Plan, covers_q

    in_force_on = document_set.in_force_on
    plan = Plan.objects.filter(covers_q(in_force_on.year), agency=document_set.agency).exclude(
        status=Plan.Status.CLOSED
    )
    for each in plan:
        note = _("Decision %(decision)s") % {"decision": document_set}
        plans.record_event(each, rules.DOCUMENT_SET_EVENT, in_force_on, by, note)


# --- distribution: who must read a revision in force -----------------------------------


@transaction.atomic
def confirm_reading(revision: Revision, user: User) -> bool:
    """Đã đọc và hiểu. Only a revision in force is read; confirming twice changes nothing.
    The reading leaves the reader's inbox and is done in their agenda. Returns whether a
    confirmation was recorded now."""
    _require(revision, S.ISSUED)
    _confirmation, created = ReadConfirmation.objects.get_or_create(revision=revision, user=user)
    if created:
        sync_reading(revision)
    return created


@transaction.atomic
def add_reader(revision: Revision, **audience: Any) -> ReadRequirement:
    """Someone (a unit, everyone holding a role, or one person) must read the revision."""
    requirement, _created = ReadRequirement.objects.get_or_create(revision=revision, **audience)
    sync_reading(revision)
    return requirement


@transaction.atomic
def remove_reader(requirement: ReadRequirement) -> None:
    revision = requirement.revision
    requirement.delete()
    sync_reading(revision)


def _carry_readers(revision: Revision, superseded: list[Revision]) -> None:
    """A new edition is read by those who had to read the one it replaces, unless its own
    readers were named."""
    if not superseded or revision.read_requirements.exists():
        return
    ReadRequirement.objects.bulk_create(
        ReadRequirement(revision=revision, unit_id=r.unit_id, role=r.role, person_id=r.person_id)
        for r in ReadRequirement.objects.filter(revision__in=superseded).order_by("pk")
    )


def reading_title(revision: Revision) -> str:
    return _title(revision)


def sync_reading(revision: Revision) -> None:
    """Each required reader of a revision in force has an obligation, due some days after
    the issue (an agency setting, 10 by default; after the day they were added if later),
    in their agenda, and the reading in their inbox until they confirm. Nothing for a
    revision not in force. A fixed number of queries whatever the number of readers."""
    from qms.documents.queries import required_readers

    agency = revision.document.agency
    prefix = f"documents.reading:{revision.pk}"
    if revision.status != S.ISSUED or revision.issued_on is None:
        registry.sync(agency, prefix, [])
        inbox.sync(agency, prefix, [])
        return
    days = dt.timedelta(days=reading_days(agency.pk))
    readers = required_readers(revision)
    confirmed = set(
        ReadConfirmation.objects.filter(revision=revision).values_list("user_id", flat=True)
    )
    title, url = _title(revision), revision.get_absolute_url()
    items, works = [], []
    for user_id, since in readers.items():
        due = max(since, revision.issued_on) + days
        done = user_id in confirmed
        state = Obligation.State.DONE if done else Obligation.State.OPEN
        items.append(
            registry.Item(
                key=str(user_id),
                kind=READING_KIND,
                title=title,
                url=url,
                due_date=due,
                state=state,
                owner_person_id=user_id,
            )
        )
        if not done:
            works.append(inbox.Work(str(user_id), READING_KIND, title, url, [user_id], due))
    registry.sync(agency, prefix, items)
    inbox.sync(agency, prefix, works)


@transaction.atomic
def record_posting(revision: Revision, by: User, **fields: object) -> Posting:
    _require(revision, S.ISSUED, S.SUPERSEDED)
    return Posting.objects.create(revision=revision, recorded_by=by, **fields)


@transaction.atomic
def record_document_review(
    document: Document, by: User, reviewed_on: dt.date, result: str, note: str
) -> DocumentReview:
    """A periodic review of a document in force moves its next review date on."""
    if document.status != Document.Status.IN_FORCE:
        raise ValidationError(_("Only a document in force is reviewed periodically."))
    if reviewed_on > _today():
        raise ValidationError(_("The review date cannot be in the future."))
    review = DocumentReview.objects.create(
        document=document, reviewer=by, reviewed_on=reviewed_on, result=result, note=note
    )
    document.next_review_on = months_later(reviewed_on, document.review_interval_months)
    document.save(update_fields=["next_review_on"])
    sync_review_agenda(document.agency)
    return review


# --- legal bases -----------------------------------------------------------------------


def _change_date(legal: LegalDocument) -> dt.date | None:
    if legal.change_effective_on:
        return legal.change_effective_on
    if legal.changed_by_id is not None and legal.changed_by is not None:
        return legal.changed_by.effective_on
    return None


@transaction.atomic
def cite(document: Document, legal: LegalDocument) -> Citation:
    """The document rests on `legal`; citing a text no longer in force flags it at once."""
    if legal.agency_id != document.agency_id:
        raise ValidationError(_("This legal document belongs to another agency."))
    if document.citations.filter(legal_document=legal).exists():
        raise ValidationError(_("This legal basis is already cited."))
    citation = Citation.objects.create(
        agency_id=document.agency_id, document=document, legal_document=legal
    )
    if legal.status != LegalDocument.Status.IN_FORCE:
        _flag([citation], legal)
        sync_legal_agenda(legal)
    _after_citations_change(document)
    return citation


@transaction.atomic
def uncite(citation: Citation) -> None:
    """A basis no longer cited. Refused once the citation is flagged: the flag is the
    record that the procedure had to be updated, and it is closed by handling it."""
    if citation.flagged_on is not None:
        raise ValidationError(_("A flagged legal basis is closed by recording how it was handled."))
    document = citation.document
    citation.delete()
    _after_citations_change(document)


def _after_citations_change(document: Document) -> None:
    from qms.documents import search

    transaction.on_commit(lambda: search.reindex_documents([document.pk]))


@transaction.atomic
def register_legal(legal: LegalDocument) -> LegalDocument:
    """A new entry of the legal register (the form's text, its agency and fields set, not
    yet saved), in force: nothing cites it yet."""
    legal.save()
    return legal


@transaction.atomic
def save_legal(legal: LegalDocument) -> None:
    """An entry of the legal register corrected (the form's text, fields set, not yet
    saved; its status changes only through `change_legal_status`). What repeats it follows:
    the search entries of the documents citing it, the agenda items naming it, and the
    deadline of the texts it amends or replaces that count it from its effective date."""
    from qms.documents import search

    legal.save()
    citing = list(legal.citations.values_list("document_id", flat=True))
    if citing:
        transaction.on_commit(lambda: search.reindex_documents(citing))
    sync_legal_agenda(legal)
    if legal.effective_on is None:
        return  # the form refuses to empty it while a changed text counts from it
    due = months_later(legal.effective_on, rules.LEGAL_CHANGE_MONTHS)
    changed = legal.changes.filter(change_effective_on__isnull=True).exclude(
        status=LegalDocument.Status.IN_FORCE
    )
    for text in changed:
        text.citations.filter(resolved_on__isnull=True).update(due_on=due)
        sync_legal_agenda(text)


@transaction.atomic
def change_legal_status(
    legal: LegalDocument,
    status: str,
    changed_by: LegalDocument | None,
    change_effective_on: dt.date | None,
) -> int:
    """Mark a legal document amended, replaced, repealed or back in force. Every procedure
    citing a changed text is flagged, due `LEGAL_CHANGE_MONTHS` after the change takes
    effect. Returns how many citations were newly flagged."""
    if status not in LegalDocument.Status.values:
        raise ValidationError(_("Unknown status."))
    if changed_by is not None and changed_by.pk == legal.pk:
        raise ValidationError(_("A legal document cannot amend or replace itself."))
    if changed_by is not None and changed_by.agency_id != legal.agency_id:
        raise ValidationError(_("This legal document belongs to another agency."))
    legal.status = status
    legal.changed_by = changed_by if status != LegalDocument.Status.IN_FORCE else None
    legal.change_effective_on = (
        change_effective_on if status != LegalDocument.Status.IN_FORCE else None
    )
    if status != LegalDocument.Status.IN_FORCE and _change_date(legal) is None:
        raise ValidationError(
            _("Give the day the change takes effect: the 3-month deadline counts from it.")
        )
    legal.save(update_fields=["status", "changed_by", "change_effective_on"])
    open_citations = legal.citations.filter(resolved_on__isnull=True)
    if status == LegalDocument.Status.IN_FORCE:
        open_citations.update(flagged_on=None, due_on=None)
        flagged = 0
    else:
        flagged = _flag(list(open_citations.filter(flagged_on__isnull=True)), legal)
        due = months_later(_change_date(legal), rules.LEGAL_CHANGE_MONTHS)  # type: ignore[arg-type]
        open_citations.update(due_on=due)
    sync_legal_agenda(legal)
    return flagged


def _flag(citations: Iterable[Citation], legal: LegalDocument) -> int:
    change = _change_date(legal)
    assert change is not None
    due = months_later(change, rules.LEGAL_CHANGE_MONTHS)
    pks = [c.pk for c in citations]
    return Citation.objects.filter(pk__in=pks).update(flagged_on=_today(), due_on=due)


@transaction.atomic
def resolve_citation(citation: Citation, by: User, resolution: str) -> None:
    """Record how a flagged procedure was handled (updated, or checked and unaffected)."""
    if not citation.is_flagged:
        raise ValidationError(_("This legal basis is not flagged."))
    if not resolution.strip():
        raise ValidationError(_("Say how the change was handled."))
    citation.resolved_on, citation.resolved_by = _today(), by
    citation.resolution = resolution.strip()
    citation.save(update_fields=["resolved_on", "resolved_by", "resolution"])
    sync_legal_agenda(citation.legal_document)


def _resolve_by_revision(document: Document, revision: Revision) -> None:
    """A new revision issued after a flag is the update the law asks for."""
    flagged = list(
        document.citations.filter(
            flagged_on__isnull=False, resolved_on__isnull=True
        ).select_related("legal_document")
    )
    if not flagged:
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Updated in revision %(no)s, in force from %(day)s.") % {
            "no": revision.revision_no,
            "day": f"{revision.effective_on:%d/%m/%Y}",
        }
    Citation.objects.filter(pk__in=[c.pk for c in flagged]).update(
        resolved_on=revision.issued_on, resolution=text, resolved_by=revision.approved_by
    )
    for legal in {c.legal_document for c in flagged}:
        sync_legal_agenda(legal)


@transaction.atomic
def record_legal_review(
    unit: Unit, by: User, reviewed_on: dt.date, result: str, findings: str, legal_ids: list[int]
) -> LegalBasisReview:
    if reviewed_on > _today():
        raise ValidationError(_("The review date cannot be in the future."))
    if result == LegalBasisReview.Result.CHANGES_FOUND and not findings.strip():
        raise ValidationError(_("Describe the changes found."))
    review = LegalBasisReview.objects.create(
        agency_id=unit.agency_id,
        unit=unit,
        reviewer=by,
        reviewed_on=reviewed_on,
        result=result,
        findings=findings.strip(),
    )
    legal = LegalDocument.objects.filter(agency_id=unit.agency_id, pk__in=legal_ids)
    review.legal_documents.set(legal)
    sync_legal_review_agenda(unit.agency)
    return review


# --- agenda ----------------------------------------------------------------------------


def sync_legal_agenda(legal: LegalDocument) -> None:
    """One obligation per procedure still to update after `legal` changed."""
    citations = legal.citations.filter(
        flagged_on__isnull=False, resolved_on__isnull=True
    ).select_related("document")
    with translation.override(settings.LANGUAGE_CODE):
        items = [
            registry.Item(
                key=str(c.pk),
                kind=LEGAL_CHANGE_KIND,
                title=_("Update %(code)s %(title)s after %(legal)s changed")
                % {"code": c.document.code, "title": c.document.title, "legal": legal},
                url=c.document.get_absolute_url(),
                due_date=c.due_on,
                owner_unit_id=c.document.owner_unit_id,
            )
            for c in citations
        ]
    prefix = f"documents.legal:{legal.pk}"
    registry.sync(legal.agency, prefix, items)
    _legal_inbox(legal, prefix, items)


def _legal_inbox(legal: LegalDocument, prefix: str, items: list[registry.Item]) -> None:
    """A flagged procedure reaches the head of its owner unit and the ISO secretaries."""
    if not items:
        inbox.sync(legal.agency, prefix, [])
        return
    secretaries = people.with_roles(legal.agency, [Role.ISO_SECRETARY])
    heads = people.unit_heads(legal.agency, {i.owner_unit_id for i in items if i.owner_unit_id})
    works = [
        inbox.Work(
            item.key,
            LEGAL_CHANGE_KIND,
            item.title,
            item.url,
            [*heads.get(item.owner_unit_id or 0, []), *secretaries],
            item.due_date,
        )
        for item in items
    ]
    inbox.sync(legal.agency, prefix, works)


def sync_review_agenda(agency: Agency) -> None:
    """The periodic review of every document in force, on its next review date."""
    documents = Document.objects.filter(
        agency=agency, status=Document.Status.IN_FORCE, next_review_on__isnull=False
    )
    with translation.override(settings.LANGUAGE_CODE):
        items = [
            registry.Item(
                key=str(d.pk),
                kind=REVIEW_KIND,
                title=_("Periodic review of %(code)s %(title)s")
                % {"code": d.code, "title": d.title},
                url=d.get_absolute_url(),
                due_date=d.next_review_on,
                owner_unit_id=d.owner_unit_id,
            )
            for d in documents.only(
                "pk", "code", "title", "next_review_on", "owner_unit_id", "agency_id"
            )
        ]
    registry.sync(agency, f"documents.reviews:{agency.pk}", items)


def legal_review_due(last: dt.date | None, day: dt.date) -> dt.date:
    """When a unit's next legal-basis review falls due: 3 months after the last, or by the
    end of this quarter when it has never done one."""
    if last is None:
        return quarter_end(day)
    return months_later(last, rules.LEGAL_BASIS_REVIEW_MONTHS)


def sync_legal_review_agenda(agency: Agency) -> None:
    """Each unit owning a procedure in force reviews its legal bases every 3 months."""
    from qms.documents.queries import last_legal_reviews, units_owning_procedures

    units = units_owning_procedures(agency)
    last = last_legal_reviews(agency)
    day = _today()
    with translation.override(settings.LANGUAGE_CODE):
        items = [
            registry.Item(
                key=str(unit.pk),
                kind=LEGAL_REVIEW_KIND,
                title=_("Legal-basis review of the procedures of %(unit)s") % {"unit": unit.name},
                url=reverse("documents:legal_reviews", args=[agency.pk]),
                due_date=legal_review_due(last.get(unit.pk), day),
                owner_unit_id=unit.pk,
            )
            for unit in units
        ]
    registry.sync(agency, f"documents.legal_reviews:{agency.pk}", items)
