"""“Tài khoản của tôi”: a person keeps their own name, e-mail and phone, the same in every
agency they belong to, and sees where they work."""

from django.core import mail
from django.urls import reverse

from qms.organization import services
from qms.organization.models import Membership, Role

URL = reverse("accounts:me")


def test_a_person_changes_their_own_details(cast, login):
    staff = cast.users["staff"]
    client = login(staff)
    response = client.post(
        URL, {"full_name": "Đỗ Thị Mai", "email": "mai@example.vn", "phone": "0912 345 678"}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.full_name, staff.email, staff.phone) == (
        "Đỗ Thị Mai",
        "mai@example.vn",
        "0912 345 678",
    )


def test_the_old_address_is_told_when_the_e_mail_changes(
    cast, login, django_capture_on_commit_callbacks
):
    staff = cast.users["staff"]
    staff.email = "cu@example.vn"
    staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        login(staff).post(URL, {"full_name": "Staff", "email": "moi@example.vn", "phone": ""})
    [message] = mail.outbox
    assert message.to == ["cu@example.vn"]
    assert "moi@example.vn" in message.body and "quản trị hệ thống" in message.body


def test_it_lists_every_agency_the_person_works_in(cast, login):
    staff = cast.users["staff"]
    services.set_roles(
        Membership.objects.create(user=staff, agency=cast.a2, position="Chuyên viên pháp chế"),
        [Role.STAFF],
    )
    page = login(staff).get(URL).content.decode()
    table = page[page.index('id="my-memberships"') :]
    assert cast.a.name in table and cast.a2.name in table and "Chuyên viên pháp chế" in table


def test_it_requires_a_name_and_a_valid_address(cast, login):
    response = login(cast.users["staff"]).post(
        URL, {"full_name": "", "email": "khong-hop-le", "phone": ""}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_name", "email"}


def test_it_is_for_signed_in_people_only_and_refuses_other_methods(cast, client, login):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert login(cast.users["staff"]).put(URL).status_code == 405
