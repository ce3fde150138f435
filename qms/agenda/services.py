"""Writes of the agenda's own settings and notifications (the obligations and the inbox are
written by the apps through `registry` and `inbox`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from qms.agenda.models import (
    AgendaSettings,
    CalendarFeed,
    EmailChoice,
    Notification,
    NotificationPreference,
)
from qms.organization.models import Agency, User


@transaction.atomic
def save_settings(agency: Agency, reminder_days: str, reading_days: int) -> AgendaSettings:
    """The agency's reminder days (already validated, e.g. "10,3,1") and reading days."""
    found, _created = AgendaSettings.objects.update_or_create(
        agency=agency, defaults={"reminder_days": reminder_days, "reading_days": reading_days}
    )
    return found


def set_email_choice(user: User, choice: str) -> NotificationPreference:
    """How `user` wants e-mails about new work: at once, daily, never."""
    if choice not in EmailChoice.values:
        raise ValueError(f"Unknown e-mail choice {choice!r}")
    found, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": choice}
    )
    return found


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def feed_of(user: User) -> CalendarFeed:
    """The person's secret calendar address, made on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def renew_feed(user: User) -> CalendarFeed:
    """A new secret address for the person; the old one stops working at once."""
    feed = feed_of(user)
    feed.renew()
    return feed
