"""Real Chromium, the Hải Phòng demo people: a head of unit drafts a procedure and uploads
its Word file, the ISO secretary reviews it, the deputy head approves it, the secretary
issues it in a document set, the plan's internal audit and management review get their
dates, and the search finds the procedure by a word of its file typed without diacritics."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document as Docx

from qms.documents.models import Revision
from qms.organization import demo as organization_demo
from qms.plans import demo as plans_demo
from qms.plans.models import Plan

pytestmark = pytest.mark.browser

CODE = "QT.KKT.20"
TITLE = "Quy trình khảo sát sự hài lòng của nhà đầu tư"


@pytest.fixture
def session(open_as):
    organization_demo.load()
    plans_demo.load()
    return open_as


def _word_file(tmp_path):
    document = Docx()
    document.add_heading(TITLE, level=1)
    document.add_paragraph(
        "Phiếu khảo sát mức độ hài lòng được gửi cho nhà đầu tư sau khi trả kết quả."
    )
    path = tmp_path / "QT.KKT.20.docx"
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _menu(page, item):
    """Open the header's "Tài liệu" menu and follow one of its items."""
    page.get_by_role("button", name="Tài liệu").click()
    page.get_by_role("link", name=item).click()


def _draft_and_submit(page, tmp_path):
    _menu(page, "Danh mục tài liệu")
    page.get_by_role("link", name="Tài liệu mới").click()
    page.select_option("#id_kind", "internal_procedure")
    page.fill("#id_code", CODE)
    page.fill("#id_title", TITLE)
    page.get_by_role("button", name="Lưu").click()
    page.locator("#new-revision").click()
    page.set_input_files("#id_file", str(_word_file(tmp_path)))
    page.locator("#upload-button").click()
    assert "QT.KKT.20.docx" in page.locator("#file-list").inner_text()
    page.locator("#step-submit").click()
    assert page.locator("#revision-status").inner_text() == "Đang soát xét"
    return page.url


def test_a_procedure_goes_from_upload_to_a_document_set_and_dates_the_plan(session, tmp_path):
    revision_url = _draft_and_submit(session("truongphong.hp"), tmp_path)

    secretary = session("thuky.hp")
    secretary.goto(revision_url)
    secretary.locator("#step-review").click()
    assert "Phạm Thị Thu Hà" in secretary.locator("#signature-grid").inner_text()

    deputy = session("lanhdao.hp")
    deputy.goto(revision_url)
    deputy.locator("#step-approve").click()
    assert deputy.locator("#revision-status").inner_text() == "Đã phê duyệt"

    _menu(secretary, "Bộ tài liệu ISO")
    today = timezone.localdate()
    secretary.fill("#id_title", "Bộ tài liệu ISO bổ sung năm 2026")
    secretary.fill("#id_effective_on", f"{today:%d/%m/%Y}")
    secretary.locator("#create-set").click()
    revision = Revision.objects.get(document__code=CODE)
    secretary.fill("#id_revision", CODE)  # the chooser searches; nothing is listed before
    secretary.locator(f'#id_revision-choices input[value="{revision.pk}"]').check()
    secretary.locator("#add-to-set").click()
    assert CODE in secretary.locator("#set-revisions").inner_text()
    # The draft decision's signing details, then the registry's number and date.
    secretary.locator("#edit-paper").click()
    secretary.select_option("#id_sign_form", "kt")
    secretary.select_option("#id_signer", label="Nguyễn Văn Chuẩn")
    secretary.locator("#save-paper").click()
    secretary.locator("#paper-steps #step-submit").click()  # trình ký
    # The deputy head signs; the number and the date are recorded under his hand.
    deputy.goto(secretary.url)
    deputy.fill("#issue-form #id_number", "245")
    deputy.fill("#issue-form #id_issued_on", f"{today:%d/%m/%Y}")
    deputy.locator("#issue-form button[type=submit]").click()
    assert deputy.locator("#set-status").inner_text() == "Đã ban hành"
    assert "245/QĐ-BQL" in deputy.locator("#paper-number").inner_text()

    plan = Plan.objects.get(year=2026, agency__abbreviation="BQL", last_year=None)
    secretary.goto(f"{secretary.base_url}{plan.get_absolute_url()}")
    assert f"{today:%d/%m/%Y}" in secretary.locator("#events").inner_text()
    audit, review = today + dt.timedelta(days=30), today + dt.timedelta(days=35)
    assert secretary.locator("#tasks tr[data-task='5'] .due").inner_text() == f"{audit:%d/%m/%Y}"
    assert secretary.locator("#tasks tr[data-task='6'] .due").inner_text() == f"{review:%d/%m/%Y}"

    _menu(secretary, "Danh mục tài liệu")
    secretary.fill("#id_q", "khao sat muc do hai long nha dau tu")
    secretary.locator("#search-button").click()
    table = secretary.locator("#document-table")
    assert CODE in table.inner_text()
    assert table.locator("mark").count() >= 1
    # Typed in capitals with diacritics, it finds the same procedure.
    secretary.fill("#id_q", "KHẢO SÁT")
    secretary.locator("#search-button").click()
    assert CODE in secretary.locator("#document-table").inner_text()


def test_a_phrase_of_short_syllables_finds_the_phrase_first(session):
    from qms.documents import demo as documents_demo
    from qms.lib.search import fold

    documents_demo.load()
    secretary = session("thuky.hp")
    _menu(secretary, "Danh mục tài liệu")
    secretary.fill("#id_q", "kiem soat ho so")
    secretary.locator("#search-button").click()
    rows = secretary.locator("#document-table tbody tr")
    assert rows.count() >= 1
    assert "kiem soat ho so" in fold(rows.first.inner_text())
    marked = {fold(m) for m in secretary.locator("#document-table mark").all_inner_texts()}
    # Only the words typed are marked; "so", being typed, may begin a longer word.
    assert {"kiem", "soat", "ho", "so"} <= marked
    assert not {"hoat", "hoc", "hoi", "hop"} & marked
