"""The legal-text chooser of a document's page: the page lists no legal text of the register,
the chooser finds them by number or subject, a page at a time."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qms.documents.tests.test_legal_services import make_legal
from qms.documents.tests.test_legal_views import reg  # noqa: F401  (fixture)
from qms.documents.views.legal_chooser import CHOICES_SHOWN


def choices_url(agency, document):
    return reverse("documents:citation_choices", args=[agency.pk, document.pk])


def many_texts(agency, n, start=0):
    for i in range(start, start + n):
        make_legal(
            agency,
            f"{100 + i}/2021/TT-BXD",
            title=f"Hướng dẫn số {i}",
            issued_on=dt.date(2021, 1, 1),
        )


def test_the_document_page_lists_no_legal_text_whatever_the_register(reg, cast, login):  # noqa: F811
    client = login(cast.users["secretary"])
    page_url = reg["document"].get_absolute_url()
    client.get(page_url)
    many_texts(cast.a, 5)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page_url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    small, html = count()
    assert "100/2021/TT-BXD" not in html  # offered only by the chooser
    assert choices_url(cast.a, reg["document"]) in html
    many_texts(cast.a, 60, start=5)
    large, html = count()
    assert large == small
    assert "TT-BXD" not in html


def test_it_finds_texts_by_number_or_subject_without_diacritics(reg, cast, login):  # noqa: F811
    client = login(cast.users["secretary"])
    found = client.get(choices_url(cast.a, reg["document"]), {"q": "qd-ttg"}).content.decode()
    assert f'value="{reg["newer"].pk}"' in found and 'name="legal_document"' in found
    by_subject = client.get(choices_url(cast.a, reg["document"]), {"q": "ap dung he thong"})
    assert f'value="{reg["newer"].pk}"' in by_subject.content.decode()
    # Already cited (NĐ 30/2020 of A) and other agencies' texts are never offered.
    every = client.get(choices_url(cast.a, reg["document"])).content.decode()
    assert f'value="{reg["legal"].pk}"' not in every
    assert f'value="{reg["b_legal"].pk}"' not in every
    nothing = client.get(choices_url(cast.a, reg["document"]), {"q": "khong co gi nhu the"})
    assert "Không có văn bản pháp lý nào trong danh mục phù hợp" in nothing.content.decode()


def test_it_shows_one_page_of_matches_and_the_form_cites_the_chosen(reg, cast, login):  # noqa: F811
    many_texts(cast.a, CHOICES_SHOWN + 5)
    client = login(cast.users["secretary"])
    response = client.get(choices_url(cast.a, reg["document"]), {"q": "tt-bxd"})
    assert response.status_code == 200
    assert len(response.context["choices"]) == CHOICES_SHOWN and response.context["more"]
    html = response.content.decode()
    assert html.count('name="legal_document"') == CHOICES_SHOWN
    chosen = response.context["choices"][0]
    posted = client.post(
        reverse("documents:citation_add", args=[cast.a.pk, reg["document"].pk]),
        {"q": "tt-bxd", "legal_document": chosen.pk},
    )
    assert posted.status_code == 302
    assert reg["document"].citations.filter(legal_document=chosen).exists()
    again = client.get(choices_url(cast.a, reg["document"]), {"q": "tt-bxd"})
    assert chosen not in again.context["choices"]


def test_the_chooser_is_for_those_who_manage_the_legal_bases(reg, cast, login):  # noqa: F811
    assert login(cast.users["staff"]).get(choices_url(cast.a, reg["document"])).status_code == 403
    secretary = login(cast.users["secretary"])
    assert secretary.get(choices_url(cast.a, reg["b_document"])).status_code == 404
    assert secretary.post(choices_url(cast.a, reg["document"])).status_code == 405
