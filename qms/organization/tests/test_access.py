"""The role × action matrix of docs/permissions.md, and agency isolation, through the screens."""

import pytest
from django.urls import reverse

from qms.organization.access import PERMISSIONS, Action
from qms.organization.models import Membership, Role, Unit
from qms.organization.tests.factories import D, draft_with_members, issued

ROLE_OF = {
    "head": Role.HEAD,
    "deputy": Role.DEPUTY_HEAD,
    "secretary": Role.ISO_SECRETARY,
    "unit_head": Role.UNIT_HEAD,
    "staff": Role.STAFF,
    "auditor": Role.INTERNAL_AUDITOR,
    "expert": Role.INVITED_EXPERT,
}


def read_urls(cast):
    a = cast.a
    decision = issued(a, ["Trần Văn Một"], 5, D(2025, 1, 10))
    unit = Unit.objects.get(agency=a)
    membership = Membership.objects.filter(agency=a).first()
    return [
        reverse("organization:dashboard", args=[a.pk]),
        reverse("organization:unit_list", args=[a.pk]),
        reverse("organization:person_list", args=[a.pk]),
        reverse("organization:committee", args=[a.pk]),
        reverse("organization:decision_detail", args=[a.pk, decision.pk]),
        reverse("organization:decision_document", args=[a.pk, decision.pk, "docx"]),
        reverse("organization:history", args=[a.pk, "agency", a.pk]),
        reverse("organization:history", args=[a.pk, "unit", unit.pk]),
        reverse("organization:history", args=[a.pk, "membership", membership.pk]),
        reverse("organization:history", args=[a.pk, "decision", decision.pk]),
    ]


def write_requests(cast):
    """(action, method, url, data) for every write screen of agency A."""
    a = cast.a
    draft = draft_with_members(a, ["Lê Thị Hai"])
    unit = Unit.objects.get(agency=a)
    membership = Membership.objects.get(agency=a, user=cast.users["staff"])
    return [
        (Action.MANAGE_PEOPLE, "get", reverse("organization:unit_create", args=[a.pk]), None),
        (
            Action.MANAGE_PEOPLE,
            "post",
            reverse("organization:unit_edit", args=[a.pk, unit.pk]),
            {"name": "Văn phòng", "kind": "office", "order": 1, "is_active": "on"},
        ),
        (Action.MANAGE_PEOPLE, "get", reverse("organization:person_create", args=[a.pk]), None),
        (
            Action.MANAGE_PEOPLE,
            "get",
            reverse("organization:person_edit", args=[a.pk, membership.pk]),
            None,
        ),
        (Action.MANAGE_COMMITTEE, "post", reverse("organization:decision_create", args=[a.pk]), {}),
        (
            Action.MANAGE_COMMITTEE,
            "get",
            reverse("organization:decision_edit", args=[a.pk, draft.pk]),
            None,
        ),
        (
            Action.ISSUE_DECISION,
            "post",
            reverse("paperwork:issue", args=[a.pk, draft.paper_id]),
            {"number": 9, "issued_on": "02/01/2026"},
        ),
    ]


@pytest.mark.parametrize("who", [*ROLE_OF, "overseer", "admin"])
def test_it_lets_every_reader_of_the_agency_see_every_page(cast, login, who):
    client = login(cast.users[who])
    for url in read_urls(cast):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["secretary_b", "overseer2", "expired_expert"])
def test_it_hides_the_agency_from_everyone_else(cast, login, who):
    client = login(cast.users[who])
    for url in read_urls(cast):
        assert client.get(url).status_code == 404, url
    for _action, method, url, data in write_requests(cast):
        assert getattr(client, method)(url, data or {}).status_code == 404, url


@pytest.mark.parametrize("who", list(ROLE_OF))
def test_it_allows_each_write_exactly_to_the_roles_of_the_matrix(cast, login, who):
    client = login(cast.users[who])
    for action, method, url, data in write_requests(cast):
        response = getattr(client, method)(url, data or {})
        allowed = ROLE_OF[who] in PERMISSIONS[action]
        expected = {200, 302} if allowed else {403}
        assert response.status_code in expected, (who, url, response.status_code)


def test_it_lets_the_overseer_read_but_never_write(cast, login):
    client = login(cast.users["overseer"])
    for _action, method, url, data in write_requests(cast):
        assert getattr(client, method)(url, data or {}).status_code == 403, url


def test_it_lets_the_administrator_manage_people_but_not_the_committee(cast, login):
    client = login(cast.users["admin"])
    for action, method, url, data in write_requests(cast):
        status = getattr(client, method)(url, data or {}).status_code
        if action == Action.MANAGE_PEOPLE:
            assert status in {200, 302}, url
        else:
            assert status == 403, url


def test_it_makes_a_dissolved_agency_read_only_for_its_own_secretary(cast, login):
    cast.a.valid_to = D(2025, 6, 30)
    cast.a.save()
    client = login(cast.users["secretary"])
    for url in read_urls(cast):
        assert client.get(url).status_code == 200, url
    for _action, method, url, data in write_requests(cast):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 403, url
        assert "giải thể" in response.content.decode() or "dissolved" in response.content.decode()


def test_it_shows_the_overseer_only_the_agencies_of_its_province(cast, login):
    client = login(cast.users["overseer"])
    page = client.get(reverse("organization:province_home")).content.decode()
    assert cast.a.name in page and cast.a2.name in page
    assert cast.b.name not in page


def test_it_refuses_the_province_list_to_a_plain_member(cast, login):
    client = login(cast.users["secretary"])
    assert client.get(reverse("organization:province_home")).status_code == 404


def test_it_refuses_an_object_of_another_agency_under_this_agency_url(cast, login):
    """Changing only the object id (not the agency id) must not reach agency B's data."""
    decision_b = issued(cast.b, ["Phạm Văn Ba"], 3, D(2025, 2, 1))
    unit_b = Unit.objects.get(agency=cast.b)
    client = login(cast.users["secretary"])
    a = cast.a.pk
    urls = [
        reverse("organization:decision_detail", args=[a, decision_b.pk]),
        reverse("organization:decision_document", args=[a, decision_b.pk, "docx"]),
        reverse("organization:unit_edit", args=[a, unit_b.pk]),
        reverse("organization:history", args=[a, "decision", decision_b.pk]),
        reverse("organization:history", args=[a, "unit", unit_b.pk]),
        reverse("organization:history", args=[a, "agency", cast.b.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("organization:dashboard", "post"),
        ("organization:unit_list", "post"),
        ("organization:person_list", "post"),
        ("organization:committee", "post"),
        ("organization:decision_create", "get"),
    ],
)
def test_it_refuses_the_wrong_method(cast, login, name, method):
    client = login(cast.users["secretary"])
    assert getattr(client, method)(reverse(name, args=[cast.a.pk])).status_code == 405


def test_it_sends_anonymous_visitors_to_the_login_page(cast, client):
    response = client.get(reverse("organization:dashboard", args=[cast.a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_switches_only_to_an_agency_of_the_user(cast, login):
    client = login(cast.users["secretary"])
    response = client.post(reverse("organization:switch_agency"), {"agency": cast.b.pk})
    assert response.status_code == 404
    response = client.post(reverse("organization:switch_agency"), {"agency": cast.a.pk})
    assert response.status_code == 302
    assert client.session["agency_id"] == cast.a.pk
