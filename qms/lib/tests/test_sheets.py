import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from qms.lib import sheets
from qms.lib.sheets import xlsx


def test_it_never_lets_user_text_run_as_a_formula():
    content = xlsx(
        "Nhiệm vụ",
        ["STT", "Nội dung"],
        [[1, '=HYPERLINK("http://x")'], [2, "- Như Điều 3"], [3, "@SUM(A1)"]],
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.data_type for c in sheet["B"][1:]] == ["s", "s", "s"]
    assert sheet["B2"].value == '=HYPERLINK("http://x")'
    assert sheet["B3"].value == "- Như Điều 3"


def test_it_writes_vietnamese_and_bold_headers():
    content = xlsx("Kế hoạch", ["Thời gian dự kiến"], [["Quý III/2026"]])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Kế hoạch"
    assert sheet["A1"].font.bold and sheet["A2"].value == "Quý III/2026"


def test_text_xml_cannot_hold_is_dropped_so_old_rows_still_export():
    # A title stored before input was cleaned: a vertical tab and an escape character.
    content = xlsx("Danh mục\x0b", ["Tên\x1b"], [["Quy trình\x0bđánh giá\x01"]])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Danh mục "
    assert sheet["A1"].value == "Tên"
    assert sheet["A2"].value == "Quy trình đánh giá"


def test_a_large_workbook_is_streamed_and_reads_the_same_rows(tmp_path, monkeypatch):
    """Above STREAM_BYTES the sheet is read as a stream (calamine would hold it whole in
    memory): the rows, their numbering (a title and a blank row above the header) and the
    cell values come out the same."""
    rows = [["Kết quả giải quyết hồ sơ"], [], ["Mã hồ sơ", "Ngày tiếp nhận", "Số ngày"]]
    rows += [[f"HS-{n}", dt.date(2026, 3, n), n + 0.5] for n in range(1, 21)]
    path = tmp_path / "ket-qua.xlsx"
    path.write_bytes(xlsx("Hồ sơ", rows[0], rows[1:]))
    loaded = list(sheets.read_rows(path, ".xlsx"))
    monkeypatch.setattr(sheets, "STREAM_BYTES", 0)
    streamed = list(sheets.read_rows(path, ".xlsx"))

    def plain(row):
        values = [v.date() if isinstance(v, dt.datetime) else v for v in row]
        while values and values[-1] in (None, ""):
            values.pop()
        return values

    assert [plain(r) for r in streamed] == [plain(r) for r in loaded]
    assert plain(streamed[3]) == ["HS-1", dt.date(2026, 3, 1), 1.5]
    assert len(streamed) == 23


def test_a_damaged_large_workbook_is_refused_in_vietnamese(tmp_path, monkeypatch):
    path = tmp_path / "hong.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    monkeypatch.setattr(sheets, "STREAM_BYTES", 0)
    with pytest.raises(sheets.SheetUnreadable, match="tệp bị hỏng"):
        list(sheets.read_rows(path, ".xlsx"))
