"""The figures of dossier results, one query function per figure: the results pages use them,
and so will the quality objectives, the management review, the periodic reports and the
province's dashboard.

Every figure is summed from `DailyResult` (per TTHC, unit and day), never from dossiers: one
grouped query per call whatever the number of dossiers, and a lookup of the labels (TTHC,
units) whose size is the agency's catalogue, not its dossiers.

    on_time_rate(agency, date(2026, 1, 1), date(2026, 12, 31))            # 98.7 (per cent)
    on_time_rate(agency, start, end, by="field")                         # [Figures, …]
    totals(agency, start, end).resolved_late
    satisfaction_rate(agency, start, end)                                # 96.2 or None

On-time rate = (early + on time) / resolved (trả trước hạn + đúng hạn, over đã giải quyết);
satisfaction rate = (very satisfied + satisfied) / answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import CharField, Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Cast, Substr

from qms.organization.models import Agency, Province, Unit
from qms.procedures.models import (
    BUCKETS,
    AgencyProcedure,
    DailyResult,
    LateDossier,
    ResultImport,
    Satisfaction,
)

BY = ("procedure", "field", "unit", "month", "quarter", "year")
_SUMS = {name: Sum(name) for name in BUCKETS}
CACHE_SECONDS = 3600


def percent(part: int, whole: int) -> float | None:
    """`part` of `whole` in per cent, None when there is nothing to divide."""
    return None if not whole else round(100 * part / whole, 2)


@dataclass
class Figures:
    """The buckets summed over some group (a TTHC, a field, a unit, a month, …)."""

    key: Any = None
    label: str = ""
    counts: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    extra: dict[str, Any] = field(default_factory=dict)  # the TTHC's committed time, …

    def add(self, counts: Iterable[int | None]) -> None:
        for index, count in enumerate(counts):
            self.counts[index] += count or 0

    def __getattr__(self, name: str) -> int:
        if name in _INDEX:
            return self.counts[_INDEX[name]]
        raise AttributeError(name)

    @property
    def received(self) -> int:
        """Newly received in the period, every channel."""
        return self.received_online + self.received_direct + self.received_post

    @property
    def handled(self) -> int:
        """Received and carried over: everything the period had to handle."""
        return self.received + self.carried_over

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def on_time(self) -> int:
        return self.resolved_early + self.resolved_on_time

    @property
    def pending(self) -> int:
        return self.pending_within + self.pending_late

    @property
    def late(self) -> int:
        """Resolved late and still pending past the deadline."""
        return self.resolved_late + self.pending_late

    @property
    def on_time_rate(self) -> float | None:
        return percent(self.on_time, self.resolved)

    @property
    def late_share(self) -> float | None:
        """Late (resolved or pending) among the resolved and the pending."""
        return percent(self.late, self.resolved + self.pending)

    @property
    def online_share(self) -> float | None:
        return percent(self.received_online, self.received)


_INDEX = {name: index for index, name in enumerate(BUCKETS)}


def _month(day: dt.date | str) -> str:
    return str(day)[:7]


def _quarter(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def _rows(agencies: Q, start: dt.date, end: dt.date, group: Iterable[str]) -> QuerySet[Any]:
    """One grouped sum over the period's DailyResult rows. The month is cut from the date as
    text ("2026-03"), in SQL on every database (no per-row Python function on SQLite)."""
    month = Substr(Cast("day", output_field=CharField()), 1, 7)
    return (
        DailyResult.objects.filter(agencies, day__gte=start, day__lte=end)
        .annotate(month=month)
        .values(*group)
        .annotate(**_SUMS)
        .order_by()
    )


def _counts(row: dict[str, Any]) -> list[int]:
    return [row[name] or 0 for name in BUCKETS]


def totals(agency: Agency, start: dt.date, end: dt.date, *, unit: Unit | None = None) -> Figures:
    """The period's buckets summed (one query)."""
    rows = DailyResult.objects.filter(agency=agency, day__gte=start, day__lte=end)
    if unit is not None:
        rows = rows.filter(unit=unit)
    figures = Figures(label=f"{start:%d/%m/%Y}–{end:%d/%m/%Y}")
    figures.add(_counts(rows.aggregate(**_SUMS)))
    return figures


def on_time_rate(
    agency: Agency, start: dt.date, end: dt.date, *, by: str | None = None
) -> float | None | list[Figures]:
    """The on-time rate of the period in per cent (None without any resolved dossier), or,
    with `by`, the figures of each TTHC, field, unit, month, quarter or year, each with its
    own `on_time_rate`."""
    if by is None:
        return totals(agency, start, end).on_time_rate
    return breakdown(agency, start, end, by)


def breakdown(agency: Agency, start: dt.date, end: dt.date, by: str) -> list[Figures]:
    """The figures of the period grouped `by` one of BY, in a stable order."""
    if by not in BY:
        raise ValueError(by)
    cells = _year_cells(agency, start, end)
    if cells is not None:
        return _from_cells(agency, cells, by)
    if by in ("month", "quarter", "year"):
        return _by_time(_rows(Q(agency=agency), start, end, ["month"]), by)
    if by == "unit":
        return _by_unit(agency, _rows(Q(agency=agency), start, end, ["unit_id"]))
    rows = _rows(Q(agency=agency), start, end, ["procedure_id"])
    return _by_procedure(agency, rows, by == "field")


def _aligned(start: dt.date, end: dt.date) -> bool:
    """Whole months of one year: what the results pages ask (a year, quarter or month)."""
    return start.year == end.year and start.day == 1 and (end + dt.timedelta(days=1)).day == 1


def _year_cells(agency: Agency, start: dt.date, end: dt.date) -> list[tuple] | None:
    """The year's sums per (TTHC, unit, month), from the cache while no import of the agency
    has changed (one small query on the imports), else summed once (one scan of the year's
    DailyResult rows); None when the period is not whole months of one year. A results page
    asks for the same year several times (its table, its trend, its slowest TTHC)."""
    if not _aligned(start, end):
        return None
    stamp = ResultImport.objects.filter(agency=agency).aggregate(
        n=Count("pk"), last=Max("pk"), at=Max("finished_at")
    )
    at = stamp["at"].timestamp() if stamp["at"] else 0
    key = f"procedures:results:{agency.pk}:{start.year}:{stamp['n']}:{stamp['last']}:{at}"
    cells = cache.get(key)
    if cells is None:
        first, last = dt.date(start.year, 1, 1), dt.date(start.year, 12, 31)
        rows = _rows(Q(agency=agency), first, last, ["procedure_id", "unit_id", "month"])
        cells = [(r["procedure_id"], r["unit_id"], r["month"], _counts(r)) for r in rows]
        cache.set(key, cells, CACHE_SECONDS)
    months = (f"{start:%Y-%m}", f"{end:%Y-%m}")
    return [cell for cell in cells if months[0] <= cell[2] <= months[1]]


def _from_cells(agency: Agency, cells: list[tuple], by: str) -> list[Figures]:
    if by in ("month", "quarter", "year"):
        return _by_time(
            ({"month": m, **dict(zip(BUCKETS, c, strict=True))} for _p, _u, m, c in cells), by
        )
    if by == "unit":
        units: dict[int | None, list[int]] = {}
        for _p, unit, _m, counts in cells:
            _merge(units.setdefault(unit, [0] * len(BUCKETS)), counts)
        rows = [{"unit_id": u, **dict(zip(BUCKETS, c, strict=True))} for u, c in units.items()]
        return _by_unit(agency, rows)
    procedures: dict[int, list[int]] = {}
    for procedure, _u, _m, counts in cells:
        _merge(procedures.setdefault(procedure, [0] * len(BUCKETS)), counts)
    rows = [
        {"procedure_id": p, **dict(zip(BUCKETS, c, strict=True))} for p, c in procedures.items()
    ]
    return _by_procedure(agency, rows, by == "field")


def _merge(into: list[int], counts: list[int]) -> None:
    for index, count in enumerate(counts):
        into[index] += count


def _by_time(rows: Iterable[dict[str, Any]], by: str) -> list[Figures]:
    groups: dict[str, Figures] = {}
    for row in rows:
        month = row["month"]
        key = month if by == "month" else _quarter(month) if by == "quarter" else month[:4]
        groups.setdefault(key, Figures(key=key, label=time_label(key))).add(_counts(row))
    return [groups[key] for key in sorted(groups)]


def time_label(key: str) -> str:
    """ "2026-03" → "03/2026", "2026-Q1" → "Quý I/2026", "2026" → "2026"."""
    if "-Q" in key:
        roman = ("I", "II", "III", "IV")[int(key[-1]) - 1]
        return f"Quý {roman}/{key[:4]}"
    if len(key) == 7:
        return f"{key[5:]}/{key[:4]}"
    return key


def _by_unit(agency: Agency, rows: Iterable[dict[str, Any]]) -> list[Figures]:
    names = dict(Unit.objects.filter(agency=agency).values_list("pk", "name"))
    groups = []
    for row in rows:
        label = names.get(row["unit_id"], "") or "—"
        figures = Figures(key=row["unit_id"], label=label)
        figures.add(_counts(row))
        groups.append(figures)
    return sorted(groups, key=lambda f: (f.key is None, f.label))


def _handled(agency: Agency) -> dict[int, AgencyProcedure]:
    """The agency's TTHC by AdminProcedure id: one query, the size of the catalogue."""
    handled = AgencyProcedure.objects.filter(agency=agency).select_related("procedure")
    return {h.procedure_id: h for h in handled}


def _by_procedure(agency: Agency, rows: Iterable[dict[str, Any]], by_field: bool) -> list[Figures]:
    handled = _handled(agency)
    groups: dict[Any, Figures] = {}
    for row in rows:
        handling = handled.get(row["procedure_id"])
        if by_field:
            key = label = handling.procedure.field if handling else "—"
        else:
            key = row["procedure_id"]
            label = str(handling.procedure) if handling else str(key)
        figures = groups.setdefault(key, Figures(key=key, label=label))
        if not by_field and handling is not None:
            figures.extra = _committed(handling)
        figures.add(_counts(row))
    return sorted(groups.values(), key=lambda f: f.label)


def _committed(handling: AgencyProcedure) -> dict[str, Any]:
    return {
        "code": handling.procedure.code,
        "name": handling.procedure.name,
        "field": handling.procedure.field,
        "committed_days": handling.committed_days,
        "statutory_days": handling.procedure.time_days,
        "day_kind": handling.procedure.get_day_kind_display(),
    }


def slowest(
    agency: Agency,
    start: dt.date,
    end: dt.date,
    limit: int = 10,
    *,
    rows: list[Figures] | None = None,
) -> list[Figures]:
    """The TTHC with the largest share of late dossiers (resolved late or pending past the
    deadline), with their committed and statutory times. The average working days a dossier
    took cannot be summed from the daily figures, so the late share stands for slowness."""
    if rows is None:  # `rows`: the period's breakdown by TTHC, when the caller has it
        rows = breakdown(agency, start, end, "procedure")
    late = [f for f in rows if f.late]
    late.sort(key=lambda f: (-(f.late_share or 0), -f.late, f.label))
    return late[:limit]


def trend(agency: Agency, start: dt.date, end: dt.date, by: str = "month") -> list[Figures]:
    """The figures month by month (or quarter, year) over the period: the charts' data."""
    return breakdown(agency, start, end, by)


def late_dossiers(agency: Agency, start: dt.date, end: dt.date) -> QuerySet[LateDossier]:
    """The dossiers late in the period (deadline inside it), for their apology letters."""
    return (
        LateDossier.objects.filter(agency=agency, due_on__gte=start, due_on__lte=end)
        .select_related("procedure")
        .order_by("-days_late", "dossier_code", "pk")
    )


def satisfaction(agency: Agency, start: dt.date, end: dt.date) -> dict[str, int]:
    """The survey counts of the periods recorded inside [start, end], summed (one query)."""
    found = Satisfaction.objects.filter(
        agency=agency, period_start__gte=start, period_end__lte=end
    ).aggregate(
        very_satisfied=Sum("very_satisfied"),
        satisfied=Sum("satisfied"),
        neutral=Sum("neutral"),
        dissatisfied=Sum("dissatisfied"),
    )
    return {key: value or 0 for key, value in found.items()}


def satisfaction_rate(agency: Agency, start: dt.date, end: dt.date) -> float | None:
    """(Very satisfied + satisfied) / answers, in per cent; None without answers."""
    counts = satisfaction(agency, start, end)
    return percent(counts["very_satisfied"] + counts["satisfied"], sum(counts.values()))


def province_on_time(province: Province, start: dt.date, end: dt.date) -> list[Figures]:
    """Each agency of the province with its figures for the period (one grouped query and
    the agencies' names): the province dashboard's table."""
    rows = _rows(Q(agency__province=province), start, end, ["agency_id"])
    names = dict(Agency.objects.filter(province=province).values_list("pk", "name"))
    found = []
    for row in rows:
        figures = Figures(key=row["agency_id"], label=names.get(row["agency_id"], ""))
        figures.add(_counts(row))
        found.append(figures)
    return sorted(found, key=lambda f: f.label)


def years_with_results(agency: Agency) -> list[int]:
    """The years the agency has results for, newest first (one query on the imports)."""
    starts = agency.result_imports.filter(status="done").values_list("period_start", "period_end")
    years: set[int] = set()
    for first, last in starts:
        years.update(range(first.year, last.year + 1))
    return sorted(years, reverse=True)
