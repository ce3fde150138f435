"""Catalogue files as a province exports them, for the catalogue tests."""

from __future__ import annotations

import csv
import io

from qms.lib.sheets import xlsx

HEADERS = [
    "STT",
    "Mã TTHC",
    "Tên thủ tục hành chính",
    "Lĩnh vực",
    "Cấp thực hiện",
    "Thời hạn giải quyết",
    "Đơn vị tính",
    "Mức độ DVC trực tuyến",
    "Tình trạng",
]

# code, name, field, level, time, unit, online, status
BASE = [
    (
        "1.009645.000.00.00.H38",
        "Cấp Giấy chứng nhận đăng ký đầu tư",
        "Đầu tư",
        "Cấp tỉnh",
        "15",
        "ngày",
        "Toàn trình",
        "",
    ),
    (
        "1.009646.000.00.00.H38",
        "Điều chỉnh Giấy chứng nhận đăng ký đầu tư",
        "Đầu tư",
        "Cấp tỉnh",
        "10",
        "ngày làm việc",
        "Một phần",
        "",
    ),
    (
        "2.000205.000.00.00.H38",
        "Cấp giấy phép lao động cho người lao động nước ngoài",
        "Lao động",
        "Cấp tỉnh",
        "5",
        "ngày làm việc",
        "Toàn trình",
        "",
    ),
    (
        "1.009994.000.00.00.H38",
        "Cấp giấy phép xây dựng",
        "Xây dựng",
        "Cấp tỉnh",
        "20",
        "ngày",
        "",
        "",
    ),
]


def rows_csv(rows, headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for number, row in enumerate(rows, start=1):
        writer.writerow([number, *row])
    return buffer.getvalue().encode("utf-8-sig")


def rows_xlsx(rows, headers=HEADERS) -> bytes:
    title = [["DANH MỤC THỦ TỤC HÀNH CHÍNH"] + [""] * (len(headers) - 1)]
    body = [[n, *row] for n, row in enumerate(rows, start=1)]
    # A title row above the header, as the province's export has.
    return xlsx("Danh mục", title[0], [headers, *body])


def test_the_xlsx_and_the_csv_export_read_the_same_rows():
    from qms.procedures.catalogue import parse

    from_csv = parse(rows_csv(BASE), ".csv")
    from_xlsx = parse(rows_xlsx(BASE), ".xlsx")
    # The XLSX has a title above its header: its rows are numbered one further down.
    assert [r["row"] for r in from_csv] == [2, 3, 4, 5]
    assert [r["row"] for r in from_xlsx] == [3, 4, 5, 6]
    assert [r | {"row": 0} for r in from_csv] == [r | {"row": 0} for r in from_xlsx]
    assert [r["day_kind"] for r in from_csv] == ["calendar", "working", "working", "calendar"]
    assert [r["online"] for r in from_csv] == ["full", "partial", "full", "none"]
