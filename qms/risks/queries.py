"""Reads of the risks app: what changed in the context since the previous year (an input of
the management review), the register filtered, its heat map, and the rows of the exports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from qms.organization.models import Agency
from qms.risks.models import ContextIssue, InterestedParty, Risk, RiskScale, Treatment
from qms.risks.scale import band_range

# --- what changed in the context -------------------------------------------------------


@dataclass
class ContextChanges:
    """The year's context against the previous year's: rows new this year, rows carried
    over but changed, and last year's rows no longer kept."""

    year: int
    has_previous: bool = False  # the previous year has rows to compare with
    new_issues: list[ContextIssue] = field(default_factory=list)
    changed_issues: list[ContextIssue] = field(default_factory=list)
    dropped_issues: list[ContextIssue] = field(default_factory=list)
    new_parties: list[InterestedParty] = field(default_factory=list)
    changed_parties: list[InterestedParty] = field(default_factory=list)
    dropped_parties: list[InterestedParty] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return any(
            (
                self.new_issues,
                self.changed_issues,
                self.dropped_issues,
                self.new_parties,
                self.changed_parties,
                self.dropped_parties,
            )
        )


def _issue_text(issue: ContextIssue) -> tuple[str, ...]:
    return (issue.side, issue.category, issue.description.strip(), issue.effect.strip())


def _party_text(party: InterestedParty) -> tuple[Any, ...]:
    return (party.name.strip(), party.needs.strip(), party.response.strip(), party.monitored_by_id)


def _compare(now: list[Any], before: list[Any], text: Any, name: Any) -> tuple[list, list, list]:
    """(new, changed, dropped): a row matches last year's row it was copied from, else one
    with the same name or description."""
    by_pk = {row.pk: row for row in before}
    by_name = {name(row): row for row in before}
    matched: set[int] = set()
    new, changed = [], []
    for row in now:
        source = by_pk.get(row.copied_from_id) or by_name.get(name(row))
        if source is None or source.pk in matched:
            new.append(row)
            continue
        matched.add(source.pk)
        if text(row) != text(source):
            changed.append(row)
    dropped = [row for row in before if row.pk not in matched]
    return new, changed, dropped


def context_changes(agency: Agency, year: int) -> ContextChanges:
    """What changed in the context and interested parties of `agency` in `year` since the
    previous year (2 queries)."""
    # What was withdrawn is no longer kept: gone from its year, as if not copied over.
    issues = list(
        ContextIssue.objects.filter(
            agency=agency, year__in=[year - 1, year], withdrawn_on=None
        ).order_by("pk")
    )
    parties = list(
        InterestedParty.objects.filter(agency=agency, year__in=[year - 1, year], withdrawn_on=None)
        .select_related("monitored_by")
        .order_by("pk")
    )
    result = ContextChanges(
        year,
        has_previous=any(i.year == year - 1 for i in issues)
        or any(p.year == year - 1 for p in parties),
    )
    result.new_issues, result.changed_issues, result.dropped_issues = _compare(
        [i for i in issues if i.year == year],
        [i for i in issues if i.year == year - 1],
        _issue_text,
        lambda i: i.description.strip(),
    )
    result.new_parties, result.changed_parties, result.dropped_parties = _compare(
        [p for p in parties if p.year == year],
        [p for p in parties if p.year == year - 1],
        _party_text,
        lambda p: p.name.strip(),
    )
    return result


# --- the register ----------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    year: int
    unit: int | None = None
    kind: str = ""
    band: str = ""
    status: str = ""
    likelihood: int | None = None
    impact: int | None = None


def register_rows(agency: Agency, scale: RiskScale, filters: Filters) -> QuerySet[Risk]:
    rows = Risk.objects.filter(agency=agency, year=filters.year)
    if filters.unit:
        rows = rows.filter(unit_id=filters.unit)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.band:
        low, high = band_range(scale, filters.band)
        rows = rows.filter(level__gte=low, level__lte=high)
    if filters.likelihood:
        rows = rows.filter(likelihood=filters.likelihood)
    if filters.impact:
        rows = rows.filter(impact=filters.impact)
    return rows.select_related("unit", "process").order_by("-level", "pk")


@dataclass(frozen=True)
class Cell:
    likelihood: int
    impact: int
    count: int
    score: int


def heat_map(agency: Agency, scale: RiskScale, filters: Filters) -> list[list[Cell]]:
    """Rows of the grid from the highest likelihood down, each with its impacts 1…n and the
    number of rows of the register there (one query)."""
    counts = Counter(
        {
            (row["likelihood"], row["impact"]): row["n"]
            for row in register_rows(agency, scale, filters)
            .order_by()
            .values("likelihood", "impact")
            .annotate(n=Count("pk"))
        }
    )
    levels = range(1, scale.levels + 1)
    return [[Cell(lk, im, counts[(lk, im)], lk * im) for im in levels] for lk in reversed(levels)]


def export_rows(agency: Agency, year: int, *, needing_action: int | None = None) -> list[Risk]:
    """The year's register with its treatments and first assessment (3 queries); with
    `needing_action`, only the rows scored from that level up (the treatment plan)."""
    rows = Risk.objects.filter(agency=agency, year=year)
    if needing_action is not None:
        rows = rows.filter(level__gte=needing_action)
    treatments = Treatment.objects.select_related("owner_unit", "owner_person").order_by(
        "due_on", "pk"
    )
    return list(
        rows.select_related("unit", "process")
        .prefetch_related(Prefetch("treatments", queryset=treatments))
        .order_by("unit__order", "unit__name", "-level", "pk")
    )
