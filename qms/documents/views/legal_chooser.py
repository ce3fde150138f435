"""The legal-text chooser on a document's page: the citation form asks for the texts that match
what the user types (HTMX), so the page never lists the whole legal register (at 301 texts its
drop-down was most of the page's cost)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qms.documents.legal_forms import legal_choices
from qms.documents.legal_views import _matching
from qms.documents.models import Document
from qms.organization.access import Action, agency_access, get_scoped

CHOICES_SHOWN = 20


@login_required
@require_GET
def citation_choices(request: HttpRequest, agency_id: int, document_id: int) -> HttpResponse:
    """At most CHOICES_SHOWN texts of the agency's register that match `q` (number or subject,
    diacritics ignored) and the document does not cite yet, newest first, as radio buttons of
    the citation form; with how many match in all. 2 queries past access (the folded register
    when `q` is given, then the count and the rows)."""
    access = agency_access(request.user, agency_id)
    document = get_scoped(access, Document.objects.all(), pk=document_id)
    access.require(Action.MANAGE_LEGAL)
    text = request.GET.get("q", "")[:200]
    matching = _matching(
        legal_choices(access.agency.pk).exclude(citations__document=document), access.agency, text
    )
    shown = list(matching[: CHOICES_SHOWN + 1])
    context = {
        "choices": shown[:CHOICES_SHOWN],
        "more": len(shown) > CHOICES_SHOWN,
        "q": text,
        "agency": access.agency,
    }
    return render(request, "documents/_legal_choices.html", context)
