"""Importing dossier results: both shapes give the same buckets, working days count across
Tết and pauses, a bad file imports nothing and names each error, a period is replaced as a
whole, and a large file runs in the worker with its progress."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from qms.procedures import queries, results
from qms.procedures.models import (
    AdminProcedure,
    AgencyProcedure,
    DailyResult,
    LateDossier,
    ResultImport,
)

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
DOSSIER_HEADER = (
    "Mã hồ sơ;Mã TTHC;Ngày tiếp nhận;Ngày hẹn trả;Ngày trả kết quả;Trạng thái;"
    "Hình thức tiếp nhận;Tạm dừng bổ sung\n"
)


def handle(agency, code="1.000948.H38", committed=5):
    procedure = AdminProcedure.objects.get_or_create(
        province=agency.province,
        code=code,
        defaults={"name": f"Thủ tục {code}", "field": "Đầu tư", "level": "province"},
    )[0]
    return AgencyProcedure.objects.create(
        agency=agency, procedure=procedure, committed_days=committed
    )


def upload(text, name="ket-qua.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def run(agency, user, text, period=MARCH, name="ket-qua.csv"):
    result_import = results.create_import(agency, user, upload(text, name), *period)
    results.start_import(result_import)
    result_import.refresh_from_db()
    return result_import


DOSSIERS = DOSSIER_HEADER + "\n".join(
    [
        # early, on time, late (by 2 working days: 06/03 → 10/03), online, direct, post
        "HS-01;1.000948.H38;02/03/2026;06/03/2026;05/03/2026;Đã trả kết quả;Trực tuyến;",
        "HS-02;1.000948.H38;02/03/2026;06/03/2026;06/03/2026;Đã trả kết quả;Trực tiếp;",
        "HS-03;1.000948.H38;02/03/2026;06/03/2026;10/03/2026;Đã trả kết quả;Bưu chính;",
        # paused 2 working days (Thu 05 and Fri 06): deadline 10/03, resolved 10/03 on time
        "HS-04;1.000948.H38;02/03/2026;06/03/2026;10/03/2026;Đã trả kết quả;Trực tuyến;"
        "05/03/2026-06/03/2026",
        # carried over from February, pending at the end past its deadline
        "HS-05;1.000948.H38;20/02/2026;27/03/2026;;Đang xử lý;Trực tiếp;",
        "HS-06;1.000948.H38;25/02/2026;06/04/2026;;Đang xử lý;Trực tiếp;",
        "HS-07;1.000948.H38;10/03/2026;17/03/2026;12/03/2026;Trả lại;Trực tuyến;",
        "HS-08;1.000948.H38;10/03/2026;17/03/2026;11/03/2026;Rút hồ sơ;Trực tuyến;",
        # closed before March: another period's dossier
        "HS-09;1.000948.H38;10/02/2026;20/02/2026;26/02/2026;Đã trả kết quả;Trực tuyến;",
    ]
)
AGGREGATED = (
    "Mã TTHC,Tiếp nhận trực tuyến,Tiếp nhận trực tiếp,Tiếp nhận qua bưu chính,"
    "Kỳ trước chuyển sang,Giải quyết trước hạn,Giải quyết đúng hạn,Giải quyết quá hạn,"
    "Đang giải quyết trong hạn,Đang giải quyết quá hạn,Trả lại,Rút hồ sơ\n"
    "1.000948.H38,4,1,1,2,1,2,1,1,1,1,1\n"
)


def test_both_shapes_give_the_same_buckets(cast):
    handle(cast.a)
    handle(cast.a2)
    user = cast.users["secretary"]
    by_dossier = run(cast.a, user, DOSSIERS)
    assert by_dossier.status == ResultImport.Status.DONE, by_dossier.errors
    assert by_dossier.shape == ResultImport.Shape.DOSSIERS
    aggregated = run(cast.a2, user, AGGREGATED)
    assert aggregated.shape == ResultImport.Shape.AGGREGATED
    one, other = queries.totals(cast.a, *MARCH), queries.totals(cast.a2, *MARCH)
    assert one.counts == other.counts
    assert (one.received, one.resolved, one.on_time_rate) == (6, 4, 75.0)
    late = LateDossier.objects.get(agency=cast.a, dossier_code="HS-03")
    assert (late.due_on, late.days_late) == (dt.date(2026, 3, 6), 2)
    pending = LateDossier.objects.get(agency=cast.a, dossier_code="HS-05")
    assert pending.resolved_on is None and pending.days_late == 2  # Friday 27/03 → Mon 30, Tue 31


def test_working_days_count_across_tet_and_a_pause(cast):
    handle(cast.a)
    text = DOSSIER_HEADER + "\n".join(
        [
            # appointment Friday 13/02/2026, paused that day: one working day later is
            # Monday 23/02 (Tết 16–20/02): resolved 23/02 is on time, 24/02 late by one.
            "T-1;1.000948.H38;09/02/2026;13/02/2026;23/02/2026;Đã trả kết quả;Trực tuyến;"
            "13/02/2026-13/02/2026",
            "T-2;1.000948.H38;09/02/2026;13/02/2026;24/02/2026;Đã trả kết quả;Trực tuyến;"
            "13/02/2026-13/02/2026",
        ]
    )
    done = run(cast.a, cast.users["secretary"], text, (dt.date(2026, 2, 1), dt.date(2026, 2, 28)))
    assert done.status == ResultImport.Status.DONE, done.errors
    figures = queries.totals(cast.a, dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert (figures.resolved_on_time, figures.resolved_late) == (1, 1)
    late = LateDossier.objects.get(dossier_code="T-2")
    assert (late.due_on, late.days_late) == (dt.date(2026, 2, 23), 1)


def test_a_bad_file_imports_nothing_and_names_each_error(cast):
    handle(cast.a)
    AdminProcedure.objects.create(
        province=cast.a.province, code="2.000001.H38", name="Khác", field="X", level="province"
    )
    text = DOSSIER_HEADER + "\n".join(
        [
            "B-1;1.000948.H38;02/03/2026;06/03/2026;05/03/2026;Đã trả kết quả;Trực tuyến;",
            "B-2;9.999999.H38;02/03/2026;06/03/2026;05/03/2026;Đã trả kết quả;Trực tuyến;",
            "B-3;2.000001.H38;02/03/2026;06/03/2026;05/03/2026;Đã trả kết quả;Trực tuyến;",
            "B-4;1.000948.H38;31/02/2026;06/03/2026;05/03/2026;Đã trả kết quả;Trực tuyến;",
            "B-5;1.000948.H38;02/03/2026;06/03/2026;;Không rõ;Trực tuyến;",
            "B-1;1.000948.H38;02/03/2026;06/03/2026;05/03/2026;Đã trả kết quả;Trực tuyến;",
        ]
    )
    refused = run(cast.a, cast.users["secretary"], text)
    assert refused.status == ResultImport.Status.FAILED
    found = {(e["row"], e["column"], e["value"]) for e in refused.errors}
    assert found == {
        (3, "Mã TTHC", "9.999999.H38"),
        (4, "Mã TTHC", "2.000001.H38"),
        (5, "Ngày tiếp nhận", "31/02/2026"),
        (6, "Trạng thái", "Không rõ"),
        (7, "Mã hồ sơ", "B-1"),
    }
    why = {e["row"]: e["why"] for e in refused.errors}
    assert "không có trong danh mục TTHC của tỉnh" in why[3]
    assert "không thuộc" in why[4]
    assert not DailyResult.objects.filter(agency=cast.a).exists()


def test_a_file_without_a_required_column_is_refused(cast):
    handle(cast.a)
    refused = run(cast.a, cast.users["secretary"], "Mã TTHC,Trực tuyến\n1.000948.H38,3\n")
    assert refused.status == ResultImport.Status.FAILED
    assert {"Giải quyết đúng hạn", "Rút hồ sơ"} <= {e["column"] for e in refused.errors}


def test_reimporting_a_period_replaces_it_and_keeps_apologies_sent(cast):
    handle(cast.a)
    user = cast.users["secretary"]
    run(cast.a, user, DOSSIERS)
    late = LateDossier.objects.get(dossier_code="HS-03")
    results.set_apology_sent(late, True)
    again = run(cast.a, user, DOSSIERS)
    assert ResultImport.objects.filter(agency=cast.a).count() == 1
    assert queries.totals(cast.a, *MARCH).resolved == 4
    assert LateDossier.objects.get(dossier_code="HS-03", source=again).apology_sent


def test_a_period_cutting_an_imported_one_is_refused(cast):
    handle(cast.a)
    run(cast.a, cast.users["secretary"], DOSSIERS)
    with pytest.raises(results.ValidationError):
        results.check_period(cast.a, dt.date(2026, 3, 15), dt.date(2026, 4, 15))


def test_xlsx_gives_the_same_figures_as_csv(cast, tmp_path):
    handle(cast.a)
    book = Workbook()
    sheet = book.active
    sheet.append(["BÁO CÁO KẾT QUẢ GIẢI QUYẾT TTHC"])  # a title row above the header
    for line in AGGREGATED.splitlines():
        cells = line.split(",")
        sheet.append([cells[0], *[int(c) for c in cells[1:]]] if cells[1].isdigit() else cells)
    path = tmp_path / "ket-qua.xlsx"
    book.save(path)
    content = path.read_bytes()
    xlsx = SimpleUploadedFile("ket-qua.xlsx", content)
    result_import = results.create_import(cast.a, cast.users["secretary"], xlsx, *MARCH)
    results.start_import(result_import)
    result_import.refresh_from_db()
    assert result_import.status == ResultImport.Status.DONE, result_import.errors
    assert queries.totals(cast.a, *MARCH).resolved == 4


def test_a_large_file_runs_in_the_worker_with_its_progress(
    cast, login, settings, django_capture_on_commit_callbacks
):
    settings.QMS_RESULTS_WORKER_ROWS = 3
    handle(cast.a)
    client = login(cast.users["secretary"])
    url = reverse("procedures:results_import", args=[cast.a.pk])
    data = {"period_start": "01/03/2026", "period_end": "31/03/2026", "file": upload(DOSSIERS)}
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, data)
    result_import = ResultImport.objects.get(agency=cast.a)
    assert response.status_code == 302 and result_import.status == ResultImport.Status.QUEUED
    page = client.get(response["Location"])
    assert 'hx-trigger="every 1s"' in page.content.decode()
    assert "Đang nhập" in page.content.decode() or "nền" in page.content.decode()
    for callback in queued:
        callback()  # the immediate backend runs the task here
    result_import.refresh_from_db()
    assert result_import.status == ResultImport.Status.DONE
    assert result_import.rows_done == result_import.rows_total == 9
    progress = client.get(
        reverse("procedures:results_import_progress", args=[cast.a.pk, result_import.pk])
    )
    assert "hx-trigger" not in progress.content.decode()
    assert "75,00 %" in progress.content.decode()
