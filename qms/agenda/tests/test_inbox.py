"""The inbox ("Chờ tôi xử lý"): work handed to people appears in each inbox with a
notification at once and an e-mail from the worker as each chose; work done leaves every
inbox; the page and the header count cost the same whatever the number of items."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qms.agenda import emails as mails
from qms.agenda import inbox
from qms.agenda.models import EmailChoice, InboxItem, Notification, NotificationPreference
from qms.agenda.tasks import send_digests
from qms.organization.models import Membership

SOURCE = "test.paper:1:sign"
KIND = "test.paper.sign"


@pytest.fixture(autouse=True)
def kind():
    inbox.register_kind(KIND, "Ký văn bản")


def hand(cast, *who, source=SOURCE, **extra):
    inbox.assign(
        cast.a,
        source,
        [cast.users[name] for name in who],
        kind=KIND,
        title=extra.pop("title", "Tờ trình số 12"),
        url="/papers/1/",
        **extra,
    )


def waiting(user):
    return list(
        InboxItem.objects.filter(user=user)
        .waiting(timezone.localdate())
        .values_list("source", flat=True)
    )


def test_work_handed_over_reaches_each_person_at_once(
    cast, emails, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hand(cast, "head", "deputy")
    assert waiting(cast.users["head"]) == [SOURCE] and waiting(cast.users["deputy"]) == [SOURCE]
    assert waiting(cast.users["secretary"]) == []
    note = Notification.objects.get(user=cast.users["head"])
    assert note.title == "Ký văn bản: Tờ trình số 12" and note.url == "/papers/1/"
    # The e-mail went from the task (immediate backend here), one per person.
    assert sorted(m.to[0] for m in mail.outbox) == ["deputy@example.gov.vn", "head@example.gov.vn"]
    assert "Tờ trình số 12" in mail.outbox[0].subject
    assert "http://127.0.0.1:8000/papers/1/" in mail.outbox[0].body


def test_work_done_leaves_every_inbox_and_a_new_round_reopens_it(cast, emails):
    hand(cast, "head", "deputy")
    assert inbox.complete(SOURCE, by=cast.users["deputy"]) == 2
    assert waiting(cast.users["head"]) == waiting(cast.users["deputy"]) == []
    assert InboxItem.objects.get(user=cast.users["head"]).done_by == cast.users["deputy"]
    # Handed over again (e.g. sent back and resubmitted): it is back, with a new notification.
    hand(cast, "head")
    assert waiting(cast.users["head"]) == [SOURCE]
    assert Notification.objects.filter(user=cast.users["head"]).count() == 2
    # The deputy is no longer named: not in their inbox.
    assert waiting(cast.users["deputy"]) == []


def test_people_no_longer_named_lose_the_item_and_others_are_not_notified_twice(cast, emails):
    hand(cast, "head", "deputy")
    hand(cast, "deputy", "secretary", title="Tờ trình số 12 (sửa)")
    assert waiting(cast.users["head"]) == []
    assert waiting(cast.users["secretary"]) == [SOURCE]
    deputy_item = InboxItem.objects.get(user=cast.users["deputy"])
    assert deputy_item.title == "Tờ trình số 12 (sửa)"
    assert Notification.objects.filter(user=cast.users["deputy"]).count() == 1


def test_closing_a_record_closes_all_its_work(cast):
    hand(cast, "head", source="test.paper:1:sign")
    hand(cast, "deputy", source="test.paper:1:check")
    hand(cast, "deputy", source="test.paper:10:check")
    assert inbox.close("test.paper:1") == 2
    assert waiting(cast.users["head"]) == []
    assert waiting(cast.users["deputy"]) == ["test.paper:10:check"]


def test_sync_hands_out_derived_work_and_finishes_what_is_no_longer_listed(cast):
    def work(key, *who):
        return inbox.Work(key, KIND, f"Việc {key}", f"/w/{key}/", [cast.users[w] for w in who])

    inbox.sync(cast.a, "test.plan:1", [work("1", "head"), work("2", "head", "staff")])
    assert sorted(waiting(cast.users["head"])) == ["test.plan:1:1", "test.plan:1:2"]
    inbox.sync(cast.a, "test.plan:1", [work("2", "staff")])
    assert waiting(cast.users["head"]) == [] and waiting(cast.users["staff"]) == ["test.plan:1:2"]
    assert InboxItem.objects.get(source="test.plan:1:1").done_at is not None


def test_work_not_yet_due_to_show_waits_silently(cast):
    later = timezone.localdate() + dt.timedelta(days=20)
    hand(cast, "head", visible_from=later)
    assert waiting(cast.users["head"]) == []
    assert not Notification.objects.exists()
    assert InboxItem.objects.filter(user=cast.users["head"]).waiting(later).exists()


def test_nothing_is_handed_out_in_a_dissolved_agency_nor_shown_to_former_members(cast):
    hand(cast, "head", "staff")
    Membership.objects.filter(user=cast.users["staff"], agency=cast.a).update(is_active=False)
    assert waiting(cast.users["staff"]) == []
    cast.a.valid_to = dt.date(2025, 6, 30)
    cast.a.save()
    assert waiting(cast.users["head"]) == []
    hand(cast, "deputy", source="test.paper:2:sign")
    assert not InboxItem.objects.filter(source="test.paper:2:sign").exists()


# --- e-mail preferences -------------------------------------------------------------------


def prefer(user, choice):
    NotificationPreference.objects.update_or_create(user=user, defaults={"email": choice})


def test_each_person_gets_e_mails_as_they_chose(cast, emails, django_capture_on_commit_callbacks):
    prefer(cast.users["deputy"], EmailChoice.DAILY)
    prefer(cast.users["secretary"], EmailChoice.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        hand(cast, "head", "deputy", "secretary")
    # At once: only the head, who never chose (at once is the default).
    assert [m.to[0] for m in mail.outbox] == ["head@example.gov.vn"]
    with django_capture_on_commit_callbacks(execute=True):
        hand(cast, "deputy", source="test.paper:2:sign", title="Báo cáo số 3")
    assert len(mail.outbox) == 1
    # The daily digest: the deputy's two items in one e-mail; never the secretary.
    result = send_digests.enqueue()
    assert result.return_value == 1
    digest = mail.outbox[-1]
    assert digest.to == ["deputy@example.gov.vn"]
    assert "Tờ trình số 12" in digest.body and "Báo cáo số 3" in digest.body
    # Nothing is e-mailed twice, and the in-app notification came for all three.
    assert send_digests.enqueue().return_value == 0
    assert emails_sent_to(cast.users["head"]) == 1
    assert Notification.objects.filter(user=cast.users["secretary"]).count() == 1


def emails_sent_to(user):
    return sum(1 for m in mail.outbox if m.to == [user.email])


def test_the_digest_catches_work_that_became_visible_or_had_no_e_mail_yet(cast, emails):
    hand(cast, "head", visible_from=timezone.localdate() + dt.timedelta(days=3))
    assert mails.send_digests(timezone.localdate()) == 0
    assert mails.send_digests(timezone.localdate() + dt.timedelta(days=3)) == 1
    assert mail.outbox[0].to == ["head@example.gov.vn"]


def test_a_person_without_an_address_gets_no_e_mail_and_the_item_waits(cast, emails):
    hand(cast, "staff")  # the staff member has no e-mail address in this cast
    assert mails.send_digests(timezone.localdate()) == 0
    assert InboxItem.objects.get(user=cast.users["staff"]).emailed_at is None


def test_the_preference_page_saves_the_persons_own_choice(cast, login):
    client = login(cast.users["staff"])
    url = reverse("agenda:preferences")
    page = client.get(url).content.decode()
    assert 'value="immediate"' in page and "không có địa chỉ thư điện tử" in page
    assert client.post(url, {"email": "daily"}).status_code == 302
    assert NotificationPreference.objects.get(user=cast.users["staff"]).email == "daily"
    assert client.post(url, {"email": "weekly"}).status_code == 400
    assert NotificationPreference.objects.get(user=cast.users["staff"]).email == "daily"
    assert client.put(url).status_code == 405


def test_the_preference_page_is_reached_from_the_header_bell(cast, login):
    page = login(cast.users["staff"]).get(reverse("agenda:bell")).content.decode()
    assert reverse("agenda:preferences") in page


def test_the_inbox_and_its_settings_need_a_login(client):
    for name in ("agenda:inbox", "agenda:preferences"):
        assert client.get(reverse(name)).status_code == 302


# --- the page and the header ----------------------------------------------------------------


def many(cast, user, n, kind=KIND):
    InboxItem.objects.bulk_create(
        InboxItem(
            agency=cast.a,
            user=user,
            source=f"test.bulk:{kind}:{i}",
            kind=kind,
            title=f"Việc {i}",
            url=f"/w/{i}/",
            due_date=timezone.localdate() + dt.timedelta(days=i % 20 - 5),
        )
        for i in range(n)
    )


def test_the_inbox_lists_the_work_with_its_age_and_link(cast, login):
    hand(cast, "head")
    InboxItem.objects.filter(user=cast.users["head"]).update(
        assigned_at=timezone.now() - dt.timedelta(days=3),
        due_date=timezone.localdate() - dt.timedelta(days=1),
    )
    page = login(cast.users["head"]).get(reverse("agenda:inbox")).content.decode()
    assert 'href="/papers/1/"' in page and "Ký văn bản" in page
    assert "3 ngày" in page and "Quá hạn" in page
    assert (
        "Tờ trình số 12"
        not in login(cast.users["staff"]).get(reverse("agenda:inbox")).content.decode()
    )


def test_the_inbox_filters_by_kind_and_pages_at_25(cast, login):
    inbox.register_kind("test.read", "Đọc tài liệu")
    many(cast, cast.users["head"], 30)
    many(cast, cast.users["head"], 2, kind="test.read")
    client = login(cast.users["head"])
    response = client.get(reverse("agenda:inbox"))
    assert response.context["total"] == 32 and len(response.context["page"]) == 25
    response = client.get(reverse("agenda:inbox"), {"kind": "test.read"})
    assert response.context["page"].paginator.count == 2
    assert {i.kind for i in response.context["page"]} == {"test.read"}
    # An unknown kind shows everything rather than an error.
    response = client.get(reverse("agenda:inbox"), {"kind": "x", "page": "999"})
    assert response.status_code == 200 and response.context["kind"] == ""
    # A known kind of which nothing waits shows nothing (e.g. "Tài liệu cần đọc").
    inbox.register_kind("test.none", "Không có")
    response = client.get(reverse("agenda:inbox"), {"kind": "test.none"})
    assert (
        response.context["page"].paginator.count == 0 and "inbox-empty" in response.content.decode()
    )


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_inbox_costs_the_same_with_10_and_1000_items(cast, login):
    client = login(cast.users["head"])
    url = reverse("agenda:inbox")
    client.get(url)  # the first request after logging in may renew the session
    many(cast, cast.users["head"], 10)
    ten = queries(client, url)
    many(cast, cast.users["head"], 990, kind="test.other")
    assert queries(client, url) == ten
    # session + user + count per kind + page + 2 header (agency switcher, overseer) = 6
    assert ten == 6


def test_the_header_counts_the_waiting_work_in_one_query(cast, login):
    client = login(cast.users["head"])
    bell = reverse("agenda:bell")
    client.get(bell)
    many(cast, cast.users["head"], 10)
    Notification.objects.create(user=cast.users["head"], agency=cast.a, title="x", url="/")
    assert queries(client, bell) == 3  # session + user + notifications with both counts
    many(cast, cast.users["head"], 990, kind="test.other")
    assert queries(client, bell) == 3
    page = client.get(bell).content.decode()
    assert 'data-waiting="1000"' in page and 'id="inbox-count" hx-swap-oob="true"' in page


def test_the_header_links_the_inbox(cast, login):
    page = login(cast.users["staff"]).get(reverse("agenda:inbox")).content.decode()
    assert f'href="{reverse("agenda:inbox")}" id="inbox-link"' in page
    assert "Chờ tôi xử lý" in page


def test_the_inbox_refuses_the_wrong_method(cast, login):
    assert login(cast.users["staff"]).post(reverse("agenda:inbox")).status_code == 405


def test_history_brought_in_quietly_fills_the_inbox_without_notifying(cast, emails):
    with inbox.quiet():
        hand(cast, "head")
    assert waiting(cast.users["head"]) == [SOURCE]
    assert not Notification.objects.exists() and mail.outbox == []
    hand(cast, "deputy", source="test.paper:2:sign")
    assert Notification.objects.filter(user=cast.users["deputy"]).count() == 1
