"""Write screens of the nonconformity register in the permission matrix
(qms/organization/tests/matrix.py): anyone who works in the agency reports a nonconformity;
everything after that belongs to its responsible unit (the ISO secretary, or a head of that
unit — MANAGE_CORRECTIVE)."""

import datetime as dt

from django.urls import reverse

from qms.corrective import services
from qms.corrective.tests.builders import action, analysed, nonconformity, walk
from qms.objectives import services as objectives
from qms.objectives.tests.builders import measured, objective
from qms.organization.access import Action
from qms.organization.tests.matrix import Case, Owner, World


def _nc(world: World, *steps: str):
    nc = nonconformity(world.agency, world.secretary, unit=world.unit, owner=world.secretary)
    for name in steps:
        if name == "analyse":
            analysed(nc, world.secretary)
        walk(nc, world.agency, [(name, world.secretary)])
    return nc


def _new(world: World):
    data = {
        "title": "Hồ sơ thiếu phiếu kiểm soát quá trình",
        "description": "Kiểm tra ngẫu nhiên 10 hồ sơ: 02 hồ sơ thiếu phiếu",
        "origin": "daily_work",
        "unit": world.unit.pk,
        "severity": "minor",
        "raised_on": "05/03/2026",
    }
    return "post", reverse("corrective:new", args=[world.agency.pk]), data


def _accept(world: World):
    nc = _nc(world)
    return "post", reverse("corrective:step", args=[world.agency.pk, nc.pk, "accept"]), {}


def _edit(world: World):
    nc = _nc(world)
    data = {
        "title": "Hồ sơ trả kết quả trễ hạn",
        "description": "Đã bổ sung mô tả",
        "origin": "feedback",
        "unit": world.unit.pk,
        "severity": "major",
        "raised_on": "05/01/2026",
        "owner": world.secretary.pk,
    }
    return "post", reverse("corrective:edit", args=[world.agency.pk, nc.pk]), data


def _analysis(world: World):
    nc = _nc(world, "accept")
    data = {"method": "categories", "categories": ["method"], "root_cause": "Thiếu hướng dẫn"}
    return "post", reverse("corrective:analysis", args=[world.agency.pk, nc.pk]), data


def _action(world: World):
    nc = _nc(world, "accept")
    data = {"kind": "corrective", "description": "Ban hành hướng dẫn",
            "owner": world.secretary.pk, "due_date": "30/06/2026"}  # fmt: skip
    return "post", reverse("corrective:action_new", args=[world.agency.pk, nc.pk]), data


def _done(world: World):
    nc = _nc(world, "accept")
    todo = action(nc, world.secretary)
    url = reverse("corrective:action_done", args=[world.agency.pk, nc.pk, todo.pk])
    return "post", url, {"done_on": "01/03/2026", "note": "Đã ban hành hướng dẫn"}


def _verify(world: World):
    nc = _nc(world, "accept", "analyse")
    todo = action(nc, world.secretary)
    walk(nc, world.agency, [("start", world.secretary)])
    services.mark_done(todo, world.secretary, dt.date(2026, 2, 1), "Xong")
    walk(nc, world.agency, [("request_verification", world.secretary)])
    url = reverse("corrective:step", args=[world.agency.pk, nc.pk, "close"])
    return "post", url, {"verified_on": "01/03/2026", "note": "Có hiệu lực"}


def _from_follow_up(world: World):
    target = objective(world.agency, year=2025, status="issued", owner_unit=world.unit)
    missed = measured(target, "2025-Q1", "90")
    follow_up = objectives.record_follow_up(
        missed, "Cần khắc phục", dt.date(2025, 5, 1), world.secretary
    )
    url = reverse("corrective:from_follow_up", args=[world.agency.pk, follow_up.pk])
    return "post", url, {}


CASES = [
    Case("a nonconformity reported", Action.RAISE_NONCONFORMITY, _new),
    Case("a nonconformity of the unit accepted", Action.MANAGE_CORRECTIVE, _accept, Owner.UNIT),
    Case("a nonconformity of the unit edited", Action.MANAGE_CORRECTIVE, _edit, Owner.UNIT),
    Case("the cause analysis of the unit's", Action.MANAGE_CORRECTIVE, _analysis, Owner.UNIT),
    Case("an action of the unit's", Action.MANAGE_CORRECTIVE, _action, Owner.UNIT),
    Case("an action of the unit's recorded done", Action.MANAGE_CORRECTIVE, _done, Owner.UNIT),
    Case("the effectiveness of the unit's verified", Action.MANAGE_CORRECTIVE, _verify, Owner.UNIT),
    Case(
        "a corrective action opened for a missed objective",
        Action.MANAGE_CORRECTIVE,
        _from_follow_up,
        Owner.UNIT,
    ),
]
