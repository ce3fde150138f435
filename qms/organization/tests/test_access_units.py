"""The access helper's rights by unit: the user's unit is read once per access object."""

from qms.organization.access import Action, agency_access
from qms.organization.models import Unit


def test_the_users_unit_is_one_query_remembered(cast, django_assert_num_queries):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    other = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    access = agency_access(cast.users["unit_head"], cast.a.pk)
    with django_assert_num_queries(1):  # the current membership's unit
        assert access.can_on(Action.MANAGE_DOCUMENTS, [office.pk])
        assert not access.can_on(Action.MANAGE_DOCUMENTS, [other.pk])
        assert not access.can_on(Action.MANAGE_DOCUMENTS, [None])
        assert access.unit_ids == {office.pk}


def test_the_secretary_acts_across_units_without_a_query(cast, django_assert_num_queries):
    other = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    access = agency_access(cast.users["secretary"], cast.a.pk)
    with django_assert_num_queries(0):
        assert access.can_on(Action.MANAGE_DOCUMENTS, [other.pk])
        assert access.can_on(Action.MANAGE_DOCUMENTS, [])


def test_a_role_without_the_right_gets_nothing_on_its_own_unit(cast):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    access = agency_access(cast.users["staff"], cast.a.pk)
    assert not access.can_on(Action.MANAGE_DOCUMENTS, [office.pk])
    assert access.can_on(Action.RECORD_PROGRESS, [office.pk])
