"""Real Chromium (issue 12's journey, through the pages only): the Sở KH&CN imports a
catalogue with a new TTHC and applies it; the secretary of an agency of the province adds it
to the agency's TTHC, sees it among those no ISO procedure covers, defines its steps (a total
over the statutory time refused first, in Vietnamese), imports a month of dossiers for it and
reads the month's on-time rate on the results page."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from qms import demo
from qms.organization.models import Agency
from qms.procedures.models import AgencyProcedure
from qms.procedures.tests.test_catalogue_files import rows_csv

pytestmark = pytest.mark.browser

CODE = "1.099321.000.00.00.H38"  # not in the demo's catalogue of Hải Phòng
NAME = "Cấp giấy xác nhận ưu đãi dự án sản xuất sản phẩm công nghiệp hỗ trợ"
NEW_TTHC = (CODE, NAME, "Công nghiệp", "Cấp tỉnh", "10", "ngày làm việc", "Một phần", "")


def named(text: str) -> re.Pattern[str]:
    """A label as the page prints it: the words, and " *" after a required field's."""
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def dossiers_csv() -> bytes:
    """November 2026 from the one-stop system, one row per dossier: received Monday 02/11,
    due Monday 09/11; two resolved early, one on the day, one late."""
    header = "Mã hồ sơ,Mã TTHC,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Trạng thái,"
    header += "Hình thức tiếp nhận"
    rows = [
        ("HS-2611-001", "05/11/2026", "Trực tuyến"),
        ("HS-2611-002", "06/11/2026", "Trực tiếp"),
        ("HS-2611-003", "09/11/2026", "Trực tuyến"),
        ("HS-2611-004", "12/11/2026", "Bưu chính"),
    ]
    lines = [header] + [
        f"{number},{CODE},02/11/2026,09/11/2026,{resolved},Đã trả kết quả,{channel}"
        for number, resolved, channel in rows
    ]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def fill_step(page, row: int, action: str, responsible: str, days: str) -> None:
    cells = page.locator("#step-rows tr").nth(row)
    cells.get_by_label("STT").fill(str(row + 1))
    cells.get_by_label("Bước công việc").fill(action)
    cells.get_by_label("Đơn vị, vị trí thực hiện").fill(responsible)
    cells.get_by_label("Số ngày làm việc của bước").fill(days)


def test_a_new_tthc_from_the_catalogue_to_its_on_time_rate(open_as, tmp_path):
    demo.load()
    dost = Agency.objects.get(name="Sở Khoa học và Công nghệ Hải Phòng")
    agency = Agency.objects.get(name="Ban Quản lý Khu kinh tế Hải Phòng")

    # 1. The Sở KH&CN imports a catalogue file holding a new TTHC, previews, applies it.
    catalogue_file = tmp_path / "danh-muc-tthc.csv"
    catalogue_file.write_bytes(rows_csv([NEW_TTHC]))
    overseer = open_as("sokhcn.hp")
    overseer.goto(f"{overseer.base_url}/agencies/{dost.pk}/procedures/catalogue/")
    expect(
        overseer.get_by_role("heading", name=re.compile("^Danh mục thủ tục hành chính của tỉnh"))
    ).to_be_visible()
    overseer.get_by_role("link", name="Nhập danh mục").click()
    overseer.get_by_label(named("Tệp xuất danh mục của tỉnh (XLSX hoặc CSV)")).set_input_files(
        catalogue_file
    )
    overseer.get_by_role("button", name="Đọc tệp và xem trước").click()
    expect(overseer.locator("#count-new")).to_have_text("1")
    new_row = overseer.locator("#preview-new tbody tr")
    expect(new_row).to_have_count(1)
    expect(new_row).to_contain_text(CODE)
    expect(new_row).to_contain_text(NAME)
    apply = overseer.locator("#apply-form")
    apply.get_by_label(named("Số quyết định công bố")).fill("2468/QĐ-UBND")
    apply.get_by_label(named("Ngày quyết định công bố")).fill("2026-10-15")
    apply.get_by_role("button", name="Áp dụng thay đổi").click()
    expect(overseer.get_by_text("Đã áp dụng thay đổi danh mục.")).to_be_visible()
    overseer.get_by_label("Mã hoặc tên").fill(CODE)
    overseer.get_by_role("button", name="Lọc").click()
    listed = overseer.locator("#catalogue-table tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(NAME)
    expect(listed).to_contain_text("2468/QĐ-UBND 15/10/2026")

    # 2. The agency's secretary adds it to the agency's TTHC; no ISO procedure covers it yet.
    page = open_as("thuky.hp")
    page.get_by_role("button", name="Tài liệu", exact=True).click()
    page.get_by_role("link", name="TTHC cơ quan giải quyết").click()
    expect(page.get_by_role("heading", name="Thủ tục hành chính của cơ quan")).to_be_visible()
    add = page.locator("#add-form")
    add.get_by_role("searchbox").fill(CODE)
    chosen = add.locator("label", has_text=NAME)
    chosen.locator("input").check()
    add.get_by_role("button", name="Thêm", exact=True).click()
    expect(
        page.get_by_text("Đã thêm 1 thủ tục hành chính vào danh mục của cơ quan.")
    ).to_be_visible()
    handled = page.locator("#handling-table tbody tr", has_text=CODE)
    expect(handled).to_contain_text("Chưa có quy trình")
    page.get_by_role("link", name="Áp dụng quy trình ISO").click()
    expect(
        page.get_by_role("heading", name="Áp dụng quy trình ISO cho thủ tục hành chính")
    ).to_be_visible()
    expect(page.locator("#uncovered")).to_contain_text(f"{CODE} {NAME}")

    # 3. Its steps: over the statutory 10 working days first (refused), then 5,5 days.
    page.get_by_role("link", name="Thủ tục hành chính của cơ quan").click()
    page.locator("#handling-table tbody tr", has_text=CODE).get_by_role(
        "link", name="Các bước"
    ).click()
    expect(page.get_by_role("heading", name=f"Các bước xử lý: {NAME}")).to_be_visible()
    fill_step(page, 0, "Tiếp nhận, kiểm tra hồ sơ", "Bộ phận Một cửa", "5")
    fill_step(page, 1, "Thẩm định hồ sơ", "Phòng Quản lý doanh nghiệp", "3")
    fill_step(page, 2, "Lãnh đạo Ban ký duyệt", "Lãnh đạo Ban", "3")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(
        page.get_by_text(
            "Tổng thời gian các bước là 11 ngày làm việc, vượt thời gian theo quy định "
            "10 ngày làm việc."
        ).first
    ).to_be_visible()
    expect(page.get_by_text("Đã lưu các bước xử lý.")).to_have_count(0)
    handling = AgencyProcedure.objects.get(agency=agency, procedure__code=CODE)
    assert not handling.steps.exists()  # refused: nothing saved
    fill_step(page, 0, "Tiếp nhận, kiểm tra hồ sơ", "Bộ phận Một cửa", "0,5")
    fill_step(page, 1, "Thẩm định hồ sơ", "Phòng Quản lý doanh nghiệp", "3")
    fill_step(page, 2, "Lãnh đạo Ban ký duyệt", "Lãnh đạo Ban", "2")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Đã lưu các bước xử lý.")).to_be_visible()
    expect(page.locator("#steps-total")).to_have_text("5,5 ngày làm việc")
    expect(page.locator("#steps-cut")).to_have_text("4,5 ngày làm việc (45%)")
    first = page.locator("#step-rows tr").first
    expect(first.get_by_label("Số ngày làm việc của bước")).to_have_value("0,5")
    days = list(handling.steps.order_by("order").values_list("days", flat=True))
    assert days == [Decimal("0.5"), Decimal(3), Decimal(2)]

    # 4. A month of dossiers for it, then the month's on-time rate: 3 of 4 in time.
    dossiers_file = tmp_path / "ho-so-thang-11.csv"
    dossiers_file.write_bytes(dossiers_csv())
    page.goto(f"{page.base_url}/agencies/{agency.pk}/procedures/results/")
    expect(
        page.get_by_role("heading", name="Kết quả giải quyết thủ tục hành chính")
    ).to_be_visible()
    page.get_by_role("link", name="Nhập kết quả").first.click()
    expect(page.get_by_role("heading", name="Nhập kết quả giải quyết hồ sơ")).to_be_visible()
    page.get_by_label(named("Kỳ từ ngày")).fill("01/11/2026")
    page.get_by_label(named("Đến ngày")).fill("30/11/2026")
    page.get_by_label(re.compile("^Tệp xuất từ hệ thống một cửa")).set_input_files(dossiers_file)
    # The button's name starts with its icon's glyph: match the words at its end.
    page.get_by_role("button", name=re.compile(r"(^|\W)Nhập$")).click()
    expect(page.locator("#import-done")).to_be_visible()
    expect(page.locator("#import-progress")).to_contain_text("Tỷ lệ đúng hạn: 75,00 %")
    page.get_by_role("link", name="Xem tỷ lệ đúng hạn").click()
    page.locator("#results-period select[name=part]").select_option(label="Tháng 11")
    page.locator("#results-period select[name=by]").select_option(label="Theo TTHC")
    page.locator("#results-period").get_by_role("button", name=re.compile(r"(^|\W)Xem$")).click()
    expect(page.locator("#results-period")).to_contain_text("01/11/2026 – 30/11/2026")
    row = page.locator("#results-table tbody tr", has_text=CODE)
    expect(row).to_have_count(1)
    cells = row.locator("td")
    # Group, received, carried over, early, on time, late, pending, past due, on-time rate.
    expect(cells.nth(1)).to_have_text("4")
    expect(cells.nth(3)).to_have_text("2")
    expect(cells.nth(4)).to_have_text("1")
    expect(cells.nth(5)).to_have_text("1")
    expect(cells.nth(8)).to_have_text("75,00 %")
