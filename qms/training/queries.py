"""The read side of training other apps call: coverage of a session, the share of staff
trained (a computed objective source), the people qualified as internal auditors by training
(the audit app reads it when choosing a team), and who needs re-training on a procedure
since a newer revision came into force. Each is a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery

from qms.documents.models import Revision
from qms.organization.models import Agency, Membership, RoleGrant, Unit, User
from qms.organization.models import Role as R
from qms.training.models import Certificate, Course, Nominee, TrainingSession

ATTENDED = Nominee.Attendance.ATTENDED
HELD = TrainingSession.Status.HELD
# Roles whose holders are not the agency's staff: they read, they are not trained by it.
OUTSIDERS = (R.INVITED_EXPERT, R.PROVINCE_OVERSEER)


def percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 1)


@dataclass(frozen=True)
class UnitCoverage:
    unit: Unit
    target: int
    attended: int

    @property
    def percent(self) -> float | None:
        return percent(min(self.attended, self.target), self.target)


@dataclass(frozen=True)
class Coverage:
    units: list[UnitCoverage]
    target: int
    attended: int

    @property
    def percent(self) -> float | None:
        return percent(min(self.attended, self.target), self.target)


def staff(agency: Agency) -> QuerySet[Membership]:
    """The agency's current staff: current memberships of active people, less invited
    experts and the province's overseers."""
    outsiders = RoleGrant.objects.filter(membership=OuterRef("pk"), role__in=OUTSIDERS)
    return (
        Membership.objects.current()
        .filter(agency=agency, user__is_active=True)
        .exclude(Exists(outsiders))
    )


def coverage(session: TrainingSession) -> Coverage:
    """Attended / target per invited unit and overall, in per cent. The target is every
    current staff member of the invited units ("all staff"), or the people nominated
    ("named"). Three queries: the units, the nominees by unit, the staff by unit."""
    units = list(session.invited_units.order_by("order", "name"))
    ids = [u.pk for u in units]
    nominated: Counter[int] = Counter()
    attended: Counter[int] = Counter()
    rows = (
        session.nominees.filter(unit_id__in=ids)
        .values("unit_id", "attendance")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        nominated[row["unit_id"]] += row["n"]
        if row["attendance"] == ATTENDED:
            attended[row["unit_id"]] += row["n"]
    if session.audience == TrainingSession.Audience.ALL_STAFF:
        counts = (
            staff(session.agency)
            .filter(unit_id__in=ids)
            .values("unit_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        target = Counter({row["unit_id"]: row["n"] for row in counts})
    else:
        target = nominated
    per_unit = [UnitCoverage(u, target[u.pk], attended[u.pk]) for u in units]
    return Coverage(
        per_unit,
        sum(c.target for c in per_unit),
        sum(min(c.attended, c.target) for c in per_unit),
    )


def staff_trained(agency: Agency, start: dt.date, end: dt.date) -> float | None:
    """Share of the agency's current staff who attended at least one session held that ends
    in [start, end], in per cent; None when the agency has no staff or held no session
    ending in the period (no data). Two queries."""
    sessions = TrainingSession.objects.filter(
        agency=agency, status=HELD, ends_on__gte=start, ends_on__lte=end
    )
    trained = Nominee.objects.filter(
        session__in=sessions, attendance=ATTENDED, person=OuterRef("user")
    )
    if not sessions.exists():
        return None
    counts = staff(agency).aggregate(
        total=Count("pk"), trained=Count("pk", filter=Q(Exists(trained)))
    )
    return percent(counts["trained"], counts["total"])


def qualified_q() -> Q:
    """A nomination that qualifies as internal auditor: a held internal auditor course,
    attended, passed, with a certificate."""
    certificates = Certificate.objects.filter(nominee=OuterRef("pk"))
    return Q(
        Exists(certificates),
        session__status=HELD,
        session__course__kind=Course.Kind.INTERNAL_AUDITOR,
        attendance=ATTENDED,
        result=Nominee.Result.PASSED,
    )


def internal_auditors(agency: Agency) -> list[User]:
    """Current members of `agency` qualified as internal auditors by its training: a passed
    internal auditor course with a certificate. One query, by name."""
    qualified = Nominee.objects.filter(
        qualified_q(), session__agency=agency, person=OuterRef("user")
    )
    members = staff(agency).filter(Exists(qualified)).select_related("user")
    return [m.user for m in members.order_by("user__full_name", "pk")]


@dataclass(frozen=True)
class Retraining:
    person_id: int
    person_name: str
    document_id: int
    code: str
    title: str
    trained_no: int
    in_force_no: int


def retraining(
    agency: Agency, *, person: User | None = None, course: Course | None = None
) -> list[Retraining]:
    """People trained on a revision of a document which now has a newer revision in force
    (and who were not trained on that one): "needs re-training". For one person, or for the
    people and documents of one course. One query."""
    # One filter() call: every condition on the session's revisions uses the same join.
    where = Q(
        session__agency=agency,
        session__status=HELD,
        attendance=ATTENDED,
        session__revisions__isnull=False,
    )
    if person is not None:
        where &= Q(person=person)
    if course is not None:
        of_course = Nominee.objects.filter(session__course=course, attendance=ATTENDED)
        covered = Revision.objects.filter(
            pk__in=TrainingSession.revisions.through.objects.filter(
                trainingsession__course=course
            ).values("revision_id")
        ).values("document_id")
        where &= Q(person__in=of_course.values("person_id"))
        where &= Q(session__revisions__document__in=covered)
    rows = Nominee.objects.filter(where)
    issued = Q(session__revisions__document__revisions__status=Revision.Status.ISSUED)
    grouped = (
        rows.values(
            "person_id",
            "person__full_name",
            "session__revisions__document_id",
            "session__revisions__document__code",
            "session__revisions__document__title",
        )
        .annotate(
            trained_no=Max("session__revisions__revision_no"),
            in_force_no=Max("session__revisions__document__revisions__revision_no", filter=issued),
        )
        .filter(in_force_no__gt=F("trained_no"))
        .order_by("person__full_name", "session__revisions__document__code")
    )
    return [
        Retraining(
            r["person_id"],
            r["person__full_name"],
            r["session__revisions__document_id"],
            r["session__revisions__document__code"],
            r["session__revisions__document__title"],
            r["trained_no"],
            r["in_force_no"],
        )
        for r in grouped
    ]


@dataclass(frozen=True)
class TrainedRevision:
    revision: Revision
    needs_retraining: bool
    in_force_no: int | None


def trained_revisions(agency: Agency, person: User) -> list[TrainedRevision]:
    """The procedure revisions `person` was trained on (held sessions attended), newest per
    document first, each marked when a newer revision is now in force. One query."""
    in_force = Revision.objects.filter(
        document=OuterRef("document"), status=Revision.Status.ISSUED
    ).values("revision_no")[:1]
    revisions = (
        Revision.objects.filter(
            pk__in=TrainingSession.revisions.through.objects.filter(
                trainingsession__agency=agency,
                trainingsession__status=HELD,
                trainingsession__nominees__person=person,
                trainingsession__nominees__attendance=ATTENDED,
            ).values("revision_id")
        )
        .select_related("document")
        .annotate(in_force_no=Subquery(in_force))
        .order_by("document__code", "-revision_no")
    )
    latest: dict[int, int] = {}
    found = []
    for revision in revisions:
        best = latest.setdefault(revision.document_id, revision.revision_no)
        in_force_no = revision.in_force_no  # type: ignore[attr-defined]
        stale = in_force_no is not None and in_force_no > best
        found.append(TrainedRevision(revision, stale, in_force_no))
    return found
