"""The one access helper: every view that shows or changes an agency's data asks it first.

`agency_access(user, agency_id)` returns what the user may do in that agency, or raises
Http404 when the agency is none of theirs (so a changed id in a URL reveals nothing).
Single objects are then fetched with `get_scoped(access, queryset, pk=…)`, which filters on
`agency` itself, never on a list of permitted ids (DESIGN.md §2). The matrix is in
docs/permissions.md; `PERMISSIONS` below is its only source.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Exists, Model, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from qms.organization.models import (
    Agency,
    CommitteeMember,
    Delegation,
    Membership,
    RoleGrant,
    User,
    current_membership_q,
    seat_held_q,
    today,
)
from qms.organization.models import Role as R

M = TypeVar("M", bound=Model)
# What request.user may be; anonymous visitors are refused like strangers.
AnyUser = User | AnonymousUser


class Action(StrEnum):
    VIEW = "view"  # read everything of the agency, including history
    MANAGE_PEOPLE = "manage_people"  # units, people, their positions and roles
    MANAGE_COMMITTEE = "manage_committee"  # draft committee decisions and their members
    ISSUE_DECISION = "issue_decision"  # record a decision as signed: number, date, signer
    MANAGE_PLAN = "manage_plan"  # draft the annual plan, its tasks and events; submit it
    APPROVE_PLAN = "approve_plan"  # send back or record the plan as approved and issued
    RECORD_PROGRESS = "record_progress"  # task status, progress notes, evidence
    MANAGE_DOCUMENTS = "manage_documents"  # register, draft revisions, files, distribution
    REVIEW_DOCUMENT = "review_document"  # soát xét a revision, or send it back
    APPROVE_DOCUMENT = "approve_document"  # phê duyệt and issue a revision, or withdraw it
    MANAGE_LEGAL = "manage_legal"  # the legal register, citations, flags
    REVIEW_LEGAL_BASIS = "review_legal_basis"  # record a unit's legal-basis review
    KEEP_REGISTER = "keep_register"  # the register of outgoing documents: signed copies
    DELEGATE_APPROVAL = "delegate_approval"  # the head's delegation (ủy quyền) of approval
    # On the Sở KH&CN's own agency (is_dost): the province's TTHC catalogue, kept once.
    MANAGE_CATALOGUE = "manage_catalogue"
    MANAGE_PROCEDURES = "manage_procedures"  # the TTHC handled, committed times, process steps
    IMPORT_RESULTS = "import_results"  # dossier results and satisfaction per period
    # Planning the quality (ISO 9001 4.1, 4.2, 5.2, 6.1, 6.2): the policy, the agency's
    # objectives and the compiling of units' proposals (across units); a head of unit
    # proposes and measures the objectives of their own unit.
    MANAGE_OBJECTIVES = "manage_objectives"
    MANAGE_CONTEXT = "manage_context"  # internal/external issues, interested parties
    MANAGE_RISKS = "manage_risks"  # the risk and opportunity register, treatments (by unit)
    # The management review (ISO 9001 9.3): the meeting, compiling its inputs, its outputs;
    # the minutes are signed by who issues decisions (ISSUE_DECISION).
    MANAGE_REVIEW = "manage_review"
    # Nonconformities and corrective action (ISO 9001 10.2): anyone who works in the agency
    # reports one; the ISO secretary and a head of unit (their unit's only) accept, analyse,
    # plan, follow and verify them; nobody verifies their own work.
    RAISE_NONCONFORMITY = "raise_nonconformity"
    MANAGE_CORRECTIVE = "manage_corrective"
    # Internal audit (ISO 9001 9.2): the year's programme, audits and their teams, question
    # banks, auditor qualifications. Recording findings and checklist answers is the ISO
    # secretary's, and on one audit also each member of its team whatever their role
    # (qms.audits.rights checks the team through this helper).
    MANAGE_AUDITS = "manage_audits"
    RECORD_FINDINGS = "record_findings"
    # Training and competence (ISO 9001 7.1.6, 7.2, 7.3): the ISO secretary keeps courses and
    # sessions, announces them and records attendance; the ISO secretary and a head of unit
    # nominate trainees (a head of unit: people of their own unit, by AgencyAccess.can_on).
    MANAGE_TRAINING = "manage_training"
    NOMINATE_TRAINEES = "nominate_trainees"


PERMISSIONS: dict[Action, frozenset[str]] = {
    Action.VIEW: frozenset(R.values),
    Action.MANAGE_PEOPLE: frozenset({R.ISO_SECRETARY}),
    Action.MANAGE_COMMITTEE: frozenset({R.ISO_SECRETARY, R.HEAD, R.DEPUTY_HEAD}),
    Action.ISSUE_DECISION: frozenset({R.ISO_SECRETARY, R.HEAD, R.DEPUTY_HEAD}),
    Action.MANAGE_PLAN: frozenset({R.ISO_SECRETARY}),
    Action.APPROVE_PLAN: frozenset({R.HEAD, R.DEPUTY_HEAD}),
    Action.RECORD_PROGRESS: frozenset(
        {R.ISO_SECRETARY, R.HEAD, R.DEPUTY_HEAD, R.UNIT_HEAD, R.STAFF}
    ),
    Action.MANAGE_DOCUMENTS: frozenset({R.ISO_SECRETARY, R.UNIT_HEAD}),
    Action.REVIEW_DOCUMENT: frozenset({R.ISO_SECRETARY, R.HEAD, R.DEPUTY_HEAD}),
    Action.APPROVE_DOCUMENT: frozenset({R.HEAD, R.DEPUTY_HEAD}),
    Action.MANAGE_LEGAL: frozenset({R.ISO_SECRETARY, R.UNIT_HEAD}),
    Action.REVIEW_LEGAL_BASIS: frozenset({R.ISO_SECRETARY, R.UNIT_HEAD, R.STAFF}),
    Action.KEEP_REGISTER: frozenset({R.REGISTRY_CLERK, R.ISO_SECRETARY, R.HEAD, R.DEPUTY_HEAD}),
    Action.DELEGATE_APPROVAL: frozenset({R.HEAD}),
    Action.MANAGE_CATALOGUE: frozenset({R.PROVINCE_OVERSEER, R.ISO_SECRETARY}),
    Action.MANAGE_PROCEDURES: frozenset({R.ISO_SECRETARY, R.UNIT_HEAD}),
    Action.IMPORT_RESULTS: frozenset({R.ISO_SECRETARY}),
    Action.MANAGE_OBJECTIVES: frozenset({R.ISO_SECRETARY, R.UNIT_HEAD}),
    Action.MANAGE_CONTEXT: frozenset({R.ISO_SECRETARY}),
    Action.MANAGE_RISKS: frozenset({R.ISO_SECRETARY, R.UNIT_HEAD}),
    Action.MANAGE_REVIEW: frozenset({R.ISO_SECRETARY}),
    # Every role that works in the agency; not the read-only ones (the province overseer, an
    # invited expert, the registry clerk who keeps the register and nothing else).
    Action.RAISE_NONCONFORMITY: frozenset(
        {R.HEAD, R.DEPUTY_HEAD, R.ISO_SECRETARY, R.UNIT_HEAD, R.STAFF, R.INTERNAL_AUDITOR}
    ),
    Action.MANAGE_CORRECTIVE: frozenset({R.ISO_SECRETARY, R.UNIT_HEAD}),
    Action.MANAGE_AUDITS: frozenset({R.ISO_SECRETARY}),
    Action.RECORD_FINDINGS: frozenset({R.ISO_SECRETARY}),
    Action.MANAGE_TRAINING: frozenset({R.ISO_SECRETARY}),
    Action.NOMINATE_TRAINEES: frozenset({R.ISO_SECRETARY, R.UNIT_HEAD}),
}
# What the head may delegate (Delegation.Right): while a delegation runs, its delegate holds
# these rights of the head as well as their own role's.
DELEGABLE = frozenset({Action.APPROVE_PLAN, Action.APPROVE_DOCUMENT, Action.ISSUE_DECISION})
# The system administrator keeps the organisation in order everywhere, but the QMS content
# of an agency (its committee, plans, …) is the agency's own.
ADMIN_ACTIONS = frozenset({Action.VIEW, Action.MANAGE_PEOPLE})
# Roles that act on every unit's records; every other role acts only on what its own unit
# owns or coordinates (`AgencyAccess.can_on`).
ACROSS_UNITS = frozenset({R.ISO_SECRETARY, R.HEAD, R.DEPUTY_HEAD})


class Via(StrEnum):
    MEMBER = "member"
    OVERSEER = "overseer"
    ADMIN = "admin"


@dataclass(frozen=True)
class AgencyAccess:
    user: User
    agency: Agency
    roles: frozenset[str]
    via: Via
    # Rights the head delegated to this user, running today (Delegation): read with the roles.
    delegated: frozenset[str] = frozenset()

    def can(self, action: Action) -> bool:
        if action == Action.VIEW:
            return True
        # A dissolved agency is history: readable, never changed.
        if self.agency.is_dissolved or self.via == Via.OVERSEER:
            return False
        if self.via == Via.ADMIN:
            return action in ADMIN_ACTIONS
        if self.roles & PERMISSIONS[action]:
            return True
        return action in DELEGABLE and action in self.delegated

    def delegation_for(self, action: Action) -> Delegation | None:
        """The running delegation that gives this user `action`, if any (one query, asked
        only to show it, e.g. “theo ủy quyền số … ngày …”)."""
        if action not in self.delegated:
            return None
        running = _delegations(self.user, self.agency).select_related("delegator")
        return next((d for d in running if action in d.rights), None)

    def require(self, action: Action) -> None:
        if self.can(action):
            return
        if self.agency.is_dissolved:
            raise PermissionDenied(_("This agency has been dissolved; its records are read-only."))
        raise PermissionDenied(_("You do not have the right to do this in this agency."))

    def can_on(
        self, action: Action, unit_ids: Iterable[int | None], *, committee: bool = False
    ) -> bool:
        """`action` on a record owned or coordinated by `unit_ids` (a document's owner unit,
        a task's lead and coordinating units). The ISO secretary and the leadership act on
        every unit's records, and so does a delegate with the head's delegated right; anyone
        else only on their own unit's, and on a record of the steering committee
        (`committee=True`) only while holding a seat on it."""
        if not self.can(action):
            return False
        if self.acts_across_units or not self.roles & PERMISSIONS[action]:
            return True  # across units, or a right held by delegation: the head's, everywhere
        if committee:
            return self.sits_on_committee
        return bool(self.unit_ids & {pk for pk in unit_ids if pk is not None})

    def require_on(
        self, action: Action, unit_ids: Iterable[int | None], *, committee: bool = False
    ) -> None:
        units = list(unit_ids)
        if self.can_on(action, units, committee=committee):
            return
        self.require(action)  # the agency-wide refusal first, with its own message
        raise PermissionDenied(
            _(
                "This belongs to another unit: only that unit, the ISO secretary and the "
                "leadership may change it."
            )
        )

    @property
    def acts_across_units(self) -> bool:
        return bool(self.roles & ACROSS_UNITS)

    @cached_property
    def unit_ids(self) -> frozenset[int]:
        """The unit of the user's current membership here: one query, remembered."""
        units = (
            Membership.objects.current()
            .filter(user=self.user, agency=self.agency, unit__isnull=False)
            .values_list("unit_id", flat=True)
        )
        return frozenset(units)

    @cached_property
    def sits_on_committee(self) -> bool:
        """Whether the user holds a seat on the steering committee today: one query."""
        seats = CommitteeMember.objects.filter(seat_held_q(today()), agency=self.agency)
        return seats.filter(user=self.user).exists()

    @property
    def is_overseer(self) -> bool:
        return self.via == Via.OVERSEER


def running_delegations(agency: Agency) -> QuerySet[Delegation]:
    """Delegations in `agency` running today whose delegator is still its head: the one rule
    for when a delegation gives its rights (to the delegate's access, and to whom work goes)."""
    head = RoleGrant.objects.filter(
        current_membership_q("membership__"),
        role=R.HEAD,
        membership__agency=agency,
        membership__user=OuterRef("delegator"),
    )
    return Delegation.objects.running_on(today()).filter(Exists(head), agency=agency)


def _delegations(user: User, agency: Agency) -> QuerySet[Delegation]:
    """Delegations to `user` in `agency` running today whose delegator is still its head."""
    return running_delegations(agency).filter(delegate=user)


def _grants(user: User, agency: Agency) -> list[tuple[int, str]]:
    """(agency id, role) of the user's current roles here and in DOST agencies of the same
    province, and (agency id, JSON list of rights) of the delegations running to the user
    here — in one query."""
    roles = (
        RoleGrant.objects.filter(current_membership_q("membership__"), membership__user=user)
        .filter(
            Q(membership__agency=agency)
            | Q(
                role=R.PROVINCE_OVERSEER,
                membership__agency__is_dost=True,
                membership__agency__province_id=agency.province_id,
            )
        )
        .values_list("membership__agency_id", "role")
        .order_by()
    )
    delegated = (
        _delegations(user, agency)
        .annotate(text=Cast("rights", output_field=CharField()))
        .values_list("agency_id", "text")
        .order_by()
    )
    return list(roles.union(delegated, all=True))


def _split(grants: list[tuple[int, str]], agency: Agency) -> tuple[frozenset[str], frozenset[str]]:
    """The roles here, and the rights delegated here (the rows holding a JSON list)."""
    roles, delegated = set(), set()
    for agency_id, value in grants:
        if agency_id != agency.pk:
            continue
        if value.startswith("["):
            delegated.update(json.loads(value))
        else:
            roles.add(value)
    return frozenset(roles), frozenset(delegated)


def access_for(user: AnyUser, agency: Agency) -> AgencyAccess:
    if not isinstance(user, User) or not user.is_active:
        raise Http404
    grants = _grants(user, agency)
    own, delegated = _split(grants, agency)
    if own:
        return AgencyAccess(user, agency, own, Via.MEMBER, delegated)
    if any(role == R.PROVINCE_OVERSEER for _agency_id, role in grants):
        return AgencyAccess(user, agency, frozenset(), Via.OVERSEER)
    if user.is_superuser:
        return AgencyAccess(user, agency, frozenset(), Via.ADMIN)
    raise Http404


def require_system_admin(user: AnyUser) -> User:
    """The system administrator (a superuser) keeps the provinces and agencies themselves;
    anyone else is refused."""
    if not isinstance(user, User) or not user.is_active or not user.is_superuser:
        raise PermissionDenied(_("Only the system administrator manages provinces and agencies."))
    return user


def agency_access(user: AnyUser, agency_id: int) -> AgencyAccess:
    """What `user` may do in agency `agency_id`; Http404 when it is none of theirs."""
    agency = get_object_or_404(Agency.objects.select_related("province", "successor"), pk=agency_id)
    return access_for(user, agency)


def get_scoped(access: AgencyAccess, queryset: QuerySet[M], **lookup: object) -> M:
    """One object of the agency, or Http404 — the object's own `agency` decides."""
    return get_object_or_404(queryset.filter(agency=access.agency), **lookup)


def overseen_province_ids(user: AnyUser) -> list[int]:
    """Provinces whose agencies the user reads as overseer; remembered on the user object,
    which lives for one request, because the header asks too."""
    if not isinstance(user, User):
        return []
    cached: list[int] | None = getattr(user, "_qms_overseen_provinces", None)
    if cached is None:
        cached = _overseen_province_ids(user)
        user._qms_overseen_provinces = cached  # type: ignore[attr-defined]
    return cached


def _overseen_province_ids(user: User) -> list[int]:
    return list(
        RoleGrant.objects.filter(
            current_membership_q("membership__"),
            membership__user=user,
            membership__agency__is_dost=True,
            role=R.PROVINCE_OVERSEER,
        )
        .order_by()
        .values_list("membership__agency__province_id", flat=True)
        .distinct()
    )
