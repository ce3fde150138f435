"""Who may do what on one audit, through the one access helper: managing audits is the ISO
secretary's (Action.MANAGE_AUDITS); recording findings and checklist answers is the ISO
secretary's and, on this audit only, each member of its team (Action.RECORD_FINDINGS)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from qms.organization.access import Action, AgencyAccess, Via


@dataclass(frozen=True)
class AuditActor:
    """The access seen through one audit's team (`team_ids`: the members' user ids)."""

    access: AgencyAccess
    team_ids: frozenset[int]

    @property
    def user(self) -> Any:
        return self.access.user

    @property
    def on_team(self) -> bool:
        return self.access.user.pk in self.team_ids

    def can(self, right: Any, /) -> bool:
        action = Action(right)
        if self.access.can(action):
            return True
        if action != Action.RECORD_FINDINGS or not self.on_team:
            return False
        # A team member records findings as a member of the agency, never as an overseer or
        # in a dissolved agency (whose records only read).
        return self.access.via == Via.MEMBER and not self.access.agency.is_dissolved

    def require(self, right: Any) -> None:
        if self.can(right):
            return
        self.access.require(Action(right))  # the agency-wide refusal first
        raise PermissionDenied(
            _("Only the ISO secretary and the members of this audit's team record its findings.")
        )
