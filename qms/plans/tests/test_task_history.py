"""A plan task's "Lịch sử thay đổi" shows its own changes (the timing worded as the plan
words it), its progress notes and its evidence files added and removed, with who and when,
in Vietnamese; the task page links to it; the page reads a fixed number of queries."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from qms.plans.models import Evidence
from qms.plans.tests.conftest import issue
from qms.plans.tests.test_plan_views import docx_bytes


def history_url(task):
    return reverse("organization:history", args=[task.plan.agency_id, "task", task.pk])


def progress(client, task, what, data):
    target = reverse("plans:task_progress", args=[task.plan.agency_id, task.pk, what])
    assert client.post(target, data).status_code == 302


def read(client, task):
    with translation.override("vi"):
        response = client.get(history_url(task))
    assert response.status_code == 200
    return response


def test_progress_notes_and_evidence_read_in_the_tasks_history(plan, login, cast):
    issue(plan)
    task = plan.tasks.get(order=1)
    client = login(cast.users["staff"])  # of the office, which leads the task
    progress(client, task, "note", {"on": "10/02/2026", "text": "Đã trình dự thảo quyết định"})
    progress(
        client, task, "evidence", {"file": SimpleUploadedFile("Biên bản họp.docx", docx_bytes())}
    )
    progress(client, task, "status", {"status": "done", "skip_reason": ""})
    Evidence.objects.get().delete()  # in the administration: the system did it

    entries = read(client, task).context["page"].object_list
    steps = [(e.kind, e.subject_label, e.subject, e.who) for e in entries if e.subject_label]
    assert steps[:3] == [
        ("Gỡ bỏ", "Tệp minh chứng", "Biên bản họp.docx", "Hệ thống"),
        ("Thêm", "Tệp minh chứng", "Biên bản họp.docx", "Staff"),
        ("Thêm", "Ghi nhận tiến độ", "Đã trình dự thảo quyết định", "Staff"),
    ]
    note = next(e for e in entries if e.subject_label == "Ghi nhận tiến độ")
    assert [(c.field, c.new) for c in note.changes] == [("ngày", "10/02/2026")]
    status = next(e for e in entries if e.kind == "Sửa" and not e.subject_label)
    assert [(c.field, c.old, c.new) for c in status.changes] == [
        ("trạng thái", "Chưa thực hiện", "Hoàn thành")
    ]
    created = entries[-1]
    assert created.kind == "Tạo mới"
    assert ("thời gian thực hiện", "Tháng 1/2026") in [(c.field, c.new) for c in created.changes]
    page = read(client, task).content.decode()
    assert f'href="{task.get_absolute_url()}">&larr; Quay lại nhiệm vụ kế hoạch</a>' in page
    for english in ("Created", "Changed", "Removed", "Added", "Evidence file", "Back to"):
        assert english not in page


def test_the_task_page_links_to_its_history(plan, login, cast):
    task = plan.tasks.get(order=1)
    page = login(cast.users["staff"]).get(task.get_absolute_url()).content.decode()
    assert history_url(task) in page


def count(client, task):
    with CaptureQueriesContext(connection) as ctx:
        read(client, task)
    return len(ctx.captured_queries)


def test_the_tasks_history_reads_a_fixed_number_of_queries(plan, login, cast):
    issue(plan)
    task = plan.tasks.get(order=1)
    client = login(cast.users["staff"])
    client.get(history_url(task))  # a first visit may remember the current agency
    progress(client, task, "note", {"on": "01/02/2026", "text": "Bắt đầu"})
    few = count(client, task)
    # 4 common + 2 header + the task with its plan and agency + its history + the units it
    # named + the coordinations', progress notes' and evidence files' histories (a timing
    # that names an event adds the agency's own events, once)
    assert few == 12
    day = dt.date(2026, 2, 1)
    for i in range(20):
        on = (day + dt.timedelta(days=i)).strftime("%d/%m/%Y")
        progress(client, task, "note", {"on": on, "text": f"Ghi nhận {i}"})
        upload = SimpleUploadedFile(f"Biên bản {i}.docx", docx_bytes())
        progress(client, task, "evidence", {"file": upload})
        status = "in_progress" if i % 2 else "not_started"
        progress(client, task, "status", {"status": status, "skip_reason": ""})
    assert len(read(client, task).context["page"].paginator.object_list) > 60
    assert count(client, task) == few
