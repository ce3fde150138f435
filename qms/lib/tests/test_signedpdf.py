"""The signed copy of an official document: what ``signedpdf.inspect`` tells the page.

Real PDFs signed with pyHanko by a throwaway CA (``qms.lib.selfsigned``); nothing is mocked.
Keys are made once per module.
"""

import asyncio
import concurrent.futures
import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qms.lib import selfsigned, signedpdf
from qms.lib.env import ConfigurationError, env_path
from qms.lib.signedpdf import Modification, SignedCopyReport, Status, Trust, TrustProblem, inspect

# A JPEG's first bytes (SOI, APP0/JFIF) followed by image-like noise.
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) * 8
)


@pytest.fixture(scope="module")
def ca():
    return selfsigned.make_ca()


@pytest.fixture(scope="module")
def other_ca():
    return selfsigned.make_ca("CA khác")


@pytest.fixture(scope="module")
def signed(ca):
    data, ca_pem = selfsigned.sign_pdf(
        selfsigned.minimal_pdf(), "Nguyễn Văn A", "Sở Khoa học và Công nghệ", ca=ca
    )
    return data, ca_pem


def summary_vi(report: SignedCopyReport) -> str:
    with translation.override("vi"):
        return report.summary()


def test_it_shows_the_signer_the_signing_time_and_that_the_copy_is_intact(signed):
    data, ca_pem = signed
    before = datetime.now(UTC)
    report = inspect(data, [ca_pem])
    assert report.status == Status.SIGNED
    assert report.is_pdf and report.has_signature and report.signature_count == 1
    assert report.signer_name == "Nguyễn Văn A"
    assert report.signer_organization == "Sở Khoa học và Công nghệ"
    assert report.issuer_name == selfsigned.CA_NAME
    assert report.signing_time is not None and report.signing_time.tzinfo is not None
    assert before - report.signing_time < timedelta(minutes=5)
    assert report.intact is True
    assert report.modification == Modification.NONE and not report.changed_after_signing
    assert report.revocation_checked is False


def test_it_trusts_a_signature_chaining_to_a_configured_root(signed):
    data, ca_pem = signed
    report = inspect(data, [ca_pem])
    assert report.trust == Trust.TRUSTED and report.trust_problem is None
    assert report.valid
    text = summary_vi(report)
    assert text.startswith("Chữ ký số hợp lệ.")
    assert "Nguyễn Văn A (Sở Khoa học và Công nghệ)" in text
    local = report.signing_time.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert f"lúc {local:%H:%M} ngày {local:%d/%m/%Y}" in text
    assert "Chưa kiểm tra tình trạng thu hồi chứng thư số (CRL/OCSP)." in text


def test_it_does_not_trust_a_signature_from_another_root(signed, other_ca):
    data, _ca_pem = signed
    report = inspect(data, [other_ca.pem])
    assert report.intact is True
    assert report.trust == Trust.UNTRUSTED
    assert report.trust_problem == TrustProblem.NO_CHAIN
    assert not report.valid
    assert "hợp lệ" not in summary_vi(report)


@pytest.mark.parametrize("roots", [None, []])
def test_it_never_says_valid_without_configured_roots(signed, roots):
    data, _ca_pem = signed
    report = inspect(data, roots)
    assert report.intact is True
    assert report.trust == Trust.NO_ROOTS
    assert not report.valid
    text = summary_vi(report)
    assert "hợp lệ" not in text
    assert "chưa được cấu hình tổ chức chứng thực chữ ký số tin cậy" in text


def test_it_ignores_the_machines_own_trust_list(signed):
    """pyHanko falls back to the operating system's CAs when given no roots: never here."""
    data, _ca_pem = signed
    assert inspect(data, [b"not a certificate"]).trust == Trust.NO_ROOTS


@pytest.mark.parametrize("change", ["content", "annotation"])
def test_it_reports_a_copy_changed_after_signing(signed, change):
    data, ca_pem = signed
    altered = selfsigned.append_after_signing(data, change=change)
    assert altered.startswith(data)  # the signed bytes themselves are untouched
    report = inspect(altered, [ca_pem])
    assert report.status == Status.SIGNED
    assert report.intact is True
    assert report.changed_after_signing
    assert report.modification in (Modification.ANNOTATIONS, Modification.OTHER)
    assert not report.valid
    text = summary_vi(report)
    assert "đã bị thay đổi sau khi ký" in text
    assert "hợp lệ" not in text


def test_it_reports_a_signature_that_no_longer_matches_the_bytes(signed):
    data, ca_pem = signed
    forged = data.replace(b"(ISO dien tu", b"(ISO dien tX", 1)
    assert forged != data and len(forged) == len(data)
    report = inspect(forged, [ca_pem])
    assert report.status == Status.SIGNED
    assert report.intact is False
    assert not report.valid
    assert "không còn nguyên vẹn" in summary_vi(report)


def test_it_reports_the_last_of_several_signatures(signed, ca):
    data, ca_pem = signed
    twice, _ = selfsigned.sign_pdf(data, "Trần Thị B", "Ủy ban nhân dân tỉnh", ca=ca)
    report = inspect(twice, [ca_pem])
    assert report.signature_count == 2
    assert report.signer_name == "Trần Thị B"
    assert report.valid
    assert "có 2 chữ ký số" in summary_vi(report)


def test_it_reports_an_expired_signer_certificate(ca):
    now = datetime.now(UTC)
    data, ca_pem = selfsigned.sign_pdf(
        selfsigned.minimal_pdf(),
        ca=ca,
        validity=(now - timedelta(days=800), now - timedelta(days=1)),
    )
    report = inspect(data, [ca_pem])
    assert report.intact is True
    assert report.trust == Trust.UNTRUSTED
    assert report.trust_problem == TrustProblem.EXPIRED
    assert "đã hết hạn" in summary_vi(report)


def test_it_says_a_scan_like_pdf_has_no_digital_signature(signed):
    _data, ca_pem = signed
    report = inspect(selfsigned.minimal_pdf(), [ca_pem])
    assert report.status == Status.UNSIGNED
    assert report.is_pdf and not report.has_signature and report.signature_count == 0
    assert report.trust is None and not report.valid
    assert summary_vi(report) == "Tệp PDF không có chữ ký số."


@pytest.mark.parametrize(
    ("data", "status", "text"),
    [
        (JPEG, Status.NOT_PDF, "Tệp không phải định dạng PDF"),
        (os.urandom(4096), Status.NOT_PDF, "Tệp không phải định dạng PDF"),
        (b"", Status.NOT_PDF, "Tệp không phải định dạng PDF"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 16, Status.UNREADABLE, "bị hỏng"),
    ],
    ids=["jpeg", "garbage", "empty", "broken-pdf"],
)
def test_it_reports_files_it_cannot_check_without_raising(data, status, text, signed):
    _data, ca_pem = signed
    report = inspect(data, [ca_pem])
    assert report.status == status
    assert not report.has_signature and not report.valid
    assert text in summary_vi(report)


def test_it_reports_a_truncated_signed_copy_without_raising(signed):
    data, ca_pem = signed
    report = inspect(data[: len(data) * 2 // 3], [ca_pem])
    assert report.status in (Status.UNREADABLE, Status.UNSIGNED, Status.UNVERIFIABLE, Status.SIGNED)
    assert not report.valid


def space_padded_xref(pdf: bytes) -> bytes:
    """The same PDF with one cross-reference entry space-padded instead of zero-padded: a
    common fault of PDF writers that pyHanko's strict syntax refuses."""
    entry = re.search(rb"\n0+([1-9][0-9]*) 00000 n", pdf)
    assert entry is not None
    padded = b"\n" + entry.group(1).rjust(10) + b" 00000 n"
    return pdf.replace(entry.group(0), padded, 1)


def test_it_reads_a_pdf_with_non_standard_syntax_and_says_so(ca):
    unsigned = space_padded_xref(selfsigned.minimal_pdf())
    report = inspect(unsigned, None)
    assert report.status == Status.UNSIGNED and report.lenient_syntax
    data, ca_pem = selfsigned.sign_pdf(unsigned, ca=ca)
    report = inspect(data, [ca_pem])
    assert report.status == Status.SIGNED and report.intact and report.lenient_syntax
    assert "Cấu trúc tệp PDF không theo chuẩn" in summary_vi(report)
    assert not inspect(selfsigned.sign_pdf(selfsigned.minimal_pdf(), ca=ca)[0], None).lenient_syntax


def test_it_counts_a_signature_in_a_format_it_cannot_verify(signed):
    data, ca_pem = signed
    legacy = re.sub(
        rb"/SubFilter\s*/[A-Za-z0-9.]+",
        lambda m: b"/SubFilter /adbe.x509.rsa_sha1".ljust(len(m.group(0))),
        data,
    )
    assert legacy != data and len(legacy) == len(data)
    report = inspect(legacy, [ca_pem])
    assert report.status == Status.UNVERIFIABLE
    assert report.has_signature and report.signature_count == 1 and not report.valid
    assert summary_vi(report) == "Tệp có chữ ký số nhưng ở định dạng không kiểm tra được."


def test_it_does_not_parse_a_file_above_the_size_limit(signed):
    data, ca_pem = signed
    report = inspect(data, [ca_pem], max_bytes=len(data) - 1)
    assert report.status == Status.TOO_LARGE and report.is_pdf
    assert "quá lớn" in summary_vi(report)
    assert signedpdf.MAX_BYTES >= 20 * 1024 * 1024  # above the default upload limit


def test_it_stops_analysing_after_too_many_updates(signed):
    data, ca_pem = signed
    for _ in range(signedpdf.MAX_REVISIONS_AFTER_SIGNING + 1):
        data = selfsigned.append_after_signing(data)
    report = inspect(data, [ca_pem])
    assert report.modification == Modification.UNCHECKED
    assert report.changed_after_signing and not report.valid


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8))
def test_it_never_raises_on_a_damaged_signed_copy(signed, edits):
    data, ca_pem = signed
    damaged = bytearray(data)
    for position, value in edits:
        damaged[position % len(damaged)] = value
    report = inspect(bytes(damaged), [ca_pem])
    assert report.status in set(Status)
    assert report.summary()


def test_it_works_inside_a_running_event_loop(signed):
    """An async view or a browser test already runs a loop; pyHanko's own must not clash."""
    data, ca_pem = signed

    async def check() -> SignedCopyReport:
        return inspect(data, [ca_pem])

    # In a thread of its own: a browser test earlier in the session may hold this thread's.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, check()).result().valid


def test_it_round_trips_through_json(signed):
    data, ca_pem = signed
    for report in (inspect(data, [ca_pem]), inspect(JPEG, None)):
        stored = json.loads(json.dumps(report.as_dict()))
        assert stored["schema"] == signedpdf.SCHEMA
        assert SignedCopyReport.from_dict(stored) == report


def test_the_summary_follows_the_active_language(signed):
    data, ca_pem = signed
    report = inspect(data, [ca_pem])
    with translation.override("en"):
        assert report.summary().startswith("The digital signature is valid.")
    assert summary_vi(report).startswith("Chữ ký số hợp lệ.")


# --------------------------------------------------------------------------- configuration


@pytest.fixture
def roots_dir(tmp_path, ca, other_ca):
    (tmp_path / "ca.pem").write_bytes(ca.pem)
    (tmp_path / "other.crt").write_bytes(other_ca.pem)
    (tmp_path / "README.txt").write_text("not a certificate")
    return tmp_path


def test_configured_roots_reads_a_directory_of_certificates(roots_dir, signed):
    data, _ca_pem = signed
    with override_settings(QMS_TRUSTED_ROOTS=roots_dir):
        roots = signedpdf.configured_roots()
    assert len(roots) == 2
    assert inspect(data, roots).trust == Trust.TRUSTED


def test_configured_roots_reads_one_pem_file(roots_dir):
    with override_settings(QMS_TRUSTED_ROOTS=roots_dir / "ca.pem"):
        assert len(signedpdf.configured_roots()) == 1


def test_configured_roots_is_empty_when_unset():
    with override_settings(QMS_TRUSTED_ROOTS=None):
        assert signedpdf.configured_roots() == []


def test_configured_roots_fails_loudly_on_a_file_without_certificates(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    broken = tmp_path / "broken.pem"
    broken.write_bytes(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    for path in (empty, broken):
        with pytest.raises(ConfigurationError, match="QMS_TRUSTED_ROOTS"):
            signedpdf.load_roots(path)


def test_env_path_refuses_a_path_that_does_not_exist(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("QMS_TRUSTED_ROOTS", str(tmp_path / "missing.pem"))
    with pytest.raises(ConfigurationError, match="QMS_TRUSTED_ROOTS"):
        env_path("QMS_TRUSTED_ROOTS")
    monkeypatch.setenv("QMS_TRUSTED_ROOTS", str(tmp_path))
    assert env_path("QMS_TRUSTED_ROOTS") == tmp_path
    monkeypatch.setenv("QMS_TRUSTED_ROOTS", "")
    assert env_path("QMS_TRUSTED_ROOTS") is None
