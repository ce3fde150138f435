"""Permission-matrix cases of the steps pages (qms/organization/tests/matrix.py): the steps
of a TTHC are its handling unit's, changed by the ISO secretary or that unit's head."""

from decimal import Decimal

from django.urls import reverse

from qms.organization.access import Action
from qms.organization.models import Agency, Unit
from qms.organization.tests.matrix import Case, Owner, World
from qms.procedures.models import AdminProcedure, AgencyProcedure, DayKind, Level


def handling_for(
    agency: Agency,
    unit: Unit | None,
    *,
    statutory: str | None = "15",
    committed: str | None = "10",
    day_kind: str = DayKind.WORKING,
) -> AgencyProcedure:
    """A fresh TTHC of the agency's province, handled by `unit` (times in days as text)."""
    number = AdminProcedure.objects.count() + 1
    procedure = AdminProcedure.objects.create(
        province=agency.province,
        code=f"1.{900000 + number:06d}.H99",
        name=f"Cấp giấy phép xây dựng thử nghiệm {number}",
        field="Xây dựng",
        level=Level.PROVINCE,
        time_days=Decimal(statutory) if statutory is not None else None,
        day_kind=day_kind,
    )
    return AgencyProcedure.objects.create(
        agency=agency,
        procedure=procedure,
        unit=unit,
        committed_days=Decimal(committed) if committed is not None else None,
    )


def handled_by(world: World) -> AgencyProcedure:
    """A TTHC of agency A handled by the world's unit: 15 days by law, 10 committed."""
    return handling_for(world.agency, world.unit)


def steps_post(handling: AgencyProcedure):
    url = reverse("procedures:steps", args=[handling.agency_id, handling.pk])
    data = {
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-0-order": "1",
        "steps-0-action": "Tiếp nhận hồ sơ tại Bộ phận Một cửa",
        "steps-0-responsible": "Bộ phận Một cửa",
        "steps-0-days": "0,5",
        "steps-0-result": "Phiếu tiếp nhận hồ sơ và hẹn trả kết quả",
    }
    return "post", url, data


CASES = [
    Case(
        "process steps of a TTHC handled by the unit",
        Action.MANAGE_PROCEDURES,
        lambda w: steps_post(handled_by(w)),
        Owner.UNIT,
    ),
]
