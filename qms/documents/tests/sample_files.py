"""Real DOCX and PDF files for the extraction and search tests, made here so that the
tests read what Word and a PDF writer produce, not a mock."""

import io

from docx import Document as Docx


def docx_bytes(paragraphs=("Quy trình đánh giá nội bộ",), table=(), header="", footer="") -> bytes:
    """A DOCX with body paragraphs, an optional table (rows of cell texts) and a header
    and footer."""
    document = Docx()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _cmap(codes: dict[str, int]) -> bytes:
    """A ToUnicode CMap: one-byte code → the Unicode character it draws."""
    pairs = "\n".join(f"<{code:02X}> <{ord(char):04X}>" for char, code in codes.items())
    return (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /QmsTest def /CMapType 2 def\n"
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{len(codes)} beginbfchar\n{pairs}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()


def pdf_bytes(*pages: str) -> bytes:
    """A valid PDF, one page per string, each line of it a line of text. The font's
    ToUnicode map gives each distinct character a one-byte code, so Vietnamese text comes
    back out exactly as a PDF reader extracts it from a real file."""
    chars = sorted({c for page in pages for c in page if c != "\n"})
    assert len(chars) < 255, "one-byte codes"
    codes = {char: n + 1 for n, char in enumerate(chars)}
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # pages, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 4 0 R >>",
        _stream(_cmap(codes)),
    ]
    kids = []
    for page in pages:
        lines = [
            "<" + "".join(f"{codes[c]:02X}" for c in line) + "> Tj" for line in page.split("\n")
        ]
        content = "BT /F1 12 Tf 14 TL 72 760 Td " + " T* ".join(lines) + " ET"
        objects.append(_stream(content.encode()))
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>".encode()
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    return _assemble(objects)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _assemble(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def encrypted_pdf_bytes(text: str, password: str = "mat-khau") -> bytes:
    """The same PDF, encrypted so that it opens only with `password`."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(text))))
    writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
