"""Reminders: 10, 3 and 1 days before (per agency) and once overdue, to the owner and the
ISO secretaries, never twice; driven through the immediate task backend."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus
from huey.contrib.djhuey import HUEY

from conftest import make_person
from qms.agenda import reminders
from qms.agenda.models import AgendaSettings, Notification, Obligation, Reminder
from qms.agenda.tasks import daily_reminders, local_crontab, send_reminders
from qms.agenda.tests.conftest import item, office, put
from qms.organization.models import Role, Unit

pytestmark = pytest.mark.usefixtures("emails")


def days(n):
    return timezone.localdate() + dt.timedelta(days=n)


def run():
    result = send_reminders.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    return result.return_value


def notified(user):
    return Notification.objects.filter(user=user).count()


def test_it_reminds_on_each_step_and_when_overdue(cast):
    unit = office(cast.a)
    put(
        cast.a,
        *[item(f"d{n}", days(n), owner_unit_id=unit.pk) for n in (10, 3, 1)],
        item("overdue", days(-2), owner_unit_id=unit.pk),
        item("d5", days(5), owner_unit_id=unit.pk),  # not a step
        item("d0", days(0), owner_unit_id=unit.pk),  # not a default step
    )
    assert run() == 4
    # The unit's head (not every member) and the ISO secretary, once per obligation and step.
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["secretary@example.gov.vn"] * 4 + ["unit_head@example.gov.vn"] * 4
    assert notified(cast.users["unit_head"]) == 4
    assert notified(cast.users["secretary"]) == 4
    assert notified(cast.users["staff"]) == 0
    steps = sorted(Reminder.objects.values_list("step", flat=True))
    assert steps == [Reminder.OVERDUE, 1, 3, 10]


def test_it_never_sends_twice(cast):
    put(cast.a, item("d3", days(3)), item("overdue", days(-1)))
    assert run() == 2
    sent, notes = len(mail.outbox), Notification.objects.count()
    assert run() == 0
    assert (len(mail.outbox), Notification.objects.count()) == (sent, notes)


def test_it_reminds_of_an_overdue_obligation_once_per_due_date(cast):
    put(cast.a, item("late", days(-1)))
    assert reminders.scan(timezone.localdate()) == 1
    assert reminders.scan(days(1)) == 0
    assert reminders.scan(days(7)) == 0
    put(cast.a, item("late", days(-3)))  # the deadline moved, still past
    assert reminders.scan(timezone.localdate()) == 1


def test_it_writes_the_mail_with_the_date_and_an_absolute_link(cast, settings):
    settings.SITE_URL = "https://iso.example.gov.vn/"
    put(cast.a, item("d3", days(3), owner_person_id=cast.users["head"].pk, title="Báo cáo"))
    run()
    message = next(m for m in mail.outbox if m.to == ["head@example.gov.vn"])
    assert "Báo cáo" in message.subject
    assert days(3).strftime("%d/%m/%Y") in message.body
    assert "https://iso.example.gov.vn/things/d3/" in message.body
    note = Notification.objects.get(user=cast.users["head"])
    assert note.url == "/things/d3/" and days(3).strftime("%d/%m/%Y") in note.title


def test_it_sends_to_the_named_person_and_the_secretaries_each_once(cast):
    second = make_person(cast.a, "secretary2", [Role.ISO_SECRETARY])
    second.email = "secretary2@example.gov.vn"
    second.save()
    put(
        cast.a,
        item("head", days(1), owner_person_id=cast.users["head"].pk, title="Của lãnh đạo"),
        item("own", days(1), owner_person_id=cast.users["secretary"].pk, title="Của thư ký"),
    )
    run()
    to = {}
    for message in mail.outbox:
        to.setdefault(message.subject.rsplit(": ", 1)[1], []).append(message.to[0])
    assert sorted(to["Của lãnh đạo"]) == [
        "head@example.gov.vn",
        "secretary2@example.gov.vn",
        "secretary@example.gov.vn",
    ]
    # The secretary owns it and is a secretary: one e-mail, not two.
    assert sorted(to["Của thư ký"]) == ["secretary2@example.gov.vn", "secretary@example.gov.vn"]
    assert notified(cast.users["secretary"]) == 2
    assert notified(second) == 2
    assert notified(cast.users["head"]) == 1


def test_it_sends_to_every_member_of_a_unit_without_a_head(cast):
    unit = Unit.objects.create(agency=cast.a, name="Phòng Quy hoạch")
    members = [make_person(cast.a, f"qh{i}", [Role.STAFF], unit=unit) for i in range(3)]
    put(cast.a, item("qh", days(3), owner_unit_id=unit.pk))
    run()
    assert [notified(user) for user in members] == [1, 1, 1]
    assert notified(cast.users["unit_head"]) == 0  # head of another unit


def test_it_notifies_in_app_those_without_an_email_address(cast):
    put(cast.a, item("staff", days(3), owner_person_id=cast.users["staff"].pk))
    run()
    assert notified(cast.users["staff"]) == 1
    assert [m.to for m in mail.outbox] == [["secretary@example.gov.vn"]]


def test_it_follows_the_days_of_each_agency(cast):
    AgendaSettings.objects.create(agency=cast.a, reminder_days="5,0")
    put(cast.a, *[item(f"a{n}", days(n)) for n in (10, 5, 3, 0)])
    put(cast.b, *[item(f"b{n}", days(n)) for n in (10, 5, 3, 0)], prefix="b")
    run()
    sent = set(Reminder.objects.values_list("obligation__source", flat=True))
    assert sent == {"test.src:a5", "test.src:a0", "b:b10", "b:b3"}


def test_it_skips_dissolved_agencies(cast):
    cast.a.valid_to = days(-1)
    cast.a.save()
    put(cast.a, item("d3", days(3)), item("late", days(-5)))
    assert run() == 0
    assert not mail.outbox and not Notification.objects.exists()


def test_it_skips_done_and_cancelled_obligations_and_waiting_ones(cast):
    put(
        cast.a,
        item("done", days(3), state=Obligation.State.DONE),
        item("cancelled", days(-3), state=Obligation.State.CANCELLED),
        item("waiting", None, waiting_for="Ban hành bộ tài liệu"),
    )
    assert run() == 0
    assert not mail.outbox


def test_it_skips_an_owner_who_left_the_agency(cast):
    head = cast.users["head"]
    head.memberships.update(is_active=False)
    put(cast.a, item("head", days(1), owner_person_id=head.pk))
    run()
    assert notified(head) == 0
    assert notified(cast.users["secretary"]) == 1


def test_a_second_worker_that_lost_the_race_sends_nothing(cast):
    put(cast.a, item("d3", days(3)))
    obligation = Obligation.objects.get()
    Reminder.objects.create(obligation=obligation, step=3, due_date=obligation.due_date)
    assert reminders._send(obligation, 3, [cast.users["secretary"]]) is None
    assert not Notification.objects.exists()


def test_the_scan_queries_do_not_grow_with_the_recipients(cast):
    unit = office(cast.a)

    def count():
        Reminder.objects.all().delete()
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            assert reminders.scan(timezone.localdate()) == 2
        return len(ctx.captured_queries)

    put(cast.a, item("u", days(3), owner_unit_id=unit.pk), item("late", days(-1)))
    # settings + candidates + reminders sent + memberships + their roles = 5, then per
    # reminder: savepoint, reminder, notifications, release = 4
    assert count() == 5 + 2 * 4
    for i in range(6):
        make_person(cast.a, f"more{i}", [Role.UNIT_HEAD, Role.ISO_SECRETARY], unit=unit)
    assert count() == 5 + 2 * 4


def test_the_daily_task_runs_at_seven_in_the_morning_local_time():
    validate = local_crontab(7, 0)
    assert validate(dt.datetime(2026, 7, 15, 0, 0))  # 00:00 UTC = 07:00 in Hà Nội
    assert not validate(dt.datetime(2026, 7, 15, 7, 0))

    def due_at(moment):
        return [task.name for task in HUEY.read_periodic(moment)]

    assert "daily_reminders" in due_at(dt.datetime(2026, 7, 15, 0, 0))
    assert "daily_reminders" not in due_at(dt.datetime(2026, 7, 15, 7, 0))


def test_the_periodic_task_sends_todays_reminders(cast):
    put(cast.a, item("d1", days(1)))
    daily_reminders.call_local()
    assert Reminder.objects.filter(step=1).count() == 1


def test_it_reminds_the_members_of_the_owning_body(cast):
    """A task of the leadership reaches the head and the deputy, one of the steering
    committee its members now; the ISO secretary hears of both."""
    from qms.organization.models import CommitteeMember
    from qms.organization.tests.factories import draft_with_members, issue

    decision = draft_with_members(cast.a, ["Trưởng phòng"])
    CommitteeMember.objects.filter(decision=decision).update(user=cast.users["unit_head"])
    issue(decision, 3, timezone.localdate() - dt.timedelta(days=10))
    put(
        cast.a,
        item("review", days(3), owner_group="leadership", owner_text="Lãnh đạo"),
        item("audit", days(3), owner_group="committee", owner_text="Ban Chỉ đạo ISO"),
    )
    assert run() == 2
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == [
        "deputy@example.gov.vn",
        "head@example.gov.vn",
        "secretary@example.gov.vn",
        "secretary@example.gov.vn",
        "unit_head@example.gov.vn",
    ]


def test_a_person_who_chose_never_gets_no_reminder_e_mail_but_the_notification(cast):
    from qms.agenda.models import NotificationPreference

    NotificationPreference.objects.create(user=cast.users["secretary"], email="never")
    put(cast.a, item("d3", days(3)))
    assert run() == 1
    assert mail.outbox == []
    assert notified(cast.users["secretary"]) == 1
