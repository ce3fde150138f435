"""The pages of the quality policy and objectives: they work, refuse the wrong method and the
wrong person, hide another agency, and cost the same number of queries whatever the rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qms.objectives import services
from qms.objectives.models import ObjectiveAction, QualityObjective
from qms.objectives.tests.builders import measured, objective
from qms.organization.models import Unit

S = QualityObjective.Status


def _office(cast):
    return Unit.objects.get(agency=cast.a, name="Văn phòng Sở")


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_year_page_lists_the_agency_first_then_units(cast, login):
    parent = objective(cast.a, statement="Mục tiêu chung của Sở", status=S.ISSUED)
    objective(cast.a, unit=_office(cast), parent=parent, statement="Mục tiêu của Văn phòng")
    measured(parent, "2026-Q1", "97")
    page = login(cast.users["staff"]).get(
        reverse("objectives:year", args=[cast.a.pk]) + "?year=2026"
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("Mục tiêu chung của Sở") < text.index("Mục tiêu của Văn phòng")
    assert "Không đạt" in text and "Mục tiêu chất lượng năm 2026" in text
    assert "Mục tiêu mới" not in text  # staff propose nothing


@pytest.mark.parametrize("year", ["abc", "99999", "-1", ""])
def test_a_strange_year_shows_this_year(cast, login, year):
    page = login(cast.users["staff"]).get(
        reverse("objectives:year", args=[cast.a.pk]), {"year": year}
    )
    assert page.status_code == 200


def test_the_year_page_costs_the_same_whatever_the_rows(cast, login):
    client = login(cast.users["secretary"])
    url = reverse("objectives:year", args=[cast.a.pk]) + "?year=2026"
    parent = objective(cast.a, status=S.ACCEPTED)
    services.year_set(cast.a, 2026)
    measured(parent, "2026-Q1", "90")
    few = _count(client, url)
    for n in range(8):
        child = objective(
            cast.a, unit=_office(cast), parent=parent, status=S.ACCEPTED, statement=f"M{n}"
        )
        measured(child, "2026-Q1", "80")
        measured(child, "2026-Q2", "99")
    assert _count(client, url) == few


def test_the_detail_page_costs_the_same_whatever_the_rows(cast, login):
    client = login(cast.users["secretary"])
    target = objective(cast.a, status=S.ISSUED, period="month", year=2025)
    url = reverse("objectives:detail", args=[cast.a.pk, target.pk])
    measured(target, "2025-01", "90")
    few = _count(client, url)
    for month in range(2, 13):
        m = measured(target, f"2025-{month:02d}", "90")
        services.record_follow_up(m, "Nguyên nhân", dt.date(2026, 1, 30), cast.users["secretary"])
        services.add_action(
            target, ObjectiveAction(description=f"Việc {month}", due_date=dt.date(2025, 12, 1))
        )
    assert _count(client, url) == few


def test_a_user_of_another_agency_sees_nothing_and_changes_nothing(cast, login):
    target = objective(cast.a, status=S.ISSUED, year=2025)
    missed = measured(target, "2025-Q1", "50")
    policy = services.draft_policy(cast.a, "Chính sách")
    client = login(cast.users["secretary_b"])
    a = cast.a.pk
    for url in [
        reverse("objectives:year", args=[a]),
        reverse("objectives:detail", args=[a, target.pk]),
        reverse("objectives:policy", args=[a]),
        reverse("objectives:policy_detail", args=[a, policy.pk]),
        reverse("objectives:policy_docx", args=[a, policy.pk]),
    ]:
        assert client.get(url).status_code == 404
    b = cast.b.pk
    posts = [
        (
            reverse("objectives:measure", args=[b, target.pk]),
            {"measure-period": "2025-Q2", "measure-value": "99"},
        ),
        (
            reverse("objectives:follow_up", args=[b, missed.pk]),
            {f"follow-{missed.pk}-note": "x", f"follow-{missed.pk}-due_date": "01/06/2025"},
        ),
        (reverse("objectives:action", args=[b, target.pk, "propose"]), {}),
        (reverse("objectives:policy_detail", args=[b, policy.pk]), {"text": "đổi"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404
    assert target.measurements.count() == 1 and not hasattr(missed, "follow_up")
    policy.refresh_from_db()
    assert policy.text == "Chính sách"


def test_a_unit_head_cannot_change_another_units_objective(cast, login):
    other = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    target = objective(cast.a, unit=other)
    client = login(cast.users["unit_head"])
    assert (
        client.post(
            reverse("objectives:action", args=[cast.a.pk, target.pk, "propose"])
        ).status_code
        == 403
    )
    page = client.get(reverse("objectives:detail", args=[cast.a.pk, target.pk]))
    assert (
        page.status_code == 200
        and "Đề xuất" not in page.content.decode().split("objective-steps")[1][:400]
    )


def test_bad_input_says_why_and_changes_nothing(cast, login):
    client = login(cast.users["secretary"])
    url = reverse("objectives:new", args=[cast.a.pk]) + "?year=2026"
    page = client.post(
        url,
        {
            "statement": "X",
            "indicator": "Y",
            "unit_of_measure": "%",
            "direction": "ge",
            "target": "chín mươi",
            "period": "quarter",
            "source": "entered",
            "order": "0",
        },
    )
    assert page.status_code == 200
    assert "Nhập một số" in page.content.decode()
    page = client.post(
        url,
        {
            "unit": str(_office(cast).pk),
            "statement": "X",
            "indicator": "Y",
            "unit_of_measure": "%",
            "direction": "ge",
            "target": "90",
            "period": "quarter",
            "source": "entered",
            "order": "0",
        },
    )
    assert "mục tiêu chung của cơ quan" in page.content.decode().lower()
    assert not QualityObjective.objects.filter(agency=cast.a).exists()
    target = objective(cast.a, status=S.ISSUED, year=2025)
    measure = reverse("objectives:measure", args=[cast.a.pk, target.pk])
    client.post(measure, {"measure-period": "2099-Q1", "measure-value": "1"})
    client.post(measure, {"measure-period": "2025-Q1", "measure-value": "1e999"})
    assert not target.measurements.exists()
    assert client.get(measure).status_code == 405


def test_the_secretary_creates_and_a_result_is_recorded_with_evidence(cast, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(cast.users["secretary"])
    url = reverse("objectives:new", args=[cast.a.pk]) + "?year=2025"
    response = client.post(
        url,
        {
            "statement": "Hài lòng",
            "indicator": "Tỷ lệ hài lòng",
            "unit_of_measure": "%",
            "direction": "ge",
            "target": "90",
            "period": "half",
            "source": "entered",
            "order": "0",
        },
    )
    target = QualityObjective.objects.get(agency=cast.a, statement="Hài lòng")
    assert response.status_code == 302 and target.status == S.DRAFT
    target.status = S.ISSUED
    target.save()
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(
        reverse("objectives:measure", args=[cast.a.pk, target.pk]),
        {"measure-period": "2025-H1", "measure-value": "92,5", "measure-evidence": pdf},
    )
    result = target.measurements.get()
    assert (
        str(result.value) == "92.50" and result.achieved and result.evidence_name == "bao-cao.pdf"
    )
    page = client.get(reverse("objectives:detail", args=[cast.a.pk, target.pk]))
    assert "92,5" in page.content.decode() and "Đạt" in page.content.decode()
    assert (
        client.get(reverse("objectives:evidence", args=[cast.a.pk, result.pk])).status_code == 200
    )


def test_the_documents_download(cast, login):
    parent = objective(cast.a, status=S.ACCEPTED, statement="Giải quyết đúng hạn 100 %")
    objective(cast.a, unit=_office(cast), parent=parent, status=S.ACCEPTED)
    objective_set = services.year_set(cast.a, 2026)
    report = services.draft_report(cast.a, 2026)
    policy = services.draft_policy(cast.a, "Công khai, minh bạch")
    client = login(cast.users["staff"])
    a = cast.a.pk
    for url in [
        reverse("objectives:year_docx", args=[a, objective_set.pk]),
        reverse("objectives:report_docx", args=[a, report.pk]),
        reverse("objectives:policy_docx", args=[a, policy.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200 and response.content[:2] == b"PK"
    from qms.lib import officialdoc as od

    text = str(objective_set.official_document())
    assert "Giải quyết đúng hạn 100 %" in text and "Văn phòng Sở" in text
    assert od.build_docx(report.official_document())[:2] == b"PK"
    for name, pk in [("report", report.pk), ("policy_detail", policy.pk)]:
        assert client.get(reverse(f"objectives:{name}", args=[a, pk])).status_code == 200


def test_the_policy_page_drafts_a_version(cast, login):
    client = login(cast.users["secretary"])
    url = reverse("objectives:policy", args=[cast.a.pk])
    assert client.post(url, {"text": ""}).status_code == 200
    response = client.post(url, {"text": "Lấy sự hài lòng của người dân làm thước đo"})
    assert response.status_code == 302
    page = client.get(url)
    assert "Chưa ban hành chính sách chất lượng" in page.content.decode() or page.status_code == 200


def test_the_dashboard_shows_the_policy_in_force(cast, login):
    from django.core.cache import cache

    cache.clear()
    client = login(cast.users["staff"])
    url = reverse("organization:dashboard", args=[cast.a.pk])
    assert "Chưa ban hành chính sách chất lượng" in client.get(url).content.decode()
    from qms.paperwork import services as paperwork

    policy = services.draft_policy(cast.a, "Lấy người dân làm trung tâm")
    paperwork.save_draft(policy.paper, signer=cast.users["head"], signer_name="Head")
    paperwork.offer_for_signature(policy, cast.users["secretary"])
    paperwork.issue(policy.paper, number=4, issued_on=dt.date(2026, 1, 5), by=cast.users["head"])
    page = client.get(url).content.decode()
    assert "Lấy người dân làm trung tâm" in page and "04/QĐ-SXD" in page
