"""Real Chromium: the secretary records the event a relative task waits for, sees the
computed date, finds the task in "Việc của tôi" and exports the plan."""

import io

import docx
import pytest

from conftest import log_in
from qms.plans.models import Plan

pytestmark = pytest.mark.browser

# Clicks a download link and reads its state in the same breath, before the file comes.
CLICK_AND_READ = """(selector) => {
  const link = document.querySelector(selector);
  link.click();
  return [link.getAttribute("aria-busy"), link.textContent.trim()];
}"""


def test_recording_the_document_set_dates_the_internal_audit(page):
    plan = Plan.objects.get(year=2026, last_year=None)
    log_in(page, "thuky.hp")
    page.wait_for_url("**/agencies/*/")
    page.locator("#mainnav").get_by_role("button", name="Kế hoạch", exact=True).click()
    page.locator("#mainnav").get_by_role("link", name="Kế hoạch, chương trình ISO").click()
    page.get_by_role("link", name=plan.title).click()
    audit = page.locator("#tasks tr[data-task='5']")
    assert "chờ" not in audit.locator(".due").inner_text().lower()
    assert audit.locator(".due").inner_text() == "31/07/2026"
    page.select_option("#id_event", "document_set_effective")
    page.fill("#id_occurred_on", "10/11/2026")
    page.get_by_role("button", name="Ghi nhận sự kiện").click()
    assert "10/11/2026" in page.locator("#events").inner_text()
    assert page.locator("#tasks tr[data-task='5'] .due").inner_text() == "10/12/2026"
    assert page.locator("#tasks tr[data-task='6'] .due").inner_text() == "15/12/2026"
    page.get_by_role("link", name="Việc của tôi").first.click()
    assert "5. Tổ chức đánh giá nội bộ" in page.content()
    assert "10/12/2026" in page.content()
    page.goto(f"{page.base_url}{plan.get_absolute_url()}")
    with page.expect_download() as info:
        busy = page.evaluate(CLICK_AND_READ, "#export-docx")
    assert busy == ["true", "Đang chuẩn bị tệp…"]  # a spinner while the file is made
    page.wait_for_function("() => !document.querySelector('#export-docx').ariaBusy")
    assert page.locator("#export-docx").inner_text().strip() == "DOCX"  # and back once it came
    document = docx.Document(io.BytesIO(info.value.path().read_bytes()))
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Tổ chức đánh giá nội bộ" in cells and "Đánh giá thử" in cells


def test_the_secretary_enters_a_window_of_months_and_sees_its_wording_and_due_date(page):
    from qms.plans import services

    plan = Plan.objects.get(year=2026, last_year=None)
    # reopened for amendment, as "Sửa đổi, bổ sung" does
    services.amend(plan, reason="Bổ sung nhiệm vụ")
    log_in(page, "thuky.hp")
    page.wait_for_url("**/agencies/*/")
    page.goto(f"{page.base_url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Thêm nhiệm vụ").click()
    page.fill("#id_content", "Khảo sát, đánh giá hiện trạng áp dụng HTQLCL")
    page.select_option("#id_lead_kind", "committee")
    page.select_option("#id_part0-kind", label="Từ tháng … đến tháng …")
    page.select_option("#id_part0-month", "6")
    page.select_option("#id_part0-to_month", "8")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"**{plan.get_absolute_url()}")
    row = page.locator("#tasks tr[data-task='9']")
    assert "Khảo sát, đánh giá hiện trạng áp dụng HTQLCL" in row.inner_text()
    assert "Từ tháng 6 đến tháng 8/2026" in row.inner_text()
    assert row.locator(".due").inner_text() == "31/08/2026"
