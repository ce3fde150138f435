"""Public builders of training rows for tests (other apps' tests may use them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from qms.organization.access import access_for
from qms.organization.models import Unit, User
from qms.training import services
from qms.training.models import Course, Nominee, TrainingSession


def course(agency, kind=Course.Kind.ISO_UPDATE, title="Cập nhật ISO 9001:2015") -> Course:
    return services.save_course(Course(agency=agency, title=title, kind=kind, hours=Decimal("8")))


def session(
    agency,
    units=(),
    *,
    kind=Course.Kind.ISO_UPDATE,
    starts=dt.date(2026, 9, 17),
    ends=None,
    audience=TrainingSession.Audience.ALL_STAFF,
    task=None,
    revisions=(),
    of_course=None,
) -> TrainingSession:
    row = TrainingSession.objects.create(
        agency=agency,
        course=of_course or course(agency, kind),
        starts_on=starts,
        ends_on=ends or starts,
        place="Hội trường",
        audience=audience,
        plan_task=task,
    )
    row.invited_units.set(units)
    row.revisions.set(revisions)
    return row


def secretary_access(agency, user: User):
    return access_for(user, agency)


def held(
    agency, secretary: User, unit: Unit, people, *, absent=(), passed=(), **options
) -> TrainingSession:
    """A session announced, `people` of `unit` nominated, attended (but `absent`), held."""
    access = access_for(secretary, agency)
    row = session(agency, [unit], **options)
    services.take_step(row, "announce", access)
    services.nominate(row, unit, people, access)
    rows = {}
    for n in row.nominees.all():
        if n.person in absent:
            rows[n.pk] = ("absent", "Ốm", "")
        else:
            rows[n.pk] = ("attended", "", "passed" if n.person in passed else "")
    services.record_attendance(row, rows, secretary)
    services.take_step(row, "hold", access)
    return row


def nominee_of(row: TrainingSession, user: User) -> Nominee:
    return row.nominees.get(person=user)
