"""Official documents (văn bản hành chính) as DOCX in the Nghị định 30/2020/NĐ-CP layout.

Pure python-docx: this module imports no Django code and no qms app, so it can be used
from views, background tasks and scripts alike.

Layout follows NĐ 30/2020 Phụ lục I (A4 portrait, margins 20/20/30/15 mm, Times New Roman)
and the model layouts of Phụ lục III: a two-column header (agency left, national title
right), type and subject centred, grounds, body, then "Nơi nhận" left and the signature
block right.  Tables are written with explicit ``w:tblGrid`` widths and a fixed layout
because LibreOffice (used for PDF) lays tables out from the grid, not from cell widths.

The building blocks (``setup_page``, ``para``, ``new_table``, ``add_blocks``, …) are public
so that other layouts — a controlled procedure with its control header, a register — are
composed from the same pieces instead of copies of them.
"""

from __future__ import annotations

import functools
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section, _BaseHeaderFooter
from docx.shared import Cm, Length, Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

__all__ = [
    "Article",
    "Block",
    "Column",
    "Heading",
    "OfficialDocument",
    "PageBreak",
    "Paragraph",
    "SignMode",
    "Signature",
    "SpanRow",
    "Table",
    "add_agency_header",
    "add_blocks",
    "add_field",
    "add_run",
    "annex_reference",
    "balance_lines",
    "build_docx",
    "column_widths",
    "fill_cell",
    "fit_widths",
    "layout_table",
    "mark_rows",
    "min_column_widths",
    "new_table",
    "para",
    "rule",
    "set_borders",
    "setup_page",
    "setup_styles",
    "text_width_mm",
    "vn_date_words",
    "xml_text",
]

FONT = "Times New Roman"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# Blank left for the văn thư to fill in by hand: drafts carry no number or date
# until they are registered after signing (NĐ 30 Art. 15).
BLANK = " " * 6
NUMBER_BLANK = " " * 5  # "Số:" + space + 5 = a 6-space gap, like the date blanks

# Page geometry (NĐ 30 Phụ lục I): A4 portrait, top/bottom 20 mm, left 30 mm, right 15 mm.
PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20.0, 20.0, 30.0, 15.0
TEXT_W_MM = PAGE_W_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165 mm
# Header/footer block columns; they add up to the text width.  The right column is wider
# than the usual ~90 mm because "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in bold 13 pt Times
# New Roman (or metric-compatible Liberation Serif) measures ≈ 95.6 mm and must stay on
# one line; callers can break long agency names with "\n" (e.g. "ỦY BAN NHÂN DÂN\nTHÀNH
# PHỐ HẢI PHÒNG").
LEFT_COL_MM, RIGHT_COL_MM = 66.0, 99.0
# Left/right padding inside the cells of those borderless layout tables (Word's default
# of 1.9 mm per side would push the national title onto two lines).
LAYOUT_PAD_MM = 0.5
FIRST_LINE_INDENT = Cm(1.27)
BODY_PT, HEADER_PT = 14.0, 13.0
BODY_LINE_SPACING = 1.15

_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


# Characters XML 1.0 forbids (C0 controls but tab, line feed and carriage return; lone
# surrogates; U+FFFE, U+FFFF). One of them in a title pasted years ago would make python-docx
# refuse the whole document. Vertical tab and form feed separate words: they become a space.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WORD_SEPARATORS = re.compile("[\x0b\x0c]")


def xml_text(text: str) -> str:
    """Text as it may enter a document: precomposed Vietnamese (TCVN 6909 / NFC, so search
    and diff work) and nothing XML forbids. Every run and every file property goes through
    it, so old data with a control character never breaks an export."""
    text = _WORD_SEPARATORS.sub(" ", _XML_ILLEGAL.sub("", text))
    return unicodedata.normalize("NFC", text)


def _nfc(text: str) -> str:
    return xml_text(text)


def _upper(text: str) -> str:
    return _nfc(_nfc(text).upper())


# --------------------------------------------------------------------------- model


class SignMode(StrEnum):
    """Signing-authority prefixes of NĐ 30 Art. 13.  ``None`` means "signs in own name"."""

    TM = "tm"  # thay mặt: on behalf of a collective body
    KT = "kt"  # ký thay: a deputy signs for the head
    Q = "q"  # quyền: acting head
    TL = "tl"  # thừa lệnh: by order of the head
    TUQ = "tuq"  # thừa ủy quyền: by authorisation of the head

    @property
    def prefix(self) -> str:
        return self.name + "."


@dataclass
class Signature:
    """Signature block.

    ``title_lines()`` renders (upper-cased):

    * ``None``  -> [position]                         e.g. ["CHỦ TỊCH"]
    * TM/KT/TL/TUQ -> [f"{PREFIX}. {on_behalf_of}", position]
      e.g. KT -> ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]
    * Q -> ["Q. {on_behalf_of}"] when position is empty or equal to on_behalf_of (the
      acting head signs under the acting title only), else ["Q. {on_behalf_of}", position].
      If on_behalf_of is empty, position is used as the acting title.
    * TM with ``inner_mode`` KT or Q (the combined forms of a collective body) ->
      ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] or
      ["TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"]: ``inner_behalf_of`` names the chair.
    """

    position: str
    signer_name: str
    sign_mode: SignMode | None = None
    on_behalf_of: str = ""
    inner_mode: SignMode | None = None
    inner_behalf_of: str = ""

    def __post_init__(self) -> None:
        needs_target = self.sign_mode not in (None, SignMode.Q)
        if needs_target and not self.on_behalf_of.strip():
            raise ValueError(f"sign_mode {self.sign_mode} needs on_behalf_of")
        if self.sign_mode is SignMode.Q and not (self.on_behalf_of or self.position).strip():
            raise ValueError("sign_mode Q needs on_behalf_of or position")
        if self.inner_mode is not None:
            if self.sign_mode is not SignMode.TM or self.inner_mode not in (
                SignMode.KT,
                SignMode.Q,
            ):
                raise ValueError("only TM. combines, with KT. or Q.")
            if not self.inner_behalf_of.strip():
                raise ValueError("a combined form needs inner_behalf_of")

    def title_lines(self) -> list[str]:
        position = _upper(self.position.strip())
        if self.sign_mode is None:
            return [position]
        target = _upper((self.on_behalf_of or self.position).strip())
        first = f"{self.sign_mode.prefix} {target}"
        if self.inner_mode is not None:
            chair = _upper(self.inner_behalf_of.strip())
            second = f"{self.inner_mode.prefix} {chair}"
            if self.inner_mode is SignMode.Q and position in ("", chair):
                return [first, second]
            return [first, second, position]
        if self.sign_mode is SignMode.Q and position in ("", target):
            return [first]
        return [first, position]


@dataclass
class Heading:
    """Level 1 "I. MỤC ĐÍCH, YÊU CẦU" bold (text as given); 2 "1. Mục đích:" bold; 3 italic."""

    text: str
    level: int = 1


@dataclass
class Paragraph:
    """A body paragraph; "\\n" in text starts a new paragraph with the same formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    indent: bool = True
    align: str = "justify"  # "justify" | "center" | "left"


@dataclass
class Column:
    title: str
    width_mm: float
    align: str = "left"  # alignment of body cells; header cells are always centred


@dataclass(frozen=True)
class SpanRow:
    """A row printed across the whole table in bold: the heading of a group of rows
    (a phase of a programme, "Giai đoạn 1: Khảo sát")."""

    text: str


@dataclass
class Table:
    columns: list[Column]
    rows: Sequence[list[str] | SpanRow]
    repeat_header: bool = True
    font_size: float = 12


@dataclass
class Article:
    """Renders "Điều 1. " in bold then text; "\\n" in text starts an indented sub-paragraph."""

    number: int
    text: str


@dataclass
class PageBreak:
    pass


Block = Heading | Paragraph | Table | Article | PageBreak


@dataclass
class OfficialDocument:
    agency_name: str
    agency_abbr: str
    doc_type: str
    type_title: str
    subject: str
    place: str
    signature: Signature
    parent_agency_name: str = ""
    number: int | None = None
    issued_on: date | None = None
    year: int | None = None
    unit_symbol: str = ""
    issuing_authority: str = ""
    grounds: list[str] = field(default_factory=list)
    proposal: str = ""
    decision_word: bool = False
    intro: str = ""
    body: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    archive_note: str = "VT"
    annexes: list[tuple[str, list[Block]]] = field(default_factory=list)
    # A letter (công văn) has no type title: its subject goes under the number as "V/v …"
    # and it is addressed "Kính gửi: …" before the body.
    addressees: list[str] = field(default_factory=list)
    # The annex is the document the decision issues ("KẾ HOẠCH … (Ban hành kèm theo Quyết định
    # số …)"), not an appendix: no "Phụ lục" word, and "Ban hành kèm theo" in its reference.
    annex_issued: bool = False

    @property
    def is_letter(self) -> bool:
        return not self.type_title.strip()

    def symbol(self) -> str:
        """Type-agency[-unit]: "KH-BQL", "QĐ-BQL-VP"; a công văn has none: "UBND-KT"."""
        parts = (self.doc_type, self.agency_abbr, self.unit_symbol)
        return "-".join(p.strip().strip("-/") for p in parts if p.strip().strip("-/"))

    def number_text(self) -> str:
        """Number with a leading zero below 10 ("05", NĐ 30), or a blank for the văn thư."""
        return NUMBER_BLANK if self.number is None else f"{self.number:02d}"

    def number_line(self) -> str:
        return _nfc(f"Số: {self.number_text()}/{self.symbol()}")

    def date_words(self) -> str:
        """Date as "ngày 05 tháng 3 năm 2026", or blanks when it is not assigned yet."""
        if self.issued_on is not None:
            return vn_date_words(self.issued_on)
        # Without issued_on and year the year is left blank too, keeping output
        # deterministic (no dependency on today's date).
        year = BLANK if self.year is None else str(self.year)
        return f"ngày{BLANK}tháng{BLANK}năm {year}"

    def date_line(self) -> str:
        return _nfc(f"{self.place}, {self.date_words()}")


def vn_date_words(d: date) -> str:
    """NĐ 30: leading zero for days 1–9 and for months 1 and 2 only ("tháng 3", "tháng 01")."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


# --------------------------------------------------------------------------- XML helpers


def _el(tag: str, **attrs: str) -> BaseOxmlElement:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _twips(mm: float) -> str:
    return str(round(mm / 25.4 * 1440))


def _insert(parent: BaseOxmlElement, child: BaseOxmlElement, successors: Iterable[str]) -> None:
    """Insert respecting the schema order: Word rejects files with misordered children."""
    existing = parent.find(child.tag)
    if existing is not None:
        parent.remove(existing)
    parent.insert_element_before(child, *successors)


_PPR_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                   "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                   "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                   "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                   "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                   "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                   "w:pPrChange")  # fmt: skip
_TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                        "w:tblDescription", "w:tblPrChange")  # fmt: skip
_TBLPR_AFTER_TBLW = ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                     *_TBLPR_AFTER_BORDERS)  # fmt: skip


def _set_fonts(rpr: BaseOxmlElement) -> None:
    """Name the font for every script slot and drop theme fonts, which would win over it.

    Word picks the font per character class (ascii / hAnsi / eastAsia / cs); Vietnamese
    letters fall in several of them, so all four must say Times New Roman.
    """
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = _el("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), FONT)


def _set_mark_size(paragraph: DocxParagraph, size: float) -> None:
    """Size the paragraph mark, which sets the height of empty lines (signature space)."""
    rpr = _el("w:rPr")
    half_points = str(round(size * 2))
    rpr.append(_el("w:sz", val=half_points))
    rpr.append(_el("w:szCs", val=half_points))
    _insert(paragraph._p.get_or_add_pPr(), rpr, ("w:sectPr", "w:pPrChange"))


def _bottom_border(paragraph: DocxParagraph) -> None:
    pbdr = _el("w:pBdr")
    pbdr.append(_el("w:bottom", val="single", sz="6", space="1", color="000000"))
    _insert(paragraph._p.get_or_add_pPr(), pbdr, _PPR_AFTER_PBDR)


def add_field(paragraph: DocxParagraph, instruction: str = "PAGE", shown: str = "2") -> None:
    """A complex field (begin/instr/separate/result/end) understood by Word and LO: PAGE,
    NUMPAGES, …; `shown` is what a reader that does not compute fields displays."""
    for kind, text in (("begin", ""), ("instr", f" {instruction} "), ("separate", ""),
                       ("result", shown), ("end", "")):  # fmt: skip
        run = paragraph.add_run()
        if kind == "instr":
            instr = _el("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "result":
            run.text = text
        else:
            run._r.append(_el("w:fldChar", fldCharType=kind))


# --------------------------------------------------------------------------- paragraphs


def para(
    container: Any,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: str = "center",
    before: float = 0,
    after: float = 0,
    indent: Length | None = None,
    line: float | Length = 1.0,
) -> DocxParagraph:
    """Add one paragraph with a single run; every call states its own spacing so the
    result does not depend on the Normal style of the template."""
    paragraph: DocxParagraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = _ALIGN[align]
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = line
    fmt.first_line_indent = indent
    _set_mark_size(paragraph, size)
    if text:
        add_run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def add_run(paragraph: DocxParagraph, text: str, *, size: float, bold: bool, italic: bool) -> None:
    run = paragraph.add_run(_nfc(text))
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None


def rule(container: Any, width_mm: float, avail_mm: float, *, after: float = 0) -> None:
    """The short solid line under the agency name, the motto and the subject: an empty
    2 pt-high paragraph whose bottom border is shortened by symmetric indents."""
    paragraph = para(container, size=2, line=Pt(2), before=2, after=after)
    side = Mm(max(avail_mm - width_mm, 0) / 2)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    _bottom_border(paragraph)


def _body_para(container: Any, text: str, **kwargs: Any) -> DocxParagraph:
    """Body text: 14 pt, justified, first-line indent 1.27 cm, 6 pt after (NĐ 30)."""
    options: dict[str, Any] = {"align": "justify", "after": 6, "indent": FIRST_LINE_INDENT,
                               "line": BODY_LINE_SPACING}  # fmt: skip
    options.update(kwargs)
    return para(container, text, **options)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in _nfc(text).split("\n") if line.strip()]


# --------------------------------------------------------------------------- measuring text

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
PT_MM = 25.4 / 72


@functools.cache
def _font_widths() -> tuple[int, dict[str, int], dict[str, int]]:
    """Advance widths of Liberation Serif 2, the metric twin of Times New Roman (the same
    widths glyph for glyph), read from the font once and kept as data in
    ``fonts/liberation-serif-widths.json``: measuring needs no font installed."""
    path = FONTS_DIR / "liberation-serif-widths.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["units_per_em"], data["regular"], data["bold"]


def _char_units(char: str, table: dict[str, int], em: int) -> int:
    if char in table:
        return table[char]
    if unicodedata.combining(char):
        return 0
    base = unicodedata.normalize("NFD", char)[0]
    # A letter with marks takes the advance of its base letter; anything else unknown is
    # counted a full em, so a column is never measured too narrow.
    return table.get(base, em)


def text_width_mm(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` on one line in Times New Roman at ``size`` pt, in millimetres."""
    em, regular, heavy = _font_widths()
    table = heavy if bold else regular
    units = sum(_char_units(char, table, em) for char in _nfc(text))
    return units / em * size * PT_MM


# --------------------------------------------------------------------------- tables

# Word's (and LibreOffice's) default cell margins, 108 twips left and right, plus 1 mm that
# absorbs rounding in the renderer: text in a cell gets the column width minus this.
CELL_MARGINS_MM = 2 * 108 / 1440 * 25.4 + 1.0
# A single token wider than this share of the table (a pasted URL) may break: letting it
# push every other column below its own words would break many words instead of one.
MAX_TOKEN_SHARE = 0.4


def _longest_token_mm(text: str, size: float, bold: bool) -> float:
    """The widest run without a space: a word, a date ("01/04/2024"), a code
    ("QT.VP-01", "1.000948.H38"). Cells wrap only at spaces, so that is what must fit."""
    return max((text_width_mm(token, size, bold=bold) for token in _nfc(text).split()), default=0)


def min_column_widths(
    titles: Sequence[str], rows: Iterable[Sequence[str]], size: float
) -> list[float]:
    """Narrowest width of each column that holds its longest word, date or code on one line:
    the bold title of the header row and the regular text of the other rows."""
    widths = [_longest_token_mm(title, size, bold=True) for title in titles]
    for row in rows:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _longest_token_mm(str(value), size, bold=False))
    return [width + CELL_MARGINS_MM for width in widths]


def fit_widths(preferred: Sequence[float], minimum: Sequence[float]) -> list[float]:
    """Widths adding up to ``sum(preferred)`` with every column at least its minimum (capped
    at ``MAX_TOKEN_SHARE`` of the table); what is left is shared in proportion to the
    preferred widths. When even the minimums do not fit, they are scaled down together."""
    total = sum(preferred)
    floor = [min(low, total * MAX_TOKEN_SHARE) for low in minimum]
    if sum(floor) >= total:
        return [low * total / sum(floor) for low in floor]
    fixed: set[int] = set()
    while True:
        free = [i for i in range(len(preferred)) if i not in fixed]
        room = total - sum(floor[i] for i in fixed)
        weight = sum(preferred[i] for i in free)
        widths = {i: room * preferred[i] / weight if weight else room / len(free) for i in free}
        short = {i for i in free if widths[i] < floor[i]}
        if not short:
            return [floor[i] if i in fixed else widths[i] for i in range(len(preferred))]
        fixed |= short


def column_widths(
    columns: Sequence[Column], rows: Iterable[Sequence[str]], size: float
) -> list[float]:
    """The printed widths of a table: the columns' widths as preferred, widened where a
    word, date or code of the column would not fit, the others giving way."""
    minimum = min_column_widths([column.title for column in columns], rows, size)
    return fit_widths([column.width_mm for column in columns], minimum)


def new_table(container: Any, widths_mm: list[float], rows: int) -> DocxTable:
    """A fixed-layout table whose grid, cell and table widths are all explicit."""
    if isinstance(container, _BaseHeaderFooter):  # a page header's table needs its width
        table: DocxTable = container.add_table(rows, len(widths_mm), Mm(sum(widths_mm)))
    else:
        table = container.add_table(rows=rows, cols=len(widths_mm))
    table.autofit = False  # -> <w:tblLayout w:type="fixed"/>
    tblpr = table._tbl.tblPr
    _insert(tblpr, _el("w:tblW", w=_twips(sum(widths_mm)), type="dxa"), _TBLPR_AFTER_TBLW)
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        grid_col.set(qn("w:w"), _twips(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
            _clear_cell(cell)
    return table


def _clear_cell(cell: _Cell) -> None:
    """New cells hold one empty paragraph; drop it so content starts at the top.
    Every cell is refilled afterwards (a ``w:tc`` must end with a paragraph)."""
    for paragraph in cell._tc.findall(qn("w:p")):
        cell._tc.remove(paragraph)


def set_borders(table: DocxTable, value: str) -> None:
    """``single`` for data tables, ``nil`` for the layout tables of header and footer."""
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        attrs = {"val": value} if value == "nil" else {"val": value, "sz": "4", "color": "000000"}
        borders.append(_el(f"w:{side}", space="0", **attrs))
    _insert(table._tbl.tblPr, borders, _TBLPR_AFTER_BORDERS)


def layout_table(container: Any, rows: int) -> DocxTable:
    """Borderless two-column table holding the header or the footer block."""
    table = new_table(container, [LEFT_COL_MM, RIGHT_COL_MM], rows=rows)
    set_borders(table, "nil")
    margins = _el("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_el(f"w:{side}", w=_twips(LAYOUT_PAD_MM), type="dxa"))
    _insert(table._tbl.tblPr, margins, ("w:tblLook", "w:tblCaption", "w:tblDescription"))
    return table


def mark_rows(table: DocxTable, repeat_header: bool) -> None:
    """Rows never split across pages; the first row repeats on every page if asked."""
    for index, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        _insert(trpr, _el("w:cantSplit"), ("w:trHeight", "w:tblHeader", "w:tblCellSpacing",
                                           "w:jc", "w:hidden"))  # fmt: skip
        if index == 0 and repeat_header:
            _insert(trpr, _el("w:tblHeader"), ("w:tblCellSpacing", "w:jc", "w:hidden"))


def fill_cell(cell: _Cell, text: str, *, size: float, bold: bool, align: str) -> None:
    lines = _lines(text) or [""]
    for line in lines:
        para(cell, line, size=size, bold=bold, align=align, before=2, after=2)


def _add_data_table(container: Any, block: Table) -> None:
    cells = [values for values in block.rows if not isinstance(values, SpanRow)]
    widths = column_widths(block.columns, cells, block.font_size)
    table = new_table(container, widths, rows=len(block.rows) + 1)
    set_borders(table, "single")
    table._tbl.tblPr.get_or_add_jc().set(qn("w:val"), "center")
    mark_rows(table, block.repeat_header)
    for cell, column in zip(table.rows[0].cells, block.columns, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        fill_cell(cell, column.title, size=block.font_size, bold=True, align="center")
    for values, row in zip(block.rows, table.rows[1:], strict=True):
        if isinstance(values, SpanRow):
            for cell in row.cells:  # a cleared cell has no paragraph, which merge needs
                cell._tc._add_p()
            merged = row.cells[0].merge(row.cells[-1])
            _clear_cell(merged)
            fill_cell(merged, values.text, size=block.font_size, bold=True, align="left")
            continue
        if len(values) > len(block.columns):
            raise ValueError(f"row has {len(values)} cells, table has {len(block.columns)}")
        padded = list(values) + [""] * (len(block.columns) - len(values))
        for cell, column, value in zip(row.cells, block.columns, padded, strict=True):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            fill_cell(cell, value, size=block.font_size, bold=False, align=column.align)
    _add_paragraph_gap(container)  # keeps the next heading off the bottom border


def _add_paragraph_gap(container: Any) -> None:
    """A 6 pt empty line.  Also stops Word from merging two adjacent tables into one."""
    para(container, size=6, line=Pt(6))


# --------------------------------------------------------------------------- blocks


def _add_heading(container: Any, block: Heading) -> None:
    if block.level not in (1, 2, 3):
        raise ValueError(f"heading level must be 1, 2 or 3, not {block.level}")
    paragraph = _body_para(container, block.text, bold=block.level < 3, italic=block.level == 3)
    paragraph.paragraph_format.keep_with_next = True  # never a heading alone at a page foot


def _add_paragraph(container: Any, block: Paragraph) -> None:
    if block.align not in ("justify", "center", "left"):
        raise ValueError(f"align must be justify, center or left, not {block.align!r}")
    indent = FIRST_LINE_INDENT if block.indent else None
    for line in _lines(block.text):
        _body_para(container, line, bold=block.bold, italic=block.italic, align=block.align,
                   indent=indent)  # fmt: skip


def _add_article(container: Any, block: Article) -> None:
    first, *rest = _lines(block.text) or [""]
    paragraph = _body_para(container, f"Điều {block.number}. ", bold=True)
    add_run(paragraph, first, size=BODY_PT, bold=False, italic=False)
    for line in rest:
        _body_para(container, line)


def _add_page_break(container: Any, _block: PageBreak) -> None:
    paragraph = container.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)


_RENDERERS: dict[type, Any] = {
    Heading: _add_heading,
    Paragraph: _add_paragraph,
    Table: _add_data_table,
    Article: _add_article,
    PageBreak: _add_page_break,
}


def add_blocks(container: Any, blocks: Iterable[Block]) -> None:
    for block in blocks:
        renderer = _RENDERERS.get(type(block))
        if renderer is None:
            raise TypeError(f"unsupported block {type(block).__name__}")
        renderer(container, block)


# --------------------------------------------------------------------------- document parts


def setup_styles(document: DocxDocument) -> None:
    """Times New Roman 14 black everywhere, Vietnamese language, 6 pt after paragraphs."""
    styles_root = document.styles.element
    rpr_default = styles_root.find(".//" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr_default is not None:
        _set_fonts(rpr_default)
        lang = rpr_default.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:val"), "vi-VN")
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = BODY_LINE_SPACING


def setup_page(section: Section, *, page_numbers: bool = True) -> None:
    """A4 portrait, margins top/bottom 20 mm, left 30 mm, right 15 mm (NĐ 30 Phụ lục I).
    Layouts with a running header of their own (controlled procedures) pass
    ``page_numbers=False``."""
    section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance = section.footer_distance = Mm(10)
    if page_numbers:
        _add_page_numbers(section)


def _add_page_numbers(section: Section) -> None:
    """Page numbers are centred in the top margin but not shown on page 1 (NĐ 30)."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an explicit empty header
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.paragraph_format.space_after = Pt(0)
    _set_mark_size(header, BODY_PT)
    add_field(header)
    for run in header.runs:
        run.font.size = Pt(BODY_PT)


# Room for a line of the agency names: the left header column less its padding, and 1 mm
# that absorbs rounding in the renderer ("ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN", 30 characters,
# measures 84 mm in bold 13 pt: it must not reach into the national title).
HEADER_LINE_MM = LEFT_COL_MM - 2 * LAYOUT_PAD_MM - 1.0


def balance_lines(
    text: str, width_mm: float = HEADER_LINE_MM, *, size: float = HEADER_PT, bold: bool = True
) -> list[str]:
    """Split an agency name into the fewest lines that fit ``width_mm`` at ``size`` pt, as
    even as possible, at word boundaries, as agencies print "ỦY BAN NHÂN DÂN / HUYỆN BÌNH
    SƠN" instead of letting the last word wrap alone. Measured with the glyph widths of
    Times New Roman, not by counting characters: capitals are wide, spaces narrow."""
    words = _nfc(text).split()
    if not words:
        return []
    widths: dict[tuple[int, int], float] = {}

    def width(start: int, stop: int) -> float:
        if (start, stop) not in widths:
            widths[start, stop] = text_width_mm(" ".join(words[start:stop]), size, bold=bold)
        return widths[start, stop]

    # A word wider than the column gets a line of its own; it cannot be helped.
    limit = max(width_mm, *(width(i, i + 1) for i in range(len(words))))
    count = _fewest_lines(len(words), width, limit)
    return [" ".join(words[a:b]) for a, b in _evenest(len(words), count, width)]


def _fewest_lines(words: int, width: Any, limit: float) -> int:
    """Greedy filling gives the fewest lines no longer than ``limit``."""
    lines, start = 1, 0
    for stop in range(1, words + 1):
        if width(start, stop) > limit:
            lines, start = lines + 1, stop - 1
    return lines


def _evenest(words: int, count: int, width: Any) -> list[tuple[int, int]]:
    """The split of ``words`` into ``count`` lines whose longest line is shortest, and among
    those the most even (least sum of squared widths): dynamic programming over cut points."""
    longest: dict[tuple[int, int], float] = {(0, 0): 0.0}  # (lines, words) -> longest line
    for k in range(1, count + 1):
        for i in range(k, words + 1):
            longest[k, i] = min(
                max(longest[k - 1, j], width(j, i))
                for j in range(k - 1, i)
                if (k - 1, j) in longest
            )
    bound = longest[count, words] + 1e-6
    cost: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, 0)}
    for k in range(1, count + 1):
        for i in range(k, words + 1):
            options = [
                (cost[k - 1, j][0] + width(j, i) ** 2, j)
                for j in range(k - 1, i)
                if (k - 1, j) in cost and width(j, i) <= bound
            ]
            if options:
                cost[k, i] = min(options)
    cuts, stop = [], words
    for k in range(count, 0, -1):
        start = cost[k, stop][1]
        cuts.append((start, stop))
        stop = start
    return cuts[::-1]


def _header_lines(text: str, *, bold: bool) -> list[str]:
    """Lines the caller broke with "\n" are kept, each balanced again if it is too long."""
    return [piece for line in _lines(text) for piece in balance_lines(_upper(line), bold=bold)]


def add_agency_header(
    document: DocxDocument,
    *,
    agency_name: str,
    parent_agency_name: str,
    date_line: str,
    number_line: str = "",
) -> None:
    """Row 1: agency | national title + motto; row 2: number | place and date, so the
    number and the date line share a baseline as in the NĐ 30 models. A list that is not a
    numbered document (a register) passes no number line."""
    table = layout_table(document, rows=2)
    (agency, nation), (number, dated) = (row.cells for row in table.rows)
    for line in _header_lines(parent_agency_name, bold=False):
        para(agency, line, size=HEADER_PT)
    for line in _header_lines(agency_name, bold=True):
        para(agency, line, size=HEADER_PT, bold=True)
    rule(agency, 25, LEFT_COL_MM - 2 * LAYOUT_PAD_MM)
    para(nation, NATIONAL_TITLE, size=HEADER_PT, bold=True)
    para(nation, MOTTO, size=BODY_PT, bold=True)
    rule(nation, 60, RIGHT_COL_MM - 2 * LAYOUT_PAD_MM)  # as long as the motto
    para(number, number_line, size=HEADER_PT, before=6)
    para(dated, _nfc(date_line), size=BODY_PT, italic=True, before=6)


def _add_header_block(document: DocxDocument, doc: OfficialDocument) -> None:
    add_agency_header(
        document,
        agency_name=doc.agency_name,
        parent_agency_name=doc.parent_agency_name,
        date_line=doc.date_line(),
        number_line=doc.number_line(),
    )
    if doc.is_letter:  # "V/v …" under the number, 12 pt (NĐ 30 Phụ lục I, ô 5b)
        cell = document.tables[-1].rows[1].cells[0]
        for index, line in enumerate(_lines(doc.subject)):
            para(cell, f"V/v {line}" if index == 0 else line, size=12)


def _add_title_block(document: DocxDocument, doc: OfficialDocument) -> None:
    """Type (caps) and subject, bold and centred, a short rule, then for decisions the
    issuing authority ("CHỦ TỊCH ỦY BAN NHÂN DÂN ...")."""
    if doc.is_letter:
        _add_addressees(document, doc.addressees)
        return
    para(document, _upper(doc.type_title), bold=True, before=18)
    for line in _lines(doc.subject):
        para(document, line, bold=True)
    rule(document, 40, TEXT_W_MM, after=12)
    if doc.issuing_authority.strip():
        para(document, _upper(doc.issuing_authority), bold=True, after=12)


def _add_addressees(document: DocxDocument, addressees: list[str]) -> None:
    """ "Kính gửi: Sở Khoa học và Công nghệ." on one line, or a list of "- …;" lines."""
    names = [name for entry in addressees for name in _lines(entry)]
    if len(names) == 1:
        para(document, f"Kính gửi: {_terminated(names[0], '.')}", before=18, after=12)
        return
    para(document, "Kính gửi:", before=18)
    for index, name in enumerate(names):
        mark = "." if index == len(names) - 1 else ";"
        para(document, f"- {_terminated(name, mark)}", after=12 if mark == "." else 0)


def _terminated(text: str, mark: str) -> str:
    return _nfc(text).strip().rstrip(";,.") + mark


def _add_preamble(document: DocxDocument, doc: OfficialDocument) -> None:
    """Grounds end in ";" except the last, which ends in "." unless a proposal follows."""
    for index, ground in enumerate(doc.grounds):
        last = index == len(doc.grounds) - 1
        mark = "." if last and not doc.proposal.strip() else ";"
        _body_para(document, _terminated(ground, mark), italic=True)
    if doc.proposal.strip():
        _body_para(document, _terminated(doc.proposal, "."), italic=True)
    if doc.decision_word:
        para(document, "QUYẾT ĐỊNH:", bold=True, before=6, after=6)
    for line in _lines(doc.intro):
        _body_para(document, line)


def _add_footer_block(document: DocxDocument, doc: OfficialDocument) -> None:
    """Nơi nhận (left, 12/11 pt) and the signature block (right, bold caps 14)."""
    table = layout_table(document, rows=1)
    mark_rows(table, repeat_header=False)  # keep the signature block on one page
    recipients, signature = table.rows[0].cells
    para(recipients, "Nơi nhận:", size=12, bold=True, italic=True, align="left", before=12)
    for entry in doc.recipients:
        para(recipients, f"- {_terminated(entry, ';')}", size=11, align="left")
    para(recipients, f"- Lưu: {_terminated(doc.archive_note, '.')}", size=11, align="left")
    _add_signature(signature, doc.signature)


def _add_signature(cell: _Cell, signature: Signature) -> None:
    for index, line in enumerate(signature.title_lines()):
        para(cell, line, bold=True, before=12 if index == 0 else 0)
    for _ in range(4):  # room for the handwritten signature and the seal
        para(cell)
    para(cell, signature.signer_name.strip(), bold=True)


def _roman(number: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        count, number = divmod(number, value)
        out += letters * count
    return out


def annex_reference(doc: OfficialDocument) -> str:
    """ "(Kèm theo Quyết định số 05/QĐ-BQL ngày 05 tháng 3 năm 2026 của Ban Quản lý Khu kinh
    tế Hải Phòng)": the document an annex belongs to and its issuer, blanks in a draft."""
    kind = _nfc(doc.type_title).strip().capitalize() or "Công văn"
    return _nfc(
        f"(Kèm theo {kind} số {doc.number_text()}/{doc.symbol()} {doc.date_words()} "
        f"của {' '.join(_lines(doc.agency_name))})"
    )


def _add_annexes(document: DocxDocument, doc: OfficialDocument) -> None:
    """Each annex on a new page (NĐ 30 Phụ lục I, section III): "Phụ lục", numbered I, II…
    when there are several, bold on its own line; the title in bold capitals; the reference
    to the main document in italics; a short rule; then the content."""
    several = len(doc.annexes) > 1
    for number, (title, blocks) in enumerate(doc.annexes, start=1):
        lines = _lines(title)
        if lines and lines[0].casefold().startswith("phụ lục"):
            lines = lines[1:]  # a caller that wrote the word itself: it is printed once
        word = f"Phụ lục {_roman(number)}" if several else "Phụ lục"
        if doc.annex_issued:
            word, *lines = lines or [""]
        heading = para(document, _upper(word) if doc.annex_issued else word, bold=True)
        heading.paragraph_format.page_break_before = True
        for line in lines:
            para(document, line if doc.annex_issued else _upper(line), bold=True)
        reference = annex_reference(doc)
        if doc.annex_issued:
            reference = reference.replace("(Kèm theo", "(Ban hành kèm theo", 1)
        para(document, reference, italic=True)
        rule(document, 40, TEXT_W_MM, after=12)
        add_blocks(document, blocks)


def _set_properties(document: DocxDocument, doc: OfficialDocument) -> None:
    props = document.core_properties
    props.title = _nfc(f"{_upper(doc.type_title)} {doc.subject.strip()}")
    props.subject = _nfc(doc.subject.strip())
    props.author = props.last_modified_by = _upper(doc.agency_name)
    props.comments = ""
    props.keywords = _nfc(doc.symbol())
    props.language = "vi-VN"
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0)
    props.revision = 1


def build_docx(doc: OfficialDocument) -> bytes:
    """Render ``doc`` and return the bytes of a .docx file."""
    document = Document()
    setup_styles(document)
    setup_page(document.sections[0])
    _add_header_block(document, doc)
    _add_title_block(document, doc)
    _add_preamble(document, doc)
    add_blocks(document, doc.body)
    _add_footer_block(document, doc)
    _add_annexes(document, doc)
    _set_properties(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
