"""The plan's life: draft → submitted → issued → amended / closed; copy to next year."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from qms.agenda.models import Obligation
from qms.plans import services
from qms.plans.models import Plan, PlanEvent, PlanTask, ProgressNote
from qms.plans.tests.conftest import issue

D = dt.date


def test_it_issues_a_submitted_plan_and_freezes_the_version(plan):
    issue(plan)
    assert plan.status == Plan.Status.ISSUED and plan.number == 5
    version = plan.versions.get()
    assert [t["content"] for t in version.snapshot["tasks"]] == [
        "Kiện toàn Ban Chỉ đạo ISO",
        "Tổ chức đánh giá nội bộ",
        "Đánh giá thử",
    ]


@pytest.mark.parametrize(
    "change", [services.issue, services.amend, services.close, services.send_back]
)
def test_it_refuses_illegal_transitions_from_draft(plan, change):
    kwargs = {"number": 1, "issued_on": D(2026, 1, 1)} if change is services.issue else {}
    with pytest.raises(ValidationError):
        change(plan, **kwargs)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_it_refuses_to_submit_a_plan_without_tasks(cast):
    empty = services.create_plan(cast.a, year=2027, title="Trống")
    with pytest.raises(ValidationError):
        services.submit(empty)


def test_it_refuses_an_issue_date_outside_the_plan_years(plan):
    services.submit(plan)
    with pytest.raises(ValidationError):
        services.issue(plan, number=1, issued_on=D(2020, 1, 1))


def test_it_registers_dated_and_waiting_obligations_when_issued(plan):
    issue(plan)
    obligations = Obligation.objects.filter(agency=plan.agency).order_by("due_date", "pk")
    assert [(o.title, o.due_date) for o in obligations if o.due_date] == [
        ("1. Kiện toàn Ban Chỉ đạo ISO", D(2026, 1, 31)),
        ("2. Tổ chức đánh giá nội bộ", D(2026, 7, 31)),
    ]
    waiting = obligations.get(due_date__isnull=True)
    assert waiting.title == "3. Đánh giá thử" and waiting.waiting_for


def test_it_moves_the_due_date_when_the_event_is_recorded(plan, cast):
    issue(plan)
    services.record_event(
        plan, "document_set_effective", D(2026, 3, 10), by=cast.users["secretary"]
    )
    audit = Obligation.objects.get(title="2. Tổ chức đánh giá nội bộ")
    assert audit.due_date == D(2026, 4, 9)
    services.record_event(plan, "inspection_notice", D(2026, 10, 20), by=cast.users["secretary"])
    assert Obligation.objects.get(title="3. Đánh giá thử").due_date == D(2026, 10, 5)
    # recorded again with a corrected date: one event, the new date
    services.record_event(
        plan, "document_set_effective", D(2026, 3, 20), by=cast.users["secretary"]
    )
    assert PlanEvent.objects.filter(plan=plan).count() == 2
    assert Obligation.objects.get(title="2. Tổ chức đánh giá nội bộ").due_date == D(2026, 4, 19)


def test_it_reopens_an_issued_plan_for_amendment_and_keeps_the_issued_text(plan):
    issue(plan)
    before = set(Obligation.objects.filter(agency=plan.agency).values_list("title", "due_date"))
    services.amend(plan, reason="Bổ sung nhiệm vụ tập huấn")
    plan.refresh_from_db()
    assert plan.is_editable and plan.amendment_no == 1 and plan.is_in_force
    # The year's work goes on while the amendment is drafted: the agenda stays as it was.
    after = set(Obligation.objects.filter(agency=plan.agency).values_list("title", "due_date"))
    assert after == before and before
    assert plan.history.latest().history_change_reason == "Bổ sung nhiệm vụ tập huấn"
    plan.tasks.filter(order=1).update(content="Nội dung đã sửa")
    assert plan.versions.get(amendment_no=0).snapshot["tasks"][0]["content"] == (
        "Kiện toàn Ban Chỉ đạo ISO"
    )


def test_it_needs_a_reason_to_skip_a_task(plan):
    issue(plan)
    task = plan.tasks.get(order=1)
    with pytest.raises(ValidationError):
        services.set_task_status(task, PlanTask.Status.SKIPPED, "  ")
    services.set_task_status(task, PlanTask.Status.SKIPPED, "Không có thay đổi nhân sự")
    assert Obligation.objects.get(title__startswith="1.").state == "cancelled"


def test_it_copies_a_plan_to_the_next_year(plan, cast):
    plan.tasks.filter(order=1).update(timing={"parts": [{"kind": "date", "day": "2026-03-05"}]})
    issue(plan)
    task = plan.tasks.get(order=1)
    services.set_task_status(task, PlanTask.Status.DONE)
    ProgressNote.objects.create(
        task=task, on=D(2026, 3, 5), text="Xong", author=cast.users["secretary"]
    )
    services.record_event(
        plan, "document_set_effective", D(2026, 3, 10), by=cast.users["secretary"]
    )
    new = services.copy_to_year(plan, 2027)
    assert (new.year, new.status, new.number) == (2027, Plan.Status.DRAFT, None)
    assert new.title == "Duy trì HTQLCL năm 2027"
    tasks = list(new.tasks.order_by("order"))
    assert tasks[0].timing == {"parts": [{"kind": "date", "day": "2027-03-05"}]}
    assert tasks[1].timing == plan.tasks.get(order=2).timing  # relative rule kept
    assert {t.status for t in tasks} == {PlanTask.Status.NOT_STARTED}
    assert not tasks[0].progress_notes.exists() and not new.events.exists()
    with pytest.raises(ValidationError):
        services.copy_to_year(plan, 2027)


def test_an_amendment_needs_its_reason(plan):
    issue(plan)
    with pytest.raises(ValidationError, match="cần có ý kiến"):
        services.amend(plan, reason="   ")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ISSUED and plan.amendment_no == 0


def test_progress_is_still_recorded_while_an_amendment_is_drafted(plan, cast):
    issue(plan)
    services.amend(plan, reason="Điều chỉnh thời gian đánh giá nội bộ")
    task = plan.tasks.get(order=1)
    services.set_task_status(task, PlanTask.Status.DONE)
    assert Obligation.objects.get(title__startswith="1.").state == "done"
