"""Rules of training: the workflow and whom it hands work to, nominations by unit, attendance
closing inbox items, coverage, the share of staff trained, internal auditors by training,
re-training after a new revision, and the plan task a held session fulfils."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_person
from qms.agenda.models import InboxItem, Obligation
from qms.documents.models import Document, Revision
from qms.objectives import sources
from qms.objectives.models import QualityObjective
from qms.organization.access import access_for
from qms.organization.models import Role, Unit
from qms.plans import services as plan_services
from qms.plans.models import PlanTask
from qms.training import queries, services
from qms.training.models import Course, Nominee, TrainingSession
from qms.training.tests import builders as b


def _office(cast):
    return Unit.objects.get(agency=cast.a, name="Văn phòng Sở")


def _division(cast):
    return Unit.objects.get_or_create(agency=cast.a, name="Phòng Quản lý xây dựng")[0]


def _open(source):
    return set(
        InboxItem.objects.filter(source=source, done_at__isnull=True).values_list(
            "user__username", flat=True
        )
    )


def _access(cast, who):
    return access_for(cast.users[who], cast.a)


def test_announcing_asks_each_invited_units_heads_to_nominate(cast):
    division = _division(cast)
    head = make_person(cast.a, "division_head", [Role.UNIT_HEAD], unit=division)
    row = b.session(cast.a, [_office(cast), division])
    services.take_step(row, "announce", _access(cast, "secretary"))
    assert row.status == TrainingSession.Status.ANNOUNCED
    prefix = services.prefix_of(row)
    assert _open(f"{prefix}:nominate:{_office(cast).pk}") == {"unit_head"}
    assert _open(f"{prefix}:nominate:{division.pk}") == {head.username}
    assert _open(f"{prefix}:hold") == {"secretary"}


def test_a_session_without_invited_units_is_not_announced(cast):
    row = b.session(cast.a, [])
    with pytest.raises(ValidationError, match="đơn vị|units"):
        services.take_step(row, "announce", _access(cast, "secretary"))
    row.refresh_from_db()
    assert row.status == TrainingSession.Status.PLANNED


def test_only_the_secretary_announces(cast):
    row = b.session(cast.a, [_office(cast)])
    for who in ("head", "unit_head", "staff"):
        with pytest.raises(ValidationError):
            services.take_step(row, "announce", _access(cast, who))


def test_a_unit_head_nominates_only_their_own_units_people(cast):
    division = _division(cast)
    other = make_person(cast.a, "other_staff", [Role.STAFF], unit=division)
    row = b.session(cast.a, [_office(cast), division])
    services.take_step(row, "announce", _access(cast, "secretary"))
    unit_head = _access(cast, "unit_head")
    added = services.nominate(row, _office(cast), [cast.users["staff"]], unit_head)
    assert [n.person for n in added] == [cast.users["staff"]]
    with pytest.raises(PermissionDenied):
        services.nominate(row, division, [other], unit_head)
    with pytest.raises(ValidationError, match="đang công tác"):
        services.nominate(row, _office(cast), [other], unit_head)
    # the secretary nominates anyone of an invited unit
    services.nominate(row, division, [other], _access(cast, "secretary"))
    assert row.nominees.count() == 2
    with pytest.raises(PermissionDenied):
        services.nominate(row, _office(cast), [cast.users["unit_head"]], _access(cast, "staff"))


def test_nominees_get_the_session_in_their_inbox_and_agenda_until_attendance(cast):
    office = _office(cast)
    row = b.session(cast.a, [office])
    services.take_step(row, "announce", _access(cast, "secretary"))
    services.nominate(row, office, [cast.users["staff"]], _access(cast, "unit_head"))
    source = f"{services.prefix_of(row)}:attend:{cast.users['staff'].pk}"
    assert _open(source) == {"staff"}
    obligation = Obligation.objects.get(owner_person=cast.users["staff"], kind="training.session")
    assert obligation.due_date == row.ends_on and obligation.state == Obligation.State.OPEN
    nominee = b.nominee_of(row, cast.users["staff"])
    services.record_attendance(
        row, {nominee.pk: ("attended", "", "passed")}, cast.users["secretary"]
    )
    assert _open(source) == set()
    obligation.refresh_from_db()
    assert obligation.state == Obligation.State.DONE
    services.confirm_unit(row, office, _access(cast, "unit_head"))
    assert _open(f"{services.prefix_of(row)}:nominate:{office.pk}") == set()


def test_an_absence_needs_its_reason_and_nothing_changes_without_it(cast):
    office = _office(cast)
    row = b.session(cast.a, [office])
    services.take_step(row, "announce", _access(cast, "secretary"))
    services.nominate(
        row, office, [cast.users["staff"], cast.users["unit_head"]], _access(cast, "secretary")
    )
    first, second = row.nominees.order_by("pk")
    with pytest.raises(ValidationError, match="lý do|reason"):
        services.record_attendance(
            row,
            {first.pk: ("attended", "", ""), second.pk: ("absent", "  ", "")},
            cast.users["secretary"],
        )
    assert set(row.nominees.values_list("attendance", flat=True)) == {"pending"}
    with pytest.raises(ValidationError):
        services.record_attendance(
            row, {first.pk: ("absent", "Ốm", "passed")}, cast.users["secretary"]
        )


def test_a_session_is_held_only_once_every_nominee_is_recorded(cast):
    office = _office(cast)
    row = b.session(cast.a, [office], starts=dt.date(2026, 1, 5))
    secretary = _access(cast, "secretary")
    services.take_step(row, "announce", secretary)
    with pytest.raises(ValidationError, match="Điểm danh"):
        services.take_step(row, "hold", secretary)
    services.nominate(row, office, [cast.users["staff"]], secretary)
    with pytest.raises(ValidationError):
        services.take_step(row, "hold", secretary)
    nominee = b.nominee_of(row, cast.users["staff"])
    services.record_attendance(row, {nominee.pk: ("attended", "", "")}, cast.users["secretary"])
    services.take_step(row, "hold", secretary)
    assert row.status == TrainingSession.Status.HELD
    assert _open(f"{services.prefix_of(row)}:hold") == set()
    with pytest.raises(ValidationError):
        services.nominate(row, office, [cast.users["unit_head"]], secretary)


def test_a_session_in_the_future_is_not_held(cast):
    office = _office(cast)
    row = b.session(cast.a, [office], starts=dt.date(2099, 1, 5))
    secretary = _access(cast, "secretary")
    services.take_step(row, "announce", secretary)
    services.nominate(row, office, [cast.users["staff"]], secretary)
    nominee = b.nominee_of(row, cast.users["staff"])
    services.record_attendance(row, {nominee.pk: ("attended", "", "")}, cast.users["secretary"])
    with pytest.raises(ValidationError, match="chưa|not started"):
        services.take_step(row, "hold", secretary)


def _task(cast):
    plan = plan_services.create_plan(
        cast.a,
        year=2026,
        title="Duy trì HTQLCL năm 2026",
        recipients="Sở KH&CN",
        signer_name="Nguyễn Văn A",
        signer_position="Giám đốc",
    )
    return PlanTask.objects.create(
        plan=plan,
        order=3,
        content="Đào tạo cập nhật Hệ thống ISO",
        timing={"parts": [{"kind": "quarter", "quarter": 3}]},
        lead_kind="committee",
    )


def test_a_held_session_fulfils_its_plan_task(cast):
    task = _task(cast)
    row = b.held(
        cast.a,
        cast.users["secretary"],
        _office(cast),
        [cast.users["staff"]],
        task=task,
        starts=dt.date(2026, 9, 17),
    )
    task.refresh_from_db()
    assert task.status == PlanTask.Status.DONE
    assert task.fulfilled_by == f"training.trainingsession:{row.pk}"
    from qms.plans import fulfilment

    label, url = fulfilment.resolve(cast.a, task.fulfilled_by)
    assert url == row.get_absolute_url()


def test_coverage_counts_all_staff_of_the_invited_units_or_the_named_people(cast):
    office = _office(cast)  # secretary, unit_head, staff
    row = b.held(
        cast.a,
        cast.users["secretary"],
        office,
        [cast.users["staff"], cast.users["unit_head"]],
        absent=[cast.users["unit_head"]],
    )
    found = queries.coverage(row)
    assert (found.attended, found.target) == (1, 3)
    assert found.percent == pytest.approx(33.3)
    assert found.units[0].unit == office
    named = b.held(
        cast.a,
        cast.users["secretary"],
        office,
        [cast.users["staff"], cast.users["unit_head"]],
        absent=[cast.users["unit_head"]],
        audience=TrainingSession.Audience.NAMED,
    )
    assert (queries.coverage(named).attended, queries.coverage(named).target) == (1, 2)
    assert queries.coverage(named).percent == 50.0


def test_staff_trained_is_the_share_of_current_staff_who_attended(cast):
    start, end = dt.date(2026, 7, 1), dt.date(2026, 9, 30)
    assert queries.staff_trained(cast.a, start, end) is None  # no session: no data
    b.held(
        cast.a,
        cast.users["secretary"],
        _office(cast),
        [cast.users["staff"], cast.users["unit_head"]],
    )
    # staff of A: head, deputy, secretary, unit_head, staff, auditor (experts are not staff)
    assert queries.staff_trained(cast.a, start, end) == pytest.approx(33.3)
    assert queries.staff_trained(cast.a, dt.date(2026, 10, 1), dt.date(2026, 12, 31)) is None
    assert queries.staff_trained(cast.b, start, end) is None
    objective = QualityObjective(agency=cast.a, source="staff_trained")
    assert float(sources.compute(objective, start, end)) == pytest.approx(33.3)


def test_internal_auditors_by_training_need_a_pass_and_a_certificate(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qms.lib.uploads import EVIDENCE_FILES, check_upload

    row = b.held(
        cast.a,
        cast.users["secretary"],
        _office(cast),
        [cast.users["staff"], cast.users["unit_head"]],
        passed=[cast.users["staff"], cast.users["unit_head"]],
        kind=Course.Kind.INTERNAL_AUDITOR,
    )
    assert queries.internal_auditors(cast.a) == []
    nominee = b.nominee_of(row, cast.users["staff"])
    upload = SimpleUploadedFile("cc.pdf", b"%PDF-1.4 chung chi", "application/pdf")
    services.add_certificate(nominee, check_upload(upload, EVIDENCE_FILES), cast.users["secretary"])
    assert queries.internal_auditors(cast.a) == [cast.users["staff"]]
    assert queries.internal_auditors(cast.b) == []


def test_a_certificate_is_refused_for_an_absent_person(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qms.lib.uploads import EVIDENCE_FILES, check_upload

    row = b.held(
        cast.a,
        cast.users["secretary"],
        _office(cast),
        [cast.users["staff"]],
        absent=[cast.users["staff"]],
    )
    upload = SimpleUploadedFile("cc.pdf", b"%PDF-1.4 chung chi", "application/pdf")
    with pytest.raises(ValidationError):
        services.add_certificate(
            b.nominee_of(row, cast.users["staff"]),
            check_upload(upload, EVIDENCE_FILES),
            cast.users["secretary"],
        )


def _revisions(cast):
    doc = Document.objects.create(
        agency=cast.a,
        kind="tthc_procedure",
        code="QT-07",
        title="Cấp phép",
        owner_unit=_office(cast),
    )
    first = Revision.objects.create(document=doc, revision_no=1, status=Revision.Status.ISSUED)
    return doc, first


def test_a_new_revision_in_force_marks_those_trained_on_the_old_one(cast):
    doc, first = _revisions(cast)
    row = b.held(
        cast.a, cast.users["secretary"], _office(cast), [cast.users["staff"]], revisions=[first]
    )
    assert queries.retraining(cast.a, person=cast.users["staff"]) == []
    first.status = Revision.Status.SUPERSEDED
    first.save()
    Revision.objects.create(document=doc, revision_no=2, status=Revision.Status.ISSUED)
    found = queries.retraining(cast.a, person=cast.users["staff"])
    assert [(r.code, r.trained_no, r.in_force_no) for r in found] == [("QT-07", 1, 2)]
    assert len(queries.retraining(cast.a, course=row.course)) == 1
    trained = queries.trained_revisions(cast.a, cast.users["staff"])
    assert [t.needs_retraining for t in trained] == [True]
    # trained again on revision 2: no longer needed
    second = Revision.objects.get(document=doc, revision_no=2)
    b.held(
        cast.a, cast.users["secretary"], _office(cast), [cast.users["staff"]], revisions=[second]
    )
    assert queries.retraining(cast.a, person=cast.users["staff"]) == []
    assert queries.retraining(cast.a, course=row.course) == []


def test_cancelling_closes_the_inbox_and_clears_the_agenda(cast):
    office = _office(cast)
    row = b.session(cast.a, [office])
    secretary = _access(cast, "secretary")
    services.take_step(row, "announce", secretary)
    services.nominate(row, office, [cast.users["staff"]], secretary)
    with pytest.raises(ValidationError):
        services.take_step(row, "cancel", secretary, "")
    services.take_step(row, "cancel", secretary, "Giảng viên bận đột xuất")
    assert not InboxItem.objects.filter(
        source__startswith=services.prefix_of(row) + ":", done_at__isnull=True
    ).exists()
    assert not Obligation.objects.filter(source__startswith=services.prefix_of(row) + ":").exists()
    assert Nominee.objects.filter(session=row).count() == 1


def _edit(cast, row, units):
    from qms.training.forms import SessionForm

    data = {
        "course": row.course_id,
        "starts_on": row.starts_on.strftime("%d/%m/%Y"),
        "ends_on": row.ends_on.strftime("%d/%m/%Y"),
        "place": row.place,
        "audience": row.audience,
        "invited_units": [u.pk for u in units],
    }
    form = SessionForm(data, instance=row, agency=cast.a)
    assert form.is_valid(), form.errors
    return services.save_session(form, cast.users["secretary"])


def test_editing_an_announced_session_invites_only_the_new_units(cast):
    office, division = _office(cast), _division(cast)
    make_person(cast.a, "division_head", [Role.UNIT_HEAD], unit=division)
    row = b.session(cast.a, [office])
    secretary = _access(cast, "secretary")
    services.take_step(row, "announce", secretary)
    services.nominate(row, office, [cast.users["staff"]], secretary)
    services.confirm_unit(row, office, _access(cast, "unit_head"))
    _edit(cast, row, [office, division])
    prefix = services.prefix_of(row)
    assert _open(f"{prefix}:nominate:{office.pk}") == set()  # confirmed: not reopened
    assert _open(f"{prefix}:nominate:{division.pk}") == {"division_head"}
    with pytest.raises(ValidationError, match="rút tên"):
        _edit(cast, row, [division])
    assert set(row.invited_units.all()) == {office, division}
    _edit(cast, row, [office])
    assert _open(f"{prefix}:nominate:{division.pk}") == set()
