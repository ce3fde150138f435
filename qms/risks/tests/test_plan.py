"""The treatment plan issued through the register: drafted by the secretary, put forward
for signature, issued under a KH number; the DOCX is its NĐ 30 document."""

import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qms.paperwork import services as paperwork
from qms.paperwork.models import Paper
from qms.risks.models import TreatmentPlan
from qms.risks.tests import factories as f


def _draft(cast, login):
    client = login(cast.users["secretary"])
    response = client.post(reverse("risks:plan_draft", args=[cast.a.pk, 2026]))
    plan = TreatmentPlan.objects.get(agency=cast.a, year=2026)
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    return client, plan


def test_the_secretary_drafts_the_plan_once_a_year(cast, login):
    client, plan = _draft(cast, login)
    client.post(reverse("risks:plan_draft", args=[cast.a.pk, 2026]))
    assert TreatmentPlan.objects.filter(agency=cast.a).count() == 1
    assert plan.paper.kind == "KH" and plan.paper.status == Paper.Status.DRAFT
    page = client.get(plan.get_absolute_url()).content.decode()
    assert 'id="paper-panel"' in page
    register = client.get(reverse("risks:register", args=[cast.a.pk]) + "?year=2026")
    assert "Kế hoạch giải quyết rủi ro và cơ hội năm 2026" in register.content.decode()


def test_a_plan_without_treatments_is_not_issued(cast, login):
    _client, plan = _draft(cast, login)
    paperwork.save_draft(plan.paper, signer_name="Nguyễn Văn A")
    paperwork.submit_for_signature(plan, cast.users["secretary"])
    with pytest.raises(ValidationError, match="Hãy lập biện pháp"):
        paperwork.issue(plan.paper, number=5, issued_on=dt.date(2026, 2, 1), by=cast.users["head"])


def test_the_issued_plan_prints_its_number_and_its_rows(cast, login):
    risk = f.risk(cast.a, likelihood=4, impact=4, description="Hồ sơ trễ hạn do thiếu nhân lực")
    f.treatment(risk, action="Bổ sung 02 công chức thẩm định")
    client, plan = _draft(cast, login)
    paperwork.save_draft(plan.paper, signer_name="Nguyễn Văn A")
    paperwork.submit_for_signature(plan, cast.users["secretary"])
    paperwork.issue(plan.paper, number=5, issued_on=dt.date(2026, 2, 1), by=cast.users["head"])
    response = client.get(reverse("risks:plan_docx", args=[cast.a.pk, plan.pk]))
    document = docx.Document(io.BytesIO(response.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "Số: 05/KH-SXD" in text
    assert "Bổ sung 02 công chức thẩm định" in text


def test_others_do_not_draft_nor_see_another_agency_plan(cast, login):
    _client, plan = _draft(cast, login)
    url = reverse("risks:plan_draft", args=[cast.a.pk, 2027])
    assert login(cast.users["unit_head"]).post(url).status_code == 403
    assert login(cast.users["secretary_b"]).get(plan.get_absolute_url()).status_code == 404
    assert not TreatmentPlan.objects.filter(year=2027).exists()


def test_the_plan_page_costs_the_same_whatever_the_rows(cast, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, plan = _draft(cast, login)
    f.treatment(f.risk(cast.a, likelihood=4, impact=4))
    client.get(plan.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(plan.get_absolute_url())
    for n in range(8):
        risk = f.risk(cast.a, likelihood=4, impact=5, description=f"Rủi ro {n}")
        f.treatment(risk)
        f.treatment(risk)
    with CaptureQueriesContext(connection) as many:
        assert client.get(plan.get_absolute_url()).status_code == 200
    assert len(many) == len(few)
