"""Background work of the organisation: a delegation (ủy quyền) that starts or runs out on a
given day changes who may approve from that day, without anybody pressing a button. Each
morning the worker hands the waiting work of those agencies again (`inbox.rehand`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from huey.contrib.djhuey import db_periodic_task

from qms.agenda import inbox
from qms.agenda.tasks import local_crontab
from qms.organization.models import Agency, Delegation


def delegations_turning(day: dt.date) -> list[Agency]:
    """The agencies where a delegation starts on `day` or ran out the day before."""
    turning = Delegation.objects.filter(
        Q(starts_on=day) | Q(ends_on=day - dt.timedelta(days=1)), ended_at__isnull=True
    )
    return list(Agency.objects.filter(pk__in=turning.values("agency_id")).order_by("pk"))


@task()
def hand_on_delegations() -> int:
    """Today's changes of delegated rights reach the inboxes; returns how many agencies."""
    agencies = delegations_turning(timezone.localdate())
    for agency in agencies:
        inbox.rehand(agency)
    return len(agencies)


# Just after midnight, before anyone opens the inbox in the morning.
@db_periodic_task(local_crontab(0, 10))
def daily_delegations() -> None:
    hand_on_delegations.call()
