"""Demo dossier results: a year (01/2026–11/2026) of monthly figures for every TTHC the demo
agencies handle (the AgencyProcedure rows of demo_catalogue), with a few late dossiers kept
one by one for their apology letters, and a satisfaction survey per quarter.

Deterministic (a seeded random generator) and fast: a few hundred rows in bulk."""

from __future__ import annotations

import calendar
import datetime as dt
import random

from django.db import transaction

from qms.organization.models import Agency, Membership, Role, User
from qms.procedures.calendar import working_calendar
from qms.procedures.models import (
    BUCKETS,
    AgencyProcedure,
    DailyResult,
    LateDossier,
    ResultImport,
    Satisfaction,
)

YEAR, LAST_MONTH = 2026, 11
SEED = 2026


def load() -> None:
    handled = AgencyProcedure.objects.filter(is_active=True).select_related("agency", "procedure")
    by_agency: dict[Agency, list[AgencyProcedure]] = {}
    for handling in handled:
        by_agency.setdefault(handling.agency, []).append(handling)
    for agency, procedures in by_agency.items():
        if not agency.result_imports.exists():
            _agency(agency, procedures, random.Random(f"{SEED}-{agency.name}"))  # noqa: S311 (demo figures)


def _secretary(agency: Agency) -> User | None:
    membership = (
        Membership.objects.filter(agency=agency, role_grants__role=Role.ISO_SECRETARY)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def _agency(agency: Agency, procedures: list[AgencyProcedure], rng: random.Random) -> None:
    user = _secretary(agency)
    if user is None:
        return
    cal = working_calendar()
    for month in range(1, LAST_MONTH + 1):
        start = dt.date(YEAR, month, 1)
        end = dt.date(YEAR, month, calendar.monthrange(YEAR, month)[1])
        source = ResultImport.objects.create(
            agency=agency,
            period_start=start,
            period_end=end,
            shape=ResultImport.Shape.AGGREGATED,
            file_name=f"bao-cao-mot-cua-{month:02d}-{YEAR}.xlsx",
            status=ResultImport.Status.DONE,
            by=user,
        )
        rows, late = [], []
        for handling in procedures:
            counts = _month(rng)
            rows.append(
                DailyResult(
                    agency=agency,
                    procedure_id=handling.procedure_id,
                    unit_id=handling.unit_id,
                    day=end,
                    source=source,
                    **dict(zip(BUCKETS, counts, strict=True)),
                )
            )
            for n in range(counts[BUCKETS.index("resolved_late")]):
                late.append(_late(agency, handling, source, cal, start, n, rng))
        DailyResult.objects.bulk_create(rows)
        LateDossier.objects.bulk_create(late)
        source.rows_total = source.rows_done = len(rows)
        source.save(update_fields=["rows_total", "rows_done"])
    _surveys(agency, rng)


def _month(rng: random.Random) -> list[int]:
    """A month of one TTHC: 5–60 dossiers, most online, on-time rate 95–100 %."""
    received = rng.randint(5, 60)
    online = round(received * rng.uniform(0.5, 0.9))
    post = rng.randint(0, max(1, received // 10))
    direct = max(0, received - online - post)
    carried = rng.randint(0, 5)
    resolved = received + carried - rng.randint(0, 4) - 1
    resolved = max(0, resolved)
    late = 1 if rng.random() < 0.15 and resolved >= 20 else 0
    early = round((resolved - late) * rng.uniform(0.3, 0.7))
    on_time = resolved - late - early
    pending = received + carried - resolved
    returned = 1 if pending and rng.random() < 0.2 else 0
    pending -= returned
    return [online, direct, post, carried, early, on_time, late, pending, 0, returned, 0]


def _late(
    agency: Agency,
    handling: AgencyProcedure,
    source: ResultImport,
    cal: object,
    start: dt.date,
    n: int,
    rng: random.Random,
) -> LateDossier:
    received = cal.next_working(start + dt.timedelta(days=rng.randint(0, 10)))  # type: ignore[attr-defined]
    due = cal.add(received, handling.time_limit or 5)  # type: ignore[attr-defined]
    days = rng.randint(1, 3)
    return LateDossier(
        agency=agency,
        procedure_id=handling.procedure_id,
        source=source,
        dossier_code=f"{handling.procedure.code[:12]}-{start:%y%m}-{n + 1:03d}",
        received_on=received,
        due_on=due,
        resolved_on=cal.add(due, days),  # type: ignore[attr-defined]
        days_late=days,
        apology_sent=rng.random() < 0.7,
    )


def _surveys(agency: Agency, rng: random.Random) -> None:
    for quarter in range(1, 5):
        end_month = min(3 * quarter, LAST_MONTH)
        if 3 * quarter - 2 > LAST_MONTH:
            break
        answers = rng.randint(150, 400)
        very = round(answers * rng.uniform(0.45, 0.6))
        satisfied = round(answers * rng.uniform(0.3, 0.4))
        dissatisfied = rng.randint(0, 3)
        Satisfaction.objects.create(
            agency=agency,
            period_start=dt.date(YEAR, 3 * quarter - 2, 1),
            period_end=dt.date(YEAR, end_month, calendar.monthrange(YEAR, end_month)[1]),
            very_satisfied=very,
            satisfied=satisfied,
            neutral=max(0, answers - very - satisfied - dissatisfied),
            dissatisfied=dissatisfied,
        )
