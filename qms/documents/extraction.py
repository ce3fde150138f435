"""Reading the text of uploaded DOCX and PDF files, for search.

Files come from users: a damaged, encrypted or hostile file must end as "failed", never as
an exception in the worker, and never use unbounded memory.
"""

from __future__ import annotations

import itertools
import logging
import os
import zipfile
from collections.abc import Iterator
from typing import IO

import docx
import pypdf
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from qms.documents.models import RevisionFile
from qms.lib.uploads import extension_of

logger = logging.getLogger(__name__)

# Stored text per file: a 300-page procedure is about 1 MB of text.
TEXT_CAP = 2_000_000
# A DOCX of at most 10 MB whose parts inflate past this is a zip bomb, not a procedure.
MAX_INFLATED = 200 * 1024 * 1024
MAX_PDF_PAGES = 2000

Source = str | os.PathLike[str] | IO[bytes]


class UnreadableFileError(Exception):
    """The file is damaged, encrypted, too large once unpacked, or of another type."""


_W_P, _W_T, _W_TAB, _W_BR, _W_CR = (qn(t) for t in ("w:p", "w:t", "w:tab", "w:br", "w:cr"))
_BREAKS = {_W_TAB: "\t", _W_BR: " ", _W_CR: " "}
# Word keeps a second copy of each text box for old readers inside mc:Fallback.
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _lines(root: etree._Element) -> Iterator[str]:
    """One line per paragraph, wherever it is (body, tables, text boxes, content controls),
    with the text of runs inside insertions, hyperlinks and fields; deleted text (w:delText)
    and field codes (w:instrText) are left out."""
    parts: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if event == "end":
            if tag == _W_P and parts:
                line = "".join(parts).strip()
                parts.clear()
                if line:
                    yield line
        elif tag == _MC_FALLBACK:
            walker.skip_subtree()
        elif tag == _W_T:
            parts.append(element.text or "")
        elif tag in _BREAKS:
            parts.append(_BREAKS[tag])


def _check_inflated_size(source: Source) -> None:
    with zipfile.ZipFile(source) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_INFLATED:
            raise UnreadableFileError("DOCX inflates past the limit")
    if hasattr(source, "seek"):
        source.seek(0)


def _docx_text(source: Source) -> str:
    _check_inflated_size(source)
    document = docx.Document(source)  # type: ignore[arg-type]
    lines = list(_lines(document.element.body))
    # Headers and footers once each, however many sections share them.
    for rel in document.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            lines.extend(_lines(rel.target_part.element))  # type: ignore[attr-defined]
    return "\n".join(lines)


def _pdf_text(source: Source) -> str:
    reader = pypdf.PdfReader(source)  # type: ignore[arg-type]
    # A PDF locked only against editing opens with the empty password; one that needs a
    # password to read cannot be indexed.
    if reader.is_encrypted and not reader.decrypt(""):
        raise UnreadableFileError("PDF needs a password")
    pages: list[str] = []
    size = 0
    for page in itertools.islice(reader.pages, MAX_PDF_PAGES):
        text = page.extract_text() or ""
        pages.append(text.strip())
        size += len(text)
        if size >= TEXT_CAP:
            break
    return "\n".join(p for p in pages if p)


_READERS = {".docx": _docx_text, ".pdf": _pdf_text}


def text_of(path_or_file: Source, extension: str) -> str:
    """The text of a DOCX (body with tables, text boxes, headers and footers) or PDF file,
    at most TEXT_CAP characters. Raises UnreadableFileError for anything it cannot read."""
    reader = _READERS.get(extension.lower())
    if reader is None:
        raise UnreadableFileError(f"no text reader for {extension!r}")
    try:
        # PostgreSQL refuses NUL in text; some PDF fonts yield it.
        return reader(path_or_file)[:TEXT_CAP].replace("\x00", "")
    except UnreadableFileError:
        raise
    # Parsers of damaged files raise whatever their internals hit (zipfile, lxml, pypdf's
    # own errors, KeyError, ValueError, RecursionError…): all mean "unreadable".
    except Exception as error:
        raise UnreadableFileError(str(error)) from error


def read_into(stored: RevisionFile) -> str:
    """Read the text of `stored` into `stored.text` and set `stored.extraction`; returns
    the new extraction state. An unreadable file is "failed", with no text."""
    extension = extension_of(stored.original_name) or extension_of(stored.file.name or "")
    try:
        with stored.file.open("rb") as handle:
            text = text_of(handle, extension)
        state = RevisionFile.Extraction.DONE
    except (UnreadableFileError, OSError) as error:
        logger.warning("Text of file %s not read: %s", stored.pk, error)
        text, state = "", RevisionFile.Extraction.FAILED
    stored.text, stored.extraction = text, state
    stored.save(update_fields=["text", "extraction"])
    return str(state)
