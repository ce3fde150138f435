"""What the signed copy of an official document proves: ``inspect(data, trust_roots)``.

The signed copy attached to a decision, plan, report or minutes is either a scan (PDF,
JPEG) or a digitally signed PDF.  ``inspect`` tells which, and for a signed PDF: who signed
(common name and organisation of the signing certificate), when the signature says it was
signed, whether the signed bytes are intact, whether the file was changed after signing
(pyHanko's coverage and difference analysis: an incremental update that adds content is a
change), and whether the signer's certificate chains to a root the operator trusts.

Rules kept here:

* Never fetch: no OCSP, no CRL, no AIA download (this server and many agency servers have no
  internet).  Revocation is soft-fail and the report says it was not checked.
* With no trust roots configured the answer is ``no_roots``, never "valid".  The operating
  system's TLS trust list is never used (pyHanko falls back to it when given no roots).
* Never raise on bad input: garbage, a JPEG, a damaged or password-protected PDF, a huge
  file each give a report saying so.  Work is bounded: files above ``MAX_BYTES`` are not
  parsed, and the difference analysis stops past ``MAX_REVISIONS_AFTER_SIGNING``.
* Only the last signature is checked (the one that should cover the whole file); the report
  counts all of them.

The report is a frozen dataclass stored as JSON by the caller (``as_dict``/``from_dict``);
its ``summary()`` is written at display time in the user's language.  This module imports no
qms app; the operator's roots come from the one setting ``QMS_TRUSTED_ROOTS`` through
``configured_roots()``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import io
import logging
from collections.abc import Coroutine, Iterable
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import x509 as asn1_x509
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.crypt.api import AuthStatus
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESSubIndic
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from qms.lib.env import ConfigurationError

__all__ = [
    "MAX_BYTES",
    "MAX_REVISIONS_AFTER_SIGNING",
    "Modification",
    "SignedCopyReport",
    "Status",
    "Trust",
    "TrustProblem",
    "configured_roots",
    "inspect",
    "load_roots",
]

logger = logging.getLogger(__name__)

SCHEMA = 1
# Well above the upload limit (QMS_MAX_UPLOAD_MB, 20 MB by default): anything larger is not
# parsed at all.  Hashing 100 MB takes well under a second.
MAX_BYTES = 100 * 1024 * 1024
# A legitimately signed file has at most a few updates after its last signature (validation
# data, document timestamps); past this the difference analysis is skipped, not run.
MAX_REVISIONS_AFTER_SIGNING = 10
# A signer certificate may carry either: agencies' certificates usually carry both.
_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})
_ROOT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


class Status(StrEnum):
    NOT_PDF = "not_pdf"  # an image, an Office file, garbage: nothing to verify
    TOO_LARGE = "too_large"  # a PDF above MAX_BYTES: not parsed
    UNREADABLE = "unreadable"  # looks like a PDF, but damaged or password-protected
    UNSIGNED = "unsigned"  # a PDF without a digital signature (typically a scan)
    UNVERIFIABLE = "unverifiable"  # a signature in a form that cannot be verified
    SIGNED = "signed"  # a signature was verified: see the other fields


class Trust(StrEnum):
    TRUSTED = "trusted"  # chains to one of the configured roots
    UNTRUSTED = "untrusted"  # roots configured, no valid chain to any of them
    NO_ROOTS = "no_roots"  # no roots configured: the signer cannot be confirmed


class TrustProblem(StrEnum):
    NO_CHAIN = "no_chain"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    OTHER = "other"


class Modification(StrEnum):
    """What happened to the file after the checked signature (pyHanko's levels)."""

    NONE = "none"  # signature covers the file, or only validation data was added
    FORM_FILLING = "form_filling"
    ANNOTATIONS = "annotations"
    OTHER = "other"  # any other change, or a coverage that is not a whole revision
    UNCHECKED = "unchecked"  # too many updates to analyse: counts as changed


_PROBLEMS: dict[AdESSubIndic, TrustProblem] = {
    AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND: TrustProblem.NO_CHAIN,
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE: TrustProblem.EXPIRED,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED: TrustProblem.EXPIRED,
    AdESIndeterminate.EXPIRED: TrustProblem.EXPIRED,
    AdESFailure.NOT_YET_VALID: TrustProblem.NOT_YET_VALID,
    AdESIndeterminate.NOT_YET_VALID: TrustProblem.NOT_YET_VALID,
    AdESFailure.REVOKED: TrustProblem.REVOKED,
    AdESIndeterminate.REVOKED_NO_POE: TrustProblem.REVOKED,
    AdESIndeterminate.REVOKED_CA_NO_POE: TrustProblem.REVOKED,
}
_LEVELS = {
    ModificationLevel.NONE: Modification.NONE,
    ModificationLevel.LTA_UPDATES: Modification.NONE,
    ModificationLevel.FORM_FILLING: Modification.FORM_FILLING,
    ModificationLevel.ANNOTATIONS: Modification.ANNOTATIONS,
}
_ENUMS: dict[str, type[StrEnum]] = {
    "status": Status,
    "modification": Modification,
    "trust": Trust,
    "trust_problem": TrustProblem,
}


@dataclass(frozen=True)
class SignedCopyReport:
    status: Status
    is_pdf: bool = False
    signature_count: int = 0  # /Sig signatures; document timestamps are not counted
    signer_name: str = ""  # common name of the signing certificate
    signer_organization: str = ""
    issuer_name: str = ""  # the certificate authority that issued it
    signing_time: datetime | None = None  # as the signature claims it (aware)
    intact: bool | None = None  # signed bytes unchanged and the signature itself valid
    modification: Modification | None = None
    trust: Trust | None = None
    trust_problem: TrustProblem | None = None
    revocation_checked: bool = False  # never: no fetching (see the module docstring)
    lenient_syntax: bool = False  # read only after relaxing pyHanko's strict PDF syntax
    checked_at: datetime | None = None

    @property
    def has_signature(self) -> bool:
        return self.status in (Status.SIGNED, Status.UNVERIFIABLE)

    @property
    def changed_after_signing(self) -> bool:
        return self.modification not in (None, Modification.NONE)

    @property
    def valid(self) -> bool:
        """Intact, unchanged since signing, and chaining to a configured root."""
        return (
            self.status == Status.SIGNED
            and bool(self.intact)
            and not self.changed_after_signing
            and self.trust == Trust.TRUSTED
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("signing_time", "checked_at"):
            data[key] = data[key].isoformat() if data[key] else None
        for key in _ENUMS:
            data[key] = str(data[key]) if data[key] is not None else None
        return {"schema": SCHEMA, **data}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SignedCopyReport:
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        for key, enum in _ENUMS.items():
            if values.get(key) is not None:
                values[key] = enum(values[key])
        for key in ("signing_time", "checked_at"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        return cls(**values)

    def summary(self) -> str:
        """One paragraph for the page, in the active language."""
        if not self.has_signature:
            return _NO_SIGNATURE_TEXT[self.status]()
        if self.status == Status.UNVERIFIABLE:
            return " ".join([*self._signer_sentence(), _unverifiable_text()])
        parts = [_("The digital signature is valid.")] if self.valid else []
        parts += self._signer_sentence()
        parts.append(self._integrity_sentence())
        parts.append(self._trust_sentence())
        if self.signature_count > 1:
            parts.append(
                ngettext(
                    "The file carries %(count)d digital signature; the last one was checked.",
                    "The file carries %(count)d digital signatures; the last one was checked.",
                    self.signature_count,
                )
                % {"count": self.signature_count}
            )
        parts.append(_("Revocation of the certificate (CRL/OCSP) was not checked."))
        if self.lenient_syntax:
            parts.append(_("The PDF structure is not standard; treat this result with caution."))
        return " ".join(parts)

    def _signer_sentence(self) -> list[str]:
        if not self.signer_name:
            return []
        signer = self.signer_name
        if self.signer_organization:
            signer = f"{signer} ({self.signer_organization})"
        if self.signing_time is None:
            return [_("Digitally signed by %(signer)s.") % {"signer": signer}]
        local = timezone.localtime(self.signing_time)
        return [
            _("Digitally signed by %(signer)s at %(time)s on %(date)s.")
            % {"signer": signer, "time": f"{local:%H:%M}", "date": f"{local:%d/%m/%Y}"}
        ]

    def _integrity_sentence(self) -> str:
        if not self.intact:
            return _("The signature is broken: the signed content no longer matches it.")
        if self.changed_after_signing:
            change = _CHANGE_TEXT[self.modification or Modification.OTHER]()
            return _(
                "The signed content is intact, but the file was changed after signing (%(change)s)."
            ) % {"change": change}
        return _("The signed content is intact and the file has not been changed since signing.")

    def _trust_sentence(self) -> str:
        if self.trust == Trust.TRUSTED:
            return _("The signer's certificate chains to a trusted certificate authority.")
        if self.trust == Trust.NO_ROOTS:
            return _(
                "No trusted certificate authority is configured, so the signer's certificate "
                "could not be confirmed."
            )
        return _PROBLEM_TEXT[self.trust_problem or TrustProblem.NO_CHAIN]()


def _unverifiable_text() -> str:
    return _("The file carries a digital signature in a form that cannot be verified.")


_NO_SIGNATURE_TEXT = {
    Status.NOT_PDF: lambda: _("The file is not a PDF, so it carries no digital signature."),
    Status.TOO_LARGE: lambda: _("The file is too large for its digital signature to be checked."),
    Status.UNREADABLE: lambda: _(
        "The PDF file is damaged or protected by a password; its digital signature cannot be "
        "checked."
    ),
    Status.UNSIGNED: lambda: _("The PDF file carries no digital signature."),
}
_CHANGE_TEXT = {
    Modification.FORM_FILLING: lambda: _("form fields filled in"),
    Modification.ANNOTATIONS: lambda: _("annotations added"),
    Modification.OTHER: lambda: _("content changed"),
    Modification.UNCHECKED: lambda: _("too many changes to analyse"),
}
_PROBLEM_TEXT = {
    TrustProblem.NO_CHAIN: lambda: _(
        "The signer's certificate does not chain to any trusted certificate authority."
    ),
    TrustProblem.EXPIRED: lambda: _("The signer's certificate had expired when it was checked."),
    TrustProblem.NOT_YET_VALID: lambda: _(
        "The signer's certificate was not yet valid when it was checked."
    ),
    TrustProblem.REVOKED: lambda: _("The signer's certificate has been revoked."),
    TrustProblem.OTHER: lambda: _(
        "The signer's certificate could not be validated against the trusted certificate "
        "authorities."
    ),
}


# --------------------------------------------------------------------------- trust roots


def load_roots(path: str | Path) -> tuple[bytes, ...]:
    """DER certificates from a PEM/DER file or every .pem/.crt/.cer/.der in a directory.

    Fails loudly (ConfigurationError) on an unreadable file or when nothing is found."""
    path = Path(path)
    files = (
        sorted(p for p in path.iterdir() if p.suffix.lower() in _ROOT_SUFFIXES)
        if path.is_dir()
        else [path]
    )
    roots: list[bytes] = []
    for file in files:
        try:
            roots.extend(cert.dump() for cert in load_certs_from_pemder_data(file.read_bytes()))
        except (OSError, ValueError) as exc:
            raise ConfigurationError(f"QMS_TRUSTED_ROOTS: cannot read {file}: {exc}") from exc
    if not roots:
        raise ConfigurationError(f"QMS_TRUSTED_ROOTS: no certificate found in {path}")
    return tuple(roots)


@functools.cache
def _cached_roots(path: str) -> tuple[bytes, ...]:
    return load_roots(path)


def configured_roots() -> list[bytes]:
    """The operator's trust roots (setting ``QMS_TRUSTED_ROOTS``), read once per path."""
    from django.conf import settings

    path = getattr(settings, "QMS_TRUSTED_ROOTS", None)
    return list(_cached_roots(str(path))) if path else []


def _parse_roots(trust_roots: Iterable[bytes] | None) -> list[asn1_x509.Certificate]:
    certs: list[asn1_x509.Certificate] = []
    for blob in trust_roots or ():
        try:
            certs.extend(load_certs_from_pemder_data(blob))
        except ValueError:
            logger.warning("Ignoring a trust root that is not a certificate")
    return certs


# --------------------------------------------------------------------------- inspection


def inspect(
    data: bytes, trust_roots: list[bytes] | None, *, max_bytes: int = MAX_BYTES
) -> SignedCopyReport:
    """Report on ``data`` (the uploaded file).  ``trust_roots``: PEM or DER certificates;
    ``None`` or empty means none configured.  Never raises on bad input."""
    now = datetime.now(UTC)
    is_pdf = b"%PDF-" in data[:1024]
    if not is_pdf:
        return SignedCopyReport(Status.NOT_PDF, checked_at=now)
    if len(data) > max_bytes:
        return SignedCopyReport(Status.TOO_LARGE, is_pdf=True, checked_at=now)
    try:
        return _inspect_pdf(data, _parse_roots(trust_roots), now)
    except Exception:  # a hostile or broken file must never break the page
        logger.warning("Could not inspect a PDF's signature", exc_info=True)
        return SignedCopyReport(Status.UNREADABLE, is_pdf=True, checked_at=now)


def _inspect_pdf(
    data: bytes, roots: list[asn1_x509.Certificate], now: datetime
) -> SignedCopyReport:
    opened = _open(data)
    if opened is None:
        return SignedCopyReport(Status.UNREADABLE, is_pdf=True, checked_at=now)
    reader, lenient = opened
    # pyHanko lists only the signatures it can verify (it skips legacy formats such as
    # adbe.x509.rsa_sha1); the filled signature fields count every one.
    signatures = reader.embedded_regular_signatures
    count = max(len(signatures), _filled_signature_fields(reader))
    base = SignedCopyReport(
        Status.UNSIGNED,
        is_pdf=True,
        signature_count=count,
        lenient_syntax=lenient,
        checked_at=now,
    )
    if not count:
        return base
    if not signatures:
        return replace(base, status=Status.UNVERIFIABLE)
    return _check_signature(reader, signatures[-1], roots, base)


def _filled_signature_fields(reader: PdfFileReader) -> int:
    values = (value.get_object() for _name, value, _field in enumerate_sig_fields(reader, True))
    return sum(1 for value in values if value.get("/Type", "/Sig") == "/Sig")


def _open(data: bytes) -> tuple[PdfFileReader, bool] | None:
    """A reader with its signatures listed: strict PDF syntax first, then relaxed (hybrid
    cross-reference tables, space-padded entries and other faults most readers accept)."""
    for strict in (True, False):
        try:
            reader = PdfFileReader(io.BytesIO(data), strict=strict)
            if reader.encrypted and reader.decrypt(b"").status == AuthStatus.FAILED:
                return None  # needs a password: nothing more can be read
            if strict and reader.xrefs.hybrid_xrefs_present:
                continue  # pyHanko refuses to validate these in strict mode
            reader.embedded_signatures  # noqa: B018 - parses the signature fields now
            return reader, not strict
        except Exception:  # noqa: S112 - any parse error: try relaxed syntax, then give up
            continue
    return None


def _check_signature(
    reader: PdfFileReader,
    signature: EmbeddedPdfSignature,
    roots: list[asn1_x509.Certificate],
    base: SignedCopyReport,
) -> SignedCopyReport:
    signer = _signer_fields(signature)
    revisions_after = reader.xrefs.total_revisions - 1 - signature.signed_revision
    context = ValidationContext(
        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
    )
    try:
        status = _run(
            async_validate_pdf_signature(
                signature,
                signer_validation_context=context,
                key_usage_settings=_KEY_USAGE,
                skip_diff=revisions_after > MAX_REVISIONS_AFTER_SIGNING,
            )
        )
    except Exception:  # an unsupported SubFilter, a malformed CMS object, …
        logger.info("Signature could not be verified", exc_info=True)
        return replace(base, status=Status.UNVERIFIABLE, **signer)
    trust, problem = _trust(status, bool(roots))
    return replace(
        base,
        status=Status.SIGNED,
        **signer,
        signing_time=status.signer_reported_dt,
        intact=status.intact and status.valid,
        modification=_modification(status, revisions_after),
        trust=trust,
        trust_problem=problem,
    )


def _signer_fields(signature: EmbeddedPdfSignature) -> dict[str, Any]:
    try:
        cert = signature.signer_cert
        subject, issuer = cert.subject.native, cert.issuer.native
    except Exception:  # no usable certificate in the signature: leave the names empty
        return {}
    return {
        "signer_name": _first(subject.get("common_name")) or cert.subject.human_friendly,
        "signer_organization": _first(subject.get("organization_name")),
        "issuer_name": _first(issuer.get("common_name")) or cert.issuer.human_friendly,
    }


def _first(value: Any) -> str:
    """Name attributes may repeat (a list); keep the first, as text."""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "")


def _trust(status: PdfSignatureStatus, have_roots: bool) -> tuple[Trust, TrustProblem | None]:
    if not have_roots:
        return Trust.NO_ROOTS, None
    problem = status.trust_problem_indic
    if status.validation_path is not None and problem is None:
        return Trust.TRUSTED, None
    if problem is None:  # no chain, yet no reason given
        return Trust.UNTRUSTED, TrustProblem.OTHER
    return Trust.UNTRUSTED, _PROBLEMS.get(problem, TrustProblem.OTHER)


def _modification(status: PdfSignatureStatus, revisions_after: int) -> Modification:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return Modification.NONE
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return Modification.OTHER
    if revisions_after > MAX_REVISIONS_AFTER_SIGNING:
        return Modification.UNCHECKED
    level = status.modification_level
    return _LEVELS.get(level, Modification.OTHER) if level is not None else Modification.OTHER


_T = TypeVar("_T")


def _run(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run pyHanko's coroutine, also from a thread that already runs an event loop (an
    async view, a browser test): then in a worker thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        in_loop = False
    else:
        in_loop = True
    if not in_loop:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
