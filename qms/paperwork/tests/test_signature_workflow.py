"""A paper's own workflow (qms.paperwork.workflows): a committee decision's draft submitted for
signature waits in the inbox of everyone who may record it as signed, is locked until sent
back, leaves every inbox once issued or sent back; whoever submitted it records it as signed
only as its named signer."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qms.agenda.models import InboxItem, Notification
from qms.organization.tests.factories import draft_with_members
from qms.paperwork import services
from qms.paperwork.models import Paper
from qms.paperwork.services import REVISE_KIND, SIGN_KIND

D = dt.date


def step(draft, name):
    return reverse("paperwork:step", args=[draft.agency_id, draft.paper_id, name])


def issue_url(draft):
    return reverse("paperwork:issue", args=[draft.agency_id, draft.paper_id])


def page(client, draft):
    return client.get(draft.get_absolute_url()).content.decode()


def waiting(kind=SIGN_KIND):
    return InboxItem.objects.filter(kind=kind, done_at__isnull=True)


def refused(change, *args):
    with pytest.raises(ValidationError) as caught:
        change(*args)
    return " ".join(caught.value.messages)


@pytest.fixture
def draft(cast):
    return draft_with_members(cast.a, ["An", "Bình"])


def test_submitted_for_signature_it_waits_in_every_signers_inbox_until_issued(draft, cast, login):
    secretary = cast.users["secretary"]
    client = login(secretary)
    assert 'id="issue-form"' not in page(client, draft)  # not ready: no issue form yet
    client.post(step(draft, "submit"))
    draft.paper.refresh_from_db()
    assert draft.paper.status == Paper.Status.SIGNING
    assert draft.paper.submitted_by == secretary
    # The issue right of a decision: secretary, head, deputy; not whoever submitted it.
    items = waiting()
    assert {i.user_id for i in items} == {cast.users["head"].pk, cast.users["deputy"].pk}
    assert {i.url for i in items} == {draft.get_absolute_url()}
    assert Notification.objects.filter(
        user=cast.users["head"], title=f"Ký / vào sổ văn bản: {draft.paper.subject}"
    ).exists()
    # Locked: neither the edit page nor the service changes it.
    assert 'id="edit-paper"' not in page(client, draft)
    edit = client.get(reverse("paperwork:edit", args=[draft.agency_id, draft.paper_id]))
    assert edit.status_code == 302
    assert "phải trả lại dự thảo" in refused(
        lambda: services.save_draft(draft.paper, signer_name="Người khác")
    )
    # The head records it as signed: it leaves every inbox.
    head = login(cast.users["head"])
    assert 'id="issue-form"' in page(head, draft)
    head.post(issue_url(draft), {"number": "4", "issued_on": "15/01/2026"})
    draft.paper.refresh_from_db()
    assert draft.paper.is_issued
    assert not waiting().exists()


def test_sent_back_with_comments_it_leaves_every_inbox_and_returns_to_its_drafter(
    draft, cast, login
):
    secretary, deputy = cast.users["secretary"], cast.users["deputy"]
    login(secretary).post(step(draft, "submit"))
    client = login(deputy)
    client.post(step(draft, "send_back"), {"comment": ""})  # refused: a comment is required
    draft.paper.refresh_from_db()
    assert draft.paper.status == Paper.Status.SIGNING
    client.post(step(draft, "send_back"), {"comment": "Sửa căn cứ pháp lý"})
    draft.paper.refresh_from_db()
    assert draft.paper.status == Paper.Status.DRAFT
    assert not waiting().exists()
    revise = waiting(REVISE_KIND).get()
    assert revise.user == secretary and "Sửa căn cứ pháp lý" in revise.title
    assert draft.paper.history.first().history_change_reason == "Sửa căn cứ pháp lý"
    services.save_draft(draft.paper, signer_name="Trần Văn B")  # editable again
    # Submitted again: the drafter's item is done, the signers' back.
    login(secretary).post(step(draft, "submit"))
    assert not waiting(REVISE_KIND).exists()
    assert waiting().count() == 2


def test_each_step_is_refused_from_the_wrong_state_and_without_the_right(draft, cast, login):
    secretary, staff = cast.users["secretary"], cast.users["staff"]
    assert "Chỉ văn bản đã trình ký" in refused(services.send_back, draft, secretary, "Sửa")
    assert login(staff).post(step(draft, "submit")).status_code == 403
    assert login(secretary).post(step(draft, "sign")).status_code == 404
    services.submit_for_signature(draft, secretary)
    assert "Chỉ dự thảo mới được trình ký" in refused(
        services.submit_for_signature, draft, secretary
    )
    assert login(staff).post(step(draft, "send_back"), {"comment": "x"}).status_code == 403


def test_the_page_offers_the_steps_only_to_whoever_may_take_them(draft, cast, login):
    assert 'id="step-submit"' in page(login(cast.users["secretary"]), draft)
    assert 'id="step-submit"' not in page(login(cast.users["staff"]), draft)
    services.submit_for_signature(draft, cast.users["secretary"])
    head_page = page(login(cast.users["head"]), draft)
    assert 'id="step-send_back"' in head_page and 'id="step-submit"' not in head_page
    assert 'data-state="signing"' in head_page


def test_whoever_submitted_it_records_it_as_signed_only_as_its_named_signer(draft, cast, login):
    deputy = cast.users["deputy"]
    services.submit_for_signature(draft, deputy)
    assert "trừ khi chính người đó là người ký" in refused(
        lambda: services.issue(draft.paper, number=4, issued_on=D(2026, 1, 15), by=deputy)
    )
    draft.paper.refresh_from_db()
    assert draft.paper.status == Paper.Status.SIGNING
    # Named as the signer (set before submitting), the deputy may record what he signed.
    Paper.objects.filter(pk=draft.paper_id).update(signer=deputy)
    draft.paper.refresh_from_db()
    services.issue(draft.paper, number=4, issued_on=D(2026, 1, 15), by=deputy)
    draft.paper.refresh_from_db()
    assert draft.paper.is_issued
    assert not waiting().exists()


def test_the_register_lists_a_draft_submitted_for_signature_with_its_state(draft, cast, login):
    services.submit_for_signature(draft, cast.users["secretary"])
    register = login(cast.users["staff"]).get(reverse("paperwork:register", args=[cast.a.pk]))
    listed = register.content.decode().split('id="draft-list"')[1]
    assert draft.paper.subject in listed and 'data-state="signing"' in listed
