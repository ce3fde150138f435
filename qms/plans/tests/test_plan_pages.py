"""A large plan is shown a page of tasks at a time; its totals still count every task."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qms.plans import services
from qms.plans.models import PlanTask
from qms.plans.services import TASK_PAGE_SIZE


def add_tasks(plan, n, start, **fields):
    PlanTask.objects.bulk_create(
        PlanTask(
            plan=plan,
            order=start + i,
            content=f"Nhiệm vụ {start + i}",
            timing={"parts": [{"kind": "month", "month": 1 + i % 12}]},
            lead_kind="committee",
            **fields,
        )
        for i in range(n)
    )
    services.rederive(plan)


def test_a_plan_with_more_tasks_than_a_page_shows_one_page_and_all_totals(plan, login, cast):
    add_tasks(plan, TASK_PAGE_SIZE, start=4)  # 3 + 50 open
    add_tasks(plan, 7, start=100, status=PlanTask.Status.DONE)  # done, on the second page
    total = 3 + TASK_PAGE_SIZE + 7
    client = login(cast.users["staff"])
    url = reverse("plans:detail", args=[plan.agency_id, plan.pk])
    first = client.get(url)
    html = first.content.decode()
    assert html.count("<tr data-task=") == TASK_PAGE_SIZE
    assert first.context["total"] == total  # the "Tasks" figure
    assert f'<div class="figure-value">{total}</div>' in html
    assert first.context["done"] == 7  # counted although none is on this page
    assert "page=2" in html
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count("<tr data-task=") == total - TASK_PAGE_SIZE
    assert 'data-task="106"' in second and 'data-task="106"' not in html


def test_the_plan_page_costs_the_same_queries_past_a_page(plan, login, cast):
    client = login(cast.users["staff"])
    url = reverse("plans:detail", args=[plan.agency_id, plan.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    add_tasks(plan, 10, start=4)
    small = count()
    add_tasks(plan, 2 * TASK_PAGE_SIZE, start=200)
    assert count() == small


def test_the_plan_page_lists_its_issued_versions_without_reading_their_snapshots(plan, login, cast):
    """A version's snapshot is the whole plan as issued (megabytes at 10,000 tasks); the
    plan's page only lists the versions, so it never reads one (4.3x slower at 10,000 tasks
    when it did: bench/http_pages.py)."""
    services.submit(plan)
    services.issue(plan, number=3, issued_on=dt.date(2026, 1, 10))
    client = login(cast.users["staff"])
    url = reverse("plans:detail", args=[plan.agency_id, plan.pk])
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).content.decode()
    assert "Ban hành lần đầu</a> – 03 · 10/01/2026" in html  # the issued version is listed
    assert not [q for q in ctx.captured_queries if '"snapshot"' in q["sql"]]
