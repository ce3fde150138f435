"""Spreadsheet export: one place that makes cells safe and writes Vietnamese correctly."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from qms.lib.text import xml_safe


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
