"""Background work of the agenda: the daily reminder scan.

`send_reminders` is a Django task (enqueue it from anywhere; the tests run it with the
immediate backend). `daily_reminders` is the huey periodic task that runs it every morning
at 07:00 local time; only one huey consumer runs periodic tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from qms.agenda import reminders

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


@db_periodic_task(local_crontab(REMINDER_HOUR, 0))
def daily_reminders() -> None:
    send_reminders.call()
