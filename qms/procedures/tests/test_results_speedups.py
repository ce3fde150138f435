"""The per-dossier import reads a row whose cells are all known (met earlier in the file)
without parsing them again, and counts in a grid per TTHC and unit: it must add up to what
reading every row afresh adds up to, still check what only the row shows, keep XLSX numbers
and booleans apart, read short rows and absent columns as blanks, and count the progress."""

import datetime as dt
import io
from collections import Counter

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from openpyxl import Workbook

from qms.organization.models import Unit
from qms.procedures import queries, results
from qms.procedures.calendar import working_calendar
from qms.procedures.models import BUCKETS, AdminProcedure, AgencyProcedure, ResultImport

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
CODE, OTHER = "1.000948.H38", "2.000123.H38"
HEADER = [
    "Mã hồ sơ",
    "Mã TTHC",
    "Đơn vị",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày trả kết quả",
    "Trạng thái",
    "Hình thức tiếp nhận",
    "Tạm dừng bổ sung",
]
DONE, OPEN = "Đã trả kết quả", "Đang xử lý"
# One of each way a dossier counts, without its code: received in March or carried over;
# early, on time, late, late after a pause, returned, withdrawn, pending within or past its
# deadline, closed before March (skipped); units blank or named; XLSX dates and datetimes.
KINDS = [
    [CODE, "", "02/03/2026", "06/03/2026", "05/03/2026", DONE, "Trực tuyến", ""],
    [CODE, "Phòng Kinh tế", "02/03/2026", "06/03/2026", "06/03/2026", DONE, "Trực tiếp", ""],
    [CODE, "", "02/03/2026", "06/03/2026", "10/03/2026", DONE, "Bưu chính", ""],
    [
        OTHER,
        "",
        "02/03/2026",
        "06/03/2026",
        "11/03/2026",
        DONE,
        "Trực tuyến",
        "05/03/2026-06/03/2026",
    ],
    [CODE, "phòng kinh tế", "10/03/2026", "17/03/2026", "12/03/2026", "Trả lại", "Trực tuyến", ""],
    [OTHER, "", "10/03/2026", "17/03/2026", "11/03/2026", "Rút hồ sơ", "trực tuyến", ""],
    [CODE, "", "20/02/2026", "27/03/2026", "", OPEN, "Trực tiếp", ""],
    [CODE, "", "25/02/2026", "06/04/2026", "", OPEN, "Fax", ""],  # channel of February: unread
    [OTHER, "", "10/02/2026", "20/02/2026", "26/02/2026", DONE, "Trực tuyến", ""],
    [
        CODE,
        "",
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 6),
        dt.date(2026, 3, 9),
        DONE,
        "Trực tuyến",
        "",
    ],
    [CODE, "", dt.datetime(2026, 3, 2, 8), dt.datetime(2026, 3, 6), "", OPEN, "Trực tiếp", ""],
]


def handle(agency, code=CODE):
    procedure = AdminProcedure.objects.get_or_create(
        province=agency.province,
        code=code,
        defaults={"name": f"Thủ tục {code}", "field": "Đầu tư", "level": "province"},
    )[0]
    return AgencyProcedure.objects.create(agency=agency, procedure=procedure, committed_days=5)


def read(agency, rows, progress=None):
    reader = results.Reader(
        results.Handled.load(agency), results.Period(*MARCH), working_calendar(), progress
    )
    return reader.read(iter(rows))


def counted(parsed) -> Counter:
    """Dossiers per (TTHC, unit, day) and bucket name."""
    return Counter(
        {
            (*key, bucket): count
            for key, counts in parsed.cells()
            for bucket, count in zip(BUCKETS, counts, strict=True)
            if count
        }
    )


def errors(parsed):
    return [(e["row"], e["column"], e["value"], e["why"]) for e in parsed.errors.as_json()]


def test_rows_read_together_add_up_to_each_row_read_afresh(cast):
    handle(cast.a)
    handle(cast.a, OTHER)
    Unit.objects.create(agency=cast.a, name="Phòng Kinh tế")
    rows = [[f"HS-{n}-{i}", *kind] for n in range(3) for i, kind in enumerate(KINDS)]
    together = read(cast.a, [HEADER, *rows])
    assert not together.errors, errors(together)
    alone: Counter = Counter()
    late, skipped = [], 0
    for row in rows:
        parsed = read(cast.a, [HEADER, row])  # every cell new: each is parsed and checked
        assert not parsed.errors, errors(parsed)
        alone += counted(parsed)
        late += parsed.late
        skipped += parsed.skipped
    assert counted(together) == alone
    assert sorted(together.late) == sorted(late)
    assert (together.skipped, skipped, together.rows) == (3, 3, len(rows))
    assert len(late) == 15  # 5 late kinds, 3 times each


def test_a_row_of_known_cells_is_still_checked_as_a_whole(cast):
    handle(cast.a)
    good = [CODE, "", "02/03/2026", "06/03/2026", "05/03/2026", DONE, "Trực tuyến", ""]
    rows = [
        HEADER,
        ["E-1", *good],
        ["E-2", CODE, "", "02/03/2026", "06/04/2026", "", OPEN, "Trực tuyến", ""],
        # From here on every cell was met above: only the row shows what is wrong.
        ["E-1", *good],
        ["E-3", CODE, "", "06/03/2026", "02/03/2026", "05/03/2026", DONE, "Trực tuyến", ""],
        ["E-4", CODE, "", "06/03/2026", "06/03/2026", "05/03/2026", DONE, "Trực tuyến", ""],
        ["E-5", CODE, "", "06/04/2026", "06/04/2026", "", OPEN, "Trực tuyến", ""],
        ["E-6", CODE, "", "02/03/2026", "06/03/2026", "", DONE, "Trực tuyến", ""],
        ["E-7", CODE, "", "02/03/2026", "06/03/2026", "05/03/2026", OPEN, "Trực tuyến", ""],
        ["", *good],
        ["E-8", CODE, "", "02/03/2026", "06/03/2026", "05/03/2026", DONE, "Fax", ""],
        ["E-9", *good],
    ]
    parsed = read(cast.a, rows)
    assert errors(parsed) == [
        (4, "Mã hồ sơ", "E-1", _("This dossier code already appears above.")),
        (
            5,
            "Ngày hẹn trả",
            "02/03/2026",
            _("The appointment date comes before the date received."),
        ),
        (
            6,
            "Ngày trả kết quả",
            "05/03/2026",
            _("The date resolved comes before the date received."),
        ),
        (
            7,
            "Ngày tiếp nhận",
            "06/04/2026",
            _("Received after the end of the period being imported."),
        ),
        (
            8,
            "Ngày trả kết quả",
            "",
            _("A dossier whose result was returned needs the date resolved."),
        ),
        (
            9,
            "Ngày trả kết quả",
            "05/03/2026",
            _("A dossier still being handled has no date resolved."),
        ),
        (10, "Mã hồ sơ", "", _("The dossier code is empty.")),
        (
            11,
            "Hình thức tiếp nhận",
            "Fax",
            _("Unknown channel (accepted: trực tuyến, trực tiếp, bưu chính)."),
        ),
    ]
    # A repeated or blank code is reported and its row still counted, as it always was
    # (a file with an error imports nothing).
    procedure = AdminProcedure.objects.get(code=CODE).pk
    assert counted(parsed) == {
        (procedure, None, dt.date(2026, 3, 2), "received_online"): 5,  # E-1 twice, E-2, "", E-9
        (procedure, None, dt.date(2026, 3, 5), "resolved_early"): 4,
        (procedure, None, MARCH[1], "pending_within"): 1,
    }
    assert parsed.rows == 11


def test_numbers_and_booleans_are_not_taken_for_one_another(cast):
    handle(cast.a, "1")
    dates = [dt.date(2026, 3, 2), dt.date(2026, 3, 6), dt.date(2026, 3, 5), DONE, "Trực tuyến"]
    rows = [
        HEADER[:2] + HEADER[3:8],
        ["N-1", 1, *dates],
        ["N-2", True, *dates],
        ["N-3", 1.0, *dates],
        ["N-4", True, *dates],
    ]
    parsed = read(cast.a, rows)
    why = _("This TTHC code is not in the province's catalogue.")
    assert errors(parsed) == [(3, "Mã TTHC", "True", why), (5, "Mã TTHC", "True", why)]


def test_short_rows_and_absent_columns_read_as_blanks(cast):
    procedure = handle(cast.a).procedure_id
    header = ["Mã hồ sơ", "Mã TTHC", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái"]
    header.append("Hình thức tiếp nhận")  # no unit, date resolved or pause column
    rows = [
        header,
        ["S-1", CODE, "20/02/2026", "27/03/2026", OPEN],  # carried over: its channel unread
        ["S-2", CODE, "02/03/2026", "06/04/2026", OPEN],  # received in March: channel needed
        ["S-3", CODE, "03/03/2026", "06/04/2026", OPEN, "Trực tuyến", "ghi chú"],
        [],
        ["S-4", CODE, "03/03/2026", "06/04/2026", OPEN, "Trực tuyến"],
    ]
    parsed = read(cast.a, rows)
    why = _("Unknown channel (accepted: trực tuyến, trực tiếp, bưu chính).")
    assert errors(parsed) == [(3, "Hình thức tiếp nhận", "", why)]
    assert counted(parsed) == {
        (procedure, None, MARCH[0], "carried_over"): 1,
        (procedure, None, dt.date(2026, 3, 3), "received_online"): 2,
        (procedure, None, MARCH[1], "pending_late"): 1,
        (procedure, None, MARCH[1], "pending_within"): 2,
    }
    assert [late[1] for late in parsed.late] == ["S-1"]
    assert parsed.rows == 4


def test_progress_counts_the_rows(cast, monkeypatch):
    handle(cast.a)
    monkeypatch.setattr(results, "PROGRESS_EVERY", 2)
    good = [CODE, "", "02/03/2026", "06/03/2026", "05/03/2026", DONE, "Trực tuyến", ""]
    done: list[int] = []
    rows = [HEADER, ["P-1", *good], [], ["P-2", *good], ["P-3", *good], ["", None], ["P-4", *good]]
    parsed = read(cast.a, rows, done.append)
    assert (done, parsed.rows) == ([2, 4], 4)


def test_xlsx_dates_give_the_same_figures_as_csv(cast):
    handle(cast.a)
    handle(cast.a2)
    user = cast.users["secretary"]
    rows = [[f"X-{i}", *kind] for i, kind in enumerate(KINDS) if kind[:2] == [CODE, ""]]
    text = "\n".join(";".join(str(cell) for cell in row) for row in [HEADER, *rows])
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([_as_date(cell) for cell in row])
    content = SimpleUploadedFile("ket-qua.xlsx", _saved(book))
    as_csv = results.create_import(
        cast.a, user, SimpleUploadedFile("ket-qua.csv", text.encode("utf-8-sig")), *MARCH
    )
    results.start_import(as_csv)
    as_xlsx = results.create_import(cast.a2, user, content, *MARCH)
    results.start_import(as_xlsx)
    for made in (as_csv, as_xlsx):
        made.refresh_from_db()
        assert made.status == ResultImport.Status.DONE, made.errors
    assert queries.totals(cast.a, *MARCH).counts == queries.totals(cast.a2, *MARCH).counts


def _as_date(cell):
    if isinstance(cell, str) and cell.count("/") == 2:
        return dt.datetime.strptime(cell, "%d/%m/%Y")
    return cell


def _saved(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
