from django.http import HttpResponse
from django.utils.http import content_disposition_header

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file download. A Vietnamese file name (an uploaded "Biên bản họp.docx") is sent
    per RFC 6266/5987, so every browser saves it under its own name."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
