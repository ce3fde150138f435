"""Real Chromium: the secretary enters a row without a lead yet and five coordinating units
in one save ("Thêm đơn vị phối hợp" under the CSP), then submits the plan only after
confirming the row not assigned."""

import pytest

from conftest import log_in
from qms.plans import services
from qms.plans.models import Plan

pytestmark = pytest.mark.browser


def test_a_row_without_a_lead_and_five_coordinating_units_then_a_confirmed_submit(page):
    plan = Plan.objects.get(year=2026, last_year=None)
    services.amend(plan, reason="Bổ sung nhiệm vụ")
    log_in(page, "thuky.hp")
    page.wait_for_url("**/agencies/*/")
    page.goto(f"{page.base_url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Thêm nhiệm vụ").click()
    page.fill("#id_content", "Xây dựng tài liệu HTQLCL")
    page.select_option("#id_lead_kind", label="Chưa phân công")
    page.get_by_role("button", name="Thêm đơn vị phối hợp").click()
    page.get_by_role("button", name="Thêm đơn vị phối hợp").click()
    units = ["Văn phòng", "Thanh tra", "Phòng Quản lý", "Ban Chỉ đạo ISO", "Đơn vị tư vấn"]
    for i, who in enumerate(units):
        page.fill(f"#id_coordinations-{i}-text", who)
        page.fill(f"#id_coordinations-{i}-duty", f"nhiệm vụ {i + 1}")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"**{plan.get_absolute_url()}")
    row = page.locator("#tasks tr[data-task='9']")
    assert row.locator(".lead").inner_text() == "Chưa phân công"
    for i, who in enumerate(units):
        assert f"+ {who} nhiệm vụ {i + 1}" in row.inner_text()
    page.locator("#step-submit").click()
    assert "Nhiệm vụ số 9 chưa có đơn vị chủ trì" in page.content()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    page.get_by_label("Tôi xác nhận trình kế hoạch khi còn 1 nhiệm vụ chưa phân công").check()
    page.locator("#step-submit").click()
    page.wait_for_selector("#plan-status[data-state='submitted']")
