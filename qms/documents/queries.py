"""Read-side questions about documents, answered in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Q, QuerySet

from qms.documents.models import (
    PROCEDURE_KINDS,
    Document,
    LegalBasisReview,
    ReadConfirmation,
    ReadRequirement,
    Revision,
)
from qms.organization.models import Agency, Membership, Unit, User, current_membership_q


def units_owning_procedures(agency: Agency) -> list[Unit]:
    """Active units that own at least one procedure in force."""
    return list(
        Unit.objects.filter(
            agency=agency,
            is_active=True,
            documents__kind__in=PROCEDURE_KINDS,
            documents__status=Document.Status.IN_FORCE,
        )
        .distinct()
        .order_by("name")
    )


def last_legal_reviews(agency: Agency) -> dict[int, dt.date]:
    """unit id → date of its latest legal-basis review."""
    rows = (
        LegalBasisReview.objects.filter(agency=agency)
        .values("unit_id")
        .annotate(last=Max("reviewed_on"))
        .order_by()
    )
    return {row["unit_id"]: row["last"] for row in rows}


def readers_q(requirements: list[ReadRequirement]) -> Q | None:
    """Memberships a revision's read requirements name, as one filter."""
    condition: Q | None = None
    for requirement in requirements:
        if requirement.unit_id:
            part = Q(unit_id=requirement.unit_id)
        elif requirement.role:
            part = Q(role_grants__role=requirement.role)
        else:
            part = Q(user_id=requirement.person_id)
        condition = part if condition is None else condition | part
    return condition


@dataclass
class UnitReading:
    """Who in one unit must read the revision, and who has confirmed."""

    unit_name: str
    readers: list[User] = field(default_factory=list)
    confirmed: set[int] = field(default_factory=set)

    @property
    def missing(self) -> list[User]:
        return [u for u in self.readers if u.pk not in self.confirmed]


def reading_by_unit(revision: Revision, requirements: list[ReadRequirement]) -> list[UnitReading]:
    """Required readers (named by `requirements`, the revision's) grouped by unit, with who
    has confirmed: two queries."""
    condition = readers_q(requirements)
    if condition is None:
        return []
    memberships: QuerySet[Membership] = (
        Membership.objects.filter(current_membership_q(), agency_id=revision.document.agency_id)
        .filter(condition)
        .select_related("user", "unit")
        .order_by("unit__name", "user__full_name")
        .distinct()
    )
    confirmed = set(
        ReadConfirmation.objects.filter(revision=revision).values_list("user_id", flat=True)
    )
    groups: dict[str, UnitReading] = {}
    seen: set[int] = set()
    for membership in memberships:
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        name = membership.unit.name if membership.unit else "—"
        group = groups.setdefault(name, UnitReading(name))
        group.readers.append(membership.user)
        if membership.user_id in confirmed:
            group.confirmed.add(membership.user_id)
    return list(groups.values())


def must_read(revision: Revision, user: User, requirements: list[ReadRequirement]) -> bool:
    """Whether `user` is among the readers `requirements` (the revision's) name."""
    condition = readers_q(requirements)
    if condition is None:
        return False
    return (
        Membership.objects.filter(current_membership_q(), agency_id=revision.document.agency_id)
        .filter(condition, user=user)
        .exists()
    )
