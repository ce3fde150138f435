"""Builders for the risks tests."""

import datetime as dt

from qms.organization.models import Unit
from qms.risks import services
from qms.risks.models import ContextIssue, InterestedParty, Risk, Side, Treatment
from qms.risks.scale import scale_of


def office(agency):
    return Unit.objects.get(agency=agency, name="Văn phòng Sở")


def risk(agency, *, unit=None, year=2026, likelihood=3, impact=4, by=None, **fields):
    """A row of the register with its first assessment."""
    row = Risk(
        agency=agency,
        year=year,
        unit=unit or office(agency),
        description=fields.pop("description", "Hồ sơ cấp phép xây dựng giải quyết trễ hạn"),
        cause=fields.pop("cause", "Thiếu nhân lực thẩm định"),
        consequence=fields.pop("consequence", "Người dân, doanh nghiệp không hài lòng"),
        likelihood=likelihood,
        impact=impact,
        **fields,
    )
    return services.create_risk(row, by)


def treatment(row, *, due=dt.date(2026, 3, 31), unit=None, person=None, **fields):
    t = Treatment(
        risk=row,
        action=fields.pop("action", "Bổ sung 02 công chức thẩm định hồ sơ"),
        owner_unit=unit if unit is not None or person is not None else row.unit,
        owner_person=person,
        due_on=due,
        **fields,
    )
    return services.save_treatment(t, scale_of(row.agency))


def issue(agency, year=2026, **fields):
    return ContextIssue.objects.create(
        agency=agency,
        year=year,
        side=fields.pop("side", Side.EXTERNAL),
        category=fields.pop("category", "political_legal"),
        description=fields.pop("description", "Văn bản pháp luật về xây dựng thay đổi nhanh"),
        effect=fields.pop("effect", "Phải cập nhật quy trình kịp thời"),
        **fields,
    )


def party(agency, year=2026, **fields):
    return InterestedParty.objects.create(
        agency=agency,
        year=year,
        name=fields.pop("name", "Người dân"),
        needs=fields.pop("needs", "Giải quyết hồ sơ đúng hạn"),
        response=fields.pop("response", "Công khai quy trình, thời hạn"),
        **fields,
    )
