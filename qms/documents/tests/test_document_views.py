"""Screens of the register, a document, a revision and a document set: they work for the
right people, refuse the wrong method and the wrong person, hide the other agency, refuse
bad uploads without saving anything, and keep a fixed number of queries."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document as Docx

from qms.documents import services
from qms.documents.models import (
    Document,
    Kind,
    ReadRequirement,
    Revision,
    RevisionFile,
)
from qms.documents.tests.test_revision_life import approved_revision, docx_upload, make_document
from qms.lib.uploads import max_upload_bytes

S = Revision.Status
D = dt.date


def docx_bytes(text="Nội dung quy trình"):
    document = Docx()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def document(cast):
    return make_document(cast.a, "QT-02", owner_unit=cast.a.units.first())


@pytest.fixture
def draft(cast, document):
    return services.new_revision(document, cast.users["secretary"])


def url(name, *args):
    return reverse(f"documents:{name}", args=args)


# --- works, and hides the other agency --------------------------------------------------


def test_the_register_lists_and_filters(cast, login, document):
    make_document(cast.a, "BM-01", kind=Kind.FORM_TEMPLATE)
    client = login(cast.users["staff"])
    page = client.get(url("list", cast.a.pk)).content.decode()
    assert "QT-02" in page and "BM-01" in page
    page = client.get(url("list", cast.a.pk), {"kind": Kind.FORM_TEMPLATE}).content.decode()
    assert "BM-01" in page and "QT-02" not in page
    # A bad filter value is ignored, never an error page.
    response = client.get(url("list", cast.a.pk), {"unit": "x", "status": "nonsense"})
    assert response.status_code == 200


def test_search_without_diacritics_finds_and_highlights(cast, login):
    make_document(cast.a, "QT-07", title="Quy trình đánh giá nội bộ")
    make_document(cast.a, "QT-08", title="Quy trình xem xét của lãnh đạo")
    from qms.documents import search

    search.reindex_agency(cast.a)
    page = login(cast.users["staff"]).get(url("list", cast.a.pk), {"q": "danh gia"})
    html = page.content.decode()
    assert "QT-07" in html and "QT-08" not in html
    assert "<mark>đánh</mark>" in html.lower() or "<mark>đánh giá</mark>" in html.lower()


@pytest.mark.parametrize(
    "name,args",
    [
        ("detail", lambda d, r, s: [d.pk]),
        ("edit", lambda d, r, s: [d.pk]),
        ("revision", lambda d, r, s: [r.pk]),
        ("revision_edit", lambda d, r, s: [r.pk]),
        ("set", lambda d, r, s: [s.pk]),
    ],
)
def test_another_agency_sees_nothing(cast, login, document, draft, name, args):
    document_set = services.create_set(cast.a, title="Bộ tài liệu", effective_on=None)
    client = login(cast.users["secretary_b"])
    # Through its own agency's URL with our ids, and through ours.
    for agency in (cast.b, cast.a):
        response = client.get(url(name, agency.pk, *args(document, draft, document_set)))
        assert response.status_code == 404


def test_posting_another_agencys_revision_into_a_set_changes_nothing(cast, login):
    foreign = services.new_revision(make_document(cast.b, "QT-01"), cast.users["secretary_b"])
    document_set = services.create_set(cast.a, title="Bộ tài liệu", effective_on=None)
    client = login(cast.users["secretary"])
    client.post(url("set_revisions", cast.a.pk, document_set.pk), {"revision": foreign.pk})
    assert not document_set.revisions.exists()


def test_the_file_of_another_agency_is_not_served(cast, login, draft):
    stored = services.add_file(draft, docx_upload(), cast.users["secretary"])
    assert login(cast.users["secretary"]).get(url("file", cast.a.pk, stored.pk)).status_code == 200
    client = login(cast.users["secretary_b"])
    assert client.get(url("file", cast.b.pk, stored.pk)).status_code == 404


# --- who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,allowed",
    [
        ("secretary", True),
        ("unit_head", True),
        ("staff", False),
        ("head", False),
        ("overseer", False),
    ],
)
def test_only_document_managers_add_documents(cast, login, who, allowed):
    client = login(cast.users[who])
    response = client.post(
        url("create", cast.a.pk),
        {
            "kind": Kind.SYSTEM_PROCEDURE,
            "code": "QT-09",
            "title": "Quy trình mới",
            "review_interval_months": 12,
        },
    )
    assert Document.objects.filter(agency=cast.a, code="QT-09").exists() is allowed
    assert response.status_code == (302 if allowed else 403)


def test_a_duplicate_code_is_refused_with_a_message(cast, login, document):
    response = login(cast.users["secretary"]).post(
        url("create", cast.a.pk),
        {
            "kind": Kind.SYSTEM_PROCEDURE,
            "code": "qt-02",
            "title": "Trùng",
            "review_interval_months": 12,
        },
    )
    assert response.status_code == 400
    assert Document.objects.filter(agency=cast.a).count() == 1


def test_the_life_through_the_screens_follows_the_roles(cast, login, document, draft):
    client = login(cast.users["secretary"])
    upload = SimpleUploadedFile("QT-02.docx", docx_bytes())
    assert (
        client.post(url("revision_upload", cast.a.pk, draft.pk), {"file": upload}).status_code
        == 302
    )
    client.post(url("revision_action", cast.a.pk, draft.pk, "submit"))
    draft.refresh_from_db()
    assert draft.status == S.IN_REVIEW
    # Staff may not review, the secretary who drafted it may not either (refused, unchanged).
    assert (
        login(cast.users["staff"])
        .post(url("revision_action", cast.a.pk, draft.pk, "review"))
        .status_code
        == 403
    )
    login(cast.users["secretary"]).post(url("revision_action", cast.a.pk, draft.pk, "review"))
    draft.refresh_from_db()
    assert draft.reviewed_by is None
    login(cast.users["deputy"]).post(url("revision_action", cast.a.pk, draft.pk, "review"))
    # The secretary reviews but does not approve.
    assert (
        login(cast.users["secretary"])
        .post(url("revision_action", cast.a.pk, draft.pk, "approve"))
        .status_code
        == 403
    )
    login(cast.users["head"]).post(url("revision_action", cast.a.pk, draft.pk, "approve"))
    draft.refresh_from_db()
    assert draft.status == S.APPROVED
    response = login(cast.users["head"]).post(
        url("revision_action", cast.a.pk, draft.pk, "issue"),
        {"issued_on": "01/11/2026", "effective_on": "05/11/2026"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.ISSUED and draft.effective_on == D(2026, 11, 5)


def test_an_unknown_action_is_not_found_and_get_is_refused(cast, login, draft):
    client = login(cast.users["secretary"])
    assert client.post(url("revision_action", cast.a.pk, draft.pk, "explode")).status_code == 404
    assert client.get(url("revision_action", cast.a.pk, draft.pk, "submit")).status_code == 405
    assert client.get(url("revision_upload", cast.a.pk, draft.pk)).status_code == 405
    assert client.get(url("starter", cast.a.pk)).status_code == 405


def test_readers_confirm_and_the_unit_shows_who_has_not(cast, login, document):
    revision = approved_revision(cast, document)
    services.issue(revision, D(2026, 1, 5), D(2026, 1, 5))
    office = cast.a.units.get(name="Văn phòng Sở")
    login(cast.users["secretary"]).post(
        url("reader_add", cast.a.pk, revision.pk), {"unit": office.pk}
    )
    assert ReadRequirement.objects.filter(revision=revision, unit=office).exists()
    client = login(cast.users["staff"])
    page = client.get(url("revision", cast.a.pk, revision.pk)).content.decode()
    assert 'id="confirm-reading"' in page
    client.post(url("revision_action", cast.a.pk, revision.pk, "confirm"))
    assert revision.confirmations.filter(user=cast.users["staff"]).exists()
    page = (
        login(cast.users["secretary"]).get(url("revision", cast.a.pk, revision.pk)).content.decode()
    )
    # Office: secretary, unit head and staff must read; only staff has confirmed.
    assert "1/3" in page
    # The overseer reads but never confirms for the agency.
    login(cast.users["overseer"]).post(url("revision_action", cast.a.pk, revision.pk, "confirm"))
    assert revision.confirmations.count() == 1


def test_a_reader_names_exactly_one_audience(cast, login, draft):
    office = cast.a.units.get(name="Văn phòng Sở")
    response = login(cast.users["secretary"]).post(
        url("reader_add", cast.a.pk, draft.pk), {"unit": office.pk, "role": "staff"}
    )
    assert response.status_code == 400
    assert not draft.read_requirements.exists()


# --- bad uploads change nothing ------------------------------------------------------------


def _bad_zip():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "không phải tài liệu Word")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("virus.exe", b"MZ\x90\x00", "Loại tệp này không được chấp nhận"),
        ("QT-02.docx", b"%PDF-1.4 not a docx", "Tệp bị hỏng"),
        ("QT-02.docx", None, "Tệp bị hỏng"),
        ("QT-02.pdf", b"PK\x03\x04 not a pdf", "không khớp"),
        ("QT-02.docx", b"", "rỗng"),  # Django's own check, in its Vietnamese
    ],
)
def test_a_bad_upload_is_refused_with_a_message_and_nothing_saved(
    cast, login, draft, name, content, message
):
    data = _bad_zip() if content is None else content
    client = login(cast.users["secretary"])
    response = client.post(
        url("revision_upload", cast.a.pk, draft.pk), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert not RevisionFile.objects.exists()


def test_a_file_over_the_upload_limit_is_refused(cast, login, draft):
    big = SimpleUploadedFile("QT-02.pdf", b"%PDF" + b"0" * max_upload_bytes())
    response = login(cast.users["secretary"]).post(
        url("revision_upload", cast.a.pk, draft.pk), {"file": big}
    )
    assert response.status_code == 400
    assert "20 MB" in response.content.decode()
    assert not RevisionFile.objects.exists()


# --- query counts ------------------------------------------------------------------------


def _grow(cast, n):
    """n more documents, each with an issued revision, citations and readers."""
    from qms.documents.models import LegalDocument

    legal = LegalDocument.objects.create(
        agency=cast.a, doc_type="decree", number=f"{n}/2025/NĐ-CP", issuer="Chính phủ", title="Về …"
    )
    for i in range(n):
        document = make_document(cast.a, f"QT-{n}-{i}", owner_unit=cast.a.units.first())
        revision = approved_revision(cast, document)
        services.issue(revision, D(2026, 1, 5), D(2026, 1, 5))
        services.cite(document, legal)
        ReadRequirement.objects.create(revision=revision, role="staff")
        services.confirm_reading(revision, cast.users["staff"])


def _count(client, path, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def _assert_constant(cast, client, paths, expected):
    _grow(cast, 2)
    first = {name: _count(client, path()) for name, path in paths.items()}
    _grow(cast, 12)
    second = {name: _count(client, path()) for name, path in paths.items()}
    assert first == second == expected


# Every page: session, user, agency, role grants (the access helper: 4), and in the header
# the overseen provinces and the agency switcher's memberships (2).
COMMON = 6


def test_register_query_count(cast, login):
    client = login(cast.users["secretary"])
    # count, page, flagged citations of the page, revisions being prepared, units for the
    # filter.
    paths = {"list": lambda: url("list", cast.a.pk)}
    _assert_constant(cast, client, paths, {"list": COMMON + 5})


def test_search_query_count(cast, login):
    from qms.documents import search

    client = login(cast.users["secretary"])
    _grow(cast, 2)
    search.reindex_agency(cast.a)
    first = _count(client, url("list", cast.a.pk), {"q": "quy trinh"})
    _grow(cast, 12)
    search.reindex_agency(cast.a)
    # The same six: the search is part of the count and page queries, and a page of matches
    # is read as its ids (ordered by relevance) then its rows.
    assert _count(client, url("list", cast.a.pk), {"q": "quy trinh"}) == first == COMMON + 6


def test_detail_pages_query_counts(cast, login):
    client = login(cast.users["secretary"])
    _grow(cast, 2)
    document, other = Document.objects.filter(agency=cast.a)[:2]
    revision = other.current_revision
    document_set = services.create_set(cast.a, title="Bộ", effective_on=None)
    pages = {
        "document": lambda: url("detail", cast.a.pk, document.pk),
        "revision": lambda: url("revision", cast.a.pk, revision.pk),
        "set": lambda: url("set", cast.a.pk, document_set.pk),
        "sets": lambda: url("sets", cast.a.pk),
    }
    first = {name: _count(client, path()) for name, path in pages.items()}
    _grow(cast, 12)
    # The document gets more revisions too.
    services.issue(approved_revision(cast, document), D(2026, 6, 1), D(2026, 6, 1))
    second = {name: _count(client, path()) for name, path in pages.items()}
    assert first == second
    assert first == {
        # document (with unit, procedure, revision in force), citations, revisions, records,
        # forms of the procedure, periodic reviews (6); the legal documents to cite are
        # searched by the chooser, not listed
        "document": COMMON + 6,
        # revision, my confirmation, files, amendments, comments, read requirements,
        # confirmations, required readers, postings, "must I read", and the reader form's
        # units (11); the people are searched by the chooser, not listed
        "revision": COMMON + 11,
        # set with its paper, its revisions (2); the revisions that may join it are searched
        # by the chooser; the next free number of the register comes once the draft is
        # submitted for signature
        "set": COMMON + 2,
        # count and page of sets (2)
        "sets": COMMON + 2,
    }


def test_the_starter_set_button_fills_an_empty_register_with_drafts(cast, login):
    assert login(cast.users["staff"]).post(url("starter", cast.a.pk)).status_code == 403
    assert not Document.objects.filter(agency=cast.a).exists()
    response = login(cast.users["secretary"]).post(url("starter", cast.a.pk))
    assert response.status_code == 302
    documents = Document.objects.filter(agency=cast.a)
    assert documents.filter(code="QT.ISO.02", kind=Kind.SYSTEM_PROCEDURE).exists()
    assert not documents.exclude(status=Document.Status.NOT_ISSUED).exists()
    assert (
        Revision.objects.filter(document__agency=cast.a, status=S.DRAFT).count()
        == documents.count()
    )
    # A second press adds nothing.
    login(cast.users["secretary"]).post(url("starter", cast.a.pk))
    assert Document.objects.filter(agency=cast.a).count() == documents.count()
