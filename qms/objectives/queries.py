"""The read side of the quality objectives: the year's objectives with their latest result,
the missed periods (an input of the management review) and the results table of a year."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery

from qms.objectives import periods
from qms.objectives.models import FollowUp, Measurement, QualityObjective
from qms.organization.models import Agency

# The agency's objectives first (no unit), then by unit, on every database.
ORDER = (F("unit_id").asc(nulls_first=True), "unit__order", "unit__name", "order", "pk")


def year_objectives(agency: Agency, year: int) -> QuerySet[QualityObjective]:
    """The year's objectives, the agency's first then by unit, each with its latest result
    and whether it was achieved (one query)."""
    latest = Measurement.objects.filter(objective=OuterRef("pk")).order_by("-period_start")
    return (
        QualityObjective.objects.filter(agency=agency, year=year)
        .select_related("unit", "owner_unit", "parent")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_key=Subquery(latest.values("period_key")[:1]),
            latest_achieved=Subquery(latest.values("achieved")[:1]),
        )
        .order_by(*ORDER)
    )


def missed(agency: Agency, year: int) -> QuerySet[Measurement]:
    """The periods of the year measured and not achieved, with their follow-up if recorded:
    an input of the management review (one query)."""
    return (
        Measurement.objects.filter(objective__agency=agency, objective__year=year, achieved=False)
        .select_related("objective", "objective__unit", "follow_up", "follow_up__recorded_by")
        .annotate(
            followed=Exists(FollowUp.objects.filter(measurement=OuterRef("pk"))),
        )
        .order_by("period_start", "objective__unit_id", "objective_id")
    )


@dataclass
class ResultRow:
    objective: QualityObjective
    cells: list[Measurement | None] = field(default_factory=list)


def results(agency: Agency, year: int) -> list[ResultRow]:
    """Each objective of the year with its result per period (two queries)."""
    objectives = list(
        QualityObjective.objects.filter(agency=agency, year=year)
        .exclude(status=QualityObjective.Status.DRAFT)
        .select_related("unit")
        .order_by(*ORDER)
    )
    found: dict[tuple[int, str], Measurement] = {
        (m.objective_id, m.period_key): m
        for m in Measurement.objects.filter(objective__in=[o.pk for o in objectives])
    }
    return [
        ResultRow(o, [found.get((o.pk, s.key)) for s in periods.spans(year, o.period)])
        for o in objectives
    ]


POLICY_CACHE = "objectives:policy:{pk}"
_NONE = "none"


def policy_card(agency: Agency) -> dict[str, object] | None:
    """The quality policy in force as the agency's dashboard shows it: kept in the cache until
    a new version is issued (`forget_policy`), so the dashboard costs no query for it."""
    key = POLICY_CACHE.format(pk=agency.pk)
    found = cache.get(key)
    if found is None:
        from qms.objectives.services import policy_in_force

        policy = policy_in_force(agency)
        found = _NONE
        if policy is not None:
            found = {
                "text": policy.text,
                "version": policy.version,
                "reference": policy.paper.reference,
                "url": policy.get_absolute_url(),
            }
        cache.set(key, found, None)
    return None if found == _NONE else found


def forget_policy(agency_id: int) -> None:
    cache.delete(POLICY_CACHE.format(pk=agency_id))
