"""The demo: Hải Phòng's Q3/2026 one-day ISO update course of its plan, held with attendance
and fulfilling the plan's training task; an internal auditor course whose two trainees
passed with certificates. Loading it again changes nothing."""

from django.urls import reverse

from qms import demo
from qms.organization.models import Agency, User
from qms.plans.models import PlanTask
from qms.training import demo as training_demo
from qms.training import queries
from qms.training.models import Certificate, Course, Nominee, TrainingSession


def test_the_demo_holds_hai_phongs_training(transactional_db, client):
    demo.load()  # every step, this app's included (qms/demo STEPS)
    agency = Agency.objects.get(name=training_demo.HP_NAME)
    update = TrainingSession.objects.get(agency=agency, course__kind=Course.Kind.ISO_UPDATE)
    assert update.status == TrainingSession.Status.HELD
    assert update.starts_on.year == 2026 and update.starts_on.month in (7, 8, 9)
    task = update.plan_task
    assert task is not None and "đào tạo" in task.content.lower()
    assert task.status == PlanTask.Status.DONE
    assert task.fulfilled_by == f"training.trainingsession:{update.pk}"
    coverage = queries.coverage(update)
    assert 0 < coverage.percent < 100  # one head of division was away on duty
    assert update.nominees.filter(attendance=Nominee.Attendance.ABSENT).count() == 1
    auditors = {u.username for u in queries.internal_auditors(agency)}
    assert auditors == set(training_demo.AUDITOR_TRAINEES)
    assert Certificate.objects.filter(nominee__session__agency=agency).count() == 2
    counts = (Course.objects.count(), TrainingSession.objects.count(), Nominee.objects.count())
    training_demo.load()
    assert (
        Course.objects.count(),
        TrainingSession.objects.count(),
        Nominee.objects.count(),
    ) == counts
    # the pages show it to the secretary
    client.force_login(User.objects.get(username="thuky.hp"))
    page = client.get(update.get_absolute_url())
    assert page.status_code == 200 and "Đã tiến hành" in page.content.decode()
    person = client.get(
        reverse("training:person", args=[agency.pk, User.objects.get(username="truongphong.hp").pk])
    )
    assert "Chuyên gia đánh giá nội bộ" in person.content.decode()
