"""A document's "Lịch sử thay đổi" shows, besides its own fields, the records to keep and
the legal bases added and removed, with who and when, in Vietnamese; the document page
links to it; the page reads a fixed number of queries whatever the number of steps."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from qms.documents.models import Kind, RecordToKeep
from qms.documents.tests.test_legal_services import make_legal
from qms.documents.tests.test_register_services import management, procedure
from qms.organization.models import Unit


def edit_data(document, records=(), initial=()):
    """The document form: `initial` are the kept rows, (pk, delete?) each; `records` the new
    ones, (name, keeper, retention) each."""
    data = {
        "kind": Kind.SYSTEM_PROCEDURE,
        "code": document.code,
        "title": document.title,
        "owner_unit": document.owner_unit_id or "",
        "review_interval_months": 12,
        **management("records", total=len(initial) + len(records), initial=len(initial)),
    }
    for i, (pk, delete) in enumerate(initial):
        row = RecordToKeep.objects.get(pk=pk)
        data |= {
            f"records-{i}-id": pk,
            f"records-{i}-order": row.order,
            f"records-{i}-name": row.name,
            f"records-{i}-keeper": row.keeper,
            f"records-{i}-retention": row.retention,
        }
        if delete:
            data[f"records-{i}-DELETE"] = "on"
    for j, (name, keeper, retention) in enumerate(records, start=len(initial)):
        data |= {
            f"records-{j}-order": j + 1,
            f"records-{j}-name": name,
            f"records-{j}-keeper": keeper,
            f"records-{j}-retention": retention,
        }
    return data


def history_url(document):
    return reverse("organization:history", args=[document.agency_id, "document", document.pk])


def read(client, document):
    with translation.override("vi"):
        response = client.get(history_url(document))
    assert response.status_code == 200
    return response


def test_removed_records_to_keep_and_legal_bases_read_in_the_documents_history(cast, login):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    document = procedure("QT-05", office)
    decree = make_legal(cast.a, "30/2020/NĐ-CP")
    client = login(cast.users["secretary"])
    edit = reverse("documents:edit", args=[cast.a.pk, document.pk])
    client.post(edit, edit_data(document, records=[("Sổ đăng ký văn bản đi", "Văn thư", "5 năm")]))
    record = document.records.get()
    client.post(
        reverse("documents:citation_add", args=[cast.a.pk, document.pk]),
        {"legal_document": decree.pk},
    )
    citation = document.citations.get()
    client.post(reverse("documents:citation_remove", args=[cast.a.pk, citation.pk]))
    assert client.post(edit, edit_data(document, initial=[(record.pk, True)])).status_code == 302
    assert not document.records.exists() and not document.citations.exists()

    entries = read(client, document).context["page"].object_list
    steps = [(e.kind, e.subject_label, e.subject, e.who) for e in entries if e.subject_label]
    assert steps == [
        ("Gỡ bỏ", "hồ sơ cần lưu", "Sổ đăng ký văn bản đi", "Secretary"),
        ("Gỡ bỏ", "căn cứ pháp lý", "Nghị định 30/2020/NĐ-CP", "Secretary"),
        ("Thêm", "căn cứ pháp lý", "Nghị định 30/2020/NĐ-CP", "Secretary"),
        ("Thêm", "hồ sơ cần lưu", "Sổ đăng ký văn bản đi", "Secretary"),
    ]
    added = entries[-2] if entries[-1].kind == "Tạo mới" else entries[-1]
    assert [(c.field, c.new) for c in added.changes] == [
        ("số thứ tự", "1"),
        ("nơi lưu", "Văn thư"),
        ("thời gian lưu", "5 năm"),
    ]
    page = read(client, document).content.decode()
    assert "Hồ sơ cần lưu:</strong>" in page and "Căn cứ pháp lý:</strong>" in page
    assert f'href="{document.get_absolute_url()}">&larr; Quay lại tài liệu</a>' in page
    for english in ("Created", "Changed", "Removed", "Added", "record to keep", "Back to"):
        assert english not in page


def test_the_document_page_links_to_its_history(cast, login):
    document = procedure("QT-05", Unit.objects.get(agency=cast.a, name="Văn phòng Sở"))
    page = login(cast.users["staff"]).get(document.get_absolute_url()).content.decode()
    assert history_url(document) in page


def count(client, document):
    with CaptureQueriesContext(connection) as ctx:
        read(client, document)
    return len(ctx.captured_queries)


def test_the_documents_history_reads_a_fixed_number_of_queries(cast, login):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    document = procedure("QT-05", office)
    client = login(cast.users["secretary"])
    client.get(history_url(document))  # a first visit may remember the current agency
    few = count(client, document)
    # 4 common + 2 header + the document + its history + the units it named + the records'
    # history + the citations' history
    assert few == 11
    edit = reverse("documents:edit", args=[cast.a.pk, document.pk])
    for i in range(15):
        unit = Unit.objects.create(agency=cast.a, name=f"Phòng {i}")
        document.owner_unit = unit
        legal = make_legal(cast.a, f"{i}/2025/NĐ-CP")
        client.post(
            reverse("documents:citation_add", args=[cast.a.pk, document.pk]),
            {"legal_document": legal.pk},
        )
        client.post(edit, edit_data(document, records=[(f"Sổ {i}", "Văn thư", "5 năm")]))
        record = document.records.get()
        client.post(edit, edit_data(document, initial=[(record.pk, True)]))
    assert len(read(client, document).context["page"].paginator.object_list) > 45
    # + the legal documents the citations name
    assert count(client, document) == few + 1
