"""The year's findings as XLSX (every audit of the year, one line per finding): what the ISO
secretary hands the management review and the Sở KH&CN. Formulas are escaped by lib.sheets."""

from __future__ import annotations

from qms.audits import queries
from qms.audits.documents import KIND_WORDS
from qms.audits.models import Finding
from qms.lib.sheets import xlsx
from qms.organization.models import Agency

HEADERS = [
    "STT",
    "Cuộc đánh giá",
    "Thời gian",
    "Số phát hiện",
    "Loại",
    "Điều khoản",
    "Đơn vị",
    "Quy trình",
    "Nội dung",
    "Trạng thái cuộc đánh giá",
]
WIDTHS = [6, 40, 22, 10, 22, 12, 30, 30, 60, 20]


def findings_xlsx(agency: Agency, year: int) -> bytes:
    """One query, whatever the number of findings."""
    rows = []
    for n, finding in enumerate(queries.year_findings(agency, year), start=1):
        audit = finding.audit
        procedure = finding.procedure
        rows.append(
            [
                n,
                audit.title,
                f"{audit.starts_on:%d/%m/%Y} – {audit.ends_on:%d/%m/%Y}",
                f"{finding.number:02d}",
                KIND_WORDS[Finding.Kind(finding.kind)],
                finding.clause_label,
                finding.unit.name,
                f"{procedure.code} {procedure.title}" if procedure else "",
                finding.description,
                str(audit.get_status_display()),
            ]
        )
    return xlsx(f"Phát hiện đánh giá {year}", HEADERS, rows, WIDTHS)
