"""The register's search box: diacritic-insensitive both ways, word prefixes AND-ed, over
code, title, legal bases and file text, scoped by the caller's queryset, best first, in a
constant number of queries. Runs unchanged on SQLite (FTS5) and PostgreSQL (tsvector)."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qms.documents import search, services
from qms.documents.models import (
    Citation,
    Document,
    Kind,
    LegalDocument,
    Revision,
    RevisionFile,
    SearchEntry,
)
from qms.documents.tasks import read_file_text
from qms.documents.tests.sample_files import docx_bytes, pdf_bytes
from qms.lib.uploads import DOCX, PDF

S = Revision.Status


def make_document(cast, code, title, text="", *, agency=None, in_force=True):
    """A document with one revision (in force unless told) whose file holds `text`."""
    agency = agency or cast.a
    document = Document.objects.create(
        agency=agency, kind=Kind.SYSTEM_PROCEDURE, code=code, title=title
    )
    revision = add_revision(cast, document, 1, text, S.ISSUED if in_force else S.DRAFT)
    if in_force:
        document.status, document.current_revision = Document.Status.IN_FORCE, revision
        document.save(update_fields=["status", "current_revision"])
    search.reindex_documents([document.pk])
    return document


def add_revision(cast, document, number, text, status):
    revision = Revision.objects.create(document=document, revision_no=number, status=status)
    if text:
        RevisionFile.objects.create(
            revision=revision,
            file=f"documents/{document.agency_id}/{document.pk}-{number}",
            original_name=f"{document.code}.docx",
            content_type=DOCX,
            size=len(text),
            sha256=f"{document.pk:064d}",
            text=text,
            extraction=RevisionFile.Extraction.DONE,
            uploaded_by=cast.users["secretary"],
        )
    return revision


def found(query, queryset=None):
    queryset = Document.objects.all() if queryset is None else queryset
    return [d.code for d in search.matching(queryset, query)]


@pytest.fixture
def register(cast):
    make_document(cast, "QT-01", "Quy trình đánh giá nội bộ")
    make_document(cast, "QT.ISO.02", "Quy trình kiểm soát tài liệu", "Đăng ký văn bản đến")
    make_document(cast, "QT-03", "QUY TRÌNH KHẮC PHỤC SỰ KHÔNG PHÙ HỢP")
    make_document(cast, "QT-04", "Quy trinh danh gia nha cung cap")  # typed without marks
    return cast


# --- folding both ways ------------------------------------------------------------------


def test_it_finds_marked_text_from_a_query_without_marks(register):
    assert found("danh gia") == ["QT-01", "QT-04"]
    assert found("dang ky") == ["QT.ISO.02"]
    assert found("khac phuc") == ["QT-03"]


def test_it_finds_unmarked_and_lower_case_text_from_a_marked_capital_query(register):
    assert found("ĐÁNH GIÁ") == ["QT-01", "QT-04"]
    assert found("ĐĂNG KÝ") == ["QT.ISO.02"]
    assert found("sự không phù hợp") == ["QT-03"]


def test_d_with_stroke_is_d_and_other_letters_stay_apart(register):
    assert found("Đanh") == ["QT-01", "QT-04"]
    # "đ" folds to "d", not to nothing: "anh gia" is no word prefix of "đánh giá".
    assert found("anh gia") == []


# --- codes, prefixes, AND ----------------------------------------------------------------


def test_it_finds_a_document_by_its_code_however_typed(register):
    assert found("qt-01") == ["QT-01"]
    assert found("QT 01") == ["QT-01"]
    assert found("qt.iso.02") == ["QT.ISO.02"]
    assert found("iso 02") == ["QT.ISO.02"]


def test_every_word_is_whole_but_the_one_being_typed(register):
    assert found("danh gi") == ["QT-01", "QT-04"]
    assert found("dan gi") == []  # "dan" is a finished word: not "danh"
    assert found("danh gi ") == []  # so is "gi", once a space follows it
    assert found("kiem soat tai lieu") == ["QT.ISO.02"]
    assert found("oat") == []  # no infix: "oat" starts no word


def test_a_phrase_of_short_syllables_finds_the_phrase_first_and_not_other_syllables(cast):
    make_document(cast, "QT-10", "Quy trình lưu trữ", "Hồ sơ được kiểm soát hàng năm")
    make_document(cast, "QT-11", "Hướng dẫn", "Cách kiểm soát hồ sơ của đơn vị")
    make_document(cast, "QT-12", "Kiểm soát hồ sơ", "")
    make_document(cast, "QT-13", "Kiểm soát hoạt động", "Học tập, hội họp, hợp đồng, soạn thảo")
    assert found("kiem soat ho so") == ["QT-12", "QT-11", "QT-10"]


def test_every_word_must_match(register):
    assert found("danh gia noi bo") == ["QT-01"]
    assert found("danh gia cung cap") == ["QT-04"]
    assert found("danh gia tai lieu") == []


def test_a_query_without_words_returns_the_queryset_unchanged(register):
    queryset = Document.objects.filter(agency=register.a)
    for query in ("", "   ", "-- ; \" ' * ( ) : ^ +"):
        assert search.matching(queryset, query) is queryset


def test_search_syntax_in_the_query_is_taken_as_words(register):
    # FTS5 and tsquery operators typed by a user are words, never syntax errors.
    assert found('danh" OR gia* NOT (bo') == []
    assert found("NEAR AND OR NOT") == []
    assert found("danh & | ! gia :*") == ["QT-01", "QT-04"]


# --- what is searched ---------------------------------------------------------------------


def test_it_finds_a_document_by_its_legal_basis(cast, django_capture_on_commit_callbacks):
    document = make_document(cast, "QT-05", "Quy trình lưu trữ")
    legal = LegalDocument.objects.create(
        agency=cast.a,
        doc_type=LegalDocument.Type.DECREE,
        number="30/2020/NĐ-CP",
        issuer="Chính phủ",
        title="về công tác văn thư",
        issued_on=dt.date(2020, 3, 5),
    )
    assert found("cong tac van thu") == []
    # The service reindexes once the citation is committed.
    with django_capture_on_commit_callbacks(execute=True):
        services.cite(document, legal)
    assert found("cong tac van thu") == ["QT-05"]
    assert found("30/2020/nđ-cp") == ["QT-05"]
    assert found("nghi dinh 30") == ["QT-05"]


def test_it_finds_words_of_the_revision_in_force_else_the_latest(cast):
    document = make_document(cast, "QT-06", "Quy trình", "Phê duyệt hồ sơ")
    add_revision(cast, document, 2, "Thẩm định dự án", S.DRAFT)
    search.reindex_documents([document.pk])
    assert found("phe duyet") == ["QT-06"]
    assert found("tham dinh") == []  # the draft is not what is in force

    draft_only = make_document(cast, "QT-07", "Quy trình mới", "Tiếp nhận hồ sơ", in_force=False)
    add_revision(cast, draft_only, 2, "Trả kết quả", S.DRAFT)
    search.reindex_documents([draft_only.pk])
    assert found("tra ket qua") == ["QT-07"]
    assert found("tiep nhan") == []


def _stored_file(cast, document, name, content, content_type):
    revision = document.current_revision
    stored = RevisionFile(
        revision=revision,
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=f"{len(content):064d}",
        uploaded_by=cast.users["secretary"],
    )
    stored.file.save(stored.sha256, ContentFile(content), save=False)
    stored.save()
    return stored


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_it_finds_words_inside_a_docx_and_a_pdf(cast, media):
    word = make_document(cast, "QT-08", "Quy trình A")
    pdf = make_document(cast, "QT-09", "Quy trình B")
    docx_file = docx_bytes(
        ["Mục đích của quy trình"],
        table=[["Bước", "Nội dung"], ["1", "Thẩm định hồ sơ xin phép xây dựng"]],
        footer="Lần ban hành: 01",
    )
    stored_docx = _stored_file(cast, word, "QT-08.docx", docx_file, DOCX)
    stored_pdf = _stored_file(
        cast, pdf, "QT-09.pdf", pdf_bytes("Trang 1", "Cấp giấy chứng nhận đủ điều kiện"), PDF
    )
    assert found("tham dinh xay dung") == []
    # What the background task does once the upload is committed.
    assert read_file_text.enqueue(stored_docx.pk).return_value == "done"
    assert read_file_text.enqueue(stored_pdf.pk).return_value == "done"
    assert found("tham dinh xay dung") == ["QT-08"]
    assert found("lan ban hanh") == ["QT-08"]
    assert found("giay chung nhan du dieu kien") == ["QT-09"]


def test_an_unreadable_file_fails_and_the_document_stays_findable(cast, media):
    document = make_document(cast, "QT-10", "Quy trình tiếp công dân")
    stored = _stored_file(cast, document, "QT-10.pdf", b"%PDF-1.4 broken", PDF)
    assert read_file_text.enqueue(stored.pk).return_value == "failed"
    stored.refresh_from_db()
    assert stored.extraction == RevisionFile.Extraction.FAILED
    assert found("tiep cong dan") == ["QT-10"]


# --- the index follows changes ----------------------------------------------------------


def _index_is_consistent():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Raises if the FTS5 index disagrees with documents_searchentry.
            cursor.execute(
                "INSERT INTO documents_searchindex(documents_searchindex) "
                "VALUES ('integrity-check')"
            )


def test_the_index_follows_updates_and_deletes(register):
    document = Document.objects.get(code="QT-01")
    document.title = "Quy trình xem xét của lãnh đạo"
    document.save(update_fields=["title"])
    search.reindex_documents([document.pk])
    assert found("noi bo") == []
    assert found("xem xet lanh dao") == ["QT-01"]
    _index_is_consistent()

    SearchEntry.objects.filter(document=document).delete()
    assert found("xem xet lanh dao") == []
    _index_is_consistent()

    unrevised = Document.objects.create(
        agency=register.a, kind=Kind.GUIDANCE, code="HD-01", title="Hướng dẫn sử dụng"
    )
    search.reindex_documents([unrevised.pk])
    assert found("huong dan") == ["HD-01"]
    unrevised.delete()  # the entry goes with the document
    assert found("huong dan") == []
    assert not SearchEntry.objects.filter(document_id=unrevised.pk).exists()
    _index_is_consistent()


def test_the_command_rebuilds_all_agencies_or_one(cast):
    make_document(cast, "QT-11", "Quy trình cấp phép")
    make_document(cast, "QT-11", "Quy trình cấp phép", agency=cast.b)
    SearchEntry.objects.all().delete()
    call_command("reindex_documents", "--agency", str(cast.b.pk), stdout=io.StringIO())
    assert list(SearchEntry.objects.values_list("agency_id", flat=True)) == [cast.b.pk]
    call_command("reindex_documents", stdout=io.StringIO())
    assert SearchEntry.objects.count() == 2
    assert found("cap phep", Document.objects.filter(agency=cast.a)) == ["QT-11"]
    _index_is_consistent()


# --- scope and order ----------------------------------------------------------------------


def test_another_agencys_documents_never_come_back_from_a_scoped_queryset(register):
    make_document(register, "QT-01", "Quy trình đánh giá nội bộ", agency=register.b)
    mine = search.matching(Document.objects.filter(agency=register.a), "danh gia noi bo")
    assert [(d.agency_id, d.code) for d in mine] == [(register.a.pk, "QT-01")]
    province_wide = search.matching(Document.objects.all(), "danh gia noi bo")
    assert sorted(d.agency_id for d in province_wide) == sorted([register.a.pk, register.b.pk])


def test_it_narrows_an_already_filtered_queryset(register):
    in_force = Document.objects.filter(agency=register.a, code__startswith="QT-0")
    assert sorted(found("quy trinh", in_force)) == ["QT-01", "QT-03", "QT-04"]


def test_a_hit_in_the_code_or_title_ranks_above_one_in_the_text(cast):
    # The text mentions the word many times; the other document is named by it.
    make_document(cast, "QT-20", "Quy trình chung", "Báo cáo. " * 30)
    make_document(cast, "QT-30", "Quy trình lập báo cáo thống kê", "Nội dung khác")
    assert found("bao cao") == ["QT-30", "QT-20"]
    assert found("qt 20") == ["QT-20"]


def test_ties_are_ordered_by_code(cast):
    for code in ("QT-15", "QT-12", "QT-14"):
        make_document(cast, code, "Quy trình mẫu")
    assert found("mau") == ["QT-12", "QT-14", "QT-15"]


def test_each_match_carries_its_body_for_the_snippet(register):
    (match,) = search.matching(Document.objects.all(), "dang ky")
    assert match.search_body.startswith("QT.ISO.02\nQuy trình kiểm soát tài liệu")
    assert "Đăng ký văn bản đến" in match.search_body


# --- query counts ----------------------------------------------------------------------


def _page_queries(cast):
    queryset = Document.objects.filter(agency=cast.a)
    with CaptureQueriesContext(connection) as queries:
        paginator = Paginator(search.matching(queryset, "quy trinh"), 25)
        page = paginator.page(1)
        rows = [(d.code, d.search_body) for d in page.object_list]
    return len(queries), paginator.count, len(rows)


def _grow(cast, total):
    existing = Document.objects.filter(agency=cast.a).count()
    ids = [
        Document.objects.create(
            agency=cast.a, kind=Kind.GUIDANCE, code=f"HD-{n:03d}", title="Quy trình mẫu"
        ).pk
        for n in range(existing, total)
    ]
    search.reindex_documents(ids)


def test_matching_count_and_first_page_take_three_queries_however_many_rows(cast):
    _grow(cast, 3)
    # 1: count for the paginator; 2: the ids of the page, ordered by head and rank;
    # 3: those documents with their bodies.
    assert _page_queries(cast) == (3, 3, 3)
    _grow(cast, 30)
    assert _page_queries(cast) == (3, 30, 25)


def test_a_page_of_matches_keeps_the_order_and_bodies_of_all_the_matches(cast):
    """A page is read as ids then rows: the same documents, in the same order, with the
    same bodies and related rows as the matches read whole."""
    make_document(cast, "QT-20", "Quy trình chung", "Báo cáo. " * 30)
    make_document(cast, "QT-30", "Quy trình lập báo cáo thống kê", "Nội dung khác")
    for code in ("QT-15", "QT-12", "QT-14"):
        make_document(cast, code, "Báo cáo mẫu")
    matches = search.matching(
        Document.objects.filter(agency=cast.a).select_related("owner_unit"), "bao cao"
    )
    whole = [(d.code, d.search_body, d.owner_unit) for d in matches]
    assert [code for code, _body, _unit in whole][
        -1
    ] == "QT-20"  # only its text holds the words: last
    pages = [
        (d.code, d.search_body, d.owner_unit)
        for number in (1, 2)
        for d in Paginator(matches, 3).page(number).object_list
    ]
    assert pages == whole and len(whole) == 5
    assert all(body.startswith(code) for code, body, _unit in pages)


def test_reindexing_takes_the_same_queries_for_one_document_or_twenty(cast):
    _grow(cast, 21)
    ids = list(Document.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as one:
        search.reindex_documents(ids[:1])
    with CaptureQueriesContext(connection) as twenty:
        search.reindex_documents(ids[1:])
    # Documents with revision chosen, citations, files, one upsert (with its savepoint).
    assert len(one) == len(twenty) <= 6
    assert SearchEntry.objects.count() == 21


def test_citations_of_another_document_stay_out_of_its_entry(cast):
    first = make_document(cast, "QT-40", "Quy trình một")
    second = make_document(cast, "QT-41", "Quy trình hai")
    legal = LegalDocument.objects.create(
        agency=cast.a,
        doc_type=LegalDocument.Type.LAW,
        number="55/2014/QH13",
        issuer="Quốc hội",
        title="Luật Bảo hiểm xã hội",
    )
    Citation.objects.create(agency=cast.a, document=first, legal_document=legal)
    search.reindex_documents([first.pk, second.pk])
    assert found("bao hiem xa hoi") == ["QT-40"]


def _distinct_words(count):
    """`count` different four-letter Cyrillic words: two bytes a letter once folded, the
    text that fills a PostgreSQL tsvector fastest."""
    letters = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
    return ["".join(letters[n // 32**k % 32] for k in range(4)) for n in range(count)]


def test_a_huge_text_is_cut_to_what_the_index_accepts(cast):
    # Whole, the words would make a tsvector over PostgreSQL's 1 MB limit.
    words = _distinct_words(100_000)
    make_document(cast, "QT-50", "Quy trình lớn", " ".join(words))
    assert found(words[10]) == ["QT-50"]
    assert found(words[-1]) == []  # past the cut
    entry = SearchEntry.objects.get(document__code="QT-50")
    assert len(entry.body) <= search.BODY_CAP + 100
