"""My work, a unit's and the agency's obligations: grouping, ownership, isolation."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import make_person
from qms.agenda.models import Obligation
from qms.agenda.tests.conftest import DAY, item, office, put, sources
from qms.organization.models import Membership, Role, Unit
from qms.organization.services import set_roles

D = dt.date


def ownership_fixture(cast):
    """Obligations of agency A owned in each way, and one of agency B."""
    unit = office(cast.a)
    users = cast.users
    put(
        cast.a,
        item("staff", DAY, owner_person_id=users["staff"].pk),
        item("office", DAY, owner_unit_id=unit.pk),
        item("nobody", DAY, owner_text="Ban Chỉ đạo ISO"),
        item("head", DAY, owner_person_id=users["head"].pk, owner_unit_id=unit.pk),
        item("staff-done", DAY, owner_person_id=users["staff"].pk, state="done"),
    )
    put(cast.b, item("b", DAY, owner_text="Lãnh đạo Sở"), prefix="other")


def my_sources(client, agency):
    response = client.get(reverse("agenda:mine", args=[agency.pk]))
    assert response.status_code == 200
    groups = response.context["groups"]
    rows = groups.overdue + groups.this_week + groups.waiting + list(groups.later)
    return sorted(sources(rows))


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # by name; through the unit when no person is named; not a colleague's named task
        ("staff", ["office", "staff"]),
        ("unit_head", ["office"]),
        # the secretary also owns what has neither person nor unit
        ("secretary", ["nobody", "office"]),
        ("head", ["head"]),  # named, although the unit is given too
        ("auditor", []),  # no unit, nothing named
    ],
)
def test_it_shows_each_person_what_they_own(cast, login, on_day, who, expected):
    ownership_fixture(cast)
    assert my_sources(login(cast.users[who]), cast.a) == expected


def test_it_uses_the_unit_of_the_membership_in_this_agency(cast, login, on_day):
    """A person in two agencies owns, in each, what their unit there owns."""
    secretary = cast.users["secretary"]
    unit_a2 = Unit.objects.create(agency=cast.a2, name="Phòng Hành chính")
    set_roles(Membership.objects.create(user=secretary, agency=cast.a2, unit=unit_a2), ["staff"])
    put(cast.a2, item("a2-unit", DAY, owner_unit_id=unit_a2.pk), item("a2-none", DAY))
    put(cast.a, item("a-office", DAY, owner_unit_id=office(cast.a).pk), prefix="a")
    client = login(secretary)
    assert my_sources(client, cast.a2) == ["a2-unit"]  # no secretary role in A2
    assert my_sources(client, cast.a) == ["a-office"]


def test_it_groups_overdue_this_week_later_and_waiting(cast, login, on_day):
    secretary = cast.users["secretary"]
    put(
        cast.a,
        item("later", D(2026, 7, 20), owner_person_id=secretary.pk),
        item("sunday", D(2026, 7, 19), owner_person_id=secretary.pk),
        item("today", DAY, owner_person_id=secretary.pk),
        item("overdue", D(2026, 7, 10), owner_person_id=secretary.pk),
        item("waiting", None, waiting_for="Ban hành bộ tài liệu mới"),
        item("done", D(2026, 7, 1), owner_person_id=secretary.pk, state="done"),
    )
    response = login(secretary).get(reverse("agenda:mine", args=[cast.a.pk]))
    groups = response.context["groups"]
    assert sources(groups.overdue) == ["overdue"]
    assert sources(groups.this_week) == ["today", "sunday"]
    assert sources(groups.later) == ["later"]
    assert sources(groups.waiting) == ["waiting"]
    page = response.content.decode()
    assert "Ban hành bộ tài liệu mới" in page
    assert "10/07/2026" in page and "/things/overdue/" in page
    assert 'class="badge text-bg-danger"' in page  # the overdue badge


def test_it_lists_done_obligations_when_asked(cast, login, on_day):
    secretary = cast.users["secretary"]
    put(
        cast.a,
        item("open", DAY, owner_person_id=secretary.pk),
        item("done", D(2026, 7, 1), owner_person_id=secretary.pk, state="done"),
    )
    client = login(secretary)
    response = client.get(reverse("agenda:mine", args=[cast.a.pk]), {"state": "done"})
    assert sources(response.context["page"]) == ["done"]
    response = client.get(reverse("agenda:mine", args=[cast.a.pk]), {"state": "all"})
    assert sources(response.context["page"]) == ["open", "done"]
    response = client.get(reverse("agenda:mine", args=[cast.a.pk]), {"state": "nonsense"})
    assert response.context["state"] == "open"


def test_it_pages_the_later_group(cast, login, on_day):
    from qms.agenda.queries import GROUP_PAGE_SIZE

    secretary = cast.users["secretary"]
    due = D(2026, 8, 1)
    put(
        cast.a,
        *[item(str(i), due, owner_person_id=secretary.pk) for i in range(GROUP_PAGE_SIZE + 1)],
    )
    client = login(secretary)
    url = reverse("agenda:mine", args=[cast.a.pk])
    assert len(client.get(url).context["groups"].later) == GROUP_PAGE_SIZE
    assert len(client.get(url, {"page": 2}).context["groups"].later) == 1


def test_it_shows_a_unit_its_obligations(cast, login, on_day):
    ownership_fixture(cast)
    unit = office(cast.a)
    response = login(cast.users["auditor"]).get(reverse("agenda:unit", args=[cast.a.pk, unit.pk]))
    assert response.status_code == 200
    assert sources(response.context["groups"].this_week) == ["office", "head"]


def test_it_shows_the_whole_agency_with_filters(cast, login, on_day):
    ownership_fixture(cast)
    client = login(cast.users["head"])
    url = reverse("agenda:agency", args=[cast.a.pk])
    response = client.get(url)
    assert sorted(sources(response.context["groups"].this_week)) == [
        "head",
        "nobody",
        "office",
        "staff",
    ]
    unit = office(cast.a)
    response = client.get(url, {"unit": unit.pk})
    assert sorted(sources(response.context["groups"].this_week)) == ["head", "office"]
    response = client.get(url, {"state": "done"})
    assert sources(response.context["page"]) == ["staff-done"]
    # A unit of agency B is ignored, not used to filter.
    response = client.get(url, {"unit": office(cast.b).pk})
    assert response.context["unit_id"] is None


def test_it_names_the_owner_of_each_row(cast, login, on_day):
    ownership_fixture(cast)
    page = login(cast.users["head"]).get(reverse("agenda:agency", args=[cast.a.pk]))
    text = page.content.decode()
    assert "Ban Chỉ đạo ISO" in text and "Văn phòng Sở" in text and "Staff" in text


def agency_pages(cast):
    a = cast.a
    return [
        reverse("agenda:mine", args=[a.pk]),
        reverse("agenda:unit", args=[a.pk, office(a).pk]),
        reverse("agenda:agency", args=[a.pk]),
        reverse("agenda:calendar", args=[a.pk]),
    ]


@pytest.mark.parametrize(
    "who", ["head", "secretary", "staff", "auditor", "expert", "overseer", "admin"]
)
def test_it_lets_every_reader_of_the_agency_see_every_page(cast, login, on_day, who):
    ownership_fixture(cast)
    client = login(cast.users[who])
    for url in agency_pages(cast):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["secretary_b", "overseer2", "expired_expert"])
def test_it_hides_the_agency_from_everyone_else(cast, login, who):
    client = login(cast.users[who])
    for url in [*agency_pages(cast), reverse("agenda:settings", args=[cast.a.pk])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("agenda:settings", args=[cast.a.pk]), {}).status_code == 404


def test_it_refuses_a_unit_of_another_agency_under_this_agency_url(cast, login):
    client = login(cast.users["secretary"])
    url = reverse("agenda:unit", args=[cast.a.pk, office(cast.b).pk])
    assert client.get(url).status_code == 404


def test_it_shows_an_overseer_nothing_as_their_own(cast, login, on_day):
    ownership_fixture(cast)
    response = login(cast.users["overseer"]).get(reverse("agenda:mine", args=[cast.a.pk]))
    assert response.context["groups"].is_empty
    assert reverse("agenda:agency", args=[cast.a.pk]) in response.content.decode()


def test_it_keeps_a_dissolved_agency_readable(cast, login, on_day):
    ownership_fixture(cast)
    cast.a.valid_to = D(2025, 6, 30)
    cast.a.save()
    client = login(cast.users["secretary"])
    for url in agency_pages(cast):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("name", ["agenda:mine", "agenda:agency", "agenda:calendar"])
def test_it_refuses_the_wrong_method(cast, login, name):
    client = login(cast.users["secretary"])
    assert client.post(reverse(name, args=[cast.a.pk])).status_code == 405


def test_it_refuses_posting_to_the_unit_page(cast, login):
    client = login(cast.users["secretary"])
    url = reverse("agenda:unit", args=[cast.a.pk, office(cast.a).pk])
    assert client.post(url).status_code == 405


def test_it_sends_anonymous_visitors_to_the_login_page(cast, client):
    for url in agency_pages(cast):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_it_links_my_work_from_the_header(cast, login):
    response = login(cast.users["staff"]).get(reverse("organization:dashboard", args=[cast.a.pk]))
    page = response.content.decode()
    assert reverse("agenda:mine", args=[cast.a.pk]) in page
    assert reverse("agenda:bell") in page


def test_it_counts_a_unit_without_obligations_as_empty(cast, login, on_day):
    unit = Unit.objects.create(agency=cast.a, name="Phòng trống")
    make_person(cast.a, "lonely", [Role.STAFF], unit=unit)
    response = login(cast.users["head"]).get(reverse("agenda:unit", args=[cast.a.pk, unit.pk]))
    assert response.context["groups"].is_empty
    assert not Obligation.objects.exists()


@pytest.mark.parametrize(
    ("offset", "group", "param"),
    [
        (-3, "overdue", "page_overdue"),
        (0, "this_week", "page_week"),
        (None, "waiting", "page_waiting"),
    ],
)
def test_it_pages_every_group_of_my_work(cast, login, on_day, offset, group, param):
    """More rows than a page holds: the group shows one page and its true total; the next
    page holds the rest."""
    from qms.agenda.queries import GROUP_PAGE_SIZE as PAGE_SIZE

    secretary = cast.users["secretary"]
    due = None if offset is None else DAY + dt.timedelta(days=offset)
    put(
        cast.a,
        *[
            item(
                f"n{i:03}",
                due,
                owner_person_id=secretary.pk,
                waiting_for="Sự kiện" if due is None else "",
            )
            for i in range(PAGE_SIZE + 3)
        ],
    )
    client = login(secretary)
    url = reverse("agenda:mine", args=[cast.a.pk])
    response = client.get(url)
    groups = response.context["groups"]
    assert len(getattr(groups, group)) == PAGE_SIZE
    assert groups.pages[group].paginator.count == PAGE_SIZE + 3
    page = response.content.decode()
    assert f"{param}=2" in page
    assert page.count('data-obligation="') == PAGE_SIZE
    rest = client.get(url, {param: 2}).context["groups"]
    assert len(getattr(rest, group)) == 3
    shown = sources(getattr(groups, group)) + sources(getattr(rest, group))
    assert sorted(shown) == [f"n{i:03}" for i in range(PAGE_SIZE + 3)]
