"""Progress per occurrence of a recurring task (its quarters each done or not carried out),
the task's status derived from them, and one overdue rule that every view reports alike."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from qms.agenda.models import InboxItem, Obligation
from qms.organization.models import Unit
from qms.plans import services
from qms.plans.models import OccurrenceProgress, PlanTask
from qms.plans.tests.conftest import issue

D = dt.date
DAY = D(2026, 8, 15)  # Q1 (31/03) and Q2 (30/06) passed, Q3 (30/09) and Q4 (31/12) ahead
QUARTERLY = {"parts": [{"kind": "recurring", "every": 3, "label": "rà soát căn cứ pháp lý"}]}
Q1, Q2, Q3, Q4 = "0-0", "0-1", "0-2", "0-3"


@pytest.fixture
def on_day(monkeypatch):
    """Every screen and service believes today is DAY (they all read timezone.localdate)."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return DAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


@pytest.fixture
def quarterly(cast, on_day):
    """An issued plan of agency A whose only task is a quarterly review led by the office."""
    office = Unit.objects.get(agency=cast.a, parent=None)
    plan = services.create_plan(
        cast.a,
        year=2026,
        title="Duy trì HTQLCL năm 2026",
        recipients="Sở KH&CN",
        signer_name="Nguyễn Văn A",
        signer_position="Giám đốc",
    )
    task = PlanTask.objects.create(
        plan=plan,
        order=1,
        content="Rà soát căn cứ pháp lý của các quy trình ISO",
        timing=QUARTERLY,
        lead_kind="unit",
        lead_unit=office,
    )
    issue(plan)
    task.refresh_from_db()
    return task


def _states(task):
    return dict(
        Obligation.objects.filter(source__startswith=f"plans.plan:{task.plan_id}").values_list(
            "due_date", "state"
        )
    )


def test_each_quarter_is_recorded_on_its_own_and_the_task_follows(quarterly, cast):
    secretary = cast.users["secretary"]
    services.record_occurrence(quarterly, Q1, secretary, done=True, on=D(2026, 3, 28), note="Xong")
    quarterly.refresh_from_db()
    assert quarterly.status == PlanTask.Status.IN_PROGRESS
    assert quarterly.last_due == D(2026, 6, 30)  # the first open due date
    assert _states(quarterly)[D(2026, 3, 31)] == "done"
    assert _states(quarterly)[D(2026, 6, 30)] == "open"
    services.record_occurrence(quarterly, Q2, secretary, done=False, reason="Không có văn bản mới")
    services.record_occurrence(quarterly, Q3, secretary, done=True, on=D(2026, 9, 1))
    services.record_occurrence(quarterly, Q4, secretary, done=True, on=D(2026, 12, 1))
    quarterly.refresh_from_db()
    assert quarterly.status == PlanTask.Status.DONE and quarterly.last_due is None
    assert _states(quarterly) == {
        D(2026, 3, 31): "done",
        D(2026, 6, 30): "cancelled",
        D(2026, 9, 30): "done",
        D(2026, 12, 31): "done",
    }
    record = quarterly.occurrence_records.get(key=Q2)
    assert (record.state, record.reason) == ("cancelled", "Không có văn bản mới")
    assert record.by == secretary


def test_an_occurrence_is_refused_without_a_reason_or_twice(quarterly, cast):
    secretary = cast.users["secretary"]
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.record_occurrence(quarterly, Q2, secretary, done=False, reason="  ")
    assert "lý do" in str(refused.value).lower()
    services.record_occurrence(quarterly, Q2, secretary, done=True, on=DAY)
    with pytest.raises(ValidationError):
        services.record_occurrence(quarterly, Q2, secretary, done=True, on=DAY)
    assert quarterly.occurrence_records.count() == 1


def test_all_quarters_not_carried_out_leave_the_task_not_carried_out(quarterly, cast):
    for key in (Q1, Q2, Q3, Q4):
        services.record_occurrence(
            quarterly, key, cast.users["secretary"], done=False, reason="Dừng"
        )
    quarterly.refresh_from_db()
    assert (quarterly.status, quarterly.skip_reason) == (PlanTask.Status.SKIPPED, "Dừng")


def test_the_status_form_still_closes_every_quarter(quarterly, cast):
    services.record_occurrence(quarterly, Q1, cast.users["secretary"], done=True, on=D(2026, 3, 1))
    services.set_task_status(quarterly, PlanTask.Status.DONE)
    quarterly.refresh_from_db()
    assert quarterly.status == PlanTask.Status.DONE and quarterly.last_due is None
    assert set(_states(quarterly).values()) == {"done"}


def _post(client, task, key, **data):
    url = reverse("plans:task_progress", args=[task.plan.agency_id, task.pk, "occurrence"])
    fields = {f"o{key}-{name}": value for name, value in ({"key": key} | data).items()}
    return client.post(url, {"occurrence": key, **fields})


def test_the_task_page_lists_the_quarters_and_records_one(quarterly, cast, login):
    client = login(cast.users["staff"])  # a staff member of the lead unit
    page = client.get(quarterly.get_absolute_url()).content.decode()
    assert page.count("<tr data-occurrence=") == 4
    assert page.count("Ghi nhận lần thực hiện này") == 4
    response = _post(client, quarterly, Q1, outcome="done", on="28/03/2026", note="Đã rà soát")
    assert response.status_code == 302
    record = quarterly.occurrence_records.get()
    assert (record.key, record.done_on, record.note) == (Q1, D(2026, 3, 28), "Đã rà soát")
    page = client.get(quarterly.get_absolute_url()).content.decode()
    assert "28/03/2026 – Đã rà soát" in page
    assert page.count("Ghi nhận lần thực hiện này") == 3
    q2 = page.split('data-occurrence="0-1"')[1].split("</tr>")[0]
    assert "Quá hạn" in q2


def test_the_view_refuses_no_reason_and_a_user_of_another_unit(quarterly, cast, login):
    client = login(cast.users["staff"])
    response = _post(client, quarterly, Q2, outcome="not_carried_out", reason="")
    assert response.status_code == 302 and not quarterly.occurrence_records.exists()
    outsider = login(cast.users["auditor"])  # no unit leading or coordinating the task
    assert _post(outsider, quarterly, Q2, outcome="done", on="01/07/2026").status_code == 403
    assert not quarterly.occurrence_records.exists()
    other_agency = login(cast.users["secretary_b"])
    assert _post(other_agency, quarterly, Q2, outcome="done", on="01/07/2026").status_code == 404
    response = login(cast.users["staff"]).get(
        reverse("plans:task_progress", args=[cast.a.pk, quarterly.pk, "occurrence"])
    )
    assert response.status_code == 405


def _docx_text(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml").decode()
    return re.sub(r"<[^>]+>", "", xml)


def test_all_six_views_report_the_same_overdue_tasks(quarterly, cast, login):
    """Q1 done, Q2 open and past, Q3–Q4 ahead: one task overdue, on every view."""
    services.record_occurrence(quarterly, Q1, cast.users["secretary"], done=True, on=D(2026, 3, 28))
    agency, plan = cast.a, quarterly.plan
    client = login(cast.users["unit_head"])  # a head of the lead unit: the task is in the inbox
    # 1. The plan page's total and its rows.
    detail = client.get(plan.get_absolute_url())
    rows = list(detail.context["task_page"])
    assert detail.context["late"] == 1 and [r.task.pk for r in rows if r.is_overdue] == [
        quarterly.pk
    ]
    # 2. The timeline: Q1 done, Q2 overdue, Q3 and Q4 due.
    timeline = client.get(reverse("plans:timeline", args=[agency.pk, plan.pk]))
    (line,) = timeline.context["lines"]
    assert [line.cells[m - 1] for m in (3, 6, 9, 12)] == ["done", "overdue", "due", "due"]
    assert sum(1 for ln in timeline.context["lines"] if "overdue" in ln.cells) == 1
    # 3. The dashboard.
    dashboard = client.get(reverse("organization:dashboard", args=[agency.pk]))
    assert dashboard.context["overdue_count"] == 1
    # 4. The agenda ("Việc của tôi" of the whole agency).
    agenda = client.get(reverse("agenda:agency", args=[agency.pk]))
    overdue = agenda.context["groups"].overdue
    assert [(o.due_date, o.url) for o in overdue] == [
        (D(2026, 6, 30), quarterly.get_absolute_url())
    ]
    # 5. The progress report sent to the province.
    report = client.get(reverse("plans:export", args=[agency.pk, plan.pk, "progress-docx"]))
    text = _docx_text(report.content)
    assert "1 nhiệm vụ quá hạn" in text and "30/06/2026" in text and "Quá hạn" in text
    assert "Hạn 31/03/2026: hoàn thành ngày 28/03/2026" in text
    assert "Hạn 30/06/2026: quá hạn" in text and "Hạn 30/09/2026: chưa đến hạn" in text
    # 6. The inbox of the lead unit's head.
    inbox = client.get(reverse("agenda:inbox"))
    late = [item for item in inbox.context["page"] if item.overdue]
    assert [item.url for item in late] == [quarterly.get_absolute_url()]
    assert InboxItem.objects.filter(url=quarterly.get_absolute_url()).exists()


def test_once_q2_is_done_no_view_reports_it_overdue(quarterly, cast, login):
    for key in (Q1, Q2):
        services.record_occurrence(quarterly, key, cast.users["secretary"], done=True, on=DAY)
    client = login(cast.users["unit_head"])
    plan = quarterly.plan
    assert client.get(plan.get_absolute_url()).context["late"] == 0
    dashboard = client.get(reverse("organization:dashboard", args=[cast.a.pk]))
    assert dashboard.context["overdue_count"] == 0
    agenda = client.get(reverse("agenda:agency", args=[cast.a.pk]))
    assert agenda.context["groups"].overdue == []
    inbox = client.get(reverse("agenda:inbox"))
    assert not [item for item in inbox.context["page"] if item.overdue]
    assert [i.due_date for i in inbox.context["page"]] == [D(2026, 9, 30)]  # the next quarter


def test_the_task_page_costs_the_same_queries_whatever_is_recorded(quarterly, cast, login):
    """The occurrences' progress is one query (with who recorded it and the evidence), the
    task's evidence files one query for every occurrence's form."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cast.users["staff"])
    url = quarterly.get_absolute_url()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client.get(url)
    before = count()
    for key in (Q1, Q2, Q3):
        services.record_occurrence(quarterly, key, cast.users["staff"], done=True, on=DAY)
    assert count() == before
    assert OccurrenceProgress.objects.filter(task=quarterly).count() == 3


def test_the_demo_records_the_past_quarters_of_the_legal_review(db, on_day):
    from qms.organization import demo as organization_demo
    from qms.plans import demo
    from qms.plans.models import Plan

    organization_demo.load()
    demo.load()
    plan = Plan.objects.get(year=2026, last_year=None)
    task = plan.tasks.get(order=4)
    assert task.content == demo.HP_TASKS[3][0]  # the seed row's text is unchanged
    row = services.task_row(task, DAY)
    assert [line.state for line in row.occurrence_lines()][:4] == ["done", "done", "done", "open"]
    assert not row.is_overdue and task.status == PlanTask.Status.IN_PROGRESS
    assert task.last_due == D(2026, 12, 31)  # Q4: the first open due date
    late = Obligation.objects.filter(source__startswith=f"plans.plan:{plan.pk}:{task.pk}:")
    assert [o.state for o in late.filter(due_date__lte=D(2026, 9, 30))] == ["done"] * 3
    assert not [o for o in late if o.is_overdue(D(2026, 12, 3))]
