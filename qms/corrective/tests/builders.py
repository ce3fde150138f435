"""Builders of nonconformities for the tests of this app and of others."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qms.corrective import services
from qms.corrective.models import CorrectiveAction, Method, Nonconformity, Origin
from qms.organization.access import access_for
from qms.organization.models import Agency, Unit, User


def office(agency: Agency) -> Unit:
    return Unit.objects.get(agency=agency, name="Văn phòng Sở")


def nonconformity(
    agency: Agency, by: User, *, unit: Unit | None = None, owner: User | None = None, **fields: Any
) -> Nonconformity:
    values: dict[str, Any] = {
        "title": "Hồ sơ cấp phép xây dựng trả kết quả trễ hạn",
        "description": "Kiểm tra sổ theo dõi hồ sơ quý III: 05 hồ sơ trả kết quả trễ 2–4 ngày.",
        "origin": Origin.DAILY_WORK,
        "severity": "minor",
        "raised_on": dt.date(2026, 1, 5),
    }
    values.update(fields)
    nc = Nonconformity(agency=agency, unit=unit or office(agency), owner=owner, **values)
    return services.raise_nonconformity(nc, by)


def actor(user: User, agency: Agency, nc: Nonconformity) -> Any:
    return services.actor_of(access_for(user, agency), nc)


def analysed(nc: Nonconformity, by: User) -> Nonconformity:
    services.record_analysis(
        nc,
        by,
        {
            "correction": "Liên hệ xin lỗi, trả kết quả ngay cho 05 hồ sơ",
            "method": Method.FIVE_WHYS,
            "whys": [["Vì sao trễ hạn?", "Chờ ý kiến phòng chuyên môn"]],
            "root_cause": "Quy trình không quy định thời hạn cho ý kiến",
        },
    )
    return nc


def action(nc: Nonconformity, owner: User, *, due: dt.date = dt.date(2026, 2, 28),
           **fields: Any) -> CorrectiveAction:  # fmt: skip
    found = CorrectiveAction(
        nonconformity=nc,
        kind=fields.pop("kind", CorrectiveAction.Kind.CORRECTIVE),
        description=fields.pop("description", "Sửa đổi quy trình: thêm thời hạn cho ý kiến"),
        owner=owner,
        due_date=due,
        **fields,
    )
    return services.save_action(found, owner)


def walk(nc: Nonconformity, agency: Agency, steps: list[tuple[str, User]], **values: Any) -> None:
    for name, user in steps:
        services.take(nc, name, actor(user, agency, nc), dict(values))
