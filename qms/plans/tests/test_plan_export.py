"""Both seed plans come back out as official documents holding every task row."""

import io

import docx
import pytest
from openpyxl import load_workbook

from qms.organization import demo as organization_demo
from qms.plans import demo, documents, services
from qms.plans import timing as tm
from qms.plans.models import Plan


@pytest.fixture
def seeds(db):
    organization_demo.load()
    demo.load()
    return {p.year: p for p in Plan.objects.filter(last_year=None).select_related("agency")}


def text_of(content):
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_hai_phong_plan_holds_every_seed_row_with_its_wording(seeds):
    plan = seeds[2026]
    rows = services.task_rows(plan)
    from qms.lib import officialdoc as od

    text = text_of(od.build_docx(documents.plan_document(plan, rows)))
    assert len(rows) == 8
    for row in rows:
        assert row.task.content in text
        for line in row.wording.splitlines():
            assert line in text
    for expected in (
        "Cả năm 2026",
        "Quý III/2026",
        "Định kỳ 03 tháng/lần",
        "10 ngày kể từ ngày họp xem xét của lãnh đạo",
        "15 ngày trước khi có thông báo kiểm tra của cơ quan có thẩm quyền",
        "Số: 12/KH-BQL",
        "KT. TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "Nguyễn Văn Chuẩn",
        "NHIỆM VỤ TRỌNG TÂM",
        "III. TỔ CHỨC THỰC HIỆN",
        "Đơn vị phối hợp",
        "- Lưu: VT, BCĐ ISO, VP/BQL.",  # the registry's copy first (NĐ 30/2020)
    ):
        assert expected in text, expected


def test_the_binh_son_plan_uses_its_own_columns_and_budget(seeds):
    plan = seeds[2024]
    rows = services.task_rows(plan)
    from qms.lib import officialdoc as od

    document = docx.Document(io.BytesIO(od.build_docx(documents.plan_document(plan, rows))))
    task_table = next(t for t in document.tables if t.rows[0].cells[0].text == "TT")
    assert [c.text for c in task_table.rows[0].cells] == [
        "TT",
        "Công việc",
        "Thời gian thực hiện",
        "Chủ trì/ tham mưu",
        "Phê duyệt/ báo cáo",
    ]
    assert len(task_table.rows) == 8
    text = text_of(od.build_docx(documents.plan_document(plan, rows)))
    for expected in (
        "Tháng 6/2024 và tháng 11/2024",
        "Thường xuyên",
        "(hoặc khi có thay đổi danh mục TTHC)",
        "2. Kinh phí thực hiện",
        "2158/QĐ-UBND",
        "CHỦ TỊCH",
        "Nguyễn Tưởng Duy",
    ):
        assert expected in text, expected


def test_the_seed_timings_are_valid_rules(seeds):
    for plan in seeds.values():
        for task in plan.tasks.all():
            tm.Timing.from_dict(task.timing)


def test_it_exports_the_tasks_with_progress_as_xlsx(seeds, client):
    from qms.organization.models import User

    plan = seeds[2026]
    client.force_login(User.objects.get(username="thuky.hp"))
    response = client.get(f"/agencies/{plan.agency_id}/plans/{plan.pk}/export/xlsx/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 9
    assert sheet["B2"].value == "Rà soát, kiện toàn nhân sự Ban Chỉ đạo ISO"
    assert "Lãnh đạo Ban đã phê duyệt" in sheet["J3"].value  # the latest note
    assert sheet["I3"].value == "Hoàn thành"


def test_it_writes_the_progress_report(seeds, client):
    from qms.organization.models import User

    plan = seeds[2026]
    client.force_login(User.objects.get(username="thuky.hp"))
    response = client.get(f"/agencies/{plan.agency_id}/plans/{plan.pk}/export/progress-docx/")
    text = text_of(response.content)
    assert "BÁO CÁO" in text and "Kế hoạch số 12/KH-BQL" in text
    assert "8 nhiệm vụ" in text and "Chờ sự kiện" in text


def test_it_downloads_the_plan_as_pdf_when_libreoffice_is_installed(seeds, client):
    from qms.lib.pdf import soffice_available
    from qms.organization.models import User

    if not soffice_available():
        pytest.skip("LibreOffice is not installed here (make test installs it on CI)")
    plan = seeds[2024]
    client.force_login(User.objects.get(username="thuky.bs"))
    response = client.get(f"/agencies/{plan.agency_id}/plans/{plan.pk}/export/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
