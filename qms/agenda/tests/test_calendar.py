"""The month calendar: weeks Monday first, obligations on their due dates, safe month values."""

import datetime as dt

import pytest
from django.urls import reverse

from qms.agenda.tests.conftest import DAY, item, office, put

D = dt.date


def cells(response):
    return {cell.date: cell for week in response.context["weeks"] for cell in week}


def test_it_places_obligations_on_their_due_dates(cast, login, on_day):
    secretary = cast.users["secretary"]
    put(
        cast.a,
        item("mid", D(2026, 7, 15), owner_person_id=secretary.pk, title="Họp xem xét"),
        item("end", D(2026, 7, 31), owner_unit_id=office(cast.a).pk),
        item("next-month", D(2026, 8, 3), owner_person_id=secretary.pk),
        item("waiting", None, waiting_for="Sự kiện"),
        item("cancelled", D(2026, 7, 16), owner_person_id=secretary.pk, state="cancelled"),
    )
    response = login(secretary).get(reverse("agenda:calendar", args=[cast.a.pk]))
    assert response.status_code == 200
    grid = cells(response)
    weeks = response.context["weeks"]
    assert weeks[0][0].date == D(2026, 6, 29)  # the Monday before Wednesday 1/7
    assert weeks[-1][-1].date == D(2026, 8, 2)  # the Sunday after Friday 31/7
    assert all(len(week) == 7 and week[0].date.weekday() == 0 for week in weeks)
    assert [o.title for o in grid[D(2026, 7, 15)].obligations] == ["Họp xem xét"]
    assert len(grid[D(2026, 7, 31)].obligations) == 1
    assert grid[D(2026, 7, 16)].obligations == []  # cancelled is not shown
    assert D(2026, 8, 3) not in grid
    assert grid[DAY].is_today and not grid[D(2026, 6, 30)].in_month
    page = response.content.decode()
    assert 'data-month="2026-07"' in page
    assert "?month=2026-06" in page and "?month=2026-08" in page


def test_it_shows_the_whole_agency_on_request(cast, login, on_day):
    put(cast.a, item("staff", DAY, owner_person_id=cast.users["staff"].pk))
    client = login(cast.users["secretary"])
    url = reverse("agenda:calendar", args=[cast.a.pk])
    assert cells(client.get(url))[DAY].obligations == []
    assert len(cells(client.get(url, {"scope": "all"}))[DAY].obligations) == 1


def test_it_shows_the_overseer_the_whole_agency(cast, login, on_day):
    put(cast.a, item("staff", DAY, owner_person_id=cast.users["staff"].pk))
    response = login(cast.users["overseer"]).get(reverse("agenda:calendar", args=[cast.a.pk]))
    assert response.context["scope"] == "all"
    assert len(cells(response)[DAY].obligations) == 1


def test_it_moves_across_the_year(cast, login, on_day):
    client = login(cast.users["secretary"])
    response = client.get(reverse("agenda:calendar", args=[cast.a.pk]), {"month": "2026-12"})
    assert response.context["next"] == "2027-01" and response.context["previous"] == "2026-11"
    response = client.get(reverse("agenda:calendar", args=[cast.a.pk]), {"month": "2027-01"})
    assert response.context["previous"] == "2026-12"


@pytest.mark.parametrize(
    "month", ["2026-13", "2026-00", "abc", "2026-7", "0000-01", "99999-01", "2026-07-01", ""]
)
def test_it_shows_the_current_month_for_a_bad_month(cast, login, on_day, month):
    response = login(cast.users["secretary"]).get(
        reverse("agenda:calendar", args=[cast.a.pk]), {"month": month}
    )
    assert response.status_code == 200
    assert response.context["first"] == D(2026, 7, 1)


def test_a_week_ends_on_sunday():
    from qms.agenda.queries import week_end

    assert week_end(D(2026, 7, 13)) == D(2026, 7, 19)  # Monday
    assert week_end(D(2026, 7, 19)) == D(2026, 7, 19)  # Sunday: the week is today only
