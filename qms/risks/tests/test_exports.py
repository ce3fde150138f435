"""The exports open, carry the columns agencies use and the rows of the year."""

import datetime as dt
import io

import docx
import openpyxl
from django.urls import reverse

from qms.risks import services
from qms.risks.exports import HEADERS
from qms.risks.tests import factories as f


def _data(cast):
    high = f.risk(cast.a, likelihood=4, impact=4, description="Hồ sơ trễ hạn do thiếu nhân lực")
    t = f.treatment(high, action="Bổ sung 02 công chức", due=dt.date(2026, 3, 31))
    services.mark_done(t, cast.users["staff"], dt.date(2026, 3, 20), "Đã bổ sung")
    f.risk(cast.a, likelihood=1, impact=2, description="Mất điện ngắn hạn")


def _get(client, cast, what):
    return client.get(reverse("risks:export", args=[cast.a.pk, 2026, what]))


def test_the_register_xlsx_lists_every_row(cast, login):
    _data(cast)
    response = _get(login(cast.users["staff"]), cast, "register.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert len(rows) == 3
    assert rows[1][2] == "Rủi ro: Hồ sơ trễ hạn do thiếu nhân lực"
    assert rows[1][7] == "16 – Cao"
    assert "Đã thực hiện 20/03/2026" in rows[1][11]


def test_the_plan_keeps_the_rows_needing_action_one_line_per_treatment(cast, login):
    _data(cast)
    response = _get(login(cast.users["staff"]), cast, "plan.xlsx")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert len(rows) == 2
    assert rows[1][8] == "Bổ sung 02 công chức"


def test_the_docx_are_official_documents(cast, login):
    _data(cast)
    client = login(cast.users["staff"])
    for what, title in (("register.docx", "BẢNG NHẬN DIỆN"), ("plan.docx", "KẾ HOẠCH")):
        response = _get(client, cast, what)
        assert response.status_code == 200
        document = docx.Document(io.BytesIO(response.content))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        text = "\n".join([p.text for p in document.paragraphs] + cells)
        assert title in text.upper()
        assert cast.a.name.upper() in text.upper()


def test_an_unknown_export_is_not_found(cast, login):
    assert _get(login(cast.users["staff"]), cast, "x.pdf").status_code == 404
    assert (
        login(cast.users["secretary_b"])
        .get(reverse("risks:export", args=[cast.a.pk, 2026, "register.xlsx"]))
        .status_code
        == 404
    )
