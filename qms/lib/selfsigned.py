"""Throwaway digital signatures for tests and demo data — never for a real document.

``make_ca()`` creates a certificate authority that exists only in memory; ``sign_pdf()``
issues a signer certificate from it (common name and organisation as on a Vietnamese
agency's certificate) and signs a PDF with pyHanko; ``append_after_signing()`` alters a
signed PDF the way a forger or a careless editor would, by an incremental update after the
signature.  ``minimal_pdf()`` makes a one-page PDF in code, so nothing depends on files.

Imports no Django code and no qms app.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

__all__ = [
    "DEFAULT_ORG",
    "DEFAULT_SIGNER",
    "ThrowawayCA",
    "append_after_signing",
    "make_ca",
    "minimal_pdf",
    "sign_pdf",
]

_T = TypeVar("_T")
DEFAULT_SIGNER = "Nguyễn Văn A"
DEFAULT_ORG = "Sở Khoa học và Công nghệ"
CA_NAME = "CA thử nghiệm ISO điện tử (không dùng thật)"
A4 = (0, 0, 595, 842)


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signer,
        content_commitment=signer,  # non-repudiation: what a document signature asserts
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass(frozen=True)
class ThrowawayCA:
    """An in-memory certificate authority; its certificate is what a test trusts."""

    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def issue(
        self,
        common_name: str,
        organization: str,
        validity: tuple[datetime, datetime] | None = None,
    ) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        """A signer key and certificate, valid from yesterday for two years unless
        ``validity`` (not before, not after) says otherwise."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        not_before, not_after = validity or (now - timedelta(days=1), now + timedelta(days=730))
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name, organization))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(signer=True), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        return key, cert


def make_ca(name: str = CA_NAME) -> ThrowawayCA:
    """A fresh self-signed CA (EC P-256: milliseconds, so tests can make several)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(name, "ISO điện tử")
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(signer=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return ThrowawayCA(key=key, cert=cert)


def minimal_pdf(text: str = "ISO dien tu - van ban thu") -> bytes:
    """A valid one-page A4 PDF showing ``text`` (ASCII: the standard Helvetica font has no
    Vietnamese glyphs).  A classic cross-reference table, as LibreOffice writes."""
    writer = PdfFileWriter(stream_xrefs=False)
    font = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type1"),
            pdf_name("/BaseFont"): pdf_name("/Helvetica"),
        }
    )
    resources = generic.DictionaryObject(
        {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): writer.add_object(font)})}
    )
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = generic.StreamObject(
        stream_data=f"BT /F1 16 Tf 72 760 Td ({escaped}) Tj ET".encode("latin-1", "replace")
    )
    writer.insert_page(PageObject(writer.add_object(content), A4, resources))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign_pdf(
    pdf_bytes: bytes,
    signer_name: str = DEFAULT_SIGNER,
    org: str = DEFAULT_ORG,
    *,
    ca: ThrowawayCA | None = None,
    validity: tuple[datetime, datetime] | None = None,
) -> tuple[bytes, bytes]:
    """Sign ``pdf_bytes`` as ``signer_name`` of ``org``; return the signed PDF and the PEM of
    the CA that issued the signer's certificate (what a verifier must trust).

    Pass ``ca`` to reuse one authority across calls (tests: one per module); by default a
    fresh one is made.  ``validity`` bounds the signer's certificate (e.g. already expired)."""
    return _outside_event_loop(_sign, pdf_bytes, signer_name, org, ca or make_ca(), validity)


def _outside_event_loop(function: Callable[..., _T], *args: Any) -> _T:
    """pyHanko's synchronous signer runs an event loop of its own: from a thread that
    already runs one (a browser test driving Playwright), sign in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def _sign(
    pdf_bytes: bytes,
    signer_name: str,
    org: str,
    ca: ThrowawayCA,
    validity: tuple[datetime, datetime] | None,
) -> tuple[bytes, bytes]:
    key, cert = ca.issue(signer_name, org, validity)
    signer = signers.SimpleSigner(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=SimpleCertificateStore.from_certs(
            [translate_pyca_cryptography_cert_to_asn1(ca.cert)]
        ),
    )
    # Relaxed syntax: signing software signs whatever PDF an office program wrote.
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    # A new field per signature: signing an already signed file adds a second signature.
    field = f"ChuKySo{len(writer.prev.embedded_signatures) + 1}"
    meta = signers.PdfSignatureMetadata(field_name=field, name=signer_name)
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue(), ca.pem


def append_after_signing(
    signed_bytes: bytes, *, change: Literal["content", "annotation"] = "content"
) -> bytes:
    """The same PDF with an incremental update after its signature: the bytes the signature
    covers stay untouched, but what a reader sees has changed.

    ``content`` adds a line of text to the first page; ``annotation`` adds a note on it."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_bytes))
    if change == "content":
        stream = generic.StreamObject(
            stream_data=b"BT /F1 16 Tf 72 700 Td (Da sua sau khi ky) Tj ET"
        )
        writer.add_stream_to_page(0, writer.add_object(stream))
    else:
        page_ref, _resources = writer.find_page_for_modification(0)
        note = generic.DictionaryObject(
            {
                pdf_name("/Type"): pdf_name("/Annot"),
                pdf_name("/Subtype"): pdf_name("/Text"),
                pdf_name("/Rect"): generic.ArrayObject(
                    generic.NumberObject(v) for v in (72, 680, 92, 700)
                ),
                pdf_name("/Contents"): generic.TextStringObject("Đã sửa sau khi ký"),
            }
        )
        writer.register_annotation(page_ref, writer.add_object(note))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
