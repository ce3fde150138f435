"""Builders for the audits tests (public: other apps' tests may use them)."""

from __future__ import annotations

import datetime as dt

from qms.audits import services
from qms.audits.models import Audit, AuditorQualification, AuditProgramme, Finding, ProgrammeRow
from qms.organization.models import Agency, Unit, User, today
from qms.paperwork import services as paperwork

D = dt.date
START, END = D(2026, 6, 10), D(2026, 6, 12)


def office(agency: Agency) -> Unit:
    return Unit.objects.get(agency=agency, name="Văn phòng Sở")


def division(agency: Agency, name: str = "Phòng Quản lý xây dựng") -> Unit:
    return Unit.objects.get_or_create(agency=agency, name=name)[0]


def qualify(agency: Agency, user: User, number: str = "CC-01/2025") -> AuditorQualification:
    return services.record_qualification(
        AuditorQualification(
            agency=agency,
            person=user,
            certificate_number=number,
            issued_by="Trung tâm Năng suất Việt Nam",
            issued_on=D(2025, 5, 20),
        ),
        user,
    )


def programme(agency: Agency, year: int = 2026, units: list[Unit] | None = None) -> AuditProgramme:
    made = services.create_programme(agency, year)
    for unit in units or []:
        services.save_row(made, ProgrammeRow(unit=unit, months=[6]))
    return made


def audit(
    agency: Agency,
    units: list[Unit],
    *,
    clauses: list[str] | None = None,
    title: str = "Đánh giá nội bộ đợt 1",
    starts_on: dt.date = START,
    ends_on: dt.date = END,
    kind: str = Audit.Kind.INTERNAL,
) -> Audit:
    found = programme(agency, starts_on.year)
    made = Audit(
        agency=agency,
        programme=found,
        title=title,
        kind=kind,
        clauses=clauses if clauses is not None else ["7.5", "9.2"],
        starts_on=starts_on,
        ends_on=ends_on,
    )
    return services.save_audit(made, units, [])


def sign(record, cast, day: dt.date, number: int | None = None) -> None:  # type: ignore[no-untyped-def]
    """The record's paper signed by the head: named, submitted by the secretary, issued (under
    the next free number unless one is given)."""
    paper = record.paper
    paperwork.save_draft(paper, signer=cast.users["head"], signer_name="Nguyễn Văn Head")
    paperwork.offer_for_signature(record, cast.users["secretary"])
    number = number or paperwork.next_number(paper.agency, paper.issuer, day.year)
    paperwork.issue(paper, number=number, issued_on=day, by=cast.users["head"])


def planned(cast, units: list[Unit] | None = None, lead: User | None = None, **fields) -> Audit:  # type: ignore[no-untyped-def]
    """An audit of the office led by `lead` (the cast's internal auditor), its plan signed."""
    agency = cast.a
    lead = lead or cast.users["auditor"]
    if not AuditorQualification.objects.filter(agency=agency, person=lead).exists():
        qualify(agency, lead)
    made = audit(agency, units or [office(agency)], **fields)
    services.add_member(made, lead, is_lead=True)
    plan = services.draft_plan(made)
    sign(plan, cast, min(made.starts_on - dt.timedelta(days=5), today()))
    made.refresh_from_db()
    return made


def finding(audit: Audit, by: User, kind: str = "minor", **fields) -> Finding:  # type: ignore[no-untyped-def]
    made = Finding(
        audit=audit,
        agency=audit.agency,
        kind=kind,
        clause=fields.pop("clause", "7.5"),
        unit=fields.pop("unit", None) or audit.units.first(),
        description=fields.pop(
            "description", "Hồ sơ giải quyết TTHC chưa lưu đủ phiếu kiểm soát quá trình."
        ),
        **fields,
    )
    return services.save_finding(made, by)


def held(cast, **fields) -> Audit:  # type: ignore[no-untyped-def]
    made = planned(cast, **fields)
    from qms.organization.access import access_for

    return services.hold(made, access_for(cast.users["secretary"], cast.a))
