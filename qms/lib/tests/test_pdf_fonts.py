"""The PDFs a records office receives are set in one typeface: Times New Roman or its metric
twin Liberation Serif, with every Vietnamese letter of that font and none borrowed from
DejaVu. Text copied out of them reads as written ("Hệ thống", not "H ệ thống").

One document of each kind the product prints (see conftest.py) goes through LibreOffice as
the PDF button sends it; skipped where LibreOffice is not installed (CI installs it)."""

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from qms.lib.pdf import FONTCONFIG, docx_to_pdf, soffice_available
from qms.lib.tests.conftest import Printed

pytestmark = [
    pytest.mark.django_db,  # the documents come from the session's demo data
    pytest.mark.skipif(
        not soffice_available(), reason="LibreOffice (soffice) is not installed on this machine"
    ),
]

KINDS = (
    "committee decision",
    "document-set decision",
    "plan",
    "progress report",
    "document register",
    "controlled procedure",
)
# "ABCDEF+LiberationSerif-Bold", "TimesNewRomanPS-BoldMT": the subset tag, then the family.
VIETNAMESE = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
TIMES_METRIC = re.compile(r"^/?(?:[A-Z]{6}\+)?(?:LiberationSerif|TimesNewRoman)")


def _resolve(value: object) -> object:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _fonts(resources: object, seen: set[int]) -> Iterator[str]:
    """/BaseFont of every font in `resources`, including those of form XObjects."""
    resources = _resolve(resources)
    if not isinstance(resources, DictionaryObject) or id(resources) in seen:
        return
    seen.add(id(resources))
    fonts = _resolve(resources.get("/Font"))
    for font in (fonts or {}).values():
        yield str(_resolve(font)["/BaseFont"])
    xobjects = _resolve(resources.get("/XObject"))
    for xobject in (xobjects or {}).values():
        yield from _fonts(_resolve(xobject).get("/Resources"), seen)


def embedded_fonts(pdf: bytes) -> set[str]:
    seen: set[int] = set()
    reader = PdfReader(io.BytesIO(pdf))
    return {name for page in reader.pages for name in _fonts(page.get("/Resources"), seen)}


def pdf_words(pdf: bytes) -> str:
    """The text as a reader copies it, lines joined by single spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def one_of_each_kind(printed: list[Printed]) -> list[Printed]:
    """Bình Sơn's (UBND) where it prints that kind, the Hải Phòng one otherwise; the
    document set that amends part of a set (Hải Phòng's draft) has the annex."""
    chosen = []
    for kind in KINDS:
        of_kind = [each for each in printed if each.kind == kind]
        if kind == "document-set decision":
            of_kind = [each for each in of_kind if each.agency == "BQL"] or of_kind
        else:
            of_kind = [each for each in of_kind if each.agency == "UBND"] or of_kind
        chosen.append(of_kind[-1])
    return chosen


def vietnamese_words(content: bytes) -> set[str]:
    """Words of the DOCX (body, tables, page headers) holding a letter that Latin-1 lacks
    (ă â đ ê ô ơ ư and the letters with two marks): the ones a font without Vietnamese
    would print from another font."""
    document = docx.Document(io.BytesIO(content))
    parts = [document.element, *(s.header._element for s in document.sections)]
    words = set()
    for part in parts:
        for paragraph in part.iter(qn("w:p")):
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
            words |= {w.strip(".,;:()") for w in text.split() if VIETNAMESE.search(w)}
    return words


def test_every_printed_pdf_uses_only_times_metric_fonts_and_keeps_words_whole(
    demo_printed: list[Printed],
) -> None:
    for each in one_of_each_kind(demo_printed):
        pdf = docx_to_pdf(each.docx)
        fonts = embedded_fonts(pdf)
        assert fonts, f"{each.kind}: no font found in the PDF"
        strangers = {name for name in fonts if not TIMES_METRIC.match(name)}
        assert not strangers, f"{each.kind} {each.label}: {sorted(strangers)}"
        text = pdf_words(pdf)
        expected = vietnamese_words(each.docx)
        assert len(expected) > 20, each.kind
        broken = sorted(word for word in expected if word not in text)
        assert not broken, f"{each.kind} {each.label}: {broken[:10]}"
        if each.kind != "controlled procedure":  # its text does not name the system
            assert "Hệ thống" in text or "HỆ THỐNG" in text, each.kind


def test_times_new_roman_resolves_to_liberation_serif_2_with_vietnamese() -> None:
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig's fc-match is not installed")
    environment = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG)}
    for style in ("", ":bold", ":italic"):
        found = subprocess.run(
            ["fc-match", "-f", "%{family}|%{file}", f"Times New Roman:lang=vi{style}"],
            capture_output=True, check=True, text=True, env=environment,
        ).stdout  # fmt: skip
        family, path = found.split("|")
        assert "Liberation Serif" in family or "Times New Roman" in family, found
        assert "/liberation/" not in path, found  # Debian's 1.x lacks ư, ở, ễ
