import io

from openpyxl import load_workbook

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
