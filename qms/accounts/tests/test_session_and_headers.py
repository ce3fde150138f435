"""A session ends after 8 hours without a request; signed-in pages and downloads are never
stored by a browser or proxy; every page carries the Content-Security-Policy."""

import time

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from qms.lib.middleware import IdleSessionMiddleware


def test_the_idle_timeout_is_eight_hours_by_default(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_a_session_idle_for_more_than_the_timeout_is_ended(cast, login):
    client = login(cast.users["staff"])
    url = reverse("organization:dashboard", args=[cast.a.pk])
    assert client.get(url).status_code == 200
    session = client.session
    session[IdleSessionMiddleware.KEY] = int(time.time()) - 8 * 3600 - 5
    session.save()
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_an_expired_session_in_the_store_is_no_longer_signed_in(cast, login):
    client = login(cast.users["staff"])
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get(reverse("organization:dashboard", args=[cast.a.pk]))
    assert response.status_code == 302


def test_activity_pushes_the_expiry_forward_at_most_once_a_minute(cast, login):
    client = login(cast.users["staff"])
    url = reverse("organization:dashboard", args=[cast.a.pk])
    client.get(url)
    session = client.session
    first = Session.objects.get(session_key=session.session_key).expire_date
    client.get(url)  # within the minute: no write
    assert Session.objects.get(session_key=session.session_key).expire_date == first
    session[IdleSessionMiddleware.KEY] = int(time.time()) - 120  # two minutes ago
    session.save()
    Session.objects.update(expire_date=timezone.now() + timezone.timedelta(hours=1))
    client.get(url)
    renewed = Session.objects.get(session_key=session.session_key).expire_date
    assert renewed > timezone.now() + timezone.timedelta(hours=7, minutes=59)


def test_signed_in_pages_are_not_stored(cast, login):
    response = login(cast.users["staff"]).get(reverse("organization:person_list", args=[cast.a.pk]))
    assert "no-store" in response["Cache-Control"]


def test_downloads_are_not_stored(cast, login):
    from qms.organization.tests.factories import D, draft_with_members, issue

    decision = issue(draft_with_members(cast.a, ["Nguyễn Văn A"]), 12, D(2025, 3, 1))
    response = login(cast.users["staff"]).get(
        reverse("organization:decision_document", args=[cast.a.pk, decision.pk, "docx"])
    )
    assert response.status_code == 200 and response.has_header("Content-Disposition")
    assert "no-store" in response["Cache-Control"]


def test_a_download_asked_with_a_token_says_it_has_arrived(cast, login):
    """The spinner on a download link (static/js/qms.js) stops when this cookie comes; a
    token that is not a short plain word is ignored, never echoed into a header."""
    from qms.organization.tests.factories import D, draft_with_members, issue

    decision = issue(draft_with_members(cast.a, ["Nguyễn Văn A"]), 12, D(2025, 3, 1))
    url = reverse("organization:decision_document", args=[cast.a.pk, decision.pk, "docx"])
    client = login(cast.users["staff"])
    response = client.get(url, {"download": "k3x9a0"})
    assert response.cookies["qms_download"].value == "k3x9a0"
    assert not response.cookies["qms_download"]["httponly"]  # the page's script reads it
    for hostile in ["a;b", "x" * 40, "đ", "a\r\nSet-Cookie: s=1"]:
        assert "qms_download" not in client.get(url, {"download": hostile}).cookies


def test_anonymous_public_responses_keep_their_caching(client, db):
    response = client.get(reverse("healthz"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_every_page_carries_a_strict_content_security_policy(cast, client, login):
    for response in (
        client.get(reverse("login")),
        login(cast.users["staff"]).get(reverse("organization:dashboard", args=[cast.a.pk])),
    ):
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in policy
