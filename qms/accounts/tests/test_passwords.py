"""Everyone changes their own password (from the user menu) and chooses a new one through a
link sent by e-mail when they forget it; passwords follow the rules, explained in Vietnamese."""

import re

from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD

NEW = "Hoa-Sen-Ho-Tay-2026"


def test_the_user_menu_leads_to_my_account_and_the_password_change(cast, login):
    page = login(cast.users["staff"]).get(reverse("home"), follow=True).content.decode()
    menu = page[page.index('id="user-menu"') :]
    assert reverse("accounts:password_change") in menu and reverse("accounts:me") in menu
    assert "Đổi mật khẩu" in menu and "Tài khoản của tôi" in menu


def test_a_user_changes_their_password_and_stays_signed_in(cast, login):
    staff = cast.users["staff"]
    client = login(staff)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    staff.refresh_from_db()
    assert staff.check_password(NEW)
    assert client.get(reverse("accounts:me")).status_code == 200


def test_it_refuses_a_wrong_current_password(cast, login):
    client = login(cast.users["staff"])
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "khong-phai", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác" in response.content.decode()


def test_the_password_rules_are_explained_in_vietnamese(cast, login):
    secretary = cast.users["secretary"]
    client = login(secretary)
    cases = {
        "Ab1-ngan": "Mật khẩu quá ngắn, phải có ít nhất 10 ký tự.",
        "2026202620262026": "Mật khẩu này hoàn toàn là số.",
        "password1234": "Mật khẩu này quá phổ biến.",
        "secretary1": "Mật khẩu quá giống với tên đăng nhập.",
    }
    for password, message in cases.items():
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
        )
        assert response.status_code == 200
        assert message in response.content.decode(), password
    secretary.refresh_from_db()
    assert secretary.check_password(PASSWORD)


def reset_link(message):
    return re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group(0)


def test_a_forgotten_password_is_replaced_through_a_link_sent_by_e_mail(cast, client, settings):
    staff = cast.users["staff"]
    staff.email = "staff@example.vn"
    staff.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "staff@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["staff@example.vn"]
    assert message.subject == "ISO điện tử: đặt mật khẩu mới"
    assert "Tên đăng nhập: staff" in message.body
    link = reset_link(message)
    assert link.startswith(settings.SITE_URL)
    path = link.removeprefix(settings.SITE_URL)
    form_page = client.get(path, follow=True)
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW)
    # the link works once
    again = client.get(path, follow=True).content.decode()
    assert "Đường dẫn này không còn hiệu lực" in again


def test_a_reset_request_for_an_unknown_address_looks_the_same_and_sends_nothing(cast, client):
    response = client.post(reverse("accounts:password_reset"), {"email": "ai@example.vn"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_the_reset_mail_is_in_vietnamese_even_from_the_english_page(cast, client):
    cast.users["staff"].email = "staff@example.vn"
    cast.users["staff"].save()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("accounts:password_reset"), {"email": "staff@example.vn"})
    assert "Anh/Chị" in mail.outbox[0].body


def test_choosing_a_new_password_by_e_mail_lifts_a_lockout(cast, client):
    staff = cast.users["staff"]
    staff.email = "staff@example.vn"
    staff.save()
    for _ in range(5):
        client.post(reverse("login"), {"username": "staff", "password": "sai"})
    assert AccessAttempt.objects.filter(username="staff").exists()
    client.post(reverse("accounts:password_reset"), {"email": "staff@example.vn"})
    path = reset_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    set_url = client.get("/" + path, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    response = client.post(reverse("login"), {"username": "staff", "password": NEW})
    assert response.status_code == 302


def test_the_login_page_offers_the_forgotten_password_link(client, db):
    page = client.get(reverse("login")).content.decode()
    assert reverse("accounts:password_reset") in page and "Quên mật khẩu?" in page
