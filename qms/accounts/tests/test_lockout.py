"""Login throttling (django-axes): N wrong passwords for one login name from one address lock
that pair, on the login page and on /admin/ alike, with a Vietnamese page saying for how
long and who can lift it sooner."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from conftest import PASSWORD

LOGIN = reverse("login")


def fail(client, url, username, times, **extra):
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "sai-mat-khau"}, **extra)
        assert response.status_code in (200, 429)
    return response


def signed_in(client):
    return "_auth_user_id" in client.session


def test_the_right_password_is_refused_after_five_wrong_ones(cast, client, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    fail(client, LOGIN, "staff", 4)
    # four mistakes are forgiven
    assert AccessAttempt.objects.get(username="staff").failures_since_start == 4
    fail(client, LOGIN, "staff", 1)
    response = client.post(LOGIN, {"username": "staff", "password": PASSWORD})
    assert response.status_code == 429
    assert not signed_in(client)
    page = response.content.decode()
    assert "Tạm khóa đăng nhập" in page
    assert "5 lần liên tiếp" in page and "30 phút" in page
    assert "quản trị hệ thống" in page


def test_fewer_failures_then_the_right_password_logs_in_and_clears_them(cast, client):
    fail(client, LOGIN, "staff", 4)
    response = client.post(LOGIN, {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302 and signed_in(client)
    assert not AccessAttempt.objects.filter(username="staff").exists()


def test_the_admin_login_is_locked_the_same_way(cast, client):
    url = reverse("admin:login")
    fail(client, url, "admin", 5)
    response = client.post(url, {"username": "admin", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert not signed_in(client)
    # the lock holds on the ordinary login page too: same login name, same address
    response = client.post(LOGIN, {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429


def test_the_lock_is_per_login_name_and_address(cast, client):
    fail(client, LOGIN, "staff", 5)
    # a colleague on the same computer still logs in
    response = client.post(LOGIN, {"username": "secretary", "password": PASSWORD})
    assert response.status_code == 302
    client.logout()
    # and the same login name from another address too
    response = client.post(
        LOGIN, {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302


def test_the_administrator_lifts_the_lock(cast, client):
    fail(client, LOGIN, "staff", 5)
    call_command("axes_reset_username", "staff")
    response = client.post(LOGIN, {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302 and signed_in(client)


def test_the_lock_lifts_by_itself_after_the_cool_off_period(cast, client):
    fail(client, LOGIN, "staff", 5)
    assert client.post(LOGIN, {"username": "staff", "password": PASSWORD}).status_code == 429
    # 31 minutes later
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31))
    response = client.post(LOGIN, {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302 and signed_in(client)


@pytest.mark.parametrize("limit", [3])
def test_the_limit_is_a_setting(cast, client, settings, limit):
    settings.AXES_FAILURE_LIMIT = limit
    fail(client, LOGIN, "staff", limit)
    assert client.post(LOGIN, {"username": "staff", "password": PASSWORD}).status_code == 429
