"""Write screens of the risks app in the permission matrix (qms/organization/tests/matrix.py):
the register's rows and treatments belong to their unit (a head of unit changes their own);
the scale and the copy to the next year are the ISO secretary's; the context is the
secretary's (MANAGE_CONTEXT)."""

import datetime as dt

from django.urls import reverse

from qms.organization.access import Action
from qms.organization.tests.matrix import Case, Owner, World
from qms.risks import services
from qms.risks.tests import factories as f


def _risk(world: World):
    return f.risk(world.agency, unit=world.unit, by=world.secretary)


def _new(world: World):
    url = reverse("risks:new", args=[world.agency.pk, 2026])
    data = {
        "kind": "risk",
        "unit": world.unit.pk,
        "description": "Hồ sơ trễ hạn do thiếu nhân lực",
        "likelihood": "3",
        "impact": "4",
    }
    return "post", url, data


def _reassess(world: World):
    risk = _risk(world)
    url = reverse("risks:reassess", args=[world.agency.pk, risk.pk])
    return "post", url, {"likelihood": "2", "impact": "3", "note": "Sau khi bổ sung nhân lực"}


def _treatment(world: World):
    risk = _risk(world)
    url = reverse("risks:treatment_new", args=[world.agency.pk, risk.pk])
    data = {"action": "Bổ sung nhân lực", "owner_unit": world.unit.pk, "due_on": "31/03/2026"}
    return "post", url, data


def _done(world: World):
    risk = _risk(world)
    t = f.treatment(risk)
    url = reverse("risks:treatment_done", args=[world.agency.pk, risk.pk, t.pk])
    return "post", url, {"done_on": "01/03/2026", "note": "Đã bổ sung"}


def _check(world: World):
    risk = _risk(world)
    t = f.treatment(risk)
    services.mark_done(t, None, dt.date(2026, 3, 1), "Đã thực hiện")
    url = reverse("risks:treatment_check", args=[world.agency.pk, risk.pk, t.pk])
    return "post", url, {"result": "effective", "note": "Tốt", "checked_on": "02/03/2026"}


def _edit(world: World):
    risk = _risk(world)
    url = reverse("risks:edit", args=[world.agency.pk, risk.pk])
    data = {"kind": "risk", "unit": world.unit.pk, "description": "Mô tả mới"}
    return "post", url, data


def _scale(world: World):
    url = reverse("risks:scale", args=[world.agency.pk])
    data = {
        "levels": "5",
        "low_max": "4",
        "medium_max": "9",
        "high_max": "16",
        "threshold": "10",
        "check_after_days": "30",
    }
    return "post", url, data


def _issue(world: World):
    url = reverse("risks:issue_new", args=[world.agency.pk, 2026])
    data = {
        "side": "external",
        "category": "economic",
        "description": "Kinh tế khó khăn",
        "effect": "Giảm nguồn lực",
    }
    return "post", url, data


def _copy(world: World):
    f.issue(world.agency, year=2025)
    return "post", reverse("risks:copy_year", args=[world.agency.pk, 2025]), {}


def _plan(world: World):
    return "post", reverse("risks:plan_draft", args=[world.agency.pk, 2026]), {}


CASES = [
    Case("a new row of the unit's register", Action.MANAGE_RISKS, _new, Owner.UNIT),
    Case("reassess a row of the unit", Action.MANAGE_RISKS, _reassess, Owner.UNIT),
    Case("a treatment of the unit's row", Action.MANAGE_RISKS, _treatment, Owner.UNIT),
    Case("a treatment of the unit recorded done", Action.MANAGE_RISKS, _done, Owner.UNIT),
    Case("the effectiveness check of a treatment", Action.MANAGE_RISKS, _check, Owner.UNIT),
    Case("a row of the unit edited", Action.MANAGE_RISKS, _edit, Owner.UNIT),
    Case("the agency's risk scale", Action.MANAGE_RISKS, _scale, Owner.ACROSS),
    Case("the copy of the register to the next year", Action.MANAGE_RISKS, _copy, Owner.ACROSS),
    Case("the treatment plan drafted", Action.MANAGE_RISKS, _plan, Owner.ACROSS),
    Case("an issue of the context", Action.MANAGE_CONTEXT, _issue),
]
