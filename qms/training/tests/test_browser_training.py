"""Real Chromium (issue 16's journey): the ISO secretary plans a session for a plan task and
announces it, inviting a unit; the unit's head nominates their people; the secretary records
attendance and the session as held; the plan task is done and the coverage shows."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from qms import demo
from qms.agenda.models import InboxItem
from qms.organization.models import Agency, Unit
from qms.plans.models import Plan, PlanTask
from qms.training.models import TrainingSession

pytestmark = pytest.mark.browser


def test_a_session_from_plan_to_coverage(open_as):
    demo.load()
    agency = Agency.objects.get(name="Ban Quản lý Khu kinh tế Hải Phòng")
    unit = Unit.objects.get(agency=agency, name="Phòng Quản lý đầu tư")
    plan = Plan.objects.get(agency=agency, year=2026, last_year=None)
    task = PlanTask.objects.create(
        plan=plan,
        order=99,
        content="Đào tạo kỹ năng soạn thảo văn bản hành chính",
        timing={"parts": [{"kind": "quarter", "quarter": 4}]},
        lead_kind="committee",
    )
    start = (dt.date.today() - dt.timedelta(days=7)).strftime("%d/%m/%Y")

    # 1. The ISO secretary plans the session and announces it, inviting one unit.
    secretary = open_as("thuky.hp")
    secretary.goto(f"{secretary.base_url}/agencies/{agency.pk}/training/")
    secretary.locator("#session-new").click()
    secretary.locator("#id_course").select_option(
        label="Cập nhật kiến thức Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015"
    )
    secretary.locator("#id_starts_on").fill(start)
    secretary.locator("#id_ends_on").fill(start)
    secretary.locator("#id_place").fill("Phòng họp tầng 3")
    secretary.locator("#session-form").get_by_label("Phòng Quản lý đầu tư", exact=True).check()
    secretary.locator("#id_plan_task").select_option(
        label="2026 — 99. Đào tạo kỹ năng soạn thảo văn bản hành chính"
    )
    secretary.get_by_role("button", name="Lưu").click()
    expect(secretary.locator("#session-status")).to_have_text("Dự kiến")
    secretary.locator("#step-announce").click()
    expect(secretary.locator("#session-status")).to_have_text("Đã thông báo")
    session = TrainingSession.objects.get(plan_task=task)
    nominate = f"training.session:{session.pk}:nominate:{unit.pk}"
    assert InboxItem.objects.filter(
        source=nominate, user__username="truongphong.hp", done_at__isnull=True
    ).exists()

    # 2. The head of the unit nominates the people of his unit and confirms the list.
    head = open_as("truongphong.hp")
    head.goto(f"{head.base_url}{session.get_absolute_url()}")
    head.locator(f"#nominate-{unit.pk}").click()
    head.get_by_label("Đỗ Thị Mai").check()
    head.get_by_label("Lê Văn Nam").check()
    head.get_by_role("button", name="Lưu").click()
    expect(head.locator(f"#unit-{unit.pk}")).to_contain_text("Đỗ Thị Mai")
    head.locator(f"#confirm-{unit.pk}").click()
    expect(head.locator(".alert-success")).to_contain_text("Đã xác nhận danh sách")
    assert not InboxItem.objects.filter(source=nominate, done_at__isnull=True).exists()

    # 3. The secretary records the attendance, then the session as held.
    secretary.reload()
    for nominee in session.nominees.all():
        secretary.locator(f"#id_attendance-{nominee.pk}").select_option(label="Có mặt")
    secretary.locator("#attendance-save").click()
    expect(secretary.locator(".alert-success")).to_contain_text("Đã ghi nhận điểm danh cho 2")
    secretary.locator("#step-hold").click()
    expect(secretary.locator("#session-status")).to_have_text("Đã tiến hành")

    # 4. The plan task is done, and the coverage shows: both staff of the unit attended.
    task.refresh_from_db()
    assert task.status == PlanTask.Status.DONE
    assert task.fulfilled_by == f"training.trainingsession:{session.pk}"
    expect(secretary.locator("#coverage-total")).to_contain_text("100")
    expect(secretary.locator(f"#unit-{unit.pk}")).to_contain_text("100")
