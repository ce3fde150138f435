"""The organization's write screens in the permission matrix (qms/organization/tests/matrix.py):
all agency-wide — units, people and the committee are the agency's, not a unit's."""

from django.urls import reverse

from qms.organization.access import Action
from qms.organization.models import Membership, Unit
from qms.organization.tests.factories import draft_with_members
from qms.organization.tests.matrix import Case, Owner, World


def _unit_edit(world: World):
    unit = Unit.objects.create(agency=world.agency, name="Phòng Thử quyền")
    data = {"name": "Phòng Thử quyền", "kind": "division", "order": 3, "is_active": "on"}
    return "post", reverse("organization:unit_edit", args=[world.agency.pk, unit.pk]), data


def _person_edit(world: World):
    membership = Membership.objects.get(agency=world.agency, user=world.cast.users["auditor"])
    url = reverse("organization:person_edit", args=[world.agency.pk, membership.pk])
    return "get", url, None


def _decision_edit(world: World):
    draft = draft_with_members(world.agency, ["Lê Thị Hai"])
    return "get", reverse("organization:decision_edit", args=[world.agency.pk, draft.pk]), None


def _decision_issue(world: World):
    draft = draft_with_members(world.agency, ["Lê Thị Hai"])
    data = {"number": 9, "issued_on": "02/01/2026"}
    return "post", reverse("paperwork:issue", args=[world.agency.pk, draft.paper_id]), data


CASES = [
    Case(
        "unit create form",
        Action.MANAGE_PEOPLE,
        lambda w: ("get", reverse("organization:unit_create", args=[w.agency.pk]), None),
    ),
    Case("unit edit", Action.MANAGE_PEOPLE, _unit_edit),
    Case(
        "person create form",
        Action.MANAGE_PEOPLE,
        lambda w: ("get", reverse("organization:person_create", args=[w.agency.pk]), None),
    ),
    Case("person edit form", Action.MANAGE_PEOPLE, _person_edit),
    Case(
        "committee decision create",
        Action.MANAGE_COMMITTEE,
        lambda w: ("post", reverse("organization:decision_create", args=[w.agency.pk]), {}),
    ),
    Case("committee decision edit form", Action.MANAGE_COMMITTEE, _decision_edit),
    Case("committee decision issue", Action.ISSUE_DECISION, _decision_issue, Owner.AGENCY),
    Case(
        "delegation of approval form",
        Action.DELEGATE_APPROVAL,
        lambda w: ("get", reverse("organization:delegation_create", args=[w.agency.pk]), None),
    ),
]
