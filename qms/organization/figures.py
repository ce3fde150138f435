"""Read-side helpers: the figures of dashboards and lists, each a fixed number of queries
whatever the number of rows (asserted in the tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from qms.agenda import registry
from qms.agenda.models import Obligation
from qms.organization import services
from qms.organization.models import (
    Agency,
    CommitteeDecision,
    CommitteeMember,
    Membership,
    Role,
    RoleGrant,
    Unit,
    current_membership_q,
    seat_held_q,
    today,
)

# What the dashboard calls "due soon": overdue, or due within two weeks.
DUE_SOON = dt.timedelta(days=14)
OVERDUE_CACHE_SECONDS = 24 * 3600


def dashboard(agency: Agency, day: dt.date) -> dict[str, Any]:
    """Figures of one agency's home page (10 queries; 11 when the overdue count is not in the
    cache)."""
    roles = set(
        RoleGrant.objects.filter(membership__agency=agency)
        .filter(current_membership_q("membership__"))
        .order_by()  # no default ordering: it would join and break DISTINCT
        .values_list("role", flat=True)
        .distinct()
    )
    members = list(services.members_on(agency, day))
    soon = Obligation.objects.open().filter(agency=agency, due_date__lte=day + DUE_SOON)
    alerts = Obligation.objects.open().filter(agency=agency, kind__in=registry.alert_kinds())
    return {
        "alerts": list(alerts.select_related("owner_unit").order_by("due_date", "pk")[:8]),
        "due_soon": list(soon.select_related("owner_unit").order_by("due_date", "pk")[:8]),
        "overdue_count": _overdue_count(agency, day),
        "today": day,
        "unit_count": Unit.objects.filter(agency=agency, is_active=True).count(),
        "people_count": Membership.objects.current().filter(agency=agency).count(),
        "decision": services.decision_in_force(agency, day),
        "members": members,
        "chair": next((m for m in members if m.committee_role == "chair"), None),
        "draft_count": CommitteeDecision.objects.filter(
            agency=agency, paper__status="draft"
        ).count(),
        "missing_roles": [
            Role(code).label for code in (Role.HEAD, Role.ISO_SECRETARY) if code not in roles
        ],
        "unassigned": unassigned_tasks(agency),
    }


def unassigned_tasks(agency: Agency) -> list[dict[str, Any]]:
    """Per plan in force of the agency, how many of its rows have no lead yet ("Chưa phân
    công"): {"plan": id, "title", "year", "n"} (1 query)."""
    from qms.plans.models import PlanTask, in_force_q

    rows = (
        PlanTask.objects.filter(in_force_q("plan__"), plan__agency=agency)
        .filter(lead_kind=PlanTask.Lead.UNASSIGNED)
        .order_by("-plan__year")
        .values("plan", "plan__title", "plan__year")
        .annotate(n=Count("pk"))
    )
    return [
        {"plan": r["plan"], "title": r["plan__title"], "year": r["plan__year"], "n": r["n"]}
        for r in rows
    ]


def _overdue_count(agency: Agency, day: dt.date) -> int:
    """How many open obligations of the agency are past due on `day`. Counting them reads
    one index entry per obligation (10,000 plan tasks: ~27,000 entries, most of them past
    due late in the year), so the count is kept in the cache under the version of the
    agency's obligations, which the registry renews with every change of them, and the day:
    1 query by primary key while nothing changes, a second to count after a change."""
    stamp = registry.stamps([agency.pk]).get(agency.pk)
    key = f"dashboard:overdue:{agency.pk}:{stamp.token if stamp else '-'}:{day.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = _count_overdue(agency, day)
        cache.set(key, found, OVERDUE_CACHE_SECONDS)
    return int(found)


def _count_overdue(agency: Agency, day: dt.date) -> int:
    """Open obligations past due, except that a plan task counts once, as the plan page, its
    timeline and its progress report count it (qms.plans.models.is_overdue: any of its open
    occurrences past due). 1 query."""
    from qms.plans.models import PlanTask, in_force_q
    from qms.plans.services import AGENDA_KIND

    others = Obligation.objects.open().filter(agency=OuterRef("pk"), due_date__lt=day)
    tasks = PlanTask.objects.filter(in_force_q("plan__"), plan__agency=OuterRef("pk"))
    per_task = tasks.overdue(day).order_by().values("plan__agency").annotate(n=Count("pk"))
    found = (
        Agency.objects.filter(pk=agency.pk)
        .annotate(
            others=_count(others.exclude(kind=AGENDA_KIND)),
            tasks=Coalesce(Subquery(per_task.values("n"), output_field=IntegerField()), Value(0)),
        )
        .values_list("others", "tasks")
        .get()
    )
    return sum(found)


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT(*) subquery, 0 when there is no row."""
    counted = queryset.order_by().values("agency").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


@dataclass
class AgencyRow:
    agency: Agency
    unit_count: int
    people_count: int
    member_count: int
    decision_number: int | None
    decision_signed_on: dt.date | None


def agency_rows(agencies: QuerySet[Agency]) -> list[AgencyRow]:
    """One row per agency with its figures, in a single query."""
    day = today()
    decision = (
        CommitteeDecision.objects.filter(agency=OuterRef("pk"), paper__status="issued")
        .annotate(in_force=Coalesce("effective_on", "paper__issued_on"))
        .filter(in_force__lte=day)
        .order_by("-in_force", "-pk")
    )
    seats = CommitteeMember.objects.filter(seat_held_q(day), agency=OuterRef("pk"))
    annotated = agencies.annotate(
        unit_count=_count(Unit.objects.filter(agency=OuterRef("pk"), is_active=True)),
        people_count=_count(
            Membership.objects.filter(agency=OuterRef("pk")).filter(current_membership_q())
        ),
        member_count=_count(seats),
        decision_number=Subquery(decision.values("paper__number")[:1]),
        decision_signed_on=Subquery(decision.values("paper__issued_on")[:1]),
    ).order_by("valid_to", "name")
    return [
        AgencyRow(
            a, a.unit_count, a.people_count, a.member_count, a.decision_number, a.decision_signed_on
        )
        for a in annotated
    ]


def units_with_counts(agency: Agency) -> list[Unit]:
    """Units in tree order (parents before children), each with `depth` and `people`."""
    units = list(
        Unit.objects.filter(agency=agency)
        .annotate(people=Count("memberships", filter=current_membership_q("memberships__")))
        .order_by("order", "name")
    )
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[Unit] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            unit.depth = depth  # type: ignore[attr-defined]
            ordered.append(unit)
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered
