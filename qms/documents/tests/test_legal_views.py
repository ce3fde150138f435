"""The legal-register screens: who may do what, bad input, other agencies, query counts.

Every page starts with 4 queries (session, user, the agency with province and successor, the
user's role grants) and the header adds 3 (agency switcher, "is overseer", notifications)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person
from qms.agenda.models import Obligation
from qms.documents import services
from qms.documents.legal_forms import CiteForm
from qms.documents.models import Citation, Document, Kind, LegalBasisReview, LegalDocument
from qms.documents.tests.test_legal_services import make_document, make_legal
from qms.lib.dates import months_later
from qms.organization.models import Role, Unit, today

S = LegalDocument.Status


def url(name, agency, *args):
    return reverse(f"documents:{name}", args=[agency.pk, *args])


def texts(response, level="error"):
    """The messages of one level the response queued."""
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == level]


@pytest.fixture
def reg(cast):
    """Agency A: a procedure QT-01 of the office citing NĐ 30/2020, a newer decree, and a
    second unit; agency B: a legal document and a procedure of its own."""
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    division = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    legal = make_legal(cast.a, "30/2020/NĐ-CP", title="Về công tác văn thư")
    newer = make_legal(
        cast.a,
        "19/2014/QĐ-TTg",
        doc_type=LegalDocument.Type.DECISION,
        issuer="Thủ tướng Chính phủ",
        title="Áp dụng Hệ thống quản lý chất lượng",
        issued_on=dt.date(2014, 3, 5),
        effective_on=dt.date(2014, 5, 1),
    )
    document = make_document(cast.a, "QT-01", office)
    citation = services.cite(document, legal)
    b_unit = Unit.objects.get(agency=cast.b)
    return {
        "office": office,
        "division": division,
        "legal": legal,
        "newer": newer,
        "document": document,
        "citation": citation,
        "b_legal": make_legal(cast.b, "30/2020/NĐ-CP"),
        "b_document": make_document(cast.b, "QT-01", b_unit),
    }


def flag(reg, change=dt.date(2025, 7, 1)):
    services.change_legal_status(reg["legal"], S.REPLACED, reg["newer"], change)
    reg["citation"].refresh_from_db()
    return reg["citation"]


NEW = {
    "doc_type": "circular",
    "number": "26/2014/TT-BKHCN",
    "issued_on": "15/10/2014",
    "issuer": "Bộ Khoa học và Công nghệ",
    "title": "Quy định chi tiết thi hành Quyết định 19/2014/QĐ-TTg",
    "effective_on": "01/12/2014",
}


# --- the register --------------------------------------------------------------------------


def test_it_lists_the_register_with_counts_and_dates(reg, cast, login):
    flag(reg)
    make_document(cast.a, "QT-02", reg["office"])
    services.cite(Document.objects.get(code="QT-02", agency=cast.a), reg["legal"])
    response = login(cast.users["staff"]).get(url("legal_list", cast.a))
    assert response.status_code == 200
    page = response.content.decode()
    assert "30/2020/NĐ-CP" in page and "05/03/2020" in page and "19/2014/QĐ-TTg" in page
    legal = next(x for x in response.context["page"] if x.pk == reg["legal"].pk)
    assert (legal.citing, legal.flagged) == (2, 2)
    assert 'action="' + url("legal_create", cast.a) not in page  # staff: no create form


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"status": "replaced"}, {"30/2020/NĐ-CP"}),
        ({"type": "decision"}, {"19/2014/QĐ-TTg"}),
        ({"q": "qd-ttg"}, {"19/2014/QĐ-TTg"}),
        ({"q": "CONG TAC VAN THU"}, {"30/2020/NĐ-CP"}),
        ({"q": "NĐ"}, {"30/2020/NĐ-CP"}),  # words starting with "nd"
        ({"q": "dung"}, {"19/2014/QĐ-TTg"}),  # "Áp dụng"
        ({"q": "khong co"}, set()),
        ({"status": "nonsense", "type": "?", "page": "abc"}, {"30/2020/NĐ-CP", "19/2014/QĐ-TTg"}),
    ],
)
def test_it_filters_the_register(reg, cast, login, query, found):
    flag(reg)
    response = login(cast.users["staff"]).get(url("legal_list", cast.a), query)
    assert response.status_code == 200
    assert {legal.number for legal in response.context["page"]} == found


def test_it_paginates_by_25_keeping_the_filters(reg, cast, login):
    for i in range(30):
        make_legal(cast.a, f"{i}/2025/TT-BNV", doc_type="circular")
    client = login(cast.users["staff"])
    response = client.get(url("legal_list", cast.a), {"type": "circular"})
    assert len(response.context["page"].object_list) == 25
    assert "type=circular&amp;page=2" in response.content.decode()
    second = client.get(url("legal_list", cast.a), {"type": "circular", "page": "2"})
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize("who", ["secretary", "unit_head"])
def test_the_register_keepers_add_a_legal_document(reg, cast, login, who):
    response = login(cast.users[who]).post(url("legal_create", cast.a), NEW)
    legal = LegalDocument.objects.get(agency=cast.a, number="26/2014/TT-BKHCN")
    assert response.status_code == 302 and response.url == legal.get_absolute_url()
    assert legal.issued_on == dt.date(2014, 10, 15) and legal.status == S.IN_FORCE


@pytest.mark.parametrize("who", ["staff", "head", "auditor", "overseer"])
def test_others_cannot_add_to_the_register(reg, cast, login, who):
    client = login(cast.users[who])
    assert client.get(url("legal_list", cast.a)).status_code == 200
    assert client.post(url("legal_create", cast.a), NEW).status_code == 403
    assert not LegalDocument.objects.filter(number=NEW["number"]).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"number": "30/2020/NĐ-CP"}, "number"),  # already in the register
        ({"issued_on": "32/13/2014"}, "issued_on"),
        ({"effective_on": "01/01/2014"}, "effective_on"),  # before it is issued
        ({"doc_type": "bogus"}, "doc_type"),
        ({"title": ""}, "title"),
    ],
)
def test_it_explains_a_bad_new_legal_document_and_saves_nothing(reg, cast, login, change, field):
    before = LegalDocument.objects.count()
    response = login(cast.users["secretary"]).post(url("legal_create", cast.a), NEW | change)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert LegalDocument.objects.count() == before


def test_the_register_refuses_the_wrong_methods(reg, cast, login):
    client = login(cast.users["secretary"])
    legal = reg["legal"]
    assert client.post(url("legal_list", cast.a)).status_code == 405
    assert client.get(url("legal_create", cast.a)).status_code == 405
    assert client.post(url("legal_detail", cast.a, legal.pk)).status_code == 405
    assert client.get(url("legal_status", cast.a, legal.pk)).status_code == 405
    assert client.get(url("citation_add", cast.a, reg["document"].pk)).status_code == 405
    assert client.get(url("citation_remove", cast.a, reg["citation"].pk)).status_code == 405
    assert client.get(url("citation_resolve", cast.a, reg["citation"].pk)).status_code == 405
    assert client.post(url("legal_reviews", cast.a)).status_code == 405
    assert client.get(url("legal_review_create", cast.a)).status_code == 405
    assert client.delete(url("legal_edit", cast.a, legal.pk)).status_code == 405


def test_it_hides_the_other_agency(reg, cast, login):
    client = login(cast.users["secretary_b"])
    legal, citation = reg["legal"], reg["citation"]
    for target in (
        url("legal_list", cast.a),
        url("legal_reviews", cast.a),
        url("legal_detail", cast.a, legal.pk),
        url("legal_edit", cast.a, legal.pk),
        # B's own agency in the URL, A's objects
        url("legal_detail", cast.b, legal.pk),
        url("legal_edit", cast.b, legal.pk),
        url("legal_detail", cast.b, 999999),
    ):
        assert client.get(target).status_code == 404, target
    posts = [
        (
            url("legal_status", cast.b, legal.pk),
            {"status": "repealed", "change_effective_on": "01/07/2025"},
        ),
        (url("citation_add", cast.b, reg["document"].pk), {"legal_document": legal.pk}),
        (url("citation_remove", cast.b, citation.pk), {}),
        (url("citation_resolve", cast.b, citation.pk), {"resolution": "x"}),
        (url("legal_create", cast.a), NEW),
    ]
    for target, data in posts:
        assert client.post(target, data).status_code == 404, target
    legal.refresh_from_db()
    assert legal.status == S.IN_FORCE
    assert Citation.objects.filter(pk=citation.pk).exists()
    assert not LegalDocument.objects.filter(number=NEW["number"]).exists()


# --- one legal document --------------------------------------------------------------------


def test_the_detail_shows_the_citing_documents_and_their_flags(reg, cast, login):
    flag(reg, change=dt.date(2025, 7, 1))  # due 01/10/2025: overdue today
    client = login(cast.users["secretary"])
    page = client.get(url("legal_detail", cast.a, reg["legal"].pk)).content.decode()
    assert "QT-01" in page and "Văn phòng Sở" in page
    assert "01/10/2025" in page and "text-danger" in page
    assert reverse("documents:citation_resolve", args=[cast.a.pk, reg["citation"].pk]) in page
    assert (
        reverse("organization:history", args=[cast.a.pk, "legal_document", reg["legal"].pk]) in page
    )
    newer = client.get(url("legal_detail", cast.a, reg["newer"].pk)).content.decode()
    assert reg["legal"].get_absolute_url() in newer.split('id="legal-changes"')[1]


def test_staff_read_the_detail_without_the_forms(reg, cast, login):
    flag(reg)
    page = login(cast.users["staff"]).get(url("legal_detail", cast.a, reg["legal"].pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="status-form"' not in html and 'name="resolution"' not in html


def test_the_register_keeper_edits_everything_but_the_status(reg, cast, login):
    client = login(cast.users["secretary"])
    legal = reg["legal"]
    assert client.get(url("legal_edit", cast.a, legal.pk)).status_code == 200
    data = NEW | {
        "number": "30/2020/NĐ-CP",
        "title": "Về công tác văn thư (sửa)",
        "status": "repealed",
    }
    response = client.post(url("legal_edit", cast.a, legal.pk), data)
    assert response.status_code == 302
    legal.refresh_from_db()
    assert legal.title == "Về công tác văn thư (sửa)" and legal.status == S.IN_FORCE
    bad = client.post(url("legal_edit", cast.a, legal.pk), data | {"number": "19/2014/QĐ-TTg"})
    assert bad.status_code == 400 and "number" in bad.context["form"].errors


def test_the_date_a_deadline_counts_from_cannot_be_emptied(reg, cast, login):
    services.change_legal_status(reg["legal"], S.REPLACED, reg["newer"], None)
    newer = reg["newer"]
    data = NEW | {"number": newer.number, "issued_on": "05/03/2014", "effective_on": ""}
    response = login(cast.users["secretary"]).post(url("legal_edit", cast.a, newer.pk), data)
    assert response.status_code == 400 and "effective_on" in response.context["form"].errors
    newer.refresh_from_db()
    assert newer.effective_on == dt.date(2014, 5, 1)


@pytest.mark.parametrize("who", ["staff", "head", "overseer"])
def test_others_cannot_edit_or_change_the_status(reg, cast, login, who):
    client = login(cast.users[who])
    legal = reg["legal"]
    assert client.get(url("legal_edit", cast.a, legal.pk)).status_code == 403
    response = client.post(
        url("legal_status", cast.a, legal.pk),
        {"status": "replaced", "changed_by": reg["newer"].pk, "change_effective_on": "01/07/2025"},
    )
    assert response.status_code == 403
    legal.refresh_from_db()
    assert legal.status == S.IN_FORCE


def test_marking_it_replaced_flags_the_citing_documents_and_says_so(reg, cast, login):
    response = login(cast.users["secretary"]).post(
        url("legal_status", cast.a, reg["legal"].pk),
        {"status": "replaced", "changed_by": reg["newer"].pk, "change_effective_on": "30/11/2025"},
    )
    assert response.status_code == 302
    citation = Citation.objects.get(pk=reg["citation"].pk)
    assert citation.is_flagged and citation.due_on == dt.date(2026, 2, 28)
    [message] = texts(response, "success")
    assert "1" in message and "28/02/2026" in message
    assert Obligation.objects.filter(
        source=f"documents.legal:{reg['legal'].pk}:{citation.pk}", owner_unit=reg["office"]
    ).exists()


def test_back_in_force_through_the_screen_lifts_the_flags(reg, cast, login):
    flag(reg)
    response = login(cast.users["unit_head"]).post(
        url("legal_status", cast.a, reg["legal"].pk), {"status": "in_force"}
    )
    assert response.status_code == 302 and len(texts(response, "success")) == 1
    reg["citation"].refresh_from_db()
    assert not reg["citation"].is_flagged and reg["citation"].due_on is None
    assert not Obligation.objects.filter(source__startswith="documents.legal:").exists()


def test_a_dissolved_agency_is_read_only(reg, cast, login):
    cast.a.valid_to = dt.date(2025, 6, 30)
    cast.a.save()
    client = login(cast.users["secretary"])
    assert client.get(url("legal_list", cast.a)).status_code == 200
    assert client.post(url("legal_create", cast.a), NEW).status_code == 403
    assert not LegalDocument.objects.filter(number=NEW["number"]).exists()


def test_a_refused_status_change_is_a_message_and_changes_nothing(reg, cast, login):
    undated = make_legal(cast.a, "01/2026/NĐ-CP", effective_on=None)
    response = login(cast.users["secretary"]).post(
        url("legal_status", cast.a, reg["legal"].pk),
        {"status": "replaced", "changed_by": undated.pk, "change_effective_on": ""},
    )
    assert response.status_code == 302 and len(texts(response)) == 1
    reg["legal"].refresh_from_db()
    assert reg["legal"].status == S.IN_FORCE and not Citation.objects.get().flagged_on


@pytest.mark.parametrize(
    "data",
    [
        {"status": "replaced", "change_effective_on": "31/02/2025"},
        {"status": "gone", "change_effective_on": "01/07/2025"},
        {"status": "replaced", "changed_by": "abc", "change_effective_on": "01/07/2025"},
        {"status": "replaced", "changed_by": "999999", "change_effective_on": "01/07/2025"},
        {"status": "replaced", "changed_by": "self", "change_effective_on": "01/07/2025"},
        {"status": "replaced", "changed_by": "b", "change_effective_on": "01/07/2025"},
    ],
)
def test_a_bad_status_form_is_explained_with_400(reg, cast, login, data):
    ids = {"self": reg["legal"].pk, "b": reg["b_legal"].pk}
    if data.get("changed_by") in ids:
        data = data | {"changed_by": ids[data["changed_by"]]}
    response = login(cast.users["secretary"]).post(
        url("legal_status", cast.a, reg["legal"].pk), data
    )
    assert response.status_code == 400
    assert response.context["status_form"].errors
    reg["legal"].refresh_from_db()
    assert reg["legal"].status == S.IN_FORCE


# --- citations -----------------------------------------------------------------------------


def test_the_register_keeper_cites_a_legal_document_of_the_agency(reg, cast, login):
    document = reg["document"]
    response = login(cast.users["unit_head"]).post(
        url("citation_add", cast.a, document.pk), {"legal_document": reg["newer"].pk}
    )
    assert response.status_code == 302 and response.url == document.get_absolute_url()
    assert Citation.objects.filter(document=document, legal_document=reg["newer"]).exists()


@pytest.mark.parametrize("value", ["b", "abc", "", "999999", "again"])
def test_citing_needs_a_legal_document_of_the_agency_not_yet_cited(reg, cast, login, value):
    chosen = {"b": reg["b_legal"].pk, "again": reg["legal"].pk}.get(value, value)
    response = login(cast.users["secretary"]).post(
        url("citation_add", cast.a, reg["document"].pk), {"legal_document": chosen}
    )
    assert response.status_code == 302
    assert len(texts(response)) == 1
    assert Citation.objects.filter(document=reg["document"]).count() == 1


def test_citing_for_a_document_of_another_agency_is_not_found(reg, cast, login):
    client = login(cast.users["secretary"])
    response = client.post(
        url("citation_add", cast.a, reg["b_document"].pk), {"legal_document": reg["legal"].pk}
    )
    assert response.status_code == 404
    assert not Citation.objects.filter(document=reg["b_document"]).exists()


@pytest.mark.parametrize("who", ["staff", "head", "overseer"])
def test_others_cannot_change_citations(reg, cast, login, who):
    client = login(cast.users[who])
    citation = flag(reg)
    assert (
        client.post(
            url("citation_add", cast.a, reg["document"].pk), {"legal_document": reg["newer"].pk}
        ).status_code
        == 403
    )
    assert client.post(url("citation_remove", cast.a, citation.pk)).status_code == 403
    resolve = client.post(url("citation_resolve", cast.a, citation.pk), {"resolution": "Đã sửa"})
    assert resolve.status_code == 403
    citation.refresh_from_db()
    assert citation.is_flagged and Citation.objects.count() == 1


def test_removing_a_citation_and_refusing_a_flagged_one(reg, cast, login):
    client = login(cast.users["secretary"])
    plain = services.cite(reg["document"], reg["newer"])
    response = client.post(url("citation_remove", cast.a, plain.pk))
    assert response.status_code == 302 and response.url == reg["document"].get_absolute_url()
    assert not Citation.objects.filter(pk=plain.pk).exists()
    flagged = flag(reg)
    response = client.post(url("citation_remove", cast.a, flagged.pk))
    assert response.status_code == 302 and texts(response)
    assert Citation.objects.filter(pk=flagged.pk).exists()


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("legal", "legal"),
        ("https://evil.example/phish", "document"),
        ("//evil.example/", "document"),
        ("", "document"),
    ],
)
def test_resolving_a_flag_goes_back_only_to_a_local_page(reg, cast, login, next_url, lands_on):
    citation = flag(reg)
    targets = {
        "legal": reg["legal"].get_absolute_url(),
        "document": reg["document"].get_absolute_url(),
    }
    response = login(cast.users["secretary"]).post(
        url("citation_resolve", cast.a, citation.pk),
        {"resolution": "Đã sửa đổi QT-01 lần 2", "next": targets.get(next_url, next_url)},
    )
    assert response.status_code == 302 and response.url == targets[lands_on]
    citation.refresh_from_db()
    assert citation.resolved_on == today() and citation.resolution == "Đã sửa đổi QT-01 lần 2"
    assert not Obligation.objects.filter(
        source__startswith=f"documents.legal:{reg['legal'].pk}:"
    ).exists()


@pytest.mark.parametrize("resolution", ["", "   ", "x" * 501])
def test_resolving_needs_a_short_description(reg, cast, login, resolution):
    citation = flag(reg)
    response = login(cast.users["secretary"]).post(
        url("citation_resolve", cast.a, citation.pk), {"resolution": resolution}
    )
    assert response.status_code == 302 and texts(response)
    citation.refresh_from_db()
    assert citation.is_flagged


def test_resolving_a_citation_that_is_not_flagged_is_refused(reg, cast, login):
    response = login(cast.users["secretary"]).post(
        url("citation_resolve", cast.a, reg["citation"].pk), {"resolution": "Đã xem"}
    )
    assert response.status_code == 302 and texts(response)
    reg["citation"].refresh_from_db()
    assert reg["citation"].resolved_on is None


def test_the_citations_fragment_for_the_document_page(reg, cast):
    flagged = flag(reg)
    plain = services.cite(reg["document"], make_legal(cast.a, "61/2018/NĐ-CP"))
    request = RequestFactory().get(reg["document"].get_absolute_url())
    context = {
        "document": reg["document"],
        "citations": list(reg["document"].citations.select_related("legal_document")),
        "cite_form": CiteForm(agency=cast.a, document=reg["document"]),
        "can_manage_legal": True,
        "agency": cast.a,
    }
    html = render_to_string("documents/legal_citations.html", context, request=request)
    assert reverse("documents:citation_resolve", args=[cast.a.pk, flagged.pk]) in html
    assert reverse("documents:citation_remove", args=[cast.a.pk, plain.pk]) in html
    assert reverse("documents:citation_remove", args=[cast.a.pk, flagged.pk]) not in html
    assert "01/10/2025" in html and "text-bg-danger" in html  # due date, "replaced" badge
    # Already cited texts and other agencies' texts are not offered.
    offered = {legal.pk for legal in context["cite_form"].fields["legal_document"].queryset}
    assert offered == {reg["newer"].pk}
    read_only = render_to_string(
        "documents/legal_citations.html", context | {"can_manage_legal": False}, request=request
    )
    assert 'name="resolution"' not in read_only and "citation_remove" not in read_only
    assert "<form" not in read_only


# --- legal-basis reviews -------------------------------------------------------------------


def review_data(unit, **extra):
    return {
        "unit": unit.pk,
        "reviewed_on": today().strftime("%d/%m/%Y"),
        "result": "no_change",
        "findings": "",
    } | extra


def test_the_reviews_page_shows_each_units_schedule(reg, cast, login):
    long_ago = today() - dt.timedelta(days=200)
    LegalBasisReview.objects.create(
        agency=cast.a,
        unit=reg["office"],
        reviewer=cast.users["secretary"],
        reviewed_on=long_ago,
        result="no_change",
    )
    response = login(cast.users["staff"]).get(url("legal_reviews", cast.a))
    assert response.status_code == 200
    [row] = response.context["schedule"]
    assert row["unit"] == reg["office"] and row["last"] == long_ago and row["late"]
    assert "text-danger" in response.content.decode()


def test_the_secretary_records_a_review_for_any_unit(reg, cast, login):
    response = login(cast.users["secretary"]).post(
        url("legal_review_create", cast.a),
        review_data(
            reg["division"],
            result="changes_found",
            findings="NĐ 30/2020 bị thay thế",
            legal_documents=[reg["legal"].pk],
        ),
    )
    assert response.status_code == 302
    review = LegalBasisReview.objects.get()
    assert review.unit == reg["division"] and review.reviewer == cast.users["secretary"]
    assert list(review.legal_documents.all()) == [reg["legal"]]


@pytest.mark.parametrize("who", ["staff", "unit_head"])
def test_unit_members_record_a_review_only_for_their_own_unit(reg, cast, login, who):
    client = login(cast.users[who])
    response = client.post(url("legal_review_create", cast.a), review_data(reg["division"]))
    assert response.status_code == 400 and "unit" in response.context["form"].errors
    response = client.post(url("legal_review_create", cast.a), review_data(reg["office"]))
    assert response.status_code == 302
    assert LegalBasisReview.objects.get().unit == reg["office"]
    source = f"documents.legal_reviews:{cast.a.pk}:{reg['office'].pk}"
    assert Obligation.objects.get(source=source).due_date == months_later(today(), 3)


def test_someone_without_a_unit_cannot_choose_one(reg, cast, login):
    loner = make_person(cast.a, "loner", [Role.STAFF])
    response = login(loner).get(url("legal_reviews", cast.a))
    assert response.status_code == 200
    assert 'id="review-form"' not in response.content.decode()
    denied = login(loner).post(url("legal_review_create", cast.a), review_data(reg["office"]))
    assert denied.status_code == 400


@pytest.mark.parametrize("who", ["head", "auditor", "overseer"])
def test_others_cannot_record_a_review(reg, cast, login, who):
    client = login(cast.users[who])
    assert client.get(url("legal_reviews", cast.a)).status_code == 200
    response = client.post(url("legal_review_create", cast.a), review_data(reg["office"]))
    assert response.status_code == 403
    assert not LegalBasisReview.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reviewed_on": "tomorrow"}, "reviewed_on"),
        ({"reviewed_on": "31/04/2026"}, "reviewed_on"),
        ({"result": "changes_found", "findings": "  "}, "findings"),
        ({"result": "maybe"}, "result"),
        ({"unit": "abc"}, "unit"),
        ({"unit": "b"}, "unit"),
        ({"legal_documents": ["b"]}, "legal_documents"),
        ({"legal_documents": ["abc"]}, "legal_documents"),
    ],
)
def test_a_bad_review_is_explained_and_nothing_recorded(reg, cast, login, change, field):
    other = {"b": Unit.objects.get(agency=cast.b).pk, "tomorrow": None}
    data = review_data(reg["office"]) | change
    if data["unit"] == "b":
        data["unit"] = other["b"]
    if data["reviewed_on"] == "tomorrow":
        data["reviewed_on"] = (today() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    if data.get("legal_documents") == ["b"]:
        data["legal_documents"] = [reg["b_legal"].pk]
    response = login(cast.users["secretary"]).post(url("legal_review_create", cast.a), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not LegalBasisReview.objects.exists()


# --- query counts --------------------------------------------------------------------------


def grow(cast, reg, n):
    """n more legal documents, procedures citing them (some flagged) and reviews in A."""
    start = LegalDocument.objects.count()
    for i in range(start, start + n):
        unit = Unit.objects.create(agency=cast.a, name=f"Phòng {i}")
        legal = make_legal(cast.a, f"{i}/2025/NĐ-CP")
        document = make_document(cast.a, f"QT-{i}", unit, kind=Kind.INTERNAL_PROCEDURE)
        services.cite(document, legal)
        services.cite(document, reg["legal"])
        services.change_legal_status(legal, S.AMENDED, None, dt.date(2025, 9, 1))
        review = services.record_legal_review(
            unit, cast.users["secretary"], today(), "changes_found", "Có thay đổi", [legal.pk]
        )
        review.legal_documents.add(reg["legal"])


def count(client, target):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(target)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def assert_constant(cast, reg, client, target, expected):
    client.get(target)  # the first visit may remember the current agency in the session
    grow(cast, reg, 2)
    assert count(client, target) == expected
    grow(cast, reg, 30)
    assert count(client, target) == expected


def test_register_queries(reg, cast, login):
    # 4 common + 1 count + 1 page of legal documents (amending text joined, citing and
    # flagged counted in the same query) + 2 header (overseer?, agency switcher) = 8
    client = login(cast.users["secretary"])
    assert_constant(cast, reg, client, url("legal_list", cast.a), 8)


def test_register_search_queries(reg, cast, login):
    # 4 common + 1 numbers and subjects to fold + 1 count + 1 page + 2 header = 9
    client = login(cast.users["secretary"])
    target = url("legal_list", cast.a) + "?q=nd-cp&status=in_force"
    assert_constant(cast, reg, client, target, 9)


def test_detail_queries(reg, cast, login):
    # 4 common + 1 legal document (amending text joined) + 1 citing documents (owner unit,
    # who handled) + 1 texts amending it + 1 choices of the status form + 2 header = 10
    flag(reg)
    client = login(cast.users["secretary"])
    assert_constant(cast, reg, client, url("legal_detail", cast.a, reg["legal"].pk), 10)


def test_reviews_page_queries(reg, cast, login):
    # 4 common + 1 last review per unit + 1 units owning procedures + 1 count + 1 page of
    # reviews (unit, reviewer joined) + 1 their legal documents + 1 "any unit to choose?"
    # + 1 unit choices + 2 header = 13; the legal documents are searched by the chooser
    client = login(cast.users["secretary"])
    assert_constant(cast, reg, client, url("legal_reviews", cast.a), 13)
