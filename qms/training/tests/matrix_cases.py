"""Write screens of the training app in the permission matrix (qms/organization/tests/matrix.py):
courses, sessions, their steps and attendance are the ISO secretary's (MANAGE_TRAINING);
nominating follows the unit nominated for (NOMINATE_TRAINEES: a head of unit, their own)."""

import itertools

from django.urls import reverse

from conftest import make_person
from qms.organization.access import Action, access_for
from qms.organization.models import Role
from qms.organization.tests.matrix import Case, Owner, World
from qms.training import services
from qms.training.tests import builders as b

_numbers = itertools.count(1)


def _course(world: World):
    url = reverse("training:course_new", args=[world.agency.pk])
    return "post", url, {"title": "Cập nhật ISO", "kind": "iso_update", "hours": "8"}


def _announce(world: World):
    row = b.session(world.agency, [world.unit])
    return "post", reverse("training:step", args=[world.agency.pk, row.pk, "announce"]), None


def _announced(world: World):
    row = b.session(world.agency, [world.unit])
    services.take_step(row, "announce", access_for(world.secretary, world.agency))
    return row


def _attendance(world: World):
    row = _announced(world)
    services.nominate(row, world.unit, [_person(world)], access_for(world.secretary, world.agency))
    nominee = row.nominees.get()
    url = reverse("training:attendance", args=[world.agency.pk, row.pk])
    return "post", url, {f"attendance-{nominee.pk}": "attended"}


def _person(world: World):
    return make_person(world.agency, f"trainee{next(_numbers)}", [Role.STAFF], unit=world.unit)


def _nominate(world: World):
    row = _announced(world)
    url = reverse("training:nominate", args=[world.agency.pk, row.pk, world.unit.pk])
    return "post", url, {"persons": [_person(world).pk]}


CASES = [
    Case("new course", Action.MANAGE_TRAINING, _course),
    Case("announce a session", Action.MANAGE_TRAINING, _announce),
    Case("record attendance", Action.MANAGE_TRAINING, _attendance),
    Case("nominate trainees", Action.NOMINATE_TRAINEES, _nominate, Owner.UNIT),
]
