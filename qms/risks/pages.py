"""Helpers the screens of the risks app share: the year asked for, the filters of the
register read from the query string (anything unknown is ignored, never an error)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest

from qms.lib.converters import int_param
from qms.organization.models import today
from qms.risks.models import Band, Risk, RiskScale
from qms.risks.queries import Filters

FIRST_YEAR, LAST_YEAR = 2000, 2100
PAGE_SIZE = 25


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def year_of(request: HttpRequest) -> int:
    """?year=…, this year when absent or not a sane year."""
    year = int_param(request, "year")
    return year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else today().year


def filters_of(request: HttpRequest, scale: RiskScale, unit_ids: set[int]) -> Filters:
    get = request.GET

    def level(name: str) -> int | None:
        value = int_param(request, name)
        return value if value is not None and value <= scale.levels else None

    unit = int_param(request, "unit")
    return Filters(
        year=year_of(request),
        unit=unit if unit in unit_ids else None,
        kind=get.get("kind", "") if get.get("kind") in Risk.Kind.values else "",
        band=get.get("band", "") if get.get("band") in Band.values else "",
        status=get.get("status", "") if get.get("status") in Risk.Status.values else "",
        likelihood=level("likelihood"),
        impact=level("impact"),
    )


def query_of(filters: Filters) -> str:
    """The filters as a query string (for pagination and links), empty ones left out."""
    pairs = {
        "year": filters.year,
        "unit": filters.unit or "",
        "kind": filters.kind,
        "band": filters.band,
        "status": filters.status,
        "likelihood": filters.likelihood or "",
        "impact": filters.impact or "",
    }
    return urlencode({k: v for k, v in pairs.items() if v != ""})
