"""Reminder days and the days to read a required document, per agency: the ISO secretary
only, validated, never in a dissolved agency."""

import datetime as dt

import pytest
from django.urls import reverse

from qms.agenda.models import AgendaSettings, parse_days, reading_days


def url(cast):
    return reverse("agenda:settings", args=[cast.a.pk])


def test_the_secretary_sets_the_days(cast, login):
    client = login(cast.users["secretary"])
    page = client.get(url(cast))
    assert page.status_code == 200 and 'value="10,3,1"' in page.content.decode()
    assert 'name="reading_days" value="10"' in page.content.decode()
    response = client.post(url(cast), {"reminder_days": " 1, 15,7 ,7", "reading_days": "7"})
    assert response.status_code == 302
    saved = AgendaSettings.objects.get(agency=cast.a)
    assert saved.reminder_days == "15,7,1" and saved.reading_days == 7
    assert reading_days(cast.a.pk) == 7 and reading_days(cast.b.pk) == 10
    response = client.post(url(cast), {"reminder_days": "0", "reading_days": "10"})
    assert AgendaSettings.objects.get(agency=cast.a).reminder_days == "0"
    assert AgendaSettings.objects.count() == 1


@pytest.mark.parametrize("bad", ["", "0", "366", "x"])
def test_it_refuses_bad_reading_days(cast, login, bad):
    response = login(cast.users["secretary"]).post(
        url(cast), {"reminder_days": "10,3,1", "reading_days": bad}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reading_days"]
    assert not AgendaSettings.objects.exists()


@pytest.mark.parametrize("bad", ["", "abc", "10;3", "-1", "366", "3,,1", "1.5", "10 3"])
def test_it_refuses_bad_days_and_saves_nothing(cast, login, bad):
    response = login(cast.users["secretary"]).post(url(cast), {"reminder_days": bad})
    assert response.status_code == 200
    assert response.context["form"].errors["reminder_days"]
    assert not AgendaSettings.objects.exists()


@pytest.mark.parametrize("who", ["head", "deputy", "unit_head", "staff", "overseer", "admin"])
def test_it_refuses_everyone_but_the_secretary(cast, login, who):
    client = login(cast.users[who])
    assert client.get(url(cast)).status_code == 403
    assert client.post(url(cast), {"reminder_days": "5"}).status_code == 403
    assert not AgendaSettings.objects.exists()


def test_it_refuses_changes_in_a_dissolved_agency(cast, login):
    cast.a.valid_to = dt.date(2025, 6, 30)
    cast.a.save()
    response = login(cast.users["secretary"]).post(url(cast), {"reminder_days": "5"})
    assert response.status_code == 403
    assert not AgendaSettings.objects.exists()


def test_it_refuses_the_wrong_method(cast, login):
    assert login(cast.users["secretary"]).put(url(cast)).status_code == 405


def test_it_parses_days():
    assert parse_days("10, 3,1") == [10, 3, 1]
    assert parse_days("") == []
    for bad in ("x", "400", "-2", "1,,2"):
        with pytest.raises(ValueError):
            parse_days(bad)
