"""The "Lịch sử thay đổi" page of a person: every change in Vietnamese (who by full name,
when as dd/mm/yyyy HH:MM, what, each field old → new as users read it), the person's name,
e-mail, unit and roles included; a way back to the person; a fixed number of queries."""

import datetime as dt
import re

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from qms.organization.models import Membership, RoleGrant, Unit, User
from qms.organization.tests.test_people import edit_data, new_person

ENGLISH = ("Created", "Changed", "Deleted", "System", "Back to", ">Yes<", ">No<", "Roles")


def history_url(agency, kind, pk):
    return reverse("organization:history", args=[agency.pk, kind, pk])


def read(client, url):
    with translation.override("vi"):
        response = client.get(url)
    assert response.status_code == 200
    return response


def changes(entry):
    return [(c.field, c.old, c.new) for c in entry.changes]


def test_a_persons_history_shows_name_email_unit_and_roles_changed_in_one_step(cast, login):
    staff = Membership.objects.select_related("user").get(user=cast.users["staff"])
    division = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    client = login(cast.users["secretary"])
    response = client.post(
        reverse("organization:person_edit", args=[cast.a.pk, staff.pk]),
        edit_data(
            staff,
            **{"person-full_name": "Đỗ Thị Mai", "person-phone": "0225 3836 123"},
            unit=division.pk,
            roles=["unit_head"],
        ),
    )
    assert response.status_code == 302

    response = read(client, history_url(cast.a, "membership", staff.pk))
    latest = response.context["page"].object_list[0]
    assert (latest.who, latest.kind) == ("Secretary", "Sửa")
    assert sorted(changes(latest)) == [
        ("Vai trò", "Công chức, viên chức", "Trưởng đơn vị"),
        ("họ và tên", "Staff", "Đỗ Thị Mai"),
        ("số điện thoại", "—", "0225 3836 123"),
        ("đơn vị", "Văn phòng Sở", "Phòng Quản lý xây dựng"),
    ]
    page = response.content.decode()
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}</td>", page)
    assert "Lịch sử thay đổi: Đỗ Thị Mai" in page
    assert "Sở Khoa học" not in page  # nothing of another agency
    assert not [word for word in ENGLISH if word in page]


def test_the_step_that_added_a_person_reads_their_account_and_roles(cast, login):
    client = login(cast.users["secretary"])
    client.post(reverse("organization:person_create", args=[cast.a.pk]), new_person())
    membership = Membership.objects.select_related("user").get(user__username="nguyen.van.moi")
    url = history_url(cast.a, "membership", membership.pk)
    (created,) = read(client, url).context["page"]
    assert (created.who, created.kind, created.created) == ("Secretary", "Tạo mới", True)
    assert [(c.field, c.new) for c in created.changes] == [
        ("họ và tên", "Nguyễn Văn Mới"),
        ("địa chỉ email", "moi@example.vn"),
        ("chức vụ", "Chuyên viên"),
        ("đang hoạt động", "Có"),
        ("Vai trò", "Công chức, viên chức, Chuyên gia đánh giá nội bộ"),
    ]
    # the invitation is not accepted yet: the address may be corrected, and reads old → new
    age_history()
    edit = reverse("organization:person_edit", args=[cast.a.pk, membership.pk])
    client.post(edit, edit_data(membership, **{"person-email": "nguyen.van.moi@sxd.gov.vn"}))
    latest = read(client, url).context["page"][0]
    assert (latest.who, latest.kind) == ("Secretary", "Sửa")
    assert changes(latest) == [("địa chỉ email", "moi@example.vn", "nguyen.van.moi@sxd.gov.vn")]


def age_history():
    """Every step recorded so far an hour older, so the next is a step of its own (steps of
    one person within seconds read as one)."""
    for model in (Membership, RoleGrant, User):
        model.history.update(history_date=F("history_date") - dt.timedelta(hours=1))


def test_a_role_removed_and_an_account_switched_off_read_old_to_new(cast, login):
    age_history()  # the cast was written a moment ago
    auditor = Membership.objects.select_related("user").get(user=cast.users["auditor"])
    client = login(cast.users["secretary"])
    edit = reverse("organization:person_edit", args=[cast.a.pk, auditor.pk])
    client.post(edit, edit_data(auditor, roles=["internal_auditor", "staff"]))
    age_history()
    client.post(edit, edit_data(auditor, roles=["staff"]))
    age_history()
    account = cast.users["auditor"]
    account.is_active = False
    account.save()  # outside a request: the system did it
    entries = read(login(cast.users["head"]), history_url(cast.a, "membership", auditor.pk))
    entries = entries.context["page"].object_list
    assert (entries[0].who, entries[0].kind) == ("Hệ thống", "Sửa")
    assert changes(entries[0]) == [("tài khoản được đăng nhập", "Có", "Không")]
    assert entries[1].who == "Secretary"
    assert changes(entries[1]) == [
        ("Vai trò", "Công chức, viên chức, Chuyên gia đánh giá nội bộ", "Công chức, viên chức")
    ]
    assert changes(entries[2]) == [
        (
            "Vai trò",
            "Chuyên gia đánh giá nội bộ",
            "Công chức, viên chức, Chuyên gia đánh giá nội bộ",
        )
    ]
    assert entries[3].kind == "Tạo mới"


def test_logins_and_password_changes_add_no_step(cast, login):
    staff = cast.users["staff"]
    membership = Membership.objects.get(user=staff)
    client = login(cast.users["secretary"])
    before = len(read(client, history_url(cast.a, "membership", membership.pk)).context["page"])
    staff.set_password("Mật-khẩu-mới-2026")
    staff.save()
    client.force_login(staff)  # writes last_login
    client = login(cast.users["secretary"])
    after = read(client, history_url(cast.a, "membership", membership.pk)).context["page"]
    assert len(after) == before


def test_the_way_back_leads_to_the_person_or_for_others_to_the_people(cast, login):
    staff = Membership.objects.get(user=cast.users["staff"])
    url = history_url(cast.a, "membership", staff.pk)
    page = read(login(cast.users["secretary"]), url).content.decode()
    person = reverse("organization:person_edit", args=[cast.a.pk, staff.pk])
    assert f'href="{person}">&larr; Quay lại thông tin cán bộ</a>' in page
    page = read(login(cast.users["auditor"]), url).content.decode()
    people = reverse("organization:person_list", args=[cast.a.pk])
    assert f'href="{people}">&larr; Quay lại danh sách cán bộ</a>' in page


def test_the_person_page_links_to_the_history(cast, login):
    staff = Membership.objects.get(user=cast.users["staff"])
    page = read(
        login(cast.users["secretary"]),
        reverse("organization:person_edit", args=[cast.a.pk, staff.pk]),
    ).content.decode()
    assert history_url(cast.a, "membership", staff.pk) in page


def test_the_history_page_refuses_post_and_unknown_kinds(cast, login):
    staff = Membership.objects.get(user=cast.users["staff"])
    client = login(cast.users["secretary"])
    assert client.post(history_url(cast.a, "membership", staff.pk)).status_code == 405
    assert client.get(history_url(cast.a, "nonsense", staff.pk)).status_code == 404


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        read(client, url)
    return len(ctx.captured_queries)


def test_a_persons_history_reads_a_fixed_number_of_queries(cast, login):
    staff = Membership.objects.select_related("user").get(user=cast.users["staff"])
    client = login(cast.users["secretary"])
    url = history_url(cast.a, "membership", staff.pk)
    client.get(url)  # a first visit may remember the current agency in the session
    few = count(client, url)
    # 4 common + 2 header + the membership + its history + the units it named + the role
    # grants' history + the account's history
    assert few == 11
    edit = reverse("organization:person_edit", args=[cast.a.pk, staff.pk])
    for i in range(30):
        unit = Unit.objects.create(agency=cast.a, name=f"Phòng {i}")
        client.post(
            edit,
            edit_data(
                staff,
                **{"person-full_name": f"Người {i}", "person-phone": f"0900 000 {i:03d}"},
                unit=unit.pk,
                position=f"Chức vụ {i}",
                roles=["unit_head"] if i % 2 else ["staff"],
            ),
        )
        staff.refresh_from_db()
    assert len(read(client, url).context["page"].paginator.object_list) > 30
    assert count(client, url) == few
