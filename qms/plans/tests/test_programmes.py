"""Programmes over several years and phases (issue 11 §3): a programme "giai đoạn 2026–2030"
sits beside the annual plan, each row belongs to one of its years and is tracked there, a
row may run the whole period; rows are grouped under headed phases printed across the table;
copying a plan moves the years that stand alone and never a period written in its texts."""

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from qms.plans import services
from qms.plans import timing as tm
from qms.plans.models import Plan, PlanSection, PlanTask
from qms.plans.tests.test_plan_shape import task_data, url


def new_plan(client, agency, **fields):
    data = {"year": "2026", "last_year": "", "title": "", "standard": "tcvn-iso-9001-2015"}
    return client.post(reverse("plans:create", args=[agency.pk]), data | fields)


@pytest.fixture
def programme(cast):
    return services.create_plan(
        cast.a,
        year=2026,
        last_year=2030,
        title="Chương trình cải tiến HTQLCL gắn với chuyển đổi số giai đoạn 2026–2030",
    )


# --- timing: the whole period -------------------------------------------------------------


def test_the_whole_period_round_trips_with_its_deadline():
    rule = tm.parse_vietnamese("Giai đoạn 2026–2030", 2026)
    assert tm.describe(rule, 2026) == "Giai đoạn 2026–2030"
    assert tm.Timing.from_dict(rule.to_dict()) == rule
    assert rule.to_dict() == {"parts": [{"kind": "period", "years": 5}]}
    [occurrence] = tm.occurrences(rule, 2026, {})
    assert (occurrence.start, occurrence.due) == (dt.date(2026, 1, 1), dt.date(2030, 12, 31))
    # Written as agencies write it, it reads the same.
    assert tm.parse_vietnamese("Từ năm 2026 đến năm 2030", 2026) == rule
    assert tm.parse_vietnamese("giai đoạn 2026 - 2030", 2026) == rule
    # Copied to the next programme, it keeps its length.
    assert tm.describe(rule.shifted(5), 2031) == "Giai đoạn 2031–2035"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Giai đoạn 2025–2030", "không khớp với năm kế hoạch 2026"),
        ("Giai đoạn 2026–2026", "phải sau năm đầu"),
        ("Giai đoạn 2026–2040", "từ 2 đến 10 năm"),
    ],
)
def test_a_period_that_cannot_be_is_refused_with_a_reason(text, message):
    with pytest.raises(tm.TimingError, match=message):
        tm.parse_vietnamese(text, 2026)


# --- the programme beside the annual plan ---------------------------------------------------


def test_a_programme_is_created_beside_the_annual_plan_of_its_first_year(cast, login, plan):
    client = login(cast.users["secretary"])
    title = "Chương trình áp dụng HTQLCL giai đoạn 2026–2030"
    response = new_plan(client, cast.a, last_year="2030", title=title)
    assert response.status_code == 302
    programme = Plan.objects.get(agency=cast.a, last_year=2030)
    assert (programme.year, programme.period_text, programme.title) == (2026, "2026–2030", title)
    assert list(programme.years) == [2026, 2027, 2028, 2029, 2030]
    page = client.get(reverse("plans:list", args=[cast.a.pk])).content.decode()
    assert "2026–2030" in page and plan.title in page
    detail = client.get(programme.get_absolute_url()).content.decode()
    assert "Chương trình giai đoạn 2026–2030" in detail


@pytest.mark.parametrize(
    ("last_year", "message"),
    [
        ("2026", "Chương trình kết thúc sau năm đầu tiên"),
        ("2040", "tối đa 10 năm"),
    ],
)
def test_a_programme_that_cannot_be_is_refused(cast, login, last_year, message):
    client = login(cast.users["secretary"])
    response = new_plan(client, cast.a, last_year=last_year, title="Chương trình")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Plan.objects.filter(agency=cast.a).exists()


def test_a_second_programme_for_the_same_period_is_refused(cast, login, programme):
    client = login(cast.users["secretary"])
    response = new_plan(client, cast.a, last_year="2030", title="Chương trình khác")
    assert "Cơ quan đã có chương trình cho giai đoạn này." in response.content.decode()
    assert Plan.objects.filter(agency=cast.a).count() == 1


def test_each_row_is_read_and_tracked_in_its_own_year(cast, login, programme):
    client = login(cast.users["secretary"])
    data = task_data(1, "Đánh giá giữa kỳ việc thực hiện chương trình", "committee")
    data |= {"year": "2028", "part0-kind": "quarter", "part0-quarter": "2"}
    response = client.post(url("task_create", programme), data)
    assert response.status_code == 302
    task = PlanTask.objects.get(plan=programme)
    assert task.year == 2028
    [row] = services.task_rows(programme, dt.date(2028, 7, 1))
    assert row.wording == "Quý II/2028"
    assert row.next_due == dt.date(2028, 6, 30) and row.is_overdue
    # Not overdue in 2026, when the programme begins.
    [row] = services.task_rows(programme, dt.date(2026, 7, 1))
    assert not row.is_overdue


def test_a_row_may_run_the_whole_period_and_is_shaded_across_each_year(cast, login, programme):
    client = login(cast.users["secretary"])
    data = task_data(1, "Duy trì Hệ thống quản lý chất lượng", "committee")
    data |= {"year": "2026", "part0-kind": "period", "part0-years": "5"}
    assert client.post(url("task_create", programme), data).status_code == 302
    [row] = services.task_rows(programme, dt.date(2027, 3, 1))
    assert row.wording == "Giai đoạn 2026–2030" and row.next_due == dt.date(2030, 12, 31)
    assert services.timeline_line(row, 2027).cells == ["window"] * 12
    assert services.timeline_line(row, 2030).cells == ["window"] * 11 + ["due"]
    page = client.get(url("timeline", programme) + "?year=2028").content.decode()
    assert 'active" aria-current="page" href="?year=2028"' in page
    assert page.count('class="tl-window"') == 12


def test_the_progress_report_of_a_programme_covers_the_year_asked_for(cast, login, programme):
    """A report on 2028 lists the rows of 2028 and the whole-period rows, not those of the
    other years, and counts only them."""
    client = login(cast.users["secretary"])
    rows = [
        (
            "Duy trì Hệ thống quản lý chất lượng",
            "2026",
            {"part0-kind": "period", "part0-years": "5"},
        ),
        ("Đào tạo nhận thức năm 2026", "2026", {"part0-kind": "quarter", "part0-quarter": "3"}),
        ("Đánh giá giữa kỳ", "2028", {"part0-kind": "quarter", "part0-quarter": "2"}),
    ]
    for order, (content, year, timing) in enumerate(rows, 1):
        data = task_data(order, content, "committee") | {"year": year, **timing}
        assert client.post(url("task_create", programme), data).status_code == 302
    page = client.get(programme.get_absolute_url()).content.decode()
    assert 'progress-docx/"' not in page and "progress-docx/?year=2028" in page
    response = client.get(url("export", programme, "progress-docx") + "?year=2028")
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "trong năm 2028, Kế hoạch có 2 nhiệm vụ" in text and "(năm 2028)" in text
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "STT"]
    listed = [row.cells[1].text for row in table.rows[1:]]
    assert listed == ["Duy trì Hệ thống quản lý chất lượng", "Đánh giá giữa kỳ"]


def test_a_period_beyond_the_programme_or_in_an_annual_plan_is_refused(
    cast, login, programme, plan
):
    client = login(cast.users["secretary"])
    data = task_data(1, "Duy trì", "committee")
    data |= {"year": "2028", "part0-kind": "period", "part0-years": "5"}
    page = client.post(url("task_create", programme), data).content.decode()
    assert "Giai đoạn 2028–2032 vượt quá thời gian của chương trình (2026–2030)." in page
    data.pop("year")
    page = client.post(url("task_create", plan), data).content.decode()
    assert "“Cả giai đoạn” chỉ dùng cho chương trình nhiều năm." in page
    assert not PlanTask.objects.filter(content="Duy trì").exists()


# --- phases ---------------------------------------------------------------------------------


def _phases(client, plan, titles):
    data = {
        "title": plan.title,
        "standard": plan.standard,
        "section_two_title": plan.section_two_title,
        "columns": ["timing", "lead"],
        "sections-TOTAL_FORMS": str(len(titles)),
        "sections-INITIAL_FORMS": "0",
    }
    for i, title in enumerate(titles):
        data |= {f"sections-{i}-order": str(i + 1), f"sections-{i}-title": title}
    return client.post(url("edit", plan), data)


def test_rows_grouped_in_phases_print_their_headings_on_the_page_docx_and_xlsx(
    cast, login, programme
):
    client = login(cast.users["secretary"])
    phases = ["Giai đoạn 1: Khảo sát, đánh giá thực trạng", "Giai đoạn 2: Áp dụng, cải tiến"]
    assert _phases(client, programme, phases).status_code == 302
    first, second = PlanSection.objects.filter(plan=programme)
    for order, (section, content) in enumerate(
        [(first, "Khảo sát"), (first, "Đào tạo"), (second, "Áp dụng")], 1
    ):
        data = task_data(order, content, "committee") | {"year": "2026", "section": section.pk}
        assert client.post(url("task_create", programme), data).status_code == 302

    page = client.get(programme.get_absolute_url()).content.decode()
    assert page.count("data-section") == 2
    table = page[page.index("<main") :]  # the menu has its own "Đào tạo" (Training)
    assert table.index(phases[0]) < table.index("Đào tạo") < table.index(phases[1])

    document = docx.Document(io.BytesIO(client.get(url("export", programme, "docx")).content))
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "STT"]
    texts = [[cell.text for cell in row.cells] for row in table.rows]
    # A heading row spans the whole table (one merged cell), above the first of its tasks.
    assert texts[1] == [phases[0]] * len(texts[1]) and len(table.rows[1]._tr.tc_lst) == 1
    assert texts[2][:2] == ["1", "Khảo sát"] and texts[4] == [phases[1]] * len(texts[4])

    sheet = load_workbook(io.BytesIO(client.get(url("export", programme, "xlsx")).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Năm", "Giai đoạn, nhóm nhiệm vụ", "STT")
    assert rows[3][:4] == (2026, phases[1], 3, "Áp dụng")


def test_a_phase_with_tasks_is_not_removed(cast, login, programme):
    client = login(cast.users["secretary"])
    section = PlanSection.objects.create(plan=programme, order=1, title="Giai đoạn 1")
    PlanTask.objects.create(
        plan=programme, order=1, content="Khảo sát", section=section, timing={"parts": []}
    )
    data = {
        "title": programme.title,
        "standard": programme.standard,
        "section_two_title": programme.section_two_title,
        "columns": ["timing", "lead"],
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "1",
        "sections-0-id": str(section.pk),
        "sections-0-order": "1",
        "sections-0-title": "Giai đoạn 1",
        "sections-0-DELETE": "on",
    }
    page = client.post(url("edit", programme), data).content.decode()
    assert "“Giai đoạn 1” còn nhiệm vụ" in page
    assert PlanSection.objects.filter(pk=section.pk).exists()


# --- copying --------------------------------------------------------------------------------


def test_copying_moves_the_plans_year_and_never_a_period_in_its_texts(cast, plan):
    plan.title = "Kế hoạch năm 2026 thực hiện Chương trình giai đoạn 2026–2030"
    plan.save()
    PlanTask.objects.filter(plan=plan, order=1).update(
        content="Triển khai nội dung năm 2026 của Chương trình 2026 - 2030"
    )
    new = services.copy_to_year(plan, 2027)
    assert new.title == "Kế hoạch năm 2027 thực hiện Chương trình giai đoạn 2026–2030"
    first = new.tasks.get(order=1)
    assert first.content == "Triển khai nội dung năm 2027 của Chương trình 2026 - 2030"


def test_copying_a_programme_keeps_its_length_its_phases_and_each_rows_year(cast, programme):
    section = PlanSection.objects.create(plan=programme, order=1, title="Giai đoạn 1")
    PlanTask.objects.create(
        plan=programme,
        order=1,
        content="Đánh giá giữa kỳ",
        section=section,
        year=2028,
        timing={"parts": [{"kind": "quarter", "quarter": 2}]},
    )
    new = services.copy_to_year(programme, 2031)
    assert (new.year, new.last_year) == (2031, 2035)
    task = new.tasks.get()
    assert task.year == 2033 and task.section.plan == new and task.section.title == "Giai đoạn 1"
    assert programme.sections.get() == section  # the source keeps its own


def test_a_new_plan_starts_from_a_title_in_the_words_of_the_agencys_standard(cast, login):
    from qms.organization.models import Agency

    Agency.objects.filter(pk=cast.a.pk).update(standard="tcvn-iso-18091-2020")
    client = login(cast.users["secretary"])
    page = client.get(reverse("plans:list", args=[cast.a.pk])).content.decode()
    assert "theo Tiêu chuẩn quốc gia TCVN ISO 18091:2020 năm " in page
    assert 'value="tcvn-iso-18091-2020" selected' in page
    # The agency's events, which relative rows wait for, are one click away.
    assert reverse("plans:events", args=[cast.a.pk]) in page
