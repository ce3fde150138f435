"""The agenda pages run a fixed number of queries, whatever the number of obligations.

Every page starts with the same 4 queries: session, user, the agency (with province and
successor), the user's role grants; the header adds 2 (agency switcher, "is overseer").
The bell is loaded by HTMX after the page, so it costs the page nothing."""

import datetime as dt
import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qms.agenda import registry
from qms.agenda.tests.conftest import DAY, item, office

# Offsets from DAY: overdue, this week, later, waiting (None), so that the first 5 already
# fill every group (an empty "later" group skips its page query).
OFFSETS = [-1, 20, 0, None, 4, -9, 2, 45, 6]
counter = itertools.count()


def grow(cast, n):
    """n more obligations of agency A in every group, owned every way the secretary sees."""
    owners = [
        {"owner_person_id": cast.users["secretary"].pk},
        {"owner_unit_id": office(cast.a).pk},
        {"owner_text": "Ban Chỉ đạo ISO"},
    ]
    items = []
    for i in range(n):
        offset = OFFSETS[i % len(OFFSETS)]
        due = None if offset is None else DAY + dt.timedelta(days=offset)
        items.append(
            item(str(i), due, waiting_for="Sự kiện" if due is None else "", **owners[i % 3])
        )
    registry.sync(cast.a, f"grow:{next(counter)}", items)


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def assert_constant(cast, client, url, expected):
    client.get(url)  # the first request after logging in may renew the session
    grow(cast, 5)
    assert count(client, url) == expected
    grow(cast, 60)
    assert count(client, url) == expected


def test_my_work_queries(cast, login, on_day):
    # 4 common + 1 my membership (its unit) + 1 count of every group + 4 pages (overdue,
    # this week, later, waiting) + 2 header = 12
    client = login(cast.users["secretary"])
    assert_constant(cast, client, reverse("agenda:mine", args=[cast.a.pk]), 12)


def test_agency_list_queries(cast, login, on_day):
    # 4 common + 1 units for the filter + 1 count of every group + 4 pages + 2 header = 12
    client = login(cast.users["secretary"])
    assert_constant(cast, client, reverse("agenda:agency", args=[cast.a.pk]), 12)


def test_agency_list_of_done_obligations_queries(cast, login, on_day):
    # 4 common + 1 units + 1 count + 1 page + 2 header = 9
    client = login(cast.users["secretary"])
    url = reverse("agenda:agency", args=[cast.a.pk]) + "?state=all"
    assert_constant(cast, client, url, 9)


def test_unit_page_queries(cast, login, on_day):
    # 4 common + 1 the unit + 1 count of every group + 2 pages (the unit's grown rows are
    # due this week and later; an empty group costs no query) + 2 header = 10
    client = login(cast.users["secretary"])
    url = reverse("agenda:unit", args=[cast.a.pk, office(cast.a).pk])
    assert_constant(cast, client, url, 10)


def test_calendar_queries(cast, login, on_day):
    # 4 common + 1 my membership (its unit) + 1 obligations of the weeks shown + 2 header = 8
    client = login(cast.users["secretary"])
    assert_constant(cast, client, reverse("agenda:calendar", args=[cast.a.pk]), 8)


def test_whole_agency_calendar_queries(cast, login, on_day):
    # 4 common + 1 obligations of the weeks shown + 2 header = 7
    client = login(cast.users["secretary"])
    url = reverse("agenda:calendar", args=[cast.a.pk]) + "?scope=all"
    assert_constant(cast, client, url, 7)
