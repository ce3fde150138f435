"""Rights by unit on plan tasks: progress is recorded by the unit that leads or coordinates a
task, a committee task by the committee's members, a leadership task by the leadership; the
ISO secretary records every task's. The task stays readable to all."""

import datetime as dt

import pytest
from django.urls import reverse

from qms.organization.models import CommitteeMember, Unit
from qms.organization.tests.factories import issued
from qms.plans import services
from qms.plans.models import Coordination, Plan, PlanTask

MONTH = {"parts": [{"kind": "month", "month": 3}]}


@pytest.fixture
def tasks(cast):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    division = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    plan = services.create_plan(cast.a, year=2026, title="Duy trì HTQLCL năm 2026")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ISSUED)

    def task(order, **lead):
        return PlanTask.objects.create(
            plan=plan, order=order, content=f"Việc {order}", timing=MONTH, **lead
        )

    coordinated = task(3, lead_kind="unit", lead_unit=division)
    Coordination.objects.create(task=coordinated, unit=office)
    return {
        "own": task(1, lead_kind="unit", lead_unit=office),
        "other": task(2, lead_kind="unit", lead_unit=division),
        "coordinated": coordinated,
        "audit": task(4, lead_kind="committee"),
        "review": task(5, lead_kind="leadership"),
    }


def _done(client, cast, task):
    url = reverse("plans:task_progress", args=[cast.a.pk, task.pk, "status"])
    response = client.post(url, {"status": PlanTask.Status.DONE})
    task.refresh_from_db()
    return response.status_code, task.status == PlanTask.Status.DONE


def test_staff_complete_only_the_tasks_their_unit_leads_or_coordinates(cast, login, tasks):
    client = login(cast.users["staff"])
    assert _done(client, cast, tasks["other"]) == (403, False)
    assert _done(client, cast, tasks["audit"]) == (403, False)  # the committee's
    assert _done(client, cast, tasks["review"]) == (403, False)  # the leadership's
    assert _done(client, cast, tasks["own"]) == (302, True)
    assert _done(client, cast, tasks["coordinated"]) == (302, True)


def test_a_committee_member_records_the_committee_tasks(cast, login, tasks):
    staff = cast.users["staff"]
    decision = issued(cast.a, ["Chủ tịch", "Thành viên"], 7, dt.date(2025, 1, 10))
    CommitteeMember.objects.filter(decision=decision, full_name="Thành viên").update(user=staff)
    client = login(staff)
    assert _done(client, cast, tasks["audit"]) == (302, True)
    assert _done(client, cast, tasks["review"]) == (403, False)


@pytest.mark.parametrize("who", ["secretary", "head", "deputy"])
def test_the_secretary_and_the_leadership_record_every_task(cast, login, tasks, who):
    client = login(cast.users[who])
    for task in tasks.values():
        assert _done(client, cast, task) == (302, True), task.content


def test_the_task_page_stays_readable_and_offers_recording_only_to_its_unit(cast, login, tasks):
    client = login(cast.users["staff"])
    other = client.get(reverse("plans:task", args=[cast.a.pk, tasks["other"].pk]))
    own = client.get(reverse("plans:task", args=[cast.a.pk, tasks["own"].pk]))
    assert other.status_code == own.status_code == 200
    assert own.context["can_record"] and not other.context["can_record"]
