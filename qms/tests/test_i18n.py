"""Vietnamese by default, English on request; the Vietnamese catalogue is complete."""

from pathlib import Path

from babel.messages.pofile import read_po
from django.urls import reverse

PO = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_it_speaks_vietnamese_by_default(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in page and "Tên đăng nhập" in page and 'lang="vi"' in page


def test_it_switches_to_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("login")).content.decode()
    assert "Log in" in page and 'lang="en"' in page


def test_it_shows_dates_as_dd_mm_yyyy(cast, login):
    from qms.organization.tests.factories import D, issued

    issued(cast.a, ["An"], 10, D(2024, 3, 5))
    page = (
        login(cast.users["staff"])
        .get(reverse("organization:committee", args=[cast.a.pk]))
        .content.decode()
    )
    assert "05/03/2024" in page


def test_every_message_has_a_vietnamese_translation():
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert missing == []


def test_it_ignores_an_english_browser_until_the_user_chooses(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in page
