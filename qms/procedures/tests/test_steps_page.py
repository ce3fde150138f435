"""Who reads and who changes a TTHC's steps: everyone of the agency reads them; the ISO
secretary and the head of the handling unit change them; another unit's head, staff and the
province's overseer do not; another agency's people do not even see them. Query counts do
not grow with the number of steps."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person
from qms.organization.models import Role, Unit
from qms.procedures import steps
from qms.procedures.tests.matrix_steps import handling_for, steps_post


def _office(cast):
    return Unit.objects.get(agency=cast.a, name="Văn phòng Sở")


def _url(handling, agency_id=None):
    return reverse("procedures:steps", args=[agency_id or handling.agency_id, handling.pk])


def _with_steps(handling, count):
    rows = [steps.StepRow(f"Bước {n}", "Phòng", Decimal("0.5")) for n in range(count)]
    steps.set_steps(handling, rows)
    return handling


def test_the_page_shows_the_tthc_its_times_and_steps(cast, login):
    handling = _with_steps(handling_for(cast.a, _office(cast)), 4)
    page = login(cast.users["staff"]).get(_url(handling)).content.decode()
    procedure = handling.procedure
    assert procedure.code in page
    assert procedure.name in page
    assert "15 ngày làm việc" in page  # statutory
    assert "10 ngày làm việc" in page  # committed
    assert "Bước 3" in page
    assert "13 ngày làm việc (86,7%)" in page  # 15 - 2, cut
    assert "hẹn trả ngày" in page
    assert 'name="steps-TOTAL_FORMS"' not in page  # staff read only
    assert reverse("procedures:steps_docx", args=[cast.a.pk, handling.pk]) in page


@pytest.mark.parametrize("who", ["secretary", "unit_head"])
def test_the_secretary_and_the_handling_units_head_change_the_steps(cast, login, who):
    handling = handling_for(cast.a, _office(cast))
    client = login(cast.users[who])
    assert 'name="steps-TOTAL_FORMS"' in client.get(_url(handling)).content.decode()
    _method, url, data = steps_post(handling)
    assert client.post(url, data).status_code == 302
    assert handling.steps.count() == 1


def test_the_head_of_another_unit_is_refused(cast, login):
    other = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    handling = handling_for(cast.a, other)
    client = login(cast.users["unit_head"])  # head of the office
    page = client.get(_url(handling)).content.decode()
    assert 'name="steps-TOTAL_FORMS"' not in page  # reads, no form
    _method, url, data = steps_post(handling)
    response = client.post(url, data)
    assert response.status_code == 403
    assert not handling.steps.exists()


@pytest.mark.parametrize("who", ["staff", "head", "auditor"])
def test_roles_without_the_right_read_and_are_refused_a_change(cast, login, who):
    handling = handling_for(cast.a, _office(cast))
    client = login(cast.users[who])
    assert client.get(_url(handling)).status_code == 200
    _method, url, data = steps_post(handling)
    assert client.post(url, data).status_code == 403
    assert not handling.steps.exists()


def test_the_overseer_reads_and_changes_nothing(cast, login):
    handling = _with_steps(handling_for(cast.a, _office(cast)), 2)
    client = login(cast.users["overseer"])
    page = client.get(_url(handling)).content.decode()
    assert "Bước 1" in page
    _method, url, data = steps_post(handling)
    assert client.post(url, data).status_code == 403
    assert handling.steps.count() == 2


def test_another_agency_sees_nothing(cast, login):
    handling = _with_steps(handling_for(cast.a, _office(cast)), 2)
    other = login(cast.users["secretary_b"])
    assert other.get(_url(handling)).status_code == 404
    _method, url, data = steps_post(handling)
    assert other.post(url, data).status_code == 404
    docx = reverse("procedures:steps_docx", args=[cast.a.pk, handling.pk])
    assert other.get(docx).status_code == 404
    # Nor through its own agency's address.
    assert other.get(_url(handling, agency_id=cast.b.pk)).status_code == 404
    assert handling.steps.count() == 2


def test_a_member_of_a_sister_agency_of_the_province_sees_nothing(cast, login):
    handling = handling_for(cast.a, _office(cast))
    stranger = make_person(cast.a2, "thuky_a2", [Role.ISO_SECRETARY])
    client = login(stranger)
    assert client.get(_url(handling)).status_code == 404
    assert client.get(_url(handling, agency_id=cast.a2.pk)).status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["secretary", "staff"])
def test_query_count_does_not_grow_with_the_steps(cast, login, who):
    client = login(cast.users[who])
    few = _with_steps(handling_for(cast.a, _office(cast), committed="40"), 2)
    many = _with_steps(handling_for(cast.a, _office(cast), committed="40"), 30)
    _queries(client, _url(few))  # the calendar is built once per process
    assert _queries(client, _url(few)) == _queries(client, _url(many))
    docx = reverse("procedures:steps_docx", args=[cast.a.pk, many.pk])
    few_docx = reverse("procedures:steps_docx", args=[cast.a.pk, few.pk])
    assert _queries(client, docx) == _queries(client, few_docx)
