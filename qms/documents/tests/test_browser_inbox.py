"""Real Chromium, the Hải Phòng demo people: work reaches the people who must do it.

The head of the investment division drafts a procedure and sends it for review; the ISO
secretary finds it in "Chờ tôi xử lý" (the header counts it) and reviews it; the deputy head
finds it there, approves and issues it; the division's staff member finds it under the
documents to read, confirms, and it leaves their inbox."""

import io

import pytest
from docx import Document as Docx

from qms.documents import demo as documents_demo
from qms.organization import demo as organization_demo
from qms.plans import demo as plans_demo

pytestmark = pytest.mark.browser

CODE = "QT.DT.05"
TITLE = "Quy trình giám sát, đánh giá dự án đầu tư"


@pytest.fixture
def session(open_as):
    organization_demo.load()
    plans_demo.load()
    documents_demo.load()
    return open_as


def _word_file(tmp_path):
    document = Docx()
    document.add_heading(TITLE, level=1)
    document.add_paragraph("Giám sát, đánh giá dự án đầu tư sau khi cấp Giấy chứng nhận.")
    path = tmp_path / f"{CODE}.docx"
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _open_from_inbox(page, work):
    """Follow "Chờ tôi xử lý" in the header to the row of this procedure for `work`."""
    page.locator("#inbox-link").click()
    row = page.locator("#inbox-table tr", has_text=TITLE).filter(has_text=work)
    row.get_by_role("link", name=TITLE).click()


def test_a_revision_reaches_each_person_in_turn_and_leaves_their_inbox(session, tmp_path):
    head = session("truongphong.hp")
    head.get_by_role("button", name="Tài liệu").click()
    head.get_by_role("link", name="Danh mục tài liệu").click()
    head.get_by_role("link", name="Tài liệu mới").click()
    head.select_option("#id_kind", "internal_procedure")
    head.fill("#id_code", CODE)
    head.fill("#id_title", TITLE)
    head.select_option("#id_owner_unit", label="Phòng Quản lý đầu tư")
    head.get_by_role("button", name="Lưu").click()
    head.locator("#new-revision").click()
    head.set_input_files("#id_file", str(_word_file(tmp_path)))
    head.locator("#upload-button").click()
    head.select_option("#id_unit", label="Phòng Quản lý đầu tư")
    head.get_by_role("button", name="Thêm").click()
    head.locator("#step-submit").click()
    assert head.locator("#revision-status").inner_text() == "Đang soát xét"

    secretary = session("thuky.hp")
    # The header counts what waits (loaded after the page).
    assert int(secretary.locator("#inbox-count [data-waiting]").inner_text()) >= 1
    _open_from_inbox(secretary, "Soát xét tài liệu")
    secretary.locator("#step-review").click()
    assert secretary.locator("#revision-status").inner_text() == "Đã soát xét, chờ phê duyệt"
    secretary.locator("#inbox-link").click()
    assert TITLE not in secretary.locator("main").inner_text()

    deputy = session("lanhdao.hp")
    _open_from_inbox(deputy, "Phê duyệt tài liệu")
    deputy.locator("#step-approve").click()
    assert deputy.locator("#revision-status").inner_text() == "Đã phê duyệt"
    grid = deputy.locator("#signature-grid").inner_text()
    assert "Phạm Thị Thu Hà" in grid and "Nguyễn Văn Chuẩn" in grid
    deputy.fill("#issue-issued_on", "01/12/2026")
    deputy.fill("#issue-effective_on", "01/12/2026")
    deputy.locator("#step-issue").click()
    assert deputy.locator("#revision-status").inner_text() == "Đã ban hành (đang hiệu lực)"
    deputy.locator("#inbox-link").click()
    assert TITLE not in deputy.locator("main").inner_text()

    staff = session("chuyenvien.hp")
    staff.get_by_role("button", name="Tài liệu").click()
    staff.get_by_role("link", name="Tài liệu cần đọc").click()
    row = staff.locator("#inbox-table tr", has_text=TITLE)
    assert "Đọc và xác nhận tài liệu" in row.inner_text()
    row.get_by_role("link", name=TITLE).click()
    staff.locator("#confirm-reading").click()
    assert "Anh/chị đã xác nhận đọc" in staff.locator("#reading-alert").inner_text()
    staff.locator("#inbox-link").click()
    assert TITLE not in staff.locator("main").inner_text()
