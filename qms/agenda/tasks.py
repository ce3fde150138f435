"""Background work of the agenda: the daily reminder scan, and the e-mails about new work.

`send_reminders`, `email_new_work` and `send_digests` are Django tasks (enqueue them from
anywhere; the tests run them with the immediate backend). `daily_reminders` and
`daily_digest` are the huey periodic tasks that run them every morning at 07:00 local
time; only one huey consumer runs periodic tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from qms.agenda import emails, reminders

REMINDER_HOUR = 7


@task()
def send_reminders() -> int:
    """Today's reminders; returns how many went out."""
    return reminders.scan(timezone.localdate())


def local_crontab(hour: int, minute: int) -> Callable[[dt.datetime], bool]:
    """A huey crontab read in the site's time zone: huey hands periodic tasks naive UTC
    times (when `utc` is on, its default), so `crontab(hour=7)` alone would fire at 14:00
    in Hà Nội."""
    matches = crontab(hour=str(hour), minute=str(minute))

    def validate(moment: dt.datetime) -> bool:
        if HUEY.utc:
            zone = ZoneInfo(settings.TIME_ZONE)
            moment = moment.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None)
        return bool(matches(moment))

    return validate


@task()
def email_new_work(item_ids: list[int]) -> int:
    """The e-mails "at once" about work just handed out; returns how many went."""
    return emails.send_new_work(item_ids, timezone.localdate())


@task()
def send_digests() -> int:
    """Today's digests of new work; returns how many e-mails went."""
    return emails.send_digests(timezone.localdate())


@db_periodic_task(local_crontab(REMINDER_HOUR, 0))
def daily_reminders() -> None:
    send_reminders.call()


@db_periodic_task(local_crontab(REMINDER_HOUR, 5))
def daily_digest() -> None:
    send_digests.call()
