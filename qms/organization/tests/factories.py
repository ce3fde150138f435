"""Small builders for committee data used across the tests."""

import datetime as dt

from qms.organization import services
from qms.organization.models import CommitteeDecision, CommitteeMember, CommitteeRole
from qms.paperwork import services as paperwork


def draft_with_members(agency, names, *, kind=CommitteeDecision.Kind.RECONSTITUTION, **paper):
    """A draft decision with its members; `paper` overrides the draft's signing details."""
    fields = {
        "subject": services.decision_subject(agency, kind),
        "grounds": "Căn cứ Quyết định số 19/2014/QĐ-TTg",
        "recipients": "Như Điều 3",
        "signer_name": "Nguyễn Văn A",
        "signer_position": "Giám đốc",
    } | paper
    draft = CommitteeDecision.objects.create(
        agency=agency,
        paper=paperwork.new_paper(agency, CommitteeDecision, **fields),
        kind=kind,
        replaces=services.decision_in_force(agency, dt.date.max),
        duties="Chỉ đạo áp dụng HTQLCL",
    )
    paperwork.link(draft.paper, draft)
    for order, name in enumerate(names, start=1):
        CommitteeMember.objects.create(
            agency=agency,
            decision=draft,
            full_name=name,
            position="Trưởng phòng",
            committee_role=CommitteeRole.CHAIR if order == 1 else CommitteeRole.MEMBER,
            order=order,
        )
    return draft


def issue(decision, number, day, **paper):
    """Record `decision` as signed on `day` (and in force from then) under `number`."""
    if paper:
        paperwork.save_draft(decision.paper, **paper)
    return services.issue_decision(decision, number=number, signed_on=day)


def issued(agency, names, number, day, **paper):
    return issue(draft_with_members(agency, names, **paper), number, day)


D = dt.date
