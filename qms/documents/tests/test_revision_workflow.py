"""A revision's declared workflow: three different people on the signature grid, each step
handing the work to the people who must do it (their inbox, at once) and taking it out of
every inbox once done; required reading as an obligation of each reader; who has not read
what, by unit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from conftest import make_person
from qms.agenda.models import AgendaSettings, InboxItem, Notification, Obligation
from qms.documents import services
from qms.documents.models import LegalDocument, ReadRequirement, Revision
from qms.documents.tests.test_revision_life import docx_upload, make_document
from qms.documents.workflows import REVISION_FLOW
from qms.organization.access import access_for
from qms.organization.models import Role, Unit, today

S = Revision.Status
D = dt.date


def inbox_of(user):
    """(kind, source) of what waits for `user` now."""
    return sorted(
        InboxItem.objects.filter(user=user)
        .waiting(timezone.localdate())
        .values_list("kind", flat=True)
    )


def refused(change, *args):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        change(*args)
    return " ".join(error.value.messages)


@pytest.fixture
def office(cast):
    return Unit.objects.get(agency=cast.a, name="Văn phòng Sở")


@pytest.fixture
def draft(cast, office):
    """A procedure of the Office drafted by its head of unit, with its file."""
    document = make_document(cast.a, "QT-07", owner_unit=office)
    revision = services.new_revision(document, cast.users["unit_head"])
    services.add_file(revision, docx_upload(), cast.users["unit_head"])
    return revision


def test_three_different_people_sign_the_grid(cast, draft):
    users = cast.users
    services.submit(draft, users["unit_head"])
    # The deputy head alone cannot review and then approve the same revision.
    services.mark_reviewed(draft, users["deputy"])
    message = refused(services.approve, draft, users["deputy"])
    assert message == "The person who reviewed a revision cannot also approve it."
    services.approve(draft, users["head"])
    draft.refresh_from_db()
    assert (draft.drafted_by, draft.reviewed_by, draft.approved_by) == (
        users["unit_head"],
        users["deputy"],
        users["head"],
    )


def test_whoever_drafted_reviews_nor_approves_it(cast, office):
    users = cast.users
    document = make_document(cast.a, "QT-08", owner_unit=office)
    revision = services.new_revision(document, users["secretary"])
    services.add_file(revision, docx_upload(), users["secretary"])
    services.submit(revision, users["secretary"])
    assert "drafted" in refused(services.mark_reviewed, revision, users["secretary"])
    # A head of agency who drafted cannot approve: the deputy does.
    revision.drafted_by = users["head"]
    revision.save()
    services.mark_reviewed(revision, users["secretary"])
    assert refused(services.approve, revision, users["head"]) == (
        "The person who drafted a revision cannot also approve it."
    )
    services.approve(revision, users["deputy"])


def test_the_page_offers_only_the_steps_each_person_may_take(cast, draft, login):
    users = cast.users
    services.submit(draft, users["unit_head"])
    services.mark_reviewed(draft, users["deputy"])
    page = reverse("documents:revision", args=[cast.a.pk, draft.pk])
    deputy = login(users["deputy"]).get(page).content.decode()
    assert 'id="step-approve"' not in deputy and 'id="step-send_back"' in deputy
    head = login(users["head"]).get(page).content.decode()
    assert 'id="step-approve"' in head and 'data-state="reviewed"' in head
    staff = login(users["staff"]).get(page).content.decode()
    assert 'id="step-' not in staff
    available = REVISION_FLOW.available(draft, access_for(users["secretary"], cast.a))
    assert [t.name for t in available] == ["send_back"]


def test_an_inbox_item_appears_at_each_step_and_leaves_when_done(cast, draft, office):
    users = cast.users
    reviewers = ("secretary", "head", "deputy")
    services.submit(draft, users["unit_head"])
    for name in reviewers:
        assert inbox_of(users[name]) == ["documents.revision.review"]
    assert inbox_of(users["unit_head"]) == []  # the drafter reviews nothing of their own
    assert Notification.objects.filter(user=users["deputy"]).count() == 1
    # One reviewer reviews: it leaves the other reviewers' inboxes too.
    services.mark_reviewed(draft, users["secretary"])
    assert inbox_of(users["secretary"]) == []
    assert inbox_of(users["head"]) == inbox_of(users["deputy"]) == ["documents.revision.approve"]
    services.approve(draft, users["deputy"])
    assert inbox_of(users["head"]) == inbox_of(users["deputy"]) == ["documents.revision.issue"]
    ReadRequirement.objects.create(revision=draft, unit=office)
    services.issue(draft, timezone.localdate(), timezone.localdate(), by=users["deputy"])
    assert inbox_of(users["head"]) == inbox_of(users["deputy"]) == []
    # Now everyone of the Office must read it; confirming takes it out of their inbox.
    for name in ("secretary", "unit_head", "staff"):
        assert inbox_of(users[name]) == ["documents.reading"]
    services.confirm_reading(draft, users["staff"])
    assert inbox_of(users["staff"]) == []
    assert inbox_of(users["unit_head"]) == ["documents.reading"]


def test_sending_back_hands_it_to_the_drafter_and_a_new_round_reaches_the_reviewers(cast, draft):
    users = cast.users
    services.submit(draft, users["unit_head"])
    services.send_back(draft, users["head"], "Bổ sung căn cứ pháp lý")
    assert inbox_of(users["head"]) == inbox_of(users["secretary"]) == []
    assert inbox_of(users["unit_head"]) == ["documents.revision.submit"]
    services.submit(draft, users["unit_head"])
    assert inbox_of(users["unit_head"]) == []
    assert inbox_of(users["head"]) == ["documents.revision.review"]
    services.withdraw(draft, users["deputy"], "Không ban hành nữa")
    assert not InboxItem.objects.filter(done_at__isnull=True).exists()


def test_a_step_needs_its_right_even_outside_the_screens(cast, draft):
    assert "right" in refused(services.submit, draft, cast.users["staff"])
    assert "member" in refused(services.submit, draft, cast.users["secretary_b"])
    assert Revision.objects.get(pk=draft.pk).status == S.DRAFT


def test_the_screens_dispatch_each_step_through_the_workflow(cast, draft, login):
    users = cast.users
    url = lambda name: reverse("documents:revision_action", args=[cast.a.pk, draft.pk, name])  # noqa: E731
    login(users["unit_head"]).post(url("submit"))
    # Sending back without a comment is refused; nothing changes.
    login(users["secretary"]).post(url("send_back"), {"comment": "  "})
    draft.refresh_from_db()
    assert draft.status == S.IN_REVIEW
    login(users["secretary"]).post(url("review"))
    assert login(users["secretary"]).post(url("approve")).status_code == 403
    login(users["head"]).post(url("approve"))
    response = login(users["head"]).post(url("issue"), {"issued_on": "bad", "effective_on": ""})
    draft.refresh_from_db()
    assert response.status_code == 302 and draft.status == S.APPROVED
    login(users["head"]).post(
        url("issue"), {"issued_on": "01/12/2026", "effective_on": "01/12/2026"}
    )
    draft.refresh_from_db()
    assert draft.status == S.ISSUED


# --- required reading --------------------------------------------------------------------


def issued(cast, revision, day):
    users = cast.users
    services.submit(revision, users["unit_head"])
    services.mark_reviewed(revision, users["secretary"])
    services.approve(revision, users["head"])
    services.issue(revision, day, day, by=users["head"])
    revision.refresh_from_db()
    return revision


def readings(revision):
    return {
        o.owner_person.username: (o.due_date, o.state)
        for o in Obligation.objects.filter(source__startswith=f"documents.reading:{revision.pk}:")
    }


def test_each_reader_has_an_obligation_due_some_days_after_the_issue(cast, draft, office):
    AgendaSettings.objects.create(agency=cast.a, reading_days=7)
    ReadRequirement.objects.create(revision=draft, role=Role.DEPUTY_HEAD)
    ReadRequirement.objects.create(revision=draft, unit=office)
    revision = issued(cast, draft, D(2026, 11, 2))
    due = D(2026, 11, 9)
    assert readings(revision) == {
        name: (due, "open") for name in ("deputy", "secretary", "unit_head", "staff")
    }
    services.confirm_reading(revision, cast.users["staff"])
    assert readings(revision)["staff"] == (due, "done")
    # Someone added once it is in force has the days from the day they were added.
    services.add_reader(revision, person=cast.users["head"])
    assert readings(revision)["head"] == (timezone.localdate() + dt.timedelta(days=7), "open")


def test_the_next_edition_is_read_by_the_same_people_and_the_old_one_no_longer(cast, office):
    document = make_document(cast.a, "QT-09", owner_unit=office)
    first = services.new_revision(document, cast.users["unit_head"])
    services.add_file(first, docx_upload(), cast.users["unit_head"])
    ReadRequirement.objects.create(revision=first, unit=office)
    first = issued(cast, first, D(2026, 1, 5))
    second = services.new_revision(document, cast.users["unit_head"])
    services.add_file(second, docx_upload(), cast.users["unit_head"])
    second = issued(cast, second, D(2026, 11, 20))
    assert readings(first) == {}
    assert set(readings(second)) == {"secretary", "unit_head", "staff"}
    assert inbox_of(cast.users["staff"]) == ["documents.reading"]


def test_a_document_set_brings_the_readings_of_its_revisions(cast, draft, office):
    users = cast.users
    ReadRequirement.objects.create(revision=draft, unit=office)
    services.submit(draft, users["unit_head"])
    services.mark_reviewed(draft, users["secretary"])
    services.approve(draft, users["head"])
    document_set = services.create_set(
        cast.a, title="Bộ tài liệu 2026", effective_on=today(), signer_name="Nguyễn Văn A"
    )
    services.add_to_set(document_set, draft)
    services.issue_set(document_set, number=12, signed_on=today(), by=users["head"])
    assert set(readings(draft)) == {"secretary", "unit_head", "staff"}
    assert inbox_of(users["head"]) == []  # the set's decision issued it: nothing left to issue


def test_the_unread_report_lists_who_has_not_read_what_by_unit(cast, draft, office, login):
    other = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    make_person(cast.a, "builder", [Role.STAFF], unit=other)
    ReadRequirement.objects.create(revision=draft, role=Role.STAFF)
    ReadRequirement.objects.create(revision=draft, unit=office)
    revision = issued(cast, draft, D(2026, 11, 2))
    services.confirm_reading(revision, cast.users["staff"])
    client = login(cast.users["head"])
    response = client.get(reverse("documents:unread", args=[cast.a.pk]))
    summary = {row["reader_unit_name"]: row["open"] for row in response.context["summary"]}
    assert summary == {"Phòng Quản lý xây dựng": 1, "Văn phòng Sở": 2}
    names = [row.owner_person.username for row in response.context["page"]]
    assert names == ["builder", "secretary", "unit_head"]
    filtered = client.get(reverse("documents:unread", args=[cast.a.pk]), {"unit": other.pk})
    assert [row.owner_person.username for row in filtered.context["page"]] == ["builder"]
    # Another agency's unit id shows everything rather than leaking or failing.
    foreign = Unit.objects.get(agency=cast.b)
    assert (
        client.get(reverse("documents:unread", args=[cast.a.pk]), {"unit": foreign.pk}).context[
            "unit_id"
        ]
        is None
    )
    assert (
        login(cast.users["secretary_b"])
        .get(reverse("documents:unread", args=[cast.a.pk]))
        .status_code
        == 404
    )


def test_the_unread_report_costs_the_same_whatever_the_number_of_readings(cast, office, login):
    client = login(cast.users["head"])
    url = reverse("documents:unread", args=[cast.a.pk])
    client.get(url)

    def grow(n):
        for _i in range(n):
            make_person(cast.a, f"reader{grow.count}", [Role.STAFF], unit=office)
            grow.count += 1
        document = make_document(cast.a, f"QT-R{grow.count}", owner_unit=office)
        revision = services.new_revision(document, cast.users["unit_head"])
        services.add_file(revision, docx_upload(), cast.users["unit_head"])
        ReadRequirement.objects.create(revision=revision, unit=office)
        issued(cast, revision, D(2026, 11, 2))

    grow.count = 0

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    grow(2)
    first = count()
    grow(30)
    assert count() == first


def test_a_legal_change_reaches_the_owner_units_head_and_the_secretary(cast, office):
    document = make_document(cast.a, "QT-10", owner_unit=office)
    legal = LegalDocument.objects.create(
        agency=cast.a, doc_type="decree", number="61/2018/NĐ-CP", issuer="Chính phủ", title="x"
    )
    services.cite(document, legal)
    services.change_legal_status(legal, LegalDocument.Status.REPLACED, None, D(2026, 7, 1))
    for name in ("unit_head", "secretary"):
        assert inbox_of(cast.users[name]) == ["documents.legal_change"]
    assert inbox_of(cast.users["staff"]) == []
    citation = document.citations.get()
    services.resolve_citation(citation, cast.users["unit_head"], "Đã cập nhật quy trình")
    assert inbox_of(cast.users["secretary"]) == []
