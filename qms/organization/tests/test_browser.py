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
