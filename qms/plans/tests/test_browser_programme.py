"""Real Chromium (issue 11, "Done when"): the ISO secretary of the demo names an event of the
agency's own, creates a five-year programme on the plans list, splits it into two phases,
enters a row per kind of timing a programme uses (a window of months in a year of it, "Khi
có yêu cầu" in a later year, a row counting from the agency's event, one over the whole
period), records the event and exports the programme — all through the pages."""

import io
import re

import docx
import openpyxl
import pytest
from playwright.sync_api import expect

from conftest import log_in
from qms.organization.models import Agency
from qms.plans.models import Plan

pytestmark = pytest.mark.browser

EVENT = "Thay đổi thành viên Ban Chỉ đạo"
PHASE_1 = "Giai đoạn 1: Khảo sát, đánh giá thực trạng"
PHASE_2 = "Giai đoạn 2: Áp dụng, cải tiến"


def named(text: str) -> re.Pattern[str]:
    """A label as the page prints it: the words, and " *" after a required field's."""
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def free_period(agency: Agency) -> int:
    """The first year of a five-year programme the agency does not hold yet: 2026–2030
    unless the demo already has it (then 2031–2035, and so on)."""
    first = 2026
    while Plan.objects.filter(agency=agency, year=first, last_year=first + 4).exists():
        first += 5
    return first


def add_task(page, content: str, *, phase: str | None = None, year: int | None = None):
    """From the plan page, "Thêm nhiệm vụ": the row's year and phase, its content, led by the
    ISO steering committee; the caller fills the timing (clause 1) and saves."""
    page.get_by_role("link", name="Thêm nhiệm vụ").click()
    expect(page.get_by_role("heading", name="Thêm nhiệm vụ")).to_be_visible()
    if year is not None:
        page.get_by_label(named("Năm của chương trình")).select_option(str(year))
    if phase is not None:
        page.get_by_label(named("Giai đoạn, nhóm")).select_option(label=phase)
    page.get_by_label(named("Nội dung")).fill(content)
    page.get_by_label(named("Chủ trì")).select_option(label="Ban Chỉ đạo ISO")
    return page.get_by_role("group", name="Mốc 1")


def save_task(page, plan_url: str) -> None:
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page).to_have_url(plan_url)
    expect(page.get_by_text("Đã lưu nhiệm vụ.")).to_be_visible()


def test_the_secretary_enters_a_programme_in_phases_with_an_event_of_its_own(page):
    agency = Agency.objects.get(name="Ban Quản lý Khu kinh tế Hải Phòng")
    y = free_period(agency)
    last = y + 4
    title = f"Chương trình cải tiến HTQLCL giai đoạn {y}–{last}"

    log_in(page, "thuky.hp")
    page.wait_for_url("**/agencies/*/")

    # 2. The programme, created on the plans list.
    page.locator("#mainnav").get_by_role("button", name="Kế hoạch", exact=True).click()
    page.locator("#mainnav").get_by_role("link", name="Kế hoạch, chương trình ISO").click()
    new_plan = page.locator("form", has=page.get_by_role("button", name="Tạo mới"))
    new_plan.get_by_label(named("Năm")).fill(str(y))
    new_plan.get_by_label(named("Năm cuối của giai đoạn")).fill(str(last))
    new_plan.get_by_label(named("Tiêu đề")).fill(title)
    new_plan.get_by_role("button", name="Tạo mới").click()
    expect(page.get_by_text("Đã tạo kế hoạch.")).to_be_visible()
    expect(page.locator("#plan-period")).to_contain_text(f"Chương trình giai đoạn {y}–{last}")
    plan = Plan.objects.get(agency=agency, year=y, last_year=last)
    assert (plan.title, plan.status) == (title, Plan.Status.DRAFT)
    plan_url = f"{page.base_url}{plan.get_absolute_url()}"

    # 1. The agency's own event, from the link under the plan's events.
    page.get_by_role("link", name="Sự kiện làm mốc thời gian của kế hoạch").click()
    page.get_by_label(named("Tên")).fill(EVENT)
    page.get_by_label(named("Cụm từ sau “… ngày kể từ”")).fill(
        "ngày có thay đổi thành viên Ban Chỉ đạo"
    )
    page.get_by_label(named("Cụm từ sau “… ngày trước”")).fill(
        "ngày thay đổi thành viên Ban Chỉ đạo"
    )
    page.get_by_label(named("Cụm từ sau “ngay sau khi”")).fill("có thay đổi thành viên Ban Chỉ đạo")
    page.get_by_label(named("Cụm từ sau “Trường hợp”")).fill("thay đổi thành viên Ban Chỉ đạo")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Đã lưu sự kiện;")).to_be_visible()
    own = page.locator("#own-events")
    expect(own).to_contain_text(EVENT)
    expect(own).to_contain_text("… ngày kể từ ngày có thay đổi thành viên Ban Chỉ đạo")
    expect(own).to_contain_text("(Trường hợp thay đổi thành viên Ban Chỉ đạo thì …)")

    # 3. Two phases on the edit page.
    page.goto(plan_url)
    page.get_by_role("link", name="Sửa nội dung").click()
    expect(page.get_by_role("heading", name="Các giai đoạn, nhóm nhiệm vụ")).to_be_visible()
    rows = page.locator("#section-rows tr")
    expect(rows).to_have_count(2)  # two empty rows to start with
    for i, phase in enumerate((PHASE_1, PHASE_2)):
        page.locator(f"#id_sections-{i}-order").fill(str(i + 1))
        page.locator(f"#id_sections-{i}-title").fill(phase)
    # One more row added and left empty does not stop the save.
    page.get_by_role("button", name="Thêm giai đoạn, nhóm").click()
    expect(rows).to_have_count(3)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page).to_have_url(plan_url)
    expect(page.get_by_text("Đã lưu kế hoạch.")).to_be_visible()
    assert list(plan.sections.values_list("order", "title")) == [(1, PHASE_1), (2, PHASE_2)]

    # 4. The rows. (d) The whole period first, in no phase, as programmes print it.
    clause = add_task(page, "Duy trì, cải tiến HTQLCL trong cả giai đoạn")
    clause.get_by_label(named("Loại")).select_option(label="Cả giai đoạn của chương trình")
    clause.get_by_label(named("Số năm của giai đoạn")).fill("5")
    save_task(page, plan_url)
    # (a) Phase 1, the first year, from March to May.
    clause = add_task(page, "Khảo sát, đánh giá thực trạng áp dụng HTQLCL", phase=PHASE_1, year=y)
    clause.get_by_label(named("Loại")).select_option(label="Từ tháng … đến tháng …")
    clause.get_by_label(named("Tháng")).select_option("3")
    clause.get_by_label(named("Đến tháng (cho «Từ tháng … đến tháng …»)")).select_option("5")
    save_task(page, plan_url)
    # (b) Phase 2, the second year, on request.
    clause = add_task(page, "Báo cáo kết quả thực hiện Chương trình", phase=PHASE_2, year=y + 1)
    clause.get_by_label(named("Loại")).select_option(label="Khi có yêu cầu")
    save_task(page, plan_url)
    # (c) Phase 2, ten days after the agency's own event.
    clause = add_task(page, "Cập nhật danh sách Ban Chỉ đạo trong Sổ tay chất lượng", phase=PHASE_2)
    clause.get_by_label(named("Loại")).select_option(label="Theo sự kiện")
    clause.get_by_label(named("Sự kiện")).select_option(label=EVENT)
    clause.get_by_label(named("Số ngày sau sự kiện (số âm: trước sự kiện)")).fill("10")
    save_task(page, plan_url)

    # 5. The plan page: phase headings above their rows, each row's wording and due date.
    lines = page.locator("#tasks tbody tr")
    expect(lines).to_have_count(6)
    texts = [" ".join(t.split()) for t in lines.all_inner_texts()]
    assert texts[1] == PHASE_1 and texts[3] == PHASE_2
    assert [lines.nth(i).get_attribute("data-task") for i in (0, 2, 4, 5)] == ["1", "2", "3", "4"]
    assert [lines.nth(i).get_attribute("data-section") for i in (1, 3)] == ["", ""]

    def row(order: int):
        return page.locator(f"#tasks tr[data-task='{order}']")

    expect(row(1).locator("[data-label='Thời gian thực hiện']")).to_have_text(
        f"Giai đoạn {y}–{last}"
    )
    expect(row(1).locator(".due")).to_have_text(f"31/12/{last}")
    expect(row(2).locator("[data-label='Thời gian thực hiện']")).to_have_text(
        f"Từ tháng 3 đến tháng 5/{y}"
    )
    expect(row(2).locator(".due")).to_have_text(f"31/05/{y}")
    expect(row(3).locator("[data-label='Thời gian thực hiện']")).to_have_text("Khi có yêu cầu")
    expect(row(3).locator(".due")).to_have_text("")  # no due date, and nothing to wait for
    expect(row(4).locator("[data-label='Thời gian thực hiện']")).to_have_text(
        "10 ngày kể từ ngày có thay đổi thành viên Ban Chỉ đạo"
    )
    expect(row(4).locator(".due")).to_have_text("chờ sự kiện")

    # 6. The event recorded on the (draft) programme: the row gets its date.
    events = page.locator("form", has=page.get_by_role("button", name="Ghi nhận sự kiện"))
    events.get_by_label(named("Sự kiện")).select_option(label=EVENT)
    events.get_by_label(named("Ngày")).fill(f"10/03/{y}")
    events.get_by_role("button", name="Ghi nhận sự kiện").click()
    expect(page.locator("#events")).to_contain_text(f"{EVENT}: 10/03/{y}")
    expect(row(4).locator(".due")).to_have_text(f"20/03/{y}")

    # 7. The exports, from the plan page's buttons.
    with page.expect_download() as info:
        page.get_by_role("link", name="DOCX").click()
    document = docx.Document(io.BytesIO(info.value.path().read_bytes()))
    table = next(t for t in document.tables if any(PHASE_1 in c.text for c in t._cells))
    printed = [[c.text.strip() for c in r.cells] for r in table.rows]
    heading_rows = [i for i, cells in enumerate(printed) if set(cells) in ({PHASE_1}, {PHASE_2})]
    assert [printed[i][0] for i in heading_rows] == [PHASE_1, PHASE_2]  # rows across the table
    assert printed[heading_rows[0] + 1][0] == "2"  # phase 1 above row 2
    assert [printed[heading_rows[1] + n][0] for n in (1, 2)] == ["3", "4"]  # phase 2: 3 and 4
    cells = "\n".join(c for cells in printed for c in cells)
    for wording in (f"Từ tháng 3 đến tháng 5/{y}", "Khi có yêu cầu", f"Giai đoạn {y}–{last}"):
        assert wording in cells

    with page.expect_download() as info:
        page.get_by_role("link", name="XLSX").click()
    sheet = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes())).active
    values = [[cell.value for cell in r] for r in sheet.iter_rows()]
    header = next(i for i, r in enumerate(values) if "Năm" in r)
    columns = values[header]
    assert "Giai đoạn, nhóm nhiệm vụ" in columns
    by_order = {r[columns.index("STT")]: r for r in values[header + 1 :] if any(r)}
    on_request = by_order[3]
    assert on_request[columns.index("Năm")] == y + 1
    assert on_request[columns.index("Giai đoạn, nhóm nhiệm vụ")] == PHASE_2
    assert on_request[columns.index("Thời gian")] == "Khi có yêu cầu"
    assert by_order[2][columns.index("Giai đoạn, nhóm nhiệm vụ")] == PHASE_1
    assert by_order[1][columns.index("Giai đoạn, nhóm nhiệm vụ")] in ("", None)
