"""Search endpoints of the document and legal-text choosers (qms/lib/chooser.py): the forms
that name a procedure, a revision or a legal text list none; these answer what the user types,
at most CHOICES_SHOWN rows at a time. The purpose in the URL decides which rows are offered
(the same queryset the form accepts) and which right the user needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from qms.documents.forms import procedure_choices, set_revision_choices, set_revision_label
from qms.documents.legal_forms import legal_choices, legal_label
from qms.lib.chooser import ChooserQuery, find, render_choices
from qms.organization.access import Action, agency_access


@dataclass(frozen=True)
class Rows:
    action: Action
    rows: Callable[[int], QuerySet[Any]]
    fields: tuple[str, ...]
    label: Callable[[Any], str]


DOCUMENTS: dict[str, Rows] = {
    # The procedure a form belongs to (forms.DocumentForm).
    "procedures": Rows(Action.MANAGE_DOCUMENTS, procedure_choices, ("code", "title"), str),
    # A revision being prepared, added to a document set (forms.SetRevisionForm).
    "set-revisions": Rows(
        Action.MANAGE_DOCUMENTS,
        set_revision_choices,
        ("document__code", "document__title"),
        set_revision_label,
    ),
}
LEGAL_FIELDS = ("number", "title", "issuer")
LEGAL: dict[str, Rows] = {
    # The text that amends or replaces one (legal_forms.LegalStatusForm).
    "status": Rows(Action.MANAGE_LEGAL, legal_choices, LEGAL_FIELDS, legal_label),
    # The texts a unit's legal-basis review concerns (legal_forms.LegalReviewForm).
    "review": Rows(Action.REVIEW_LEGAL_BASIS, legal_choices, LEGAL_FIELDS, legal_label),
}


def _answer(request: HttpRequest, agency_id: int, rows: Rows | None) -> HttpResponse:
    if rows is None:
        raise Http404
    access = agency_access(request.user, agency_id)
    access.require(rows.action)
    query = ChooserQuery.from_request(request)
    found = find(query, rows.rows(access.agency.pk), rows.fields)
    return render_choices(request, query, found, rows.label)


@login_required
@require_GET
def document_choices(request: HttpRequest, agency_id: int, purpose: str) -> HttpResponse:
    """Documents or revisions of the agency whose code or title match what was typed,
    diacritics ignored. 2 queries past access."""
    return _answer(request, agency_id, DOCUMENTS.get(purpose))


@login_required
@require_GET
def legal_text_choices(request: HttpRequest, agency_id: int, purpose: str) -> HttpResponse:
    """Legal texts of the agency's register whose number, subject or issuer match what was
    typed, diacritics ignored ("qd-ttg" finds "QĐ-TTg"). 2 queries past access."""
    return _answer(request, agency_id, LEGAL.get(purpose))
