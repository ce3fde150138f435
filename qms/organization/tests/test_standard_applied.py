"""The standard an agency applies is data (issue 11 §3, R-16): the administrator chooses it on
the agency's page, and the committee's decision, its duties, a new document set and the DOCX
the agency prints take the standard's name from there; an agency left at the default keeps
"TCVN ISO 9001:2015" word for word."""

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse

from qms.documents import docx as dd
from qms.documents import services as documents
from qms.documents.models import Document, DocumentSet, Kind
from qms.organization.models import Agency, CommitteeDecision
from qms.organization.standards import (
    ISO_9001_2026,
    TCVN_9001_2015,
    TCVN_18091_2020,
    standard,
)

PILOT = "Tiêu chuẩn quốc gia TCVN ISO 18091:2020"
PILOT_LOWER = "tiêu chuẩn quốc gia TCVN ISO 18091:2020"
USUAL = "Tiêu chuẩn quốc gia TCVN ISO 9001:2015"


def _text(content):
    out = docx.Document(io.BytesIO(content))
    parts = [p.text for p in out.paragraphs]
    for table in out.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _apply(agency, code):
    Agency.objects.filter(pk=agency.pk).update(standard=code)
    agency.refresh_from_db()


def _agency_data(agency, **extra):
    """The agency page's fields as the administrator sends them back."""
    return {
        "province": agency.province_id,
        "kind": agency.kind,
        "name": agency.name,
        "abbreviation": agency.abbreviation,
        "parent_agency_name": agency.parent_agency_name,
        "place_name": agency.place_name,
        "head_title": agency.head_title,
        "deputy_title": agency.deputy_title,
        "committee_name": agency.committee_name,
        "committee_abbreviation": agency.committee_abbreviation,
        "standard": agency.standard,
        "valid_from": "",
    } | extra


def _new_decision(cast, login):
    client = login(cast.users["secretary"])
    response = client.post(reverse("organization:decision_create", args=[cast.a.pk]))
    assert response.status_code == 302
    return CommitteeDecision.objects.select_related("paper").filter(agency=cast.a).latest("pk")


def _new_set(cast, login):
    client = login(cast.users["secretary"])
    page = client.get(reverse("documents:sets", args=[cast.a.pk])).content.decode()
    initial = standard(cast.a.standard).full_name_lower
    title = f"Bộ tài liệu Hệ thống quản lý chất lượng theo {initial} của Sở Xây dựng Tỉnh Một"
    assert f'value="{title}"' in page  # the form proposes the title in the agency's words
    response = client.post(
        reverse("documents:set_create", args=[cast.a.pk]), {"title": title, "effective_on": ""}
    )
    assert response.status_code == 302
    return DocumentSet.objects.select_related("paper").filter(agency=cast.a).latest("pk")


def test_an_agency_applying_iso_18091_has_its_name_in_the_committee_decision(cast, login):
    _apply(cast.a, TCVN_18091_2020)
    decision = _new_decision(cast, login)
    assert decision.paper.subject == (
        "Về việc thành lập Ban Chỉ đạo xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý "
        f"chất lượng theo {PILOT} của Sở Xây dựng Tỉnh Một"
    )
    assert decision.duties.splitlines()[0].endswith(f"Hệ thống quản lý chất lượng theo {PILOT}")
    assert "9001:2015" not in decision.paper.subject + decision.duties


def test_the_default_agency_keeps_tcvn_iso_9001_2015_word_for_word(cast, login):
    assert cast.a.standard == TCVN_9001_2015
    decision = _new_decision(cast, login)
    assert decision.paper.subject.endswith(f"chất lượng theo {USUAL} của Sở Xây dựng Tỉnh Một")
    assert decision.duties.splitlines()[0].endswith(f"chất lượng theo {USUAL}")
    document_set = _new_set(cast, login)
    assert document_set.paper.subject == (
        "Về việc ban hành Bộ tài liệu Hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia "
        "TCVN ISO 9001:2015 của Sở Xây dựng Tỉnh Một"
    )
    register = _text(dd.register_docx(cast.a, [], dt.date(2026, 4, 1)))
    assert f"theo {USUAL}" in register


def test_a_new_document_set_and_its_decision_name_the_agency_standard(cast, login):
    _apply(cast.a, TCVN_18091_2020)
    document_set = _new_set(cast, login)
    assert document_set.title == (
        f"Bộ tài liệu Hệ thống quản lý chất lượng theo {PILOT_LOWER} của Sở Xây dựng Tỉnh Một"
    )
    assert document_set.paper.subject == (
        "Về việc ban hành Bộ tài liệu Hệ thống quản lý chất lượng theo "
        f"{PILOT_LOWER} của Sở Xây dựng Tỉnh Một"
    )
    document = Document.objects.create(
        agency=cast.a, kind=Kind.QUALITY_POLICY, code="CS.ISO.01", title="Chính sách chất lượng"
    )
    documents.add_to_set(document_set, documents.new_revision(document, cast.users["secretary"]))
    client = login(cast.users["secretary"])
    response = client.get(
        reverse("documents:set_export", args=[cast.a.pk, document_set.pk, "docx"])
    )
    assert response.status_code == 200
    text = _text(response.content)
    assert (
        "Về việc ban hành Bộ tài liệu Hệ thống quản lý chất lượng theo "
        f"{PILOT_LOWER} của Sở Xây dựng Tỉnh Một"
    ) in text
    assert f"Hệ thống quản lý chất lượng theo {PILOT} của Sở Xây dựng Tỉnh Một gồm 01" in text
    assert "9001:2015" not in text


def test_the_register_and_a_procedure_without_references_name_the_agency_standard(cast, login):
    _apply(cast.a, TCVN_18091_2020)
    response = login(cast.users["staff"]).get(reverse("documents:export", args=[cast.a.pk, "docx"]))
    assert response.status_code == 200
    register = _text(response.content)
    assert "DANH MỤC TÀI LIỆU HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG" in register
    assert f"theo {PILOT}" in register and "9001:2015" not in register

    document = Document.objects.create(
        agency=cast.a,
        kind=Kind.SYSTEM_PROCEDURE,
        code="QT.ISO.01",
        title="Quy trình kiểm soát thông tin dạng văn bản",
    )
    revision = documents.new_revision(document, cast.users["secretary"])
    sections = [dd.Section(title) for title in dd.SECTION_TITLES]
    text = _text(dd.procedure_docx(document, revision, sections))
    assert f"- {PILOT}." in text  # the references section, left empty, cites the standard


def test_a_standard_not_yet_adopted_opens_a_references_line_with_a_capital(cast):
    _apply(cast.a, ISO_9001_2026)
    assert standard(cast.a.standard).full_name_opening == "Tiêu chuẩn ISO 9001:2026"
    assert standard(cast.a.standard).full_name_lower == "tiêu chuẩn ISO 9001:2026"


def test_the_administrator_chooses_the_standard_on_the_agency_page(cast, login):
    admin = login(cast.users["admin"])
    url = reverse("organization:agency_edit", args=[cast.a.pk])
    page = admin.get(url).content.decode()
    assert "Tiêu chuẩn áp dụng" in page and "TCVN ISO 18091:2020" in page
    assert "chưa được Việt Nam chấp nhận thành tiêu chuẩn quốc gia (TCVN)" in page
    response = admin.post(url, _agency_data(cast.a, standard=TCVN_18091_2020))
    assert response.status_code == 302
    cast.a.refresh_from_db()
    assert cast.a.standard == TCVN_18091_2020
    assert cast.a.history.first().standard == TCVN_18091_2020  # the change is in the history


def test_iso_9001_2026_is_accepted_with_a_line_that_viet_nam_has_not_adopted_it(cast, login):
    admin = login(cast.users["admin"])
    url = reverse("organization:agency_edit", args=[cast.a.pk])
    response = admin.post(url, _agency_data(cast.a, standard=ISO_9001_2026), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ISO 9001:2026 chưa được Việt Nam chấp nhận thành tiêu chuẩn quốc gia (TCVN)" in page
    cast.a.refresh_from_db()
    assert cast.a.standard == ISO_9001_2026
    decision = _new_decision(cast, login)
    assert "theo tiêu chuẩn ISO 9001:2026 của Sở Xây dựng Tỉnh Một" in decision.paper.subject


def test_an_unknown_standard_is_refused_in_vietnamese(cast, login):
    admin = login(cast.users["admin"])
    url = reverse("organization:agency_edit", args=[cast.a.pk])
    response = admin.post(url, _agency_data(cast.a, standard="iso-9001-2008"))
    assert response.status_code == 400
    assert "Hãy chọn một trong các tiêu chuẩn có trong danh sách." in response.content.decode()
    cast.a.refresh_from_db()
    assert cast.a.standard == TCVN_9001_2015


@pytest.mark.parametrize("who", ["secretary_b", "head", "secretary"])
def test_nobody_but_the_administrator_changes_the_standard(cast, login, who):
    client = login(cast.users[who])
    url = reverse("organization:agency_edit", args=[cast.a.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, _agency_data(cast.a, standard=TCVN_18091_2020))
    assert response.status_code == 403
    cast.a.refresh_from_db()
    assert cast.a.standard == TCVN_9001_2015


def test_a_post_without_the_field_keeps_the_standard_the_agency_has(cast, login):
    _apply(cast.a, TCVN_18091_2020)
    data = _agency_data(cast.a, head_title="Trưởng ban")
    del data["standard"]
    response = login(cast.users["admin"]).post(
        reverse("organization:agency_edit", args=[cast.a.pk]), data
    )
    assert response.status_code == 302
    cast.a.refresh_from_db()
    assert (cast.a.head_title, cast.a.standard) == ("Trưởng ban", TCVN_18091_2020)


def test_the_starter_documents_name_the_standard_the_agency_applies(cast):
    from qms.documents import starter

    Agency.objects.filter(pk=cast.a.pk).update(standard=TCVN_18091_2020)
    cast.a.refresh_from_db()
    created = starter.create_starter_set(cast.a, by=cast.users["secretary"], owner_unit=None)
    by_code = {d.code: d for d in created}
    policy = _text(by_code["CS.ISO.01"].revisions.get().files.get().file.read())
    assert f"chất lượng theo {PILOT} trong toàn bộ hoạt động" in policy
    audit = _text(by_code["QT.ISO.02"].revisions.get().files.get().file.read())
    assert f"- {PILOT}, điều 9.2;" in audit
    assert "9001:2015" not in policy + audit and "{standard}" not in policy + audit
