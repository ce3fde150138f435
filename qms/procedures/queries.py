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
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    ExpressionWrapper,
    Max,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Cast, Substr

from qms.organization.models import Agency, Province, Unit
from qms.procedures.models import (
    BUCKETS,
    AgencyProcedure,
    DailyResult,
    DayKind,
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
    """The figures of the period grouped `by` one of BY, in a stable order. The sums come
    from the cache (see `_grouped`); the labels (TTHC, units) are read fresh, so a renamed
    unit or a new committed time shows at once."""
    if by not in BY:
        raise ValueError(by)
    if by in ("month", "quarter", "year"):
        return _by_time(_grouped(agency, start, end, "month"), by)
    if by == "unit":
        return _by_unit(agency, _grouped(agency, start, end, "unit_id"))
    return _by_procedure(agency, _grouped(agency, start, end, "procedure_id"), by == "field")


def _grouped(agency: Agency, start: dt.date, end: dt.date, column: str) -> dict[Any, list[int]]:
    """The period's buckets summed per TTHC, unit or month: one grouped query the first time,
    then kept in the cache until an import of the agency changes its DailyResult rows. A
    results page thus costs the stamp query and its rendering, whatever the dossiers."""
    key = f"procedures:grouped:{_stamp(agency)}:{start}:{end}:{column}"
    found = cache.get(key)
    if found is None:
        rows = _rows(Q(agency=agency), start, end, [column])
        found = {row[column]: _counts(row) for row in rows}
        cache.set(key, found, CACHE_SECONDS)
    return found


def _stamp(agency: Agency) -> str:
    """What changes whenever the agency's DailyResult rows change (only an import replacing
    its period writes them): one small query on the imports."""
    stamp = ResultImport.objects.filter(agency=agency).aggregate(
        n=Count("pk"), last=Max("pk"), at=Max("finished_at")
    )
    at = stamp["at"].timestamp() if stamp["at"] else 0
    return f"{agency.pk}:{stamp['n']}:{stamp['last']}:{at}"


def _by_time(sums: dict[str, list[int]], by: str) -> list[Figures]:
    groups: dict[str, Figures] = {}
    for month, counts in sums.items():
        key = month if by == "month" else _quarter(month) if by == "quarter" else month[:4]
        groups.setdefault(key, Figures(key=key, label=time_label(key))).add(counts)
    return [groups[key] for key in sorted(groups)]


def time_label(key: str) -> str:
    """ "2026-03" → "03/2026", "2026-Q1" → "Quý I/2026", "2026" → "2026"."""
    if "-Q" in key:
        roman = ("I", "II", "III", "IV")[int(key[-1]) - 1]
        return f"Quý {roman}/{key[:4]}"
    if len(key) == 7:
        return f"{key[5:]}/{key[:4]}"
    return key


def _by_unit(agency: Agency, sums: dict[int | None, list[int]]) -> list[Figures]:
    names = dict(Unit.objects.filter(agency=agency).values_list("pk", "name"))
    groups = []
    for unit, counts in sums.items():
        figures = Figures(key=unit, label=(names.get(unit) if unit else "") or "—")
        figures.add(counts)
        groups.append(figures)
    return sorted(groups, key=lambda f: (f.key is None, f.label))


def _catalogue(agency: Agency) -> dict[int, dict[str, Any]]:
    """The agency's TTHC by AdminProcedure id with what the results show of them: one query
    of plain values, the size of the catalogue."""
    rows = AgencyProcedure.objects.filter(agency=agency).values_list(
        "procedure_id",
        "procedure__code",
        "procedure__name",
        "procedure__field",
        "committed_days",
        "procedure__time_days",
        "procedure__day_kind",
    )
    kinds = dict(DayKind.choices)
    return {
        pk: {
            "code": code,
            "name": name,
            "field": field_name,
            "committed_days": committed,
            "statutory_days": statutory,
            "day_kind": kinds.get(kind, ""),
        }
        for pk, code, name, field_name, committed, statutory, kind in rows
    }


def _by_procedure(agency: Agency, sums: dict[int, list[int]], by_field: bool) -> list[Figures]:
    catalogue = _catalogue(agency)
    groups: dict[Any, Figures] = {}
    for procedure, counts in sums.items():
        known = catalogue.get(procedure)
        if by_field:
            key = label = known["field"] if known else "—"
        else:
            key = procedure
            label = f"{known['code']} {known['name']}" if known else str(procedure)
        figures = groups.setdefault(key, Figures(key=key, label=label))
        if not by_field and known is not None:
            figures.extra = known
        figures.add(counts)
    return sorted(groups.values(), key=lambda f: f.label)


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


SATISFACTION_LEVELS = ("very_satisfied", "satisfied", "neutral", "dissatisfied")


def satisfaction(
    agency: Agency, start: dt.date, end: dt.date, *, procedure: int | None = None
) -> dict[str, int]:
    """The survey counts of the periods recorded inside [start, end], summed (one query).
    Agency-wide: a period surveyed for the agency as a whole counts that survey, and a
    period surveyed only TTHC by TTHC counts the sum of those; never both, which would
    count the same citizens twice. With `procedure`: that TTHC's surveys only."""
    found = Satisfaction.objects.filter(agency=agency, period_start__gte=start, period_end__lte=end)
    if procedure is not None:
        found = found.filter(procedure_id=procedure)
    whole = ExpressionWrapper(Q(procedure__isnull=True), output_field=BooleanField())
    rows: Iterable[Any] = (
        found.values("period_start", "period_end", whole=whole)
        .annotate(**{level: Sum(level) for level in SATISFACTION_LEVELS})
        .order_by()
    )
    periods: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        period = (row["period_start"], row["period_end"])
        if row["whole"] or period not in periods:
            periods[period] = row
    counts = dict.fromkeys(SATISFACTION_LEVELS, 0)
    for row in periods.values():
        for level in SATISFACTION_LEVELS:
            counts[level] += row[level] or 0
    return counts


def satisfaction_rate(agency: Agency, start: dt.date, end: dt.date) -> float | None:
    """(Very satisfied + satisfied) / answers, in per cent; None without answers."""
    return rate_of(satisfaction(agency, start, end))


def rate_of(counts: dict[str, int]) -> float | None:
    """The satisfaction rate of survey counts already read (see `satisfaction`)."""
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
