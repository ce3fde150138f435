"""Read-side questions about documents, answered in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery

from qms.agenda.models import Obligation
from qms.documents.models import (
    PROCEDURE_KINDS,
    Citation,
    Document,
    LegalBasisReview,
    ReadConfirmation,
    ReadRequirement,
    Revision,
)
from qms.organization.models import Agency, Membership, Unit, User, current_membership_q

# The agenda kind of "read this revision in force" (one obligation per reader).
READING_KIND = "documents.reading"


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


def required_readers(revision: Revision) -> dict[int, dt.date]:
    """user id → the day from which each current member named by the revision's read
    requirements must read it (the earliest requirement naming them): 2 queries."""
    requirements = list(revision.read_requirements.all())
    condition = readers_q(requirements)
    if condition is None:
        return {}
    memberships = (
        Membership.objects.filter(current_membership_q(), agency_id=revision.document.agency_id)
        .filter(condition, user__is_active=True)
        .prefetch_related("role_grants")
        .distinct()
    )
    readers: dict[int, dt.date] = {}
    for membership in memberships:
        roles = set(membership.role_codes)
        for requirement in requirements:
            if (
                (requirement.unit_id and requirement.unit_id == membership.unit_id)
                or (requirement.role and requirement.role in roles)
                or (requirement.person_id and requirement.person_id == membership.user_id)
            ):
                since = readers.get(membership.user_id)
                if since is None or requirement.added_on < since:
                    readers[membership.user_id] = requirement.added_on
    return readers


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


def unread(agency: Agency, unit_id: int | None = None) -> QuerySet[Obligation]:
    """ "Chưa đọc": every reading still open in the agency, across all documents, with the
    reader's unit (`reader_unit_name`), ordered by unit, person and due date; one query per
    page whatever the number of documents or readers."""
    member = Membership.objects.filter(user_id=OuterRef("owner_person_id"), agency=agency)
    rows = (
        Obligation.objects.filter(
            agency=agency,
            kind=READING_KIND,
            state=Obligation.State.OPEN,
            owner_person__isnull=False,
        )
        .annotate(
            reader_unit_id=Subquery(member.values("unit_id")[:1]),
            reader_unit_name=Subquery(member.values("unit__name")[:1]),
        )
        .select_related("owner_person")
    )
    if unit_id is not None:
        rows = rows.filter(Exists(member.filter(unit_id=unit_id)))
    return rows.order_by(
        F("reader_unit_name").asc(nulls_last=True), "owner_person__full_name", "due_date", "pk"
    )


def unread_by_unit(agency: Agency, day: dt.date) -> list[dict[str, object]]:
    """Per unit: the readings still open and how many are overdue (1 query)."""
    return list(
        unread(agency)
        .order_by()
        .values("reader_unit_id", "reader_unit_name")  # type: ignore[misc]  # annotations of unread
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=day)),
            readers=Count("owner_person_id", distinct=True),
        )
        .order_by(F("reader_unit_name").asc(nulls_last=True))
    )


def legal_updates_on_time(agency: Agency, start: dt.date, end: dt.date) -> float | None:
    """Of the documents whose update after a legal change fell due in the period (3 months
    from the change taking effect, QĐ 19/2014 Art. 4.4(a)), the share updated by that date, in
    per cent; None when nothing fell due (one query)."""
    due = Citation.objects.filter(agency=agency, due_on__range=(start, end)).aggregate(
        total=Count("pk"), on_time=Count("pk", filter=Q(resolved_on__lte=F("due_on")))
    )
    if not due["total"]:
        return None
    return 100.0 * due["on_time"] / due["total"]
