"""The register of outgoing documents as a spreadsheet (formulas escaped by lib.sheets)."""

from __future__ import annotations

from collections.abc import Iterable

from qms.lib import sheets
from qms.organization.models import Agency
from qms.paperwork.models import Paper

HEADERS = [
    "Số",
    "Ký hiệu",
    "Ngày ban hành",
    "Loại văn bản",
    "Trích yếu",
    "Người ký",
    "Đơn vị soạn thảo",
    "Bản ký",
    "SHA-256 bản ký",
]


def register_rows(papers: Iterable[Paper]) -> list[list[object]]:
    return [
        [
            paper.number_text,
            paper.symbol,
            paper.issued_on,
            paper.get_kind_display(),
            paper.subject,
            f"{paper.signer_position} {paper.signer_name}".strip(),
            str(paper.drafting_unit or ""),
            "Có" if paper.has_signed_copy else "Chưa có",
            paper.signed_copy_sha256,
        ]
        for paper in papers
    ]


def register_xlsx(agency: Agency, year: int, papers: Iterable[Paper]) -> bytes:
    title = f"Sổ văn bản đi {year}"
    return sheets.xlsx(
        title, HEADERS, register_rows(papers), widths=[8, 18, 14, 22, 70, 32, 24, 10, 20]
    )
