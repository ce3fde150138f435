"""Units and people managed in the app by the ISO secretary and the administrator."""

from django.urls import reverse

from qms.organization.models import Membership, Role, Unit, User


def new_person(**overrides):
    data = {
        "username": "nguyen.van.moi",
        "full_name": "Nguyễn Văn Mới",
        "email": "moi@example.vn",
        "password": "Chac-Chan-2026!",
        "position": "Chuyên viên",
        "unit": "",
        "roles": ["staff", "internal_auditor"],
        "expires_on": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_it_creates_an_account_with_its_roles_in_the_agency(cast, login):
    client = login(cast.users["secretary"])
    response = client.post(reverse("organization:person_create", args=[cast.a.pk]), new_person())
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="nguyen.van.moi")
    assert membership.agency == cast.a
    assert sorted(membership.role_codes) == ["internal_auditor", "staff"]
    assert membership.user.check_password("Chac-Chan-2026!")


def test_it_refuses_a_taken_login_name_and_creates_nothing(cast, login):
    client = login(cast.users["secretary"])
    before = User.objects.count()
    response = client.post(
        reverse("organization:person_create", args=[cast.a.pk]), new_person(username="staff")
    )
    assert response.status_code == 200
    assert User.objects.count() == before
    assert response.context["form"].errors["username"]


def test_it_refuses_a_weak_password_and_an_expert_without_end_date(cast, login):
    client = login(cast.users["secretary"])
    response = client.post(
        reverse("organization:person_create", args=[cast.a.pk]),
        new_person(password="123", roles=["invited_expert"]),
    )
    errors = response.context["form"].errors
    assert "password" in errors and "expires_on" in errors
    assert not User.objects.filter(username="nguyen.van.moi").exists()


def test_it_refuses_a_unit_of_another_agency(cast, login):
    unit_b = Unit.objects.get(agency=cast.b)
    client = login(cast.users["secretary"])
    response = client.post(
        reverse("organization:person_create", args=[cast.a.pk]), new_person(unit=unit_b.pk)
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not User.objects.filter(username="nguyen.van.moi").exists()


def test_it_does_not_let_a_secretary_grant_province_oversight(cast, login):
    client = login(cast.users["secretary"])
    response = client.post(
        reverse("organization:person_create", args=[cast.a.pk]),
        new_person(roles=["province_overseer"]),
    )
    assert response.status_code == 200 and "roles" in response.context["form"].errors


def test_it_keeps_roles_the_editor_may_not_grant(cast, login):
    overseer = Membership.objects.get(user=cast.users["overseer"])
    Membership.objects.filter(pk=overseer.pk)
    from qms.organization.services import set_roles

    secretary = User.objects.create_user("dost_secretary", password="x", full_name="Thư ký Sở")
    m = Membership.objects.create(user=secretary, agency=cast.dost1)
    set_roles(m, [Role.ISO_SECRETARY])
    client = login(secretary)
    response = client.post(
        reverse("organization:person_edit", args=[cast.dost1.pk, overseer.pk]),
        {
            "person-full_name": "Overseer",
            "person-email": "",
            "person-phone": "",
            "position": "Chuyên viên",
            "unit": "",
            "roles": ["staff"],
            "expires_on": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert sorted(overseer.role_codes) == ["province_overseer", "staff"]


def test_it_changes_position_and_roles_and_keeps_the_history(cast, login):
    membership = Membership.objects.get(user=cast.users["staff"])
    client = login(cast.users["secretary"])
    response = client.post(
        reverse("organization:person_edit", args=[cast.a.pk, membership.pk]),
        {
            "person-full_name": "Đỗ Thị Mai",
            "person-email": "",
            "person-phone": "",
            "position": "Phó Chánh Văn phòng",
            "unit": "",
            "roles": ["unit_head"],
            "expires_on": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.position == "Phó Chánh Văn phòng"
    assert membership.role_codes == ["unit_head"]
    page = client.get(
        reverse("organization:history", args=[cast.a.pk, "membership", membership.pk])
    ).content.decode()
    assert "Phó Chánh Văn phòng" in page and "Chuyên viên" in page


def test_it_paginates_and_filters_people_by_unit(cast, login):
    office = Unit.objects.get(agency=cast.a)
    client = login(cast.users["staff"])
    url = reverse("organization:person_list", args=[cast.a.pk])
    page = client.get(url, {"unit": office.pk}).context["page"]
    assert {m.unit_id for m in page} == {office.pk}
    assert client.get(url, {"page": "999", "unit": "x"}).status_code == 200


def test_it_creates_and_renames_a_unit(cast, login):
    client = login(cast.users["secretary"])
    response = client.post(
        reverse("organization:unit_create", args=[cast.a.pk]),
        {"name": "Phòng Quản lý xây dựng", "kind": "division", "order": 2, "is_active": "on"},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(agency=cast.a, name="Phòng Quản lý xây dựng")
    client.post(
        reverse("organization:unit_edit", args=[cast.a.pk, unit.pk]),
        {
            "name": "Phòng Quản lý hoạt động xây dựng",
            "kind": "division",
            "order": 2,
            "is_active": "on",
        },
    )
    unit.refresh_from_db()
    assert unit.name == "Phòng Quản lý hoạt động xây dựng"
    assert unit.history.count() == 2


def test_it_refuses_a_duplicate_unit_name_in_the_agency(cast, login):
    client = login(cast.users["secretary"])
    response = client.post(
        reverse("organization:unit_create", args=[cast.a.pk]),
        {"name": "văn phòng sở", "kind": "office", "order": 1, "is_active": "on"},
    )
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert Unit.objects.filter(agency=cast.a).count() == 1


def test_it_refuses_a_unit_nested_in_itself_or_in_another_agency(cast, login):
    office = Unit.objects.get(agency=cast.a)
    child = Unit.objects.create(agency=cast.a, name="Bộ phận Một cửa", parent=office)
    unit_b = Unit.objects.get(agency=cast.b)
    client = login(cast.users["secretary"])
    url = reverse("organization:unit_edit", args=[cast.a.pk, office.pk])
    base = {"name": "Văn phòng Sở", "kind": "office", "order": 1, "is_active": "on"}
    for parent in (child.pk, unit_b.pk):
        response = client.post(url, {**base, "parent": parent})
        assert response.status_code == 200 and "parent" in response.context["form"].errors
    office.refresh_from_db()
    assert office.parent is None


def test_it_lets_the_administrator_add_an_existing_account_to_a_second_agency(cast, login):
    client = login(cast.users["admin"])
    url = reverse("organization:person_attach", args=[cast.a2.pk])
    response = client.post(
        url,
        {
            "username": "secretary",
            "position": "Chuyên viên",
            "roles": ["iso_secretary"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=cast.users["secretary"]).count() == 2
    # the same person now switches between the two agencies in the header
    page = (
        login(cast.users["secretary"])
        .get(reverse("organization:dashboard", args=[cast.a.pk]))
        .content.decode()
    )
    assert cast.a2.name in page and 'name="agency"' in page


def test_it_refuses_adding_an_unknown_or_already_present_account(cast, login):
    client = login(cast.users["admin"])
    url = reverse("organization:person_attach", args=[cast.a.pk])
    for username in ("khong.ton.tai", "staff"):
        response = client.post(url, {"username": username, "roles": ["staff"], "is_active": "on"})
        assert response.status_code == 200 and "username" in response.context["form"].errors


def test_it_keeps_adding_existing_accounts_to_the_administrator(cast, login):
    client = login(cast.users["secretary"])
    response = client.get(reverse("organization:person_attach", args=[cast.a.pk]))
    assert response.status_code == 403
