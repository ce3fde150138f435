"""Coverage (QĐ 19/2014 Art. 3.1; TT 26/2014 Art. 36): every TTHC in force the agency
handles is covered by an ISO procedure in force; the figures, the page, its XLSX, the query
functions later apps read, and what changed in the agency's scope since a date."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from qms.documents.models import Document, Kind
from qms.organization.models import Unit
from qms.procedures import catalogue, coverage
from qms.procedures.models import AdminProcedure, AgencyProcedure
from qms.procedures.tests.test_catalogue_files import BASE, rows_csv


def _apply(cast, rows, number, day):
    found = catalogue.preview(
        cast.a.province, rows_csv(rows), ".csv", "d.csv", whole=False, by=cast.users["overseer"]
    )
    catalogue.apply(found, number, day, cast.users["overseer"])


def _document(agency, code, status=Document.Status.IN_FORCE):
    return Document.objects.create(
        agency=agency, code=code, kind=Kind.TTHC_PROCEDURE, title=f"Quy trình {code}", status=status
    )


@pytest.fixture
def world(cast):
    """Agency A handles the four TTHC: two covered by QT.DT.01 (one procedure, two similar
    TTHC), one by a procedure not yet issued, one by none; then the province abolishes the
    building permit, which QT.XD.01 still covers."""
    _apply(cast, BASE, "1234/QĐ-UBND", dt.date(2026, 5, 15))
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    investment = Unit.objects.create(agency=cast.a, name="Phòng Quản lý đầu tư")
    dt01, draft, xd01 = (
        _document(cast.a, "QT.DT.01"),
        _document(cast.a, "QT.LD.01", Document.Status.NOT_ISSUED),
        _document(cast.a, "QT.XD.01"),
    )
    by_code = {p.code: p for p in AdminProcedure.objects.all()}
    for code, unit, document in [
        (BASE[0][0], investment, dt01),
        (BASE[1][0], investment, dt01),
        (BASE[2][0], office, draft),
        (BASE[3][0], office, xd01),
    ]:
        AgencyProcedure.objects.create(
            agency=cast.a, procedure=by_code[code], unit=unit, document=document
        )
    abolished = [(*BASE[3][:7], "Bãi bỏ")]
    _apply(cast, abolished, "2000/QĐ-UBND", dt.date(2026, 9, 1))
    return cast


def test_the_coverage_figures(world):
    summary = coverage.coverage_summary(world.a)
    assert (summary.total, summary.covered, summary.percent) == (3, 2, 66.7)
    assert [h.procedure.code for h in summary.uncovered] == [BASE[2][0]]
    assert [h.procedure.code for h in summary.abolished] == [BASE[3][0]]
    assert [(s.name, s.covered, s.total, s.percent) for s in summary.by_field] == [
        ("Lao động", 0, 1, 0.0),
        ("Đầu tư", 2, 2, 100.0),
    ]
    assert [(s.name, s.covered, s.total) for s in summary.by_unit] == [
        ("Phòng Quản lý đầu tư", 2, 2),
        ("Văn phòng Sở", 0, 1),
    ]
    assert [h.procedure.code for h in coverage.uncovered(world.a)] == [BASE[2][0]]
    assert [h.procedure.code for h in coverage.covered_abolished(world.a)] == [BASE[3][0]]
    assert coverage.coverage_percent(world.b) == 0.0  # nothing handled: nothing covered


def test_the_coverage_page_and_its_xlsx(world, login):
    client = login(world.users["staff"])
    url = reverse("procedures:coverage", args=[world.a.pk])
    page = client.get(url).content.decode()
    assert "2/3 (66,7%)" in page
    assert "Cấp giấy phép lao động cho người lao động nước ngoài" in page
    assert "Quy trình còn áp dụng cho thủ tục đã bãi bỏ" in page
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    states = {row[0]: row[8] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert states == {
        BASE[0][0]: "Đã có quy trình",
        BASE[1][0]: "Đã có quy trình",
        BASE[2][0]: "Chưa có quy trình",
        BASE[3][0]: "Quy trình của TTHC đã bãi bỏ",
    }
    assert login(world.users["secretary_b"]).get(url).status_code == 404


def test_the_coverage_functions_and_page_cost_the_same_whatever_the_number(world, login):
    client = login(world.users["staff"])
    url = reverse("procedures:coverage", args=[world.a.pk])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            coverage.coverage_summary(world.a)
        functions = len(ctx)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return functions, len(ctx)

    few = queries()
    assert few[0] == 1
    extra = AdminProcedure.objects.bulk_create(
        AdminProcedure(
            province=world.a.province,
            code=f"1.{700000 + n:06d}",
            name=f"TTHC {n}",
            field="Khác",
            level="province",
        )
        for n in range(30)
    )
    AgencyProcedure.objects.bulk_create(AgencyProcedure(agency=world.a, procedure=p) for p in extra)
    assert queries() == few


def test_the_scope_changes_since_a_date(world):
    changes = coverage.catalogue_changes(world.a, dt.date(2026, 6, 1))
    assert [(c.kind, c.code, c.decision_number, c.handled) for c in changes] == [
        ("abolished", BASE[3][0], "2000/QĐ-UBND", True)
    ]
    earlier = coverage.catalogue_changes(world.a, dt.date(2026, 1, 1))
    assert [(c.kind, c.handled) for c in earlier][:4] == [("new", True)] * 4
    # Agency B is of another province: no change of this catalogue is in its scope.
    assert coverage.catalogue_changes(world.b, dt.date(2026, 1, 1)) == []
    # The abolished TTHC's procedure is to be revised by its unit within 3 months.
    owed = catalogue.revisions(world.a)
    assert [(r.document.code, r.codes, r.due) for r in owed] == [
        ("QT.XD.01", [BASE[3][0]], dt.date(2026, 12, 1))
    ]
