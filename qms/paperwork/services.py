"""Every write of the register: a draft paper for a record, its details, issuing it (number,
date, rights, dates that agree) and its signed copy. Views and the records' own services call
these; nothing else changes a paper.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.agenda import inbox, people
from qms.agenda.models import InboxItem
from qms.lib.uploads import EVIDENCE_FILES, CheckedUpload
from qms.lib.workflow import Actor
from qms.organization.access import PERMISSIONS, Action, access_for
from qms.organization.models import Agency, Delegation, User
from qms.paperwork.models import OfficialRecord, Paper
from qms.paperwork.workflows import PAPER_FLOW, RecordActor

# A signed copy: the digitally signed PDF, or a scan of the paper one.
SIGNED_COPY_FILES = {ext: EVIDENCE_FILES[ext] for ext in (".pdf", ".jpg", ".jpeg", ".png")}
# Inbox kinds: a paper waiting for signature, a paper sent back to whoever submitted it.
SIGN_KIND = "paperwork.sign"
REVISE_KIND = "paperwork.revise"
# Fields of a paper the drafter edits; number and date are the registry's, at issue.
DRAFT_FIELDS = (
    "issuer",
    "kind",  # e.g. a plan issued as a Kế hoạch, or by a Quyết định ban hành Kế hoạch
    "subject",
    "drafting_unit",
    "archive_units",
    "sign_form",
    "signer",
    "signer_name",
    "signer_position",
    "grounds",
    "proposal",
    "recipients",
    "addressees",
)


def new_paper(agency: Agency, record_type: type[OfficialRecord], **fields: Any) -> Paper:
    """A draft register entry for a record of `record_type` (saved; link it to the record);
    of the record type's kind unless `fields` name another (a plan issued by a decision)."""
    fields.setdefault("kind", record_type.paper_kind)
    return Paper.objects.create(agency=agency, record_type=record_type._meta.label_lower, **fields)


def record_of(paper: Paper) -> OfficialRecord:
    """The QMS record this paper issues, found through Django's app registry (paperwork
    names no app)."""
    model = apps.get_model(paper.record_type)
    record: OfficialRecord = model.record_of_paper(paper)
    return record


def link(paper: Paper, record: OfficialRecord) -> None:
    """Remember where the record lives, so the register links to it without a query."""
    paper.record_url = record.get_absolute_url()  # type: ignore[attr-defined]
    paper.save(update_fields=["record_url"])


@transaction.atomic
def save_draft(paper: Paper, **fields: Any) -> None:
    """Change what the draft says (and the caller's copy); an issued paper is the text that
    was signed."""
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"not draft fields: {sorted(unknown)}")
    stored = Paper.objects.select_for_update().get(pk=paper.pk)
    if stored.is_issued:
        raise ValidationError(_("An issued document cannot be changed."))
    # Submitted for signature: what the signer reads is locked until it is sent back; only
    # the subject, which the record's own service derives from its content, still follows.
    if stored.is_awaiting_signature and set(fields) - {"subject"}:
        raise ValidationError(
            _("The draft has been submitted for signature: send it back to change it.")
        )
    for name, value in fields.items():
        setattr(stored, name, value)
        setattr(paper, name, value)
    stored.save(update_fields=list(fields))


def next_number(agency: Agency, issuer: str, year: int) -> int:
    """The number the registry would give next: the register restarts at 01 each year."""
    taken = Paper.objects.filter(
        agency=agency, issuer=issuer, year=year, status=Paper.Status.ISSUED
    ).aggregate(n=Max("number"))["n"]
    return (taken or 0) + 1


def holder_of(agency: Agency, issuer: str, year: int, number: int) -> Paper | None:
    return (
        Paper.objects.filter(
            agency=agency, issuer=issuer, year=year, number=number, status=Paper.Status.ISSUED
        )
        .select_related("agency")
        .first()
    )


def check_dates(paper: Paper, record: OfficialRecord, issued_on: dt.date) -> None:
    """An issued document is not dated after today, after its agency's dissolution, or
    before the records it approves or amends."""
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("A document cannot be dated after today.")})
    agency = paper.agency
    if agency.valid_to is not None and issued_on > agency.valid_to:
        why = _("%(agency)s was dissolved on %(day)s: it issues no document after that date.")
        raise ValidationError(
            {"issued_on": why % {"agency": agency.name, "day": f"{agency.valid_to:%d/%m/%Y}"}}
        )
    for floor, why in record.issue_floor():
        if issued_on < floor:
            text = _("The document cannot be dated before %(day)s: %(why)s.")
            raise ValidationError({"issued_on": text % {"day": f"{floor:%d/%m/%Y}", "why": why}})


def _check_number(paper: Paper, number: int, year: int) -> None:
    holder = holder_of(paper.agency, paper.issuer, year, number)
    if holder is not None and holder.pk != paper.pk:
        text = _("Number %(number)s of %(year)s is already taken by %(holder)s: %(subject)s.")
        raise ValidationError(
            {
                "number": text
                % {
                    "number": f"{number:02d}",
                    "year": year,
                    "holder": holder,
                    "subject": holder.subject,
                }
            }
        )


@transaction.atomic
def issue(
    paper: Paper,
    *,
    number: int,
    issued_on: dt.date,
    by: User | None = None,
    **details: Any,
) -> Paper:
    """Record the signed document under its number: checks the register, the dates and the
    record itself, then lets the record's app do what issuing means for it."""
    paper = Paper.objects.select_for_update().select_related("agency").get(pk=paper.pk)
    if paper.is_issued:
        raise ValidationError(_("This document has already been issued."))
    effective_on = details.get("effective_on")
    if effective_on is not None and effective_on < issued_on:
        raise ValidationError(_("A document cannot take effect before it is signed."))
    record = record_of(paper)
    record.before_issue()
    paper.refresh_from_db()
    if not paper.signer_name.strip():
        raise ValidationError(_("Name the signer before recording the document as signed."))
    _check_apart(paper, record, by)
    record.check_issue(issued_on)
    check_dates(paper, record, issued_on)
    _check_number(paper, number, issued_on.year)
    paper.status, paper.number, paper.year = Paper.Status.ISSUED, number, issued_on.year
    paper.issued_on = issued_on
    paper.delegation = _signers_delegation(paper, record)
    try:
        with transaction.atomic():  # another registry clerk took the number meanwhile
            paper.save()
    except IntegrityError as error:
        text = _("Number %(number)s of %(year)s has just been taken; choose another.")
        raise ValidationError(
            {"number": text % {"number": f"{number:02d}", "year": issued_on.year}}
        ) from error
    record.paper = paper
    record.after_issue(by, **details)
    prefix = _prefix(paper)
    inbox.complete(f"{prefix}:sign", by=by)  # signed: it leaves every signer's inbox
    inbox.complete(f"{prefix}:revise", by=by)
    return paper


def _signers_delegation(paper: Paper, record: OfficialRecord) -> Delegation | None:
    """The head's delegation under which the named signer signs, when their own roles do not
    give them the record's issue right (a deputy signing an approval the head delegated)."""
    if paper.signer is None:
        return None
    try:
        access = access_for(paper.signer, paper.agency)
    except Http404:  # a signer outside the agency (e.g. the chairman of a province)
        return None
    action = Action(record.issue_action)
    if access.roles & PERMISSIONS[action]:
        return None
    return access.delegation_for(action)


def _check_apart(paper: Paper, record: OfficialRecord, by: User | None) -> None:
    """Separation of duties: whoever put the paper forward for signature does not also record
    it as signed, unless it is a paper of its own (a committee decision, a document set) and
    they are its named signer (they hold the issue right: the view requires it). A record
    with a life of its own (a plan) allows no exception: its submitter never approves it."""
    if by is None or paper.submitted_by_id is None or paper.submitted_by_id != by.pk:
        return
    if not record.has_paper_flow():
        raise ValidationError(
            _("The person who submitted it cannot also approve it and record it as signed.")
        )
    if paper.signer_id != by.pk:
        raise ValidationError(
            _(
                "The person who submitted this document for signature cannot also record it "
                "as signed, unless they are its named signer."
            )
        )


# --- waiting for signature: the paper's workflow (qms.paperwork.workflows) -------------------


def _prefix(paper: Paper) -> str:
    return f"paperwork.paper:{paper.pk}"


def _user(by: User | Actor | None) -> User | None:
    return by if isinstance(by, User) or by is None else by.user


def actor_of(by: User | Actor, record: OfficialRecord) -> RecordActor:
    """A step's actor on the paper of `record`: a view's access object, or a user (their
    roles in the agency decide)."""
    if isinstance(by, User):
        try:
            by = access_for(by, record.paper.agency)
        except Http404:
            raise ValidationError(_("Only a member of the agency takes this step.")) from None
    return RecordActor(by, record)


def signers(record: OfficialRecord, submitted_by: User | None = None) -> list[User]:
    """Who may record the paper of `record` as signed: members holding its issue right, less
    whoever submitted it (unless, for a paper of its own, they are its named signer)."""
    paper = record.paper
    holders = people.holding(paper.agency, record.issue_action)
    if submitted_by is None:
        return holders
    keeps = record.has_paper_flow() and paper.signer_id == submitted_by.pk
    return [user for user in holders if user.pk != submitted_by.pk or keeps]


def hand_signing_again(agency: Agency) -> None:
    """Who may sign changed (a delegation started or ended): each paper of `agency` waiting
    for signature is handed again, under the same kind, title and link, to those who may
    record it as signed now. Registered with `inbox.register_rehand`."""
    waiting = Paper.objects.filter(agency=agency, status=Paper.Status.SIGNING).select_related(
        "agency", "submitted_by"
    )
    for paper in waiting:
        source = f"{_prefix(paper)}:sign"
        shown = InboxItem.objects.filter(source=source).order_by("-assigned_at").first()
        record = record_of(paper)
        inbox.assign(
            agency,
            source,
            signers(record, paper.submitted_by),
            kind=shown.kind if shown else SIGN_KIND,
            title=shown.title if shown else paper.subject,
            url=shown.url if shown else paper.record_url,
        )


def _take(record: OfficialRecord) -> Paper:
    """The record's paper read again under a row lock; the caller's copy follows."""
    stored = Paper.objects.select_for_update().select_related("agency").get(pk=record.paper.pk)
    record.paper.status = stored.status
    return stored


def _follow(record: OfficialRecord, stored: Paper) -> None:
    record.paper.status, record.paper.submitted_by_id = stored.status, stored.submitted_by_id


@transaction.atomic
def offer_for_signature(
    record: OfficialRecord,
    by: User | None,
    *,
    kind: str = SIGN_KIND,
    title: str | None = None,
    users: Iterable[User] | None = None,
) -> Paper:
    """The record is ready to issue: its draft paper is submitted for signature (its signing
    details locked) and waits in the inbox of everyone who may record it as signed (or of
    `users`: the record's own approvers), under "Ký / vào sổ văn bản" or the record's `kind`.
    The one place a paper starts waiting for signature; issuing or sending it back ends it."""
    paper = _take(record)
    if paper.status != Paper.Status.DRAFT:
        raise ValidationError(
            _("Only a draft is submitted for signature; this document is “%(state)s”.")
            % {"state": paper.get_status_display()}
        )
    paper.status, paper.submitted_by = Paper.Status.SIGNING, by
    paper.save(update_fields=["status", "submitted_by"])
    _follow(record, paper)
    prefix = _prefix(paper)
    inbox.complete(f"{prefix}:revise", by=by)
    inbox.assign(
        paper.agency,
        f"{prefix}:sign",
        signers(record, by) if users is None else users,
        kind=kind,
        title=paper.subject if title is None else title,
        url=paper.record_url or record.get_absolute_url(),  # type: ignore[attr-defined]
    )
    return paper


@transaction.atomic
def return_to_draft(record: OfficialRecord, by: User | None, comment: str = "") -> Paper:
    """Not signed: the paper is a draft again (its details may change) and leaves every
    signer's inbox; the comment is kept in the paper's history."""
    paper = _take(record)
    if paper.is_issued:
        raise ValidationError(_("An issued document cannot be changed."))
    if paper.is_awaiting_signature:  # (a draft from before this step existed stays one)
        paper.status, paper.submitted_by = Paper.Status.DRAFT, None
        paper._change_reason = comment[:100]  # type: ignore[attr-defined]
        paper.save(update_fields=["status", "submitted_by"])
        _follow(record, paper)
    inbox.complete(f"{_prefix(paper)}:sign", by=by)
    return paper


def submit_for_signature(record: OfficialRecord, by: User | Actor, comment: str = "") -> Paper:
    """PAPER_FLOW "submit": the drafter marks a committee decision or a document set ready
    for signature."""
    PAPER_FLOW.check(record.paper, "submit", actor_of(by, record), comment)
    return offer_for_signature(record, _user(by))


@transaction.atomic
def send_back(record: OfficialRecord, by: User | Actor, comment: str) -> Paper:
    """PAPER_FLOW "send_back": not signed as it is; whoever submitted it revises it."""
    PAPER_FLOW.check(record.paper, "send_back", actor_of(by, record), comment)
    submitter = record.paper.submitted_by
    user = _user(by)
    paper = return_to_draft(record, user, comment)
    if submitter is not None:
        inbox.assign(
            paper.agency,
            f"{_prefix(paper)}:revise",
            [submitter],
            kind=REVISE_KIND,
            title=f"{paper.subject} – {comment.strip()}",
            url=paper.record_url or record.get_absolute_url(),  # type: ignore[attr-defined]
        )
    return paper


def take(record: OfficialRecord, name: str, by: User | Actor, values: dict[str, Any]) -> Paper:
    """One step of PAPER_FLOW by name (the view's dispatch)."""
    if name == "submit":
        return submit_for_signature(record, by)
    if name == "send_back":
        return send_back(record, by, values.get("comment", ""))
    raise ValidationError(_("This step does not exist."))


@transaction.atomic
def attach_signed_copy(
    paper: Paper, checked: CheckedUpload, by: User, *, trust_roots: list[bytes] | None = None
) -> Paper:
    """Keep the signed copy (a scan or a digitally signed PDF) with its SHA-256 and, for a
    PDF, what its digital signature says; replacing it keeps the old one in the history."""
    from qms.paperwork import signatures

    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    if not paper.is_issued:
        raise ValidationError(_("Attach the signed copy once the document is issued."))
    paper.signed_copy.save(f"{checked.sha256}{checked.extension}", checked.file, save=False)
    paper.signed_copy_name = (checked.file.name or "")[:255]
    paper.signed_copy_type = checked.content_type
    paper.signed_copy_sha256 = checked.sha256
    paper.signed_copy_report = signatures.report_for(checked, trust_roots)
    paper.signed_copy_at = timezone.now()
    paper._change_reason = f"signed copy by {by.pk}"  # type: ignore[attr-defined]
    paper.save()
    return paper
