"""No word, code or date breaks inside a table cell of a printed document.

Read back from the DOCX of every official document the demo prints (register, plan task
table, progress report, procedure steps, document-set annex, …): each column of every data
table is at least as wide as the longest word, date or code it holds, at the cell's own size
and weight, plus the cell margins."""

import io

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from qms.lib import officialdoc as od
from qms.lib.tests.conftest import Printed

# The documents come from the session's demo data (see conftest.py), which needs the database.
pytestmark = pytest.mark.django_db

# Word's and LibreOffice's default left + right cell margins (108 twips each).
MARGINS_MM = 2 * 108 / 1440 * 25.4


def _grid_mm(table: Table) -> list[float]:
    return [int(col.get(qn("w:w"))) / 1440 * 25.4 for col in table._tbl.tblGrid.gridCol_lst]


def _bordered(table: Table) -> bool:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    return borders is not None and any(b.get(qn("w:val")) == "single" for b in borders)


def _longest(paragraph: Paragraph) -> tuple[float, str]:
    widths = []
    for run in paragraph.runs:
        size = run.font.size.pt if run.font.size else od.BODY_PT
        widths += [(od.text_width_mm(t, size, bold=bool(run.bold)), t) for t in run.text.split()]
    return max(widths, default=(0.0, ""))


def _too_narrow(table: Table) -> list[str]:
    """Cells whose longest token does not fit the column (merged cells are left out)."""
    grid = _grid_mm(table)
    problems = []
    for tr in table._tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            if span == 1:
                for p in tc.iterchildren(qn("w:p")):
                    width, token = _longest(Paragraph(p, table))
                    if width + MARGINS_MM > grid[column]:
                        problems.append(f"{token!r} {width:.1f} mm in {grid[column]:.1f} mm")
            column += span
    return problems


def test_every_column_of_every_printed_table_holds_its_longest_word(
    demo_printed: list[Printed],
) -> None:
    kinds = {each.kind for each in demo_printed}
    assert kinds == {
        "committee decision",
        "document-set decision",
        "plan",
        "progress report",
        "document register",
        "controlled procedure",
    }
    checked = 0
    for each in demo_printed:
        document = docx.Document(io.BytesIO(each.docx))
        for table in filter(_bordered, document.tables):
            assert not _too_narrow(table), f"{each.kind} {each.label}: {_too_narrow(table)}"
            checked += 1
    assert checked > 20  # the register, plans, reports, annexes, steps, records, amendments


def test_the_register_keeps_its_dates_and_codes_whole(demo_printed: list[Printed]) -> None:
    register = next(each for each in demo_printed if each.kind == "document register")
    table = next(filter(_bordered, docx.Document(io.BytesIO(register.docx)).tables))
    grid = _grid_mm(table)
    assert sum(grid) == pytest.approx(od.TEXT_W_MM, abs=0.1)
    assert grid[0] >= od.text_width_mm("STT", 11, bold=True) + MARGINS_MM
    assert grid[6] >= od.text_width_mm("01/04/2024", 11) + MARGINS_MM
