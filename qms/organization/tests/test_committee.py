"""The steering committee: composition over time, drafting, issuing, and the decision DOCX."""

import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qms.organization import services
from qms.organization.models import CommitteeDecision, CommitteeMember, CommitteeRole
from qms.organization.tests.factories import D, draft_with_members, issue, issued


def names(members):
    return [m.full_name for m in members]


def test_it_answers_who_was_on_the_committee_on_a_date(cast):
    issued(cast.a, ["An", "Bình"], 10, D(2024, 3, 1))
    issued(cast.a, ["An", "Cường"], 20, D(2025, 5, 15))
    assert names(services.members_on(cast.a, D(2024, 2, 28))) == []
    assert names(services.members_on(cast.a, D(2024, 3, 1))) == ["An", "Bình"]
    assert names(services.members_on(cast.a, D(2025, 5, 14))) == ["An", "Bình"]
    assert names(services.members_on(cast.a, D(2025, 5, 15))) == ["An", "Cường"]


def test_it_ends_the_previous_seats_the_day_before_the_new_decision(cast):
    first = issued(cast.a, ["An", "Bình"], 10, D(2024, 3, 1))
    second = issued(cast.a, ["Cường"], 20, D(2025, 5, 15))
    assert {m.to_date for m in first.members.all()} == {D(2025, 5, 14)}
    assert second.replaces == first
    seat = second.members.get()
    assert (seat.from_date, seat.to_date) == (D(2025, 5, 15), None)


def test_it_keeps_the_committee_of_another_agency_untouched(cast):
    issued(cast.b, ["Bảo"], 1, D(2024, 1, 1))
    issued(cast.a, ["An"], 1, D(2025, 1, 1))
    assert CommitteeMember.objects.get(full_name="Bảo").to_date is None


def test_it_refuses_to_issue_a_decision_twice(cast):
    decision = issued(cast.a, ["An"], 10, D(2024, 3, 1))
    with pytest.raises(ValidationError):
        issue(decision, 11, D(2024, 4, 1))


def test_it_refuses_a_decision_older_than_the_one_in_force(cast):
    issued(cast.a, ["An"], 10, D(2025, 3, 1))
    draft = draft_with_members(cast.a, ["Bình"])
    with pytest.raises(ValidationError):
        issue(draft, 2, D(2024, 1, 1))
    draft.refresh_from_db()
    assert draft.is_draft


def test_it_refuses_a_number_already_used_that_year(cast):
    issued(cast.a, ["An"], 10, D(2025, 3, 1))
    draft = draft_with_members(cast.a, ["Bình"])
    with pytest.raises(ValidationError):
        issue(draft, 10, D(2025, 6, 1))


def test_it_drafts_a_reconstitution_from_the_committee_in_force(cast, login):
    issued(cast.a, ["An", "Bình"], 10, D(2024, 3, 1))
    client = login(cast.users["secretary"])
    response = client.post(reverse("organization:decision_create", args=[cast.a.pk]))
    draft = CommitteeDecision.objects.get(agency=cast.a, paper__status="draft")
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    assert draft.kind == CommitteeDecision.Kind.RECONSTITUTION
    assert names(draft.members.all()) == ["An", "Bình"]


def test_it_saves_the_edited_members_of_a_draft(cast, login):
    draft = draft_with_members(cast.a, ["An"])
    seat = draft.members.get()
    client = login(cast.users["secretary"])
    data = {
        "kind": "reconstitution",
        "grounds": "Căn cứ A",
        "proposal": "",
        "duties": "D",
        "recipients": "Như Điều 3",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "1",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-id": seat.pk,
        "members-0-decision": draft.pk,
        "members-0-order": "1",
        "members-0-full_name": "An",
        "members-0-position": "Giám đốc",
        "members-0-committee_role": "chair",
        "members-0-duty": "",
        "members-0-user": "",
        "members-1-order": "2",
        "members-1-full_name": "Dũng",
        "members-1-position": "Chuyên viên",
        "members-1-committee_role": "secretary",
        "members-1-duty": "Thư ký",
        "members-1-user": str(cast.users["staff"].pk),
    }
    response = client.post(reverse("organization:decision_edit", args=[cast.a.pk, draft.pk]), data)
    assert response.status_code == 302
    assert names(draft.members.order_by("order")) == ["An", "Dũng"]
    assert draft.members.get(full_name="Dũng").agency == cast.a


def test_it_refuses_a_person_of_another_agency_as_member(cast, login):
    draft = draft_with_members(cast.a, ["An"])
    seat = draft.members.get()
    client = login(cast.users["secretary"])
    data = {
        "kind": "reconstitution",
        "grounds": "",
        "proposal": "",
        "duties": "",
        "recipients": "",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "1",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-id": seat.pk,
        "members-0-decision": draft.pk,
        "members-0-order": "1",
        "members-0-full_name": "An",
        "members-0-position": "Giám đốc",
        "members-0-committee_role": "chair",
        "members-0-duty": "",
        "members-0-user": str(cast.users["secretary_b"].pk),
    }
    response = client.post(reverse("organization:decision_edit", args=[cast.a.pk, draft.pk]), data)
    assert response.status_code == 200
    seat.refresh_from_db()
    assert seat.user is None


def test_it_records_a_signed_decision_from_the_form(cast, login):
    draft = draft_with_members(cast.a, ["An"])
    client = login(cast.users["deputy"])
    response = client.post(
        reverse("paperwork:issue", args=[cast.a.pk, draft.paper_id]),
        {"number": "7", "issued_on": "05/03/2026"},
    )
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    draft = CommitteeDecision.objects.get(pk=draft.pk)
    assert (draft.paper.status, draft.number, draft.signed_on) == ("issued", 7, D(2026, 3, 5))


def _submitted(cast, login):
    """A draft decision the secretary submitted for signature: the head's page offers the
    issue form."""
    draft = draft_with_members(cast.a, ["An"])
    step = reverse("paperwork:step", args=[cast.a.pk, draft.paper_id, "submit"])
    login(cast.users["secretary"]).post(step)
    return draft, login(cast.users["head"])


def _issue_form(response):
    page = response.content.decode()
    return page, page[page.index('id="issue-form"') :]


def test_it_explains_a_bad_issue_form_and_changes_nothing(cast, login):
    draft, client = _submitted(cast, login)
    response = client.post(
        reverse("paperwork:issue", args=[cast.a.pk, draft.paper_id]),
        {"number": "abc", "issued_on": "31/02/2026"},
        follow=True,
    )
    page, issue_form = _issue_form(response)
    assert "Số: Ghi số bằng chữ số" in page and "Ngày ký: Ghi ngày theo dạng dd/mm/yyyy" in page
    # What was typed comes back, each reason under its own field.
    assert 'value="abc"' in issue_form and 'value="31/02/2026"' in issue_form
    assert issue_form.count('aria-invalid="true"') == 2
    draft = CommitteeDecision.objects.get(pk=draft.pk)
    assert draft.paper.status != "issued" and draft.number is None
    # Shown once: the next visit offers the blank form with the next free number.
    again = client.get(draft.get_absolute_url()).content.decode()
    assert 'value="abc"' not in again and "Ghi số bằng chữ số" not in again


def test_a_date_the_register_refuses_keeps_the_form_and_says_why_beside_the_date(cast, login):
    draft, client = _submitted(cast, login)
    response = client.post(
        reverse("paperwork:issue", args=[cast.a.pk, draft.paper_id]),
        {"number": "12", "issued_on": "01/01/2099"},
        follow=True,
    )
    page, issue_form = _issue_form(response)
    assert "Ngày ký: Ngày ban hành văn bản không được sau ngày hôm nay." in page
    assert 'value="12"' in issue_form and 'value="01/01/2099"' in issue_form
    dated = issue_form.index("Ngày ban hành văn bản không được sau ngày hôm nay")
    assert issue_form.index('name="issued_on"') < dated  # beside the date, not the number
    assert 'aria-invalid="true"' in issue_form[issue_form.index('name="issued_on"') - 300 :]
    assert CommitteeDecision.objects.get(pk=draft.pk).paper.status != "issued"


def test_it_refuses_to_edit_an_issued_decision(cast, login):
    decision = issued(cast.a, ["An"], 10, D(2024, 3, 1))
    client = login(cast.users["secretary"])
    response = client.post(
        reverse("organization:decision_edit", args=[cast.a.pk, decision.pk]),
        {"kind": "establishment"},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.kind == CommitteeDecision.Kind.RECONSTITUTION


def test_it_shows_the_committee_on_a_chosen_date(cast, login):
    issued(cast.a, ["An"], 10, D(2024, 3, 1))
    issued(cast.a, ["Cường"], 20, D(2025, 5, 15))
    client = login(cast.users["staff"])
    url = reverse("organization:committee", args=[cast.a.pk])
    page = client.get(url, {"on": "01/01/2025"}).content.decode()
    members_table = page.split('id="members"')[1].split("</table>")[0]
    assert "An" in members_table and "Cường" not in members_table
    assert client.get(url, {"on": "không phải ngày"}).status_code == 200


def docx_text(content):
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_it_downloads_the_reconstitution_decision_ready_to_sign(cast, login):
    first = issued(cast.a, ["Trần Văn An"], 10, D(2024, 3, 1))
    draft = draft_with_members(cast.a, ["Trần Văn An", "Lê Thị Bình"], kind="reconstitution")
    draft.members.filter(full_name="Lê Thị Bình").update(committee_role=CommitteeRole.SECRETARY)
    client = login(cast.users["secretary"])
    response = client.get(
        reverse("organization:decision_document", args=[cast.a.pk, draft.pk, "docx"])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = docx_text(response.content)
    assert "QUYẾT ĐỊNH" in text and "Về việc kiện toàn Ban Chỉ đạo" in text
    assert "Số:      /QĐ-SXD" in text  # blank until the registry numbers it
    assert "Điều 1. Kiện toàn Ban Chỉ đạo ISO" in text
    assert "1. Trần Văn An, Trưởng phòng – Trưởng ban;" in text
    assert "2. Lê Thị Bình, Trưởng phòng – Thư ký;" in text
    assert "Điều 2." in text and "Điều 3." in text
    assert "- Như Điều 3;" in text and "- Lưu: VT." in text
    assert "GIÁM ĐỐC SỞ XÂY DỰNG TỈNH MỘT" in text
    del first


def test_it_writes_number_date_and_kt_signature_once_issued(cast, login):
    issued(cast.a, ["An"], 10, D(2024, 3, 1))
    draft = draft_with_members(cast.a, ["Bình"])
    issue(
        draft,
        7,
        D(2026, 3, 5),
        signer_name="Nguyễn Văn Chuẩn",
        signer_position="Phó Giám đốc",
        sign_form="kt",
    )
    client = login(cast.users["staff"])
    content = client.get(
        reverse("organization:decision_document", args=[cast.a.pk, draft.pk, "docx"])
    ).content
    text = docx_text(content)
    assert "Số: 07/QĐ-SXD" in text
    assert "ngày 05 tháng 3 năm 2026" in text
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Nguyễn Văn Chuẩn" in text
    assert "thay thế Quyết định số 10/QĐ-SXD ngày 01/03/2024" in text


def test_it_explains_when_pdf_cannot_be_made(cast, login, monkeypatch):
    import shutil

    decision = issued(cast.a, ["An"], 10, D(2024, 3, 1))
    monkeypatch.setattr(shutil, "which", lambda name: None)  # no LibreOffice on this server
    client = login(cast.users["staff"])
    response = client.get(
        reverse("organization:decision_document", args=[cast.a.pk, decision.pk, "pdf"]),
        follow=True,
    )
    assert response.status_code == 200
    assert "LibreOffice" in response.content.decode()


def test_it_downloads_the_decision_as_pdf_when_libreoffice_is_installed(cast, login):
    from qms.lib.pdf import soffice_available

    if not soffice_available():
        pytest.skip("LibreOffice is not installed here (make test installs it on CI)")
    decision = issued(cast.a, ["An"], 10, D(2024, 3, 1))
    client = login(cast.users["staff"])
    response = client.get(
        reverse("organization:decision_document", args=[cast.a.pk, decision.pk, "pdf"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
