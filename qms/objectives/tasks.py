"""Background work of the quality objectives: the computed results of the periods that have
ended, filled every morning by the worker (never in a request)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task
from huey.contrib.djhuey import db_periodic_task

from qms.agenda.tasks import local_crontab
from qms.objectives import services
from qms.organization.models import Agency

MEASURE_HOUR = 6


@task()
def measure_all() -> int:
    """Today's computed results for every agency still in being; returns how many."""
    day = timezone.localdate()
    agencies = Agency.objects.filter(quality_objectives__source__in=services.sources.COMPUTED)
    recorded = 0
    for agency in agencies.distinct():
        if not agency.is_dissolved:
            recorded += services.measure_due(agency, day)
    return recorded


@db_periodic_task(local_crontab(MEASURE_HOUR, 30))
def daily_measurements() -> None:
    measure_all.call()
