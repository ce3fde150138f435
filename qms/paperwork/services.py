"""Every write of the register: a draft paper for a record, its details, issuing it (number,
date, rights, dates that agree) and its signed copy. Views and the records' own services call
these; nothing else changes a paper.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.lib.uploads import EVIDENCE_FILES, CheckedUpload
from qms.organization.models import Agency, User
from qms.paperwork.models import OfficialRecord, Paper

# A signed copy: the digitally signed PDF, or a scan of the paper one.
SIGNED_COPY_FILES = {ext: EVIDENCE_FILES[ext] for ext in (".pdf", ".jpg", ".jpeg", ".png")}
# Fields of a paper the drafter edits; number and date are the registry's, at issue.
DRAFT_FIELDS = (
    "issuer",
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
    """A draft register entry for a record of `record_type` (saved; link it to the record)."""
    return Paper.objects.create(
        agency=agency,
        kind=record_type.paper_kind,
        record_type=record_type._meta.label_lower,
        **fields,
    )


def record_of(paper: Paper) -> OfficialRecord:
    """The QMS record this paper issues, found through Django's app registry (paperwork
    names no app)."""
    model = apps.get_model(paper.record_type)
    record: OfficialRecord = model.objects.get(paper=paper)
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
        raise ValidationError(_("A document cannot be dated after today."))
    agency = paper.agency
    if agency.valid_to is not None and issued_on > agency.valid_to:
        raise ValidationError(
            _("%(agency)s was dissolved on %(day)s: it issues no document after that date.")
            % {"agency": agency.name, "day": f"{agency.valid_to:%d/%m/%Y}"}
        )
    for floor, why in record.issue_floor():
        if issued_on < floor:
            raise ValidationError(
                _("The document cannot be dated before %(day)s: %(why)s.")
                % {"day": f"{floor:%d/%m/%Y}", "why": why}
            )


def _check_number(paper: Paper, number: int, year: int) -> None:
    holder = holder_of(paper.agency, paper.issuer, year, number)
    if holder is not None and holder.pk != paper.pk:
        raise ValidationError(
            _("Number %(number)s of %(year)s is already taken by %(holder)s: %(subject)s.")
            % {
                "number": f"{number:02d}",
                "year": year,
                "holder": holder,
                "subject": holder.subject,
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
    record.check_issue(issued_on)
    check_dates(paper, record, issued_on)
    _check_number(paper, number, issued_on.year)
    paper.status, paper.number, paper.year = Paper.Status.ISSUED, number, issued_on.year
    paper.issued_on = issued_on
    try:
        with transaction.atomic():  # another registry clerk took the number meanwhile
            paper.save()
    except IntegrityError as error:
        raise ValidationError(
            _("Number %(number)s of %(year)s has just been taken; choose another.")
            % {"number": f"{number:02d}", "year": issued_on.year}
        ) from error
    record.paper = paper
    record.after_issue(by, **details)
    return paper


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
