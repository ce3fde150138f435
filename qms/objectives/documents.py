"""The official documents of the quality policy and objectives, in the NĐ 30 frame of their
paper (qms.paperwork.frame): the decision issuing the policy, the decision issuing the year's
objectives (a table: the agency's, then each unit's) and the results report."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from qms.lib import officialdoc as od
from qms.lib.downloads import DOCX_TYPE, attachment
from qms.objectives import queries
from qms.objectives.models import (
    ObjectiveSet,
    QualityObjective,
    QualityPolicy,
    ResultsReport,
    number_text,
)
from qms.paperwork.frame import frame
from qms.paperwork.models import OfficialRecord


def _execution(agency_name: str) -> od.Article:
    return od.Article(
        3,
        f"Chánh Văn phòng, Thủ trưởng các phòng, đơn vị thuộc {agency_name}, Thư ký ISO và "
        "các cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.",
    )


def policy_decision(policy: QualityPolicy) -> od.OfficialDocument:
    agency = policy.agency
    body: list[od.Block] = [
        od.Article(1, f"Ban hành kèm theo Quyết định này Chính sách chất lượng của {agency.name}."),
        od.Article(
            2,
            "Quyết định này có hiệu lực kể từ ngày ký và thay thế Chính sách chất lượng ban "
            "hành trước đây (nếu có).",
        ),
        _execution(agency.name),
    ]
    annex: list[od.Block] = [
        od.Paragraph(line) for line in policy.text.splitlines() if line.strip()
    ]
    return frame(policy.paper, body=body, annexes=[("CHÍNH SÁCH CHẤT LƯỢNG", annex)])


def _objective_table(objectives: list[QualityObjective]) -> od.Table:
    columns = [
        od.Column("TT", 10, "center"),
        od.Column("Mục tiêu", 60),
        od.Column("Chỉ tiêu đo lường", 40),
        od.Column("Chỉ tiêu", 22, "center"),
        od.Column("Tần suất đo", 20, "center"),
        od.Column("Đơn vị thực hiện", 30),
    ]
    rows: list[list[str] | od.SpanRow] = []
    group: object = object()
    number = 0
    for objective in objectives:
        if objective.unit_id != group:
            group = objective.unit_id
            title = "Mục tiêu chung của cơ quan" if objective.unit is None else objective.unit.name
            rows.append(od.SpanRow(title))
            number = 0
        number += 1
        owner = objective.unit or objective.owner_unit
        rows.append(
            [
                str(number),
                objective.statement,
                objective.indicator,
                objective.target_text,
                str(objective.get_period_display()),
                owner.name if owner else "",
            ]
        )
    return od.Table(columns, rows, font_size=11)


def objectives_decision(objective_set: ObjectiveSet) -> od.OfficialDocument:
    agency = objective_set.agency
    objectives = list(
        QualityObjective.objects.filter(
            agency=agency,
            year=objective_set.year,
            status__in=[QualityObjective.Status.ACCEPTED, QualityObjective.Status.ISSUED],
        )
        .select_related("unit", "owner_unit")
        .order_by(*queries.ORDER)
    )
    body: list[od.Block] = [
        od.Article(
            1,
            f"Ban hành kèm theo Quyết định này Mục tiêu chất lượng năm {objective_set.year} "
            f"của {agency.name} (Phụ lục kèm theo).",
        ),
        od.Article(
            2,
            "Quyết định này có hiệu lực kể từ ngày ký. Các phòng, đơn vị xây dựng kế hoạch "
            "thực hiện mục tiêu, định kỳ đo lường và báo cáo kết quả cho Thư ký ISO.",
        ),
        _execution(agency.name),
    ]
    title = f"MỤC TIÊU CHẤT LƯỢNG NĂM {objective_set.year}"
    return frame(objective_set.paper, body=body, annexes=[(title, [_objective_table(objectives)])])


def results_report(report: ResultsReport) -> od.OfficialDocument:
    rows = queries.results(report.agency, report.year)
    table_rows: list[list[str] | od.SpanRow] = []
    reached = measured = 0
    for n, row in enumerate(rows, start=1):
        objective = row.objective
        cells = [m for m in row.cells if m is not None]
        results = "; ".join(f"{m.period_label}: {m.value_text}" for m in cells) or "Chưa đo"
        verdict = "Chưa đo"
        if cells:
            measured += 1
            ok = all(m.achieved for m in cells)
            reached += ok
            verdict = "Đạt" if ok else "Không đạt"
        owner = objective.unit.name if objective.unit else "Cơ quan"
        table_rows.append(
            [str(n), f"{objective.statement} ({owner})", objective.target_text, results, verdict]
        )
    columns = [
        od.Column("TT", 10, "center"),
        od.Column("Mục tiêu", 62),
        od.Column("Chỉ tiêu", 24, "center"),
        od.Column("Kết quả theo kỳ", 56),
        od.Column("Đánh giá", 22, "center"),
    ]
    body: list[od.Block] = [
        od.Heading("I. KẾT QUẢ THỰC HIỆN"),
        od.Paragraph(
            f"Năm {report.year}, {report.agency.name} triển khai {len(rows)} mục tiêu chất "
            f"lượng; đã đo lường {measured} mục tiêu, trong đó {reached} mục tiêu đạt ở mọi "
            f"kỳ đo và {measured - reached} mục tiêu có kỳ không đạt."
        ),
        od.Table(columns, table_rows, font_size=11),
        od.Heading("II. ĐỀ XUẤT"),
        od.Paragraph(
            "Các mục tiêu không đạt được phân tích nguyên nhân và thực hiện hành động khắc "
            "phục; kết quả là đầu vào của cuộc họp xem xét của lãnh đạo."
        ),
    ]
    return frame(report.paper, body=body)


def download(request: HttpRequest, record: OfficialRecord) -> HttpResponse:
    content = od.build_docx(record.official_document())
    return attachment(content, DOCX_TYPE, f"{record.file_stem()}.docx")


__all__ = ["download", "number_text", "objectives_decision", "policy_decision", "results_report"]
