"""The plan's task-progress screens in the permission matrix
(qms/organization/tests/matrix.py): a task's progress is its lead's and its coordinators'."""

from django.urls import reverse

from qms.organization.access import Action
from qms.organization.models import Unit
from qms.organization.tests.matrix import Case, Owner, World
from qms.plans import services
from qms.plans.models import Coordination, Plan, PlanTask


def _issued_plan(world: World) -> Plan:
    plan = services.create_plan(world.agency, year=2026, title="Duy trì HTQLCL năm 2026")
    # The plan's own workflow is not under test here: it is simply in force.
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ISSUED)
    plan.refresh_from_db()
    return plan


def _task(world: World, **lead: object) -> PlanTask:
    plan = world.once("plan", lambda: _issued_plan(world))
    order = plan.tasks.count() + 1
    timing = {"parts": [{"kind": "month", "month": 3}]}
    return PlanTask.objects.create(
        plan=plan, order=order, content=f"Việc {order}", timing=timing, **lead
    )


def _note(task: PlanTask):
    url = reverse("plans:task_progress", args=[task.plan.agency_id, task.pk, "note"])
    return "post", url, {"on": "02/01/2026", "text": "Đã triển khai"}


def _status(task: PlanTask):
    url = reverse("plans:task_progress", args=[task.plan.agency_id, task.pk, "status"])
    return "post", url, {"status": PlanTask.Status.DONE}


def _coordinated(world: World) -> PlanTask:
    """Led by a third unit, coordinated by the world's unit."""
    lead = Unit.objects.get_or_create(agency=world.agency, name="Phòng Kế hoạch")[0]
    task = _task(world, lead_kind=PlanTask.Lead.UNIT, lead_unit=lead)
    Coordination.objects.create(task=task, unit=world.unit)
    return task


def _led(world: World) -> PlanTask:
    return _task(world, lead_kind=PlanTask.Lead.UNIT, lead_unit=world.unit)


P = Action.RECORD_PROGRESS
CASES = [
    Case("task status, led by the unit", P, lambda w: _status(_led(w)), Owner.UNIT),
    Case("task note, led by the unit", P, lambda w: _note(_led(w)), Owner.UNIT),
    Case("task note, coordinated by the unit", P, lambda w: _note(_coordinated(w)), Owner.UNIT),
    Case(
        "task status, led by the leadership",
        P,
        lambda w: _status(_task(w, lead_kind=PlanTask.Lead.LEADERSHIP)),
        Owner.ACROSS,
    ),
    Case(
        "task status, led by the committee",
        P,
        lambda w: _status(_task(w, lead_kind=PlanTask.Lead.COMMITTEE)),
        Owner.COMMITTEE,
    ),
]
