"""The NĐ 30/2020 builder, checked by reopening the produced DOCX with python-docx."""

import io
import unicodedata
from dataclasses import replace
from datetime import date

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from qms.lib import officialdoc as od
from qms.lib.officialdoc import (
    Article,
    Column,
    Heading,
    OfficialDocument,
    PageBreak,
    Paragraph,
    Signature,
    SignMode,
    Table,
    build_docx,
    vn_date_words,
)

GROUNDS = [
    "Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ",
    "Căn cứ Thông tư số 26/2014/TT-BKHCN ngày 10/10/2014 của Bộ Khoa học và Công nghệ;",
    "Căn cứ Quyết định số 101/QĐ-TTg ngày 22/01/2019 của Thủ tướng Chính phủ.",
]
COLUMNS = [
    Column("TT", 10, "center"),
    Column("Nội dung", 50),
    Column("Chủ trì", 30),
    Column("Phối hợp", 30),
    Column("Thời gian", 25, "center"),
    Column("Ghi chú", 20),
]


def make_plan(**overrides: object) -> OfficialDocument:
    """A KT-signed plan (Kế hoạch) of the Hải Phòng economic-zone authority."""
    plan = OfficialDocument(
        agency_name="Ban Quản lý Khu kinh tế Hải Phòng",
        agency_abbr="BQL",
        doc_type="KH",
        type_title="Kế hoạch",
        subject="Duy trì, cải tiến Hệ thống quản lý chất lượng năm 2026",
        place="Hải Phòng",
        parent_agency_name="Ủy ban nhân dân thành phố Hải Phòng",
        year=2026,
        signature=Signature("Phó Trưởng ban", "Nguyễn Văn Chuẩn", SignMode.KT, "Trưởng ban"),
        grounds=list(GROUNDS),
        intro="Ban Quản lý xây dựng Kế hoạch như sau:",
        body=[
            Heading("I. MỤC ĐÍCH, YÊU CẦU"),
            Heading("1. Mục đích:", 2),
            Paragraph("Duy trì hiệu lực Hệ thống."),
            Heading("II. NỘI DUNG"),
            Table(COLUMNS, [["1", "Rà soát quy trình", "VP", "Các phòng", "Quý I", ""]] * 2),
        ],
        recipients=["UBND TP (để b/c)", "Sở Khoa học và Công nghệ", "Các phòng, đơn vị"],
        archive_note="VT, VP",
    )
    return replace(plan, **overrides)


def make_decision(**overrides: object) -> OfficialDocument:
    decision = make_plan(
        doc_type="QĐ",
        type_title="Quyết định",
        subject="Về việc kiện toàn Ban Chỉ đạo ISO",
        number=7,
        issued_on=date(2026, 3, 5),
        issuing_authority="Trưởng ban Ban Quản lý Khu kinh tế Hải Phòng",
        proposal="Xét đề nghị của Chánh Văn phòng",
        decision_word=True,
        intro="",
        body=[Article(1, "Kiện toàn Ban Chỉ đạo.\nBan Chỉ đạo gồm các ông, bà có tên sau.")],
        signature=Signature("Trưởng ban", "Trần Văn A"),
    )
    return replace(decision, **overrides)


def open_docx(doc: OfficialDocument) -> DocxDocument:
    return docx.Document(io.BytesIO(build_docx(doc)))


def body_paragraphs(document: DocxDocument) -> list[DocxParagraph]:
    return list(document.paragraphs)


def cell_paragraphs(table: DocxTable, row: int, col: int) -> list[DocxParagraph]:
    return [p for p in table.rows[row].cells[col].paragraphs if p.text]


def find(paragraphs: list[DocxParagraph], text: str) -> DocxParagraph:
    matches = [p for p in paragraphs if p.text == text]
    assert matches, f"{text!r} not in {[p.text for p in paragraphs]}"
    return matches[0]


def all_bold(paragraph: DocxParagraph) -> bool:
    return all(run.bold for run in paragraph.runs if run.text.strip())


def all_italic(paragraph: DocxParagraph) -> bool:
    return all(run.italic for run in paragraph.runs if run.text.strip())


def grid_widths(table: DocxTable) -> list[int]:
    return [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.gridCol_lst]


def twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


# --------------------------------------------------------------------------- page


def test_it_uses_a4_portrait_with_nd30_margins() -> None:
    section = open_docx(make_plan()).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30]
    assert round(section.right_margin.mm) == 15


def test_it_sets_times_new_roman_14_black_for_every_script() -> None:
    normal = open_docx(make_plan()).styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    assert str(normal.font.color.rgb) == "000000"
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert rfonts.get(qn(f"w:{slot}")) == "Times New Roman"


def test_it_removes_theme_fonts_from_document_defaults() -> None:
    styles = open_docx(make_plan()).styles.element
    rfonts = styles.find(".//" + qn("w:rPrDefault") + "//" + qn("w:rFonts"))
    assert rfonts.get(qn("w:asciiTheme")) is None
    assert rfonts.get(qn("w:eastAsia")) == "Times New Roman"


def test_it_numbers_pages_in_the_header_except_on_page_one() -> None:
    section = open_docx(make_plan()).sections[0]
    assert section.different_first_page_header_footer
    primary = section.header._element.xml
    assert "PAGE" in "".join(t.text for t in section.header._element.iter(qn("w:instrText")))
    assert 'w:fldCharType="begin"' in primary and 'w:fldCharType="end"' in primary
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" not in section.first_page_header._element.xml


def test_it_sets_core_properties() -> None:
    props = open_docx(make_plan()).core_properties
    assert props.title == "KẾ HOẠCH Duy trì, cải tiến Hệ thống quản lý chất lượng năm 2026"
    assert props.language == "vi-VN"
    assert props.author == "BAN QUẢN LÝ KHU KINH TẾ HẢI PHÒNG"


# --------------------------------------------------------------------------- header block


def test_it_puts_agency_left_and_national_title_right_in_a_borderless_fixed_table() -> None:
    header = open_docx(make_plan()).tables[0]
    left = cell_paragraphs(header, 0, 0)
    # Long names are balanced over two lines each (see balance_lines).
    assert [p.text for p in left] == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HẢI PHÒNG",
        "BAN QUẢN LÝ KHU",
        "KINH TẾ HẢI PHÒNG",
    ]
    assert not any(run.bold for p in left[:2] for run in p.runs)
    assert all_bold(left[2]) and all_bold(left[3])
    assert all(run.font.size == Pt(13) for p in left for run in p.runs)
    right = cell_paragraphs(header, 0, 1)
    assert [p.text for p in right] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert all_bold(right[0]) and all_bold(right[1])
    assert grid_widths(header) == [twips(66), twips(99)]
    assert header._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_it_draws_short_rules_under_agency_motto_and_subject() -> None:
    document = open_docx(make_plan())
    header = document.tables[0]
    for cell in header.rows[0].cells:
        rule = cell.paragraphs[-1]
        assert rule.text == ""
        assert rule._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:val")) == "single"
        assert rule.paragraph_format.left_indent > 0
    ruled = [p for p in document.paragraphs if p._p.pPr.find(qn("w:pBdr")) is not None]
    assert len(ruled) == 1  # under the subject


def test_it_leaves_the_number_blank_until_registered() -> None:
    header = open_docx(make_plan()).tables[0]
    number = cell_paragraphs(header, 1, 0)[0]
    assert number.text == "Số:      /KH-BQL"
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert number.runs[0].font.size == Pt(13)


@pytest.mark.parametrize(
    ("number", "unit", "expected"),
    [(7, "", "Số: 07/QĐ-BQL"), (123, "", "Số: 123/QĐ-BQL"), (7, "VP", "Số: 07/QĐ-BQL-VP")],
)
def test_it_writes_the_number_with_a_leading_zero(number: int, unit: str, expected: str) -> None:
    decision = make_decision(number=number, unit_symbol=unit)
    assert decision.number_line() == expected
    assert cell_paragraphs(open_docx(decision).tables[0], 1, 0)[0].text == expected


def test_it_omits_the_type_in_the_symbol_of_a_letter() -> None:
    letter = make_plan(doc_type="", unit_symbol="KT", agency_abbr="UBND")
    assert letter.symbol() == "UBND-KT"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
        (date(2026, 1, 20), "ngày 20 tháng 01 năm 2026"),
        (date(2026, 2, 1), "ngày 01 tháng 02 năm 2026"),
        (date(2026, 12, 15), "ngày 15 tháng 12 năm 2026"),
    ],
)
def test_it_writes_the_italic_date_line_with_nd30_leading_zeros(day: date, expected: str) -> None:
    assert vn_date_words(day) == expected
    header = open_docx(make_plan(issued_on=day)).tables[0]
    line = cell_paragraphs(header, 1, 1)[0]
    assert line.text == f"Hải Phòng, {expected}"
    assert all_italic(line)
    assert line.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_it_leaves_day_and_month_blank_for_an_unissued_document() -> None:
    header = open_docx(make_plan(year=2026)).tables[0]
    assert cell_paragraphs(header, 1, 1)[0].text == "Hải Phòng, ngày      tháng      năm 2026"


# --------------------------------------------------------------------------- title, grounds


def test_it_centres_the_type_title_and_subject_in_bold() -> None:
    paragraphs = body_paragraphs(open_docx(make_plan()))
    title = find(paragraphs, "KẾ HOẠCH")
    subject = find(paragraphs, "Duy trì, cải tiến Hệ thống quản lý chất lượng năm 2026")
    for paragraph in (title, subject):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all_bold(paragraph)
        assert paragraph.runs[0].font.size == Pt(14)


def test_it_ends_grounds_with_semicolons_and_a_final_full_stop() -> None:
    paragraphs = body_paragraphs(open_docx(make_plan()))
    grounds = [p for p in paragraphs if p.text.startswith("Căn cứ")]
    assert [p.text[-1] for p in grounds] == [";", ";", "."]
    assert grounds[0].text == GROUNDS[0] + ";"
    for ground in grounds:
        assert all_italic(ground)
        assert ground.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert ground.paragraph_format.first_line_indent.cm == pytest.approx(1.27, abs=0.01)


def test_it_ends_the_last_ground_with_a_semicolon_before_a_proposal() -> None:
    paragraphs = body_paragraphs(open_docx(make_decision()))
    grounds = [p for p in paragraphs if p.text.startswith("Căn cứ")]
    assert [p.text[-1] for p in grounds] == [";", ";", ";"]
    proposal = find(paragraphs, "Xét đề nghị của Chánh Văn phòng.")
    assert all_italic(proposal)


def test_it_writes_authority_and_decision_word_for_a_decision() -> None:
    paragraphs = body_paragraphs(open_docx(make_decision()))
    texts = [p.text for p in paragraphs]
    authority = find(paragraphs, "TRƯỞNG BAN BAN QUẢN LÝ KHU KINH TẾ HẢI PHÒNG")
    assert all_bold(authority) and authority.alignment == WD_ALIGN_PARAGRAPH.CENTER
    decision_word = find(paragraphs, "QUYẾT ĐỊNH:")
    assert all_bold(decision_word) and decision_word.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert texts.index("QUYẾT ĐỊNH:") > texts.index("Xét đề nghị của Chánh Văn phòng.")


# --------------------------------------------------------------------------- body


def test_it_writes_a_body_table_with_grid_widths_and_a_repeating_bold_header() -> None:
    table = open_docx(make_plan()).tables[1]
    assert len(table.rows) == 3
    widths = od.column_widths(COLUMNS, make_plan().body[-1].rows, 12)
    assert grid_widths(table) == [twips(width) for width in widths]
    assert sum(widths) == pytest.approx(sum(c.width_mm for c in COLUMNS))
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"}
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    header_cells = [cell.paragraphs[0] for cell in table.rows[0].cells]
    assert [p.text for p in header_cells] == [c.title for c in COLUMNS]
    assert all(all_bold(p) and p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in header_cells)
    assert table.rows[1].cells[1].paragraphs[0].text == "Rà soát quy trình"
    assert not table.rows[1].cells[1].paragraphs[0].runs[0].bold
    assert table.rows[1].cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert table.rows[1].cells[1].width.mm == pytest.approx(widths[1], abs=0.01)


def test_it_does_not_repeat_the_header_when_asked_not_to() -> None:
    plan = make_plan(body=[Table(COLUMNS[:2], [["1", "x"]], repeat_header=False)])
    table = open_docx(plan).tables[1]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is None


def test_it_pads_short_rows_and_rejects_long_ones() -> None:
    table = open_docx(make_plan(body=[Table(COLUMNS[:3], [["1"]])])).tables[1]
    assert [cell.text for cell in table.rows[1].cells] == ["1", "", ""]
    with pytest.raises(ValueError, match="row has 4 cells"):
        build_docx(make_plan(body=[Table(COLUMNS[:3], [["1", "2", "3", "4"]])]))


def test_it_formats_heading_levels() -> None:
    blocks = [Heading("I. MỤC ĐÍCH"), Heading("1. Mục đích:", 2), Heading("a) Chi tiết", 3)]
    paragraphs = body_paragraphs(open_docx(make_plan(body=blocks)))
    assert all_bold(find(paragraphs, "I. MỤC ĐÍCH"))
    assert all_bold(find(paragraphs, "1. Mục đích:"))
    level3 = find(paragraphs, "a) Chi tiết")
    assert all_italic(level3) and not any(run.bold for run in level3.runs)
    with pytest.raises(ValueError, match="heading level"):
        build_docx(make_plan(body=[Heading("x", 4)]))


def test_it_splits_body_paragraphs_on_newlines_with_justified_indent() -> None:
    plan = make_plan(body=[Paragraph("Dòng một.\nDòng hai."), Paragraph("Giữa", align="center")])
    paragraphs = body_paragraphs(open_docx(plan))
    for text in ("Dòng một.", "Dòng hai."):
        paragraph = find(paragraphs, text)
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert paragraph.paragraph_format.first_line_indent.cm == pytest.approx(1.27, abs=0.01)
        assert paragraph.paragraph_format.space_after == Pt(6)
    assert find(paragraphs, "Giữa").alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_it_writes_articles_with_a_bold_number() -> None:
    paragraphs = body_paragraphs(open_docx(make_decision()))
    article = find(paragraphs, "Điều 1. Kiện toàn Ban Chỉ đạo.")
    assert article.runs[0].text == "Điều 1. " and article.runs[0].bold
    assert not article.runs[1].bold
    find(paragraphs, "Ban Chỉ đạo gồm các ông, bà có tên sau.")


def test_it_writes_page_breaks() -> None:
    document = open_docx(make_plan(body=[Paragraph("a"), PageBreak(), Paragraph("b")]))
    assert 'w:type="page"' in document.element.body.xml


REFERENCE = (
    "(Kèm theo Quyết định số 07/QĐ-BQL ngày 05 tháng 3 năm 2026 "
    "của Ban Quản lý Khu kinh tế Hải Phòng)"
)


def test_it_puts_an_annex_on_a_new_page_under_its_phu_luc_heading() -> None:
    annex = ("Danh mục quy trình", [Table(COLUMNS[:2], [["1", "QT-01"]])])
    document = open_docx(make_decision(annexes=[annex]))
    texts = [p.text for p in body_paragraphs(document)]
    start = texts.index("Phụ lục")
    # "Phụ lục" (one annex: no number), its title, the reference naming the issuer.
    assert texts[start : start + 3] == ["Phụ lục", "DANH MỤC QUY TRÌNH", REFERENCE]
    heading, title, reference = body_paragraphs(document)[start : start + 3]
    assert heading.paragraph_format.page_break_before and all_bold(heading)
    assert not any(run.italic for run in heading.runs)
    assert all_bold(title) and all_italic(reference)
    assert {p.alignment for p in (heading, title, reference)} == {WD_ALIGN_PARAGRAPH.CENTER}
    assert document.tables[-1].rows[1].cells[1].text == "QT-01"


def test_it_numbers_several_annexes_in_roman_each_on_its_own_page() -> None:
    annexes = [(f"Danh mục {n}", [Paragraph(f"Nội dung {n}")]) for n in (1, 2, 3)]
    paragraphs = body_paragraphs(open_docx(make_decision(annexes=annexes)))
    headings = [p for p in paragraphs if p.text.startswith("Phụ lục")]
    assert [p.text for p in headings] == ["Phụ lục I", "Phụ lục II", "Phụ lục III"]
    assert all(p.paragraph_format.page_break_before for p in headings)
    assert [p.text for p in paragraphs].count(REFERENCE) == 3


def test_it_prints_the_phu_luc_word_once_when_the_caller_wrote_it() -> None:
    annex = ("Phụ lục\nDanh mục quy trình", [Paragraph("x")])
    texts = [p.text for p in body_paragraphs(open_docx(make_decision(annexes=[annex])))]
    assert texts.count("Phụ lục") == 1 and "PHỤ LỤC" not in texts


def test_it_leaves_number_and_date_blank_in_the_reference_of_a_draft() -> None:
    draft = make_decision(number=None, issued_on=None, year=2026)
    assert od.annex_reference(draft) == (
        f"(Kèm theo Quyết định số {od.NUMBER_BLANK}/QĐ-BQL ngày{od.BLANK}tháng{od.BLANK}"
        "năm 2026 của Ban Quản lý Khu kinh tế Hải Phòng)"
    )


# --------------------------------------------------------------------------- footer block


@pytest.mark.parametrize(
    ("signature", "lines"),
    [
        (
            Signature("Phó Trưởng ban", "X", SignMode.KT, "Trưởng ban"),
            ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"],
        ),
        (
            Signature("Chủ tịch", "X", SignMode.TM, "Ủy ban nhân dân"),
            ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        ),
        (Signature("CHỦ TỊCH", "X"), ["CHỦ TỊCH"]),
        (Signature("Giám đốc", "X", SignMode.Q, "Giám đốc"), ["Q. GIÁM ĐỐC"]),
        (Signature("", "X", SignMode.Q, "Giám đốc"), ["Q. GIÁM ĐỐC"]),
        (Signature("Phó Giám đốc", "X", SignMode.Q, "Giám đốc"), ["Q. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
        (
            Signature("Chánh Văn phòng", "X", SignMode.TL, "Giám đốc"),
            ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"],
        ),
        (
            Signature("Trưởng phòng", "X", SignMode.TUQ, "Chủ tịch"),
            ["TUQ. CHỦ TỊCH", "TRƯỞNG PHÒNG"],
        ),
    ],
)
def test_it_writes_signature_lines_for_each_sign_mode(
    signature: Signature, lines: list[str]
) -> None:
    assert signature.title_lines() == lines
    signed = replace(signature, signer_name="Nguyễn Văn Chuẩn")
    footer = open_docx(make_plan(signature=signed)).tables[-1]
    right = cell_paragraphs(footer, 0, 1)
    assert [p.text for p in right] == [*lines, "Nguyễn Văn Chuẩn"]
    assert all(all_bold(p) and p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in right)
    assert all(run.font.size == Pt(14) for p in right for run in p.runs)
    blank_lines = len(footer.rows[0].cells[1].paragraphs) - len(right)
    assert 3 <= blank_lines <= 4  # room for the signature and the seal


def test_it_rejects_a_prefix_without_the_authority_signed_for() -> None:
    with pytest.raises(ValueError, match="on_behalf_of"):
        Signature("Phó Trưởng ban", "X", SignMode.KT)


def test_it_lists_recipients_and_the_archive_line() -> None:
    footer = open_docx(make_plan()).tables[-1]
    left = cell_paragraphs(footer, 0, 0)
    assert [p.text for p in left] == [
        "Nơi nhận:",
        "- UBND TP (để b/c);",
        "- Sở Khoa học và Công nghệ;",
        "- Các phòng, đơn vị;",
        "- Lưu: VT, VP.",
    ]
    assert all_bold(left[0]) and all_italic(left[0]) and left[0].runs[0].font.size == Pt(12)
    assert all(p.runs[0].font.size == Pt(11) for p in left[1:])
    assert grid_widths(footer) == [twips(66), twips(99)]
    assert footer.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


# --------------------------------------------------------------------------- text


def test_it_stores_vietnamese_text_precomposed() -> None:
    decomposed = unicodedata.normalize("NFD", "Về việc kiện toàn Ban Chỉ đạo ISO")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    document = open_docx(make_decision(subject=decomposed))
    subject = find(body_paragraphs(document), "Về việc kiện toàn Ban Chỉ đạo ISO")
    assert unicodedata.is_normalized("NFC", subject.text)
    xml = document.element.xml
    assert unicodedata.is_normalized("NFC", xml)


def test_it_writes_no_markdown() -> None:
    texts = [p.text for p in open_docx(make_plan()).element.body.iter(qn("w:t"))]
    assert not any("**" in t or t.startswith("#") for t in texts)


def test_it_balances_a_long_agency_name_on_two_lines() -> None:
    assert od.balance_lines("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG") == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HẢI PHÒNG",
    ]
    assert od.balance_lines("SỞ XÂY DỰNG") == ["SỞ XÂY DỰNG"]


# --------------------------------------------------------------------------- measuring text


def test_it_measures_text_with_times_new_roman_widths() -> None:
    # 95.6 mm in bold 13 pt: what the header's right column (99 mm) was sized for.
    assert od.text_width_mm(od.NATIONAL_TITLE, 13, bold=True) == pytest.approx(95.67, abs=0.05)
    assert od.text_width_mm("Ư", 13, bold=True) > od.text_width_mm("U", 13, bold=True)
    assert od.text_width_mm("Ễ", 13, bold=True) == od.text_width_mm("E", 13, bold=True)
    assert od.text_width_mm("TT", 24) == pytest.approx(2 * od.text_width_mm("TT", 12))


def test_it_splits_the_binh_son_name_clear_of_the_national_title() -> None:
    name = "ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN"
    # 30 characters, so a character count let it stand on one line: it measures 84 mm.
    assert len(name) == 30 and od.text_width_mm(name, 13, bold=True) > od.LEFT_COL_MM
    plan = make_plan(
        agency_name="Ủy ban nhân dân huyện Bình Sơn",
        parent_agency_name="Ủy ban nhân dân tỉnh Quảng Ngãi",
    )
    lines = [p.text for p in cell_paragraphs(open_docx(plan).tables[0], 0, 0)]
    assert lines == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "ỦY BAN NHÂN DÂN", "HUYỆN BÌNH SƠN"]
    assert all(od.text_width_mm(line, 13, bold=True) <= od.HEADER_LINE_MM for line in lines)


def test_it_splits_a_very_long_name_into_three_even_lines() -> None:
    lines = od.balance_lines("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH QUẢNG NGÃI")
    assert lines == ["TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG", "TỈNH QUẢNG NGÃI"]
    widths = [od.text_width_mm(line, 13, bold=True) for line in lines]
    assert max(widths) <= od.HEADER_LINE_MM and max(widths) - min(widths) < 10


def test_it_rebalances_a_line_the_caller_broke_when_it_is_still_too_long() -> None:
    plan = make_plan(agency_name="Ban Quản lý\nKhu kinh tế, công nghiệp và công nghệ cao Hải Phòng")
    lines = [p.text for p in cell_paragraphs(open_docx(plan).tables[0], 0, 0)][2:]
    assert lines[0] == "BAN QUẢN LÝ" and len(lines) > 2
    assert all(od.text_width_mm(line, 13, bold=True) <= od.HEADER_LINE_MM for line in lines)


def test_it_gives_each_column_room_for_its_longest_word_date_or_code() -> None:
    columns = [Column("STT", 8), Column("Ngày hiệu lực", 14), Column("Tên tài liệu", 143)]
    rows = [["1", "01/04/2024", "Quy trình kiểm soát tài liệu"]]
    widths = od.column_widths(columns, rows, 11)
    assert sum(widths) == pytest.approx(165)
    assert widths[0] >= od.text_width_mm("STT", 11, bold=True) + od.CELL_MARGINS_MM
    assert widths[1] >= od.text_width_mm("01/04/2024", 11) + od.CELL_MARGINS_MM
    assert widths[2] < 143  # the wide column gives way


def test_it_shares_what_is_left_in_proportion_to_the_preferred_widths() -> None:
    assert od.fit_widths([10, 50, 30], [15, 5, 5]) == pytest.approx([15, 46.875, 28.125])
    assert od.fit_widths([30, 60], [5, 5]) == pytest.approx([30, 60])  # room enough: as asked


def test_it_scales_the_minimums_when_even_they_do_not_fit() -> None:
    assert od.fit_widths([50, 50], [30, 30]) == pytest.approx([50, 50])
    widths = od.fit_widths([10, 10, 80], [40, 40, 40])
    assert sum(widths) == pytest.approx(100) and widths[0] == pytest.approx(widths[2])


# --------------------------------------------------------------------------- control characters


def test_it_drops_characters_xml_forbids() -> None:
    assert od.xml_text("Kế hoạch\x0bnăm\x0c2026\x00\x07\x1f\ufffe\uffff") == "Kế hoạch năm 2026"
    assert od.xml_text("a\tb\nc\rd") == "a\tb\nc\rd"  # legal in XML, kept


def test_it_builds_a_document_with_a_control_character_in_every_text_field() -> None:
    bad = "\x0b\x01\x08\x1b\ufffe"
    doc = make_decision(
        annexes=[(f"Danh mục{bad}", [Table(COLUMNS[:2], [[f"1{bad}", f"QT{bad}"]])])],
        body=[Article(1, f"Điều{bad}"), Paragraph(f"Đoạn{bad}"), Heading(f"Mục{bad}")],
        signature=Signature(f"Trưởng ban{bad}", f"Trần Văn A{bad}"),
    )
    for name, value in vars(doc).items():
        if isinstance(value, str):
            setattr(doc, name, f"{value}{bad}")
        elif isinstance(value, list) and value and isinstance(value[0], str):
            setattr(doc, name, [f"{item}{bad}" for item in value])
    document = docx.Document(io.BytesIO(build_docx(doc)))
    xml = document.element.xml + document.core_properties.title
    assert not any(char in xml for char in bad)
    signature = document.tables[-2].rows[0].cells[1].paragraphs
    assert [p.text.strip() for p in signature if p.text.strip()] == ["TRƯỞNG BAN", "Trần Văn A"]
