"""Helpers the screens of the training app share: filters read from the query string
(anything unknown is ignored, never an error) and the page size."""

from __future__ import annotations

from django.http import HttpRequest

from qms.lib.converters import int_param
from qms.training.models import Course

FIRST_YEAR, LAST_YEAR = 2000, 2100
PAGE_SIZE = 25


def year_of(request: HttpRequest) -> int | None:
    """?year=…, None (every year) when absent or not a sane year."""
    year = int_param(request, "year")
    return year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else None


def kind_of(request: HttpRequest) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in Course.Kind.values else ""
