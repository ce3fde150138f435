"""Real Chromium (issue 14's review journey): the ISO secretary plans the management review,
compiles its inputs from the records, records a decision and the meeting as held; the deputy
head who chaired it signs the minutes on the paperwork panel; the plan's task counted from the
review gets its date."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from qms import demo
from qms.organization.models import Agency, User
from qms.paperwork import services as paperwork
from qms.plans.models import Plan, PlanTask, covers_q, in_force_q
from qms.review.models import ManagementReview

pytestmark = pytest.mark.browser


def test_a_review_from_planning_to_signed_minutes(open_as):
    demo.load()
    agency = Agency.objects.get(name="Ban Quản lý Khu kinh tế Hải Phòng")
    day = dt.date.today()
    plan = Plan.objects.filter(in_force_q(), covers_q(day.year), agency=agency).first()
    assert plan is not None  # the demo's plan in force this year
    event = {"kind": "event", "event": "management_review_held", "offset_days": 10}
    task = PlanTask.objects.create(
        plan=plan,
        order=99,
        content="Công bố lại hệ thống quản lý chất lượng",
        lead_kind="committee",
        timing={"parts": [event]},
    )

    # 1. The secretary plans the meeting, chaired by the deputy head.
    secretary = open_as("thuky.hp")
    secretary.goto(f"{secretary.base_url}/agencies/{agency.pk}/management-review/")
    secretary.locator("#review-new").click()
    secretary.locator("#id_meeting_on").fill(day.strftime("%d/%m/%Y"))
    secretary.locator("#id_place").fill("Phòng họp số 2")
    secretary.locator("#id_chair").select_option(label="Nguyễn Văn Chuẩn")
    secretary.locator("#id_participants").select_option(label=["Phạm Thị Thu Hà", "Lê Văn Nam"])
    secretary.get_by_role("button", name="Lưu").click()
    expect(secretary.locator("#review-status")).to_have_text("Đã lên kế hoạch")

    # 2. One press compiles every input from the records.
    secretary.locator("#compile").click()
    expect(secretary.locator("#review-status")).to_have_text("Đã tổng hợp đầu vào")
    expect(secretary.locator("#inputs")).to_contain_text("Mức độ đạt được các mục tiêu chất lượng")
    expect(secretary.locator("#inputs")).to_contain_text("Tỷ lệ đúng hạn")

    # 3. A decision, then the meeting recorded as held.
    secretary.locator("#output-new").click()
    secretary.locator("#id_kind").select_option("resources")
    secretary.locator("#id_description").fill("Bổ sung 01 máy quét cho Bộ phận Một cửa")
    secretary.locator("#id_owner_unit").select_option(label="Văn phòng Ban Quản lý")
    secretary.locator("#id_due_on").fill((day + dt.timedelta(days=60)).strftime("%d/%m/%Y"))
    secretary.get_by_role("button", name="Lưu").click()
    expect(secretary.locator("#output-table")).to_contain_text("Bổ sung 01 máy quét")
    review = ManagementReview.objects.get(agency=agency, meeting_on=day)
    chair = User.objects.get(username="lanhdao.hp")
    paperwork.save_draft(
        review.paper,
        signer=chair,
        signer_name=chair.full_name,
        signer_position="Phó Trưởng ban",
        sign_form="kt",
    )
    secretary.reload()
    secretary.locator("#id_conclusion").fill("Hệ thống vận hành ổn định; bổ sung thiết bị một cửa.")
    secretary.get_by_role("button", name="Ghi nhận và trình ký biên bản").click()
    expect(secretary.locator("#review-status")).to_have_text("Đã họp")
    expect(secretary.locator("#compile")).to_have_count(0)  # nothing changes any more

    # 4. The chair signs the minutes on the paperwork panel.
    leader = open_as("lanhdao.hp")
    leader.goto(secretary.url)
    leader.locator("#issue-form button[type=submit]").click()
    expect(leader.locator("#paper-status")).to_have_text("Đã ban hành")
    with leader.expect_download() as download:
        leader.locator("#minutes-docx").click()
    assert download.value.suggested_filename.startswith("BB-")
    assert download.value.suggested_filename.endswith(".docx")
    task.refresh_from_db()
    assert task.last_due == day + dt.timedelta(days=10)
