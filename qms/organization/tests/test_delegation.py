"""Delegation of approval (ủy quyền): the head delegates rights to another member for a
period; the delegate holds them only while it runs; it is kept with its history and shown on
the people page."""

import datetime as dt

import pytest
from django.urls import reverse

from qms.documents import services as documents
from qms.documents.models import Document, Kind, Revision
from qms.documents.tests.test_revision_life import docx_upload
from qms.organization import services
from qms.organization.access import Action, agency_access
from qms.organization.models import Delegation, Membership, Role, Unit, today
from qms.organization.tests.factories import draft_with_members

ONE_DAY = dt.timedelta(days=1)


def _form(cast, **extra):
    data = {
        "delegate": cast.users["unit_head"].pk,
        "rights": ["approve_document", "issue_decision"],
        "starts_on": f"{today():%d/%m/%Y}",
        "ends_on": f"{today() + 10 * ONE_DAY:%d/%m/%Y}",
        "number": "12/GUQ-SXD",
        "signed_on": f"{today():%d/%m/%Y}",
    }
    return data | extra


def _delegate(cast, starts_on, ends_on, rights=("approve_document", "issue_decision")):
    return services.delegate_approval(
        agency=cast.a,
        delegator=cast.users["head"],
        delegate=cast.users["unit_head"],
        rights=rights,
        starts_on=starts_on,
        ends_on=ends_on,
        number="12/GUQ-SXD",
        signed_on=today(),
    )


def _issue_decision(client, cast):
    draft = draft_with_members(cast.a, ["Lê Thị Hai"])
    url = reverse("paperwork:issue", args=[cast.a.pk, draft.paper_id])
    return client.post(url, {"number": 9, "issued_on": f"{today():%d/%m/%Y}"})


def test_the_head_delegates_on_the_people_page_and_the_delegate_then_signs(cast, login):
    head = login(cast.users["head"])
    url = reverse("organization:delegation_create", args=[cast.a.pk])
    assert head.get(url).status_code == 200
    response = head.post(url, _form(cast))
    assert response.status_code == 302
    delegation = Delegation.objects.get(agency=cast.a)
    assert delegation.delegator == cast.users["head"]
    assert delegation.rights == ["approve_document", "issue_decision"]
    page = head.get(reverse("organization:person_list", args=[cast.a.pk])).content.decode()
    assert "Unit_Head" in page and "theo ủy quyền số 12/GUQ-SXD" in page
    # The delegate now records a committee decision as signed, which their role alone does not.
    assert _issue_decision(login(cast.users["unit_head"]), cast).status_code == 302


@pytest.mark.parametrize("who", ["deputy", "secretary", "unit_head", "staff"])
def test_only_the_head_delegates(cast, login, who):
    client = login(cast.users[who])
    url = reverse("organization:delegation_create", args=[cast.a.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _form(cast)).status_code == 403
    assert not Delegation.objects.exists()


def test_the_right_holds_only_during_the_period(cast, login):
    client = login(cast.users["unit_head"])
    assert _issue_decision(client, cast).status_code == 403  # no delegation
    _delegate(cast, today() + ONE_DAY, today() + 5 * ONE_DAY)  # starts tomorrow
    assert _issue_decision(client, cast).status_code == 403
    running = _delegate(cast, today() - 5 * ONE_DAY, today())
    assert _issue_decision(client, cast).status_code == 302  # its last day
    services.end_delegation(running, by=cast.users["head"])
    assert _issue_decision(client, cast).status_code == 403


def test_a_delegation_that_ran_out_gives_nothing(cast):
    Delegation.objects.create(
        agency=cast.a,
        delegator=cast.users["head"],
        delegate=cast.users["unit_head"],
        rights=["issue_decision"],
        starts_on=today() - 10 * ONE_DAY,
        ends_on=today() - ONE_DAY,
        created_by=cast.users["head"],
    )
    assert not agency_access(cast.users["unit_head"], cast.a.pk).can(Action.ISSUE_DECISION)


def test_only_the_rights_delegated_are_held(cast):
    _delegate(cast, today(), today() + ONE_DAY, rights=["issue_decision"])
    access = agency_access(cast.users["unit_head"], cast.a.pk)
    assert access.can(Action.ISSUE_DECISION)
    assert not access.can(Action.APPROVE_DOCUMENT)
    assert not access.can(Action.APPROVE_PLAN)
    assert access.delegation_for(Action.ISSUE_DECISION).reference == (
        f"theo ủy quyền số 12/GUQ-SXD ngày {today():%d/%m/%Y}"
    )


def test_the_delegation_lapses_when_the_delegator_is_no_longer_head(cast):
    _delegate(cast, today(), today() + ONE_DAY)
    head = Membership.objects.get(agency=cast.a, user=cast.users["head"])
    services.set_roles(head, [Role.DEPUTY_HEAD])
    assert not agency_access(cast.users["unit_head"], cast.a.pk).can(Action.ISSUE_DECISION)


def test_the_delegate_approves_a_revision_of_any_unit(cast, login):
    """The head's approval is agency-wide; so is the delegate's, whatever their own unit."""
    _delegate(cast, today(), today() + ONE_DAY, rights=["approve_document"])
    other = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    document = Document.objects.create(
        agency=cast.a, kind=Kind.SYSTEM_PROCEDURE, code="QT-05", title="Quy trình", owner_unit=other
    )
    revision = documents.new_revision(document, cast.users["secretary"])
    documents.add_file(revision, docx_upload(), cast.users["secretary"])
    documents.submit(revision, cast.users["secretary"])
    documents.mark_reviewed(revision, cast.users["deputy"])
    url = reverse("documents:revision_action", args=[cast.a.pk, revision.pk, "approve"])
    assert login(cast.users["unit_head"]).post(url).status_code == 302
    revision.refresh_from_db()
    assert revision.status == Revision.Status.APPROVED
    assert revision.approved_by == cast.users["unit_head"]


def test_ending_early_is_in_the_history(cast, login):
    delegation = _delegate(cast, today(), today() + 10 * ONE_DAY)
    client = login(cast.users["head"])
    url = reverse("organization:delegation_end", args=[cast.a.pk, delegation.pk])
    assert client.post(url).status_code == 302
    delegation.refresh_from_db()
    assert delegation.ended_at is not None and delegation.ended_by == cast.users["head"]
    assert delegation.history.count() == 2
    page = client.get(
        reverse("organization:history", args=[cast.a.pk, "delegation", delegation.pk])
    )
    assert page.status_code == 200
    # Ended: no longer listed as running on the people page, and it cannot be ended twice.
    people = client.get(reverse("organization:person_list", args=[cast.a.pk])).content.decode()
    assert "12/GUQ-SXD" not in people
    client.post(url)
    assert delegation.history.count() == 2


def test_the_form_refuses_a_bad_period_and_a_stranger(cast, login):
    client = login(cast.users["head"])
    url = reverse("organization:delegation_create", args=[cast.a.pk])
    late = _form(cast, ends_on=f"{today() - ONE_DAY:%d/%m/%Y}")
    assert client.post(url, late).status_code == 400
    stranger = _form(cast, delegate=cast.users["secretary_b"].pk)
    assert client.post(url, stranger).status_code == 400
    assert client.post(url, _form(cast, rights=[])).status_code == 400
    assert not Delegation.objects.exists()


def test_another_agency_cannot_see_or_end_it(cast, login):
    delegation = _delegate(cast, today(), today() + ONE_DAY)
    client = login(cast.users["secretary_b"])
    url = reverse("organization:delegation_end", args=[cast.a.pk, delegation.pk])
    assert client.post(url).status_code == 404
    history = reverse("organization:history", args=[cast.a.pk, "delegation", delegation.pk])
    assert client.get(history).status_code == 404
    delegation.refresh_from_db()
    assert delegation.ended_at is None


@pytest.mark.parametrize(
    "bad",
    [
        {"delegate": "9223372036854775808"},
        {"delegate": "-1"},
        {"starts_on": "31/12/9999"},
        {"ends_on": "00/00/0000"},
        {"rights": ["manage_people"]},
        {"number": "x" * 500},
    ],
)
def test_hostile_input_is_refused_with_a_message(cast, login, bad):
    url = reverse("organization:delegation_create", args=[cast.a.pk])
    assert login(cast.users["head"]).post(url, _form(cast, **bad)).status_code == 400
    assert not Delegation.objects.exists()


def test_wrong_methods_and_non_members_are_refused(cast, login):
    delegation = _delegate(cast, today(), today() + ONE_DAY)
    head = login(cast.users["head"])
    end = reverse("organization:delegation_end", args=[cast.a.pk, delegation.pk])
    assert head.get(end).status_code == 405
    assert head.put(reverse("organization:delegation_create", args=[cast.a.pk])).status_code == 405
    for who in ("overseer", "admin"):
        client = login(cast.users[who])
        assert client.post(end).status_code == 403
        create = reverse("organization:delegation_create", args=[cast.a.pk])
        assert client.get(create).status_code == 403
    delegation.refresh_from_db()
    assert delegation.ended_at is None
