"""A plan issued by a decision ("Quyết định ban hành Kế hoạch …"): the register numbers the
decision, the DOCX prints the decision then the plan it issues, "(Ban hành kèm theo Quyết
định số …)", and the plan's text is the same as when it is issued as a Kế hoạch."""

import io

import docx
from django.urls import reverse

from qms.lib import officialdoc as od
from qms.paperwork.models import Paper
from qms.plans import services
from qms.plans.tests.conftest import issue


def _lines(document):
    out = docx.Document(io.BytesIO(od.build_docx(document)))
    return [p.text for p in out.paragraphs]


def test_a_plan_issued_by_a_decision_prints_the_decision_then_the_plan(plan, cast, login):
    client = login(cast.users["secretary"])
    data = {
        "title": plan.title,
        "by_decision": "on",
        "purpose": plan.purpose,
        "section_two_title": plan.section_two_title,
        "organisation": plan.organisation,
        "columns": ["timing", "lead"],
        "standard": plan.standard,
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    assert client.post(reverse("plans:edit", args=[cast.a.pk, plan.pk]), data).status_code == 302
    plan.refresh_from_db()
    assert (plan.paper.kind, plan.paper.subject) == (
        "QĐ",
        "Về việc ban hành Kế hoạch duy trì HTQLCL năm 2026",
    )
    draft = _lines(plan.official_document())
    assert "QUYẾT ĐỊNH" in draft and "QUYẾT ĐỊNH:" in draft
    assert "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch duy trì HTQLCL năm 2026." in draft
    assert "KẾ HOẠCH" in draft and "Phụ lục" not in draft
    assert any(line.startswith("(Ban hành kèm theo Quyết định số      /QĐ-SXD") for line in draft)
    assert "I. MỤC ĐÍCH, YÊU CẦU" in draft and "III. TỔ CHỨC THỰC HIỆN" in draft

    issue(plan, number=6)
    plan.refresh_from_db()
    issued = _lines(plan.official_document())
    assert f"{plan.paper.number_text}/{plan.paper.symbol}" == "06/QĐ-SXD"
    reference = (
        "(Ban hành kèm theo Quyết định số 06/QĐ-SXD ngày 15 tháng 01 năm 2026 "
        "của Sở Xây dựng Tỉnh Một)"
    )
    assert reference in issued
    # One number in the register, taken by the decision.
    papers = Paper.objects.filter(agency=cast.a, status="issued", year=2026)
    assert list(papers.values_list("kind", "number")) == [("QĐ", 6)]
    assert plan.versions.get().number == 6


def test_turning_it_back_makes_the_plan_a_kế_hoạch_again(plan):
    plan.by_decision = True
    plan.save()
    services.sync_subject(plan)
    plan.by_decision = False
    plan.save()
    services.sync_subject(plan)
    plan.paper.refresh_from_db()
    assert (plan.paper.kind, plan.paper.subject, plan.paper.symbol) == (
        "KH",
        plan.title,
        "KH-SXD",
    )
