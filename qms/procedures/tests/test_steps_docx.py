"""The steps table printed in the ISO procedure layout is the table that is tracked: the
DOCX's rows are the saved steps, in order, with the same columns as a procedure's section 5."""

import io
from decimal import Decimal

import docx
from django.urls import reverse

from qms.organization.models import Unit
from qms.procedures import steps
from qms.procedures.models import DayKind
from qms.procedures.tests.matrix_steps import handling_for

ROWS = [
    steps.StepRow(
        "Tiếp nhận hồ sơ tại Bộ phận Một cửa",
        "Bộ phận Một cửa",
        Decimal("0.5"),
        "Phiếu tiếp nhận hồ sơ và hẹn trả kết quả",
    ),
    steps.StepRow("Chuyển hồ sơ đến phòng chuyên môn", "Văn phòng Sở", Decimal("0.5")),
    steps.StepRow("Thẩm định hồ sơ", "Chuyên viên Văn phòng Sở", Decimal(6), "Dự thảo kết quả"),
    steps.StepRow("Lãnh đạo phê duyệt", "Giám đốc hoặc Phó Giám đốc", Decimal(1), "Kết quả"),
    steps.StepRow("Trả kết quả", "Bộ phận Một cửa", Decimal("0.5"), "Sổ theo dõi hồ sơ"),
]


def _download(client, handling):
    url = reverse("procedures:steps_docx", args=[handling.agency_id, handling.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return docx.Document(io.BytesIO(response.content))


def test_the_docx_table_is_the_saved_steps(cast, login):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    handling = handling_for(cast.a, office)
    steps.set_steps(handling, ROWS)
    document = _download(login(cast.users["staff"]), handling)
    table = document.tables[-1]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == [
        "Bước",
        "Trách nhiệm",
        "Nội dung công việc",
        "Thời gian",
        "Biểu mẫu/Kết quả",
    ]
    expected = [
        [f"B{n}", s.responsible, s.action, f"{steps.days_text(s.days)} ngày", s.result]
        for n, s in enumerate(handling.steps.all(), start=1)
    ]
    assert cells[1:] == expected
    assert expected[0][3] == "0,5 ngày"
    text = "\n".join(p.text for p in document.paragraphs)
    assert handling.procedure.code in text
    assert handling.procedure.name in text
    assert "Thời gian giải quyết theo quy định: 15 ngày làm việc" in text
    assert "Thời gian cam kết: 10 ngày làm việc" in text
    assert "Tổng thời gian giải quyết: 8,5 ngày làm việc." in text


def test_a_procedure_in_calendar_days_says_so(cast, login):
    handling = handling_for(cast.a, None, statutory="30", committed=None, day_kind=DayKind.CALENDAR)
    document = _download(login(cast.users["secretary"]), handling)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Thời gian giải quyết theo quy định: 30 ngày (tính theo ngày lịch)" in text
    assert "Tổng thời gian giải quyết: 0 ngày làm việc." in text
