"""Every write of the internal audit, with its side effects: the register of outgoing
documents (programme, plan, report), the inbox (the plan reaches the audited units and the
team), the agenda (the audit's dates), the plans (the event "internal_audit_held"). Views and
the demo call these; nothing else writes the tables.

Rules, each in one place: `check_independence` (no auditor audits their own unit),
`check_qualified` (every team member holds a qualification), `_require_open` (a signed report
locks the audit and its findings)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.agenda import inbox, people, registry
from qms.audits import clauses, queries
from qms.audits.models import (
    Answer,
    Audit,
    AuditorQualification,
    AuditPlan,
    AuditProgramme,
    AuditReport,
    ChecklistItem,
    Finding,
    FindingFile,
    ProgrammeRow,
    Question,
    QuestionBank,
    TeamMember,
)
from qms.audits.workflows import AUDIT_FLOW
from qms.documents.models import Document
from qms.lib.uploads import CheckedUpload
from qms.lib.workflow import Actor
from qms.organization.models import Agency, Membership, Unit, User
from qms.paperwork import services as paperwork

S = Audit.Status
HELD_EVENT = "internal_audit_held"
PLAN_KIND = "audits.plan"  # inbox: the audit plan reached an audited unit or the team
AUDIT_KIND = "audits.audit"  # agenda: the audit's dates
RECIPIENTS = "Ban Chỉ đạo ISO\nCác phòng, đơn vị được đánh giá\nĐoàn đánh giá nội bộ"


def _prefix(audit: Audit) -> str:
    return f"audits.audit:{audit.pk}"


# --- the programme ---------------------------------------------------------------------------


@transaction.atomic
def create_programme(agency: Agency, year: int) -> AuditProgramme:
    """The year's programme, drafted once for the head's signature."""
    found = AuditProgramme.objects.filter(agency=agency, year=year).first()
    if found is not None:
        return found
    paper = paperwork.new_paper(
        agency,
        AuditProgramme,
        subject=f"Chương trình đánh giá nội bộ năm {year}",
        signer_position=agency.head_title,
        recipients=RECIPIENTS,
    )
    programme = AuditProgramme.objects.create(agency=agency, year=year, paper=paper)
    paperwork.link(paper, programme)
    return programme


def _require_draft(programme: AuditProgramme) -> None:
    if not programme.is_editable:
        raise ValidationError(
            _("The programme has been submitted for signature or issued: it no longer changes.")
        )


def clean_months(months: Iterable[object]) -> list[int]:
    chosen = sorted({int(str(m)) for m in months if str(m).isdigit() and 1 <= int(str(m)) <= 12})
    if not chosen:
        raise ValidationError(_("Choose at least one month."))
    return chosen


@transaction.atomic
def save_row(programme: AuditProgramme, row: ProgrammeRow) -> ProgrammeRow:
    """A unit or a procedure audited in the months chosen."""
    _require_draft(programme)
    row.programme = programme
    agency_id = programme.agency_id
    if row.unit_id is None and row.procedure_id is None:
        raise ValidationError(_("Choose a unit or a procedure."))
    if row.unit is not None and row.unit.agency_id != agency_id:
        raise ValidationError(_("Choose a unit of the agency."))
    if row.procedure is not None and row.procedure.agency_id != agency_id:
        raise ValidationError(_("Choose a procedure of the agency."))
    row.months = clean_months(row.months)
    if row.pk is None:
        row.order = (programme.rows.aggregate(n=Max("order"))["n"] or 0) + 1
    row.save()
    return row


@transaction.atomic
def remove_row(row: ProgrammeRow) -> None:
    """A row of a draft programme taken out (nothing cites it; the history keeps it)."""
    _require_draft(row.programme)
    row.delete()


def check_programme_issue(programme: AuditProgramme) -> None:
    if not programme.rows.exists():
        raise ValidationError(_("Add the units or procedures to audit before issuing."))


# --- auditors --------------------------------------------------------------------------------


def _member_of(agency: Agency, person: User) -> bool:
    return Membership.objects.current().filter(agency=agency, user=person).exists()


@transaction.atomic
def record_qualification(
    qualification: AuditorQualification, by: User, file: CheckedUpload | None = None
) -> AuditorQualification:
    if not _member_of(qualification.agency, qualification.person):
        raise ValidationError(_("Choose a person of the agency."))
    if qualification.issued_on > timezone.localdate():
        raise ValidationError(_("A certificate cannot be dated after today."))
    qualification.recorded_by = by
    if file is not None:
        qualification.file.save(f"{file.sha256}{file.extension}", file.file, save=False)
        qualification.file_name = (file.file.name or "")[:255]
    qualification.save()
    return qualification


# --- the audit, its scope and team -----------------------------------------------------------


def _require_open(audit: Audit) -> None:
    """The one lock: once its report is signed, an audit and its findings no longer change."""
    if audit.is_locked:
        raise ValidationError(
            _(
                "The report of this audit has been signed: the audit and its findings no "
                "longer change."
            )
        )


def _require_planning(audit: Audit) -> None:
    _require_open(audit)
    if audit.status != S.DRAFT:
        raise ValidationError(
            _("The audit plan has been issued: its scope, criteria and team no longer change.")
        )


def audited_unit_ids(audit: Audit) -> set[int]:
    """The units in the scope: those named and the owners of the procedures named."""
    ids = set(audit.units.values_list("pk", flat=True))
    owners = audit.procedures.exclude(owner_unit__isnull=True).values_list("owner_unit", flat=True)
    return ids | {pk for pk in owners if pk is not None}


def check_independence(audit: Audit, persons: Sequence[User], unit_ids: set[int]) -> None:
    """No auditor audits their own unit (ISO 9001 9.2.2 c: objectivity and impartiality)."""
    if not persons or not unit_ids:
        return
    own = (
        Membership.objects.current()
        .filter(agency_id=audit.agency_id, user__in=persons, unit_id__in=unit_ids)
        .select_related("user", "unit")
        .order_by("user__full_name", "unit__name")
    )
    clash = own.first()
    if clash is not None:
        assert clash.unit is not None
        raise ValidationError(
            _("%(person)s cannot audit %(unit)s: it is their own unit.")
            % {"person": clash.user.full_name, "unit": clash.unit.name}
        )


def check_qualified(agency: Agency, persons: Sequence[User]) -> None:
    """Every member of a team holds an internal-auditor qualification."""
    qualified = {user.pk for user in queries.qualified_auditors(agency)}
    for person in persons:
        if person.pk not in qualified:
            raise ValidationError(
                _(
                    "%(person)s holds no internal-auditor qualification: record it under "
                    "“Auditor qualifications” first."
                )
                % {"person": person.full_name}
            )


def _check_audit(audit: Audit, units: Sequence[Unit], procedures: Sequence[Document]) -> None:
    errors: dict[str, str] = {}
    year = audit.programme.year
    if audit.programme.agency_id != audit.agency_id:
        errors["programme"] = _("Choose a programme of the agency.")
    if audit.starts_on and audit.ends_on and audit.ends_on < audit.starts_on:
        errors["ends_on"] = _("The audit cannot end before it starts.")
    if audit.starts_on and audit.starts_on.year != year:
        errors["starts_on"] = _("The audit falls in the year of its programme (%(year)s).") % {
            "year": year
        }
    if any(u.agency_id != audit.agency_id for u in units) or any(
        d.agency_id != audit.agency_id for d in procedures
    ):
        errors["units"] = _("Choose units and procedures of the agency.")
    elif not units and not procedures:
        errors["units"] = _("Choose at least one unit or procedure to audit.")
    unknown = [code for code in audit.clauses if code not in clauses.clauses()]
    if unknown:
        errors["clauses"] = _("Unknown clause: %(codes)s.") % {"codes": ", ".join(unknown)}
    elif not audit.clauses and not procedures:
        errors["clauses"] = _(
            "Choose the clauses of the standard or the procedures audited against."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_audit(audit: Audit, units: Sequence[Unit], procedures: Sequence[Document]) -> Audit:
    """Create an audit of the programme, or change its scope, criteria and dates while it is
    being planned; the team already chosen must stay independent of the new scope."""
    if audit.pk is not None:
        stored = Audit.objects.select_for_update().get(pk=audit.pk)
        _require_planning(stored)
    audit.clauses = clauses.ordered(list(audit.clauses))
    _check_audit(audit, units, procedures)
    audit.save()
    audit.units.set(units)
    audit.procedures.set(procedures)
    team = [m.person for m in audit.team.select_related("person")]
    check_independence(audit, team, audited_unit_ids(audit))
    return audit


@transaction.atomic
def add_member(audit: Audit, person: User, *, is_lead: bool = False) -> TeamMember:
    """A qualified, independent person of the agency joins the team; a new lead replaces
    the former lead, who stays a member."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _require_planning(audit)
    if not _member_of(audit.agency, person):
        raise ValidationError(_("Choose a person of the agency."))
    if audit.team.filter(person=person).exists():
        raise ValidationError(
            _("%(person)s is already on the team.") % {"person": person.full_name}
        )
    check_qualified(audit.agency, [person])
    check_independence(audit, [person], audited_unit_ids(audit))
    if is_lead:
        for lead in audit.team.filter(is_lead=True):
            lead.is_lead = False
            lead.save(update_fields=["is_lead"])
    return TeamMember.objects.create(audit=audit, person=person, is_lead=is_lead)


@transaction.atomic
def remove_member(member: TeamMember) -> None:
    """Taken off the team while the audit is being planned (the history keeps the seat)."""
    _require_planning(member.audit)
    member.delete()


# --- the audit plan ----------------------------------------------------------------------------


@transaction.atomic
def draft_plan(audit: Audit) -> AuditPlan:
    found = AuditPlan.objects.filter(audit=audit).select_related("paper").first()
    if found is not None:
        return found
    _require_planning(audit)
    paper = paperwork.new_paper(
        audit.agency,
        AuditPlan,
        subject=f"Đánh giá nội bộ hệ thống quản lý chất lượng: {audit.title}",
        signer_position=audit.agency.head_title,
        recipients=RECIPIENTS,
    )
    plan = AuditPlan.objects.create(agency=audit.agency, audit=audit, paper=paper)
    paperwork.link(paper, plan)
    return plan


def check_plan_issue(audit: Audit, issued_on: dt.date) -> None:
    """The plan names a lead auditor; its team is qualified and independent; it is signed
    before the audit starts."""
    _require_planning(audit)
    team = list(audit.team.select_related("person"))
    if not any(m.is_lead for m in team):
        raise ValidationError(_("Name the lead auditor before issuing the audit plan."))
    persons = [m.person for m in team]
    check_qualified(audit.agency, persons)
    check_independence(audit, persons, audited_unit_ids(audit))
    if issued_on > audit.starts_on:
        raise ValidationError(
            _("The audit plan is signed before the audit starts (%(day)s).")
            % {"day": f"{audit.starts_on:%d/%m/%Y}"}
        )


def plan_issued(audit: Audit, by: User | None) -> None:
    """The plan is signed: it waits at once in the inbox of the audited units' heads and
    of the team; the audit's dates go on the agenda."""
    audit.status = S.PLANNED
    audit.save(update_fields=["status"])
    heads = people.unit_heads(audit.agency, audited_unit_ids(audit))
    users = {u.pk: u for group in heads.values() for u in group}
    users.update({m.person_id: m.person for m in audit.team.select_related("person")})
    inbox.assign(
        audit.agency,
        f"{_prefix(audit)}:plan",
        list(users.values()),
        kind=PLAN_KIND,
        title=f"Kế hoạch đánh giá nội bộ: {audit.title} "
        f"({audit.starts_on:%d/%m/%Y} – {audit.ends_on:%d/%m/%Y})",
        url=audit.get_absolute_url(),
        due_date=audit.starts_on,
    )
    sync_agenda(audit)


def sync_agenda(audit: Audit) -> None:
    """The audit's days on the agenda of each audited unit and of the lead auditor."""
    if audit.status == S.DRAFT:
        registry.sync(audit.agency, _prefix(audit), [])
        return
    state = "open" if audit.status == S.PLANNED else "done"
    title = f"Đánh giá nội bộ: {audit.title}"
    items = [
        registry.Item(
            key=f"unit:{unit_id}",
            kind=AUDIT_KIND,
            title=title,
            url=audit.get_absolute_url(),
            due_date=audit.ends_on,
            start_date=audit.starts_on,
            state=state,
            owner_unit_id=unit_id,
        )
        for unit_id in sorted(audited_unit_ids(audit))
    ]
    lead = audit.team.filter(is_lead=True).first()
    if lead is not None:
        items.append(
            registry.Item(
                key="lead",
                kind=AUDIT_KIND,
                title=title,
                url=audit.get_absolute_url(),
                due_date=audit.ends_on,
                start_date=audit.starts_on,
                state=state,
                owner_person_id=lead.person_id,
            )
        )
    registry.sync(audit.agency, _prefix(audit), items)


# --- holding the audit -----------------------------------------------------------------------


@transaction.atomic
def hold(audit: Audit, actor: Actor) -> Audit:
    """The audit has been held: the plan event "internal_audit_held" is recorded on the
    agency's plans of the year, so the tasks timed after it get their due dates."""
    audit = Audit.objects.select_for_update().select_related("agency").get(pk=audit.pk)
    AUDIT_FLOW.advance(audit, "hold", actor)
    audit.held_on = audit.ends_on
    audit.save(update_fields=["status", "held_on"])
    if audit.kind == Audit.Kind.INTERNAL:  # a mock audit is not the year's internal audit
        _record_plan_event(audit, actor.user)
    inbox.complete(f"{_prefix(audit)}:plan", by=actor.user)
    sync_agenda(audit)
    return audit


def held_audits(agency: Agency) -> Any:
    """The agency's audits held, newest first: the records that fulfil a plan's audit task."""
    return Audit.objects.filter(agency=agency, held_on__isnull=False).order_by("-held_on", "-pk")


MOCK_DAYS_BEFORE_NOTICE = 15  # the seeds' plans: "đánh giá thử" 15 days before the notice


def mock_audit_day(agency: Agency, year: int) -> dt.date | None:
    """When the mock audit falls: 15 days before the province's inspection notice recorded on
    the agency's plans of `year` (the plan event "inspection_notice"); None before it is."""
    from qms.plans.models import Plan, PlanEvent, covers_q

    plans = Plan.objects.filter(covers_q(year), agency=agency)
    notice = (
        PlanEvent.objects.filter(event="inspection_notice", plan__in=plans)
        .order_by("occurred_on")
        .values_list("occurred_on", flat=True)
        .first()
    )
    return None if notice is None else notice - dt.timedelta(days=MOCK_DAYS_BEFORE_NOTICE)


def _record_plan_event(audit: Audit, by: User) -> None:
    from qms.plans import services as plans
    from qms.plans.models import Plan, covers_q

    assert audit.held_on is not None
    note = _("Internal audit: %(title)s") % {"title": audit.title}
    for plan in Plan.objects.filter(covers_q(audit.held_on.year), agency=audit.agency).exclude(
        status=Plan.Status.CLOSED
    ):
        plans.record_event(plan, HELD_EVENT, audit.held_on, by, note)


# --- question banks and checklists -----------------------------------------------------------


@transaction.atomic
def save_bank(bank: QuestionBank) -> QuestionBank:
    if bank.clause and bank.clause not in clauses.clauses():
        raise ValidationError({"clause": _("Choose a clause of the standard.")})
    if not bank.clause and bank.procedure_id is None:
        raise ValidationError(_("Choose a clause of the standard or a procedure."))
    if bank.procedure is not None and bank.procedure.agency_id != bank.agency_id:
        raise ValidationError({"procedure": _("Choose a procedure of the agency.")})
    bank.save()
    return bank


@transaction.atomic
def add_question(bank: QuestionBank, text: str) -> Question:
    if not text.strip():
        raise ValidationError(_("Write the question."))
    order = (bank.questions.aggregate(n=Max("order"))["n"] or 0) + 1
    return Question.objects.create(bank=bank, text=text.strip(), order=order)


@transaction.atomic
def set_question_active(question: Question, active: bool) -> None:
    """A question is retired, never deleted: checklists copied from it keep their text."""
    question.is_active = active
    question.save(update_fields=["is_active"])


@transaction.atomic
def build_checklist(audit: Audit) -> int:
    """Copy into the audit's checklist the questions in use of the banks for its criteria
    (its clauses and procedures), each once; later bank edits leave the copies alone.
    Returns how many were added."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _require_open(audit)
    procedure_ids = set(audit.procedures.values_list("pk", flat=True))
    copied = set(audit.checklist.exclude(source=None).values_list("source_id", flat=True))
    questions = (
        Question.objects.filter(bank__agency=audit.agency, is_active=True)
        .filter(Q(bank__clause__in=audit.clauses) | Q(bank__procedure_id__in=procedure_ids))
        .exclude(pk__in=copied)
        .select_related("bank")
        .order_by("bank__clause", "bank__procedure__code", "order", "pk")
    )
    start = audit.checklist.aggregate(n=Max("order"))["n"] or 0
    items = [
        ChecklistItem(
            audit=audit,
            source=q,
            clause=q.bank.clause,
            procedure_id=q.bank.procedure_id,
            question=q.text,
            order=start + n,
        )
        for n, q in enumerate(questions, start=1)
    ]
    for item in items:  # one by one: the history records each copy
        item.save()
    return len(items)


def require_under_way(audit: Audit) -> None:
    _require_open(audit)
    if audit.status == S.DRAFT:
        raise ValidationError(
            _("Answers and findings are recorded once the audit plan has been issued.")
        )


@transaction.atomic
def answer_item(item: ChecklistItem, answer: str, evidence: str, by: User) -> ChecklistItem:
    require_under_way(Audit.objects.select_for_update().get(pk=item.audit_id))
    if answer not in Answer.values:
        raise ValidationError(_("Choose a result from the list."))
    item.answer, item.evidence = answer, evidence.strip()
    item.answered_by, item.answered_at = by, timezone.now()
    item.save(update_fields=["answer", "evidence", "answered_by", "answered_at"])
    return item


# --- findings ----------------------------------------------------------------------------------


@transaction.atomic
def save_finding(finding: Finding, by: User, files: Sequence[CheckedUpload] = ()) -> Finding:
    """Record a finding of an audit under way, or change it, with its evidence files."""
    audit = Audit.objects.select_for_update().get(pk=finding.audit_id)
    require_under_way(audit)
    finding.agency_id = audit.agency_id
    errors: dict[str, str] = {}
    if finding.clause not in clauses.clauses():
        errors["clause"] = _("Choose a clause of the standard.")
    if finding.unit_id is not None and finding.unit_id not in audited_unit_ids(audit):
        errors["unit"] = _("Choose a unit within the audit's scope.")
    if finding.procedure is not None and finding.procedure.agency_id != audit.agency_id:
        errors["procedure"] = _("Choose a procedure of the agency.")
    if not finding.description.strip():
        errors["description"] = _("Describe the finding.")
    if errors:
        raise ValidationError(errors)
    if finding.pk is None:
        finding.number = (audit.findings.aggregate(n=Max("number"))["n"] or 0) + 1
        finding.recorded_by = by
    finding.save()
    for checked in files:
        add_file(finding, checked, by)
    return finding


def add_file(finding: Finding, checked: CheckedUpload, by: User) -> FindingFile:
    require_under_way(finding.audit)
    kept = FindingFile(
        finding=finding,
        name=(checked.file.name or "")[:255],
        content_type=checked.content_type,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    kept.file.save(f"{checked.sha256}{checked.extension}", checked.file, save=False)
    kept.save()
    return kept


# --- the report --------------------------------------------------------------------------------


@transaction.atomic
def draft_report(audit: Audit) -> AuditReport:
    found = AuditReport.objects.filter(audit=audit).select_related("paper").first()
    if found is not None:
        return found
    _require_open(audit)
    if audit.status != S.HELD:
        raise ValidationError(_("The report is drafted once the audit has been held."))
    lead = audit.team.filter(is_lead=True).select_related("person").first()
    paper = paperwork.new_paper(
        audit.agency,
        AuditReport,
        subject=f"Kết quả đánh giá nội bộ hệ thống quản lý chất lượng năm {audit.year}",
        signer_position="Trưởng đoàn đánh giá",
        signer=lead.person if lead else None,
        signer_name=lead.person.full_name if lead else "",
        recipients="Lãnh đạo cơ quan\nBan Chỉ đạo ISO\nCác phòng, đơn vị được đánh giá",
    )
    report = AuditReport.objects.create(agency=audit.agency, audit=audit, paper=paper)
    paperwork.link(paper, report)
    return report


@transaction.atomic
def save_conclusion(report: AuditReport, text: str) -> None:
    if not report.is_editable:
        raise ValidationError(
            _("The report has been submitted for signature or signed: it no longer changes.")
        )
    report.conclusion = text.strip()
    report.save(update_fields=["conclusion"])


def check_report_issue(audit: Audit) -> None:
    _require_open(audit)
    if audit.status != S.HELD:
        raise ValidationError(_("Record the audit as held before issuing its report."))
    if not audit.findings.exists():
        raise ValidationError(_("Record the findings before issuing the report."))


def lock(audit: Audit, by: User | None) -> None:
    """The report is signed: the audit and its findings are locked."""
    audit.status = S.REPORTED
    audit.save(update_fields=["status"])
    inbox.close(_prefix(audit), by=by)
    sync_agenda(audit)
