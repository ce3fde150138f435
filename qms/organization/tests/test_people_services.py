"""The person screen's one write (`services.save_person`) and the unit's (`services.save_unit`):
all or nothing, and each change in the history with who made it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qms.organization import services
from qms.organization.models import Membership, Role, Unit
from qms.organization.tests.test_people import edit_data


def test_a_person_renamed_and_moved_on_one_screen_is_in_both_histories(cast, login):
    staff = cast.users["staff"]
    membership = Membership.objects.get(user=staff, agency=cast.a)
    secretary = cast.users["secretary"]
    response = login(secretary).post(
        reverse("organization:person_edit", args=[cast.a.pk, membership.pk]),
        edit_data(
            membership,
            **{"person-full_name": "Đỗ Thị Mai", "person-phone": "0912 345 678"},
            position="Phó Chánh Văn phòng",
        ),
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.full_name, staff.phone) == ("Đỗ Thị Mai", "0912 345 678")
    renamed = staff.history.latest()
    assert renamed.full_name == "Đỗ Thị Mai" and renamed.history_user_id == secretary.pk
    moved = membership.history.latest()
    assert moved.position == "Phó Chánh Văn phòng" and moved.history_user_id == secretary.pk


def test_a_refused_role_change_keeps_the_new_name_out_too(cast):
    """Nobody changes their own roles: the name typed on the same screen is not saved."""
    secretary = cast.users["secretary"]
    membership = Membership.objects.get(user=secretary, agency=cast.a)
    old_name, old_roles = secretary.full_name, sorted(membership.role_codes)
    membership.position = "Chánh Văn phòng"
    with pytest.raises(ValidationError):
        services.save_person(
            membership,
            agency=cast.a,
            details={"full_name": "Tên Mới", "phone": "", "email": secretary.email},
            changed=["position"],
            roles=[*old_roles, Role.HEAD],
            by=secretary,
        )
    secretary.refresh_from_db()
    membership.refresh_from_db()
    assert secretary.full_name == old_name
    assert membership.position != "Chánh Văn phòng"
    assert sorted(membership.role_codes) == old_roles


def test_a_unit_saved_through_the_service_records_who_renamed_it(cast, login):
    secretary = cast.users["secretary"]
    unit = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    response = login(secretary).post(
        reverse("organization:unit_edit", args=[cast.a.pk, unit.pk]),
        {"name": "Văn phòng", "kind": unit.kind, "order": unit.order, "is_active": "on"},
    )
    assert response.status_code == 302
    latest = unit.history.latest()
    assert latest.name == "Văn phòng" and latest.history_user_id == secretary.pk
    assert unit.history.count() == 2
