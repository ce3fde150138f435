"""Controlled documents as DOCX, laid out as agencies write them.

A procedure carries the control header on every page (agency, title in capitals, Mã hiệu,
Lần ban hành, Ngày ban hành, Trang x/y), then the signature grid (Soạn thảo / Soát xét /
Phê duyệt), the "Sửa đổi tài liệu" table and the seven sections (regulation.md §4.1). A
policy or the objectives use the same header with body text; a form carries its code and a
layout to fill in. The register of documents comes out as DOCX and XLSX, and a document set
as its issuing decision in the NĐ 30/2020 layout. Everything is composed from the building
blocks of `qms.lib.officialdoc`, so fonts, page geometry and table grids stay the same.

The content of these documents is Vietnamese official text, written here directly.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import docx as python_docx
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Mm, Pt

from qms.documents.models import (
    KIND_ORDER,
    Document,
    DocumentSet,
    Kind,
    LegalDocument,
    Revision,
)
from qms.lib import officialdoc as od
from qms.lib import sheets
from qms.lib.downloads import DOCX_TYPE, XLSX_TYPE, attachment, pdf_or_back
from qms.organization.models import Agency, Membership
from qms.organization.standards import standard
from qms.paperwork.frame import frame

SECTION_TITLES = (
    "Mục đích",
    "Phạm vi",
    "Tài liệu viện dẫn",
    "Định nghĩa và viết tắt",
    "Nội dung",
    "Biểu mẫu",
    "Hồ sơ cần lưu",
)
REFERENCES, FORMS, RECORDS = 3, 6, 7  # the sections filled from the register when empty

# How the register and the documents name each kind, whatever the UI language.
KIND_WORDS: dict[str, str] = {
    Kind.QUALITY_POLICY: "Chính sách chất lượng",
    Kind.QUALITY_OBJECTIVES: "Mục tiêu chất lượng",
    Kind.QUALITY_MANUAL: "Sổ tay chất lượng",
    Kind.SYSTEM_PROCEDURE: "Quy trình hệ thống",
    Kind.TTHC_PROCEDURE: "Quy trình giải quyết TTHC",
    Kind.INTERNAL_PROCEDURE: "Quy trình nội bộ",
    Kind.GUIDANCE: "Hướng dẫn",
    Kind.FORM_TEMPLATE: "Biểu mẫu",
    Kind.EXTERNAL: "Tài liệu bên ngoài",
}
GROUP_WORDS: dict[str, str] = {
    **KIND_WORDS,
    Kind.SYSTEM_PROCEDURE: "Các quy trình hệ thống",
    Kind.TTHC_PROCEDURE: "Các quy trình giải quyết thủ tục hành chính",
    Kind.INTERNAL_PROCEDURE: "Các quy trình nội bộ",
    Kind.GUIDANCE: "Các hướng dẫn",
    Kind.FORM_TEMPLATE: "Các biểu mẫu",
    Kind.EXTERNAL: "Tài liệu có nguồn gốc bên ngoài",
}
STATUS_WORDS: dict[str, str] = {
    Document.Status.NOT_ISSUED: "Chưa ban hành",
    Document.Status.IN_FORCE: "Đang áp dụng",
    Document.Status.WITHDRAWN: "Đã thu hồi",
}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
REGISTER_TITLE = "DANH MỤC TÀI LIỆU HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG"
SUB_HEADING = re.compile(r"^\d+(\.\d+)+\.?\s")
DATE_BLANK = "…/…/……"
LAW_NAMES = ("Luật", "Bộ luật")
# References are listed from the highest legal force down, then by date.
TYPE_RANK: dict[str, int] = {
    LegalDocument.Type.LAW: 0,
    LegalDocument.Type.RESOLUTION: 1,
    LegalDocument.Type.DECREE: 2,
    LegalDocument.Type.DECISION: 3,
    LegalDocument.Type.CIRCULAR: 4,
}
# A replaced or repealed text is no longer a reference of a new revision (its citation stays
# on the document as the record that the procedure had to be updated).
GONE = (LegalDocument.Status.REPLACED, LegalDocument.Status.REPEALED)
TABLE_PT = 12.0


@dataclass
class Step:
    """One row of a procedure's work table: who does what, in how long, with which form."""

    who: str
    what: str
    result: str = ""
    time: str = ""


@dataclass
class Section:
    """One of the seven sections. `text` lines starting "5.1 " are sub-headings, other lines
    paragraphs ("- " bullets as agencies write them); `steps` follow as a table, then
    `after`."""

    title: str
    text: str = ""
    steps: list[Step] = field(default_factory=list)
    after: str = ""


@dataclass
class Fill:
    """Labelled lines to write on ("Label: ……" to the margin), `lines` of them per label."""

    labels: list[str]
    lines: int = 1


@dataclass
class Grid:
    """A table with blank rows; widths (mm) default to a narrow "TT" and equal shares."""

    columns: list[str]
    rows: int = 5
    widths: list[float] = field(default_factory=list)


@dataclass
class Form:
    """The layout of a form to fill in: text (as in a section), lines to write on and
    tables, in order, then the signature boxes."""

    parts: list[str | Fill | Grid]
    signatures: list[str] = field(default_factory=list)
    national_header: bool = True


def standard_sections() -> list[Section]:
    """The seven sections, empty: references, forms and records then come from the register."""
    return [Section(title) for title in SECTION_TITLES]


def revision_filename(document: Document, revision: Revision, extension: str = "docx") -> str:
    title = document.title.replace("/", "-").strip()
    return f"{document.code} {title} - lần {revision.revision_no:02d}.{extension}"


# --- small pieces ----------------------------------------------------------------------


def _day(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def text_blocks(text: str) -> list[od.Block]:
    """Section text to blocks: "5.1 …" lines are bold sub-headings, the rest paragraphs."""
    blocks: list[od.Block] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        if SUB_HEADING.match(line):
            blocks.append(od.Heading(line, level=2))
        else:
            blocks.append(od.Paragraph(line))
    return blocks


def _columns(titles: Sequence[str]) -> list[od.Column]:
    """A narrow first column for a "TT"/"STT" numbering, the rest sharing the width."""
    numbered = bool(titles) and titles[0] in ("TT", "STT")
    first = 12.0 if numbered else 0.0
    rest = (od.TEXT_W_MM - first) / max(len(titles) - (1 if numbered else 0), 1)
    return [
        od.Column(title, first if numbered and i == 0 else rest, "center" if i == 0 else "left")
        for i, title in enumerate(titles)
    ]


def _new_document() -> DocxDocument:
    document = python_docx.Document()
    od.setup_styles(document)
    return document


def _save(document: DocxDocument, title: str, author: str) -> bytes:
    props = document.core_properties
    title, author = od.xml_text(title), od.xml_text(author)
    props.title, props.author, props.last_modified_by = title, author, author
    props.language = "vi-VN"
    props.comments = ""
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0)
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _finish_header(header: Any) -> None:
    """python-docx starts a header with an empty paragraph; move it under the table, where
    Word wants a header to end, and make it a 4 pt gap above the body."""
    paragraph = header.paragraphs[0]
    header._element.remove(paragraph._p)
    header._element.append(paragraph._p)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(4)


# --- the control header ----------------------------------------------------------------


def _page_line(cell: Any) -> None:
    """ "Trang: x/y" with live PAGE and NUMPAGES fields."""
    paragraph = od.para(cell, "Trang: ", size=TABLE_PT, align="left", before=1, after=1)
    od.add_field(paragraph, "PAGE", "1")
    paragraph.add_run("/")
    od.add_field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = Pt(TABLE_PT)


def _control_header(document: DocxDocument, doc: Document, revision: Revision) -> None:
    """Agency | TITLE | Mã hiệu, Lần ban hành, Ngày ban hành, Trang: on every page."""
    section = document.sections[0]
    od.setup_page(section, page_numbers=False)
    header = section.header
    table = od.new_table(header, [45.0, 78.0, 42.0], rows=1)
    od.set_borders(table, "single")
    agency_cell, title_cell, facts_cell = table.rows[0].cells
    for cell in (agency_cell, title_cell, facts_cell):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    agency = doc.agency
    if agency.parent_agency_name:
        od.para(agency_cell, agency.parent_agency_name.upper(), size=11, before=2)
    od.para(agency_cell, agency.name.upper(), size=11, bold=True, after=2)
    od.para(title_cell, doc.title.upper(), size=14, bold=True, before=4, after=4)
    issued = _day(revision.issued_on) or DATE_BLANK
    for line in (
        f"Mã hiệu: {doc.code}",
        f"Lần ban hành: {revision.revision_no:02d}",
        f"Ngày ban hành: {issued}",
    ):
        od.para(facts_cell, line, size=TABLE_PT, align="left", before=1, after=1)
    _page_line(facts_cell)
    _finish_header(header)


def _positions(doc: Document, revision: Revision) -> dict[int, str]:
    ids = [
        i for i in (revision.drafted_by_id, revision.reviewed_by_id, revision.approved_by_id) if i
    ]
    rows = Membership.objects.filter(agency_id=doc.agency_id, user_id__in=ids)
    return dict(rows.values_list("user_id", "position"))


def _signature_grid(document: DocxDocument, doc: Document, revision: Revision) -> None:
    """Soạn thảo / Soát xét / Phê duyệt with Họ tên, Chức vụ and room for the signature."""
    people = (revision.drafted_by, revision.reviewed_by, revision.approved_by)
    positions = _positions(doc, revision)
    table = od.new_table(document, [27.0, 46.0, 46.0, 46.0], rows=4)
    od.set_borders(table, "single")
    rows = [
        ("", ["Soạn thảo", "Soát xét", "Phê duyệt"]),
        ("Họ tên", [p.full_name if p else "" for p in people]),
        ("Chức vụ", [positions.get(p.pk, "") if p else "" for p in people]),
        ("Chữ ký", ["", "", ""]),
    ]
    for index, (row, (label, values)) in enumerate(zip(table.rows, rows, strict=True)):
        cells = row.cells
        od.fill_cell(cells[0], label, size=TABLE_PT, bold=True, align="left")
        for cell, value in zip(cells[1:], values, strict=True):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            od.fill_cell(cell, value, size=TABLE_PT, bold=index == 0, align="center")
    table.rows[3].height = Mm(18)  # room for three handwritten signatures
    table.rows[3].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    od.para(document, size=6, line=Pt(6))


def _amendment_table(revision: Revision, blank_rows: int = 3) -> od.Table:
    columns = [
        od.Column("Yêu cầu sửa đổi/bổ sung", 40),
        od.Column("Trang/Phần liên quan", 25, "center"),
        od.Column("Mô tả nội dung sửa đổi", 52),
        od.Column("Lần sửa đổi", 20, "center"),
        od.Column("Ngày sửa đổi", 28, "center"),
    ]
    rows = [
        [a.request, a.location, a.description, f"{a.amendment_no:02d}", _day(a.amended_on)]
        for a in revision.amendments.all()
    ]
    return od.Table(columns, rows or [[""] * 5 for _ in range(blank_rows)], font_size=TABLE_PT)


def _amendments(document: DocxDocument, revision: Revision) -> None:
    od.para(document, "SỬA ĐỔI TÀI LIỆU", bold=True, before=6, after=6)
    od.add_blocks(document, [_amendment_table(revision)])


# --- the sections of a procedure -------------------------------------------------------


def steps_table(steps: list[Step]) -> od.Table:
    timed = any(step.time for step in steps)
    columns = [od.Column("Bước", 13, "center"), od.Column("Trách nhiệm", 35)]
    columns.append(od.Column("Nội dung công việc", 65 if timed else 82))
    if timed:
        columns.append(od.Column("Thời gian", 17, "center"))
    columns.append(od.Column("Biểu mẫu/Kết quả", 35))
    rows: list[list[Any]] = []
    for number, step in enumerate(steps, start=1):
        row = [f"B{number}", step.who, step.what]
        rows.append([*row, step.time, step.result] if timed else [*row, step.result])
    return od.Table(columns, rows, font_size=TABLE_PT)


def _references(doc: Document, text: str) -> list[od.Block]:
    """The section's own text, then every cited legal document it does not name yet."""
    legal = [
        c.legal_document
        for c in doc.citations.select_related("legal_document")
        if c.legal_document.number not in text and c.legal_document.status not in GONE
    ]
    legal.sort(key=lambda ld: (TYPE_RANK.get(ld.doc_type, 9), ld.issued_on or dt.date.min))
    lines = [f"- {citation_words(ld)};" for ld in legal]
    if not text.strip() and not lines:
        lines = [f"- {standard(doc.agency.standard).full_name_opening}."]
    elif lines:  # a list ends with a full stop
        lines[-1] = lines[-1].rstrip(";") + "."
    return text_blocks("\n".join([text, *lines]))


def citation_words(legal: LegalDocument) -> str:
    """A law is cited by its name first ("Luật Đầu tư số 61/2020/QH14 ngày …"), every other
    text as `LegalDocument.citation_text` writes it."""
    if legal.doc_type == LegalDocument.Type.LAW and legal.title.startswith(LAW_NAMES):
        day = f" ngày {legal.issued_on:%d/%m/%Y}" if legal.issued_on else ""
        return f"{legal.title} số {legal.number}{day}"
    return legal.citation_text()


def _forms(doc: Document) -> list[od.Block]:
    forms = list(doc.form_templates.order_by("code"))
    if not forms:
        return [od.Paragraph("Không sử dụng biểu mẫu.")]
    columns = [od.Column("TT", 12, "center"), od.Column("Tên biểu mẫu", 108)]
    columns.append(od.Column("Mã hiệu", 45, "center"))
    rows = [[str(n), form.title, form.code] for n, form in enumerate(forms, start=1)]
    return [od.Table(columns, rows, font_size=TABLE_PT)]


def _records(doc: Document) -> list[od.Block]:
    records = list(doc.records.all())
    if not records:
        return []
    columns = [
        od.Column("TT", 12, "center"),
        od.Column("Tên hồ sơ", 70),
        od.Column("Nơi lưu", 48),
        od.Column("Thời gian lưu", 35, "center"),
    ]
    rows = [[str(n), r.name, r.keeper, r.retention] for n, r in enumerate(records, start=1)]
    return [od.Table(columns, rows, font_size=TABLE_PT)]


def _section_blocks(doc: Document, number: int, section: Section) -> list[od.Block]:
    blocks: list[od.Block] = [od.Heading(f"{number}. {section.title.upper()}")]
    if number == REFERENCES:
        blocks += _references(doc, section.text)
    else:
        blocks += text_blocks(section.text)
    if number == FORMS and not section.text.strip():
        blocks += _forms(doc)
    if number == RECORDS:
        records = _records(doc)
        if not records and not section.text.strip():
            records = [od.Paragraph("Không có.")]
        blocks += records
    if section.steps:
        blocks.append(steps_table(section.steps))
    blocks += text_blocks(section.after)
    return blocks


def _front(document: DocxDocument, doc: Document, revision: Revision) -> None:
    _control_header(document, doc, revision)
    _signature_grid(document, doc, revision)


def procedure_docx(document: Document, revision: Revision, sections: list[Section]) -> bytes:
    """A controlled procedure: control header, signature grid, "Sửa đổi tài liệu", then
    the sections numbered in order (pass the seven of `SECTION_TITLES`; section 3 adds the
    cited legal documents, 6 lists the forms when empty, 7 is the records table)."""
    out = _new_document()
    _front(out, document, revision)
    _amendments(out, revision)
    od.add_blocks(out, [od.PageBreak()])
    for number, section in enumerate(sections, start=1):
        od.add_blocks(out, _section_blocks(document, number, section))
    return _save(out, f"{document.code} {document.title}", document.agency.name)


def simple_docx(document: Document, revision: Revision, text: str) -> bytes:
    """A policy, the objectives or a guidance note: the control header and signature grid,
    then the text (amendments, when the revision has some)."""
    out = _new_document()
    _front(out, document, revision)
    if revision.amendments.exists():
        _amendments(out, revision)
    od.add_blocks(out, text_blocks(text))
    return _save(out, f"{document.code} {document.title}", document.agency.name)


# --- forms -----------------------------------------------------------------------------


def _form_header(out: DocxDocument, document: Document, revision: Revision, form: Form) -> None:
    section = out.sections[0]
    od.setup_page(section, page_numbers=False)
    header = section.header
    header._element.remove(header.paragraphs[0]._p)  # python-docx's empty first paragraph
    line = f"{document.code} – Lần ban hành: {revision.revision_no:02d}"
    od.para(header, line, size=11, italic=True, align="right")
    agency = document.agency
    if form.national_header:
        od.add_agency_header(
            out,
            agency_name=agency.name,
            parent_agency_name=agency.parent_agency_name,
            date_line=f"{agency.place_name}, ngày{od.BLANK}tháng{od.BLANK}năm 20…",
        )
    else:
        od.para(out, agency.name.upper(), size=od.HEADER_PT, bold=True, align="left")
    od.para(out, document.title.upper(), bold=True, before=12, after=12)


def _dotted_lines(out: DocxDocument, fill: Fill) -> None:
    """ "Label: ……" to the right margin, with a dotted tab leader so it prints as a line."""
    for label in fill.labels:
        for index in range(fill.lines):
            text = f"{label}: \t" if index == 0 else "\t"
            paragraph = od.para(out, text, align="left", after=4, line=1.3)
            paragraph.paragraph_format.tab_stops.add_tab_stop(
                Mm(od.TEXT_W_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
            )


def _grid(grid: Grid) -> od.Table:
    columns = _columns(grid.columns)
    for column, width in zip(columns, grid.widths, strict=False):
        column.width_mm = width
    return od.Table(columns, [[""] * len(columns) for _ in range(grid.rows)], font_size=TABLE_PT)


def _signature_boxes(out: DocxDocument, titles: list[str]) -> None:
    widths = [od.TEXT_W_MM / len(titles)] * len(titles)
    table = od.new_table(out, widths, rows=1)
    od.set_borders(table, "nil")
    for cell, title in zip(table.rows[0].cells, titles, strict=True):
        od.para(cell, title.upper(), bold=True, before=12)
        od.para(cell, "(Ký, ghi rõ họ tên)", italic=True)
        for _blank in range(4):
            od.para(cell)


def form_docx(document: Document, revision: Revision, form: Form) -> bytes:
    """A form template: its code on every page, a header, the title, and the layout."""
    out = _new_document()
    _form_header(out, document, revision, form)
    for part in form.parts:
        if isinstance(part, Fill):
            _dotted_lines(out, part)
        elif isinstance(part, Grid):
            od.add_blocks(out, [_grid(part)])
        else:
            od.add_blocks(out, text_blocks(part))
    if form.signatures:
        _signature_boxes(out, form.signatures)
    return _save(out, f"{document.code} {document.title}", document.agency.name)


# --- the register ----------------------------------------------------------------------

REGISTER_COLUMNS = [
    od.Column("STT", 10, "center"),
    od.Column("Mã hiệu", 24),
    od.Column("Tên tài liệu", 45),
    od.Column("Loại", 19),
    od.Column("Đơn vị chủ trì", 22),
    od.Column("Lần ban hành", 14, "center"),
    od.Column("Ngày hiệu lực", 18, "center"),
    od.Column("Tình trạng", 13, "center"),
]


def grouped(documents: Iterable[Document]) -> list[tuple[str, list[Document]]]:
    """Documents by kind, in the model's Kind order, each group by code."""
    groups: dict[str, list[Document]] = {}
    for doc in sorted(documents, key=lambda d: (KIND_ORDER.get(d.kind, 99), d.code)):
        groups.setdefault(doc.kind, []).append(doc)
    return list(groups.items())


def register_row(doc: Document) -> list[Any]:
    """Mã hiệu, Tên, Loại, Đơn vị chủ trì, Lần ban hành, Ngày hiệu lực, Tình trạng. Callers
    select_related("owner_unit", "current_revision") to keep this query-free."""
    current = doc.current_revision
    return [
        doc.code,
        doc.title,
        KIND_WORDS.get(doc.kind, doc.kind),
        doc.owner_unit.name if doc.owner_unit else "",
        current.revision_no if current else None,
        current.effective_on if current else None,
        STATUS_WORDS.get(doc.status, doc.status),
    ]


def _docx_cells(values: list[Any]) -> list[str]:
    code, title, kind, unit, revision_no, effective, status = values
    number = f"{revision_no:02d}" if revision_no else ""
    return [code, title, kind, unit, number, _day(effective), status]


def _register_rows(docs: list[Document]) -> list[list[str]]:
    return [[str(n), *_docx_cells(register_row(doc))] for n, doc in enumerate(docs, start=1)]


def _register_table(out: DocxDocument, groups: list[tuple[str, list[Document]]]) -> None:
    """One table: the header row, then per kind a merged "I. …" row and its documents.
    Columns are widened where a code or a date would not fit on one line."""
    sections = [(kind, _register_rows(docs)) for kind, docs in groups]
    widths = od.column_widths(REGISTER_COLUMNS, [row for _k, rs in sections for row in rs], 11)
    total = 1 + sum(1 + len(docs) for _kind, docs in groups)
    table = od.new_table(out, widths, rows=total)
    od.set_borders(table, "single")
    od.mark_rows(table, repeat_header=True)
    rows = iter(table.rows)
    for cell, column in zip(next(rows).cells, REGISTER_COLUMNS, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        od.fill_cell(cell, column.title, size=11, bold=True, align="center")
    for index, (kind, register_rows) in enumerate(sections):
        cells = next(rows).cells
        label = f"{ROMAN[index % len(ROMAN)]}. {GROUP_WORDS.get(kind, kind).upper()}"
        for cell in cells[1:]:  # python-docx merges only cells holding a paragraph
            od.fill_cell(cell, "", size=11, bold=False, align="left")
        od.fill_cell(cells[0], label, size=11, bold=True, align="left")
        cells[0].merge(cells[-1])
        for row in register_rows:
            for cell, column, value in zip(next(rows).cells, REGISTER_COLUMNS, row, strict=True):
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                od.fill_cell(cell, value, size=11, bold=False, align=column.align)


def register_docx(agency: Agency, documents: Iterable[Document], day: dt.date) -> bytes:
    """ "Danh mục tài liệu Hệ thống quản lý chất lượng" of the agency as of `day`."""
    out = _new_document()
    od.setup_page(out.sections[0])
    od.add_agency_header(
        out,
        agency_name=agency.name,
        parent_agency_name=agency.parent_agency_name,
        date_line=f"{agency.place_name}, {od.vn_date_words(day)}",
    )
    od.para(out, REGISTER_TITLE, bold=True, before=18)
    od.para(out, f"theo {standard(agency.standard).full_name}", bold=True)
    od.para(out, f"(Cập nhật đến ngày {day:%d/%m/%Y})", italic=True)
    od.rule(out, 40, od.TEXT_W_MM, after=12)
    _register_table(out, grouped(documents))
    return _save(out, REGISTER_TITLE, agency.name)


def register_xlsx(agency: Agency, documents: Iterable[Document], day: dt.date) -> bytes:
    """The same register as a spreadsheet: one row per document, grouped by kind, with real
    dates; text is never run as a formula (`sheets.xlsx`)."""
    rows: list[list[Any]] = []
    for _kind, docs in grouped(documents):
        rows += [[len(rows) + 1, *register_row(doc)] for doc in docs]
    headers = [column.title for column in REGISTER_COLUMNS]
    return sheets.xlsx("Danh mục tài liệu", headers, rows, widths=[6, 16, 60, 24, 30, 12, 14, 16])


# --- the decision issuing a document set -----------------------------------------------


def _set_revisions(document_set: DocumentSet) -> list[Revision]:
    revisions = document_set.revisions.select_related("document")
    return sorted(revisions, key=lambda r: (KIND_ORDER.get(r.document.kind, 99), r.document.code))


@dataclass
class SetScope:
    """What a set's decision does: issue a whole set, or amend part of one still in force.
    `amended` is the decision that issued the set being amended (the earliest of the issued
    sets whose documents stay in force beside this one)."""

    count: int
    replaces: bool
    amended: DocumentSet | None = None

    def amended_words(self) -> str:
        base = self.amended
        if base is None or not base.paper.is_issued:
            return ""
        return f" ban hành kèm theo {base.paper.reference}"


def set_scope(document_set: DocumentSet, revisions: list[Revision]) -> SetScope:
    """A set amends part of an earlier one when documents of an earlier issued set stay in
    force beside it, untouched: on the day it takes effect (today for a draft), their
    revisions have been issued and have not ended. Otherwise it is a whole new set."""
    day = document_set.effective_on or timezone.localdate()
    kept = (
        Revision.objects.filter(
            document__agency_id=document_set.agency_id,
            document_set__paper__status="issued",
            issued_on__lte=day,
        )
        .exclude(document_set=document_set)
        .exclude(document_id__in=[r.document_id for r in revisions])
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    )
    if document_set.signed_on is not None:
        kept = kept.filter(document_set__paper__issued_on__lte=document_set.signed_on)
    amended = (
        DocumentSet.objects.filter(pk__in=kept.values("document_set"))
        .select_related("agency", "paper__agency", "paper__drafting_unit")
        .order_by("paper__issued_on", "pk")
        .first()
    )
    replaces = any(r.revision_no > 1 for r in revisions)
    return SetScope(len(revisions), replaces, amended)


def _set_subject(agency: Agency, scope: SetScope) -> str:
    applied = standard(agency.standard).full_name_lower
    system = f"Hệ thống quản lý chất lượng theo {applied} của {agency.name}"
    if scope.amended is None:
        return f"Về việc ban hành Bộ tài liệu {system}"
    return f"Về việc sửa đổi, bổ sung {scope.count:02d} tài liệu của Bộ tài liệu {system}"


def _set_articles(document_set: DocumentSet, scope: SetScope) -> list[od.Block]:
    agency = document_set.agency
    effective = document_set.effective_on
    if effective is None:
        effect = "Quyết định này có hiệu lực kể từ ngày ký"
    else:
        effect = f"Quyết định này có hiệu lực kể từ ngày {effective:%d/%m/%Y}"
    if scope.replaces:
        effect += (
            "; các tài liệu ban hành kèm theo Quyết định này thay thế các phiên bản "
            "trước đây của cùng tài liệu"
        )
    applied = standard(agency.standard).full_name
    system = f"Hệ thống quản lý chất lượng theo {applied} của {agency.name}"
    if scope.amended is None:
        issued = f"Bộ tài liệu {system} gồm {scope.count:02d} tài liệu"
    else:
        issued = (
            f"{scope.count:02d} tài liệu sửa đổi, bổ sung Bộ tài liệu {system}"
            f"{scope.amended_words()}"
        )
        effect += "; các tài liệu khác của Bộ tài liệu tiếp tục được áp dụng"
    return [
        od.Article(1, f"Ban hành kèm theo Quyết định này {issued} (Danh mục kèm theo)."),
        od.Article(2, f"{effect}."),
        od.Article(
            3,
            f"Chánh Văn phòng, Thủ trưởng các phòng, đơn vị thuộc {agency.name}, Thư ký "
            "ISO và các cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.",
        ),
    ]


def _annex(revisions: list[Revision]) -> list[od.Block]:
    columns = [
        od.Column("STT", 12, "center"),
        od.Column("Mã hiệu", 33),
        od.Column("Tên tài liệu", 95),
        od.Column("Lần ban hành", 25, "center"),
    ]
    rows = [
        [str(n), r.document.code, r.document.title, f"{r.revision_no:02d}"]
        for n, r in enumerate(revisions, start=1)
    ]
    return [od.Table(columns, rows, font_size=TABLE_PT)]


def document_set_decision(document_set: DocumentSet) -> od.OfficialDocument:
    """ "Quyết định về việc ban hành Bộ tài liệu …", or "… sửa đổi, bổ sung 04 tài liệu của
    Bộ tài liệu …" when it amends part of a set in force, with the list of its documents
    annexed. A draft keeps the number and the date blank for the văn thư."""
    revisions = _set_revisions(document_set)
    scope = set_scope(document_set, revisions)
    title = "DANH MỤC TÀI LIỆU" if scope.amended is None else "DANH MỤC TÀI LIỆU SỬA ĐỔI, BỔ SUNG"
    decision = frame(
        document_set.paper,
        body=_set_articles(document_set, scope),
        annexes=[(title, _annex(revisions))],
    )
    # The subject follows the set's scope, which the paper stores when it is issued
    # (documents.services.check_set_issue), so the register and the print agree.
    return replace(decision, subject=set_subject(document_set, revisions))


def set_subject(document_set: DocumentSet, revisions: list[Revision] | None = None) -> str:
    """The decision's subject line as the set's documents make it now."""
    revisions = _set_revisions(document_set) if revisions is None else revisions
    return _set_subject(document_set.agency, set_scope(document_set, revisions))


def set_decision_docx(document_set: DocumentSet) -> bytes:
    return od.build_docx(document_set_decision(document_set))


# --- downloads -------------------------------------------------------------------------


def _set_filename(document_set: DocumentSet, extension: str) -> str:
    return f"{document_set.file_stem()}.{extension}"


def set_decision_response(
    request: HttpRequest, document_set: DocumentSet, fmt: str
) -> HttpResponse:
    """The decision issuing `document_set`, as DOCX or PDF."""
    content = set_decision_docx(document_set)
    if fmt == "docx":
        return attachment(content, DOCX_TYPE, _set_filename(document_set, "docx"))
    if fmt != "pdf":
        raise Http404
    return pdf_or_back(request, content, _set_filename(document_set, "pdf"), document_set)


def register_response(
    request: HttpRequest, agency: Agency, documents: Iterable[Document], fmt: str
) -> HttpResponse:
    """The register as DOCX or XLSX, dated today (a dissolved agency's: its last day)."""
    day = agency.dated(timezone.localdate())
    name = f"danh-muc-tai-lieu-{agency.abbreviation}-{day:%d-%m-%Y}"
    if fmt == "docx":
        return attachment(register_docx(agency, documents, day), DOCX_TYPE, f"{name}.docx")
    if fmt == "xlsx":
        return attachment(register_xlsx(agency, documents, day), XLSX_TYPE, f"{name}.xlsx")
    raise Http404
