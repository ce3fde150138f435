"""A new person is invited by e-mail and chooses their own password through a one-time link
that lives for days (QMS_INVITATION_TIMEOUT), not the hours of a reset link."""

import datetime as dt
import re

from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from qms.accounts.tasks import invitation_link
from qms.accounts.tokens import invitation_token

NEW = "Hoa-Sen-Ho-Tay-2026"


def invite(cast, login, capture):
    client = login(cast.users["secretary"])
    with capture(execute=True):
        response = client.post(
            reverse("organization:person_create", args=[cast.a.pk]),
            {
                "username": "nguyen.van.moi",
                "full_name": "Nguyễn Văn Mới",
                "email": "moi@example.vn",
                "position": "Chuyên viên",
                "roles": ["staff"],
                "is_active": "on",
            },
        )
    assert response.status_code == 302
    client.logout()
    return client


def link_path(message, settings):
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)
    assert link.startswith(settings.SITE_URL)
    return link.removeprefix(settings.SITE_URL)


def test_the_invitation_is_a_vietnamese_e_mail_with_a_link(
    cast, login, django_capture_on_commit_callbacks, settings
):
    invite(cast, login, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["moi@example.vn"]
    assert message.subject == f"Thư mời sử dụng ISO điện tử của {cast.a.name}"
    assert message.body.startswith("Kính gửi Anh/Chị Nguyễn Văn Mới,")
    assert "Tên đăng nhập: nguyen.van.moi" in message.body
    assert "Secretary đã tạo tài khoản cho Anh/Chị" in message.body
    valid_until = timezone.localtime() + dt.timedelta(days=7)
    assert f" {valid_until:%d/%m/%Y}. " in message.body
    link_path(message, settings)


def test_the_link_sets_the_password_once(
    cast, login, client, django_capture_on_commit_callbacks, settings
):
    from qms.organization.models import User

    invite(cast, login, django_capture_on_commit_callbacks)
    path = link_path(mail.outbox[0], settings)
    page = client.get(path, follow=True)
    assert "Chào mừng đến với ISO điện tử" in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    assert "set-password" in set_url  # the token leaves the address bar at once
    response = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert response.url == reverse("accounts:invitation_done")
    person = User.objects.get(username="nguyen.van.moi")
    assert person.check_password(NEW)
    # the person logs in with it
    response = client.post(reverse("login"), {"username": "nguyen.van.moi", "password": NEW})
    assert response.status_code == 302
    client.logout()
    # and the link is dead
    again = client.get(path, follow=True).content.decode()
    assert "Thư mời này không còn hiệu lực" in again
    assert 'name="new_password1"' not in again


def test_the_invitation_obeys_the_password_rules(
    cast, login, client, django_capture_on_commit_callbacks, settings
):
    invite(cast, login, django_capture_on_commit_callbacks)
    set_url = client.get(link_path(mail.outbox[0], settings), follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert "Mật khẩu quá ngắn" in response.content.decode()


def token_made(days_ago, user):
    moment = dt.datetime.now() - dt.timedelta(days=days_ago)  # noqa: DTZ005 - as Django does
    timestamp = invitation_token._num_seconds(moment)
    return invitation_token._make_token_with_timestamp(user, timestamp, invitation_token.secret)


def test_an_invitation_lives_seven_days_and_not_longer(cast):
    from qms.organization.models import User

    user = User.objects.create(username="moi", full_name="Mới", email="moi@example.vn")
    user.set_unusable_password()
    user.save()
    assert invitation_token.check_token(user, token_made(6, user))
    assert not invitation_token.check_token(user, token_made(8, user))
    # a password-reset token (other salt) is no invitation, and the reverse
    assert not invitation_token.check_token(user, default_token_generator.make_token(user))
    assert not default_token_generator.check_token(user, invitation_token.make_token(user))


def test_an_invitation_link_for_another_account_opens_nothing(cast, client):
    staff, secretary = cast.users["staff"], cast.users["secretary"]
    staff.set_unusable_password()
    staff.save()
    token = invitation_link(staff).rstrip("/").rsplit("/", 1)[1]
    # staff's token with the secretary's id
    forged = reverse(
        "accounts:invitation", args=[urlsafe_base64_encode(force_bytes(secretary.pk)), token]
    )
    page = client.get(forged, follow=True).content.decode()
    assert "Thư mời này không còn hiệu lực" in page
