"""The official documents of the internal audit, in the NĐ 30 frame of their paper
(qms.paperwork.frame): the year's programme (units and procedures × months), the audit plan
(scope, criteria, dates, team) and the report (the findings)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from qms.audits import clauses, queries
from qms.audits.models import Audit, AuditPlan, AuditProgramme, AuditReport, Finding
from qms.lib import officialdoc as od
from qms.lib.downloads import DOCX_TYPE, attachment
from qms.paperwork.frame import frame
from qms.paperwork.models import OfficialRecord

KIND_WORDS = {
    Finding.Kind.MAJOR: "Không phù hợp nặng",
    Finding.Kind.MINOR: "Không phù hợp nhẹ",
    Finding.Kind.OBSERVATION: "Điểm lưu ý",
    Finding.Kind.IMPROVEMENT: "Cơ hội cải tiến",
    Finding.Kind.STRENGTH: "Điểm mạnh",
}


def programme_document(programme: AuditProgramme) -> od.OfficialDocument:
    agency = programme.agency
    rows = queries.programme_rows(programme)
    columns = [od.Column("TT", 8, "center"), od.Column("Đơn vị / quá trình được đánh giá", 49)]
    columns += [od.Column(f"T{m}", 9, "center") for m in range(1, 13)]
    lines: list[list[str] | od.SpanRow] = []
    for n, row in enumerate(rows, start=1):
        months = set(row.months)
        lines.append([str(n), str(row), *("x" if m in months else "" for m in range(1, 13))])
    body: list[od.Block] = [
        od.Heading("I. MỤC ĐÍCH, YÊU CẦU"),
        od.Paragraph(
            "Xác định hệ thống quản lý chất lượng của cơ quan phù hợp với các yêu cầu của "
            "TCVN ISO 9001:2015 và các yêu cầu của cơ quan, được áp dụng, duy trì có hiệu lực; "
            "mỗi phòng, đơn vị được đánh giá ít nhất một lần trong năm."
        ),
        od.Heading("II. NỘI DUNG CHƯƠNG TRÌNH"),
        od.Table(columns, lines, font_size=10),
        od.Heading("III. TỔ CHỨC THỰC HIỆN"),
        od.Paragraph(
            f"Thư ký ISO lập kế hoạch cho từng cuộc đánh giá trình lãnh đạo {agency.name} phê "
            "duyệt; các phòng, đơn vị bố trí người làm việc với đoàn đánh giá theo kế hoạch."
        ),
    ]
    return frame(programme.paper, body=body)


def _team_lines(audit: Audit) -> list[str]:
    return [
        f"- {m.person.full_name}: {'Trưởng đoàn' if m.is_lead else 'Thành viên'}"
        for m in audit.team.select_related("person")
    ]


def _scope_lines(audit: Audit) -> list[str]:
    units = [f"- {u.name}" for u in audit.units.all()]
    procedures = [f"- {d.code} {d.title}" for d in audit.procedures.all()]
    return units + procedures


def plan_document(plan: AuditPlan) -> od.OfficialDocument:
    audit = plan.audit
    criteria = [f"- {label}" for label in audit.clause_labels] + [
        f"- Quy trình {d.code} {d.title}" for d in audit.procedures.all()
    ]
    body: list[od.Block] = [
        od.Heading("I. MỤC ĐÍCH"),
        od.Paragraph(
            "Đánh giá sự phù hợp và hiệu lực của hệ thống quản lý chất lượng theo TCVN ISO "
            "9001:2015 tại các phòng, đơn vị được đánh giá; phát hiện điểm không phù hợp và "
            "cơ hội cải tiến."
        ),
        od.Heading("II. PHẠM VI ĐÁNH GIÁ"),
        od.Paragraph("\n".join(_scope_lines(audit)), indent=False),
        od.Heading("III. CHUẨN MỰC ĐÁNH GIÁ"),
        od.Paragraph(
            "\n".join(
                [f"Các điều khoản của {clauses.edition()} và tài liệu của cơ quan:", *criteria]
            ),
            indent=False,
        ),
        od.Heading("IV. THỜI GIAN"),
        od.Paragraph(f"Từ ngày {audit.starts_on:%d/%m/%Y} đến ngày {audit.ends_on:%d/%m/%Y}."),
        od.Heading("V. ĐOÀN ĐÁNH GIÁ"),
        od.Paragraph("\n".join(_team_lines(audit)), indent=False),
        od.Heading("VI. TỔ CHỨC THỰC HIỆN"),
        od.Paragraph(
            "Trưởng các phòng, đơn vị được đánh giá bố trí thời gian, cung cấp hồ sơ, tài liệu "
            "cho đoàn đánh giá; đoàn đánh giá báo cáo kết quả cho lãnh đạo cơ quan."
        ),
    ]
    return frame(plan.paper, body=body)


def findings_table(findings: list[Finding]) -> od.Table:
    columns = [
        od.Column("TT", 10, "center"),
        od.Column("Loại", 28),
        od.Column("Điều khoản", 20, "center"),
        od.Column("Đơn vị / quy trình", 35),
        od.Column("Nội dung phát hiện", 72),
    ]
    rows: list[list[str] | od.SpanRow] = []
    for finding in findings:
        where = finding.unit.name
        if finding.procedure is not None:
            where += f" / {finding.procedure.code}"
        rows.append(
            [
                f"{finding.number:02d}",
                KIND_WORDS[Finding.Kind(finding.kind)],
                finding.clause,
                where,
                finding.description,
            ]
        )
    return od.Table(columns, rows, font_size=11)


def report_document(report: AuditReport) -> od.OfficialDocument:
    audit = report.audit
    findings = list(audit.findings.select_related("unit", "procedure"))
    counted = queries.counts_by_kind(findings)
    summary = "; ".join(f"{KIND_WORDS[Finding.Kind(k)]}: {n}" for k, n in counted.items())
    body: list[od.Block] = [
        od.Heading("I. THÔNG TIN CHUNG"),
        od.Paragraph(
            f"Cuộc đánh giá “{audit.title}” được tiến hành từ ngày {audit.starts_on:%d/%m/%Y} "
            f"đến ngày {audit.ends_on:%d/%m/%Y}, theo {plan_reference(audit)}."
        ),
        od.Paragraph("Phạm vi đánh giá:\n" + "\n".join(_scope_lines(audit)), indent=False),
        od.Paragraph("Đoàn đánh giá:\n" + "\n".join(_team_lines(audit)), indent=False),
        od.Heading("II. KẾT QUẢ ĐÁNH GIÁ"),
        od.Paragraph(f"Tổng số phát hiện: {len(findings)} ({summary})."),
        findings_table(findings),
        od.Heading("III. KẾT LUẬN VÀ KIẾN NGHỊ"),
        od.Paragraph(
            report.conclusion
            or "Các phòng, đơn vị có điểm không phù hợp phân tích nguyên nhân, đề xuất hành "
            "động khắc phục và gửi Thư ký ISO theo dõi; kết quả đánh giá là đầu vào của cuộc "
            "họp xem xét của lãnh đạo."
        ),
    ]
    return frame(report.paper, body=body)


def plan_reference(audit: Audit) -> str:
    plan = getattr(audit, "plan", None)
    if plan is not None and plan.paper.is_issued:
        return str(plan.paper.reference)
    return "kế hoạch đánh giá nội bộ"


def download(request: HttpRequest, record: OfficialRecord) -> HttpResponse:
    content = od.build_docx(record.official_document())
    return attachment(content, DOCX_TYPE, f"{record.file_stem()}.docx")
