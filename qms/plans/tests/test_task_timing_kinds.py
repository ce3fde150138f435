"""The new timing kinds through the product: the task form, the plan and task pages, the
overdue and waiting counts, the agenda, the timeline and the exports."""

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from qms.agenda.models import Obligation
from qms.plans import services
from qms.plans.models import PlanTask
from qms.plans.tests.conftest import issue


def task_data(order, **timing):
    """What the task form posts: both clauses empty unless given (`part0-kind`, ...)."""
    data = {
        "order": order,
        "content": f"Nhiệm vụ {order}",
        "lead_kind": "committee",
        "lead_unit": "",
        "lead_text": "",
        "approver": "",
        "expected_result": "",
        "note": "",
        "part0-kind": "",
        "part1-kind": "",
        "timing-alt_event": "",
        "coordinations-TOTAL_FORMS": "0",
        "coordinations-INITIAL_FORMS": "0",
        "coordinations-MIN_NUM_FORMS": "0",
        "coordinations-MAX_NUM_FORMS": "1000",
    }
    data.update({key.replace("__", "-"): value for key, value in timing.items()})
    return data


def create(client, plan, data):
    return client.post(reverse("plans:task_create", args=[plan.agency_id, plan.pk]), data)


def plan_page(client, plan):
    return client.get(reverse("plans:detail", args=[plan.agency_id, plan.pk])).content.decode()


def add(plan, order, timing):
    return PlanTask.objects.create(
        plan=plan, order=order, content=f"Nhiệm vụ {order}", lead_kind="committee", timing=timing
    )


def test_it_saves_a_window_from_the_form_and_prints_it_with_its_due_date(plan, login, cast):
    client = login(cast.users["secretary"])
    # The month select of the quarter always posts a value: the window ignores it.
    data = task_data(4, part0__kind="window", part0__month="6", part0__to_month="8")
    data["part0-quarter"] = "1"
    assert create(client, plan, data).status_code == 302
    task = plan.tasks.get(order=4)
    assert task.timing == {"parts": [{"kind": "window", "month": 6, "to_month": 8}]}
    assert task.last_due == dt.date(2026, 8, 31)
    page = plan_page(client, plan)
    row = page[page.index('data-task="4"') :].split("</tr>")[0]
    assert "Từ tháng 6 đến tháng 8/2026" in row and "31/08/2026" in row


def test_it_explains_a_window_that_ends_before_it_starts(plan, login, cast):
    client = login(cast.users["secretary"])
    data = task_data(4, part0__kind="window", part0__month="8", part0__to_month="6")
    response = create(client, plan, data)
    assert response.status_code == 200
    assert "Tháng kết thúc (tháng 6) phải sau tháng bắt đầu (tháng 8)." in response.content.decode()
    assert not plan.tasks.filter(order=4).exists()


def test_it_saves_a_timing_left_empty_as_not_stated(plan, login, cast):
    client = login(cast.users["secretary"])
    assert create(client, plan, task_data(4)).status_code == 302
    task = plan.tasks.get(order=4)
    assert task.timing == {"parts": [{"kind": "unstated"}]}
    assert (task.last_due, task.waiting_for) == (None, "")
    page = plan_page(client, plan)
    row = page[page.index('data-task="4"') :].split("</tr>")[0]
    assert 'data-label="Thời gian thực hiện"></td>' in row.replace("\n", "")
    assert "chờ sự kiện" not in row


def test_it_refuses_a_note_with_no_timing_to_go_with(plan, login, cast):
    client = login(cast.users["secretary"])
    response = create(client, plan, {**task_data(4), "timing-note": "Theo chỉ đạo của tỉnh"})
    assert response.status_code == 200
    assert "Thời gian không nêu thì không kèm phương án thay thế hay ghi chú" in (
        response.content.decode()
    )


def test_it_saves_the_start_of_the_year_and_the_end_of_a_quarter(plan, login, cast):
    client = login(cast.users["secretary"])
    data = task_data(
        4,
        part0__kind="start",
        part0__period="",
        part0__quarter="3",
        part1__kind="end",
        part1__period="2",
    )
    assert create(client, plan, data).status_code == 302
    task = plan.tasks.get(order=4)
    assert task.timing == {"parts": [{"kind": "start"}, {"kind": "end", "quarter": 2}]}
    assert "+ Đầu năm 2026\n+ Cuối Quý II/2026" in plan_page(client, plan)
    # Edited again, the form shows the period chosen, not a quarter.
    form = client.get(reverse("plans:task_edit", args=[plan.agency_id, plan.pk, task.pk]))
    html = form.content.decode()
    assert '<option value="2" selected>Quý II</option>' in html
    assert '<option value="" selected>năm</option>' in html


def test_it_saves_on_request_with_a_latest_date(plan, login, cast):
    client = login(cast.users["secretary"])
    data = task_data(4, part0__kind="on_request", part0__day="30/09/2026")
    assert create(client, plan, data).status_code == 302
    task = plan.tasks.get(order=4)
    assert task.timing == {"parts": [{"kind": "on_request", "day": "2026-09-30"}]}
    assert "Khi có yêu cầu, chậm nhất ngày 30/9/2026" in plan_page(client, plan)


@pytest.fixture
def on_call(plan):
    """Tasks 4-7: on request, when it arises (by 30/9), not stated, a window."""
    add(plan, 4, {"parts": [{"kind": "on_request"}]})
    add(plan, 5, {"parts": [{"kind": "as_needed", "day": "2026-09-30"}]})
    add(plan, 6, {"parts": [{"kind": "unstated"}]})
    add(plan, 7, {"parts": [{"kind": "window", "month": 6, "to_month": 8}]})
    services.rederive(plan)
    return plan


def test_on_request_and_not_stated_are_never_overdue_nor_waiting(on_call):
    day = dt.date(2027, 1, 10)  # every date of the plan has passed
    rows = {row.task.order: row for row in services.task_rows(on_call, day)}
    assert [rows[n].is_overdue for n in (4, 5, 6, 7)] == [False, True, False, True]
    assert [rows[n].waiting_for for n in (4, 5, 6)] == [None, None, None]
    assert [rows[n].next_due for n in (4, 5, 6)] == [None, dt.date(2026, 9, 30), None]
    # The totals (plan page, dashboard, progress report) say the same from the stored facts.
    overdue = set(PlanTask.objects.overdue(day).values_list("order", flat=True))
    assert overdue & {4, 5, 6, 7} == {5, 7}
    waiting = set(PlanTask.objects.waiting().values_list("order", flat=True))
    assert waiting & {4, 5, 6, 7} == set()
    assert services.summary(on_call, day).late == len(overdue)


def test_a_latest_date_not_yet_reached_is_not_overdue(on_call):
    rows = {row.task.order: row for row in services.task_rows(on_call, dt.date(2026, 9, 30))}
    assert not rows[5].is_overdue


def test_the_agenda_holds_only_what_has_a_date(on_call):
    plan = issue(on_call)
    sources = {
        o.source.rsplit(":", 2)[-2]: o for o in Obligation.objects.filter(source__contains="plan")
    }
    tasks = {t.order: str(t.pk) for t in plan.tasks.all()}
    assert tasks[4] not in sources and tasks[6] not in sources
    assert sources[tasks[5]].due_date == dt.date(2026, 9, 30)
    assert sources[tasks[5]].waiting_for == ""
    window = sources[tasks[7]]
    assert (window.start_date, window.due_date) == (dt.date(2026, 6, 1), dt.date(2026, 8, 31))


def test_the_timeline_shades_the_window_and_marks_only_a_latest_date(on_call):
    rows = {row.task.order: row for row in services.task_rows(on_call, dt.date(2026, 3, 1))}
    cells = {n: services.timeline_line(rows[n], 2026).cells for n in (4, 5, 6, 7)}
    assert cells[7][4:8] == ["", "window", "window", "due"]
    assert cells[4] == cells[6] == [""] * 12
    assert [n + 1 for n, cell in enumerate(cells[5]) if cell] == [9]


def test_the_task_page_says_no_due_date_rather_than_waiting(on_call, login, cast):
    task = on_call.tasks.get(order=4)
    page = login(cast.users["staff"]).get(task.get_absolute_url()).content.decode()
    assert "Khi có yêu cầu" in page
    due = page[page.index('id="due-dates"') :].split("</dd>")[0]
    assert "không có hạn" in due and "chờ sự kiện" not in due


def test_the_xlsx_export_prints_the_new_wordings(on_call, login, cast):
    client = login(cast.users["secretary"])
    response = client.get(reverse("plans:export", args=[on_call.agency_id, on_call.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value}
    assert "Khi có yêu cầu" in cells
    assert "Khi phát sinh, chậm nhất ngày 30/9/2026" in cells
    assert "Từ tháng 6 đến tháng 8/2026" in cells


def test_the_agenda_and_dashboard_list_no_undated_task_as_waiting(on_call, login, cast):
    issue(on_call)
    client = login(cast.users["secretary"])
    agenda = client.get(reverse("agenda:agency", args=[on_call.agency_id])).content.decode()
    assert "5. Nhiệm vụ 5" in agenda and "7. Nhiệm vụ 7" in agenda
    assert "4. Nhiệm vụ 4" not in agenda and "6. Nhiệm vụ 6" not in agenda
    dashboard = reverse("organization:dashboard", args=[on_call.agency_id])
    assert client.get(dashboard).status_code == 200


def test_the_docx_export_prints_the_new_wordings_and_an_empty_cell(on_call, login, cast):
    client = login(cast.users["secretary"])
    response = client.get(reverse("plans:export", args=[on_call.agency_id, on_call.pk, "docx"]))
    document = docx.Document(io.BytesIO(response.content))
    rows = [[cell.text for cell in row.cells] for t in document.tables for row in t.rows]
    by_content = {cells[1]: cells for cells in rows if len(cells) > 2}
    # Columns: STT, content, timing, lead, ...
    assert by_content["Nhiệm vụ 4"][2] == "Khi có yêu cầu"
    assert by_content["Nhiệm vụ 7"][2] == "Từ tháng 6 đến tháng 8/2026"
    assert by_content["Nhiệm vụ 6"][2] == ""  # not stated: an empty cell


def test_it_saves_a_window_of_two_dates_from_the_form_and_prints_it(plan, login, cast):
    client = login(cast.users["secretary"])
    data = task_data(
        4, part0__kind="date_window", part0__day="05/03/2026", part0__to_day="20/04/2026"
    )
    assert create(client, plan, data).status_code == 302
    task = plan.tasks.get(order=4)
    assert task.timing == {
        "parts": [{"kind": "date_window", "day": "2026-03-05", "to_day": "2026-04-20"}]
    }
    assert task.last_due == dt.date(2026, 4, 20)
    page = plan_page(client, plan)
    row = page[page.index('data-task="4"') :].split("</tr>")[0]
    assert "Từ ngày 05/3/2026 đến ngày 20/4/2026" in row and "20/04/2026" in row
    # Shaded from March, due in April on the timeline.
    rows = {r.task.order: r for r in services.task_rows(plan, dt.date(2026, 1, 10))}
    assert services.timeline_line(rows[4], 2026).cells[1:5] == ["", "window", "due", ""]
    # Edited again, the form shows both dates.
    form = client.get(reverse("plans:task_edit", args=[plan.agency_id, plan.pk, task.pk]))
    html = form.content.decode()
    assert 'value="05/03/2026"' in html and 'value="20/04/2026"' in html
    # Reversed, the form explains it in Vietnamese and saves nothing.
    data = task_data(
        5, part0__kind="date_window", part0__day="20/04/2026", part0__to_day="05/03/2026"
    )
    response = create(client, plan, data)
    assert response.status_code == 200
    assert "Ngày kết thúc (05/3/2026) phải sau ngày bắt đầu (20/4/2026)." in (
        response.content.decode()
    )
    assert not plan.tasks.filter(order=5).exists()
