"""The NĐ 30 frame of a paper: header, number, date, grounds, Nơi nhận and signature come
from the register entry; the record writes only its body. The draft printed for signing is
this same text with the number and the date left blank for the registry."""

from __future__ import annotations

from qms.lib import officialdoc as od
from qms.paperwork.kinds import LAYOUTS, Issuer, SignForm
from qms.paperwork.models import Paper

_PREFIX = {
    SignForm.TM: od.SignMode.TM,
    SignForm.TM_KT: od.SignMode.TM,
    SignForm.TM_Q: od.SignMode.TM,
    SignForm.KT: od.SignMode.KT,
    SignForm.Q: od.SignMode.Q,
    SignForm.TL: od.SignMode.TL,
    SignForm.TUQ: od.SignMode.TUQ,
}
_INNER = {SignForm.TM_KT: od.SignMode.KT, SignForm.TM_Q: od.SignMode.Q}


def text_lines(text: str) -> list[str]:
    """One entry per line of a grounds / recipients field, without the ";" or "." a user may
    have typed: the builder punctuates them as NĐ 30 wants."""
    return [line.strip().rstrip(";.").strip() for line in text.splitlines() if line.strip()]


def collective_body(paper: Paper) -> str:
    """Who "TM." names: the agency's collective body (ỦY BAN NHÂN DÂN) or the committee."""
    if paper.issuer == Issuer.COMMITTEE:
        return paper.agency.committee_name
    return paper.agency.collective_name


def head_title(paper: Paper) -> str:
    """The title KT./Q./TL./TUQ. sign for: the head, or the committee's chair."""
    return "Trưởng ban" if paper.issuer == Issuer.COMMITTEE else paper.agency.head_title


def offered_forms(paper: Paper) -> list[str]:
    """Signing forms that make sense for this issuer: TM. only for a collective body (a UBND,
    the steering committee), never for a head-led agency such as a BQL or a Sở."""
    collective = bool(collective_body(paper).strip())
    return [
        form
        for form in SignForm.values
        if collective or form not in (SignForm.TM, SignForm.TM_KT, SignForm.TM_Q)
    ]


def signature(paper: Paper) -> od.Signature:
    form = SignForm(paper.sign_form) if paper.sign_form in SignForm.values else SignForm.OWN
    if form not in offered_forms(paper):
        form = SignForm.OWN  # a stored form the issuer cannot use still prints, as the head
    head = head_title(paper)
    position = paper.signer_position.strip() or head
    mode = _PREFIX.get(form)
    inner = _INNER.get(form)
    if mode is od.SignMode.TM and inner is None:
        # "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH": the chair signs for the body.
        return od.Signature(position, paper.signer_name, mode, collective_body(paper).upper())
    if mode is od.SignMode.TM:
        return od.Signature(
            position, paper.signer_name, mode, collective_body(paper).upper(), inner, head.upper()
        )
    return od.Signature(position, paper.signer_name, mode, head.upper() if mode else "")


def header_names(paper: Paper) -> tuple[str, str]:
    """(parent line, issuer line) of the header: a committee prints under its agency."""
    agency = paper.agency
    if paper.issuer == Issuer.COMMITTEE:
        return agency.name, agency.committee_name
    return agency.parent_agency_name, agency.name


def issuing_authority(paper: Paper) -> str:
    """The authority line of a decision: "TRƯỞNG BAN BAN QUẢN LÝ …", "ỦY BAN NHÂN DÂN …"
    for a collective body, "TRƯỞNG BAN BAN CHỈ ĐẠO ISO" for the committee."""
    if paper.issuer == Issuer.COMMITTEE:
        return f"TRƯỞNG BAN {paper.agency.committee_name}".upper()
    if paper.sign_form in (SignForm.TM, SignForm.TM_KT, SignForm.TM_Q):
        return paper.agency.name.upper()
    return paper.agency.issuing_authority


def frame(
    paper: Paper,
    *,
    body: list[od.Block],
    intro: str = "",
    annexes: list[tuple[str, list[od.Block]]] | None = None,
) -> od.OfficialDocument:
    """The paper in the NĐ 30 layout of its kind, around `body`."""
    layout = LAYOUTS[paper.kind]
    parent, name = header_names(paper)  # as written: the header prints them in capitals
    issued = paper.is_issued
    return od.OfficialDocument(
        agency_name=name,
        parent_agency_name=parent,
        agency_abbr=paper.issuer_abbreviation,
        doc_type=paper.kind if layout.in_symbol else "",
        type_title=layout.type_title,
        subject=paper.subject,
        place=paper.agency.place_name,
        number=paper.number if issued else None,
        issued_on=paper.issued_on if issued else None,
        year=paper.year if issued else None,
        unit_symbol=paper.unit_symbol,
        issuing_authority=issuing_authority(paper) if layout.decision_word else "",
        grounds=text_lines(paper.grounds),
        proposal=paper.proposal,
        decision_word=layout.decision_word,
        intro=intro,
        body=body,
        recipients=text_lines(paper.recipients),
        archive_note=paper.archive_note,
        annexes=annexes or [],
        addressees=text_lines(paper.addressees),
        signature=signature(paper),
    )
