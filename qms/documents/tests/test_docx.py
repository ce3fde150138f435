"""Controlled documents, the register and the set's decision come out as real DOCX/XLSX:
each test reopens the file (python-docx, openpyxl) and reads what a user would see."""

import datetime as dt
import io
import re

import docx
import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import Http404
from django.test import RequestFactory
from docx.oxml.ns import qn
from docx.table import Table
from openpyxl import load_workbook

from qms.documents import docx as dd
from qms.documents import services, starter
from qms.documents.models import (
    Amendment,
    Document,
    Kind,
    LegalDocument,
    RecordToKeep,
)
from qms.lib import downloads
from qms.lib.pdf import PdfUnavailable

D = dt.date


def reopen(content):
    return docx.Document(io.BytesIO(content))


def cells(table):
    """Rows of cell texts, a merged cell once."""
    rows = []
    for row in table.rows:
        seen, texts = set(), []
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                texts.append(cell.text)
        rows.append(texts)
    return rows


def body(document):
    """Body paragraphs and table rows in reading order, as text lines."""
    lines = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if text:
                lines.append(text)
        elif child.tag == qn("w:tbl"):
            lines += [" | ".join(row) for row in cells(Table(child, document))]
    return lines


def header_text(document):
    header = document.sections[0].header
    return "\n".join(
        [p.text for p in header.paragraphs] + [c.text for t in header.tables for c in t._cells]
    )


def make_legal(agency, number, doc_type=LegalDocument.Type.DECREE, **extra):
    fields = {
        "issued_on": D(2020, 3, 5),
        "issuer": "Chính phủ",
        "title": "về công tác văn thư",
        "effective_on": D(2020, 3, 5),
    }
    fields.update(extra)
    return LegalDocument.objects.create(agency=agency, doc_type=doc_type, number=number, **fields)


@pytest.fixture
def procedure(cast):
    """A procedure of agency A with a form, two records, legal bases and an amendment,
    drafted by the secretary, reviewed by the deputy and approved by the head."""
    a, users = cast.a, cast.users
    document = Document.objects.create(
        agency=a,
        kind=Kind.SYSTEM_PROCEDURE,
        code="QT.ISO.01",
        title="Quy trình kiểm soát thông tin dạng văn bản",
    )
    Document.objects.create(
        agency=a,
        kind=Kind.FORM_TEMPLATE,
        code="BM.ISO.01.01",
        title="Phiếu đề nghị sửa đổi tài liệu",
        procedure=document,
    )
    RecordToKeep.objects.create(
        document=document, order=1, name="Phiếu đề nghị", keeper="Thư ký ISO", retention="03 năm"
    )
    RecordToKeep.objects.create(
        document=document, order=2, name="Danh mục tài liệu", keeper="Văn phòng", retention="05 năm"
    )
    services.cite(document, make_legal(a, "30/2020/NĐ-CP"))
    services.cite(
        document,
        make_legal(
            a,
            "61/2020/QH14",
            LegalDocument.Type.LAW,
            issued_on=D(2020, 6, 17),
            issuer="Quốc hội",
            title="Luật Đầu tư",
        ),
    )
    revision = services.new_revision(document, users["secretary"])
    Amendment.objects.create(
        revision=revision,
        order=1,
        request="Cập nhật theo Nghị định mới",
        location="Mục 5.2",
        description="Bổ sung bước rà soát căn cứ pháp lý",
        amendment_no=1,
        amended_on=D(2026, 2, 3),
    )
    starter.attach_docx(revision, reopen_placeholder(), users["secretary"])
    services.submit(revision, users["secretary"])
    services.mark_reviewed(revision, users["deputy"])
    services.approve(revision, users["head"])
    return document, revision


def reopen_placeholder():
    """Any valid DOCX: the revision needs a file before it goes for review."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


SECTIONS = [
    dd.Section("Mục đích", "Quy định cách kiểm soát tài liệu."),
    dd.Section("Phạm vi", "Áp dụng cho mọi phòng."),
    dd.Section("Tài liệu viện dẫn", "- Tiêu chuẩn quốc gia TCVN ISO 9001:2015, điều 7.5;"),
    dd.Section("Định nghĩa và viết tắt", "- HTQLCL: Hệ thống quản lý chất lượng."),
    dd.Section(
        "Nội dung",
        "5.1 Trình tự",
        [dd.Step("Thư ký ISO", "Lập phiếu đề nghị", "BM.ISO.01.01", "01 ngày")],
        "5.2 Lưu ý\n- Rà soát 03 tháng/lần.",
    ),
    dd.Section("Biểu mẫu"),
    dd.Section("Hồ sơ cần lưu"),
]


def test_it_writes_the_control_header_and_names_the_signature_grid(procedure):
    document, revision = procedure
    out = reopen(dd.procedure_docx(document, revision, SECTIONS))
    header = header_text(out)
    for expected in (
        "SỞ XÂY DỰNG TỈNH MỘT",
        "QUY TRÌNH KIỂM SOÁT THÔNG TIN DẠNG VĂN BẢN",
        "Mã hiệu: QT.ISO.01",
        "Lần ban hành: 01",
        "Ngày ban hành: …/…/……",
        "Trang: ",
    ):
        assert expected in header
    grid = cells(out.tables[0])
    assert grid[0][1:] == ["Soạn thảo", "Soát xét", "Phê duyệt"]
    assert grid[1] == ["Họ tên", "Secretary", "Deputy", "Head"]
    assert grid[2] == ["Chức vụ", "Chuyên viên", "Phó Giám đốc", "Giám đốc"]
    assert grid[3][0] == "Chữ ký"


def test_it_prints_amendments_the_seven_sections_references_forms_and_records(procedure, cast):
    document, revision = procedure
    replaced = make_legal(cast.a, "61/2018/NĐ-CP", title="về cơ chế một cửa")
    services.cite(document, replaced)
    services.change_legal_status(replaced, LegalDocument.Status.REPLACED, None, D(2025, 7, 1))
    lines = body(reopen(dd.procedure_docx(document, revision, SECTIONS)))
    assert (
        "Cập nhật theo Nghị định mới | Mục 5.2 | Bổ sung bước rà soát căn cứ pháp lý | 01 | "
        "03/02/2026"
    ) in lines
    headings = [line for line in lines if re.match(r"^\d\. [A-ZĐ]", line)]
    assert headings == [
        "1. MỤC ĐÍCH",
        "2. PHẠM VI",
        "3. TÀI LIỆU VIỆN DẪN",
        "4. ĐỊNH NGHĨA VÀ VIẾT TẮT",
        "5. NỘI DUNG",
        "6. BIỂU MẪU",
        "7. HỒ SƠ CẦN LƯU",
    ]
    references = lines[lines.index("3. TÀI LIỆU VIỆN DẪN") + 1 : lines.index(headings[3])]
    assert references == [
        "- Tiêu chuẩn quốc gia TCVN ISO 9001:2015, điều 7.5;",
        "- Luật Đầu tư số 61/2020/QH14 ngày 17/06/2020;",
        "- Nghị định số 30/2020/NĐ-CP ngày 05/03/2020 của Chính phủ về công tác văn thư.",
    ]  # the replaced decree is no longer a reference
    assert "B1 | Thư ký ISO | Lập phiếu đề nghị | 01 ngày | BM.ISO.01.01" in lines
    assert lines.index("5.2 Lưu ý") > lines.index("5.1 Trình tự")
    assert "1 | Phiếu đề nghị sửa đổi tài liệu | BM.ISO.01.01" in lines
    assert lines[-2:] == [
        "1 | Phiếu đề nghị | Thư ký ISO | 03 năm",
        "2 | Danh mục tài liệu | Văn phòng | 05 năm",
    ]


def test_it_dates_the_header_once_issued_and_keeps_tables_on_a_fixed_grid(procedure):
    document, revision = procedure
    services.issue(revision, D(2026, 3, 5), D(2026, 3, 10))
    out = reopen(dd.procedure_docx(document, revision, dd.standard_sections()))
    assert "Ngày ban hành: 05/03/2026" in header_text(out)
    section = out.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 30
    for table in [*out.tables, *section.header.tables]:
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
        widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.gridCol_lst]
        assert abs(sum(widths) - round(165 / 25.4 * 1440)) <= len(widths)
    # Empty sections: the forms and records come from the register, nothing is invented.
    lines = body(out)
    assert "Quy định cách kiểm soát tài liệu." not in lines
    assert "1 | Phiếu đề nghị sửa đổi tài liệu | BM.ISO.01.01" in lines


def test_it_lays_out_a_form_and_a_policy(cast):
    users = cast.users
    created = starter.create_starter_set(cast.a, by=users["secretary"], owner_unit=None)
    by_code = {d.code: d for d in created}
    form_doc = by_code["BM.ISO.03.01"]
    form_spec = next(s for s in starter.STARTER if s.code == "BM.ISO.03.01")
    out = reopen(dd.form_docx(form_doc, form_doc.revisions.get(), form_spec.form))
    assert "BM.ISO.03.01 – Lần ban hành: 01" in header_text(out)
    lines = body(out)
    assert "PHIẾU YÊU CẦU HÀNH ĐỘNG KHẮC PHỤC" in lines
    assert "3. Nguyên nhân: " in lines
    signatures = cells(out.tables[-1])[0]
    assert signatures[0].startswith("NGƯỜI PHÁT HIỆN\n(Ký, ghi rõ họ tên)")
    assert len(signatures) == 3
    policy = by_code["CS.ISO.01"]
    text = "\n".join(body(reopen(policy.revisions.get().files.get().file.read())))
    assert "Sở Xây dựng Tỉnh Một cam kết xây dựng, áp dụng, duy trì" in text
    assert "{agency}" not in text


def _register_documents(cast):
    """Documents of four kinds, created out of order; one in force."""
    a, users = cast.a, cast.users
    made = {}
    for kind, code, title in [
        (Kind.FORM_TEMPLATE, "BM.01", "Phiếu đề nghị"),
        (Kind.TTHC_PROCEDURE, "QT.DT.01", '=HYPERLINK("http://x")'),
        (Kind.QUALITY_POLICY, "CS.01", "Chính sách chất lượng"),
        (Kind.SYSTEM_PROCEDURE, "QT.ISO.02", "Quy trình đánh giá nội bộ"),
        (Kind.SYSTEM_PROCEDURE, "QT.ISO.01", "Quy trình kiểm soát tài liệu"),
    ]:
        made[code] = Document.objects.create(agency=a, kind=kind, code=code, title=title)
    revision = services.new_revision(made["QT.ISO.01"], users["secretary"])
    starter.attach_docx(revision, reopen_placeholder(), users["secretary"])
    services.submit(revision, users["secretary"])
    services.mark_reviewed(revision, users["deputy"])
    services.approve(revision, users["head"])
    services.issue(revision, D(2026, 1, 5), D(2026, 1, 15))
    return Document.objects.filter(agency=a).select_related("owner_unit", "current_revision")


def test_the_register_docx_groups_documents_by_kind(cast):
    content = dd.register_docx(cast.a, _register_documents(cast), D(2026, 11, 22))
    out = reopen(content)
    lines = body(out)
    assert dd.REGISTER_TITLE in lines
    assert "(Cập nhật đến ngày 22/11/2026)" in lines
    assert any("ngày 22 tháng 11 năm 2026" in line for line in lines)
    rows = cells(out.tables[-1])
    assert rows[0] == [
        "STT",
        "Mã hiệu",
        "Tên tài liệu",
        "Loại",
        "Đơn vị chủ trì",
        "Lần ban hành",
        "Ngày hiệu lực",
        "Tình trạng",
    ]
    assert [r[0] for r in rows[1:]] == [
        "I. CHÍNH SÁCH CHẤT LƯỢNG",
        "1",
        "II. CÁC QUY TRÌNH HỆ THỐNG",
        "1",
        "2",
        "III. CÁC QUY TRÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "1",
        "IV. CÁC BIỂU MẪU",
        "1",
    ]
    assert rows[4] == [
        "1",
        "QT.ISO.01",
        "Quy trình kiểm soát tài liệu",
        "Quy trình hệ thống",
        "",
        "01",
        "15/01/2026",
        "Đang áp dụng",
    ]
    assert rows[5][1:] == [
        "QT.ISO.02",
        "Quy trình đánh giá nội bộ",
        "Quy trình hệ thống",
        "",
        "",
        "",
        "Chưa ban hành",
    ]  # noqa: E501


def test_the_register_xlsx_keeps_dates_and_never_runs_a_title_as_a_formula(cast):
    content = dd.register_xlsx(cast.a, _register_documents(cast), D(2026, 11, 22))
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Mã hiệu", "Tên tài liệu")
    assert [r[1] for r in rows[1:]] == ["CS.01", "QT.ISO.01", "QT.ISO.02", "QT.DT.01", "BM.01"]
    in_force = rows[2]
    assert in_force[5] == 1 and in_force[6].date() == D(2026, 1, 15)
    assert sheet["G3"].number_format == "DD/MM/YYYY"
    formula = sheet["C5"]
    assert formula.value == '=HYPERLINK("http://x")' and formula.data_type == "s"


@pytest.fixture
def document_set(procedure, cast):
    document, revision = procedure
    other = Document.objects.create(
        agency=cast.a, kind=Kind.QUALITY_POLICY, code="CS.ISO.01", title="Chính sách chất lượng"
    )
    second = services.new_revision(other, cast.users["secretary"])
    starter.attach_docx(second, reopen_placeholder(), cast.users["secretary"])
    services.submit(second, cast.users["secretary"])
    services.mark_reviewed(second, cast.users["deputy"])
    services.approve(second, cast.users["head"])
    document_set = services.create_set(
        cast.a,
        title="Bộ tài liệu ISO năm 2026",
        effective_on=None,
        grounds="Căn cứ Quyết định số 19/2014/QĐ-TTg;\nCăn cứ Thông tư số 26/2014/TT-BKHCN",
        proposal="Xét đề nghị của Chánh Văn phòng Sở",
        recipients="Như Điều 3\nSở Khoa học và Công nghệ (để b/c)",
    )
    for each in (revision, second):
        services.add_to_set(document_set, each)
    return document_set


def test_the_draft_decision_leaves_number_and_date_blank_and_annexes_the_list(document_set):
    out = reopen(dd.set_decision_docx(document_set))
    lines = body(out)
    text = "\n".join(lines)
    assert "Số:      /QĐ-SXD" in text
    assert "ngày      tháng      năm" in text
    assert (
        "Về việc ban hành Bộ tài liệu Hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia "
        "TCVN ISO 9001:2015 của Sở Xây dựng Tỉnh Một"
    ) in lines
    assert "Căn cứ Quyết định số 19/2014/QĐ-TTg;" in lines
    assert "Căn cứ Thông tư số 26/2014/TT-BKHCN;" in lines
    assert "Xét đề nghị của Chánh Văn phòng Sở." in lines
    assert any(
        line.startswith("Điều 1. Ban hành kèm theo") and "gồm 02 tài liệu" in line for line in lines
    )  # noqa: E501
    assert "Điều 2. Quyết định này có hiệu lực kể từ ngày ký." in lines
    assert any(line.startswith("Điều 3. ") for line in lines)
    annex = cells(out.tables[-1])
    assert annex == [
        ["STT", "Mã hiệu", "Tên tài liệu", "Lần ban hành"],
        ["1", "CS.ISO.01", "Chính sách chất lượng", "01"],
        ["2", "QT.ISO.01", "Quy trình kiểm soát thông tin dạng văn bản", "01"],
    ]
    assert "DANH MỤC TÀI LIỆU" in lines


def test_the_issued_decision_carries_number_date_effect_and_signer(document_set, cast):
    from qms.paperwork import services as paperwork

    paperwork.save_draft(
        document_set.paper,
        signer_name="Nguyễn Văn Phó",
        signer_position="Phó Giám đốc",
        sign_form="kt",
    )
    document_set.effective_on = D(2026, 3, 15)
    document_set.save()
    document_set.revisions.update(approved_on=D(2026, 3, 1))
    draft = body(reopen(dd.set_decision_docx(document_set)))
    services.issue_set(document_set, number=7, signed_on=D(2026, 3, 5), by=cast.users["head"])
    document_set = type(document_set).objects.get(pk=document_set.pk)
    lines = body(reopen(dd.set_decision_docx(document_set)))
    text = "\n".join(lines)
    # What was printed for signing is what is issued, but for the number and the date.
    changed = [(a, b) for a, b in zip(draft, lines, strict=True) if a != b]
    assert changed == [
        (
            "Số:      /QĐ-SXD | Tỉnh Một, ngày      tháng      năm       ",
            "Số: 07/QĐ-SXD | Tỉnh Một, ngày 05 tháng 3 năm 2026",
        ),
        (
            "(Kèm theo Quyết định số      /QĐ-SXD ngày      tháng      năm        của Sở Xây "
            "dựng Tỉnh Một)",
            "(Kèm theo Quyết định số 07/QĐ-SXD ngày 05 tháng 3 năm 2026 của Sở Xây dựng Tỉnh Một)",
        ),
    ]
    assert "Số: 07/QĐ-SXD" in text
    assert "ngày 05 tháng 3 năm 2026" in text
    assert "Điều 2. Quyết định này có hiệu lực kể từ ngày 15/03/2026." in lines
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Nguyễn Văn Phó" in text


def _request():
    request = RequestFactory().get("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_the_downloads_answer_docx_xlsx_and_explain_a_missing_pdf(document_set, cast, monkeypatch):
    response = dd.set_decision_response(_request(), document_set, "docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "du-thao" in response["Content-Disposition"]

    def unavailable(_content):
        raise PdfUnavailable("no soffice")

    # The machine's LibreOffice is taken away; the page explains instead of failing.
    monkeypatch.setattr(downloads, "docx_to_pdf", unavailable)
    request = _request()
    response = dd.set_decision_response(request, document_set, "pdf")
    assert response.status_code == 302 and response.url == document_set.get_absolute_url()
    assert len(list(get_messages(request))) == 1
    documents = Document.objects.filter(agency=cast.a)
    response = dd.register_response(_request(), cast.a, documents, "xlsx")
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    with pytest.raises(Http404):
        dd.register_response(_request(), cast.a, documents, "csv")
