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


def test_a_refused_issue_form_keeps_what_was_typed_and_says_why_beside_each_field(open_as):
    from qms.organization.models import CommitteeDecision

    organization_demo.load()
    draft = CommitteeDecision.objects.filter(paper__status="draft").get()
    secretary = open_as("thuky.hp")
    secretary.goto(f"{secretary.base_url}{draft.get_absolute_url()}")
    secretary.get_by_role("button", name="Trình ký").click()
    secretary.wait_for_selector("#paper-status[data-state=signing]")

    deputy = open_as("lanhdao.hp")
    deputy.goto(f"{deputy.base_url}{draft.get_absolute_url()}")
    form = deputy.locator("#issue-form")
    form.get_by_label("Số").fill("7")
    form.get_by_label("Ngày ký").fill("31/02/2026")
    form.get_by_role("button", name="Ghi nhận đã ký ban hành").click()
    deputy.wait_for_selector("#issue-form .is-invalid")
    form = deputy.locator("#issue-form")
    assert form.get_by_label("Số").input_value() == "7"  # nothing typed is lost
    assert form.get_by_label("Ngày ký").input_value() == "31/02/2026"
    # The reason beside the date, in Vietnamese; the number is not marked.
    date_box = form.locator(".mb-3", has=deputy.locator("input[name=issued_on]"))
    assert "Ghi ngày theo dạng dd/mm/yyyy" in date_box.inner_text()
    assert form.locator("input[name=number].is-invalid").count() == 0
    # The refused field has the focus, ready to be corrected.
    assert deputy.evaluate("document.activeElement.name") == "issued_on"
    assert deputy.locator("#paper-status").get_attribute("data-state") == "signing"
