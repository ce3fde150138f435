"""Lists, dashboards and the committee page run a fixed number of queries, whatever the rows.

Every request starts with the same 4 queries: session, user, the agency (with province and
successor), the user's role grants. The header adds 2: the agency switcher and "is overseer"."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person
from qms.organization.models import Agency, Role, Unit
from qms.organization.tests.factories import D, issued


def grow(cast, n):
    """n more units, people and committee members in agency A, and n more agencies in P1."""
    office = Unit.objects.get(agency=cast.a, parent=None)
    for _ in range(n):
        i = Unit.objects.count()
        unit = Unit.objects.create(agency=cast.a, name=f"Phòng {i}", parent=office)
        make_person(cast.a, f"grow{i}", [Role.STAFF, Role.UNIT_HEAD], unit=unit)
        Agency.objects.create(
            province=cast.a.province,
            name=f"Cơ quan {i}",
            kind=Agency.Kind.COMMUNE_COMMITTEE,
            abbreviation="UBND",
            place_name="X",
            head_title="Chủ tịch",
            deputy_title="Phó Chủ tịch",
        )
    issued(
        cast.a, [f"Thành viên {i}" for i in range(n)], 100 + n, D(2025, 1, 1) + dt.timedelta(days=n)
    )


def _obligations(agency, n):
    """n more dated obligations around today (some overdue, some due soon)."""
    from django.utils import timezone

    from qms.agenda import registry

    today = timezone.localdate()
    prefix = f"test.grow.{Unit.objects.count()}"
    registry.register_kind("test.grow", "Việc thử")
    registry.sync(
        agency,
        prefix,
        [
            registry.Item(
                key=str(i),
                kind="test.grow",
                title=f"Việc {i}",
                url="/",
                due_date=today + dt.timedelta(days=i - n // 2),
            )
            for i in range(n)
        ],
    )


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def assert_constant(cast, client, url, expected):
    client.get(url)  # a first visit may remember the current agency in the session
    grow(cast, 2)
    assert count(client, url) == expected
    grow(cast, 30)
    assert count(client, url) == expected


def test_dashboard_queries(cast, login):
    # 4 common + 1 roles held (missing-role warning) + 1 committee members in office
    # + 1 obligations due soon + 1 version of the agency's obligations (the overdue count
    # is kept in the cache under it: counted on the first visit only) + 1 alerts (e.g.
    # procedures to update after a legal change) + 1 decision in force + 1 units + 1 people
    # + 1 drafts + 1 plan rows not assigned yet + 2 header = 16 (the first visit
    # also saves the agency as current in the session: not counted, the test visits first)
    client = login(cast.users["secretary"])
    assert_constant(cast, client, reverse("organization:dashboard", args=[cast.a.pk]), 16)


def test_people_list_queries(cast, login):
    # 4 common + 1 count + 1 page of memberships (user, unit joined) + 1 their role grants
    # + 1 units for the filter + 1 delegations running or to come (both people joined)
    # + 2 header = 11
    client = login(cast.users["secretary"])
    assert_constant(cast, client, reverse("organization:person_list", args=[cast.a.pk]), 11)


def test_people_list_queries_ignore_the_number_of_delegations(cast, login):
    from qms.organization.models import Delegation, today

    def delegate(n):
        for _ in range(n):
            Delegation.objects.create(
                agency=cast.a,
                delegator=cast.users["head"],
                delegate=cast.users["deputy"],
                rights=["approve_plan"],
                starts_on=today(),
                ends_on=today(),
                created_by=cast.users["head"],
            )

    client = login(cast.users["secretary"])
    url = reverse("organization:person_list", args=[cast.a.pk])
    delegate(1)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    delegate(10)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(first.captured_queries) == len(second.captured_queries) == 11


def test_unit_list_queries(cast, login):
    # 4 common + 1 units with people counts + 2 header = 7
    client = login(cast.users["secretary"])
    assert_constant(cast, client, reverse("organization:unit_list", args=[cast.a.pk]), 7)


def test_committee_page_queries(cast, login):
    # 4 common + 1 members in office (with decision) + 1 decisions + 2 header = 8
    client = login(cast.users["secretary"])
    assert_constant(cast, client, reverse("organization:committee", args=[cast.a.pk]), 8)


def test_overseer_home_queries(cast, login):
    # 2 (session, user) + 1 overseen provinces (remembered for the header)
    # + 1 agencies with every figure + 1 header switcher = 5
    client = login(cast.users["overseer"])
    assert_constant(cast, client, reverse("organization:province_home"), 5)
