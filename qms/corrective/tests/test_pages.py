"""The pages of the nonconformity register: they work, refuse the wrong method and the wrong
person, hide another agency, say why bad input is refused, and cost the same number of
queries whatever the number of rows."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document as read_docx
from openpyxl import load_workbook

from qms.corrective import services
from qms.corrective.models import CorrectiveAction, Evidence, Nonconformity
from qms.corrective.tests.builders import action, analysed, nonconformity, office, walk
from qms.organization.models import Unit

D = dt.date
S = Nonconformity.Status


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _full(cast, n, *, unit=None):
    """A nonconformity with `n` actions, one done, analysed, in progress."""
    users = cast.users
    nc = nonconformity(cast.a, users["staff"], owner=users["unit_head"], unit=unit)
    walk(nc, cast.a, [("accept", users["secretary"])])
    analysed(nc, users["unit_head"])
    walk(nc, cast.a, [("analyse", users["unit_head"])])
    actions = [action(nc, users["staff"], description=f"Việc {i}") for i in range(n)]
    walk(nc, cast.a, [("start", users["unit_head"])])
    services.mark_done(actions[0], users["staff"], D(2026, 2, 1), "Xong")
    return nc


def test_the_register_lists_filters_and_costs_the_same_whatever_the_rows(cast, login):
    client = login(cast.users["staff"])
    url = reverse("corrective:register", args=[cast.a.pk])
    _full(cast, 2)
    few = _count(client, url)
    for _ in range(6):
        _full(cast, 3)
        nonconformity(cast.a, cast.users["staff"], origin="feedback")
    assert _count(client, url) == few
    page = client.get(url, {"overdue": "1"}).content.decode()
    assert page.count('id="nc-') == 7 and "Hành động quá hạn: 2" in page
    page = client.get(url, {"origin": "feedback"}).content.decode()
    assert page.count('id="nc-') == 6
    page = client.get(url, {"status": "in_progress", "year": "2026"}).content.decode()
    assert page.count('id="nc-') == 7
    assert client.get(url, {"year": "2025"}).content.decode().count('id="nc-') == 0
    for strange in ({"year": "abc"}, {"unit": "999999999999"}, {"status": "x"}, {"page": "-1"}):
        assert client.get(url, strange).status_code == 200


def test_the_register_is_paginated(cast, login):
    for _ in range(26):
        nonconformity(cast.a, cast.users["staff"])
    page = login(cast.users["staff"]).get(reverse("corrective:register", args=[cast.a.pk]))
    assert page.content.decode().count('id="nc-') == 25
    assert "Trang 1/2" in page.content.decode() or "1/2" in page.content.decode()


def test_the_detail_page_shows_every_section_and_costs_the_same(cast, login):
    client = login(cast.users["secretary"])
    nc = _full(cast, 2)
    url = nc.get_absolute_url()
    few = _count(client, url)
    more = _full(cast, 5)
    for _ in range(4):
        Evidence.objects.create(
            nonconformity=more, name="bb.pdf", content_type="application/pdf",
            uploaded_by=cast.users["staff"], file="corrective/x.pdf",
        )  # fmt: skip
    assert _count(client, more.get_absolute_url()) == few
    page = client.get(url).content.decode()
    for part in ("KPH-2026-", "Nguyên nhân gốc", "Quy trình không quy định", "Việc 0",
                 "quá hạn", "Lịch sử thay đổi", 'id="nc-status"'):  # fmt: skip
        assert part in page


def test_the_page_offers_only_the_steps_each_person_may_take(cast, login):
    users = cast.users
    nc = nonconformity(cast.a, users["staff"], owner=users["unit_head"])
    url = nc.get_absolute_url()
    assert 'id="step-accept"' in login(users["secretary"]).get(url).content.decode()
    assert 'id="step-accept"' in login(users["unit_head"]).get(url).content.decode()
    for who in ("staff", "head", "deputy", "auditor"):
        assert 'id="step-' not in login(users[who]).get(url).content.decode()


def test_raising_with_evidence_and_bad_input(cast, login):
    client = login(cast.users["staff"])
    url = reverse("corrective:new", args=[cast.a.pk])
    assert client.get(url).status_code == 200
    data = {
        "title": "Thiếu phiếu kiểm soát quá trình",
        "description": "Hồ sơ số 12 không có phiếu kiểm soát",
        "origin": "daily_work",
        "unit": office(cast.a).pk,
        "severity": "minor",
        "raised_on": "32/13/2026",
    }
    page = client.post(url, data)
    assert page.status_code == 200 and "Nhập một ngày hợp lệ" in page.content.decode()
    page = client.post(url, data | {"raised_on": "01/01/2099"})
    assert "tương lai" in page.content.decode()
    page = client.post(url, data | {"raised_on": "01/03/2026", "unit": "999999"})
    assert page.status_code == 200
    assert not Nonconformity.objects.filter(agency=cast.a).exists()
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(url, data | {"raised_on": "01/03/2026", "evidence": pdf})
    nc = Nonconformity.objects.get(agency=cast.a)
    assert response.status_code == 302 and nc.raised_by == cast.users["staff"]
    assert nc.evidence.get().name == "bien-ban.pdf"
    download = client.get(
        reverse("corrective:evidence_file", args=[cast.a.pk, nc.pk, nc.evidence.get().pk])
    )
    assert download.status_code == 200 and download.getvalue().startswith(b"%PDF")
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    client.post(url, data | {"raised_on": "01/03/2026", "evidence": fake})
    assert Nonconformity.objects.filter(agency=cast.a).count() == 1
    assert client.put(url).status_code == 405


def test_the_analysis_and_actions_through_the_forms(cast, login):
    users = cast.users
    nc = nonconformity(cast.a, users["staff"], owner=users["staff"])
    walk(nc, cast.a, [("accept", users["secretary"])])
    client = login(users["staff"])  # the person responsible works on it
    url = reverse("corrective:analysis", args=[cast.a.pk, nc.pk])
    page = client.post(url, {"method": "five_whys", "root_cause": "Thiếu biểu mẫu"})
    assert "Tại sao" in page.content.decode() and page.status_code == 200
    response = client.post(
        url,
        {
            "correction": "Bổ sung phiếu",
            "method": "categories",
            "categories": ["people", "method"],
            "root_cause": "Chưa tập huấn quy trình mới",
        },
    )
    nc.refresh_from_db()
    assert response.status_code == 302 and nc.categories == ["people", "method"]
    response = client.post(reverse("corrective:step", args=[cast.a.pk, nc.pk, "analyse"]))
    nc.refresh_from_db()
    assert nc.status == S.PLANNING
    new = reverse("corrective:action_new", args=[cast.a.pk, nc.pk])
    page = client.post(new, {"kind": "corrective", "description": "Tập huấn",
                             "owner": users["unit_head"].pk, "due_date": "01/01/2020"})  # fmt: skip
    assert "trước ngày phát hiện" in page.content.decode()
    client.post(new, {"kind": "corrective", "description": "Tập huấn",
                      "owner": users["unit_head"].pk, "due_date": "30/06/2026"})  # fmt: skip
    todo = CorrectiveAction.objects.get(nonconformity=nc)
    assert todo.owner == users["unit_head"]
    client.post(reverse("corrective:step", args=[cast.a.pk, nc.pk, "start"]))
    done = reverse("corrective:action_done", args=[cast.a.pk, nc.pk, todo.pk])
    response = login(users["unit_head"]).post(done, {"done_on": "15/06/2026", "note": "Xong"})
    todo.refresh_from_db()
    assert response.status_code == 302 and todo.done_on == D(2026, 6, 15)


def test_another_agency_sees_nothing_and_changes_nothing(cast, login):
    nc = _full(cast, 1)
    todo = nc.actions.first()
    client = login(cast.users["secretary_b"])
    a = cast.a.pk
    for url in [
        reverse("corrective:register", args=[a]),
        reverse("corrective:export", args=[a]),
        nc.get_absolute_url(),
        reverse("corrective:request_form", args=[a, nc.pk]),
    ]:
        assert client.get(url).status_code == 404
    b = cast.b.pk
    for url, data in [
        (reverse("corrective:step", args=[b, nc.pk, "request_verification"]), {}),
        (reverse("corrective:edit", args=[b, nc.pk]), {"title": "Đổi"}),
        (
            reverse("corrective:action_done", args=[b, nc.pk, todo.pk]),
            {"done_on": "01/03/2026", "note": "x"},
        ),  # fmt: skip
        (reverse("corrective:analysis", args=[b, nc.pk]), {"root_cause": "x"}),
    ]:
        assert client.post(url, data).status_code == 404
    nc.refresh_from_db()
    assert nc.status == S.IN_PROGRESS and nc.title != "Đổi"


def test_a_unit_head_acts_on_their_own_units_nonconformities_only(cast, login):
    other = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    nc = nonconformity(cast.a, cast.users["staff"], unit=other, owner=cast.users["secretary"])
    client = login(cast.users["unit_head"])
    step = reverse("corrective:step", args=[cast.a.pk, nc.pk, "accept"])
    assert client.post(step).status_code == 403
    assert client.get(reverse("corrective:edit", args=[cast.a.pk, nc.pk])).status_code == 403
    assert client.get(nc.get_absolute_url()).status_code == 200
    nc.refresh_from_db()
    assert nc.status == S.DRAFT
    mine = nonconformity(cast.a, cast.users["staff"], owner=cast.users["staff"])
    move = {"title": mine.title, "description": "x", "origin": "daily_work", "unit": other.pk,
            "severity": "minor", "raised_on": "05/01/2026"}  # fmt: skip
    assert (
        client.post(reverse("corrective:edit", args=[cast.a.pk, mine.pk]), move).status_code == 403
    )


@pytest.mark.parametrize("who", ["overseer", "expert", "admin"])
def test_read_only_people_raise_nothing(cast, login, who):
    client = login(cast.users[who])
    url = reverse("corrective:new", args=[cast.a.pk])
    assert client.get(url).status_code == 403
    assert client.get(reverse("corrective:register", args=[cast.a.pk])).status_code == 200


def test_the_register_as_xlsx_and_the_request_form_as_docx(cast, login):
    nc = _full(cast, 2)
    client = login(cast.users["staff"])
    sheet = client.get(reverse("corrective:export", args=[cast.a.pk]))
    rows = list(load_workbook(io.BytesIO(sheet.getvalue())).active.values)
    assert rows[0][0] == "Số" and rows[1][0] == nc.number
    assert "Việc 0" in rows[1][8]
    form = client.get(reverse("corrective:request_form", args=[cast.a.pk, nc.pk]))
    text = "\n".join(p.text for p in read_docx(io.BytesIO(form.getvalue())).paragraphs)
    cells = " ".join(
        c.text for t in read_docx(io.BytesIO(form.getvalue())).tables for r in t.rows
        for c in r.cells
    )  # fmt: skip
    assert "PHIẾU YÊU CẦU HÀNH ĐỘNG KHẮC PHỤC" in text
    assert "Quy trình không quy định thời hạn cho ý kiến" in text
    assert nc.number in cells and "Việc 1" in cells and "Chờ ý kiến phòng chuyên môn" in cells


def test_the_register_and_the_detail_page_read_a_fixed_number_of_queries(cast, login):
    client = login(cast.users["secretary"])
    nc = _full(cast, 3)
    # session, user, agency, the user's roles (the access helper); the units of the filter;
    # the count, the years and the page of the register (with each row's unit, owner, overdue
    # actions and last due date); the header's overseen provinces and agency switcher
    assert _count(client, reverse("corrective:register", args=[cast.a.pk])) == 10
    # session, user, agency, roles; the nonconformity (with unit, procedure, people, the
    # follow-up); its actions (with owners), their obligations, evidence, verifications,
    # history; the header's two
    assert _count(client, nc.get_absolute_url()) == 12


def test_a_dissolved_agencys_register_is_history(cast, login):
    nc = _full(cast, 1)
    cast.a.valid_to = D(2025, 6, 30)
    cast.a.save()
    client = login(cast.users["secretary"])
    page = client.get(nc.get_absolute_url()).content.decode()
    assert 'id="step-' not in page and 'id="action-new"' not in page and "Việc 0" in page
    step = reverse("corrective:step", args=[cast.a.pk, nc.pk, "request_verification"])
    assert client.post(step).status_code == 403
    assert client.get(reverse("corrective:new", args=[cast.a.pk])).status_code == 403
    nc.refresh_from_db()
    assert nc.status == S.IN_PROGRESS
