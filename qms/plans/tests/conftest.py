import pytest

from qms.organization.models import Unit
from qms.plans import services
from qms.plans.models import PlanTask


@pytest.fixture
def plan(cast):
    """A draft plan of agency A with three tasks: a month, an event-relative one, a unit's."""
    office = Unit.objects.get(agency=cast.a, parent=None)
    plan = services.create_plan(
        cast.a,
        year=2026,
        title="Duy trì HTQLCL năm 2026",
        recipients="Sở KH&CN",
        signer_name="Nguyễn Văn A",
        signer_position="Giám đốc",
    )
    plan.purpose, plan.organisation = "- Mục đích", "1. Văn phòng\n- Đôn đốc"
    plan.save()
    PlanTask.objects.create(
        plan=plan,
        order=1,
        content="Kiện toàn Ban Chỉ đạo ISO",
        timing={"parts": [{"kind": "month", "month": 1}]},
        lead_kind="unit",
        lead_unit=office,
    )
    PlanTask.objects.create(
        plan=plan,
        order=2,
        content="Tổ chức đánh giá nội bộ",
        lead_kind="committee",
        timing={
            "parts": [{"kind": "month", "month": 7}],
            "alternative": {"event": "document_set_effective", "offset_days": 30},
        },
    )
    PlanTask.objects.create(
        plan=plan,
        order=3,
        content="Đánh giá thử",
        lead_kind="committee",
        timing={"parts": [{"kind": "event", "event": "inspection_notice", "offset_days": -15}]},
    )
    return plan


def issue(plan, number=5):
    import datetime as dt

    services.submit(plan)
    services.issue(plan, number=number, issued_on=dt.date(2026, 1, 15))
    plan.refresh_from_db()
    return plan


@pytest.fixture
def page(browser, live_server, transactional_db):
    """Real Chromium on the live server with both demo plans loaded (browser tests)."""
    from qms.organization import demo as organization_demo
    from qms.plans import demo

    organization_demo.load()
    demo.load()
    context = browser.new_context(accept_downloads=True, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()
