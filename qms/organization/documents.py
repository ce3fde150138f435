"""The steering committee's establishment / reconstitution decision as an official document."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from qms.lib import officialdoc as od
from qms.lib.downloads import DOCX_TYPE, attachment, pdf_or_back
from qms.organization.models import CommitteeDecision, CommitteeMember, CommitteeRole
from qms.paperwork.frame import frame, text_lines

ROLE_WORDS = {
    CommitteeRole.CHAIR: "Trưởng ban",
    CommitteeRole.VICE_CHAIR: "Phó Trưởng ban",
    CommitteeRole.MEMBER: "Thành viên",
    CommitteeRole.SECRETARY: "Thư ký",
}


def _member_line(index: int, member: CommitteeMember) -> str:
    role = ROLE_WORDS.get(CommitteeRole(member.committee_role), "Thành viên")
    duty = f" ({member.duty})" if member.duty else ""
    return f"{index}. {member.full_name}, {member.position} – {role}{duty};"


def _articles(decision: CommitteeDecision, members: list[CommitteeMember]) -> list[od.Block]:
    verb = "Thành lập" if decision.kind == CommitteeDecision.Kind.ESTABLISHMENT else "Kiện toàn"
    member_lines = "\n".join(_member_line(i, m) for i, m in enumerate(members, start=1))
    duties = "\n".join(f"- {duty};" for duty in text_lines(decision.duties))
    effect = "Quyết định này có hiệu lực kể từ ngày ký"
    if decision.effective_on is not None:
        effect = f"Quyết định này có hiệu lực kể từ ngày {decision.effective_on:%d/%m/%Y}"
    if decision.replaces is not None and decision.replaces.paper.is_issued:
        effect += f" và thay thế {decision.replaces.paper.reference}"
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


def build_document(decision: CommitteeDecision) -> od.OfficialDocument:
    """The decision's text; the draft and the issued copy differ only by number and date."""
    members = list(decision.members.order_by("order", "pk"))
    return frame(decision.paper, body=_articles(decision, members))


def decision_response(request: HttpRequest, decision: CommitteeDecision, fmt: str) -> HttpResponse:
    docx = od.build_docx(build_document(decision))
    stem = decision.file_stem()
    if fmt == "docx":
        return attachment(docx, DOCX_TYPE, f"{stem}.docx")
    if fmt != "pdf":
        return redirect(decision)
    return pdf_or_back(request, docx, f"{stem}.pdf", decision)
