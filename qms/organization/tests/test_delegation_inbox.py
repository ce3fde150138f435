"""Work follows a delegation (ủy quyền): while the head's approval is delegated to someone,
the approvals and signatures waiting now are in the delegate's inbox too, with a
notification; when it ends they leave it. A delegation that starts on a later day reaches the
inbox from the worker on that morning. Role changes hand waiting work again the same way."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from qms.agenda.models import InboxItem, Notification
from qms.documents import services as documents
from qms.documents.models import Document, Kind
from qms.documents.tests.test_revision_life import docx_upload
from qms.organization import services
from qms.organization.models import Delegation, Membership, Role, today
from qms.organization.tasks import delegations_turning, hand_on_delegations
from qms.organization.tests.factories import draft_with_members

ONE_DAY = dt.timedelta(days=1)


def _waiting(user) -> list[str]:
    return sorted(
        InboxItem.objects.filter(user=user)
        .waiting(timezone.localdate())
        .values_list("kind", flat=True)
    )


def _reviewed_revision(cast):
    """A revision drafted by the secretary and reviewed by the deputy: it waits for approval."""
    document = Document.objects.create(
        agency=cast.a, kind=Kind.SYSTEM_PROCEDURE, code="QT-09", title="Quy trình tiếp nhận"
    )
    revision = documents.new_revision(document, cast.users["secretary"])
    documents.add_file(revision, docx_upload(), cast.users["secretary"])
    documents.submit(revision, cast.users["secretary"])
    documents.mark_reviewed(revision, cast.users["deputy"])
    return revision


def _delegate(cast, starts_on=None, rights=("approve_document",)):
    return services.delegate_approval(
        agency=cast.a,
        delegator=cast.users["head"],
        delegate=cast.users["unit_head"],
        rights=rights,
        starts_on=starts_on or today(),
        ends_on=(starts_on or today()) + 10 * ONE_DAY,
        number="12/GUQ-SXD",
        signed_on=today(),
    )


def test_a_delegation_brings_the_waiting_approval_to_the_delegate_and_ending_takes_it_back(cast):
    _reviewed_revision(cast)
    delegate = cast.users["unit_head"]
    assert _waiting(delegate) == []

    delegation = _delegate(cast)
    assert _waiting(delegate) == ["documents.revision.approve"]
    assert Notification.objects.filter(user=delegate, title__contains="QT-09").exists()
    # the head keeps it too: delegating is sharing the right, not giving it away
    assert "documents.revision.approve" in _waiting(cast.users["head"])

    services.end_delegation(delegation, by=cast.users["head"])
    assert _waiting(delegate) == []
    assert "documents.revision.approve" in _waiting(cast.users["head"])


def test_only_the_rights_delegated_bring_work(cast):
    _reviewed_revision(cast)
    _delegate(cast, rights=("issue_decision",))
    assert _waiting(cast.users["unit_head"]) == []


def test_new_work_after_the_delegation_reaches_the_delegate_too(cast):
    _delegate(cast)
    _reviewed_revision(cast)
    assert _waiting(cast.users["unit_head"]) == ["documents.revision.approve"]


def test_a_delegation_starting_later_reaches_the_inbox_from_the_worker_on_its_first_day(cast):
    _reviewed_revision(cast)
    # Recorded days ago to start today: nobody pressed anything this morning.
    Delegation.objects.create(
        agency=cast.a,
        delegator=cast.users["head"],
        delegate=cast.users["unit_head"],
        rights=["approve_document"],
        starts_on=today(),
        ends_on=today() + ONE_DAY,
        created_by=cast.users["head"],
    )
    assert _waiting(cast.users["unit_head"]) == []
    assert delegations_turning(today()) == [cast.a]
    assert hand_on_delegations.call() == 1
    assert _waiting(cast.users["unit_head"]) == ["documents.revision.approve"]


def test_a_delegation_that_ran_out_yesterday_is_taken_back_by_the_worker(cast):
    _reviewed_revision(cast)
    delegation = _delegate(cast)
    assert _waiting(cast.users["unit_head"]) == ["documents.revision.approve"]
    Delegation.objects.filter(pk=delegation.pk).update(
        starts_on=today() - 5 * ONE_DAY, ends_on=today() - ONE_DAY
    )
    hand_on_delegations.call()
    assert _waiting(cast.users["unit_head"]) == []


def test_a_new_deputy_gets_the_waiting_approval_and_a_former_one_loses_it(cast):
    _reviewed_revision(cast)
    newcomer = Membership.objects.get(user=cast.users["staff"], agency=cast.a)
    services.set_roles(newcomer, [Role.DEPUTY_HEAD], by=cast.users["secretary"])
    assert _waiting(newcomer.user) == ["documents.revision.approve"]
    services.set_roles(newcomer, [Role.STAFF], by=cast.users["secretary"])
    assert _waiting(newcomer.user) == []


def test_a_paper_signed_under_a_delegation_says_so_on_its_page(cast, login):
    """The deputy signs a committee decision the head delegated: the register keeps which
    letter of authorisation it was signed under, the record's page shows it."""
    delegation = _delegate(cast, rights=("issue_decision",))
    delegate = cast.users["unit_head"]
    draft = draft_with_members(
        cast.a, ["Lê Thị Hai"], signer=delegate, signer_name=delegate.full_name
    )
    client = login(cast.users["secretary"])
    url = reverse("paperwork:issue", args=[cast.a.pk, draft.paper_id])
    assert client.post(url, {"number": 9, "issued_on": f"{today():%d/%m/%Y}"}).status_code == 302
    draft.paper.refresh_from_db()
    assert draft.paper.delegation == delegation
    page = client.get(draft.get_absolute_url()).content.decode()
    assert f"theo Giấy ủy quyền số 12/GUQ-SXD ngày {today():%d/%m/%Y}" in page


def test_a_paper_the_head_signs_names_no_delegation(cast, login):
    _delegate(cast, rights=("issue_decision",))
    head = cast.users["head"]
    draft = draft_with_members(cast.a, ["Lê Thị Hai"], signer=head, signer_name=head.full_name)
    client = login(cast.users["secretary"])
    url = reverse("paperwork:issue", args=[cast.a.pk, draft.paper_id])
    assert client.post(url, {"number": 9, "issued_on": f"{today():%d/%m/%Y}"}).status_code == 302
    draft.paper.refresh_from_db()
    assert draft.paper.delegation is None
    assert "Giấy ủy quyền" not in client.get(draft.get_absolute_url()).content.decode()
