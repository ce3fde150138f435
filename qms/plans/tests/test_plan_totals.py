"""The plan's totals (done / overdue / waiting) come from what each task stores, and say
what computing every task's row says, whatever the day; the plan page computes one page."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from qms.organization.models import today
from qms.plans import services
from qms.plans.models import PlanTask
from qms.plans.services import TASK_PAGE_SIZE

D = dt.date
S = PlanTask.Status

# Every kind of rule: early, late, recurring, a quarter, a fixed date, waiting for an event
# never recorded, one dated once its event is recorded, a fixed month replaced by an
# alternative, and a dated part next to a waiting one.
TIMINGS = [
    {"parts": [{"kind": "month", "month": 1}]},
    {"parts": [{"kind": "month", "month": 12}]},
    {"parts": [{"kind": "recurring", "every": 3}]},
    {"parts": [{"kind": "quarter", "quarter": 2}]},
    {"parts": [{"kind": "date", "day": "2026-05-20"}]},
    {"parts": [{"kind": "event", "event": "inspection_notice", "offset_days": -15}]},
    {"parts": [{"kind": "event", "event": "document_set_effective", "offset_days": 30}]},
    {
        "parts": [{"kind": "month", "month": 7}],
        "alternative": {"event": "document_set_effective", "offset_days": 30},
    },
    {
        "parts": [
            {"kind": "month", "month": 3},
            {"kind": "event", "event": "inspection_notice", "offset_days": 0},
        ]
    },
]
STATUSES = [S.NOT_STARTED, S.IN_PROGRESS, S.DONE, S.SKIPPED]
DAYS = [D(2026, 1, 1), D(2026, 4, 15), D(2026, 6, 30), D(2026, 12, 31), D(2027, 3, 1)]


def add_mixed_tasks(plan, n):
    """n tasks cycling through every rule, each rule under every status."""
    start = plan.tasks.count()
    PlanTask.objects.bulk_create(
        PlanTask(
            plan=plan,
            order=start + i + 1,
            content=f"Nhiệm vụ {start + i + 1}",
            timing=TIMINGS[i % len(TIMINGS)],
            status=STATUSES[(i // len(TIMINGS)) % len(STATUSES)],
            skip_reason="Không phát sinh" if STATUSES[(i // len(TIMINGS)) % 4] == S.SKIPPED else "",
            lead_kind="committee",
        )
        for i in range(n)
    )


def counted_row_by_row(plan, day):
    """The totals as the page summed them before: every task's row computed."""
    rows = services.task_rows(plan, day)
    done = [r for r in rows if r.task.status == S.DONE]
    return services.Summary(
        total=len(rows),
        done=len(done),
        late=sum(1 for r in rows if r.is_overdue),
        waiting=sum(1 for r in rows if r.waiting_for and r.task.status != S.DONE),
    )


@pytest.fixture
def big_plan(plan):
    add_mixed_tasks(plan, 2 * TASK_PAGE_SIZE + 7)
    services.rederive(plan)  # what saving each task through the service stores
    return plan


def test_the_stored_totals_equal_every_row_computed_on_any_day(big_plan, cast):
    for day in DAYS:
        assert services.summary(big_plan, day) == counted_row_by_row(big_plan, day), day
    # Not a vacuous match: on 30/06 some tasks are done, overdue and waiting.
    mid = services.summary(big_plan, D(2026, 6, 30))
    assert mid.done and mid.late and mid.waiting and mid.total == 3 + 2 * TASK_PAGE_SIZE + 7


def test_recording_an_event_dates_the_tasks_that_waited_and_the_totals_follow(big_plan, cast):
    waiting_before = services.summary(big_plan, D(2026, 12, 31)).waiting
    services.record_event(
        big_plan, "document_set_effective", D(2026, 4, 1), by=cast.users["secretary"]
    )
    for day in DAYS:
        assert services.summary(big_plan, day) == counted_row_by_row(big_plan, day), day
    after = services.summary(big_plan, D(2026, 12, 31))
    assert after.waiting < waiting_before  # the document-set tasks no longer wait
    assert big_plan.tasks.filter(waiting_for="document_set_effective").count() == 0


def test_the_overdue_query_and_the_row_say_the_same_task_is_overdue(big_plan):
    day = D(2026, 8, 1)
    by_query = set(PlanTask.objects.filter(plan=big_plan).overdue(day).values_list("pk", flat=True))
    by_row = {r.task.pk for r in services.task_rows(big_plan, day) if r.is_overdue}
    assert by_query == by_row and by_query


def test_the_plan_page_shows_one_page_and_totals_over_every_task(big_plan, login, cast):
    expected = counted_row_by_row(big_plan, today())
    response = login(cast.users["staff"]).get(
        reverse("plans:detail", args=[big_plan.agency_id, big_plan.pk])
    )
    html = response.content.decode()
    assert html.count("<tr data-task=") == TASK_PAGE_SIZE
    context = response.context
    shown = (context["total"], context["done"], context["late"], context["waiting"])
    assert shown == (expected.total, expected.done, expected.late, expected.waiting)
    assert f'<div class="figure-value">{expected.total}</div>' in html
    assert context["task_page"].paginator.num_pages == 3


def test_the_timeline_shows_a_page_of_tasks(big_plan, login, cast):
    url = reverse("plans:timeline", args=[big_plan.agency_id, big_plan.pk])
    client = login(cast.users["staff"])
    first = client.get(url).context["lines"]
    last = client.get(url, {"page": 3}).context["lines"]
    assert len(first) == TASK_PAGE_SIZE and len(last) == 3 + 2 * TASK_PAGE_SIZE + 7 - 100
    assert first[0].row.task.order == 1 and last[-1].row.task.order == big_plan.tasks.count()


def test_a_copied_plan_stores_its_own_dates(big_plan, cast):
    services.record_event(
        big_plan, "document_set_effective", D(2026, 4, 1), by=cast.users["secretary"]
    )
    new = services.copy_to_year(big_plan, 2027)
    # Events are not carried over: the document-set tasks wait again; dates are 2027's.
    assert new.tasks.filter(waiting_for="document_set_effective").exists()
    assert not new.tasks.filter(last_due__year=2026).exists()
    for day in (D(2027, 6, 30), D(2028, 1, 1)):
        assert services.summary(new, day) == counted_row_by_row(new, day)


def test_the_migration_fills_what_existing_tasks_store(big_plan):
    expected = sorted(big_plan.tasks.values_list("pk", "last_due", "waiting_for"))
    big_plan.tasks.update(last_due=None, waiting_for="")
    migration = importlib.import_module("qms.plans.migrations.0007_task_due_facts")
    migration.fill_due_facts(apps, None)
    # Since per-occurrence progress, `last_due` stores the first open due date (0010).
    migration = importlib.import_module("qms.plans.migrations.0010_occurrence_progress")
    migration.fill_first_open_due(apps, None)
    assert sorted(big_plan.tasks.values_list("pk", "last_due", "waiting_for")) == expected


def test_an_event_removed_in_the_admin_makes_its_tasks_wait_again(big_plan, cast, admin_client):
    services.record_event(
        big_plan, "document_set_effective", D(2026, 4, 1), by=cast.users["secretary"]
    )
    event = big_plan.events.get()
    response = admin_client.post(
        reverse("admin:plans_planevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not big_plan.events.exists()
    assert big_plan.tasks.filter(waiting_for="document_set_effective").exists()
    for day in DAYS:
        assert services.summary(big_plan, day) == counted_row_by_row(big_plan, day), day
