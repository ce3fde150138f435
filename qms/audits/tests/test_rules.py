"""The rules of the internal audit, each in one place: auditor independence, qualification,
the programme's coverage, the plan reaching inboxes and the agenda, the plan event of a held
audit, checklists copied from the banks, the lock of a signed report, the management review's
read in a constant number of queries."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qms.agenda.models import InboxItem, Obligation
from qms.audits import clauses, queries, services
from qms.audits.models import Audit, ChecklistItem, Finding, ProgrammeRow, QuestionBank
from qms.audits.tests import builders as b
from qms.documents.models import Document
from qms.organization.access import access_for
from qms.organization.models import Role
from qms.plans import services as plans
from qms.plans.models import PlanTask

D = dt.date


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return " ".join(caught.value.messages)


def test_the_clauses_run_from_4_1_to_10_3_with_titles_only():
    table = clauses.clauses()
    assert list(table)[0] == "4.1" and list(table)[-1] == "10.3"
    assert len(table) == 28 and table["9.2"] == "Đánh giá nội bộ"
    assert clauses.ordered(["10.2", "4.1", "x"]) == ["4.1", "10.2"]


def test_no_auditor_audits_their_own_unit(cast):
    office = b.office(cast.a)
    b.qualify(cast.a, cast.users["staff"])
    audit = b.audit(cast.a, [office])
    message = refused(services.add_member, audit, cast.users["staff"])
    assert "Staff" in message and "Văn phòng Sở" in message
    assert not audit.team.exists()
    # Nor may the scope later grow to take in a member's own unit.
    other = b.division(cast.a)
    audit = b.audit(cast.a, [other], title="Đợt 2")
    services.add_member(audit, cast.users["staff"], is_lead=True)
    message = refused(services.save_audit, audit, [other, office], [])
    assert "Staff" in message and "Văn phòng Sở" in message
    assert set(audit.units.all()) == {other}


def test_a_procedures_owner_unit_is_in_the_scope(cast):
    office = b.office(cast.a)
    procedure = Document.objects.create(
        agency=cast.a, kind="tthc_procedure", code="QT-07", title="Cấp phép", owner_unit=office
    )
    b.qualify(cast.a, cast.users["staff"])
    audit = b.audit(cast.a, [b.division(cast.a)])
    services.save_audit(audit, [b.division(cast.a)], [procedure])
    assert "Văn phòng Sở" in refused(services.add_member, audit, cast.users["staff"])


def test_every_member_of_a_team_holds_a_qualification(cast):
    audit = b.audit(cast.a, [b.division(cast.a)])
    message = refused(services.add_member, audit, cast.users["auditor"])
    assert "Auditor" in message
    b.qualify(cast.a, cast.users["auditor"])
    services.add_member(audit, cast.users["auditor"], is_lead=True)
    assert audit.team.get().is_lead


def test_qualified_auditors_are_the_current_members_with_a_qualification(cast):
    assert queries.qualified_auditors(cast.a) == []
    b.qualify(cast.a, cast.users["auditor"])
    b.qualify(cast.a, cast.users["staff"], number="CC-02")
    b.qualify(cast.a, cast.users["staff"], number="CC-03")  # twice: listed once
    names = [u.username for u in queries.qualified_auditors(cast.a)]
    assert names == ["auditor", "staff"]
    assert queries.qualified_auditors(cast.b) == []
    # Somebody of another agency cannot be recorded.
    assert "cơ quan" in refused(b.qualify, cast.a, cast.users["secretary_b"]).lower()


def test_a_new_lead_replaces_the_former_one(cast):
    b.qualify(cast.a, cast.users["auditor"])
    b.qualify(cast.a, cast.users["head"])
    audit = b.audit(cast.a, [b.office(cast.a)])
    services.add_member(audit, cast.users["auditor"], is_lead=True)
    services.add_member(audit, cast.users["head"], is_lead=True)
    leads = list(audit.team.filter(is_lead=True).values_list("person__username", flat=True))
    assert leads == ["head"] and audit.team.count() == 2


def test_the_programme_lists_the_units_it_does_not_cover(cast):
    office, other = b.office(cast.a), b.division(cast.a)
    third = b.division(cast.a, "Phòng Cấp phép")
    programme = b.programme(cast.a, units=[office])
    assert queries.uncovered_units(programme) == [other, third] or set(
        queries.uncovered_units(programme)
    ) == {other, third}
    procedure = Document.objects.create(
        agency=cast.a, kind="tthc_procedure", code="QT-09", title="Cấp phép", owner_unit=other
    )
    services.save_row(programme, ProgrammeRow(procedure=procedure, months=["3", "9"]))
    assert queries.uncovered_units(programme) == [third]
    assert programme.rows.last().months == [3, 9]
    assert "tháng" in refused(services.save_row, programme, ProgrammeRow(unit=third, months=[13]))


def test_issuing_the_plan_reaches_the_units_and_the_team_and_dates_the_agenda(cast):
    audit = b.planned(cast)
    assert audit.status == Audit.Status.PLANNED
    waiting = set(
        InboxItem.objects.filter(source=f"audits.audit:{audit.pk}:plan").values_list(
            "user__username", flat=True
        )
    )
    assert waiting == {"unit_head", "auditor"}  # the office's head and the team
    obligations = Obligation.objects.filter(agency=cast.a, kind="audits.audit")
    assert {o.due_date for o in obligations} == {b.END}
    assert obligations.filter(owner_unit=b.office(cast.a)).exists()
    # Scope and team are fixed by the signed plan.
    assert "kế hoạch" in refused(services.add_member, audit, cast.users["head"]).lower()


def test_the_plan_needs_a_lead_and_is_signed_before_the_audit(cast):
    b.qualify(cast.a, cast.users["auditor"])
    audit = b.audit(cast.a, [b.office(cast.a)])
    services.add_member(audit, cast.users["auditor"])
    plan = services.draft_plan(audit)
    assert "trưởng đoàn" in refused(b.sign, plan, cast, D(2026, 6, 1), 4).lower()
    audit.team.update(is_lead=True)
    plan.refresh_from_db()
    assert "10/06/2026" in refused(
        __import__("qms.paperwork.services", fromlist=["issue"]).issue,
        plan.paper,
        number=4,
        issued_on=D(2026, 6, 11),
        by=cast.users["head"],
    )


@pytest.fixture
def plan(cast):
    plan = plans.create_plan(cast.a, year=2026, title="Kế hoạch duy trì ISO 2026")
    PlanTask.objects.create(
        plan=plan,
        order=1,
        content="Họp xem xét của lãnh đạo",
        timing={"parts": [{"kind": "event", "event": "internal_audit_held", "offset_days": 5}]},
    )
    return plan


def test_holding_the_audit_records_the_plan_event_and_dates_the_tasks(cast, plan):
    audit = b.held(cast)
    assert audit.status == Audit.Status.HELD and audit.held_on == b.END
    event = plan.events.get()
    assert (event.event, event.occurred_on) == ("internal_audit_held", b.END)
    (row,) = plans.task_rows(plan, D(2026, 6, 13))
    assert row.next_due == D(2026, 6, 17)
    assert not InboxItem.objects.filter(
        source=f"audits.audit:{audit.pk}:plan", done_at__isnull=True
    ).exists()


def test_an_audit_is_held_once_its_last_day_has_come(cast):
    audit = b.planned(cast, starts_on=D(2099, 6, 10), ends_on=D(2099, 6, 12))
    secretary = access_for(cast.users["secretary"], cast.a)
    assert "ngày cuối" in refused(services.hold, audit, secretary)
    staff = access_for(cast.users["staff"], cast.a)
    assert "quyền" in refused(services.hold, audit, staff)


def _bank(cast, clause="7.5", *questions):
    bank = services.save_bank(QuestionBank(agency=cast.a, clause=clause, title=f"Điều {clause}"))
    return bank, [services.add_question(bank, q) for q in questions]


def test_the_checklist_copies_the_banks_of_its_criteria(cast):
    bank, (first, second) = _bank(cast, "7.5", "Hồ sơ có được lưu đúng?", "Tài liệu có hiệu lực?")
    _bank(cast, "8.4", "Nhà cung cấp được đánh giá?")
    retired = services.add_question(bank, "Câu hỏi cũ")
    services.set_question_active(retired, False)
    audit = b.audit(cast.a, [b.office(cast.a)], clauses=["7.5"])
    assert services.build_checklist(audit) == 2
    assert services.build_checklist(audit) == 0  # each question once
    first.text = "Câu hỏi đã sửa trong ngân hàng"
    first.save()
    texts = list(audit.checklist.values_list("question", flat=True))
    assert texts == ["Hồ sơ có được lưu đúng?", "Tài liệu có hiệu lực?"]


def test_answers_and_findings_wait_for_the_plan(cast):
    _bank(cast, "9.2", "Có chương trình đánh giá?")
    audit = b.audit(cast.a, [b.office(cast.a)], clauses=["9.2"])
    services.build_checklist(audit)
    item = audit.checklist.get()
    assert (
        "kế hoạch"
        in refused(services.answer_item, item, "conforms", "", cast.users["secretary"]).lower()
    )
    assert "kế hoạch" in refused(b.finding, audit, cast.users["secretary"]).lower()


def test_a_finding_is_numbered_and_tells_a_nonconformity(cast):
    audit = b.planned(cast)
    first = b.finding(audit, cast.users["auditor"], "major")
    second = b.finding(audit, cast.users["auditor"], "observation")
    assert (first.number, second.number) == (1, 2)
    assert first.is_nonconformity and not second.is_nonconformity
    assert Finding(kind="minor").is_nonconformity and not Finding(kind="strength").is_nonconformity
    other = b.division(cast.a)
    assert "phạm vi" in refused(b.finding, audit, cast.users["auditor"], unit=other)


def test_the_signed_report_locks_the_audit_and_its_findings(cast):
    _bank(cast, "7.5", "Hồ sơ có được lưu đúng?")
    audit = b.held(cast)
    services.build_checklist(audit)
    report = services.draft_report(audit)
    assert "phát hiện" in refused(b.sign, report, cast, D(2026, 6, 15), 21)
    finding = b.finding(audit, cast.users["auditor"])
    report.paper.refresh_from_db()
    from qms.paperwork import services as paperwork

    paperwork.issue(report.paper, number=21, issued_on=D(2026, 6, 15), by=cast.users["head"])
    audit.refresh_from_db()
    assert audit.status == Audit.Status.REPORTED
    locked = "không còn thay đổi"
    finding.description = "Sửa sau khi ký"
    assert locked in refused(services.save_finding, finding, cast.users["auditor"])
    assert locked in refused(b.finding, audit, cast.users["auditor"])
    item = ChecklistItem.objects.get(audit=audit)
    assert locked in refused(services.answer_item, item, "conforms", "", cast.users["auditor"])
    assert locked in refused(services.build_checklist, audit)
    finding.refresh_from_db()
    assert finding.description.startswith("Hồ sơ giải quyết")


def test_the_report_is_dated_after_the_audit(cast):
    audit = b.held(cast)
    b.finding(audit, cast.users["auditor"])
    report = services.draft_report(audit)
    assert "12/06/2026" in refused(b.sign, report, cast, D(2026, 6, 11), 22)


def _audits_with_findings(cast, n, first_day):
    units = [b.office(cast.a), b.division(cast.a)]
    for i in range(n):
        day = first_day + dt.timedelta(days=3 * i)
        audit = b.audit(cast.a, units, title=f"Đợt {day}", starts_on=day, ends_on=day)
        Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.HELD, held_on=day)
        for kind, unit in (("minor", units[0]), ("observation", units[1]), ("strength", units[0])):
            Finding.objects.create(
                agency=cast.a,
                audit=audit,
                number=Finding.objects.filter(audit=audit).count() + 1,
                kind=kind,
                clause="8.5",
                unit=unit,
                description="x",
            )


def test_the_review_reads_audits_and_findings_in_two_queries(cast):
    _audits_with_findings(cast, 1, D(2026, 3, 2))
    with CaptureQueriesContext(connection) as few:
        read = queries.for_review(cast.a, D(2026, 1, 1), D(2026, 12, 31))
    assert len(read.audits) == 1 and read.by_kind["minor"] == 1 and read.total == 3
    _audits_with_findings(cast, 6, D(2026, 4, 1))
    with CaptureQueriesContext(connection) as many:
        read = queries.for_review(cast.a, D(2026, 1, 1), D(2026, 12, 31))
    assert len(few) == len(many) == 2
    assert len(read.audits) == 7 and read.by_kind == {
        "major": 0,
        "minor": 7,
        "observation": 7,
        "improvement": 0,
        "strength": 7,
    }
    assert read.nonconformities == 7
    office = next(u for u in read.by_unit if u.name == "Văn phòng Sở")
    assert office.by_kind == {"minor": 7, "strength": 7}
    assert office.url.endswith(f"?unit={office.unit_id}")
    assert read.audits[0].url == read.audits[0].url and "/audits/" in read.audits[0].url
    # Only the period asked for, only the agency asked for.
    assert queries.for_review(cast.a, D(2026, 3, 1), D(2026, 3, 31)).total == 3
    assert queries.for_review(cast.b, D(2026, 1, 1), D(2026, 12, 31)).total == 0


def test_a_team_member_may_record_findings_for_that_audit_only(cast):
    from qms.audits.rights import AuditActor
    from qms.organization.access import Action

    staff = access_for(cast.users["staff"], cast.a)
    assert Role.STAFF in staff.roles
    on_team = AuditActor(staff, frozenset({cast.users["staff"].pk}))
    elsewhere = AuditActor(staff, frozenset())
    assert on_team.can(Action.RECORD_FINDINGS) and not on_team.can(Action.MANAGE_AUDITS)
    assert not elsewhere.can(Action.RECORD_FINDINGS)
    overseer = access_for(cast.users["overseer"], cast.a)
    assert not AuditActor(overseer, frozenset({cast.users["overseer"].pk})).can(
        Action.RECORD_FINDINGS
    )


def test_a_passed_internal_auditor_course_with_a_certificate_qualifies_for_a_team(cast):
    """Competence from training is used when choosing a team (issue 16 § 1)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qms.lib.uploads import EVIDENCE_FILES, check_upload
    from qms.training import services as training
    from qms.training.models import Course
    from qms.training.tests import builders as t

    staff = cast.users["staff"]
    made = b.audit(cast.a, [b.division(cast.a)])
    with pytest.raises(ValidationError):
        services.add_member(made, staff, is_lead=True)
    row = t.held(
        cast.a,
        cast.users["secretary"],
        b.office(cast.a),
        [staff],
        passed=[staff],
        kind=Course.Kind.INTERNAL_AUDITOR,
    )
    upload = SimpleUploadedFile("cc.pdf", b"%PDF-1.4 chung chi", "application/pdf")
    training.add_certificate(
        t.nominee_of(row, staff), check_upload(upload, EVIDENCE_FILES), cast.users["secretary"]
    )
    assert staff in queries.qualified_auditors(cast.a)
    services.add_member(made, staff, is_lead=True)
    assert made.team.filter(person=staff).exists()
