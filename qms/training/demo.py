"""Training demo (idempotent): Hải Phòng's Q3/2026 one-day ISO update course of its plan
(task 3, "Đào tạo cập nhật Hệ thống ISO"), held with attendance, and an internal auditor
course whose two trainees passed with certificates. Runs through the services, as people
would, with the inbox kept quiet (history, not news)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from qms.agenda import inbox
from qms.documents.models import Revision
from qms.lib.uploads import EVIDENCE_FILES, check_upload
from qms.organization.access import AgencyAccess, access_for
from qms.organization.models import Agency, Unit, User
from qms.plans.models import PlanTask
from qms.training import queries, services
from qms.training.models import Course, Nominee, TrainingSession

D = dt.date
HP_NAME = "Ban Quản lý Khu kinh tế Hải Phòng"
ABSENT = {"qhxd.hp": "Đi công tác theo Quyết định của Trưởng ban"}
AUDITOR_TRAINEES = ("truongphong.hp", "dnld.hp")


class _Form:
    """What services.save_session reads from a SessionForm, for data made in code."""

    def __init__(self, session: TrainingSession, units: list[Unit], revisions: list[Revision]):
        self.instance, self.units, self.revisions = session, units, revisions

    def save(self) -> TrainingSession:
        self.instance.save()
        self.instance.invited_units.set(self.units)
        self.instance.revisions.set(self.revisions)
        return self.instance


def load() -> None:
    agency = Agency.objects.filter(name=HP_NAME).first()
    if agency is None or Course.objects.filter(agency=agency).exists():
        return
    with inbox.quiet():
        _load(agency)


def _load(agency: Agency) -> None:
    secretary = User.objects.get(username="thuky.hp")
    access = access_for(secretary, agency)
    units = list(Unit.objects.filter(agency=agency, is_active=True).order_by("order", "name"))
    update = services.save_course(
        Course(
            agency=agency,
            title="Cập nhật kiến thức Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015",
            kind=Course.Kind.ISO_UPDATE,
            hours=Decimal("8"),
            provider="Chi cục Tiêu chuẩn Đo lường Chất lượng Hải Phòng",
            description="Đào tạo cập nhật 01 ngày tại Ban Quản lý cho công chức, viên chức, "
            "người lao động tham gia Hệ thống quản lý chất lượng.",
        )
    )
    # SQLite's icontains does not fold Vietnamese capitals ("Đ"): compared in Python.
    tasks = PlanTask.objects.filter(plan__agency=agency, plan__year=2026, plan__last_year=None)
    task = next((t for t in tasks.order_by("order") if "đào tạo" in t.content.lower()), None)
    covered = list(
        Revision.objects.filter(
            document__agency=agency,
            status=Revision.Status.SUPERSEDED,
            document__revisions__status=Revision.Status.ISSUED,
        ).order_by("document__code", "-revision_no")[:2]
    )
    session = _session(agency, update, D(2026, 9, 17), D(2026, 9, 17), units, task, covered)
    _run(session, access, units, absent=ABSENT)
    auditor = services.save_course(
        Course(
            agency=agency,
            title="Chuyên gia đánh giá nội bộ Hệ thống quản lý chất lượng TCVN ISO 9001:2015",
            kind=Course.Kind.INTERNAL_AUDITOR,
            hours=Decimal("16"),
            provider="Chi cục Tiêu chuẩn Đo lường Chất lượng Hải Phòng",
            description="Kỹ năng lập kế hoạch, thực hiện và báo cáo đánh giá nội bộ.",
        )
    )
    trainees = {u.username: u for u in User.objects.filter(username__in=AUDITOR_TRAINEES)}
    trainee_units = [
        u for u in units if any(_unit_of(agency, t) == u.pk for t in trainees.values())
    ]
    second = _session(agency, auditor, D(2026, 10, 8), D(2026, 10, 9), trainee_units, None, [])
    second.audience = TrainingSession.Audience.NAMED
    second.save(update_fields=["audience"])
    _run(second, access, trainee_units, only=set(trainees), passed=True)
    for nominee in second.nominees.select_related("person"):
        name = f"chung-chi-{nominee.person.username.replace('.', '-')}.pdf"
        upload = SimpleUploadedFile(name, _pdf(nominee.person.full_name), "application/pdf")
        services.add_certificate(nominee, check_upload(upload, EVIDENCE_FILES), secretary)
    services.take_step(second, "hold", access)
    assert len(queries.internal_auditors(agency)) == len(AUDITOR_TRAINEES)


def _unit_of(agency: Agency, user: User) -> int | None:
    membership = user.memberships.filter(agency=agency).first()
    return membership.unit_id if membership else None


def _session(
    agency: Agency,
    course: Course,
    starts: dt.date,
    ends: dt.date,
    units: list[Unit],
    task: PlanTask | None,
    revisions: list[Revision],
) -> TrainingSession:
    session = TrainingSession(
        agency=agency,
        course=course,
        starts_on=starts,
        ends_on=ends,
        place="Hội trường Ban Quản lý Khu kinh tế Hải Phòng",
        lecturer="ThS. Nguyễn Thị Thu Hương, chuyên gia đánh giá ISO",
        plan_task=task,
    )
    secretary = User.objects.get(username="thuky.hp")
    return services.save_session(_Form(session, units, revisions), secretary)


def _run(
    session: TrainingSession,
    access: AgencyAccess,
    units: list[Unit],
    *,
    absent: dict[str, str] | None = None,
    only: set[str] | None = None,
    passed: bool = False,
) -> None:
    """Announce, each unit's people nominated by the secretary, attendance, held."""
    absent = absent or {}
    services.take_step(session, "announce", access)
    for unit in units:
        members = [m for m in services.unit_members(unit) if only is None or m.username in only]
        if members:
            services.nominate(session, unit, members, access)
            services.confirm_unit(session, unit, access)
    rows = {}
    for nominee in session.nominees.select_related("person"):
        reason = absent.get(nominee.person.username, "")
        if reason:
            rows[nominee.pk] = (Nominee.Attendance.ABSENT.value, reason, "")
        else:
            result = Nominee.Result.PASSED.value if passed else ""
            rows[nominee.pk] = (Nominee.Attendance.ATTENDED.value, "", result)
    services.record_attendance(session, rows, access.user)
    if not passed:
        services.take_step(session, "hold", access)


def _pdf(name: str) -> bytes:
    """A one-page PDF naming the certificate's holder (enough for the demo to download)."""
    text = f"Chung chi chuyen gia danh gia noi bo - {name}".encode("ascii", "replace")
    stream = b"BT /F1 14 Tf 60 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out
