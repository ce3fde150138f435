"""The steering committee's establishment / reconstitution decision as an official document."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from qms.lib import officialdoc as od
from qms.lib.downloads import DOCX_TYPE, attachment, pdf_or_back
from qms.organization.models import Agency, CommitteeDecision, CommitteeMember, CommitteeRole

ROLE_WORDS = {
    CommitteeRole.CHAIR: "Trưởng ban",
    CommitteeRole.VICE_CHAIR: "Phó Trưởng ban",
    CommitteeRole.MEMBER: "Thành viên",
    CommitteeRole.SECRETARY: "Thư ký",
}


def text_lines(text: str) -> list[str]:
    """One entry per line of a grounds / duties / recipients field, without the ";" or "."
    a user may have typed: the builder punctuates them as NĐ 30 wants."""
    return [line.strip().rstrip(";.").strip() for line in text.splitlines() if line.strip()]


def signature(agency: Agency, position: str, signer_name: str, sign_mode: str) -> od.Signature:
    """The signature block of an agency's document: TM. names the collective body, every
    other prefix (KT., Q., TL., TUQ.) the head's title."""
    mode = od.SignMode(sign_mode) if sign_mode else None
    on_behalf = agency.collective_name if mode == od.SignMode.TM else agency.head_title
    return od.Signature(
        position=(position or agency.head_title).upper(),
        signer_name=signer_name,
        sign_mode=mode,
        on_behalf_of=on_behalf.upper(),
    )


def _member_line(index: int, member: CommitteeMember) -> str:
    role = ROLE_WORDS.get(CommitteeRole(member.committee_role), "Thành viên")
    duty = f" ({member.duty})" if member.duty else ""
    return f"{index}. {member.full_name}, {member.position} – {role}{duty};"


def _subject(decision: CommitteeDecision) -> str:
    verb = (
        "Về việc thành lập"
        if decision.kind == CommitteeDecision.Kind.ESTABLISHMENT
        else "Về việc kiện toàn"
    )
    return (
        f"{verb} Ban Chỉ đạo xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý "
        f"chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 của {decision.agency.name}"
    )


def _articles(decision: CommitteeDecision, members: list[CommitteeMember]) -> list[od.Block]:
    verb = "Thành lập" if decision.kind == CommitteeDecision.Kind.ESTABLISHMENT else "Kiện toàn"
    member_lines = "\n".join(_member_line(i, m) for i, m in enumerate(members, start=1))
    duties = "\n".join(f"- {duty};" for duty in text_lines(decision.duties))
    effect = "Quyết định này có hiệu lực kể từ ngày ký"
    if decision.replaces and decision.replaces.number and decision.replaces.signed_on:
        replaced = decision.replaces
        effect += (
            f" và thay thế Quyết định số {replaced.number:02d}/{replaced.doc_symbol} "
            f"ngày {replaced.signed_on:%d/%m/%Y}"
        )
    execution = (
        "Chánh Văn phòng, Thủ trưởng các đơn vị có liên quan và các ông (bà) có tên "
        "tại Điều 1 chịu trách nhiệm thi hành Quyết định này./."
    )
    return [
        od.Article(
            1,
            f"{verb} Ban Chỉ đạo ISO của {decision.agency.name} gồm các ông (bà) "
            f"có tên sau:\n{member_lines}",
        ),
        od.Article(
            2,
            f"Nhiệm vụ của Ban Chỉ đạo ISO:\n{duties}"
            if duties
            else "Ban Chỉ đạo ISO thực hiện nhiệm vụ theo quy định.",
        ),
        od.Article(3, f"{effect}.\n{execution}"),
    ]


def agency_decision(
    agency: Agency,
    record: Any,
    *,
    subject: str,
    body: list[od.Block],
    recipients: list[str],
    annexes: list[tuple[str, list[od.Block]]] | None = None,
) -> od.OfficialDocument:
    """A "QUYẾT ĐỊNH" of the agency in the NĐ 30 layout. `record` is the decision as kept
    (a committee decision, a document set, …): its number, signing date, grounds, proposal
    and signer fill the frame; a draft keeps the number and date blank for the văn thư."""
    return od.OfficialDocument(
        agency_name=agency.name.upper(),
        parent_agency_name=agency.parent_agency_name.upper(),
        agency_abbr=agency.abbreviation,
        doc_type="QĐ",
        type_title="QUYẾT ĐỊNH",
        subject=subject,
        place=agency.place_name,
        number=record.number,
        issued_on=record.signed_on,
        year=(record.signed_on or record.created_at).year,
        issuing_authority=agency.issuing_authority,
        grounds=text_lines(record.grounds),
        proposal=record.proposal,
        decision_word=True,
        body=body,
        recipients=recipients,
        archive_note="VT",
        signature=signature(agency, record.signer_position, record.signer_name, record.sign_mode),
        annexes=annexes or [],
    )


def build_document(decision: CommitteeDecision) -> od.OfficialDocument:
    members = list(decision.members.order_by("order", "pk"))
    return agency_decision(
        decision.agency,
        decision,
        subject=_subject(decision),
        body=_articles(decision, members),
        recipients=text_lines(decision.recipients),
    )


def _filename(decision: CommitteeDecision, extension: str) -> str:
    number = f"{decision.number:02d}" if decision.number else "du-thao"
    return f"QD-{number}-{decision.agency.abbreviation}-ban-chi-dao-ISO.{extension}"


def decision_response(request: HttpRequest, decision: CommitteeDecision, fmt: str) -> HttpResponse:
    docx = od.build_docx(build_document(decision))
    if fmt == "docx":
        return attachment(docx, DOCX_TYPE, _filename(decision, "docx"))
    if fmt != "pdf":
        return redirect(decision)
    return pdf_or_back(request, docx, _filename(decision, "pdf"), decision)
