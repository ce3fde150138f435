"""Reading the text of uploaded files: everything Word shows in a DOCX, the text of a PDF,
and "failed" (never an exception) for a file that cannot be read."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile

from qms.documents import extraction
from qms.documents.extraction import UnreadableFileError, read_into, text_of
from qms.documents.models import Document, Kind, Revision, RevisionFile
from qms.documents.tests.sample_files import docx_bytes, encrypted_pdf_bytes, pdf_bytes
from qms.lib.uploads import DOCX, PDF


def test_it_reads_a_docx_body_tables_header_and_footer():
    content = docx_bytes(
        ["Mục đích", "Phạm vi áp dụng"],
        table=[["TT", "Hồ sơ cần lưu"], ["1", "Biên bản đánh giá"]],
        header="Sở Xây dựng — QT-01",
        footer="Lần ban hành: 02",
    )
    text = text_of(io.BytesIO(content), ".docx")
    assert text.splitlines() == [
        "Mục đích",
        "Phạm vi áp dụng",
        "TT",
        "Hồ sơ cần lưu",
        "1",
        "Biên bản đánh giá",
        "Sở Xây dựng — QT-01",
        "Lần ban hành: 02",
    ]


def test_it_reads_a_docx_from_a_path(tmp_path):
    path = tmp_path / "QT-01.docx"
    path.write_bytes(docx_bytes(["Kiểm soát hồ sơ"]))
    assert text_of(path, ".DOCX") == "Kiểm soát hồ sơ"


def test_it_reads_the_text_of_every_pdf_page_with_its_marks():
    content = pdf_bytes("QUY TRÌNH ĐÁNH GIÁ\nNỘI BỘ", "Trang hai: đăng ký")
    assert text_of(io.BytesIO(content), ".pdf").splitlines() == [
        "QUY TRÌNH ĐÁNH GIÁ",
        "NỘI BỘ",
        "Trang hai: đăng ký",
    ]


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_bytes()), "r") as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/media/padding.bin", b"\0" * 2_000_000)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, extension",
    [
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", ".pdf"),
        (encrypted_pdf_bytes("Bí mật"), ".pdf"),
        (b"PK\x03\x04 not really a zip", ".docx"),
        (docx_bytes()[:-200], ".docx"),  # truncated download
        (pdf_bytes("Đúng là PDF"), ".docx"),  # a PDF named .docx
        (docx_bytes(), ".xlsx"),
    ],
)
def test_an_unreadable_file_raises_one_error(content, extension):
    with pytest.raises(UnreadableFileError):
        text_of(io.BytesIO(content), extension)


def test_a_docx_that_inflates_too_far_is_refused(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_INFLATED", 1_000_000)
    with pytest.raises(UnreadableFileError):
        text_of(io.BytesIO(_bomb()), ".docx")


def test_the_text_is_capped(monkeypatch):
    monkeypatch.setattr(extraction, "TEXT_CAP", 10)
    assert text_of(io.BytesIO(docx_bytes(["Quy trình đánh giá"])), ".docx") == "Quy trình "


# --- storing the result ---------------------------------------------------------------


@pytest.fixture
def revision(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = Document.objects.create(
        agency=cast.a, kind=Kind.SYSTEM_PROCEDURE, code="QT-01", title="Quy trình"
    )
    return Revision.objects.create(document=document, revision_no=1)


def stored_file(cast, revision, name, content, content_type=DOCX):
    stored = RevisionFile(
        revision=revision,
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=f"{len(content):064x}",
        uploaded_by=cast.users["secretary"],
    )
    stored.file.save(stored.sha256, ContentFile(content), save=False)
    stored.save()
    return stored


def test_read_into_stores_the_text_and_done(cast, revision):
    stored = stored_file(cast, revision, "Quy trình.docx", docx_bytes(["Đánh giá nội bộ"]))
    assert stored.extraction == RevisionFile.Extraction.PENDING
    assert read_into(stored) == "done"
    stored.refresh_from_db()
    assert (stored.text, stored.extraction) == ("Đánh giá nội bộ", "done")


def test_read_into_a_pdf(cast, revision):
    stored = stored_file(cast, revision, "QT-01.PDF", pdf_bytes("Tiếp nhận hồ sơ"), PDF)
    assert read_into(stored) == "done"
    stored.refresh_from_db()
    assert stored.text == "Tiếp nhận hồ sơ"


@pytest.mark.parametrize(
    "name, content",
    [
        ("hỏng.docx", b"PK\x03\x04 broken"),
        ("hỏng.pdf", b"%PDF-1.7 broken"),
        ("khóa.pdf", encrypted_pdf_bytes("Nội dung")),
    ],
)
def test_read_into_an_unreadable_file_is_failed_and_empty(cast, revision, name, content):
    stored = stored_file(cast, revision, name, content)
    stored.text = "stale text from before"
    stored.save(update_fields=["text"])
    assert read_into(stored) == "failed"
    stored.refresh_from_db()
    assert (stored.text, stored.extraction) == ("", "failed")


def test_read_into_a_file_missing_from_storage_is_failed(cast, revision):
    stored = stored_file(cast, revision, "QT-01.docx", docx_bytes())
    stored.file.storage.delete(stored.file.name)
    assert read_into(stored) == "failed"
