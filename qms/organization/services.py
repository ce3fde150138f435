"""Writes that touch several rows: each runs in one transaction, so a failure changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.accounts import services as accounts
from qms.agenda import inbox
from qms.organization.models import (
    Agency,
    CommitteeDecision,
    CommitteeMember,
    Delegation,
    Membership,
    Role,
    RoleGrant,
    Unit,
    User,
    current_membership_q,
    seat_held_q,
)
from qms.organization.standards import standard
from qms.paperwork import services as paperwork
from qms.paperwork.kinds import SignForm


@transaction.atomic
def set_roles(membership: Membership, roles: Iterable[str], *, by: User | None = None) -> None:
    """Grant exactly `roles`. `by` is the person making the change (None: the system, e.g.
    demo data); nobody grants or removes a role on their own membership. The grants added
    and removed by one call carry one history date, so the membership's history shows the
    change as one step, old roles → new roles."""
    wanted = set(roles)
    current = {grant.role: grant for grant in membership.role_grants.all()}
    if wanted == current.keys():
        return
    if by is not None and membership.user_id == by.pk:
        raise ValidationError(
            _(
                "Nobody can grant or remove a role on their own membership: another ISO "
                "secretary or the system administrator must do it."
            )
        )
    stamp = timezone.now()
    for role, grant in current.items():
        if role not in wanted:
            grant._history_date = stamp  # type: ignore[attr-defined]
            grant.delete()
    for role in sorted(wanted - current.keys()):
        grant = RoleGrant(membership=membership, role=role)
        grant._history_date = stamp  # type: ignore[attr-defined]
        grant.save()
    inbox.rehand(membership.agency)  # who may approve, review or sign may have changed


@transaction.atomic
def create_person(
    *,
    agency: Agency,
    username: str,
    full_name: str,
    email: str,
    membership: Membership,
    roles: Iterable[str],
    by: User,
) -> User:
    """A new account with no password: the person receives an invitation by e-mail, after
    the transaction commits, and chooses their own password. Nobody else ever knows it."""
    user = User(username=username, full_name=full_name, email=email)
    user.set_unusable_password()
    user.save()
    membership.user = user
    membership.agency = agency
    membership.save()
    set_roles(membership, roles, by=by)
    accounts.send_invitation(user, agency=agency, by=by)
    return user


ISSUED = {"paper__status": "issued"}


def issued_decisions(agency: Agency) -> QuerySet[CommitteeDecision]:
    """Issued decisions with `in_force`: the date stated, else the signing date."""
    return CommitteeDecision.objects.filter(agency=agency, **ISSUED).annotate(
        in_force=Coalesce("effective_on", "paper__issued_on")
    )


@transaction.atomic
def add_membership(membership: Membership, roles: Iterable[str], *, by: User) -> None:
    """An existing account joins one more agency (the system administrator only)."""
    if membership.user_id == by.pk:
        raise ValidationError(_("Nobody can add their own account to an agency."))
    membership.save()
    set_roles(membership, roles, by=by)


@transaction.atomic
def update_membership(
    membership: Membership, *, changed: Iterable[str], roles: Iterable[str], by: User
) -> None:
    """Position, unit, access end, active flag (the fields named in `changed`) and roles of
    one person in one agency. Saved only when something changed, so the history holds no
    empty steps."""
    fields = [name for name in changed if name in MEMBERSHIP_FIELDS]
    if fields:
        membership.save(update_fields=fields)
    set_roles(membership, roles, by=by)
    if {"expires_on", "is_active"} & set(fields):
        inbox.rehand(membership.agency)  # someone left or came back: their waiting work follows


MEMBERSHIP_FIELDS = frozenset({"position", "unit", "expires_on", "is_active"})


@transaction.atomic
def save_person(
    membership: Membership,
    *,
    agency: Agency,
    details: Mapping[str, Any] | None,
    changed: Iterable[str],
    roles: Iterable[str],
    by: User,
) -> None:
    """One screen's changes to a person of `agency`, all or nothing: their name, phone and
    e-mail (`details`, None when unchanged; see `update_person`), then their membership
    (the form's membership, fields set, not yet saved; see `update_membership`)."""
    if details is not None:
        update_person(
            membership.user,
            agency=agency,
            full_name=details["full_name"],
            phone=details["phone"],
            email=details.get("email"),
        )
    update_membership(membership, changed=changed, roles=roles, by=by)


@transaction.atomic
def save_unit(unit: Unit) -> Unit:
    """A unit of the agency, new or changed (the form's unit, its agency and fields set, not
    yet saved); its history records who changed it."""
    unit.save()
    return unit


def belongs_elsewhere(user: User, agency: Agency) -> bool:
    """Whether the account is also (or was) a member of another agency: then no single
    agency may change the person's name, e-mail or password."""
    return Membership.objects.filter(user=user).exclude(agency=agency).exists()


def update_person(
    user: User, *, agency: Agency, full_name: str, phone: str, email: str | None = None
) -> None:
    """The ISO secretary corrects the name and phone of a person of her agency, and the
    e-mail address while the person has not yet accepted the invitation (afterwards the
    address is the person's own: changing it would let her take over the account through
    a password reset). Refused for an account that belongs to another agency too: that
    person changes their details on "Tài khoản của tôi"."""
    if belongs_elsewhere(user, agency):
        raise ValidationError(
            _(
                "This account also belongs to another agency: only its owner can change the "
                "name, e-mail address or password, on the “My account” page."
            )
        )
    fields = ["full_name", "phone"]
    if email is not None and email != user.email:
        if not accounts.is_invited(user):
            raise ValidationError(
                _(
                    "This person has already set a password: only they can change their "
                    "e-mail address, on the “My account” page."
                )
            )
        user.email = email
        fields.append("email")
    user.full_name, user.phone = full_name, phone
    user.save(update_fields=fields)


def members_on(agency: Agency, day: dt.date) -> QuerySet[CommitteeMember]:
    """Who sat on the steering committee on `day`."""
    return (
        CommitteeMember.objects.filter(seat_held_q(day), agency=agency)
        .select_related("decision__agency", "decision__paper__agency")
        .order_by("order", "pk")
    )


def decision_in_force(agency: Agency, day: dt.date) -> CommitteeDecision | None:
    return (
        issued_decisions(agency)
        .filter(in_force__lte=day)  # type: ignore[misc]  # annotated by issued_decisions
        .select_related("agency", "paper__agency")
        .order_by("-in_force", "-pk")
        .first()
    )


def decision_subject(agency: Agency, kind: str) -> str:
    verb = (
        "Về việc thành lập" if kind == CommitteeDecision.Kind.ESTABLISHMENT else "Về việc kiện toàn"
    )
    return (
        f"{verb} Ban Chỉ đạo xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý "
        f"chất lượng theo {standard(agency.standard).full_name} của {agency.name}"
    )


@transaction.atomic
def draft_reconstitution(agency: Agency, day: dt.date) -> CommitteeDecision:
    """A new draft that starts from the committee in force, so the secretary edits the
    changes only; grounds, duties, signer and recipients are carried over from the last
    decision. The draft names the decision it replaces, so the text printed for signing is
    the text issued."""
    previous = decision_in_force(agency, day)
    kind = (
        CommitteeDecision.Kind.RECONSTITUTION if previous else CommitteeDecision.Kind.ESTABLISHMENT
    )
    last = previous.paper if previous else None
    paper = paperwork.new_paper(
        agency,
        CommitteeDecision,
        subject=decision_subject(agency, kind),
        grounds=last.grounds if last else default_grounds(agency),
        proposal=last.proposal if last else "",
        recipients=last.recipients if last else default_recipients(),
        sign_form=last.sign_form if last else SignForm.OWN,
        signer=last.signer if last else None,
        signer_name=last.signer_name if last else "",
        signer_position=last.signer_position if last else agency.head_title,
    )
    draft = CommitteeDecision.objects.create(
        agency=agency,
        paper=paper,
        kind=kind,
        replaces=previous,
        duties=previous.duties if previous else default_duties(agency),
    )
    paperwork.link(paper, draft)
    for seat in members_on(agency, day):
        CommitteeMember.objects.create(
            agency=agency,
            decision=draft,
            user=seat.user,
            full_name=seat.full_name,
            position=seat.position,
            committee_role=seat.committee_role,
            duty=seat.duty,
            order=seat.order,
        )
    return draft


@transaction.atomic
def change_kind(decision: CommitteeDecision, kind: str) -> None:
    """Establishment or reconstitution: the subject line follows."""
    decision.kind = kind
    decision.save(update_fields=["kind"])
    paperwork.save_draft(decision.paper, subject=decision_subject(decision.agency, kind))


@transaction.atomic
def save_decision_draft(decision: CommitteeDecision, form: Any, formset: Any) -> None:
    """The draft's kind, effective date, duties and proposed members, from its valid forms;
    refused once the draft is put forward for signature."""
    locked = (
        CommitteeDecision.objects.select_related("paper").select_for_update().get(pk=decision.pk)
    )
    if not locked.is_editable:
        raise ValidationError(_("Only a draft not yet submitted for signature can be changed."))
    form.save()
    change_kind(decision, form.cleaned_data["kind"])
    for member in formset.save(commit=False):
        member.agency = decision.agency
        member.save()
    for member in formset.deleted_objects:
        member.delete()  # a draft's proposed seat is cited by nothing yet


def check_decision_issue(decision: CommitteeDecision, signed_on: dt.date) -> None:
    """Refuses to issue a decision without members, or taking effect before it is signed
    (paperwork checks number and dates)."""
    if not decision.members.exists():
        raise ValidationError(_("A decision on the committee needs at least one member."))
    if decision.effective_on is not None and decision.effective_on < signed_on:
        raise ValidationError(_("A decision cannot take effect before it is signed."))


@transaction.atomic
def seat_members(decision: CommitteeDecision) -> None:
    """Issuing seats the members on the effective date; the seats of the decision in force
    end the day before."""
    effective_on = decision.in_force_on
    assert effective_on is not None
    later = issued_decisions(decision.agency).filter(in_force__gt=effective_on)  # type: ignore[misc]
    later = later.exclude(pk=decision.pk)
    if later.exists():
        raise ValidationError(
            _("A decision taking effect later than this one has already been issued.")
        )
    _end_seats(decision.agency, effective_on, exclude=decision)
    decision.members.update(from_date=effective_on, to_date=None)


@transaction.atomic
def issue_decision(
    decision: CommitteeDecision, *, number: int, signed_on: dt.date, by: User | None = None
) -> CommitteeDecision:
    """Record the signed decision under its number (the register checks number and dates);
    its members take their seats on the effective date."""
    paperwork.issue(decision.paper, number=number, issued_on=signed_on, by=by)
    decision.refresh_from_db()
    return decision


def _end_seats(agency: Agency, effective_on: dt.date, exclude: CommitteeDecision) -> None:
    """Seats still open end the day before the new composition takes effect. Saved one by
    one (not .update()) so each change is kept in the members' history."""
    open_seats = CommitteeMember.objects.filter(
        agency=agency, decision__paper__status="issued", to_date__isnull=True
    ).exclude(decision=exclude)
    for seat in open_seats:
        seat.to_date = effective_on - dt.timedelta(days=1)
        seat.save(update_fields=["to_date"])


QD19_GROUND = (
    "Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ về việc áp dụng "
    "Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001 vào hoạt động của các "
    "cơ quan, tổ chức thuộc hệ thống hành chính nhà nước"
)
TT26_GROUND = (
    "Căn cứ Thông tư số 26/2014/TT-BKHCN ngày 10/10/2014 của Bộ Khoa học và Công nghệ quy định "
    "chi tiết thi hành Quyết định số 19/2014/QĐ-TTg"
)


def default_grounds(agency: Agency) -> str:
    return "\n".join([QD19_GROUND, TT26_GROUND])


def default_duties(agency: Agency) -> str:
    """The duties of a first committee, in the words of the standard the agency applies."""
    return "\n".join(
        [
            "Ban Chỉ đạo ISO có trách nhiệm chỉ đạo việc xây dựng, áp dụng, duy trì và cải tiến "
            f"Hệ thống quản lý chất lượng theo {standard(agency.standard).full_name}",
            "Thành viên Ban Chỉ đạo thực hiện nhiệm vụ theo sự phân công của Trưởng ban",
            "Thư ký ISO giúp Ban Chỉ đạo theo dõi, tổng hợp, báo cáo tình hình thực hiện",
        ]
    )


def default_recipients() -> str:
    return "\n".join(["Như Điều 3", "Sở Khoa học và Công nghệ (để b/c)"])


def _holds_head_role(user: User, agency: Agency) -> bool:
    return RoleGrant.objects.filter(
        current_membership_q("membership__"),
        membership__user=user,
        membership__agency=agency,
        role=Role.HEAD,
    ).exists()


@transaction.atomic
def delegate_approval(
    *,
    agency: Agency,
    delegator: User,
    delegate: User,
    rights: Iterable[str],
    starts_on: dt.date,
    ends_on: dt.date,
    number: str = "",
    signed_on: dt.date | None = None,
    note: str = "",
) -> Delegation:
    """The head delegates (ủy quyền) some approval rights to another current member of the
    agency for a period; kept with its history."""
    chosen = sorted(set(rights))
    if not chosen or not set(chosen) <= set(Delegation.Right.values):
        raise ValidationError(_("Choose at least one right to delegate."))
    if not _holds_head_role(delegator, agency):
        raise ValidationError(_("Only the head of the agency delegates approval."))
    if delegate.pk == delegator.pk:
        raise ValidationError(_("Approval is delegated to another person."))
    if not Membership.objects.current().filter(user=delegate, agency=agency).exists():
        raise ValidationError(_("Approval is delegated to a current member of the agency."))
    if ends_on < starts_on:
        raise ValidationError(_("The end date is before the start date."))
    if ends_on < timezone.localdate():
        raise ValidationError(_("The period is already over."))
    delegation = Delegation.objects.create(
        agency=agency,
        delegator=delegator,
        delegate=delegate,
        rights=chosen,
        starts_on=starts_on,
        ends_on=ends_on,
        number=number.strip(),
        signed_on=signed_on,
        note=note.strip(),
        created_by=delegator,
    )
    # Running from today: the approvals waiting now reach the delegate at once (a delegation
    # starting later is handed on by the worker on its first day: tasks.hand_on_delegations).
    inbox.rehand(agency)
    return delegation


@transaction.atomic
def end_delegation(delegation: Delegation, *, by: User) -> None:
    """End a delegation that has not run out yet, from now on; its history keeps both."""
    if delegation.ended_at is not None or delegation.ends_on < timezone.localdate():
        raise ValidationError(_("This delegation is already over."))
    if not _holds_head_role(by, delegation.agency):
        raise ValidationError(_("Only the head of the agency ends a delegation."))
    delegation.ended_at = timezone.now()
    delegation.ended_by = by
    delegation.save(update_fields=["ended_at", "ended_by"])
    inbox.rehand(delegation.agency)  # the delegate's waiting approvals go back


def open_delegations(agency: Agency) -> QuerySet[Delegation]:
    """Delegations running or still to come, for the people page."""
    return (
        Delegation.objects.filter(
            agency=agency, ended_at__isnull=True, ends_on__gte=timezone.localdate()
        )
        .select_related("delegator", "delegate")
        .order_by("starts_on", "pk")
    )
