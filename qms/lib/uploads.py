"""The one check every uploaded file passes: accepted type by extension and by content,
size, a real Office file for DOCX/XLSX, and its SHA-256. A file that fails is refused with a
Vietnamese message before anything is saved.

The size limit is the setting QMS_MAX_UPLOAD_MB (scanned minutes often pass 10 MB); a
request whose body is larger still is refused before it is read, by
`qms.lib.middleware.UploadLimitMiddleware`.

DOCX and XLSX files are zip archives, and a hostile one of 240 KB can unpack to gigabytes
(a "zip bomb"). An Office file is checked by unpacking every member in chunks, keeping
nothing, and stopping as soon as one of the limits below is passed: the sizes the archive
declares are never trusted, only the bytes actually unpacked are counted.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise, lazy
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
_MAGIC = {".pdf": b"%PDF", ".png": b"\x89PNG", ".jpg": b"\xff\xd8", ".jpeg": b"\xff\xd8"}
# The part without which Word or Excel cannot open the file.
_MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}

# What checking one Office file may cost. A 300-page procedure is about 10 MB of XML and a
# large workbook a few hundred; Word and Excel store parts plain or deflated, and deflate
# never packs more than about 1,030 to 1.
MAX_MEMBERS = 5_000
MAX_INFLATED = 200 * 1024 * 1024  # all members together, unpacked
MAX_RATIO = 200  # unpacked / packed size of one member…
RATIO_FREE = 1024 * 1024  # …once it has unpacked past 1 MB (small XML parts pack better)
DIRECTORY_ENTRY = 512  # bytes per member in the central directory, at most (name ≤ 400)
CHUNK = 64 * 1024
_OFFICE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
# Everything reading a damaged or hostile archive can raise.
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


def max_upload_mb() -> int:
    return int(settings.QMS_MAX_UPLOAD_MB)


def max_upload_bytes() -> int:
    return max_upload_mb() * 1024 * 1024


def _with_size_limit(label: str | Promise) -> str:
    return str(label) % {"size": max_upload_mb()}


# A form label naming the limit ("…at most %(size)s MB"), translated and filled in when shown.
with_size_limit = lazy(_with_size_limit, str)


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    extension: str
    content_type: str
    sha256: str


class ArchiveTooLarge(Exception):
    """The archive unpacks past one of the limits: a zip bomb, not an office document."""


def extension_of(name: str) -> str:
    name = name.lower()
    return name[name.rfind(".") :] if "." in name else ""


def _members(archive: zipfile.ZipFile, max_members: int) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    if len(members) > max_members:
        raise ArchiveTooLarge(f"{len(members)} members")
    for info in members:
        if info.compress_type not in _OFFICE_METHODS or info.flag_bits & 0x1:
            # bzip2 or LZMA (which pack zeros a million to one) or encryption: Office never
            # writes them.
            raise zipfile.BadZipFile(f"{info.filename}: method {info.compress_type}")
    return members


def _announced(source: IO[bytes]) -> tuple[int, int] | None:
    """(members, bytes) of the central directory as the archive's end record announces them,
    read before the directory itself is parsed (a 20 MB upload can list 200,000 empty members,
    and parsing them all costs a second of CPU and much memory). None when this Python cannot
    read it here: opening the archive and counting then decides."""
    end_record = getattr(zipfile, "_EndRecData", None)  # stable since Python 2, but private
    if end_record is None:
        return None
    try:
        record = end_record(source)
    finally:
        source.seek(0)
    if record is None:
        raise zipfile.BadZipFile("no end of central directory")
    return int(record[4]), int(record[5])  # _ECD_ENTRIES_TOTAL, _ECD_SIZE


def unpacked_size(
    source: IO[bytes],
    *,
    required: str | None = None,
    max_members: int = MAX_MEMBERS,
    max_inflated: int = MAX_INFLATED,
    max_ratio: int = MAX_RATIO,
) -> int:
    """Unpack every member of the zip archive `source` in chunks, keeping nothing, and return
    the number of bytes unpacked. Raises ArchiveTooLarge as soon as a limit is passed, and
    zipfile.BadZipFile (or another of _UNREADABLE) when the archive is damaged — including a
    member whose checksum does not match, which zipfile checks at the member's end — or
    lacks the member `required` (KeyError)."""
    announced = _announced(source)
    # zipfile reads the directory by its size in bytes: bound both, whatever they claim.
    if announced is not None and (
        announced[0] > max_members or announced[1] > max_members * DIRECTORY_ENTRY
    ):
        raise ArchiveTooLarge(f"directory of {announced[0]} members, {announced[1]} bytes")
    total = 0
    with zipfile.ZipFile(source) as archive:
        if required is not None:
            archive.getinfo(required)
        for info in _members(archive, max_members):
            unpacked = 0
            ratio_limit = max(RATIO_FREE, max_ratio * info.compress_size)
            with archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    unpacked += len(chunk)
                    total += len(chunk)
                    if total > max_inflated or unpacked > ratio_limit:
                        raise ArchiveTooLarge(f"{info.filename}: {unpacked} bytes unpacked")
    return total


def _check_office_file(upload: UploadedFile, extension: str) -> None:
    try:
        unpacked_size(upload, required=_MAIN_PART[extension])  # type: ignore[arg-type]
    except ArchiveTooLarge:
        raise ValidationError(
            _("The file becomes abnormally large when unpacked and is refused.")
        ) from None
    except _UNREADABLE:
        raise ValidationError(_("The file is damaged or not a real Office document.")) from None
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
    if upload.size is None or upload.size > max_upload_bytes():
        raise ValidationError(_("The file is larger than %(size)s MB.") % {"size": max_upload_mb()})
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    head = upload.read(8)
    upload.seek(0)
    if extension in _MAGIC and not head.startswith(_MAGIC[extension]):
        raise ValidationError(_("The file's content does not match its type."))
    if extension in _MAIN_PART:
        _check_office_file(upload, extension)
    return CheckedUpload(upload, extension, accepted[extension], _sha256(upload))
