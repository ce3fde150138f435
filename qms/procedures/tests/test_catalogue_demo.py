"""The demo catalogues: each province's, imported as its Sở does it, and each demo agency's
subset, mostly covered by the demo's TTHC procedures, a few TTHC left uncovered."""

import pytest

from qms.documents import demo as documents_demo
from qms.organization import demo as organization_demo
from qms.organization.models import Agency
from qms.plans import demo as plans_demo
from qms.plans.models import PlanEvent
from qms.procedures import catalogue, coverage, demo_catalogue
from qms.procedures.models import AdminProcedure, AgencyProcedure, CatalogueImport


@pytest.fixture
def agencies(db):
    organization_demo.load()
    plans_demo.load()
    documents_demo.load()
    demo_catalogue.load()
    return (
        Agency.objects.get(name=documents_demo.HP_NAME),
        Agency.objects.get(name=documents_demo.BS_NAME),
    )


def test_each_demo_agency_has_its_catalogue_and_coverage(agencies):
    hp, bs = agencies
    assert AdminProcedure.objects.filter(province=hp.province).count() == 16
    assert set(
        AdminProcedure.objects.filter(province=bs.province).values_list("level", flat=True)
    ) == {
        "district",
        "commune",
    }
    summary = coverage.coverage_summary(hp)
    assert (summary.total, summary.covered) == (12, 9)
    assert {h.procedure.field for h in summary.uncovered} == {"Môi trường", "Lao động"}
    summary = coverage.coverage_summary(bs)
    assert (summary.total, summary.covered) == (8, 5)
    shorter = AgencyProcedure.objects.filter(agency=hp, committed_days__isnull=False)
    assert all(h.committed_days <= h.procedure.time_days for h in shorter)
    # Loading again adds nothing.
    demo_catalogue.load()
    assert AgencyProcedure.objects.filter(agency=hp).count() == 12


def test_applying_the_waiting_2026_catalogue_is_the_plan_s_event(agencies):
    import datetime as dt

    hp, _bs = agencies
    waiting = CatalogueImport.objects.get(province=hp.province, status="preview")
    assert [e["code"] for e in waiting.changes["abolished"]] == ["1.000105.000.00.00.H38"]
    assert len(waiting.changes["new"]) == 1 and len(waiting.changes["amended"]) == 1
    catalogue.apply(waiting, "2310/QĐ-UBND", dt.date(2026, 10, 20), waiting.by)
    assert PlanEvent.objects.filter(
        plan__agency=hp, event="tthc_catalogue_approved", occurred_on=dt.date(2026, 10, 20)
    ).exists()
    owed = {r.document.code for r in catalogue.revisions(hp)}
    assert owed == {"QT.DT.01"}
