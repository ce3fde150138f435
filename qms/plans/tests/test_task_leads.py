"""Plan tasks reach their leads: led by the leadership, in the head's and the deputies'
"Việc của tôi" and inbox; by the steering committee, its current members'; by a unit, its
head's inbox and every member's agenda; named only in words, the ISO secretary's."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from qms.agenda.models import InboxItem
from qms.organization.models import CommitteeMember, Unit
from qms.organization.tests.factories import draft_with_members, issue
from qms.plans import services
from qms.plans.models import Plan, PlanTask


def soon(days):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def plan(cast):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    plan = services.create_plan(cast.a, year=timezone.localdate().year, title="Kế hoạch")
    leads = [
        ("leadership", None, "Chủ trì họp xem xét của lãnh đạo"),
        ("committee", None, "Tổ chức đánh giá nội bộ"),
        ("unit", office, "Rà soát quy trình của Văn phòng"),
        ("text", None, "Đơn vị tư vấn hướng dẫn áp dụng"),
    ]
    for order, (kind, unit, content) in enumerate(leads, start=1):
        PlanTask.objects.create(
            plan=plan,
            order=order,
            content=content,
            lead_kind=kind,
            lead_unit=unit,
            lead_text="Đơn vị tư vấn" if kind == "text" else "",
            timing={"parts": [{"kind": "date", "day": soon(10)}]},
        )
    # A committee in force that seats the unit head (with an account) and one outsider.
    decision = draft_with_members(cast.a, ["Trưởng phòng A", "Chuyên gia B"])
    CommitteeMember.objects.filter(decision=decision, order=1).update(user=cast.users["unit_head"])
    issue(decision, 3, timezone.localdate() - dt.timedelta(days=100))
    # Issued (the plan's own issue step belongs to the paperwork): its tasks enter the agenda.
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ISSUED)
    plan.refresh_from_db()
    services.sync_agenda(plan)
    return plan


def mine(client, cast):
    response = client.get(reverse("agenda:mine", args=[cast.a.pk]))
    groups = response.context["groups"]
    rows = groups.overdue + groups.this_week + groups.waiting + list(groups.later)
    return sorted(o.title.split(".")[0] for o in rows)


def inbox(user):
    return sorted(
        title.split(".")[0]
        for title in InboxItem.objects.filter(user=user)
        .waiting(timezone.localdate())
        .values_list("title", flat=True)
    )


@pytest.mark.parametrize(
    ("who", "agenda", "work"),
    [
        ("head", ["1"], ["1"]),
        ("deputy", ["1"], ["1"]),
        ("unit_head", ["2", "3"], ["2", "3"]),  # on the committee, and head of the Office
        ("staff", ["3"], []),  # the Office's task in the agenda, to follow, not to lead
        ("secretary", ["3", "4"], ["4"]),  # member of the Office; the lead named in words
        ("auditor", [], []),
    ],
)
def test_each_task_reaches_its_leads(cast, login, plan, who, agenda, work):
    assert mine(login(cast.users[who]), cast) == agenda
    assert inbox(cast.users[who]) == work


def test_a_task_done_leaves_its_leads_inbox(cast, plan):
    task = plan.tasks.get(order=1)
    services.set_task_status(task, PlanTask.Status.DONE)
    assert inbox(cast.users["head"]) == inbox(cast.users["deputy"]) == []


def test_a_task_far_ahead_waits_to_enter_the_inbox(cast, plan):
    PlanTask.objects.filter(plan=plan, order=1).update(
        timing={"parts": [{"kind": "date", "day": soon(60)}]}
    )
    services.sync_agenda(plan)
    assert inbox(cast.users["head"]) == []
    item = InboxItem.objects.get(
        user=cast.users["head"], source__startswith=f"plans.plan:{plan.pk}"
    )
    assert item.visible_from == timezone.localdate() + dt.timedelta(days=30)


def test_the_calendar_feed_of_a_deputy_carries_the_leaderships_tasks(cast, client, plan):
    from qms.agenda.models import CalendarFeed

    feed = CalendarFeed.objects.create(user=cast.users["deputy"])
    body = client.get(reverse("agenda:ics", args=[feed.token])).content.decode()
    assert "Chủ trì họp xem xét của lãnh đạo" in body
    assert "Tổ chức đánh giá nội bộ" not in body
