"""The reading of documents in force across the agency: who has not yet confirmed reading
what ("chưa đọc"), by unit, paginated."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qms.documents import queries
from qms.documents.views.common import PAGE_SIZE
from qms.organization.access import agency_access
from qms.organization.models import Unit, today


@login_required
@require_GET
def unread_report(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Per unit, the readings still open; then each reader and document, paginated.
    5 queries whatever the number of documents and readers (the access helper's aside):
    units for the filter, the summary per unit, the count and the page."""
    access = agency_access(request.user, agency_id)
    day = today()
    units = list(Unit.objects.filter(agency=access.agency).order_by("-is_active", "order", "name"))
    # Only a unit of this agency filters; anything else (a changed URL) shows every unit.
    unit_id = {str(u.pk): u.pk for u in units}.get(request.GET.get("unit", ""))
    rows = queries.unread(access.agency, unit_id)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.overdue = row.is_overdue(day)  # type: ignore[attr-defined]
    context = {
        "access": access,
        "agency": access.agency,
        "units": units,
        "unit_id": unit_id,
        "summary": queries.unread_by_unit(access.agency, day),
        "page": page,
        "query": f"unit={unit_id}" if unit_id else "",
    }
    return render(request, "documents/reading_report.html", context)
