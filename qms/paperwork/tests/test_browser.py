"""Real Chromium, the Hải Phòng demo: the registry clerk (văn thư) opens the register of
outgoing documents, finds the plan, attaches its digitally signed PDF and reads what the
signature says."""

import pytest

from conftest import log_in
from qms.lib import selfsigned
from qms.organization import demo as organization_demo
from qms.plans import demo as plans_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_server, transactional_db):
    organization_demo.load()
    plans_demo.load()
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


def test_the_registry_clerk_attaches_the_signed_plan_and_sees_the_signature(page, tmp_path):
    log_in(page, "vanthu.hp")
    page.wait_for_url("**/agencies/*/")
    page.get_by_role("button", name="Tài liệu").click()
    page.get_by_role("link", name="Sổ đăng ký văn bản đi").click()
    page.locator("#register-filter select[name=kind]").select_option("KH")
    page.locator("#register-filter input[name=year]").fill("2026")
    page.get_by_role("button", name="Lọc").click()
    row = page.locator("#register-table tbody tr", has_text="12/KH-BQL")
    assert "20/01/2026" in row.inner_text()
    row.get_by_role("link", name="12/KH-BQL").click()
    page.wait_for_url("**/plans/*/")

    signed, _ca = selfsigned.sign_pdf(
        selfsigned.minimal_pdf("Ke hoach 12/KH-BQL"), "Nguyễn Văn Chuẩn", "Ban Quản lý"
    )
    path = tmp_path / "KH-12-BQL-ban-ky.pdf"
    path.write_bytes(signed)
    page.locator("#signed-copy-form input[type=file]").set_input_files(str(path))
    page.locator("#signed-copy-form button[type=submit]").click()
    page.wait_for_selector("#signature-report")
    assert page.locator("#signed-copy-link").inner_text().strip() == "KH-12-BQL-ban-ky.pdf"
    assert "Nguyễn Văn Chuẩn" in page.locator("#signature-signer").inner_text()
    assert "Chưa thay đổi kể từ khi ký" in page.locator("#signature-integrity").inner_text()
    # No trusted root configured on this server: it says so and never says "valid".
    assert "Chưa cấu hình" in page.locator("#signature-trust").inner_text()
    assert "hợp lệ" not in page.locator("#signature-summary").inner_text().lower()
    # The clerk records no approval: the plan's issue form is not hers.
    assert page.locator("#issue-form").count() == 0
