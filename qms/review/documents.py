"""The minutes of the management review ("Biên bản họp xem xét của lãnh đạo") in the NĐ 30
frame of the review's paper: the meeting, each input as compiled and edited, the conclusion,
and the decisions with who carries them out and by when — the text the head signs is the
text the register keeps."""

from __future__ import annotations

from qms.lib import officialdoc as od
from qms.paperwork.frame import frame
from qms.review.models import ManagementReview, ReviewOutput

ROMAN = ("I", "II", "III", "IV")


def _meeting(review: ManagementReview) -> list[od.Block]:
    people = ", ".join(p.full_name for p in review.participants.order_by("full_name"))
    lines = [
        f"Thời gian: ngày {review.held_on or review.meeting_on:%d/%m/%Y}.",
        f"Địa điểm: {review.place or review.agency.name}.",
        f"Chủ trì: {review.chair.full_name}.",
        f"Thành phần tham dự: {people or 'theo danh sách kèm theo'}.",
    ]
    if review.guests.strip():
        lines.append(f"Khách mời: {review.guests.strip()}.")
    return [od.Paragraph(line) for line in lines]


def _inputs(review: ManagementReview) -> list[od.Block]:
    blocks: list[od.Block] = []
    for n, found in enumerate(review.inputs.order_by("order"), start=1):
        blocks.append(od.Paragraph(f"{n}. {found.title}", bold=True))
        if found.text.strip():
            blocks += [od.Paragraph(line) for line in found.text.splitlines() if line.strip()]
        for label, value in found.figures:
            blocks.append(od.Paragraph(f"- {label}: {value}."))
    return blocks or [od.Paragraph("Chưa tổng hợp đầu vào.")]


def _owner(output: ReviewOutput) -> str:
    if output.owner_person is not None:
        return output.owner_person.full_name
    return output.owner_unit.name if output.owner_unit is not None else ""


def _outputs(review: ManagementReview) -> list[od.Block]:
    outputs = list(review.outputs.select_related("owner_unit", "owner_person"))
    if not outputs:
        return [od.Paragraph("Cuộc họp không đề ra quyết định, hành động mới.")]
    columns = [
        od.Column("TT", 10, "center"),
        od.Column("Nội dung", 70),
        od.Column("Loại", 34),
        od.Column("Thực hiện", 34),
        od.Column("Thời hạn", 24, "center"),
    ]
    rows: list[list[str] | od.SpanRow] = [
        [str(n), o.description, str(o.get_kind_display()), _owner(o), f"{o.due_on:%d/%m/%Y}"]
        for n, o in enumerate(outputs, start=1)
    ]
    return [od.Table(columns, rows, font_size=11)]


def minutes(review: ManagementReview) -> od.OfficialDocument:
    body: list[od.Block] = [
        *_meeting(review),
        od.Heading(f"{ROMAN[0]}. CÁC ĐẦU VÀO CỦA XEM XÉT"),
        *_inputs(review),
        od.Heading(f"{ROMAN[1]}. KẾT LUẬN"),
        *(
            [od.Paragraph(line) for line in review.conclusion.splitlines() if line.strip()]
            or [
                od.Paragraph("(Kết luận của người chủ trì, ghi khi cuộc họp diễn ra.)", italic=True)
            ]
        ),
        od.Heading(f"{ROMAN[2]}. CÁC QUYẾT ĐỊNH VÀ HÀNH ĐỘNG"),
        *_outputs(review),
    ]
    return frame(review.paper, body=body)
