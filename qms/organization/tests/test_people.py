"""Units and people managed in the app by the ISO secretary and the administrator."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from qms.organization import services
from qms.organization.models import Membership, Role, Unit, User


def new_person(**overrides):
    data = {
        "username": "nguyen.van.moi",
        "full_name": "Nguyễn Văn Mới",
        "email": "moi@example.vn",
        "position": "Chuyên viên",
        "unit": "",
        "roles": ["staff", "internal_auditor"],
        "expires_on": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_it_creates_an_account_with_its_roles_and_no_password_anyone_knows(
    cast, login, django_capture_on_commit_callbacks
):
    client = login(cast.users["secretary"])
    url = reverse("organization:person_create", args=[cast.a.pk])
    assert "password" not in client.get(url).context["form"].fields
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**new_person(), "password": "Chac-Chan-2026!"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="nguyen.van.moi")
    assert membership.agency == cast.a
    assert sorted(membership.role_codes) == ["internal_auditor", "staff"]
    # no password was typed or kept: the person chooses one through the invitation
    assert not membership.user.has_usable_password()
    assert not membership.user.check_password("Chac-Chan-2026!")
    assert [m.to for m in mail.outbox] == [["moi@example.vn"]]


def test_it_sends_no_invitation_when_the_transaction_does_not_commit(cast, login):
    client = login(cast.users["secretary"])
    response = client.post(reverse("organization:person_create", args=[cast.a.pk]), new_person())
    assert response.status_code == 302
    # the test's transaction never commits: nothing has left
    assert mail.outbox == []


def test_it_refuses_a_taken_login_name_and_creates_nothing(cast, login):
    client = login(cast.users["secretary"])
    before = User.objects.count()
    response = client.post(
        reverse("organization:person_create", args=[cast.a.pk]), new_person(username="staff")
    )
    assert response.status_code == 200
    assert User.objects.count() == before
    assert response.context["form"].errors["username"]


def test_it_refuses_a_person_without_e_mail_and_an_expert_without_end_date(cast, login):
    client = login(cast.users["secretary"])
    response = client.post(
        reverse("organization:person_create", args=[cast.a.pk]),
        new_person(email="", roles=["invited_expert"]),
    )
    errors = response.context["form"].errors
    assert "email" in errors and "expires_on" in errors
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
    assert "Công chức, viên chức</span> → Trưởng đơn vị" in page


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


def edit_data(membership, **overrides):
    """The person-edit form as the browser posts it, unchanged unless overridden."""
    data = {
        "person-full_name": membership.user.full_name,
        "person-email": membership.user.email,
        "person-phone": membership.user.phone,
        "position": membership.position,
        "unit": membership.unit_id or "",
        "roles": membership.role_codes,
        "expires_on": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_it_does_not_let_the_secretary_grant_herself_a_role(cast, login):
    secretary = cast.users["secretary"]
    own = Membership.objects.get(user=secretary)
    client = login(secretary)
    url = reverse("organization:person_edit", args=[cast.a.pk, own.pk])
    form = client.get(url).context["form"]
    assert form.fields["roles"].disabled
    response = client.post(url, edit_data(own, roles=["iso_secretary", "head"]))
    assert response.status_code == 302  # her position may change; her roles stay
    assert own.role_codes == ["iso_secretary"]


def test_the_service_refuses_a_role_change_on_ones_own_membership(cast):
    secretary = cast.users["secretary"]
    own = Membership.objects.get(user=secretary)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.set_roles(own, [Role.ISO_SECRETARY, Role.HEAD], by=secretary)
    assert "chính mình" in refused.value.messages[0]
    assert own.role_codes == ["iso_secretary"]
    # removing one's own role is refused too
    with pytest.raises(ValidationError):
        services.set_roles(own, [], by=secretary)
    assert own.role_codes == ["iso_secretary"]


def test_the_administrator_cannot_add_his_own_account_to_an_agency(cast, login):
    client = login(cast.users["admin"])
    response = client.post(
        reverse("organization:person_attach", args=[cast.a.pk]),
        {"username": "admin", "roles": ["head"], "is_active": "on"},
    )
    assert response.status_code == 200 and "username" in response.context["form"].errors
    assert not Membership.objects.filter(user=cast.users["admin"]).exists()


def test_the_history_reads_a_role_change_old_to_new_in_one_step(cast, login):
    deputy = Membership.objects.get(user=cast.users["secretary"])
    other = User.objects.create_user("thuky2", full_name="Thư ký Hai")
    Membership.objects.create(user=other, agency=cast.a)
    services.set_roles(other.memberships.get(), [Role.ISO_SECRETARY])
    client = login(other)
    client.post(
        reverse("organization:person_edit", args=[cast.a.pk, deputy.pk]),
        edit_data(deputy, roles=["iso_secretary", "head"]),
    )
    assert sorted(deputy.role_codes) == ["head", "iso_secretary"]
    with translation.override("vi"):
        response = client.get(
            reverse("organization:history", args=[cast.a.pk, "membership", deputy.pk])
        )
    entries = response.context["page"].object_list
    latest = entries[0]
    assert latest.who == "Thư ký Hai"
    assert [(c.field, c.old, c.new) for c in latest.changes] == [
        ("Vai trò", "Thư ký ISO", "Người đứng đầu cơ quan (Thủ trưởng), Thư ký ISO")
    ]
    # saving the form without touching the membership's own fields adds no empty step
    assert all(entry.changes for entry in entries)
    assert "không có thay đổi hiển thị" not in response.content.decode()


def two_agency_person(cast):
    """The staff member of agency A who also works in A2, whose ISO secretary edits."""
    staff = cast.users["staff"]
    services.set_roles(
        Membership.objects.create(user=staff, agency=cast.a2, position="Chuyên viên"),
        [Role.STAFF],
    )
    secretary_a2 = User.objects.create_user("thuky.a2", full_name="Thư ký A2")
    services.set_roles(
        Membership.objects.create(user=secretary_a2, agency=cast.a2), [Role.ISO_SECRETARY]
    )
    return staff, secretary_a2


def test_an_agency_edits_only_its_membership_of_a_two_agency_person(cast, login):
    staff, secretary_a2 = two_agency_person(cast)
    staff.email = "staff@example.vn"
    staff.save()
    membership = Membership.objects.get(user=staff, agency=cast.a2)
    client = login(secretary_a2)
    url = reverse("organization:person_edit", args=[cast.a2.pk, membership.pk])
    page = client.get(url)
    assert page.context["person_form"] is None
    assert 'name="person-full_name"' not in page.content.decode()
    response = client.post(
        url,
        edit_data(
            membership,
            **{"person-full_name": "Tên Khác", "person-email": "attacker@example.vn"},
            position="Chuyên viên chính",
        ),
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    membership.refresh_from_db()
    assert (staff.full_name, staff.email) == ("Staff", "staff@example.vn")
    assert membership.position == "Chuyên viên chính"
    # and the first agency may not rename the person either now
    own_agency = Membership.objects.get(user=staff, agency=cast.a)
    form_a = login(cast.users["secretary"]).get(
        reverse("organization:person_edit", args=[cast.a.pk, own_agency.pk])
    )
    assert form_a.context["person_form"] is None


def test_the_service_refuses_to_rename_a_two_agency_person(cast):
    staff, _secretary = two_agency_person(cast)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.update_person(staff, agency=cast.a2, full_name="Tên Khác", phone="")
    assert "cơ quan khác" in refused.value.messages[0]
    staff.refresh_from_db()
    assert staff.full_name == "Staff"


def test_the_secretary_corrects_the_e_mail_only_until_the_invitation_is_accepted(cast, login):
    invited = User.objects.create(username="moi", full_name="Mới", email="sai@example.vn")
    invited.set_unusable_password()
    invited.save()
    services.set_roles(Membership.objects.create(user=invited, agency=cast.a), [Role.STAFF])
    client = login(cast.users["secretary"])
    membership = invited.memberships.get()
    url = reverse("organization:person_edit", args=[cast.a.pk, membership.pk])
    client.post(url, edit_data(membership, **{"person-email": "dung@example.vn"}))
    invited.refresh_from_db()
    assert invited.email == "dung@example.vn"
    # once the person has a password, the address is theirs: the field is gone
    staff = Membership.objects.get(user=cast.users["staff"])
    form = client.get(reverse("organization:person_edit", args=[cast.a.pk, staff.pk]))
    assert "email" not in form.context["person_form"].fields
    with pytest.raises(ValidationError):
        services.update_person(
            staff.user, agency=cast.a, full_name="Staff", phone="", email="x@example.vn"
        )


def invited_person(agency, email="moi@example.vn"):
    user = User.objects.create(username="moi", full_name="Nguyễn Văn Mới", email=email)
    user.set_unusable_password()
    user.save()
    membership = Membership.objects.create(user=user, agency=agency)
    services.set_roles(membership, [Role.STAFF])
    return membership


def test_the_secretary_sends_the_invitation_again(cast, login, django_capture_on_commit_callbacks):
    membership = invited_person(cast.a)
    client = login(cast.users["secretary"])
    page = client.get(reverse("organization:person_edit", args=[cast.a.pk, membership.pk]))
    assert 'id="resend-invitation"' in page.content.decode()
    url = reverse("organization:person_invite", args=[cast.a.pk, membership.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["moi@example.vn"]]


def test_it_sends_no_invitation_to_an_account_that_has_a_password(
    cast, login, django_capture_on_commit_callbacks
):
    staff = Membership.objects.get(user=cast.users["staff"])
    staff.user.email = "staff@example.vn"
    staff.user.save()
    client = login(cast.users["secretary"])
    url = reverse("organization:person_invite", args=[cast.a.pk, staff.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert mail.outbox == []
    assert "đã tự đặt mật khẩu" in response.content.decode()


def test_resending_an_invitation_is_refused_by_method_right_and_agency(cast, login):
    membership = invited_person(cast.a)
    url = reverse("organization:person_invite", args=[cast.a.pk, membership.pk])
    assert login(cast.users["secretary"]).get(url).status_code == 405
    assert login(cast.users["staff"]).post(url).status_code == 403
    assert login(cast.users["secretary_b"]).post(url).status_code == 404
    other = reverse("organization:person_invite", args=[cast.b.pk, membership.pk])
    assert login(cast.users["secretary_b"]).post(other).status_code == 404
    assert mail.outbox == []
