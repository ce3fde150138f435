"""The working-day calendar every TTHC computation counts on: the holidays library with the
administrator's recorded swaps (`WorkdayChange`). Built once per process and rebuilt when a
change is saved (the changes' latest edit is the cache key: one small query per call)."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Count, Max

from qms.lib.workdays import Calendar, Change
from qms.procedures.models import WorkdayChange


def working_calendar() -> Calendar:
    """The calendar as the recorded changes stand now."""
    stamp = WorkdayChange.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return _build(stamp["n"], stamp["last"])


@lru_cache(maxsize=2)
def _build(count: int, last_edit: object) -> Calendar:
    # The arguments are only the cache key: any save or delete changes one of them.
    changes = [
        Change(day=c.day, working=c.working, note=c.note) for c in WorkdayChange.objects.all()
    ]
    return Calendar.build(changes)
