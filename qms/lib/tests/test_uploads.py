"""Uploads: a hostile Office file is refused quickly and in Vietnamese, without unpacking it;
a real one passes; the size limit is the setting QMS_MAX_UPLOAD_MB."""

import io
import random
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation
from docx import Document as Docx
from openpyxl import Workbook

from qms.lib.uploads import (
    EVIDENCE_FILES,
    OFFICE_FILES,
    ArchiveTooLarge,
    check_upload,
    unpacked_size,
    with_size_limit,
)

MB = 1024 * 1024
GB = 1024 * MB


def docx_bytes(text="Quy trình đánh giá nội bộ"):
    document = Docx()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes():
    book = Workbook()
    book.active.append(["STT", "Nội dung"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_member(content, name, chunks, chunk=b"\0" * MB, copies=1, **info):
    """`content` (a zip) with one more member made of `chunks` × `chunk`, written in
    streaming; `copies` > 1 lists that member that many times in the central directory, all
    pointing at the same packed data (the way a small file unpacks to gigabytes)."""
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a", compresslevel=9) as archive:
        member = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        member.compress_type = info.get("compress_type", zipfile.ZIP_DEFLATED)
        with archive.open(member, "w") as stream:
            for _ in range(chunks):
                stream.write(chunk)
        archive.filelist.extend([archive.getinfo(name)] * (copies - 1))
    return buffer.getvalue()


def refused(content, name="QT-02.docx", accepted=OFFICE_FILES):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile(name, content), accepted)
    return " ".join(error.value.messages)


def test_a_240_kb_docx_that_unpacks_to_gigabytes_is_refused_at_once():
    # A real Word file plus a 200 MB run of zeros listed 25 times: 5 GB once unpacked.
    bomb = with_member(docx_bytes(), "word/media/image1.bmp", chunks=200, copies=25)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(info.file_size for info in archive.infolist()) > 5 * 10**9
    assert len(bomb) < 300 * 1024
    started = time.process_time()
    message = refused(bomb)
    # Unpacking all of it took 16 s of CPU in the attack; stopping early takes a fraction.
    assert time.process_time() - started < 1
    assert message == "Tệp có dung lượng bất thường khi giải nén nên không được chấp nhận."


def test_one_member_packed_too_tightly_is_refused_before_the_total_limit():
    # 60 MB of zeros packs ~1,000 to 1: below the 200 MB total, above the ratio limit.
    bomb = with_member(docx_bytes(), "word/media/image1.bmp", chunks=60)
    with pytest.raises(ArchiveTooLarge):
        unpacked_size(io.BytesIO(bomb))
    assert "bất thường" in refused(bomb)


def test_the_total_limit_counts_the_bytes_really_unpacked_not_the_declared_sizes():
    # Barely compressible data, 2 MB: refused under a 1 MB limit, whatever sizes are declared.
    noise = random.Random(7).randbytes(MB)
    content = with_member(docx_bytes(), "word/media/scan.bin", chunks=2, chunk=noise)
    assert unpacked_size(io.BytesIO(content)) > 2 * MB
    with pytest.raises(ArchiveTooLarge):
        unpacked_size(io.BytesIO(content), max_inflated=MB)


def test_too_many_members_are_refused_before_the_directory_is_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for n in range(100):
            archive.writestr(f"word/part{n}.xml", "")
    with pytest.raises(ArchiveTooLarge):
        unpacked_size(io.BytesIO(buffer.getvalue()), max_members=50)
    assert unpacked_size(io.BytesIO(buffer.getvalue()), max_members=101) == len("<w:document/>")


def test_a_compression_method_office_never_uses_is_refused_unread():
    # bzip2 packs zeros about a million to one: Word and Excel only store or deflate.
    content = with_member(
        docx_bytes(), "word/media/x.bin", chunks=1, compress_type=zipfile.ZIP_BZIP2
    )
    assert refused(content) == "Tệp bị hỏng hoặc không phải là tệp Office hợp lệ."


def test_a_member_whose_checksum_does_not_match_is_damaged():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", "<w:document>Quy trình</w:document>")
    damaged = buffer.getvalue().replace(b"Quy", b"Qux", 1)
    assert refused(damaged) == "Tệp bị hỏng hoặc không phải là tệp Office hợp lệ."


def test_real_office_files_pass_with_their_hash():
    checked = check_upload(SimpleUploadedFile("QT-02.docx", docx_bytes()), OFFICE_FILES)
    assert checked.extension == ".docx" and len(checked.sha256) == 64
    sheet = check_upload(SimpleUploadedFile("Số liệu.xlsx", xlsx_bytes()), EVIDENCE_FILES)
    assert sheet.content_type.endswith("spreadsheetml.sheet")


def test_a_zip_that_is_not_a_word_file_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "không phải Word")
    assert refused(buffer.getvalue()) == "Tệp bị hỏng hoặc không phải là tệp Office hợp lệ."


@override_settings(QMS_MAX_UPLOAD_MB=1)
def test_the_size_limit_is_the_setting_and_the_message_names_it():
    big = b"%PDF" + b"0" * MB
    assert refused(big, "Biên bản.pdf") == "Tệp có dung lượng lớn hơn 1 MB."
    with translation.override("vi"):
        label = with_size_limit("Tệp tài liệu (DOCX hoặc PDF, tối đa %(size)s MB)")
        assert str(label) == "Tệp tài liệu (DOCX hoặc PDF, tối đa 1 MB)"


def test_the_default_limit_is_20_mb():
    big = b"%PDF" + b"0" * (20 * MB)
    assert refused(big, "Biên bản.pdf") == "Tệp có dung lượng lớn hơn 20 MB."
    check_upload(SimpleUploadedFile("Biên bản.pdf", b"%PDF" + b"0" * (19 * MB)), OFFICE_FILES)
