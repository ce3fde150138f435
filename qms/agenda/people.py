"""Who work reaches inside an agency: people holding roles, the heads of units, the members
of the steering committee now. Apps call these to say whom they hand work to; the agenda
uses them for obligations owned by a body (`Group`). Each is one query."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet

from qms.agenda.models import LEADERSHIP_ROLES, Group
from qms.organization.access import PERMISSIONS, Action, running_delegations
from qms.organization.models import (
    Agency,
    CommitteeMember,
    Membership,
    Role,
    User,
    seat_held_q,
    today,
)


def _members(agency: Agency) -> QuerySet[Membership]:
    return (
        Membership.objects.current()
        .filter(agency=agency, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def with_roles(agency: Agency, roles: Iterable[str]) -> list[User]:
    """Current members of `agency` holding any of `roles`."""
    members = _members(agency).filter(role_grants__role__in=list(roles)).distinct()
    return [m.user for m in members]


def holding(agency: Agency, action: str) -> list[User]:
    """Current members of `agency` who may take `action` today: by a role that gives it, or
    by a delegation of the head running today (ủy quyền) — so work that needs the head's
    approval reaches the deputy the head delegated it to. Two queries."""
    holders = with_roles(agency, PERMISSIONS[Action(action)])
    delegates = [
        delegation.delegate
        for delegation in running_delegations(agency)
        .filter(Exists(_members(agency).filter(user=OuterRef("delegate"))))
        .select_related("delegate")
        if action in delegation.rights
    ]
    return list({user.pk: user for user in [*holders, *delegates]}.values())


def unit_heads(agency: Agency, unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """unit id → its heads; a unit without a head → all its members (somebody must act)."""
    wanted = set(unit_ids)
    heads: dict[int, list[User]] = defaultdict(list)
    members: dict[int, list[User]] = defaultdict(list)
    if not wanted:
        return {}
    rows = _members(agency).filter(unit_id__in=wanted).prefetch_related("role_grants")
    for m in rows:
        assert m.unit_id is not None
        members[m.unit_id].append(m.user)
        if Role.UNIT_HEAD in m.role_codes:
            heads[m.unit_id].append(m.user)
    return {unit_id: heads.get(unit_id) or members.get(unit_id, []) for unit_id in wanted}


def committee(agency: Agency, day: dt.date | None = None) -> list[User]:
    """The people with an account who sit on the steering committee now."""
    seats = (
        CommitteeMember.objects.filter(
            seat_held_q(day or today()), agency=agency, user__isnull=False
        )
        .filter(user__is_active=True)
        .select_related("user")
        .order_by("order", "pk")
    )
    return list({seat.user_id: seat.user for seat in seats if seat.user is not None}.values())


def committee_agencies(user: User, day: dt.date | None = None) -> set[int]:
    """The agencies on whose steering committee `user` sits now."""
    return set(
        CommitteeMember.objects.filter(seat_held_q(day or today()), user=user)
        .order_by()
        .values_list("agency_id", flat=True)
        .distinct()
    )


def of_group(agency: Agency, group: str) -> list[User]:
    """The members of a body: the leadership (head and deputies) or the committee now."""
    if group == Group.LEADERSHIP:
        return with_roles(agency, LEADERSHIP_ROLES)
    if group == Group.COMMITTEE:
        return committee(agency)
    raise ValueError(f"Unknown group {group!r}")
