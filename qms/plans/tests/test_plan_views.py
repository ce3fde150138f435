"""The plan screens: who may do what, recording events and progress, bad input, queries."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qms.plans.models import Evidence, Plan, PlanEvent, PlanTask
from qms.plans.tests.conftest import issue


def url(name, plan, *args):
    return reverse(f"plans:{name}", args=[plan.agency_id, plan.pk, *args])


def test_it_shows_the_plan_with_generated_wording_and_due_dates(plan, login, cast):
    page = login(cast.users["staff"]).get(url("detail", plan)).content.decode()
    assert "Tháng 1/2026" in page and "31/01/2026" in page
    assert "Trường hợp ban hành Bộ tài liệu ISO mới" in page
    assert "15 ngày trước khi có thông báo kiểm tra" in page


def test_it_hides_the_plan_from_another_agency(plan, login, cast):
    client = login(cast.users["secretary_b"])
    task = plan.tasks.first()
    for target in (
        url("detail", plan),
        url("export", plan, "docx"),
        reverse("plans:task", args=[plan.agency_id, task.pk]),
    ):
        assert client.get(target).status_code == 404
    # the agency in the URL is B's own, the plan is A's
    other = reverse("plans:detail", args=[cast.b.pk, plan.pk])
    assert client.get(other).status_code == 404
    assert (
        client.post(
            reverse("plans:event", args=[cast.b.pk, plan.pk]),
            {"event": "inspection_notice", "occurred_on": "01/10/2026"},
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("secretary", True), ("head", False), ("staff", False), ("overseer", False)],
)
def test_only_the_secretary_edits_and_records_events(plan, login, cast, who, allowed):
    client = login(cast.users[who])
    response = client.post(
        url("event", plan), {"event": "inspection_notice", "occurred_on": "20/10/2026"}
    )
    assert response.status_code == (302 if allowed else 403)
    assert PlanEvent.objects.filter(plan=plan).exists() is allowed
    assert client.get(url("edit", plan)).status_code == (200 if allowed else 403)


@pytest.mark.parametrize(
    ("who", "allowed"), [("head", True), ("deputy", True), ("secretary", False), ("staff", False)]
)
def test_only_the_leadership_records_the_plan_as_issued(plan, login, cast, who, allowed):
    from qms.plans import services

    services.submit(plan)
    response = login(cast.users[who]).post(
        reverse("paperwork:issue", args=[plan.agency_id, plan.paper_id]),
        {"number": "7", "issued_on": "15/01/2026"},
    )
    plan.refresh_from_db()
    assert (plan.status == Plan.Status.ISSUED) is allowed
    assert response.status_code == (302 if allowed else 403)


def test_it_explains_a_bad_event_date_and_records_nothing(plan, login, cast):
    response = login(cast.users["secretary"]).post(
        url("event", plan), {"event": "khong-co", "occurred_on": "32/13/2026"}
    )
    assert response.status_code == 400
    assert not PlanEvent.objects.exists()


def test_it_refuses_an_impossible_timing_with_a_message(plan, login, cast):
    task = plan.tasks.get(order=1)
    data = {
        "order": 1,
        "content": "X",
        "lead_kind": "committee",
        "lead_unit": "",
        "lead_text": "",
        "approver": "",
        "expected_result": "",
        "note": "",
        "part0-kind": "event",
        "part0-event": "",
        "part1-kind": "",
        "timing-alt_event": "",
        "coordinations-TOTAL_FORMS": "0",
        "coordinations-INITIAL_FORMS": "0",
        "coordinations-MIN_NUM_FORMS": "0",
        "coordinations-MAX_NUM_FORMS": "1000",
    }
    response = login(cast.users["secretary"]).post(url("task_edit", plan, task.pk), data)
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.content == "Kiện toàn Ban Chỉ đạo ISO"


def test_it_saves_a_task_with_a_two_clause_timing(plan, login, cast):
    data = {
        "order": 4,
        "content": "Rà soát quy trình",
        "lead_kind": "committee",
        "lead_unit": "",
        "lead_text": "",
        "approver": "",
        "expected_result": "",
        "note": "",
        "part0-kind": "recurring",
        "part0-every": "3",
        "part0-label": "đối với việc rà soát căn cứ pháp lý",
        "part1-kind": "event",
        "part1-event": "tthc_catalogue_approved",
        "part1-offset_days": "0",
        "timing-alt_event": "",
        "coordinations-TOTAL_FORMS": "1",
        "coordinations-INITIAL_FORMS": "0",
        "coordinations-MIN_NUM_FORMS": "0",
        "coordinations-MAX_NUM_FORMS": "1000",
        "coordinations-0-order": "0",
        "coordinations-0-unit": "",
        "coordinations-0-text": "Thư ký BCĐ",
        "coordinations-0-duty": "tổng hợp",
    }
    response = login(cast.users["secretary"]).post(
        reverse("plans:task_create", args=[plan.agency_id, plan.pk]), data
    )
    assert response.status_code == 302
    task = plan.tasks.get(order=4)
    assert [p["kind"] for p in task.timing["parts"]] == ["recurring", "event"]
    assert task.coordinations.get().label() == "Thư ký BCĐ tổng hợp"
    # What the plan's totals count is stored with it: the first open due date (the first
    # quarter's end: nothing is done yet), and the wait.
    assert (task.last_due, task.waiting_for) == (dt.date(2026, 3, 31), "tthc_catalogue_approved")


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("virus.exe", b"MZ....", "type"),
        ("bien-ban.pdf", b"not a pdf at all", "content"),
        ("bien-ban.docx", b"PK but broken", "damaged"),
    ],
)
def test_it_refuses_a_bad_evidence_file_and_saves_nothing(plan, login, cast, name, content, error):
    issue(plan)
    task = plan.tasks.get(order=1)
    client = login(cast.users["secretary"])
    response = client.post(
        reverse("plans:task_progress", args=[plan.agency_id, task.pk, "evidence"]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_it_refuses_a_file_over_the_upload_limit(plan, login, cast):
    from qms.lib.uploads import max_upload_bytes

    issue(plan)
    task = plan.tasks.get(order=1)
    big = SimpleUploadedFile("scan.pdf", b"%PDF" + b"0" * max_upload_bytes())
    login(cast.users["secretary"]).post(
        reverse("plans:task_progress", args=[plan.agency_id, task.pk, "evidence"]), {"file": big}
    )
    assert not Evidence.objects.exists()


def test_it_keeps_evidence_with_its_checksum_and_serves_it_back(plan, login, cast):
    import hashlib

    issue(plan)
    task = plan.tasks.get(order=1)
    client = login(cast.users["staff"])
    content = docx_bytes()
    client.post(
        reverse("plans:task_progress", args=[plan.agency_id, task.pk, "evidence"]),
        {"file": SimpleUploadedFile("Biên bản họp.docx", content)},
    )
    evidence = Evidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.original_name == "Biên bản họp.docx"
    response = client.get(reverse("plans:evidence", args=[plan.agency_id, evidence.pk]))
    assert response.content == content
    assert (
        login(cast.users["secretary_b"])
        .get(reverse("plans:evidence", args=[plan.agency_id, evidence.pk]))
        .status_code
        == 404
    )


def test_it_records_status_and_progress_notes(plan, login, cast):
    issue(plan)
    task = plan.tasks.get(order=1)
    client = login(cast.users["unit_head"])
    base = ["plans:task_progress", [plan.agency_id, task.pk]]
    client.post(
        reverse(base[0], args=[*base[1], "note"]), {"on": "10/02/2026", "text": "Đã trình dự thảo"}
    )
    client.post(reverse(base[0], args=[*base[1], "status"]), {"status": "done", "reason": ""})
    task.refresh_from_db()
    assert task.status == PlanTask.Status.DONE
    assert task.progress_notes.get().on == dt.date(2026, 2, 10)


def test_it_refuses_progress_on_a_draft_plan(plan, login, cast):
    task = plan.tasks.get(order=1)
    login(cast.users["secretary"]).post(
        reverse("plans:task_progress", args=[plan.agency_id, task.pk, "status"]), {"status": "done"}
    )
    task.refresh_from_db()
    assert task.status == PlanTask.Status.NOT_STARTED


def add_tasks(plan, n):
    start = plan.tasks.count()
    PlanTask.objects.bulk_create(
        [
            PlanTask(
                plan=plan,
                order=start + i + 1,
                content=f"Nhiệm vụ {i}",
                timing={"parts": [{"kind": "months", "months": [3, 9]}]},
                lead_kind="committee",
            )
            for i in range(n)
        ]
    )


def test_plan_page_queries_do_not_grow_with_tasks(plan, login, cast):
    # 4 common (session, user, agency, role grants) + 1 plan + 1 totals (one aggregate over
    # every task) + 1 events + 1 the page's tasks with lead unit + 1 their coordinations
    # + 1 their occurrences' progress + 1 versions + 2 header + 1 the agency's own events (the
    # event chooser; qms.plans.events) + 1 the count of tasks without a lead = 15, at 10 tasks
    # as at 120
    client = login(cast.users["secretary"])
    target = url("detail", plan)
    client.get(target)
    counts = []
    for n in (10, 110):  # 10 tasks, then 120
        add_tasks(plan, n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(target).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts == [15, 15]


def test_the_timeline_shades_windows_and_due_months(plan, login, cast):
    issue(plan)
    response = login(cast.users["staff"]).get(url("timeline", plan))
    lines = {line.row.task.order: line.cells for line in response.context["lines"]}
    # "due" or "overdue" depending on today's date; either way only the due month is marked.
    assert lines[1][0] in {"due", "overdue"} and lines[1][1:] == [""] * 11  # January
    assert lines[2][6] in {"due", "overdue"} and lines[2][:6] == [""] * 6  # July only
    assert lines[3] == [""] * 12  # waits for the inspection notice


def test_it_links_the_record_that_fulfils_a_task_only_within_the_agency(plan, login, cast):
    from qms.organization.tests.factories import D, issued

    issue(plan)
    mine = issued(cast.a, ["An"], 3, D(2026, 2, 1))
    theirs = issued(cast.b, ["Bảo"], 4, D(2026, 2, 1))
    task = plan.tasks.get(order=1)
    client = login(cast.users["secretary"])
    target = reverse("plans:task_progress", args=[plan.agency_id, task.pk, "link"])
    client.post(target, {"record": f"organization.committeedecision:{theirs.pk}"})
    task.refresh_from_db()
    assert task.fulfilled_by == ""
    client.post(target, {"record": f"organization.committeedecision:{mine.pk}"})
    page = client.get(reverse("plans:task", args=[plan.agency_id, task.pk])).content.decode()
    assert mine.get_absolute_url() in page.split('id="linked-record"')[1][:300]


def test_agenda_and_plan_pages_query_counts_ignore_the_number_of_plans(plan, login, cast):
    """The whole demo plan set of another agency does not change agency A's plan list."""
    client = login(cast.users["secretary"])
    target = reverse("plans:list", args=[plan.agency_id])
    client.get(target)
    with CaptureQueriesContext(connection) as ctx:
        client.get(target)
    # 4 common + 1 plans + 2 header = 7
    assert len(ctx.captured_queries) == 7
