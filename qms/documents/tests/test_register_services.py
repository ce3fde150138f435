"""The register's writes go through `services` and keep what follows from them: the search
finds a document as it now reads, the agenda and the deadlines follow a corrected legal text,
a draft revision sent for review is not overwritten. The badges and buttons of a document and
a legal text come from their declared states."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qms.agenda.models import Obligation
from qms.documents import search, services
from qms.documents.models import Document, Kind, LegalDocument, Revision
from qms.documents.tests.test_legal_services import make_legal
from qms.documents.tests.test_revision_life import approved_revision, docx_upload
from qms.lib.dates import months_later
from qms.organization.models import Unit


def url(name, *args):
    return reverse(f"documents:{name}", args=args)


def found(agency, query):
    return set(
        search.matching(Document.objects.filter(agency=agency), query).values_list(
            "code", flat=True
        )
    )


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def procedure(code, unit):
    return Document.objects.create(
        agency=unit.agency,
        kind=Kind.SYSTEM_PROCEDURE,
        code=code,
        title="Quy trình",
        owner_unit=unit,
    )


@pytest.fixture
def office(cast):
    return Unit.objects.get(agency=cast.a, name="Văn phòng Sở")


# --- documents ----------------------------------------------------------------------------


def test_a_document_added_on_the_screen_is_found_by_the_search(
    cast, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.users["secretary"]).post(
            url("create", cast.a.pk),
            {
                "kind": Kind.SYSTEM_PROCEDURE,
                "code": "QT-11",
                "title": "Quy trình tiếp nhận hồ sơ",
                "review_interval_months": 12,
            },
        )
    assert response.status_code == 302
    assert found(cast.a, "tiep nhan") == {"QT-11"}


def test_a_document_edited_on_the_screen_is_searched_and_reviewed_as_it_now_reads(
    cast, login, office, django_capture_on_commit_callbacks
):
    document = Document.objects.create(
        agency=cast.a,
        kind=Kind.SYSTEM_PROCEDURE,
        code="QT-12",
        title="Quy trình cũ",
        owner_unit=office,
        status=Document.Status.IN_FORCE,
        next_review_on=dt.date(2031, 1, 15),
    )
    services.sync_review_agenda(cast.a)
    data = {
        "kind": Kind.SYSTEM_PROCEDURE,
        "code": "QT-12",
        "title": "Quy trình kiểm soát hồ sơ",
        "owner_unit": office.pk,
        "review_interval_months": 6,
        **management("records", total=1),
        "records-0-order": "1",
        "records-0-name": "Sổ theo dõi hồ sơ",
        "records-0-keeper": "Văn phòng",
        "records-0-retention": "5 năm",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.users["secretary"]).post(url("edit", cast.a.pk, document.pk), data)
    assert response.status_code == 302
    assert found(cast.a, "kiem soat ho so") == {"QT-12"}
    assert found(cast.a, "cu") == set()
    assert [r.name for r in document.records.all()] == ["Sổ theo dõi hồ sơ"]
    review = Obligation.objects.get(source=f"documents.reviews:{cast.a.pk}:{document.pk}")
    assert "Quy trình kiểm soát hồ sơ" in review.title


def test_a_changed_review_cycle_moves_the_next_review_date(cast, login, office):
    document = procedure("QT-13", office)
    revision = Revision.objects.create(
        document=document,
        revision_no=1,
        status=Revision.Status.ISSUED,
        effective_on=dt.date(2025, 3, 1),
    )
    document.status, document.current_revision = Document.Status.IN_FORCE, revision
    document.next_review_on = dt.date(2026, 3, 1)  # 12 months
    document.save()
    data = {
        "kind": Kind.SYSTEM_PROCEDURE,
        "code": "QT-13",
        "title": "Quy trình",
        "owner_unit": office.pk,
        "review_interval_months": 24,
        **management("records"),
    }
    secretary = login(cast.users["secretary"])
    assert secretary.post(url("edit", cast.a.pk, document.pk), data).status_code == 302
    document.refresh_from_db()
    assert document.next_review_on == dt.date(2027, 3, 1)
    # After a periodic review, the cycle counts from that review.
    services.record_document_review(
        document, cast.users["secretary"], dt.date(2026, 2, 10), "no_change", ""
    )
    data["review_interval_months"] = 6
    assert secretary.post(url("edit", cast.a.pk, document.pk), data).status_code == 302
    document.refresh_from_db()
    assert document.next_review_on == dt.date(2026, 8, 10)
    assert document.history.filter(next_review_on=dt.date(2027, 3, 1)).exists()


def test_a_draft_revision_is_saved_with_its_amendment_table(cast, login, office):
    document = procedure("QT-13", office)
    draft = services.new_revision(document, cast.users["secretary"])
    data = {
        "summary": "Sửa mục 5.2",
        **management("amendments", total=1),
        "amendments-0-order": "1",
        "amendments-0-request": "Phòng Quản lý",
        "amendments-0-location": "Mục 5.2",
        "amendments-0-description": "Rút ngắn thời hạn",
        "amendments-0-amendment_no": "1",
        "amendments-0-amended_on": "20/11/2026",
    }
    client = login(cast.users["secretary"])
    response = client.post(url("revision_edit", cast.a.pk, draft.pk), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "Sửa mục 5.2"
    assert [a.location for a in draft.amendments.all()] == ["Mục 5.2"]


def test_a_draft_sent_for_review_meanwhile_is_not_overwritten(cast, office):
    """The screen was opened on the draft; someone sent it for review before it was saved."""
    document = procedure("QT-14", office)
    draft = services.new_revision(document, cast.users["secretary"], summary="Bản đầu")
    services.add_file(draft, docx_upload(), cast.users["secretary"])
    stale = Revision.objects.get(pk=draft.pk)
    services.submit(draft, cast.users["secretary"])
    with pytest.raises(ValidationError):
        services.save_revision_draft(stale, "Ghi đè")
    draft.refresh_from_db()
    assert (draft.summary, draft.status) == ("Bản đầu", Revision.Status.IN_REVIEW)


def test_the_document_badge_and_buttons_follow_its_state(cast, login, office):
    document = procedure("QT-15", office)
    client = login(cast.users["secretary"])

    def page():
        return client.get(url("detail", cast.a.pk, document.pk)).content.decode()

    review_form = f'action="{url("review", cast.a.pk, document.pk)}"'
    html = page()
    assert 'data-state="not_issued"' in html and 'id="new-revision"' in html
    assert review_form not in html
    revision = approved_revision(cast, document)
    html = page()  # a revision is being prepared: no second one
    assert 'id="new-revision"' not in html
    services.issue(revision, dt.date(2026, 1, 5), dt.date(2026, 1, 5), by=cast.users["head"])
    html = page()
    assert 'data-state="in_force"' in html and 'id="new-revision"' in html
    assert review_form in html
    revision.refresh_from_db()
    services.withdraw(revision, cast.users["head"], "Không còn áp dụng")
    html = page()
    assert 'data-state="withdrawn"' in html
    assert 'id="new-revision"' not in html and review_form not in html
    listed = client.get(url("list", cast.a.pk)).content.decode()
    assert 'data-state="withdrawn"' in listed


# --- the legal register -------------------------------------------------------------------


def legal_form(legal, **changes):
    data = {
        "doc_type": legal.doc_type,
        "number": legal.number,
        "issued_on": f"{legal.issued_on:%d/%m/%Y}" if legal.issued_on else "",
        "issuer": legal.issuer,
        "title": legal.title,
        "effective_on": f"{legal.effective_on:%d/%m/%Y}" if legal.effective_on else "",
    }
    return data | changes


def test_a_legal_text_added_on_the_screen_is_in_force_in_the_register(cast, login):
    data = {
        "doc_type": "circular",
        "number": "26/2014/TT-BKHCN",
        "issued_on": "15/10/2014",
        "issuer": "Bộ Khoa học và Công nghệ",
        "title": "Quy định chi tiết thi hành Quyết định 19/2014/QĐ-TTg",
        "effective_on": "01/12/2014",
    }
    client = login(cast.users["secretary"])
    response = client.post(reverse("documents:legal_create", args=[cast.a.pk]), data)
    assert response.status_code == 302
    legal = LegalDocument.objects.get(agency=cast.a, number="26/2014/TT-BKHCN")
    assert legal.status == LegalDocument.Status.IN_FORCE
    listed = client.get(reverse("documents:legal_list", args=[cast.a.pk])).content.decode()
    assert 'data-state="in_force"' in listed


def test_a_corrected_legal_text_is_searched_flagged_and_due_as_it_now_reads(
    cast, login, office, django_capture_on_commit_callbacks
):
    old = make_legal(cast.a, "30/2020/NĐ-CP", title="Về công tác văn thư")
    newer = make_legal(cast.a, "15/2025/NĐ-CP", title="Sửa đổi", effective_on=dt.date(2025, 7, 1))
    document = Document.objects.create(
        agency=cast.a,
        kind=Kind.TTHC_PROCEDURE,
        code="QT-16",
        title="Quy trình văn thư",
        owner_unit=office,
        status=Document.Status.IN_FORCE,
    )
    citation = services.cite(document, old)
    # Amended by the newer decree, with no date of its own: the deadline counts from the
    # newer decree's effective date.
    services.change_legal_status(old, LegalDocument.Status.AMENDED, newer, None)
    client = login(cast.users["secretary"])

    # The text it cites is renumbered: the search and the agenda say the new number.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documents:legal_edit", args=[cast.a.pk, old.pk]),
            legal_form(old, number="30/2020/NĐ-CP-SĐ", title="Về công tác lưu trữ"),
        )
    assert response.status_code == 302
    assert found(cast.a, "cong tac luu tru") == {"QT-16"}
    flag = Obligation.objects.get(source=f"documents.legal:{old.pk}:{citation.pk}")
    assert "30/2020/NĐ-CP-SĐ" in flag.title

    # The amending decree's effective date is corrected: the deadline moves with it.
    response = client.post(
        reverse("documents:legal_edit", args=[cast.a.pk, newer.pk]),
        legal_form(newer, effective_on="01/09/2025"),
    )
    assert response.status_code == 302
    due = months_later(dt.date(2025, 9, 1), 3)
    citation.refresh_from_db()
    flag.refresh_from_db()
    assert citation.due_on == due and flag.due_date == due
    page = client.get(reverse("documents:legal_detail", args=[cast.a.pk, old.pk]))
    assert 'data-state="amended"' in page.content.decode()
