"""Provinces and agencies managed in the app by the system administrator (issue "Screens a
civil servant can use all day"): created, changed, dissolved on a date with a successor and
reopened, with Vietnamese messages; nobody else may; every change is in the history."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qms.organization.access import Action, access_for
from qms.organization.models import Agency, Province, today

ONE_DAY = dt.timedelta(days=1)


def _agency_data(province, **extra):
    return {
        "province": province.pk,
        "kind": Agency.Kind.SPECIALISED_DEPARTMENT,
        "name": "Sở Tài chính Tỉnh Một",
        "abbreviation": "STC",
        "parent_agency_name": "ỦY BAN NHÂN DÂN TỈNH MỘT",
        "place_name": "Tỉnh Một",
        "head_title": "Giám đốc",
        "deputy_title": "Phó Giám đốc",
        "committee_name": "Ban Chỉ đạo ISO",
        "committee_abbreviation": "BCĐISO",
        "valid_from": "",
    } | extra


def test_the_administrator_creates_a_province_and_an_agency(cast, login):
    admin = login(cast.users["admin"])
    response = admin.post(
        reverse("organization:province_create"), {"name": "Tỉnh Ba", "kind": "province"}
    )
    assert response.status_code == 302
    province = Province.objects.get(name="Tỉnh Ba")
    response = admin.post(reverse("organization:agency_create"), _agency_data(province))
    assert response.status_code == 302
    agency = Agency.objects.get(name="Sở Tài chính Tỉnh Một")
    assert agency.province == province
    assert agency.history.first().history_user == cast.users["admin"]
    page = admin.get(reverse("organization:agency_admin") + f"?province={province.pk}")
    assert "Sở Tài chính Tỉnh Một" in page.content.decode()


def test_the_administrator_finds_the_page_and_the_agency_form_speaks_of_an_agency(cast, login):
    admin = login(cast.users["admin"])
    home = admin.get(reverse("organization:province_home")).content.decode()
    assert reverse("organization:agency_admin") in home  # in the header, for the administrator
    form = admin.get(reverse("organization:agency_create")).content.decode()
    assert "Tên đầy đủ của cơ quan" in form and "Họ và tên" not in form
    staff_page = login(cast.users["secretary"]).get(
        reverse("organization:dashboard", args=[cast.a.pk])
    )
    assert reverse("organization:agency_admin") not in staff_page.content.decode()


def test_a_refused_agency_keeps_what_was_typed_and_names_the_field(cast, login):
    admin = login(cast.users["admin"])
    data = _agency_data(cast.a.province, name="", valid_from="31/12/9999")
    response = admin.post(reverse("organization:agency_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="STC"' in page  # kept
    assert "Trường này là bắt buộc" in page
    assert not Agency.objects.filter(abbreviation="STC").exists()


def test_an_agency_cannot_be_placed_under_its_own_child(cast, login):
    child = Agency.objects.create(
        province=cast.a.province,
        kind=Agency.Kind.SUB_DEPARTMENT,
        name="Chi cục Một",
        abbreviation="CC",
        place_name="Tỉnh Một",
        head_title="Chi cục trưởng",
        deputy_title="Phó Chi cục trưởng",
        parent=cast.a,
    )
    admin = login(cast.users["admin"])
    fields = _agency_data(cast.a.province, name=cast.a.name, abbreviation="SXD")
    response = admin.post(
        reverse("organization:agency_edit", args=[cast.a.pk]), fields | {"parent": child.pk}
    )
    assert response.status_code == 400
    assert "không thể đặt trực thuộc chính mình" in response.content.decode()
    cast.a.refresh_from_db()
    assert cast.a.parent is None


def test_dissolving_with_a_successor_makes_the_agency_read_only_and_reopening_undoes_it(
    cast, login
):
    admin = login(cast.users["admin"])
    url = reverse("organization:agency_dissolve", args=[cast.a.pk])
    assert admin.get(url).status_code == 200
    last_day = today() - ONE_DAY
    response = admin.post(
        url,
        {
            "valid_to": f"{last_day:%d/%m/%Y}",
            "successor": cast.a2.pk,
            "dissolution_note": "Nghị quyết số 12/NQ-HĐND",
        },
    )
    assert response.status_code == 302
    cast.a.refresh_from_db()
    assert cast.a.valid_to == last_day and cast.a.successor == cast.a2
    assert cast.a.is_dissolved
    assert not access_for(cast.users["secretary"], cast.a).can(Action.MANAGE_PLAN)
    listing = admin.get(reverse("organization:agency_admin")).content.decode()
    assert f"Đã giải thể ngày {last_day:%d/%m/%Y}" in listing

    assert admin.post(reverse("organization:agency_reopen", args=[cast.a.pk])).status_code == 302
    cast.a.refresh_from_db()
    assert cast.a.valid_to is None and cast.a.successor is None
    assert access_for(cast.users["secretary"], cast.a).can(Action.MANAGE_PLAN)
    # both steps are in the agency's history
    assert cast.a.history.count() >= 2


def test_a_successor_must_exist_and_be_another_agency_of_the_province(cast, login):
    admin = login(cast.users["admin"])
    url = reverse("organization:agency_dissolve", args=[cast.a.pk])
    day = f"{today():%d/%m/%Y}"
    for successor in (cast.a.pk, cast.b.pk):  # itself; another province's
        response = admin.post(url, {"valid_to": day, "successor": successor})
        assert response.status_code == 400
    cast.a.refresh_from_db()
    assert cast.a.valid_to is None


@pytest.mark.parametrize("who", ["head", "secretary", "overseer", "staff"])
def test_nobody_but_the_administrator_manages_agencies(cast, login, who):
    client = login(cast.users[who])
    pages = [
        reverse("organization:agency_admin"),
        reverse("organization:province_create"),
        reverse("organization:agency_create"),
        reverse("organization:agency_edit", args=[cast.a.pk]),
        reverse("organization:agency_dissolve", args=[cast.a.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 403
    assert (
        client.post(
            reverse("organization:agency_dissolve", args=[cast.a.pk]),
            {"valid_to": f"{today():%d/%m/%Y}"},
        ).status_code
        == 403
    )
    cast.a.refresh_from_db()
    assert cast.a.valid_to is None


def test_the_list_costs_the_same_whatever_the_number_of_agencies(cast, login):
    admin = login(cast.users["admin"])
    url = reverse("organization:agency_admin")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin.get(url).status_code == 200
        return len(queries)

    few = count()
    for n in range(60):
        Agency.objects.create(
            province=cast.a.province,
            kind=Agency.Kind.COMMUNE_COMMITTEE,
            name=f"UBND xã Số {n}",
            abbreviation="UBND",
            place_name="Tỉnh Một",
            head_title="Chủ tịch",
            deputy_title="Phó Chủ tịch",
            successor=cast.a,
        )
    assert count() == few
    page = admin.get(url).content.decode()
    assert page.count("UBND xã Số") == 50 - 5  # one page of 50 (the cast's five come first)
