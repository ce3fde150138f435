"""The exports agencies use: "Bảng nhận diện, đánh giá, giải quyết rủi ro và cơ hội" (the
whole register) and "Kế hoạch giải quyết rủi ro và cơ hội" (the rows needing action, one line
per treatment), each as XLSX and as an official DOCX (NĐ 30 header, blank number and date for
the registry, the head's signature block)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404

from qms.lib import officialdoc as od
from qms.lib.sheets import xlsx
from qms.organization.models import Agency
from qms.risks.models import Risk, RiskScale, Treatment, TreatmentPlan
from qms.risks.queries import export_rows
from qms.risks.scale import band_of

REGISTER_TITLE = "Bảng nhận diện, đánh giá, giải quyết rủi ro và cơ hội"
PLAN_TITLE = "Kế hoạch giải quyết rủi ro và cơ hội"
HEADERS = [
    "STT",
    "Quá trình/đơn vị",
    "Rủi ro/cơ hội",
    "Nguyên nhân",
    "Hậu quả/lợi ích",
    "Khả năng xảy ra",
    "Mức độ ảnh hưởng",
    "Mức rủi ro",
    "Biện pháp xử lý",
    "Người/đơn vị thực hiện",
    "Thời hạn",
    "Kết quả/hiệu lực",
]
WIDTHS = [6, 24, 40, 30, 30, 10, 10, 14, 40, 22, 12, 30]
KIND_WORDS = {Risk.Kind.RISK: "Rủi ro", Risk.Kind.OPPORTUNITY: "Cơ hội"}
BAND_WORDS = {"low": "Thấp", "medium": "Trung bình", "high": "Cao", "very_high": "Rất cao"}
RESULT_WORDS = {
    Treatment.Result.EFFECTIVE: "Có hiệu lực",
    Treatment.Result.NOT_EFFECTIVE: ("Chưa có hiệu lực"),
}


def _owner(treatment: Treatment) -> str:
    if treatment.owner_person is not None:
        return treatment.owner_person.full_name
    return treatment.owner_unit.name if treatment.owner_unit is not None else ""


def _result(treatment: Treatment) -> str:
    if treatment.checked_on is not None:
        words = RESULT_WORDS.get(treatment.result, "")  # type: ignore[call-overload]
        note = f": {treatment.result_note}" if treatment.result_note else ""
        return f"{words} ({treatment.checked_on:%d/%m/%Y}){note}"
    if treatment.done_on is not None:
        return f"Đã thực hiện {treatment.done_on:%d/%m/%Y}; chờ đánh giá hiệu lực"
    return "Đang thực hiện"


def _process(risk: Risk) -> str:
    unit = risk.unit.name
    if risk.process is None:
        return unit
    return f"{risk.process.code} {risk.process.title} ({unit})"


def _rows(risks: list[Risk], scale: RiskScale, *, per_treatment: bool) -> list[list[object]]:
    """One line per risk with its treatments joined (the register), or one line per
    treatment (the plan)."""
    lines: list[list[object]] = []
    for number, risk in enumerate(risks, start=1):
        head = [
            number,
            _process(risk),
            f"{KIND_WORDS[Risk.Kind(risk.kind)]}: {risk.description}",
            risk.cause,
            risk.consequence,
            risk.likelihood,
            risk.impact,
            f"{risk.level} – {BAND_WORDS[band_of(scale, risk.level)]}",
        ]
        treatments = list(risk.treatments.all())
        if per_treatment:
            for t in treatments:
                lines.append([*head, t.action, _owner(t), t.due_on, _result(t)])
            continue
        lines.append(
            [
                *head,
                "\n".join(f"- {t.action}" for t in treatments),
                "\n".join(_owner(t) for t in treatments),
                "\n".join(f"{t.due_on:%d/%m/%Y}" for t in treatments),
                "\n".join(_result(t) for t in treatments),
            ]
        )
    return lines


def register_xlsx(agency: Agency, scale: RiskScale, year: int) -> bytes:
    rows = _rows(export_rows(agency, year), scale, per_treatment=False)
    return xlsx(f"Rủi ro và cơ hội {year}", HEADERS, rows, WIDTHS)


def plan_xlsx(agency: Agency, scale: RiskScale, year: int) -> bytes:
    risks = export_rows(agency, year, needing_action=scale.threshold)
    return xlsx(f"Kế hoạch {year}", HEADERS, _rows(risks, scale, per_treatment=True), WIDTHS)


def _cell(value: object) -> str:
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _document(
    agency: Agency, subject: str, year: int, body: list[od.Block], type_title: str = "KẾ HOẠCH"
) -> bytes:
    """Numbered with the plan (KH): the register is issued with it, as agencies do."""
    doc = od.OfficialDocument(
        agency_name=agency.name,
        parent_agency_name=agency.parent_agency_name,
        agency_abbr=agency.abbreviation,
        doc_type="KH",
        type_title=type_title,
        subject=subject,
        place=agency.place_name,
        year=year,
        body=body,
        recipients=["Ban Chỉ đạo ISO", "Các phòng, đơn vị thuộc cơ quan"],
        signature=od.Signature(position=agency.head_title, signer_name=""),
    )
    return od.build_docx(doc)


COLUMNS = [
    od.Column("STT", 9, align="center"),
    od.Column("Quá trình/đơn vị", 16),
    od.Column("Rủi ro/cơ hội", 22),
    od.Column("Nguyên nhân", 16),
    od.Column("Hậu quả/lợi ích", 16),
    od.Column("Khả năng xảy ra", 10, align="center"),
    od.Column("Mức độ ảnh hưởng", 10, align="center"),
    od.Column("Mức rủi ro", 12, align="center"),
    od.Column("Biện pháp xử lý", 22),
    od.Column("Người/đơn vị thực hiện", 14),
    od.Column("Thời hạn", 13, align="center"),
    od.Column("Kết quả/hiệu lực", 16),
]


def _table(rows: list[list[object]]) -> od.Table:
    return od.Table(COLUMNS, [[_cell(v) for v in row] for row in rows], font_size=8)


def _scale_line(scale: RiskScale) -> od.Paragraph:
    top = scale.levels * scale.levels
    return od.Paragraph(
        f"Thang đánh giá {scale.levels} mức; mức rủi ro = khả năng xảy ra × mức độ ảnh hưởng "
        f"(với cơ hội: khả năng thực hiện × mức độ lợi ích): thấp 1–{scale.low_max}, "
        f"trung bình {scale.low_max + 1}–{scale.medium_max}, cao {scale.medium_max + 1}–"
        f"{scale.high_max}, rất cao {scale.high_max + 1}–{top}; phải có biện pháp xử lý từ "
        f"mức {scale.threshold}."
    )


def register_docx(agency: Agency, scale: RiskScale, year: int) -> bytes:
    rows = _rows(export_rows(agency, year), scale, per_treatment=False)
    body: list[od.Block] = [_scale_line(scale), _table(rows)]
    return _document(agency, f"Năm {year}", year, body, type_title=REGISTER_TITLE.upper())


def plan_body(agency: Agency, scale: RiskScale, year: int) -> list[od.Block]:
    risks = export_rows(agency, year, needing_action=scale.threshold)
    return [
        od.Heading("I. MỤC ĐÍCH, YÊU CẦU"),
        od.Paragraph(
            "Chủ động phòng ngừa, giảm thiểu các rủi ro và tận dụng các cơ hội có ảnh hưởng "
            "đến hệ thống quản lý chất lượng theo TCVN ISO 9001:2015; phân công rõ đơn vị, "
            "cá nhân thực hiện và thời hạn hoàn thành."
        ),
        od.Heading("II. NỘI DUNG"),
        _scale_line(scale),
        _table(_rows(risks, scale, per_treatment=True)),
        od.Heading("III. TỔ CHỨC THỰC HIỆN"),
        od.Paragraph(
            "Các phòng, đơn vị được giao chủ trì thực hiện các biện pháp đúng thời hạn; Thư "
            "ký ISO theo dõi, đánh giá hiệu lực của các biện pháp và báo cáo tại cuộc họp "
            "xem xét của lãnh đạo."
        ),
    ]


def plan_docx(agency: Agency, scale: RiskScale, year: int) -> bytes:
    body = plan_body(agency, scale, year)
    return _document(agency, f"{PLAN_TITLE} năm {year}", year, body)


def plan_document(plan: TreatmentPlan) -> od.OfficialDocument:
    """The plan issued through the register: the same body in its paper's NĐ 30 frame."""
    from qms.paperwork.frame import frame
    from qms.risks.scale import scale_of

    return frame(plan.paper, body=plan_body(plan.agency, scale_of(plan.agency), plan.year))


BUILDERS = {
    "register.xlsx": (register_xlsx, "bang-rui-ro-co-hoi-{year}.xlsx"),
    "register.docx": (register_docx, "bang-rui-ro-co-hoi-{year}.docx"),
    "plan.xlsx": (plan_xlsx, "ke-hoach-xu-ly-rui-ro-{year}.xlsx"),
    "plan.docx": (plan_docx, "ke-hoach-xu-ly-rui-ro-{year}.docx"),
}


def build(agency: Agency, scale: RiskScale, year: int, what: str) -> tuple[bytes, str]:
    found = BUILDERS.get(what)
    if found is None:
        raise Http404
    builder, name = found
    return builder(agency, scale, year), name.format(year=year)
