"""Provinces and agencies kept in the app by the system administrator: created, renamed,
placed under a parent, dissolved on a date with a successor, reopened. Every change is one
transaction and lands in the record's history (django-simple-history, with who did it).

A dissolved agency stays readable for ever (its plans, documents and papers are cited), so
nothing here deletes: dissolving sets the last day it existed (`Agency.valid_to`), after
which `Agency.is_dissolved` makes it read-only everywhere.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qms.organization.models import Agency, Province


@transaction.atomic
def save_province(province: Province) -> Province:
    province.full_clean()
    province.save()
    return province


@transaction.atomic
def save_agency(agency: Agency) -> Agency:
    """A new or changed agency (the form's instance, fields set, not yet saved)."""
    _check_parent(agency)
    agency.full_clean()
    agency.save()
    return agency


def _check_parent(agency: Agency) -> None:
    """The parent is another agency of the same province, and not one of its own children."""
    parent = agency.parent
    if parent is None:
        return
    if parent.province_id != agency.province_id:
        raise ValidationError({"parent": _("The parent agency belongs to another province.")})
    seen = {agency.pk}
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError(
                {"parent": _("An agency cannot be placed under itself or one of its own units.")}
            )
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def dissolve(agency: Agency, *, last_day: dt.date, successor: Agency | None, note: str) -> None:
    """The agency ends on `last_day` (merged, split or abolished); its successor, if any,
    takes over its work. It stays readable; from the day after it cannot be changed."""
    if agency.valid_to is not None:
        raise ValidationError(_("This agency has already been dissolved; reopen it first."))
    if agency.valid_from is not None and last_day < agency.valid_from:
        raise ValidationError({"valid_to": _("The agency did not exist yet on that day.")})
    if successor is not None:
        _check_successor(agency, successor)
    agency.valid_to, agency.successor, agency.dissolution_note = last_day, successor, note.strip()
    agency.save(update_fields=["valid_to", "successor", "dissolution_note"])


def _check_successor(agency: Agency, successor: Agency) -> None:
    if successor.pk == agency.pk:
        raise ValidationError({"successor": _("An agency cannot be its own successor.")})
    if successor.valid_to is not None:
        raise ValidationError({"successor": _("The successor has itself been dissolved.")})


@transaction.atomic
def reopen(agency: Agency) -> None:
    """Undo a dissolution recorded by mistake: the agency exists again, without successor."""
    if agency.valid_to is None:
        raise ValidationError(_("This agency has not been dissolved."))
    agency.valid_to, agency.successor, agency.dissolution_note = None, None, ""
    agency.save(update_fields=["valid_to", "successor", "dissolution_note"])
