"""The permission matrix, fed by every app (docs/permissions.md).

Each app lists the write screens it offers in `qms/<app>/tests/matrix_cases.py` as `CASES`, a
list of `Case`: the action it needs (a row of `PERMISSIONS`), whose record it changes (`Owner`)
and a builder that makes a fresh record and returns the request (method, url, data).
`qms/tests/test_permission_matrix.py` walks roles × cases × own unit / another unit and checks
every cell against `allowed` below, which restates the rules of docs/permissions.md from
`PERMISSIONS` and `ACROSS_UNITS` — a screen that forgets a check fails its cell.

This module names no app: the cases are found by module name in every installed `qms` app."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.apps import apps

from qms.organization.access import ACROSS_UNITS, PERMISSIONS, Action
from qms.organization.models import Agency, Unit


class Owner(StrEnum):
    AGENCY = "agency"  # an agency-wide record: the role alone decides
    UNIT = "unit"  # a unit's record: walked once owned by the user's unit, once by another
    ACROSS = "across"  # a record of no unit (led by the leadership, …): secretary, leadership
    COMMITTEE = "committee"  # the steering committee's: also whoever holds a seat on it


@dataclass
class World:
    """What a case builds on: the test cast, agency A, and the unit that owns the record —
    the office (the unit of the cast's head of unit and staff) or another unit of A."""

    cast: Any
    unit: Unit
    own: bool
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def agency(self) -> Agency:
        return self.cast.a

    @property
    def secretary(self) -> Any:
        return self.cast.users["secretary"]

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        """A shared record (an issued plan, …) made once per walk."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]


Request = tuple[str, str, dict[str, Any] | None]


@dataclass(frozen=True)
class Case:
    label: str
    action: Action
    build: Callable[[World], Request]
    owner: Owner = Owner.AGENCY


def allowed(roles: frozenset[str], case: Case, *, own_unit: bool, on_committee: bool) -> bool:
    """The cell of docs/permissions.md for a member holding `roles`."""
    if not roles & PERMISSIONS[case.action]:
        return False
    if roles & ACROSS_UNITS or case.owner == Owner.AGENCY:
        return True
    if case.owner == Owner.UNIT:
        return own_unit
    if case.owner == Owner.COMMITTEE:
        return on_committee
    return False


def all_cases() -> list[tuple[str, Case]]:
    """(app label, case) of every installed qms app that lists cases."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("qms."):
            continue
        name = f"{config.name}.tests.matrix_cases"
        if importlib.util.find_spec(f"{config.name}.tests") is None:
            continue
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        found += [(config.label, case) for case in module.CASES]
    return found
