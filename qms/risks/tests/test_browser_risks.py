"""Real Chromium: the head of a unit records a risk of their unit with its first assessment,
plans a treatment given to one of their staff; she records it as done from the risk's page;
the ISO secretary checks its effectiveness and reassesses; the risk shows before → after and
the heat map lists it in its new cell."""

import pytest
from playwright.sync_api import expect

from qms import demo
from qms.organization.models import Agency
from qms.risks.models import Risk

pytestmark = pytest.mark.browser
YEAR = 2026


def test_a_risk_from_identification_to_its_reassessment(open_as):
    demo.load()
    agency = Agency.objects.get(name="Ban Quản lý Khu kinh tế Hải Phòng")
    register = f"/agencies/{agency.pk}/risks/?year={YEAR}"

    # 1. The head of the investment division records a risk of their own unit.
    head = open_as("truongphong.hp")
    head.goto(head.base_url + register)
    head.locator("#risk-new").click()
    head.locator("#id_kind").select_option("risk")
    head.locator("#id_unit").select_option(label="Phòng Quản lý đầu tư")
    head.locator("#id_description").fill("Hồ sơ cấp giấy chứng nhận đầu tư bị trả lại nhiều lần")
    head.locator("#id_cause").fill("Hướng dẫn thành phần hồ sơ chưa thống nhất")
    head.locator("#id_consequence").fill("Nhà đầu tư phải đi lại nhiều lần, phản ánh kiến nghị")
    head.locator("#id_likelihood").select_option("4")
    head.locator("#id_impact").select_option("4")
    head.get_by_role("button", name="Lưu").click()
    expect(head.locator("#risk-level")).to_contain_text("16")
    expect(head.locator("#risk-level")).to_contain_text("Cần có biện pháp xử lý")
    risk_page = head.url

    # 2. A treatment given to a member of staff of the unit, due early in the year.
    head.locator("#treatment-new").click()
    head.locator("#id_action").fill("Ban hành hướng dẫn thống nhất thành phần hồ sơ")
    head.locator("#id_owner_person").select_option(label="Đỗ Thị Mai")
    head.locator("#id_due_on").fill("15/01/2026")
    head.get_by_role("button", name="Lưu").click()
    expect(head.locator("#treatments")).to_contain_text("Ban hành hướng dẫn thống nhất")

    # 3. She records it as done from the risk's page (her own work).
    staff = open_as("chuyenvien.hp")
    staff.goto(risk_page)
    staff.get_by_role("link", name="Ghi nhận hoàn thành").click()
    staff.locator("#id_done_on").fill("10/01/2026")
    staff.locator("#id_note").fill("Đã ban hành hướng dẫn kèm danh mục hồ sơ mẫu")
    staff.get_by_role("button", name="Lưu").click()
    expect(staff.locator("#treatments")).to_contain_text("10/01/2026")

    # 4. The ISO secretary checks its effectiveness and reassesses the risk.
    secretary = open_as("thuky.hp")
    secretary.goto(risk_page)
    expect(secretary.locator("#treatments .check-due")).to_have_count(1)
    secretary.get_by_role("link", name="Đánh giá hiệu lực").click()
    secretary.locator("#id_result").select_option("effective")
    secretary.locator("#id_note").fill("Số hồ sơ bị trả lại giảm rõ rệt")
    secretary.get_by_role("button", name="Lưu").click()
    expect(secretary.locator("#treatments")).to_contain_text("Số hồ sơ bị trả lại giảm rõ rệt")
    secretary.locator("#reassess").click()
    secretary.locator("#id_likelihood").select_option("2")
    secretary.locator("#id_impact").select_option("3")
    secretary.locator("#id_note").fill("Đánh giá lại sau khi thực hiện biện pháp")
    secretary.get_by_role("button", name="Lưu").click()
    expect(secretary.locator("#before-after")).to_contain_text("16")
    expect(secretary.locator("#before-after")).to_contain_text("6")

    risk = Risk.objects.get(agency=agency, description__startswith="Hồ sơ cấp giấy chứng nhận")
    assert (risk.likelihood, risk.impact, risk.level) == (2, 3, 6)
    secretary.goto(secretary.base_url + f"/agencies/{agency.pk}/risks/heat-map/?year={YEAR}")
    cell = secretary.locator("#cell-2-3")
    expect(cell).to_have_attribute(
        "data-count",
        str(
            Risk.objects.filter(
                agency=agency, year=YEAR, kind="risk", likelihood=2, impact=3
            ).count()
        ),
    )
    cell.locator("a").click()
    expect(secretary.locator("#risk-table")).to_contain_text("Hồ sơ cấp giấy chứng nhận đầu tư")
