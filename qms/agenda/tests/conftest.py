"""Agenda test helpers: obligations put on the agenda through the registry, a fixed "today"
for the screens, and e-mail addresses for the cast (reminders go by e-mail)."""

import datetime as dt

import pytest

from qms.agenda import registry
from qms.agenda.registry import Item
from qms.organization.models import Unit

# A Wednesday: its week runs to Sunday 19/07/2026.
DAY = dt.date(2026, 7, 15)
PREFIX = "test.src"


def item(key, due=None, **fields):
    values = {"kind": "test.thing", "title": f"Việc {key}", "url": f"/things/{key}/"}
    return Item(key=key, due_date=due, **(values | fields))


def put(agency, *items, prefix=PREFIX):
    registry.sync(agency, prefix, items)


def office(agency):
    return Unit.objects.get(agency=agency, name="Văn phòng Sở")


def sources(rows):
    return [o.source.split(":", 1)[1] for o in rows]


@pytest.fixture
def on_day(monkeypatch):
    """The screens believe today is DAY."""
    monkeypatch.setattr("qms.agenda.views.today", lambda: DAY)
    return DAY


@pytest.fixture
def emails(cast):
    """Everybody of the cast has an e-mail address but the staff member."""
    for name, user in cast.users.items():
        if name != "staff":
            user.email = f"{name}@example.gov.vn"
            user.save(update_fields=["email"])
    return cast
