"""One permission matrix for every app (docs/permissions.md): each role of agency A tries every
write screen the apps list (`qms/<app>/tests/matrix_cases.py`), on a record of its own unit and
on one of another unit, and gets exactly what the matrix says: the page or the change (200 or
302), or a refusal (403) before anything is written."""

import datetime as dt

import pytest

from qms.organization.models import CommitteeMember, Membership, Role, Unit
from qms.organization.tests.factories import issued
from qms.organization.tests.matrix import Owner, World, all_cases, allowed

ROLES = {
    "head": Role.HEAD,
    "deputy": Role.DEPUTY_HEAD,
    "secretary": Role.ISO_SECRETARY,
    "unit_head": Role.UNIT_HEAD,
    "staff": Role.STAFF,
    "auditor": Role.INTERNAL_AUDITOR,
    "expert": Role.INVITED_EXPERT,
}
CASES = all_cases()


def test_every_app_feeds_the_matrix():
    labels = {label for label, _case in CASES}
    assert {"organization", "documents", "plans"} <= labels
    assert any(case.owner == Owner.UNIT for _label, case in CASES)


def _world(cast, side: str) -> World:
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    if side == "own":
        return World(cast, office, own=True)
    other = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    return World(cast, other, own=False)


def _seat(cast, user) -> None:
    """`user` holds a seat on agency A's steering committee from 10/01/2025."""
    decision = issued(cast.a, ["Chủ tịch", user.full_name], 7, dt.date(2025, 1, 10))
    CommitteeMember.objects.filter(decision=decision, full_name=user.full_name).update(user=user)


def _walk(client, world, roles, *, own_unit=None, on_committee=False):
    own_unit = world.own if own_unit is None else own_unit
    wrong = []
    for label, case in CASES:
        if case.owner != Owner.UNIT and not world.own:
            continue  # a record of no unit is walked once
        method, url, data = case.build(world)
        status = getattr(client, method)(url, data or {}).status_code
        expected = allowed(roles, case, own_unit=own_unit, on_committee=on_committee)
        if status not in ({200, 302} if expected else {403}):
            wrong.append((label, case.label, "own" if world.own else "other", status, expected))
    return wrong


@pytest.mark.parametrize("side", ["own", "other"])
@pytest.mark.parametrize("who", list(ROLES))
def test_each_role_gets_exactly_its_cells(cast, login, who, side):
    world = _world(cast, side)
    client = login(cast.users[who])
    assert _walk(client, world, frozenset({ROLES[who]})) == []


@pytest.mark.parametrize("side", ["own", "other"])
def test_a_staff_member_on_the_committee_records_the_committee_tasks(cast, login, side):
    staff = cast.users["staff"]
    _seat(cast, staff)
    world = _world(cast, side)
    wrong = _walk(login(staff), world, frozenset({Role.STAFF}), on_committee=True)
    assert wrong == []


@pytest.mark.parametrize("who", ["unit_head", "staff"])
def test_a_member_without_a_unit_changes_no_units_records(cast, login, who):
    Membership.objects.filter(user=cast.users[who], agency=cast.a).update(unit=None)
    world = _world(cast, "own")  # the office's records: no longer theirs
    assert _walk(login(cast.users[who]), world, frozenset({ROLES[who]}), own_unit=False) == []
