"""The register: adding a row with its first assessment, the list with its filters and
pagination, the heat map, the refusals by agency and by unit, constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qms.organization.models import Unit
from qms.risks.models import Risk, RiskAssessment
from qms.risks.tests import factories as f


def _url(cast, **query):
    from urllib.parse import urlencode

    return reverse("risks:register", args=[cast.a.pk]) + "?" + urlencode({"year": 2026, **query})


def test_it_adds_a_row_with_its_first_assessment(cast, login):
    client = login(cast.users["secretary"])
    office = f.office(cast.a)
    data = {
        "kind": "opportunity",
        "unit": office.pk,
        "description": "Dịch vụ công trực tuyến toàn trình",
        "consequence": "Giảm thời gian đi lại của người dân",
        "likelihood": "4",
        "impact": "5",
    }
    response = client.post(reverse("risks:new", args=[cast.a.pk, 2026]), data)
    risk = Risk.objects.get(agency=cast.a)
    assert response.status_code == 302 and response.url == risk.get_absolute_url()
    assert risk.level == 20 and risk.is_opportunity
    first = RiskAssessment.objects.get(risk=risk)
    assert (first.likelihood, first.impact, first.level) == (4, 5, 20)
    page = client.get(risk.get_absolute_url()).content.decode()
    assert "Khả năng thực hiện" in page and "Mức độ lợi ích" in page
    # An opportunity reads as good news: its own call, and a very high band in green.
    assert "Rất cao" in page and "Nên tận dụng" in page and "Cần có biện pháp xử lý" not in page
    assert 'text-bg-success">20 – Rất cao' in page


def test_it_refuses_a_score_off_the_scale(cast, login):
    client = login(cast.users["secretary"])
    data = {
        "kind": "risk",
        "unit": f.office(cast.a).pk,
        "description": "X",
        "likelihood": "6",
        "impact": "1",
    }
    response = client.post(reverse("risks:new", args=[cast.a.pk, 2026]), data)
    assert response.status_code == 200
    assert "không phải là một trong các lựa chọn" in response.content.decode()
    assert not Risk.objects.exists()


def test_it_filters_by_unit_kind_band_status_and_cell(cast, login):
    other = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    f.risk(cast.a, description="Rủi ro cao của văn phòng", likelihood=4, impact=4)
    f.risk(cast.a, unit=other, description="Rủi ro thấp của phòng", likelihood=1, impact=2)
    f.risk(cast.a, description="Cơ hội số hóa", kind="opportunity", likelihood=3, impact=3)
    client = login(cast.users["staff"])

    def shown(**query):
        page = client.get(_url(cast, **query)).content.decode()
        return [
            d
            for d in ("Rủi ro cao của văn phòng", "Rủi ro thấp của phòng", "Cơ hội số hóa")
            if d in page
        ]

    assert len(shown()) == 3
    assert shown(unit=other.pk) == ["Rủi ro thấp của phòng"]
    assert shown(kind="opportunity") == ["Cơ hội số hóa"]
    assert shown(band="high") == ["Rủi ro cao của văn phòng"]
    assert shown(band="low") == ["Rủi ro thấp của phòng"]
    assert shown(likelihood=3, impact=3) == ["Cơ hội số hóa"]
    assert len(shown(status="closed")) == 0
    # Nonsense filters are ignored, never an error.
    assert len(shown(unit="99999999999999999999", band="x", likelihood="abc")) == 3
    assert shown(year=2025) == []


def test_the_heat_map_counts_each_cell(cast, login):
    f.risk(cast.a, likelihood=4, impact=4)
    f.risk(cast.a, likelihood=4, impact=4)
    f.risk(cast.a, likelihood=1, impact=2)
    page = (
        login(cast.users["staff"])
        .get(reverse("risks:heat_map", args=[cast.a.pk]) + "?year=2026")
        .content.decode()
    )
    assert 'id="cell-4-4" data-score="16"' not in page  # attributes in order: class first
    assert 'data-score="16" data-count="2" id="cell-4-4"' in page
    assert 'data-score="2" data-count="1" id="cell-1-2"' in page
    assert "likelihood=4&amp;impact=4" in page


def test_the_heat_map_shows_one_kind_in_its_own_colours(cast, login):
    f.risk(cast.a, likelihood=4, impact=4)
    f.risk(cast.a, likelihood=5, impact=5, kind="opportunity", description="Cơ hội số hóa")
    client = login(cast.users["staff"])
    url = reverse("risks:heat_map", args=[cast.a.pk]) + "?year=2026"
    risks, chances = client.get(url).content.decode(), client.get(url + "&kind=opportunity")
    chances = chances.content.decode()
    # Risks by default: the opportunity is not counted among them, and very high is red.
    assert 'data-count="1" id="cell-4-4"' in risks and 'data-count="0" id="cell-5-5"' in risks
    assert 'text-bg-danger">Rất cao' in risks
    assert 'data-count="1" id="cell-5-5"' in chances and 'data-count="0" id="cell-4-4"' in chances
    assert 'text-bg-success">Rất cao' in chances and "bg-danger-subtle" not in chances


def _rows(agency, n, unit):
    for i in range(n):
        risk = f.risk(agency, unit=unit, description=f"Rủi ro {i}")
        f.treatment(risk)


@pytest.mark.parametrize("name", ["risks:register", "risks:heat_map"])
def test_list_pages_cost_the_same_whatever_the_rows(cast, login, name):
    client = login(cast.users["secretary"])
    url = reverse(name, args=[cast.a.pk]) + "?year=2026"
    _rows(cast.a, 2, f.office(cast.a))
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    other = Unit.objects.create(agency=cast.a, name="Phòng khác")
    _rows(cast.a, 30, other)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_detail_costs_the_same_whatever_the_treatments(cast, login):
    client = login(cast.users["secretary"])
    risk = f.risk(cast.a)
    f.treatment(risk)
    client.get(risk.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(risk.get_absolute_url())
    for _ in range(10):
        f.treatment(risk)
    with CaptureQueriesContext(connection) as many:
        assert client.get(risk.get_absolute_url()).status_code == 200
    assert len(many) == len(few)


def test_another_agency_sees_nothing_and_changes_nothing(cast, login):
    risk = f.risk(cast.a)
    client = login(cast.users["secretary_b"])
    assert client.get(reverse("risks:register", args=[cast.a.pk])).status_code == 404
    assert client.get(risk.get_absolute_url()).status_code == 404
    assert client.get(reverse("risks:context", args=[cast.a.pk])).status_code == 404
    url = reverse("risks:reassess", args=[cast.a.pk, risk.pk])
    assert client.post(url, {"likelihood": "1", "impact": "1", "note": "x"}).status_code == 404
    # Agency A's row through agency B's address: not found either.
    assert client.get(reverse("risks:detail", args=[cast.b.pk, risk.pk])).status_code == 404
    risk.refresh_from_db()
    assert risk.level == 12


def test_a_head_of_unit_changes_only_the_rows_of_their_unit(cast, login):
    other = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    theirs, not_theirs = f.risk(cast.a), f.risk(cast.a, unit=other)
    client = login(cast.users["unit_head"])
    data = {"likelihood": "1", "impact": "2", "note": "Đã bổ sung nhân lực"}
    assert (
        client.post(reverse("risks:reassess", args=[cast.a.pk, theirs.pk]), data).status_code == 302
    )
    assert (
        client.post(reverse("risks:reassess", args=[cast.a.pk, not_theirs.pk]), data).status_code
        == 403
    )
    page = client.get(not_theirs.get_absolute_url()).content.decode()
    assert 'id="reassess"' not in page
    theirs.refresh_from_db()
    not_theirs.refresh_from_db()
    assert (theirs.level, not_theirs.level) == (2, 12)


def test_a_reassessment_shows_before_and_after(cast, login):
    risk = f.risk(cast.a, likelihood=4, impact=5)
    client = login(cast.users["secretary"])
    client.post(
        reverse("risks:reassess", args=[cast.a.pk, risk.pk]),
        {"likelihood": "2", "impact": "3", "note": "Sau xử lý"},
    )
    page = client.get(risk.get_absolute_url()).content.decode()
    assert "Trước → sau khi xử lý" in page
    assert risk.assessments.count() == 2


def test_wrong_methods_are_refused(cast, login):
    client = login(cast.users["secretary"])
    risk = f.risk(cast.a)
    assert client.post(reverse("risks:register", args=[cast.a.pk])).status_code == 405
    assert client.get(reverse("risks:step", args=[cast.a.pk, risk.pk, "treat"])).status_code == 405
    assert client.get(reverse("risks:copy_year", args=[cast.a.pk, 2026])).status_code == 405
