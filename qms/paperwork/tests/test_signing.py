"""Every signing form of NĐ 30 Art. 13 renders, the combined forms of collective bodies
included; the forms offered follow the issuer; the signer is chosen among the leadership;
the draft printed for signing is the issued text but for number and date."""

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse

from qms.lib import officialdoc as od
from qms.lib.pdf import soffice_available
from qms.organization.models import Agency
from qms.organization.tests.factories import draft_with_members, issue, issued
from qms.paperwork import frame, services
from qms.paperwork.kinds import Issuer, Kind, SignForm

D = dt.date
UBND = {
    "collective_name": "Ủy ban nhân dân",
    "head_title": "Chủ tịch",
    "name": "Ủy ban nhân dân xã An Bình",
}


def lines(document):
    out = docx.Document(io.BytesIO(od.build_docx(document)))
    texts = [p.text for p in out.paragraphs]
    for table in out.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return "\n".join(texts)


@pytest.mark.parametrize(
    ("form", "position", "expected"),
    [
        (SignForm.OWN, "Chủ tịch", ["CHỦ TỊCH"]),
        (SignForm.TM, "Chủ tịch", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
        (SignForm.TM_KT, "Phó Chủ tịch", ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        (SignForm.TM_Q, "Chủ tịch", ["TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"]),
        (SignForm.KT, "Phó Chủ tịch", ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        (SignForm.Q, "Chủ tịch", ["Q. CHỦ TỊCH"]),
        (SignForm.TL, "Chánh Văn phòng", ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]),
        (SignForm.TUQ, "Trưởng phòng Nội vụ", ["TUQ. CHỦ TỊCH", "TRƯỞNG PHÒNG NỘI VỤ"]),
    ],
)
def test_every_signing_form_of_a_collective_body_renders(cast, form, position, expected):
    Agency.objects.filter(pk=cast.a.pk).update(**UBND)
    cast.a.refresh_from_db()
    decision = draft_with_members(
        cast.a, ["An"], sign_form=form, signer_position=position, signer_name="Nguyễn Văn B"
    )
    assert frame.signature(decision.paper).title_lines() == expected
    text = lines(decision.official_document())
    assert "\n".join(expected) in text and "Nguyễn Văn B" in text


def test_a_head_led_agency_is_never_offered_tm_and_a_stored_tm_still_prints(cast, login):
    decision = draft_with_members(cast.a, ["An"], sign_form=SignForm.TM)
    assert SignForm.TM not in frame.offered_forms(decision.paper)
    # A TM. recorded before the rule existed prints as the head signing, never a server error.
    assert frame.signature(decision.paper).title_lines() == ["GIÁM ĐỐC"]
    client = login(cast.users["secretary"])
    url = reverse("paperwork:edit", args=[cast.a.pk, decision.paper_id])
    response = client.post(url, {"issuer": "agency", "sign_form": "kt", "signer_name": ""})
    assert response.status_code == 200  # no signer: refused with the form again
    decision.paper.refresh_from_db()
    assert decision.paper.sign_form == SignForm.TM
    assert (
        client.get(
            reverse("organization:decision_document", args=[cast.a.pk, decision.pk, "docx"])
        ).status_code
        == 200
    )


def test_the_committee_signs_tm_ban_chi_dao_truong_ban(cast):
    decision = draft_with_members(
        cast.a, ["An"], issuer=Issuer.COMMITTEE, sign_form=SignForm.TM, signer_position=""
    )
    assert frame.signature(decision.paper).title_lines() == ["TM. BAN CHỈ ĐẠO ISO", "TRƯỞNG BAN"]
    text = lines(decision.official_document())
    assert "SỞ XÂY DỰNG TỈNH MỘT" in text and "BAN CHỈ ĐẠO ISO" in text
    assert "/QĐ-BCĐISO" in text


def test_the_signer_is_chosen_among_the_leadership_and_fills_name_and_position(cast, login):
    decision = draft_with_members(cast.a, ["An"], signer_name="")
    client = login(cast.users["secretary"])
    url = reverse("paperwork:edit", args=[cast.a.pk, decision.paper_id])
    page = client.get(url).content.decode()
    choices = page.split('name="signer"')[1].split("</select>")[0]
    assert "Deputy" in choices and "Head" in choices and "Staff" not in choices
    deputy = cast.users["deputy"]
    response = client.post(
        url, {"issuer": "agency", "sign_form": "kt", "signer": deputy.pk, "proposal": ""}
    )
    assert response.status_code == 302
    decision.paper.refresh_from_db()
    assert (decision.paper.signer_name, decision.paper.signer_position) == (
        deputy.full_name,
        "Phó Giám đốc",
    )
    # Another agency's person cannot be chosen.
    outsider = cast.users["secretary_b"]
    response = client.post(url, {"issuer": "agency", "sign_form": "kt", "signer": outsider.pk})
    assert response.status_code == 200
    decision.paper.refresh_from_db()
    assert decision.paper.signer == deputy


def test_the_draft_printed_for_signing_is_the_issued_text_but_number_and_date(cast):
    issued(cast.a, ["Trần Văn An"], 10, D(2024, 3, 1))
    draft = draft_with_members(cast.a, ["Trần Văn An", "Lê Thị Bình"], sign_form=SignForm.KT,
                               signer_position="Phó Giám đốc")  # fmt: skip
    before = lines(draft.official_document()).splitlines()
    issue(draft, 7, D(2026, 3, 5))
    draft.refresh_from_db()
    after = lines(draft.official_document()).splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        ("Số:      /QĐ-SXD", "Số: 07/QĐ-SXD"),
        ("Tỉnh Một, ngày      tháng      năm       ", "Tỉnh Một, ngày 05 tháng 3 năm 2026"),
    ]
    # What the draft said is what was signed: it already named the decision it replaces.
    assert any("thay thế Quyết định số 10/QĐ-SXD ngày 01/03/2024" in line for line in before)


def test_an_issued_document_cannot_be_edited(cast, login):
    decision = issued(cast.a, ["An"], 1, D(2026, 1, 5))
    with pytest.raises(Exception, match="không sửa|cannot be changed"):
        services.save_draft(decision.paper, signer_name="Khác")
    client = login(cast.users["secretary"])
    url = reverse("paperwork:edit", args=[cast.a.pk, decision.paper_id])
    assert client.post(url, {"signer_name": "Khác"}).status_code == 302
    decision.paper.refresh_from_db()
    assert decision.paper.signer_name == "Nguyễn Văn A"


def test_a_letter_prints_vv_and_kinh_gui_without_a_type_title(cast):
    paper = services.Paper(
        agency=cast.a,
        kind=Kind.LETTER,
        subject="Báo cáo tình hình áp dụng HTQLCL năm 2026",
        addressees="Sở Khoa học và Công nghệ",
        signer_name="Nguyễn Văn A",
        signer_position="Giám đốc",
        recipients="Như trên",
    )
    text = lines(frame.frame(paper, body=[od.Paragraph("Sở Xây dựng báo cáo như sau.")]))
    assert "Số:      /SXD" in text and "V/v Báo cáo tình hình áp dụng HTQLCL năm 2026" in text
    assert "Kính gửi: Sở Khoa học và Công nghệ." in text
    assert "QUYẾT ĐỊNH" not in text and "KẾ HOẠCH" not in text


@pytest.mark.skipif(not soffice_available(), reason="LibreOffice is not installed")
@pytest.mark.parametrize("form", list(SignForm))
def test_every_signing_form_renders_in_pdf(cast, form):
    from pypdf import PdfReader

    from qms.lib.pdf import docx_to_pdf

    Agency.objects.filter(pk=cast.a.pk).update(**UBND)
    cast.a.refresh_from_db()
    decision = draft_with_members(cast.a, ["An"], sign_form=form, signer_position="Phó Chủ tịch")
    pdf = docx_to_pdf(od.build_docx(decision.official_document()))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for line in frame.signature(decision.paper).title_lines():
        assert line in text
