"""Permission-matrix cases of the catalogue pages (qms/organization/tests/matrix.py): the
agency's TTHC — add, set the committed time, unit and procedure, stop handling — belong to
the unit that handles them (MANAGE_PROCEDURES). Keeping the province's catalogue is done on
the Sở KH&CN's own agency, not agency A: test_catalogue_views.py checks it."""

from decimal import Decimal

from django.urls import reverse

from qms.organization.access import Action
from qms.organization.tests.matrix import Case, Owner, World
from qms.procedures.models import AdminProcedure, AgencyProcedure


def _tthc(world: World) -> AdminProcedure:
    number = world.memo["tthc"] = world.memo.get("tthc", 0) + 1
    return AdminProcedure.objects.create(
        province=world.agency.province,
        code=f"1.{900000 + number:06d}.H38",
        name=f"Thủ tục thử {number}",
        field=f"Lĩnh vực {number}",
        level="province",
        time_days=Decimal(10),
    )


def _handling(world: World) -> AgencyProcedure:
    return AgencyProcedure.objects.create(
        agency=world.agency, procedure=_tthc(world), unit=world.unit
    )


def _add(world: World):
    url = reverse("procedures:handling_add", args=[world.agency.pk])
    return "post", url, {"procedures": [_tthc(world).pk], "unit": world.unit.pk}


def _add_field(world: World):
    url = reverse("procedures:handling_add_field", args=[world.agency.pk])
    return "post", url, {"field": _tthc(world).field, "unit": world.unit.pk}


def _edit(world: World):
    handling = _handling(world)
    url = reverse("procedures:handling_edit", args=[world.agency.pk, handling.pk])
    return "post", url, {"committed_days": "7", "unit": world.unit.pk, "document": ""}


def _stop(world: World):
    handling = _handling(world)
    return "post", reverse("procedures:handling_stop", args=[world.agency.pk, handling.pk]), {}


P = Action.MANAGE_PROCEDURES
CASES = [
    Case("add TTHC handled by the unit", P, _add, Owner.UNIT),
    Case("add a field's TTHC handled by the unit", P, _add_field, Owner.UNIT),
    Case("committed time of a TTHC of the unit", P, _edit, Owner.UNIT),
    Case("stop handling a TTHC of the unit", P, _stop, Owner.UNIT),
]
