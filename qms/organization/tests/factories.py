"""Small builders for committee data used across the tests."""

import datetime as dt

from qms.organization import services
from qms.organization.models import CommitteeDecision, CommitteeMember, CommitteeRole


def draft_with_members(agency, names, **fields):
    decision = CommitteeDecision.objects.create(
        agency=agency,
        grounds="Căn cứ Quyết định số 19/2014/QĐ-TTg",
        duties="Chỉ đạo áp dụng HTQLCL",
        recipients="Như Điều 3",
        **fields,
    )
    for order, name in enumerate(names, start=1):
        CommitteeMember.objects.create(
            agency=agency,
            decision=decision,
            full_name=name,
            position="Trưởng phòng",
            committee_role=CommitteeRole.CHAIR if order == 1 else CommitteeRole.MEMBER,
            order=order,
        )
    return decision


def issue(decision, number, day, **signer):
    """Record `decision` as signed and in force on `day`."""
    signer = {
        "signer_name": "Nguyễn Văn A",
        "signer_position": "Giám đốc",
        "sign_mode": "",
    } | signer
    return services.issue_decision(
        decision, number=number, signed_on=day, effective_on=day, **signer
    )


def issued(agency, names, number, day, **fields):
    return issue(draft_with_members(agency, names, **fields), number, day)


D = dt.date
