"""The starter set lands in the register as drafts with their generated files, linked forms,
records and legal bases, and can be run again without duplicating anything."""

import datetime as dt
import io

import docx

from qms.documents import starter
from qms.documents.models import Document, Kind, LegalDocument, Revision, RevisionFile
from qms.lib.uploads import DOCX
from qms.organization.models import Unit


def test_it_creates_every_document_as_a_draft_with_its_docx(cast):
    secretary = cast.users["secretary"]
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    created = starter.create_starter_set(cast.a, by=secretary, owner_unit=office)
    assert [d.code for d in created] == [s.code for s in starter.STARTER]
    assert {d.owner_unit_id for d in created} == {office.pk}
    revisions = Revision.objects.filter(document__agency=cast.a)
    assert revisions.count() == len(starter.STARTER)
    assert set(revisions.values_list("status", "revision_no", "drafted_by")) == {
        (Revision.Status.DRAFT, 1, secretary.pk)
    }
    files = RevisionFile.objects.filter(revision__document__agency=cast.a)
    assert files.count() == len(starter.STARTER)
    assert set(files.values_list("content_type", flat=True)) == {DOCX}
    assert all(
        name.endswith(" - lần 01.docx") for name in files.values_list("original_name", flat=True)
    )  # noqa: E501
    kinds = {d.kind for d in created}
    assert kinds == {
        Kind.QUALITY_POLICY,
        Kind.QUALITY_OBJECTIVES,
        Kind.SYSTEM_PROCEDURE,
        Kind.FORM_TEMPLATE,
    }


def test_forms_belong_to_their_procedure_and_procedures_keep_records_and_legal_bases(cast):
    starter.create_starter_set(cast.a, by=cast.users["secretary"], owner_unit=None)
    documents = {d.code: d for d in Document.objects.filter(agency=cast.a)}
    for code, procedure in [
        ("BM.ISO.01.01", "QT.ISO.01"),
        ("BM.ISO.02.01", "QT.ISO.02"),
        ("BM.ISO.02.03", "QT.ISO.02"),
        ("BM.ISO.03.01", "QT.ISO.03"),
        ("BM.ISO.04.02", "QT.ISO.04"),
        ("BM.ISO.05.02", "QT.ISO.05"),
    ]:
        assert documents[code].procedure == documents[procedure]
    for code in ("QT.ISO.01", "QT.ISO.02", "QT.ISO.03", "QT.ISO.04", "QT.ISO.05"):
        procedure = documents[code]
        assert procedure.records.count() >= 3
        assert set(procedure.citations.values_list("legal_document__number", flat=True)) == {
            "19/2014/QĐ-TTg",
            "26/2014/TT-BKHCN",
        }
    qd19 = LegalDocument.objects.get(agency=cast.a, number="19/2014/QĐ-TTg")
    assert (qd19.issued_on, qd19.effective_on, qd19.issuer) == (
        dt.date(2014, 3, 5),
        dt.date(2014, 5, 18),
        "Thủ tướng Chính phủ",
    )
    tt26 = LegalDocument.objects.get(agency=cast.a, number="26/2014/TT-BKHCN")
    assert (tt26.issued_on, tt26.effective_on) == (dt.date(2014, 10, 10), dt.date(2014, 12, 1))


def test_the_procedure_file_holds_the_seven_sections_its_forms_and_records(cast):
    starter.create_starter_set(cast.a, by=cast.users["secretary"], owner_unit=None)
    document = Document.objects.get(agency=cast.a, code="QT.ISO.02")
    stored = document.revisions.get().files.get()
    out = docx.Document(io.BytesIO(stored.file.read()))
    text = "\n".join(p.text for p in out.paragraphs)
    for heading in ("1. MỤC ĐÍCH", "3. TÀI LIỆU VIỆN DẪN", "5. NỘI DUNG", "7. HỒ SƠ CẦN LƯU"):
        assert heading in text
    assert "điều 9.2" in text
    assert "Quyết định số 19/2014/QĐ-TTg" in text
    tables = ["\n".join(c.text for c in t._cells) for t in out.tables]
    assert any("BM.ISO.02.01" in t and "Chương trình đánh giá nội bộ" in t for t in tables)
    assert any("Báo cáo đánh giá nội bộ" in t and "03 năm" in t for t in tables)


def test_it_can_run_again_and_keeps_what_the_agency_already_has(cast):
    secretary = cast.users["secretary"]
    own = Document.objects.create(
        agency=cast.a, kind=Kind.SYSTEM_PROCEDURE, code="QT.ISO.02", title="Đánh giá nội bộ (cũ)"
    )
    LegalDocument.objects.create(
        agency=cast.a,
        doc_type=LegalDocument.Type.DECISION,
        number="19/2014/QĐ-TTg",
        issuer="Thủ tướng Chính phủ",
        title="như cơ quan đã ghi",
    )
    created = starter.create_starter_set(cast.a, by=secretary, owner_unit=None)
    assert "QT.ISO.02" not in {d.code for d in created}
    assert Document.objects.get(agency=cast.a, code="BM.ISO.02.01").procedure == own
    assert LegalDocument.objects.get(agency=cast.a, number="19/2014/QĐ-TTg").title == (
        "như cơ quan đã ghi"
    )
    counts = (Document.objects.count(), Revision.objects.count(), LegalDocument.objects.count())
    assert starter.create_starter_set(cast.a, by=secretary, owner_unit=None) == []
    assert counts == (
        Document.objects.count(),
        Revision.objects.count(),
        LegalDocument.objects.count(),
    )
    assert not Document.objects.filter(agency=cast.b).exists()
