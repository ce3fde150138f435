"""The read side of the internal audit: what pages, the training app and the management review
read. Each function costs a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from qms.audits.models import Audit, AuditorQualification, AuditProgramme, Finding, ProgrammeRow
from qms.organization.models import Agency, Membership, Unit, User

KINDS = [kind for kind, _label in Finding.Kind.choices]


def qualified_auditors(agency: Agency) -> list[User]:
    """Current members of `agency` qualified as internal auditors (two queries): by a
    qualification recorded here, or by a passed internal auditor course of its training with
    a certificate (qms.training)."""
    from qms.training.queries import internal_auditors

    holders = AuditorQualification.objects.filter(agency=agency).values("person_id")
    members = (
        Membership.objects.current()
        .filter(agency=agency, user__is_active=True, user_id__in=holders)
        .select_related("user")
    )
    found = {m.user_id: m.user for m in members}
    found.update({u.pk: u for u in internal_auditors(agency) if u.is_active})
    return sorted(found.values(), key=lambda u: (u.full_name, u.pk))


def programme_of(agency: Agency, year: int) -> AuditProgramme | None:
    return (
        AuditProgramme.objects.filter(agency=agency, year=year)
        .select_related("paper", "paper__agency", "paper__signer", "paper__delegation")
        .first()
    )


def programme_rows(programme: AuditProgramme) -> list[ProgrammeRow]:
    return list(programme.rows.select_related("unit", "procedure", "procedure__owner_unit"))


def uncovered_units(
    programme: AuditProgramme, rows: list[ProgrammeRow] | None = None
) -> list[Unit]:
    """The units in use of the agency that no row of the programme audits, by name or as the
    owner of a procedure audited (two queries, one when the rows are given)."""
    rows = programme_rows(programme) if rows is None else rows
    covered = {r.unit_id for r in rows if r.unit_id} | {
        r.procedure.owner_unit_id for r in rows if r.procedure and r.procedure.owner_unit_id
    }
    units = Unit.objects.filter(agency_id=programme.agency_id, is_active=True).order_by(
        "order", "name"
    )
    return [unit for unit in units if unit.pk not in covered]


def audits(
    agency: Agency, *, year: int | None = None, status: str = "", unit: int | None = None
) -> QuerySet[Audit]:
    rows = Audit.objects.filter(agency=agency).select_related("programme")
    if year is not None:
        rows = rows.filter(starts_on__year=year)
    if status:
        rows = rows.filter(status=status)
    if unit is not None:
        rows = rows.filter(Q(units__pk=unit) | Q(procedures__owner_unit_id=unit)).distinct()
    return rows.annotate(
        finding_count=Count("findings", distinct=True),
        nonconformity_count=Count(
            "findings", filter=Q(findings__kind__in=Finding.NONCONFORMITIES), distinct=True
        ),
    ).order_by("-starts_on", "-pk")


def year_findings(agency: Agency, year: int) -> QuerySet[Finding]:
    return (
        Finding.objects.filter(agency=agency, audit__starts_on__year=year)
        .select_related("audit", "unit", "procedure")
        .order_by("audit__starts_on", "audit_id", "number")
    )


# --- for the management review (ISO 9001 9.3.2 c 6: audit results) ----------------------------


@dataclass
class AuditResult:
    pk: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    held_on: dt.date | None
    status: str
    url: str
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def nonconformities(self) -> int:
        return sum(self.by_kind.get(k, 0) for k in Finding.NONCONFORMITIES)


@dataclass
class UnitResult:
    unit_id: int
    name: str
    url: str
    by_kind: dict[str, int] = field(default_factory=dict)


@dataclass
class ReviewInput:
    start: dt.date
    end: dt.date
    audits: list[AuditResult]
    by_kind: dict[str, int]
    by_unit: list[UnitResult]

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def nonconformities(self) -> int:
        return sum(self.by_kind.get(k, 0) for k in Finding.NONCONFORMITIES)


def for_review(agency: Agency, start: dt.date, end: dt.date) -> ReviewInput:
    """The audits held between `start` and `end` (inclusive) and their findings counted by
    kind and by unit, with links: two queries whatever the number of audits and findings."""
    held = Audit.objects.filter(
        agency=agency,
        held_on__gte=start,
        held_on__lte=end,
        status__in=[Audit.Status.HELD, Audit.Status.REPORTED],
    ).order_by("held_on", "pk")
    results = {
        a.pk: AuditResult(
            a.pk,
            a.title,
            a.starts_on,
            a.ends_on,
            a.held_on,
            a.status,
            reverse("audits:detail", args=[agency.pk, a.pk]),
        )
        for a in held.only("pk", "title", "starts_on", "ends_on", "held_on", "status", "agency_id")
    }
    counts = (
        Finding.objects.filter(audit__in=held.values("pk"))
        .values("audit_id", "unit_id", "unit__name", "kind")
        .annotate(n=Count("pk"))
        .order_by("unit__name", "unit_id")
    )
    by_kind: dict[str, int] = dict.fromkeys(KINDS, 0)
    units: dict[int, UnitResult] = {}
    list_url = reverse("audits:list", args=[agency.pk])
    for row in counts:
        kind, n = row["kind"], row["n"]
        by_kind[kind] += n
        audit = results[row["audit_id"]]
        audit.by_kind[kind] = audit.by_kind.get(kind, 0) + n
        unit = units.setdefault(
            row["unit_id"],
            UnitResult(row["unit_id"], row["unit__name"], f"{list_url}?unit={row['unit_id']}"),
        )
        unit.by_kind[kind] = unit.by_kind.get(kind, 0) + n
    return ReviewInput(start, end, list(results.values()), by_kind, list(units.values()))


def counts_by_kind(findings: list[Finding]) -> dict[str, int]:
    counted: dict[str, int] = defaultdict(int)
    for finding in findings:
        counted[finding.kind] += 1
    return {kind: counted.get(kind, 0) for kind in KINDS}
