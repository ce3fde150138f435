"""The results pages: the on-time rate by TTHC, field, unit and time; rights and isolation;
query counts that do not grow with the dossiers; the XLSX export; the apology toggle; the
satisfaction surveys."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from qms.procedures import queries, results, satisfaction, views_results
from qms.procedures.models import LateDossier, Satisfaction
from qms.procedures.tests.test_results_import import (
    AGGREGATED,
    DOSSIER_HEADER,
    DOSSIERS,
    handle,
    run,
)

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def _imported(cast):
    handle(cast.a)
    handle(cast.a, code="2.000123.H38", committed=10)
    run(cast.a, cast.users["secretary"], DOSSIERS)


def _page(client, agency, **query):
    return client.get(reverse("procedures:results", args=[agency.pk]), {"year": 2026, **query})


def test_the_page_shows_the_on_time_rate_by_each_grouping(cast, login):
    _imported(cast)
    client = login(cast.users["staff"])
    page = _page(client, cast.a, part="m03").content.decode()
    assert "Tỷ lệ đúng hạn" in page and "75,00 %" in page
    assert 'data-chart="results-chart-data"' in page and 'id="results-chart-data"' in page
    assert "1.000948.H38" in page
    for by in ("field", "unit", "month", "quarter", "year"):
        assert _page(client, cast.a, by=by).status_code == 200
    assert "Quý I/2026" in _page(client, cast.a, by="quarter").content.decode()
    assert queries.on_time_rate(cast.a, *YEAR) == 75.0
    assert [f.label for f in queries.on_time_rate(cast.a, *YEAR, by="month")] == [
        "03/2026",
    ]


def test_query_counts_do_not_grow_with_the_dossiers(cast, login):
    handle(cast.a)
    client = login(cast.users["secretary"])
    counts = []
    for size in (5, 200):
        lines = [
            f"S{size}-{i};1.000948.H38;02/03/2026;06/03/2026;{3 + i % 10:02d}/03/2026;"
            "Đã trả kết quả;Trực tuyến;"
            for i in range(size)
        ]
        run(cast.a, cast.users["secretary"], DOSSIER_HEADER + "\n".join(lines))
        for name in ("results", "results_late"):
            url = reverse(f"procedures:{name}", args=[cast.a.pk])
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, {"year": 2026}).status_code == 200
            counts.append((name, len(ctx.captured_queries)))
    assert counts[:2] == counts[2:]


def test_only_the_secretary_imports_and_others_get_403(cast, login):
    handle(cast.a)
    url = reverse("procedures:results_import", args=[cast.a.pk])
    for who in ("head", "deputy", "unit_head", "staff", "auditor"):
        assert login(cast.users[who]).get(url).status_code == 403
    assert login(cast.users["overseer"]).get(url).status_code == 403
    assert login(cast.users["secretary"]).get(url).status_code == 200


def test_other_agencies_see_nothing(cast, login):
    _imported(cast)
    late = LateDossier.objects.filter(agency=cast.a).first()
    imported = cast.a.result_imports.first()
    stranger = login(cast.users["secretary_b"])
    assert _page(stranger, cast.a).status_code == 404
    url = reverse("procedures:results_import_detail", args=[cast.b.pk, imported.pk])
    assert stranger.get(url).status_code == 404
    apology = reverse("procedures:results_apology", args=[cast.b.pk, late.pk])
    assert stranger.post(apology, {"sent": "1"}).status_code == 404
    late.refresh_from_db()
    assert not late.apology_sent
    # The province overseer reads, but changes nothing.
    overseer = login(cast.users["overseer"])
    assert "75,00 %" in _page(overseer, cast.a, part="m03").content.decode()
    own = reverse("procedures:results_apology", args=[cast.a.pk, late.pk])
    assert overseer.post(own, {"sent": "1"}).status_code == 403


def test_the_export_holds_the_figures(cast, login):
    _imported(cast)
    url = reverse("procedures:results_export", args=[cast.a.pk])
    response = login(cast.users["staff"]).get(url, {"year": 2026, "by": "field"})
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows[0][0] == "Nhóm" and rows[-1][0] == "Tổng cộng"
    assert rows[-1][-1] == 75.0


def test_the_secretary_marks_an_apology_letter_sent(cast, login):
    _imported(cast)
    late = LateDossier.objects.get(dossier_code="HS-03")
    client = login(cast.users["secretary"])
    url = reverse("procedures:results_late", args=[cast.a.pk])
    assert "HS-03" in client.get(url, {"year": 2026}).content.decode()
    client.post(reverse("procedures:results_apology", args=[cast.a.pk, late.pk]), {"sent": "1"})
    late.refresh_from_db()
    assert late.apology_sent
    unsent = client.get(url, {"year": 2026, "unsent": 1}).content.decode()
    assert "HS-03" not in unsent and "HS-05" in unsent


def test_satisfaction_entered_and_imported(cast, login):
    handle(cast.a)
    client = login(cast.users["secretary"])
    url = reverse("procedures:results_satisfaction", args=[cast.a.pk])
    data = {
        "period_start": "01/01/2026",
        "period_end": "31/03/2026",
        "very_satisfied": 60,
        "satisfied": 30,
        "neutral": 8,
        "dissatisfied": 2,
    }
    assert client.post(url, data).status_code == 302
    assert queries.satisfaction_rate(cast.a, *YEAR) == 90.0
    text = "Từ ngày,Đến ngày,Mã TTHC,Rất hài lòng,Hài lòng,Bình thường,Không hài lòng\n"
    bad = text + "01/04/2026,30/06/2026,9.999999.H38,1,2,3,x\n"
    upload = SimpleUploadedFile("khao-sat.csv", bad.encode("utf-8-sig"))
    response = client.post(
        reverse("procedures:results_satisfaction_import", args=[cast.a.pk]), {"file": upload}
    )
    assert response.status_code == 400
    assert "không có trong danh mục TTHC của tỉnh" in response.content.decode()
    assert Satisfaction.objects.filter(agency=cast.a).count() == 1
    good = text + "01/04/2026,30/06/2026,1.000948.H38,50,40,10,0\n"
    upload = SimpleUploadedFile("khao-sat.csv", good.encode("utf-8-sig"))
    client.post(
        reverse("procedures:results_satisfaction_import", args=[cast.a.pk]), {"file": upload}
    )
    assert queries.satisfaction_rate(cast.a, *YEAR) == 90.0  # (60+30+50+40) / 200
    assert results.shown_errors([{"row": 1}, {"more": 5}], limit=1) == ([{"row": 1}], 5)


def test_a_period_surveyed_both_ways_is_counted_once(cast):
    """The agency's own survey of a quarter and the same quarter TTHC by TTHC are the same
    citizens: the agency figure takes the agency's survey; a quarter surveyed only per TTHC
    counts the sum of those; a TTHC's figure reads its own surveys."""
    handle(cast.a)
    procedure = cast.a.admin_procedures.get().procedure
    q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    counts = {"very_satisfied": 80, "satisfied": 10, "neutral": 5, "dissatisfied": 5}
    satisfaction.record(cast.a, *q1, counts)
    satisfaction.record(cast.a, *q1, {"satisfied": 40, "dissatisfied": 10}, procedure)
    satisfaction.record(cast.a, *q2, {"very_satisfied": 30, "neutral": 10}, procedure)
    agency_wide = queries.satisfaction(cast.a, *YEAR)
    assert agency_wide == {"very_satisfied": 110, "satisfied": 10, "neutral": 15, "dissatisfied": 5}
    assert queries.satisfaction_rate(cast.a, *YEAR) == 85.71  # 120 / 140
    own = queries.satisfaction(cast.a, *YEAR, procedure=procedure.pk)
    assert own == {"very_satisfied": 30, "satisfied": 40, "neutral": 10, "dissatisfied": 10}


def test_the_figures_table_is_paged_and_the_total_counts_every_row(cast, login, monkeypatch):
    _imported(cast)
    april = (dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    run(cast.a, cast.users["secretary"], AGGREGATED.replace("1.000948", "2.000123"), april)
    monkeypatch.setattr(views_results, "PAGE_SIZE", 1)  # two TTHC, one per page
    client = login(cast.users["staff"])
    total = queries.totals(cast.a, *YEAR)
    units = queries.breakdown(cast.a, *YEAR, "procedure")
    assert len(units) == 2
    for number, shown in enumerate(units, start=1):
        page = _page(client, cast.a, page=number).content.decode()
        assert f"Trang {number}/2" in page
        table = page[
            page.index('id="results-table"') : page.index(
                "</table>", page.index('id="results-table"')
            )
        ]
        assert f"<td>{shown.label}</td>" in table
        assert all(f"<td>{other.label}</td>" not in table for other in units if other is not shown)
        assert f'<td>Tổng cộng</td><td class="text-end">{total.received}</td>' in table
