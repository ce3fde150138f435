"""What the register gives out: the register as XLSX (the rows as filtered on the page) and
the corrective-action request form of one nonconformity ("Phiếu yêu cầu hành động khắc
phục") as DOCX, built from the NĐ 30 pieces of qms.lib.officialdoc. Neither sees a request."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document as new_docx

from qms.corrective.models import CorrectiveAction, Nonconformity
from qms.lib import officialdoc as od
from qms.lib.sheets import xlsx
from qms.organization.models import User

FORM_TITLE = "PHIẾU YÊU CẦU HÀNH ĐỘNG KHẮC PHỤC"
HEADERS = [
    "Số",
    "Ngày phát hiện",
    "Điểm không phù hợp",
    "Nguồn phát hiện",
    "Mức độ",
    "Đơn vị chịu trách nhiệm",
    "Người chịu trách nhiệm",
    "Nguyên nhân gốc",
    "Hành động",
    "Trạng thái",
    "Số ngày mở",
    "Ngày đóng",
    "Đóng đúng hạn",
]
WIDTHS = [14, 12, 40, 18, 10, 24, 20, 36, 50, 18, 10, 12, 10]


def _name(user: User | None) -> str:
    return user.full_name if user is not None else ""


def _date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _action_line(action: CorrectiveAction) -> str:
    done = f"; đã thực hiện {_date(action.done_on)}" if action.done_on else ""
    return f"- {action.description} ({action.owner.full_name}, hạn {_date(action.due_date)}{done})"


def _on_time_word(row: Nonconformity) -> str:
    from qms.corrective.models import closed_on_time

    found = closed_on_time(row.closed_on, getattr(row, "last_due", None))
    return "" if found is None else ("Có" if found else "Không")


def register_xlsx(rows: list[Nonconformity], day: dt.date) -> bytes:
    lines = [
        [
            row.number,
            row.raised_on,
            f"{row.title}\n{row.description}",
            row.get_origin_display(),
            row.get_severity_display(),
            row.unit.name,
            row.owner.full_name if row.owner else "",
            row.root_cause,
            "\n".join(_action_line(a) for a in row.actions.all()),
            row.get_status_display(),
            row.ageing_days(day),
            row.closed_on or "",
            _on_time_word(row),
        ]
        for row in rows
    ]
    return xlsx("Điểm không phù hợp", HEADERS, lines, WIDTHS)


# --- the request form --------------------------------------------------------------------


def _section(title: str) -> od.Heading:
    return od.Heading(title)


def _text(value: str) -> od.Paragraph:
    return od.Paragraph(value.strip() or "…………………………………………………", indent=False)


def _facts(nc: Nonconformity) -> od.Table:
    procedure = f"{nc.procedure.code} {nc.procedure.title}" if nc.procedure else ""
    rows = [
        ["Số phiếu", nc.number],
        ["Nguồn phát hiện", f"{nc.get_origin_display()}. {nc.origin_note}".strip(". ")],
        ["Đơn vị chịu trách nhiệm", nc.unit.name],
        ["Người chịu trách nhiệm", nc.owner.full_name if nc.owner else ""],
        ["Điều khoản tiêu chuẩn", nc.clause],
        ["Quy trình liên quan", procedure],
        ["Mức độ", nc.get_severity_display()],
        ["Người phát hiện, ngày", f"{nc.raised_by.full_name}, {_date(nc.raised_on)}"],
    ]
    columns = [od.Column("Nội dung", 55), od.Column("Thông tin", 110)]
    return od.Table(columns, rows, repeat_header=False, font_size=12)


def _cause(nc: Nonconformity) -> list[od.Block]:
    blocks: list[od.Block] = []
    if nc.why_lines:
        blocks.append(od.Paragraph("Phương pháp: 5 lần hỏi “Tại sao”.", indent=False))
        columns = [od.Column("Lần", 12, "center"), od.Column("Tại sao?", 75),
                   od.Column("Vì", 78)]  # fmt: skip
        rows = [[str(n), w, b] for n, (w, b) in enumerate(nc.why_lines, start=1)]
        blocks.append(od.Table(columns, rows, font_size=12))
    elif nc.categories:
        words = ", ".join(label.lower() for label in nc.category_labels)
        blocks.append(od.Paragraph(f"Phương pháp: theo nhóm nguyên nhân ({words}).", indent=False))
    blocks.append(od.Paragraph("Nguyên nhân gốc:", bold=True, indent=False))
    blocks.append(_text(nc.root_cause))
    return blocks


def _actions(actions: list[CorrectiveAction]) -> od.Table:
    columns = [
        od.Column("TT", 10, "center"),
        od.Column("Loại", 24),
        od.Column("Nội dung hành động", 55),
        od.Column("Người thực hiện", 28),
        od.Column("Thời hạn", 22, "center"),
        od.Column("Kết quả", 36),
    ]
    rows = [
        [
            str(n),
            str(a.get_kind_display()),
            a.description,
            a.owner.full_name,
            _date(a.due_date),
            f"{_date(a.done_on)}: {a.result_note}" if a.done_on else "",
        ]
        for n, a in enumerate(actions, start=1)
    ]
    return od.Table(columns, rows or [["", "", "", "", "", ""]], font_size=11)


def _verification(nc: Nonconformity) -> list[od.Block]:
    if not nc.verified_on:
        return [_text("")]
    return [
        od.Paragraph(
            f"Kết quả: {nc.get_effectiveness_display()} – {_name(nc.verified_by)}, "
            f"ngày {_date(nc.verified_on)}.",
            indent=False,
        ),
        _text(nc.verification_note),
    ]


def _signatures(document: object, nc: Nonconformity) -> None:
    table = od.layout_table(document, rows=3)
    heads = ["NGƯỜI CHỊU TRÁCH NHIỆM", "NGƯỜI XÁC NHẬN HIỆU LỰC"]
    names = [
        nc.owner.full_name if nc.owner else "",
        nc.verified_by.full_name if nc.verified_by else "",
    ]
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        od.para(cell, head, size=13, bold=True)
        od.para(cell, "(Ký, ghi rõ họ tên)", size=13, italic=True)
    for cell in table.rows[1].cells:
        od.para(cell, "", size=13, after=48)
    for cell, name in zip(table.rows[2].cells, names, strict=True):
        od.para(cell, name, size=13, bold=True)


def request_form(nc: Nonconformity, actions: list[CorrectiveAction]) -> bytes:
    """Phiếu yêu cầu hành động khắc phục: the finding, the correction, the cause, the
    actions and the verification, with the agency's NĐ 30 header."""
    agency = nc.agency
    document = new_docx()
    od.setup_styles(document)
    od.setup_page(document.sections[0])
    od.add_agency_header(
        document,
        agency_name=agency.name,
        parent_agency_name=agency.parent_agency_name,
        date_line=f"{agency.place_name}, {od.vn_date_words(nc.raised_on)}",
        number_line=f"Số: {nc.number}",
    )
    od.para(document, FORM_TITLE, size=14, bold=True, before=12)
    od.para(document, nc.title, size=14, bold=True, after=6)
    body: list[od.Block] = [
        _section("I. THÔNG TIN VỀ ĐIỂM KHÔNG PHÙ HỢP"),
        _facts(nc),
        od.Paragraph("Mô tả điểm không phù hợp (bằng chứng):", bold=True, indent=False),
        _text(nc.description),
        _section("II. KHẮC PHỤC NGAY (SỬA CHỮA)"),
        _text(nc.correction + (f" (ngày {_date(nc.correction_on)})" if nc.correction_on else "")),
        _section("III. PHÂN TÍCH NGUYÊN NHÂN"),
        *_cause(nc),
        _section("IV. HÀNH ĐỘNG KHẮC PHỤC, CẢI TIẾN"),
        _actions(actions),
        _section("V. XÁC NHẬN HIỆU LỰC CỦA HÀNH ĐỘNG KHẮC PHỤC"),
        *_verification(nc),
    ]
    od.add_blocks(document, body)
    _signatures(document, nc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def request_form_name(nc: Nonconformity) -> str:
    return f"phieu-yeu-cau-khac-phuc-{nc.number}.docx"
