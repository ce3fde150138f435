"""Permission-matrix cases of the results pages (qms/organization/tests/matrix.py): importing
results, recording a survey and marking an apology letter are the ISO secretary's."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qms.organization.access import Action
from qms.organization.tests.matrix import Case, World
from qms.procedures.models import AdminProcedure, LateDossier, ResultImport


def _import(world: World):
    url = reverse("procedures:results_import", args=[world.agency.pk])
    text = "Mã TTHC,Tiếp nhận trực tuyến\n"  # refused by its content, after the check
    upload = SimpleUploadedFile("ket-qua.csv", text.encode(), content_type="text/csv")
    return "post", url, {"period_start": "01/01/2026", "period_end": "31/01/2026", "file": upload}


def _survey(world: World):
    url = reverse("procedures:results_satisfaction", args=[world.agency.pk])
    data = {
        "period_start": "01/01/2026",
        "period_end": "31/03/2026",
        "very_satisfied": 10,
        "satisfied": 5,
        "neutral": 1,
        "dissatisfied": 0,
    }
    return "post", url, data


def _late(world: World) -> LateDossier:
    procedure = AdminProcedure.objects.get_or_create(
        province=world.agency.province,
        code="1.000001.H38",
        defaults={"name": "Thủ tục", "field": "Đầu tư", "level": "province"},
    )[0]
    source = ResultImport.objects.create(
        agency=world.agency,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 1, 31),
        shape=ResultImport.Shape.DOSSIERS,
        file_name="ket-qua.csv",
        status=ResultImport.Status.DONE,
        by=world.secretary,
    )
    return LateDossier.objects.create(
        agency=world.agency,
        procedure=procedure,
        source=source,
        dossier_code=f"HS-{source.pk}",
        received_on=dt.date(2026, 1, 5),
        due_on=dt.date(2026, 1, 12),
        resolved_on=dt.date(2026, 1, 14),
        days_late=2,
    )


def _apology(world: World):
    dossier = _late(world)
    url = reverse("procedures:results_apology", args=[world.agency.pk, dossier.pk])
    return "post", url, {"sent": "1"}


IMPORT = Action.IMPORT_RESULTS
CASES = [
    Case("import dossier results", IMPORT, _import),
    Case("record a satisfaction survey", IMPORT, _survey),
    Case("mark an apology letter sent", IMPORT, _apology),
]
