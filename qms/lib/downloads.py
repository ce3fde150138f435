from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from qms.lib.pdf import PdfConversionFailed, PdfUnavailable, docx_to_pdf

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file download. A Vietnamese file name (an uploaded "Biên bản họp.docx") is sent
    per RFC 6266/5987, so every browser saves it under its own name."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def stored_attachment(file: Any, content_type: str, filename: str) -> HttpResponse:
    """A file kept in storage (an upload), downloaded under the name it was uploaded with."""
    with file.open("rb") as handle:
        return attachment(handle.read(), content_type, filename)


def pdf_or_back(request: HttpRequest, docx: bytes, filename: str, back: Any) -> HttpResponse:
    """The DOCX as PDF through LibreOffice; when LibreOffice is missing or fails, back to
    `back` (a model or URL) with a message saying why and what to do instead."""
    try:
        pdf = docx_to_pdf(docx)
    except PdfUnavailable:
        messages.error(
            request,
            _(
                "PDF needs LibreOffice on the server, which is not "
                "installed. Download the DOCX file instead."
            ),
        )
        return redirect(back)
    except PdfConversionFailed:
        messages.error(
            request,
            _(
                "LibreOffice could not convert this document to PDF. "
                "Download the DOCX file instead."
            ),
        )
        return redirect(back)
    return attachment(pdf, PDF_TYPE, filename)
