"""The notification centre: the bell, the list, opening one, marking all read."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qms.agenda.models import Notification


def note(cast, who="staff", title="Quá hạn: Báo cáo", url="/agencies/1/agenda/", **fields):
    return Notification.objects.create(
        user=cast.users[who], agency=cast.a, title=title, url=url, **fields
    )


def test_opening_a_notification_marks_it_read_and_follows_its_link(cast, login):
    n = note(cast, url="/things/7/")
    response = login(cast.users["staff"]).get(reverse("agenda:notification_open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/things/7/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_it_refuses_the_notification_of_someone_else(cast, login):
    n = note(cast, who="staff")
    client = login(cast.users["secretary"])
    assert client.get(reverse("agenda:notification_open", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_it_never_redirects_off_the_site(cast, login):
    n = note(cast, url="https://evil.example/phish")
    response = login(cast.users["staff"]).get(reverse("agenda:notification_open", args=[n.pk]))
    assert response["Location"] == reverse("agenda:notifications")


def test_it_marks_all_my_notifications_read_and_only_mine(cast, login):
    mine = [note(cast) for _ in range(3)]
    other = note(cast, who="secretary")
    response = login(cast.users["staff"]).post(reverse("agenda:notifications_read_all"))
    assert response.status_code == 302
    assert all(n.read_at for n in Notification.objects.filter(pk__in=[n.pk for n in mine]))
    other.refresh_from_db()
    assert other.read_at is None


def test_the_list_shows_only_mine_newest_first_in_pages(cast, login):
    start = timezone.now()
    for i in range(30):
        note(cast, title=f"Thông báo {i}", created_at=start + dt.timedelta(minutes=i))
    note(cast, who="secretary", title="Của người khác")
    client = login(cast.users["staff"])
    response = client.get(reverse("agenda:notifications"))
    titles = [n.title for n in response.context["page"]]
    assert titles[0] == "Thông báo 29" and len(titles) == 25
    assert "Của người khác" not in response.content.decode()
    assert len(client.get(reverse("agenda:notifications"), {"page": 2}).context["page"]) == 5


def test_the_bell_shows_the_unread_count_and_the_five_latest(cast, login):
    start = timezone.now()
    for i in range(7):
        note(cast, title=f"Thông báo {i}", created_at=start + dt.timedelta(minutes=i))
    Notification.objects.filter(title="Thông báo 6").update(read_at=start)
    note(cast, who="secretary", title="Của người khác")
    client = login(cast.users["staff"])
    client.get(reverse("agenda:bell"))  # the first request after logging in may renew the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("agenda:bell"))
    # session + user + the latest five with the unread and the inbox counts = 3
    assert len(ctx.captured_queries) == 3
    page = response.content.decode()
    assert 'data-unread="6"' in page
    assert "Thông báo 6" in page and "Thông báo 2" in page and "Thông báo 1" not in page
    assert "Của người khác" not in page


def test_the_bell_of_a_person_without_notifications_is_quiet(cast, login):
    page = login(cast.users["staff"]).get(reverse("agenda:bell")).content.decode()
    assert "data-unread" not in page


def test_the_bell_answers_an_expired_session_with_nothing(client):
    response = client.get(reverse("agenda:bell"))
    assert response.status_code == 204 and response.content == b""


def test_the_notification_pages_need_a_login(cast, client):
    n = note(cast)
    for url in (reverse("agenda:notifications"), reverse("agenda:notification_open", args=[n.pk])):
        assert client.get(url).status_code == 302
    assert client.post(reverse("agenda:notifications_read_all")).status_code == 302
    n.refresh_from_db()
    assert n.read_at is None


@pytest.mark.parametrize(
    ("name", "method", "with_pk"),
    [
        ("agenda:notifications", "post", False),
        ("agenda:notifications_read_all", "get", False),
        ("agenda:notification_open", "post", True),
        ("agenda:bell", "post", False),
    ],
)
def test_it_refuses_the_wrong_method(cast, login, name, method, with_pk):
    n = note(cast)
    client = login(cast.users["staff"])
    url = reverse(name, args=[n.pk] if with_pk else [])
    assert getattr(client, method)(url).status_code == 405
