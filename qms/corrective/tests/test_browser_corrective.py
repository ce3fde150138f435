"""Real Chromium (issue 14 §2): a staff member reports a nonconformity; the head of unit
accepts it, analyses its cause with the 5 whys and plans an action; the staff member records
the action done; the head of unit sends it for verification; the ISO secretary — another
person — verifies it effective and it is closed."""

from importlib import import_module

import pytest
from playwright.sync_api import expect

from qms import demo
from qms.corrective.models import Nonconformity
from qms.organization.models import Agency

pytestmark = pytest.mark.browser
TITLE = "Phiếu kiểm soát quá trình không ghi thời gian chuyển bước"


def _demo() -> None:
    for name in demo.STEPS[: demo.STEPS.index("qms.corrective.demo") + 1]:
        if name != "qms.audits.demo":  # not read by this journey
            import_module(name).load()


def test_a_nonconformity_from_report_to_closing(open_as):
    _demo()
    agency = Agency.objects.get(name="Ban Quản lý Khu kinh tế Hải Phòng")

    # 1. A staff member reports it, naming the head of unit as responsible.
    staff = open_as("chuyenvien.hp")
    staff.goto(f"{staff.base_url}/agencies/{agency.pk}/nonconformities/")
    staff.locator("#nonconformity-new").click()
    staff.locator("#id_title").fill(TITLE)
    staff.locator("#id_description").fill("Kiểm tra 10 hồ sơ tháng 11: 04 phiếu không ghi giờ.")
    staff.locator("#id_origin").select_option(label="Trong quá trình làm việc")
    staff.locator("#id_unit").select_option(label="Phòng Quản lý đầu tư")
    staff.locator("#id_owner").select_option(label="Lê Văn Nam")
    staff.get_by_role("button", name="Lưu").click()
    expect(staff.locator("#nc-status")).to_have_text("Mới báo cáo")
    detail = staff.url
    number = Nonconformity.objects.get(agency=agency, title=TITLE).number
    expect(staff.locator("#nc-number")).to_have_text(number)

    # 2. The head of unit accepts it and analyses the cause with the 5 whys.
    head = open_as("truongphong.hp")
    head.goto(detail)
    head.locator("#step-accept").click()
    expect(head.locator("#nc-status")).to_have_text("Phân tích nguyên nhân")
    head.locator("#step-analyse").click()  # refused: no root cause yet
    expect(head.locator(".alert-danger, .alert-warning").first).to_contain_text("nguyên nhân gốc")
    head.locator("#analysis-edit").click()
    head.locator("#id_correction").fill("Bổ sung giờ chuyển bước cho 04 phiếu")
    head.locator("#id_method").select_option(label="5 câu hỏi “Tại sao”")
    head.locator("#id_why_1").fill("Vì sao phiếu không ghi giờ?")
    head.locator("#id_because_1").fill("Mẫu phiếu cũ không có cột giờ")
    head.locator("#id_why_2").fill("Vì sao còn dùng mẫu cũ?")
    head.locator("#id_because_2").fill("Chưa thu hồi mẫu cũ khi ban hành quy trình mới")
    head.locator("#id_root_cause").fill("Không kiểm soát việc thu hồi biểu mẫu lỗi thời")
    head.get_by_role("button", name="Lưu").click()
    expect(head.locator("#why-lines li")).to_have_count(2)
    head.locator("#step-analyse").click()
    expect(head.locator("#nc-status")).to_have_text("Lập kế hoạch hành động")

    # 3. The action plan: one action, for the staff member.
    head.locator("#action-new").click()
    head.locator("#id_description").fill("Thu hồi mẫu phiếu cũ, phát mẫu mới có cột giờ")
    head.locator("#id_owner").select_option(label="Đỗ Thị Mai")
    head.locator("#id_due_date").fill("31/12/2026")
    head.get_by_role("button", name="Lưu").click()
    head.locator("#step-start").click()
    expect(head.locator("#nc-status")).to_have_text("Đang thực hiện hành động")

    # 4. The staff member records the action done.
    staff.goto(detail)
    staff.locator(".action-done").click()
    staff.locator("#id_note").fill("Đã thu hồi 30 phiếu cũ")
    staff.get_by_role("button", name="Lưu").click()
    expect(staff.locator("#actions")).to_contain_text("Đã thu hồi 30 phiếu cũ")

    # 5. Sent for verification; the person responsible cannot verify it himself.
    head.goto(detail)
    head.locator("#step-request_verification").click()
    expect(head.locator("#nc-status")).to_have_text("Xác nhận hiệu lực")
    expect(head.locator("#step-close")).to_have_count(0)

    # 6. The ISO secretary verifies it effective: closed.
    secretary = open_as("thuky.hp")
    secretary.goto(detail)
    secretary.locator("#close-note").fill("Kiểm tra 10 hồ sơ tháng 12: đều ghi đủ giờ")
    secretary.locator("#step-close").click()
    expect(secretary.locator("#nc-status")).to_have_text("Đã kết thúc")
    expect(secretary.locator("#verifications")).to_contain_text("Có hiệu lực")
