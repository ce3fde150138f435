"""The plan and its progress report as official documents (DOCX in the NĐ 30/2020 layout),
and the task list as XLSX."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from qms.lib import officialdoc as od
from qms.paperwork.frame import frame, header_names, signature
from qms.paperwork.kinds import Kind
from qms.plans.models import Column, Plan
from qms.plans.services import TaskRow, summary

# Widths (mm) of the task table's columns; content takes what is left of 165 mm.
WIDTHS = {
    "order": 10.0,
    Column.TIMING: 30.0,
    Column.LEAD: 25.0,
    Column.COORDINATION: 32.0,
    Column.APPROVER: 24.0,
    Column.EXPECTED_RESULT: 25.0,
    Column.NOTE: 20.0,
}
MIN_CONTENT_MM = 35.0
HEADING = re.compile(r"^(\d+|[IVX]+)\.\s")


def text_blocks(text: str) -> list[od.Block]:
    """Free text to blocks: "1. …" lines are headings, others paragraphs."""
    blocks: list[od.Block] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        if HEADING.match(line):
            blocks.append(od.Heading(line, level=2))
        else:
            blocks.append(od.Paragraph(line))
    return blocks


def _cell(row: TaskRow, key: str) -> str:
    task = row.task
    if key == Column.TIMING:
        return row.wording
    if key == Column.LEAD:
        return task.lead_label()
    if key == Column.COORDINATION:
        return "\n".join(c.label() for c in task.coordinations.all())
    if key == Column.APPROVER:
        return task.approver
    if key == Column.EXPECTED_RESULT:
        return task.expected_result
    return task.note


def task_table(plan: Plan, rows: list[TaskRow]) -> od.Table:
    keys = [str(key) for key in plan.columns]
    fixed = sum(WIDTHS[key] for key in ["order", *keys])
    content_mm = max(od.TEXT_W_MM - fixed, MIN_CONTENT_MM)
    scale = od.TEXT_W_MM / (fixed + content_mm)  # squeeze when many columns are chosen
    columns = [
        od.Column(plan.column_title("order"), WIDTHS["order"] * scale, align="center"),
        od.Column(plan.column_title("content"), content_mm * scale),
    ]
    columns += [od.Column(plan.column_title(key), WIDTHS[key] * scale) for key in keys]
    table_rows: list[list[str] | od.SpanRow] = []
    for row in rows:
        if row.heading:  # services.mark_headings: a phase or group begins
            table_rows.append(od.SpanRow(row.heading))
        table_rows.append([str(row.task.order), row.task.content, *(_cell(row, k) for k in keys)])
    return od.Table(columns=columns, rows=table_rows, font_size=12)


ROMAN = ("I", "II", "III")


def plan_body(plan: Plan, rows: list[TaskRow]) -> list[od.Block]:
    """Sections I–III and the task table, as the plan prints them. Sections I (purpose) and
    III (implementation) are optional: an empty one is left out with its heading, and the
    sections printed are numbered in turn (the tasks are "I." when there is no purpose)."""
    purpose, organisation = text_blocks(plan.purpose), text_blocks(plan.organisation)
    numbers = iter(ROMAN)
    body: list[od.Block] = []
    if purpose:
        body += [od.Heading(f"{next(numbers)}. MỤC ĐÍCH, YÊU CẦU"), *purpose]
    body.append(od.Heading(f"{next(numbers)}. {plan.section_two_title.upper()}"))
    if plan.budget:
        body.append(od.Heading("1. Nội dung chi tiết và tiến độ thực hiện", level=2))
    body.append(task_table(plan, rows))
    if plan.budget:
        body += [od.Heading("2. Kinh phí thực hiện", level=2), *text_blocks(plan.budget)]
    if organisation:
        body += [od.Heading(f"{next(numbers)}. TỔ CHỨC THỰC HIỆN"), *organisation]
    if plan.closing:
        body.append(od.Paragraph(plan.closing))
    return body


def plan_document(plan: Plan, rows: list[TaskRow]) -> od.OfficialDocument:
    """The plan as a Kế hoạch numbered on its own, or — when the agency issues it by a
    decision — the "Quyết định ban hành Kế hoạch …" followed by the plan it issues."""
    if not plan.by_decision:
        return frame(plan.paper, body=plan_body(plan, rows), intro=plan.intro)
    agency = plan.agency
    articles: list[od.Block] = [
        od.Article(1, f"Ban hành kèm theo Quyết định này Kế hoạch {decision_title(plan)}."),
        od.Article(2, "Quyết định này có hiệu lực kể từ ngày ký."),
        od.Article(
            3,
            f"Chánh Văn phòng, Thủ trưởng các phòng, đơn vị thuộc {agency.name}, Ban Chỉ đạo "
            "ISO và các cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.",
        ),
    ]
    intro = [od.Paragraph(line) for line in plan.intro.splitlines() if line.strip()]
    document = frame(
        plan.paper,
        body=articles,
        annexes=[(f"KẾ HOẠCH\n{plan.title}", [*intro, *plan_body(plan, rows)])],
    )
    return replace(document, annex_issued=True)


def decision_title(plan: Plan) -> str:
    title = plan.title.strip()
    return f"{title[:1].lower()}{title[1:]}"


def _progress_cell(row: TaskRow) -> str:
    notes = list(row.task.progress_notes.all())
    latest = f"\n{notes[0].on:%d/%m/%Y}: {notes[0].text}" if notes else ""
    if row.task.skip_reason:
        latest += f"\n{row.task.skip_reason}"
    return f"{row.status_label}{latest}{_occurrences_cell(row)}"


def _occurrences_cell(row: TaskRow) -> str:
    """A task of several occurrences: where each dated one stands ("Hạn 31/03/2026: hoàn
    thành ngày 28/03/2026", "… : quá hạn", "… : không thực hiện – lý do")."""
    if len(row.keys) < 2:
        return ""
    lines = []
    for line in row.occurrence_lines():
        if line.occurrence.due is None:
            continue
        record = line.record
        if line.state == "done":
            on = record.done_on if record is not None else None
            state = f"hoàn thành ngày {on:%d/%m/%Y}" if on else "hoàn thành"
        elif line.state == "cancelled":
            state = f"không thực hiện – {record.reason}" if record else "không thực hiện"
        else:
            state = "quá hạn" if line.is_overdue else "chưa đến hạn"
        lines.append(f"\nHạn {line.occurrence.due:%d/%m/%Y}: {state}")
    return "".join(lines)


def _due_cell(row: TaskRow) -> str:
    if row.next_due:
        return f"{row.next_due:%d/%m/%Y}"
    return "Chờ sự kiện" if row.waiting_for else ""


def plan_word(plan: Plan) -> str:
    """How the report names the plan: "Kế hoạch", or "Chương trình" for a programme issued
    as one (a Chương trình is printed with its own type, Kind.PROGRAMME)."""
    return "Chương trình" if plan.paper.kind == Kind.PROGRAMME else "Kế hoạch"


def progress_document(
    plan: Plan, rows: list[TaskRow], day: dt.date, year: int | None = None
) -> od.OfficialDocument:
    """Annex of the 6-month report: where each task stands on `day`; for a programme, the
    rows of one of its years (`year`) and their counts."""
    day = plan.agency.dated(day)
    counts = summary(plan, day, only=None if year is None else [r.task.pk for r in rows])
    within = f"trong năm {year}, " if year else ""
    sentence = (
        f"Tính đến ngày {day:%d/%m/%Y}, {within}{plan_word(plan)} có {counts.total} nhiệm vụ: "
        f"{counts.done} nhiệm vụ đã hoàn thành, {counts.late} nhiệm vụ quá hạn, "
        f"{counts.waiting} nhiệm vụ đang chờ sự kiện để xác định thời hạn."
    )
    columns = [
        od.Column("STT", 10, align="center"),
        od.Column("Nhiệm vụ", 70),
        od.Column("Thời hạn", 25),
        od.Column("Kết quả thực hiện", 60),
    ]
    table = od.Table(
        columns=columns,
        font_size=12,
        rows=[[str(r.task.order), r.task.content, _due_cell(r), _progress_cell(r)] for r in rows],
    )
    paper = plan.paper
    # A report draft for signing in the plan's frame (header, signer, archive); the periodic
    # reports app registers reports of its own.
    parent, name = header_names(paper)
    number = f"{paper.number_text}/{paper.symbol}" if paper.is_issued else f"…/{paper.symbol}"
    return od.OfficialDocument(
        agency_name=name,
        parent_agency_name=parent,
        agency_abbr=paper.issuer_abbreviation,
        doc_type="BC",
        type_title="BÁO CÁO",
        subject=f"Tình hình thực hiện {plan_word(plan)} số {number} – {plan.title}"
        + (f" (năm {year})" if year else ""),
        place=paper.agency.place_name,
        year=day.year,
        body=[od.Paragraph(sentence), table],
        recipients=["Sở Khoa học và Công nghệ (để b/c)", "Ban Chỉ đạo ISO"],
        archive_note=paper.archive_note,
        signature=signature(paper),
    )
