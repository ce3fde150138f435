"""Real Chromium (Debian's package) driven by Playwright against the live server."""

import io

import docx
import pytest

from conftest import log_in
from qms.organization import demo

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_server, transactional_db):
    demo.load()
    context = browser.new_context(accept_downloads=True, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


def test_the_secretary_reaches_the_committee_and_downloads_the_decision(page):
    log_in(page, "thuky.hp")
    page.wait_for_url("**/agencies/*/")
    assert page.get_by_role("heading", name="Ban Quản lý Khu kinh tế Hải Phòng").is_visible()
    assert page.locator("[data-figure=units]").inner_text() == "7"
    page.get_by_role("button", name="Tổ chức").click()  # the menu groups the organisation
    page.get_by_role("link", name="Ban Chỉ đạo ISO").first.click()
    members = page.locator("#members")
    assert "Nguyễn Văn Chuẩn" in members.inner_text()
    page.locator("#decisions").get_by_role("link", name="128/QĐ-BQL (12/08/2025)").click()
    with page.expect_download() as download_info:
        page.locator("#download-docx").click()
    download = download_info.value
    assert download.suggested_filename == "QD-128-BQL-ban-chi-dao-ISO.docx"
    document = docx.Document(io.BytesIO(download.path().read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Về việc kiện toàn Ban Chỉ đạo" in text
    assert "Số: 128/QĐ-BQL" in cells and "KT. TRƯỞNG BAN" in cells


def test_the_overseer_sees_only_the_agencies_of_hai_phong(page):
    log_in(page, "sokhcn.hp")
    page.wait_for_url("**/province/")
    table = page.locator("table").inner_text()
    assert "Ban Quản lý Khu kinh tế Hải Phòng" in table
    assert "Bình Sơn" not in table and "Quảng Ngãi" not in table
    page.get_by_role("link", name="Ban Quản lý Khu kinh tế Hải Phòng").click()
    assert page.get_by_text("chỉ được xem").is_visible()


def test_the_administrator_creates_an_agency_and_dissolves_it_into_another(page):
    log_in(page, "admin")
    page.wait_for_url("**/province/")
    page.get_by_role("link", name="Tỉnh và cơ quan").click()
    page.get_by_role("link", name="Thêm tỉnh").click()
    page.get_by_label("Tên tỉnh, thành phố hoặc bộ, ngành").fill("Tỉnh Thử Nghiệm")
    page.get_by_role("button", name="Lưu").click()
    assert page.get_by_text("Đã lưu tỉnh.").is_visible()

    page.get_by_role("link", name="Thêm cơ quan").click()
    page.get_by_label("Tỉnh/thành phố").select_option(label="Tỉnh Thử Nghiệm")
    page.get_by_label("Loại").select_option(label="Sở, cơ quan chuyên môn thuộc UBND tỉnh")
    page.get_by_label("Tên đầy đủ của cơ quan").fill("Sở Nội vụ Tỉnh Thử Nghiệm")
    page.get_by_label("Chữ viết tắt tên cơ quan trong ký hiệu văn bản").fill("SNV")
    page.get_by_label("Địa danh ghi trên văn bản").fill("Thử Nghiệm")
    page.get_by_label("Chức danh người đứng đầu").fill("Giám đốc")
    page.get_by_label("Chức danh cấp phó").fill("Phó Giám đốc")
    page.get_by_role("button", name="Lưu").click()
    assert page.get_by_text("Đã lưu cơ quan.").is_visible()
    page.get_by_role("link", name="Thêm cơ quan").click()
    page.get_by_label("Tỉnh/thành phố").select_option(label="Tỉnh Thử Nghiệm")
    page.get_by_label("Loại").select_option(label="Sở, cơ quan chuyên môn thuộc UBND tỉnh")
    page.get_by_label("Tên đầy đủ của cơ quan").fill("Sở Tư pháp Tỉnh Thử Nghiệm")
    page.get_by_label("Chữ viết tắt tên cơ quan trong ký hiệu văn bản").fill("STP")
    page.get_by_label("Địa danh ghi trên văn bản").fill("Thử Nghiệm")
    page.get_by_label("Chức danh người đứng đầu").fill("Giám đốc")
    page.get_by_label("Chức danh cấp phó").fill("Phó Giám đốc")
    page.get_by_role("button", name="Lưu").click()

    page.locator("#province-list").get_by_role("link", name="Tỉnh Thử Nghiệm 2").click()
    row = page.locator("#agency-table tr", has_text="Sở Tư pháp Tỉnh Thử Nghiệm")
    row.get_by_role("link", name="Giải thể").click()
    page.get_by_label("Ngày cuối cùng cơ quan hoạt động").fill("30/06/2026")
    page.get_by_label("Cơ quan kế thừa (tiếp nhận nhiệm vụ)").select_option(
        label="Sở Nội vụ Tỉnh Thử Nghiệm"
    )
    page.get_by_role("button", name="Ghi nhận giải thể").click()
    assert page.get_by_text("Đã ghi nhận cơ quan giải thể.").is_visible()
    row = page.locator("#agency-table tr", has_text="Sở Tư pháp Tỉnh Thử Nghiệm")
    assert "Đã giải thể ngày 30/06/2026" in row.inner_text()
    assert "Cơ quan kế thừa: Sở Nội vụ Tỉnh Thử Nghiệm" in row.inner_text()


def test_the_secretary_changes_a_role_and_reads_it_in_the_persons_history(page):
    from django.urls import reverse

    from qms.organization.models import Agency

    agency = Agency.objects.get(name="Ban Quản lý Khu kinh tế Hải Phòng")
    log_in(page, "thuky.hp")
    page.wait_for_url("**/agencies/*/")
    page.goto(page.base_url + reverse("organization:person_list", args=[agency.pk]))
    page.locator("tr", has_text="Đỗ Thị Mai").get_by_role("link", name="Sửa").click()
    page.get_by_label("Chuyên gia đánh giá nội bộ").check()
    page.get_by_role("button", name="Lưu").click()
    assert page.get_by_text("Đã lưu các thay đổi.").is_visible()

    page.locator("tr", has_text="Đỗ Thị Mai").get_by_role("link", name="Sửa").click()
    page.get_by_role("link", name="Lịch sử thay đổi").click()
    assert page.get_by_role("heading", name="Lịch sử thay đổi: Đỗ Thị Mai").is_visible()
    latest = page.locator("#history tbody tr").first
    cells = latest.locator("td")
    assert cells.nth(1).inner_text() == "Phạm Thị Thu Hà"
    assert cells.nth(2).inner_text() == "Sửa"
    change = cells.nth(3).locator(".history-change")
    assert change.inner_text() == (
        "Vai trò: Công chức, viên chức → Công chức, viên chức, Chuyên gia đánh giá nội bộ"
    )
    assert change.locator(".text-decoration-line-through").inner_text() == "Công chức, viên chức"

    page.get_by_role("link", name="Quay lại thông tin cán bộ").click()
    assert page.get_by_role("heading", name="Đỗ Thị Mai").is_visible()
    assert page.get_by_label("Chuyên gia đánh giá nội bộ").is_checked()
