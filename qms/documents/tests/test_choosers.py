"""The document and legal-text choosers: the forms that name a procedure, a revision or a
legal text list none; the endpoints answer what the user types, at most CHOICES_SHOWN rows,
diacritics ignored, only the agency's rows the form accepts, only to users with the right."""

import datetime as dt

import pytest
from django.urls import reverse

from qms.documents import services
from qms.documents.forms import DocumentForm, SetRevisionForm
from qms.documents.legal_forms import LegalReviewForm, LegalStatusForm
from qms.documents.models import Kind, Unit
from qms.documents.tests.test_legal_services import make_document, make_legal
from qms.documents.tests.test_legal_views import reg  # noqa: F401  (fixture)
from qms.lib.chooser import CHOICES_SHOWN


def legal_url(agency, purpose):
    return reverse("documents:legal_choices", args=[agency.pk, purpose])


def documents_url(agency, purpose):
    return reverse("documents:choices", args=[agency.pk, purpose])


def many_texts(agency, n, start=0):
    for i in range(start, start + n):
        make_legal(agency, f"{100 + i}/2021/TT-BXD", title=f"Hướng dẫn số {i}")


def test_legal_texts_are_found_without_diacritics_and_only_the_agencys(reg, cast, login):  # noqa: F811
    client = login(cast.users["secretary"])
    params = {"name": "changed_by", "changed_by__search": "qd-ttg"}
    html = client.get(legal_url(cast.a, "status"), params).content.decode()
    assert f'value="{reg["newer"].pk}"' in html and 'name="changed_by"' in html
    assert "Áp dụng Hệ thống quản lý chất lượng" in html
    params["changed_by__search"] = "cong tac van thu"
    html = client.get(legal_url(cast.a, "status"), params).content.decode()
    assert f'value="{reg["legal"].pk}"' in html
    assert f'value="{reg["b_legal"].pk}"' not in html  # agency B's text of the same name
    # The text whose status changes is not offered as its own replacement.
    excluded = client.get(legal_url(cast.a, "status"), params | {"exclude": reg["legal"].pk})
    assert f'value="{reg["legal"].pk}"' not in excluded.content.decode()


@pytest.mark.parametrize(
    ("user", "purpose", "status"),
    [
        ("staff", "status", 403),  # managing the register is the secretary's, a unit head's
        ("staff", "review", 200),  # staff record their unit's legal-basis review
        ("auditor", "review", 403),
        ("unit_head", "status", 200),
        ("secretary", "nothing", 404),
    ],
)
def test_legal_choices_need_the_forms_right(reg, cast, login, user, purpose, status):  # noqa: F811
    assert login(cast.users[user]).get(legal_url(cast.a, purpose)).status_code == status


def test_the_legal_query_count_does_not_grow(reg, cast, login, django_assert_num_queries):  # noqa: F811
    client = login(cast.users["secretary"])
    params = {"name": "legal_documents", "multiple": "1", "legal_documents": reg["legal"].pk}

    def answer():
        # session, user; agency, the user's roles (access); the searched numbers and
        # subjects; the texts shown with the one ticked = 6
        with django_assert_num_queries(6):
            response = client.get(legal_url(cast.a, "review"), params)
        return response.content.decode()

    many_texts(cast.a, 5)
    assert answer().count('type="checkbox"') == 7
    many_texts(cast.a, 295, start=5)
    html = answer()
    assert html.count('type="checkbox"') == CHOICES_SHOWN + 1
    assert f'value="{reg["legal"].pk}" checked' in html
    assert "Còn 281 kết quả khác" in html


def test_procedures_and_set_revisions_are_the_agencys_own(reg, cast, login):  # noqa: F811
    office = reg["office"]
    make_document(cast.a, "QT-07", office, title="Quy trình giải quyết khiếu nại")
    form_template = make_document(cast.a, "BM-01", office, kind=Kind.FORM_TEMPLATE)
    client = login(cast.users["secretary"])
    params = {"name": "procedure", "procedure__search": "khieu nai"}
    html = client.get(documents_url(cast.a, "procedures"), params).content.decode()
    assert "QT-07 Quy trình giải quyết khiếu nại" in html and "QT-01" not in html
    every = client.get(documents_url(cast.a, "procedures"), {"name": "procedure"})
    every = every.content.decode()
    assert f'value="{reg["b_document"].pk}"' not in every
    assert f'value="{form_template.pk}"' not in every  # a form is no procedure
    draft = services.new_revision(reg["document"], cast.users["secretary"])
    services.new_revision(reg["b_document"], cast.users["secretary_b"])
    html = client.get(documents_url(cast.a, "set-revisions"), {"name": "revision"})
    html = html.content.decode()
    assert f'value="{draft.pk}"' in html and html.count('name="revision"') == 1
    assert login(cast.users["staff"]).get(documents_url(cast.a, "procedures")).status_code == 403


def test_the_document_query_count_does_not_grow(reg, cast, login, django_assert_num_queries):  # noqa: F811
    client = login(cast.users["secretary"])
    unit = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")

    def answer():
        # session, user; agency, roles (access); the searched codes and titles; the
        # procedures shown = 6
        with django_assert_num_queries(6):
            response = client.get(documents_url(cast.a, "procedures"), {"q": "quy trinh"})
        return response.content.decode()

    for i in range(5):
        make_document(cast.a, f"QT-{i + 10}", unit)
    assert answer().count('type="radio"') == 6
    for i in range(5, 300):
        make_document(cast.a, f"QT-{i + 10}", unit)
    assert answer().count('type="radio"') == CHOICES_SHOWN


def test_the_forms_list_no_row_and_keep_their_validation(reg, cast):  # noqa: F811
    many_texts(cast.a, 30)
    status = LegalStatusForm(legal=reg["legal"], initial={"changed_by": reg["newer"].pk})
    html = str(status["changed_by"])
    assert "TT-BXD" not in html and "<option" not in html
    assert f'value="{reg["newer"].pk}" checked' in html and "— Không chọn —" in html
    assert f"exclude={reg['legal'].pk}" in html
    posted = LegalStatusForm(
        {"status": "replaced", "changed_by": reg["b_legal"].pk}, legal=reg["legal"]
    )
    assert "changed_by" in posted.errors
    review = LegalReviewForm(
        {
            "unit": reg["office"].pk,
            "reviewed_on": f"{dt.date(2025, 1, 2):%d/%m/%Y}",
            "result": "no_change",
            "legal_documents": [reg["legal"].pk, reg["newer"].pk],
        },
        agency=cast.a,
        units=Unit.objects.filter(agency=cast.a),
    )
    assert review.is_valid(), review.errors
    assert str(review["legal_documents"]).count("checked") == 2
    assert "TT-BXD" not in str(DocumentForm(agency=cast.a)["procedure"])
    document_set = services.create_set(cast.a, title="Bộ", effective_on=None)
    assert "<option" not in str(SetRevisionForm(document_set=document_set)["revision"])
