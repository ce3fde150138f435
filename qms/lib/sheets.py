"""Spreadsheets in and out, one place each.

Out: `xlsx` makes cells safe and writes Vietnamese correctly.
In: `read_rows` streams the rows of a CSV (UTF-8, its delimiter sniffed) or of the first
sheet of an XLSX/ODS (python-calamine; a large XLSX with openpyxl's streaming reader),
numbered as the user sees them in the file; a file that cannot be read raises
`SheetUnreadable` with the reason in Vietnamese.
`header_positions` finds the columns in a header row by their accepted names, without
accents or case (the exports of the one-stop systems spell them in many ways).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from python_calamine import CalamineError, CalamineWorkbook

from qms.lib.search import fold
from qms.lib.text import xml_safe

Row = list[Any]
DELIMITERS = (";", ",", "\t")
# A workbook file above this size (≈ 250,000 rows of an export) is streamed, not loaded.
STREAM_BYTES = 10 * 1024 * 1024


class SheetUnreadable(ValueError):
    """The file as a whole cannot be read (not UTF-8, damaged, not a spreadsheet)."""


def read_rows(source: Path | bytes, extension: str) -> Iterator[Row]:
    """The rows of a CSV or of the first sheet of a spreadsheet, one at a time, as lists of
    cells; the file's blank rows are kept (as empty lists) so that row numbers match."""
    try:
        if extension == ".csv":
            yield from _csv_rows(source)
        else:
            yield from _workbook_rows(source)
    except UnicodeDecodeError:
        raise SheetUnreadable(
            _("The CSV file is not in UTF-8: save it again as “CSV UTF-8”.")
        ) from None
    except (
        CalamineError,
        InvalidFileException,
        zipfile.BadZipFile,
        ValueError,
        OSError,
        IndexError,
        KeyError,
    ):
        raise SheetUnreadable(
            _("The spreadsheet cannot be read: it is damaged or not XLSX.")
        ) from None


def _csv_rows(source: Path | bytes) -> Iterator[Row]:
    # Spreadsheets saved as CSV in a Vietnamese locale separate by ";": the first line says.
    if isinstance(source, bytes):
        handle: Any = io.StringIO(source.decode("utf-8-sig"), newline="")
    else:
        handle = source.open(encoding="utf-8-sig", newline="")
    with handle:
        sample = handle.readline()
        handle.seek(0)  # a file's decoder starts again and drops the BOM again
        delimiter = max(DELIMITERS, key=sample.count)
        yield from csv.reader(handle, delimiter=delimiter)


def _workbook_rows(source: Path | bytes) -> Iterator[Row]:
    if isinstance(source, Path) and source.stat().st_size > STREAM_BYTES:
        yield from _streamed_rows(source)
        return
    if isinstance(source, bytes):
        book = CalamineWorkbook.from_filelike(io.BytesIO(source))
    else:
        book = CalamineWorkbook.from_path(str(source))
    with book:
        sheet = book.get_sheet_by_index(0)
        # calamine skips the empty rows above the data: count from where it starts.
        first = sheet.start[0] if sheet.start else 0
        yield from ([] for _ in range(first))
        yield from sheet.iter_rows()


def _streamed_rows(path: Path) -> Iterator[Row]:
    """A large workbook read as a stream (openpyxl's read-only mode parses the sheet's XML
    as it goes): calamine holds the whole sheet in memory, ≈ 850 MB for a million rows."""
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            # An empty cell as calamine gives it (""), so both readers' rows are the same.
            yield ["" if value is None else value for value in row]
    finally:
        book.close()


def header_positions(row: Row, columns: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """Column key → position in `row` of the cell naming it. `columns` gives each key its
    accepted names, folded (no accents, lower case), the documented one first: the first
    name found wins, then the leftmost cell."""
    folded = [fold(str(value)) if value is not None else "" for value in row]
    found: dict[str, int] = {}
    for key, names in columns.items():
        for name in names:
            if name in folded:
                found[key] = folded.index(name)
                break
    return found


def _as_text(cell: Any) -> None:
    """openpyxl stores a string starting with "=" as a formula; user text must never run
    (formula injection), so such cells are forced to plain text. Text starting with
    "+", "-" or "@" is already stored as a string in XLSX, and Vietnamese lists start with
    "- " all the time, so the text itself is left exactly as written."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"


def _cell(value: Any) -> Any:
    """Text without the characters XML cannot hold: openpyxl refuses the whole workbook for
    one vertical tab, and rows stored before input was cleaned may still hold one."""
    return xml_safe(value) if isinstance(value, str) else value


def xlsx(
    title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[int] = ()
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = xml_safe(title)[:31]
    sheet.append([_cell(value) for value in headers])
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for row in sheet.iter_rows():
        for cell in row:
            _as_text(cell)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if hasattr(cell.value, "year"):
                cell.number_format = "DD/MM/YYYY"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
