"""Rights by unit on documents: a head of unit changes their own unit's documents, revisions,
citations and legal flags, and nothing of another unit's; the ISO secretary changes all."""

import datetime as dt

import pytest
from django.urls import reverse

from qms.documents import services
from qms.documents.models import Citation, Document, LegalDocument
from qms.documents.tests.test_legal_services import make_document, make_legal
from qms.organization.models import Unit


@pytest.fixture
def units(cast):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    division = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    legal = make_legal(cast.a, "30/2020/NĐ-CP")
    own = make_document(cast.a, "QT-01", office)
    other = make_document(cast.a, "QT-02", division)
    return {"office": office, "division": division, "legal": legal, "own": own, "other": other}


def _url(name, cast, *args):
    return reverse(f"documents:{name}", args=[cast.a.pk, *args])


def test_a_unit_head_removes_only_their_own_units_citations(cast, login, units):
    own = services.cite(units["own"], units["legal"])
    other = services.cite(units["other"], units["legal"])
    client = login(cast.users["unit_head"])
    response = client.post(_url("citation_remove", cast, other.pk))
    assert response.status_code == 403
    assert "đơn vị khác" in response.content.decode()
    assert Citation.objects.filter(pk=other.pk).exists()
    assert client.post(_url("citation_remove", cast, own.pk)).status_code == 302
    assert not Citation.objects.filter(pk=own.pk).exists()


def test_a_unit_head_edits_only_their_own_units_document(cast, login, units):
    client = login(cast.users["unit_head"])
    data = {"kind": units["other"].kind, "code": "QT-02", "title": "Đã sửa"}
    data |= {"review_interval_months": 12, "owner_unit": units["division"].pk}
    data |= {"records-TOTAL_FORMS": 0, "records-INITIAL_FORMS": 0}
    assert client.post(_url("edit", cast, units["other"].pk), data).status_code == 403
    units["other"].refresh_from_db()
    assert units["other"].title == "Quy trình QT-02"
    # Nor can they move their own document to another unit.
    data |= {"code": "QT-01", "title": "Chuyển đơn vị"}
    assert client.post(_url("edit", cast, units["own"].pk), data).status_code == 403
    units["own"].refresh_from_db()
    assert units["own"].owner_unit == units["office"]
    data |= {"owner_unit": units["office"].pk}
    assert client.post(_url("edit", cast, units["own"].pk), data).status_code == 302
    units["own"].refresh_from_db()
    assert units["own"].title == "Chuyển đơn vị"


def test_the_secretary_changes_every_units_documents(cast, login, units):
    other = services.cite(units["other"], units["legal"])
    client = login(cast.users["secretary"])
    assert client.post(_url("citation_remove", cast, other.pk)).status_code == 302
    assert not Citation.objects.filter(pk=other.pk).exists()
    response = client.post(_url("revision_create", cast, units["other"].pk), {"summary": "Sửa"})
    assert response.status_code == 302
    assert units["other"].revisions.exists()


def test_a_unit_head_handles_only_their_own_units_legal_flags(cast, login, units):
    own = services.cite(units["own"], units["legal"])
    other = services.cite(units["other"], units["legal"])
    newer = make_legal(cast.a, "19/2014/QĐ-TTg")
    services.change_legal_status(
        units["legal"], LegalDocument.Status.REPLACED, newer, dt.date(2025, 7, 1)
    )
    client = login(cast.users["unit_head"])
    data = {"resolution": "Đã cập nhật"}
    assert client.post(_url("citation_resolve", cast, other.pk), data).status_code == 403
    assert client.post(_url("citation_resolve", cast, own.pk), data).status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.resolved_on is not None and other.resolved_on is None


def test_a_unit_heads_new_document_is_their_units(cast, login, units):
    client = login(cast.users["unit_head"])
    data = {"kind": "system_procedure", "code": "QT-09", "title": "Mới"}
    data |= {"review_interval_months": 12}
    assert client.post(_url("create", cast), data).status_code == 302
    assert Document.objects.get(agency=cast.a, code="QT-09").owner_unit == units["office"]
    data |= {"code": "QT-10", "owner_unit": units["division"].pk}
    assert client.post(_url("create", cast), data).status_code == 403
    assert not Document.objects.filter(agency=cast.a, code="QT-10").exists()


def test_the_document_page_offers_changes_only_to_its_unit(cast, login, units):
    own_page = login(cast.users["unit_head"]).get(_url("detail", cast, units["own"].pk))
    other_page = login(cast.users["unit_head"]).get(_url("detail", cast, units["other"].pk))
    assert own_page.status_code == other_page.status_code == 200  # readable to all
    assert own_page.context["can_manage"] and own_page.context["can_manage_legal"]
    assert not other_page.context["can_manage"]
    assert not other_page.context["can_manage_legal"]
