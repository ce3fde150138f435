"""A document-set decision says what it does: it issues a whole set, or it amends part of a
set still in force ("sửa đổi, bổ sung 02 tài liệu của Bộ tài liệu … ban hành kèm theo
Quyết định số 01/…"), decided from the data, never by calling two documents "the set"."""

import datetime as dt
import io

import docx
import pytest

from qms.documents import docx as dd
from qms.documents import services, starter
from qms.documents.models import Document, Kind, Revision
from qms.paperwork.models import Paper

D = dt.date
WHOLE = (
    "Về việc ban hành Bộ tài liệu Hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia "
    "TCVN ISO 9001:2015 của Sở Xây dựng Tỉnh Một"
)


def placeholder() -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def approved(cast, document):
    users = cast.users
    revision = services.new_revision(document, users["secretary"])
    starter.attach_docx(revision, placeholder(), users["secretary"])
    services.submit(revision, users["secretary"])
    services.mark_reviewed(revision, users["deputy"])
    services.approve(revision, users["head"])
    return revision


def new_set(cast, documents, title="Bộ tài liệu"):
    document_set = services.create_set(
        cast.a, title=title, effective_on=None, signer_name="Nguyễn Văn A"
    )
    for document in documents:
        services.add_to_set(document_set, approved(cast, document))
    return document_set


def issue(cast, document_set, number, day):
    document_set.revisions.update(approved_on=day)  # approved on the day it is signed
    services.issue_set(document_set, number=number, signed_on=day, by=cast.users["head"])
    document_set.refresh_from_db()
    document_set.paper.refresh_from_db()


def lines(document_set):
    out = docx.Document(io.BytesIO(dd.set_decision_docx(document_set)))
    return [p.text for p in out.paragraphs]


@pytest.fixture
def documents(cast):
    return [
        Document.objects.create(
            agency=cast.a, kind=Kind.SYSTEM_PROCEDURE, code=f"QT.ISO.0{n}", title=f"Quy trình {n}"
        )
        for n in (1, 2, 3)
    ]


@pytest.fixture
def first_set(cast, documents):
    """Set 01 of 10/01/2026 brings QT.ISO.01–03 into force."""
    first = new_set(cast, documents, "Bộ tài liệu ISO năm 2026")
    issue(cast, first, 1, D(2026, 1, 10))
    return first


def test_the_first_set_is_issued_as_a_whole(first_set):
    text = lines(first_set)
    assert WHOLE in text
    assert any("Bộ tài liệu" in line and "gồm 03 tài liệu" in line for line in text)
    assert "DANH MỤC TÀI LIỆU" in text


def test_a_set_revising_two_of_three_documents_amends_part_of_the_set(cast, documents, first_set):
    amending = new_set(cast, documents[:2])
    text = lines(amending)
    assert (
        "Về việc sửa đổi, bổ sung 02 tài liệu của Bộ tài liệu Hệ thống quản lý chất lượng theo "
        "tiêu chuẩn quốc gia TCVN ISO 9001:2015 của Sở Xây dựng Tỉnh Một"
    ) in text
    assert WHOLE not in text
    article = next(line for line in text if line.startswith("Điều 1. "))
    assert "02 tài liệu sửa đổi, bổ sung Bộ tài liệu" in article
    assert "ban hành kèm theo Quyết định số 01/QĐ-SXD ngày 10/01/2026" in article
    effect = next(line for line in text if line.startswith("Điều 2. "))
    assert "thay thế các phiên bản trước đây" in effect
    assert "các tài liệu khác của Bộ tài liệu tiếp tục được áp dụng" in effect
    assert "DANH MỤC TÀI LIỆU SỬA ĐỔI, BỔ SUNG" in text


def test_the_amending_decision_still_says_so_once_issued(cast, documents, first_set):
    amending = new_set(cast, documents[:2])
    issue(cast, amending, 4, D(2026, 5, 4))
    assert any(line.startswith("Về việc sửa đổi, bổ sung 02 tài liệu") for line in lines(amending))
    # A later set that revises every document in force is a whole new set again.
    whole = new_set(cast, documents)
    assert WHOLE in lines(whole)


def test_a_set_adding_a_new_document_beside_a_set_in_force_amends_it(cast, first_set):
    extra = Document.objects.create(
        agency=cast.a, kind=Kind.GUIDANCE, code="HD.ISO.01", title="Hướng dẫn"
    )
    text = lines(new_set(cast, [extra]))
    assert any(line.startswith("Về việc sửa đổi, bổ sung 01 tài liệu") for line in text)
    effect = next(line for line in text if line.startswith("Điều 2. "))
    assert "thay thế" not in effect  # nothing is replaced: a new document is added


def test_a_set_of_another_agency_does_not_count(cast, documents):
    other = Document.objects.create(
        agency=cast.b, kind=Kind.SYSTEM_PROCEDURE, code="QT.ISO.09", title="Quy trình"
    )
    # Agency B's set in force, written as it stands (its own workflow is not under test).
    theirs = services.create_set(cast.b, title="Bộ tài liệu", effective_on=D(2026, 1, 5))
    Paper.objects.filter(pk=theirs.paper_id).update(
        status=Paper.Status.ISSUED, number=3, year=2026, issued_on=D(2026, 1, 5)
    )
    Revision.objects.create(
        document=other, revision_no=1, status=Revision.Status.ISSUED, issued_on=D(2026, 1, 5),
        effective_on=D(2026, 1, 5), document_set=theirs,
    )  # fmt: skip
    assert WHOLE in lines(new_set(cast, documents))
