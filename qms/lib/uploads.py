"""The one check every uploaded file passes: accepted type by extension and by content,
size, a real Office file for DOCX/XLSX, and its SHA-256. A file that fails is refused with a
Vietnamese message before anything is saved."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

OFFICE_FILES = {".pdf": PDF, ".docx": DOCX}
EVIDENCE_FILES = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
MAX_UPLOAD = 10 * 1024 * 1024
_MAGIC = {".pdf": b"%PDF", ".png": b"\x89PNG", ".jpg": b"\xff\xd8", ".jpeg": b"\xff\xd8"}
# The part without which Word or Excel cannot open the file.
_MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    extension: str
    content_type: str
    sha256: str


def extension_of(name: str) -> str:
    name = name.lower()
    return name[name.rfind(".") :] if "." in name else ""


def _is_office_file(upload: UploadedFile, extension: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            archive.getinfo(_MAIN_PART[extension])
            return archive.testzip() is None
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return False
    finally:
        upload.seek(0)


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_upload(upload: UploadedFile, accepted: Mapping[str, str]) -> CheckedUpload:
    """Raise ValidationError (in the user's language) unless `upload` is an accepted file."""
    extension = extension_of(upload.name or "")
    if extension not in accepted:
        kinds = ", ".join(sorted({e.lstrip(".").upper() for e in accepted}))
        message = _("This file type is not accepted (accepted: %(kinds)s).")
        raise ValidationError(message % {"kinds": kinds})
    if upload.size is None or upload.size > MAX_UPLOAD:
        raise ValidationError(_("The file is larger than 10 MB."))
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    head = upload.read(8)
    upload.seek(0)
    if extension in _MAGIC and not head.startswith(_MAGIC[extension]):
        raise ValidationError(_("The file's content does not match its type."))
    if extension in _MAIN_PART and not _is_office_file(upload, extension):
        raise ValidationError(_("The file is damaged or not a real Office document."))
    return CheckedUpload(upload, extension, accepted[extension], _sha256(upload))
