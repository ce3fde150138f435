"""Satisfaction surveys (issue 12 §4): how many answered at each level for a period, of the
agency as a whole or of one TTHC, entered on the page or imported from a simple CSV/XLSX.
A period's record replaces what was recorded for the same period and TTHC; a file with any
error records nothing. The figures are read by `queries.satisfaction`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qms.lib import sheets
from qms.organization.models import Agency
from qms.procedures.models import AdminProcedure, Satisfaction
from qms.procedures.results import (
    AGGREGATED_COLUMNS,
    HEADER_SEARCH_ROWS,
    Cells,
    Errors,
    Handled,
    ImportRefused,
    Row,
    parse_count,
    plain_text,
    read_rows,
)

LEVELS = ("very_satisfied", "satisfied", "neutral", "dissatisfied")
SATISFACTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "start": ("tu ngay", "ngay bat dau"),
    "end": ("den ngay", "ngay ket thuc"),
    "procedure": AGGREGATED_COLUMNS["procedure"],
    "very_satisfied": ("rat hai long",),
    "satisfied": ("hai long",),
    "neutral": ("binh thuong", "chap nhan duoc"),
    "dissatisfied": ("khong hai long",),
}
SATISFACTION_LABELS = {
    "start": "Từ ngày",
    "end": "Đến ngày",
    "procedure": "Mã TTHC",
    "very_satisfied": "Rất hài lòng",
    "satisfied": "Hài lòng",
    "neutral": "Bình thường",
    "dissatisfied": "Không hài lòng",
}


@transaction.atomic
def record(
    agency: Agency,
    start: dt.date,
    end: dt.date,
    counts: dict[str, int],
    procedure: AdminProcedure | None = None,
) -> Satisfaction:
    """The survey's counts for a period (of one TTHC, or of the agency as a whole): they
    replace what was recorded for the same period and TTHC."""
    if end < start:
        raise ValidationError(_("The period ends before it starts."))
    Satisfaction.objects.filter(
        agency=agency, procedure=procedure, period_start=start, period_end=end
    ).delete()
    return Satisfaction.objects.create(
        agency=agency,
        procedure=procedure,
        period_start=start,
        period_end=end,
        **{level: counts.get(level, 0) for level in LEVELS},
    )


def _satisfaction_row(
    number: int, row: Row, header: dict[str, int], handled: Handled, cells: Cells, errors: Errors
) -> tuple[dt.date, dt.date, int | None, dict[str, int]] | None:
    def cell(key: str) -> Any:
        index = header.get(key)
        return row[index] if index is not None and index < len(row) else None

    dates = []
    for key in ("start", "end"):
        try:
            day = cells.date(cell(key))
        except ValueError:
            day = None
        if day is None:
            errors.add(number, SATISFACTION_LABELS[key], cell(key), _("Not a date (dd/mm/yyyy)."))
            return None
        dates.append(day)
    if dates[1] < dates[0]:
        errors.add(
            number, SATISFACTION_LABELS["end"], cell("end"), _("The period ends before it starts.")
        )
        return None
    procedure = None
    if plain_text(cell("procedure")):
        code = plain_text(cell("procedure")).upper()
        found = handled.by_code.get(code)
        if found is None:
            errors.add(number, SATISFACTION_LABELS["procedure"], code, handled.why_unknown(code))
            return None
        procedure = found[0]
    counts = {}
    for level in LEVELS:
        try:
            counts[level] = parse_count(cell(level))
        except ValueError:
            why = _("Not a whole number of dossiers (0 or more).")
            errors.add(number, SATISFACTION_LABELS[level], cell(level), why)
            return None
    return dates[0], dates[1], procedure, counts


def import_file(agency: Agency, path: Path, extension: str) -> tuple[int, list[dict]]:
    """Survey counts from a simple CSV/XLSX (Từ ngày, Đến ngày, Mã TTHC optional, and the four
    levels): (rows recorded, errors). A file with any error records nothing."""
    cells, errors, handled = Cells(), Errors(), Handled.load(agency)
    found: list[tuple[dt.date, dt.date, int | None, dict[str, int]]] = []
    header: dict[str, int] | None = None
    try:
        for number, row in enumerate(read_rows(path, extension), start=1):
            if header is None:
                candidate = sheets.header_positions(row, SATISFACTION_COLUMNS)
                if {"start", "end", "satisfied"} <= candidate.keys():
                    header = candidate
                elif number >= HEADER_SEARCH_ROWS:
                    break
            elif any(value not in (None, "") for value in row):
                parsed = _satisfaction_row(number, row, header, handled, cells, errors)
                if parsed is not None:
                    found.append(parsed)
    except ImportRefused as refused:
        return 0, [{"row": 1, "column": "", "value": "", "why": str(refused)}]
    if header is None:
        names = ", ".join(SATISFACTION_LABELS[k] for k in SATISFACTION_COLUMNS)
        why = _("No header row with the columns: %(columns)s.") % {"columns": names}
        errors.add(1, "", "", why)
    elif not found and not errors:
        errors.add(1, "", "", _("The file has a header but no rows."))
    if errors:
        return 0, errors.as_json()
    _record_all(agency, found)
    return len(found), []


@transaction.atomic
def _record_all(
    agency: Agency, found: list[tuple[dt.date, dt.date, int | None, dict[str, int]]]
) -> None:
    procedures = {
        p.pk: p for p in AdminProcedure.objects.filter(pk__in={f[2] for f in found if f[2]})
    }
    for start, end, procedure, counts in found:
        record(agency, start, end, counts, procedures.get(procedure or 0))
