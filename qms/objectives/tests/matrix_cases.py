"""The write screens of the quality policy and objectives in the permission matrix
(qms/organization/tests/matrix.py): a unit's objectives — proposing, editing, results, the
plan, follow-ups — follow the unit; compiling the year's set, the policy, copying to the next
year and the results report are the ISO secretary's."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from qms.objectives.models import QualityObjective
from qms.objectives.tests.builders import measured, objective
from qms.organization.access import Action
from qms.organization.tests.matrix import Case, Owner, Request, World

S = QualityObjective.Status


def _url(name: str, world: World, *args: object) -> str:
    return reverse(f"objectives:{name}", args=[world.agency.pk, *args])


def _fields(world: World, target: QualityObjective | None = None) -> dict[str, str]:
    parent = target.parent if target else objective(world.agency, status=S.ACCEPTED)
    assert parent is not None
    return {
        "unit": str(world.unit.pk),
        "parent": str(parent.pk),
        "statement": "Giải quyết hồ sơ đúng hạn",
        "indicator": "Tỷ lệ hồ sơ đúng hạn",
        "unit_of_measure": "%",
        "direction": "ge",
        "target": "98,5",
        "period": "quarter",
        "source": "entered",
        "source_field": "",
        "order": "1",
        "owner_unit": "",
    }


def new_unit_objective(world: World) -> Request:
    return "post", _url("new", world) + "?year=2026", _fields(world)


def edit_unit_objective(world: World) -> Request:
    target = objective(world.agency, unit=world.unit)
    return "post", _url("edit", world, target.pk), _fields(world, target)


def propose(world: World) -> Request:
    target = objective(world.agency, unit=world.unit)
    return "post", _url("action", world, target.pk, "propose"), {}


def accept(world: World) -> Request:
    target = objective(world.agency, unit=world.unit, status=S.PROPOSED)
    return "post", _url("action", world, target.pk, "accept"), {}


def measure(world: World) -> Request:
    target = objective(world.agency, unit=world.unit, status=S.ISSUED, year=2025)
    return (
        "post",
        _url("measure", world, target.pk),
        {"measure-period": "2025-Q1", "measure-value": "97,5"},
    )


def add_action(world: World) -> Request:
    target = objective(world.agency, unit=world.unit, status=S.ISSUED)
    data = {"action-description": "Rà soát quy trình", "action-due_date": "30/06/2026"}
    return "post", _url("add_action", world, target.pk), data


def follow_up(world: World) -> Request:
    target = objective(world.agency, unit=world.unit, status=S.ISSUED, year=2025)
    missed = measured(target, "2025-Q1", "80")
    due = dt.date(2025, 6, 30).strftime("%d/%m/%Y")
    data = {f"follow-{missed.pk}-note": "Thiếu nhân lực", f"follow-{missed.pk}-due_date": due}
    return "post", _url("follow_up", world, missed.pk), data


def draft_policy(world: World) -> Request:
    return "post", _url("policy", world), {"text": "Chính sách chất lượng"}


def copy_year(world: World) -> Request:
    objective(world.agency, year=2024, status=S.ISSUED)
    return "post", _url("copy", world, 2024), {}


def draft_report(world: World) -> Request:
    return "post", _url("report_draft", world, 2026), {}


CASES = [
    Case(
        "propose a new objective of the unit",
        Action.MANAGE_OBJECTIVES,
        new_unit_objective,
        Owner.UNIT,
    ),
    Case(
        "edit an objective of the unit", Action.MANAGE_OBJECTIVES, edit_unit_objective, Owner.UNIT
    ),
    Case("propose an objective of the unit", Action.MANAGE_OBJECTIVES, propose, Owner.UNIT),
    Case("record a result of the unit's objective", Action.MANAGE_OBJECTIVES, measure, Owner.UNIT),
    Case(
        "add an action to reach the unit's objective",
        Action.MANAGE_OBJECTIVES,
        add_action,
        Owner.UNIT,
    ),
    Case(
        "record the follow-up of a missed period", Action.MANAGE_OBJECTIVES, follow_up, Owner.UNIT
    ),
    Case("accept a proposed objective", Action.MANAGE_OBJECTIVES, accept, Owner.ACROSS),
    Case("draft a new version of the policy", Action.MANAGE_OBJECTIVES, draft_policy, Owner.ACROSS),
    Case("copy the objectives to next year", Action.MANAGE_OBJECTIVES, copy_year, Owner.ACROSS),
    Case("draft the results report", Action.MANAGE_OBJECTIVES, draft_report, Owner.ACROSS),
]
