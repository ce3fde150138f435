"""Read-side helpers: the figures of dashboards and lists, each a fixed number of queries
whatever the number of rows (asserted in the tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import models
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
    """Figures of one agency's home page (9 queries; 10 when the overdue count is not in the
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
    }


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
        found = Obligation.objects.open().filter(agency=agency, due_date__lt=day).count()
        cache.set(key, found, OVERDUE_CACHE_SECONDS)
    return int(found)


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


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    kind: str
    changes: list[Change]
    created: bool


def _display(field: models.Field, value: Any, names: dict[tuple[Any, Any], str]) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value}")
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _related_names(model: type[models.Model], records: list[Any]) -> dict[tuple[Any, Any], str]:
    """Names of every object the history points to: one query per related model."""
    names: dict[tuple[Any, Any], str] = {}
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.related_model is None:
            continue
        ids = {getattr(r, field.attname) for r in records} - {None}
        if ids:
            for obj in field.related_model._default_manager.filter(pk__in=ids):
                names[(field.related_model, obj.pk)] = str(obj)
    return names


def _value(record: Any, field: models.Field) -> Any:
    return None if record is None else getattr(record, field.attname)


def history_entries(obj: Any) -> list[HistoryEntry]:
    """Every version of `obj` (a model with HistoricalRecords), newest first, each with the
    fields it changed."""
    records = list(obj.history.select_related("history_user").order_by("history_date", "pk"))
    model = type(obj)
    names = _related_names(model, records)
    fields = [f for f in model._meta.concrete_fields if f.name not in {"id", "password"}]
    entries, previous = [], None
    for record in records:
        changes = [
            Change(
                str(f.verbose_name),
                _display(f, _value(previous, f), names),
                _display(f, _value(record, f), names),
            )
            for f in fields
            if _value(previous, f) != _value(record, f)
        ]
        entries.append(
            HistoryEntry(
                record.history_date,
                str(record.history_user or "—"),
                record.get_history_type_display(),
                changes,
                record.history_type == "+",
            )
        )
        previous = record
    entries.reverse()
    return entries


# Role grants written by one call of services.set_roles share one history date; older grants
# (written before that rule) are grouped when the same person saved them within this window.
ROLE_STEP_WINDOW = dt.timedelta(seconds=2)


def membership_history(membership: Membership) -> list[HistoryEntry]:
    """The membership's history with its role changes as steps of their own, each read
    old → new (e.g. "Vai trò: Thư ký ISO → Thư ký ISO, Lãnh đạo"), newest first. The roles
    given when the person was added show in the creation step (2 queries)."""
    from django.utils.translation import gettext as _

    entries = history_entries(membership)
    records = list(
        RoleGrant.history.filter(membership_id=membership.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    steps: list[list[Any]] = []
    for record in records:
        last = steps[-1] if steps else None
        if (
            last is not None
            and record.history_user_id == last[0].history_user_id
            and record.history_date - last[0].history_date <= ROLE_STEP_WINDOW
        ):
            last.append(record)
        else:
            steps.append([record])
    created = next((e for e in entries if e.created), None)
    kinds = dict(type(membership).history.model._meta.get_field("history_type").flatchoices)
    changed = str(kinds["~"])  # the word the other steps use, "Changed"
    roles: set[str] = set()
    label = _("Roles")
    for step in steps:
        old = set(roles)
        for record in step:
            (roles.add if record.history_type == "+" else roles.discard)(record.role)
        if old == roles:
            continue
        change = Change(label, _role_labels(old), _role_labels(roles))
        first = step[0]
        if (
            not old
            and created is not None
            and abs(first.history_date - created.when) <= ROLE_STEP_WINDOW
        ):
            created.changes.append(change)
            continue
        who = str(first.history_user or "—")
        entries.append(HistoryEntry(first.history_date, who, changed, [change], False))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _role_labels(codes: set[str]) -> str:
    ordered = [role for role in Role if role.value in codes]
    return ", ".join(str(role.label) for role in ordered) or "—"
