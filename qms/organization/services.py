"""Writes that touch several rows: each runs in one transaction, so a failure changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.accounts import services as accounts
from qms.organization.models import (
    Agency,
    CommitteeDecision,
    CommitteeMember,
    Membership,
    RoleGrant,
    User,
)


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


MEMBERSHIP_FIELDS = frozenset({"position", "unit", "expires_on", "is_active"})


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
        CommitteeMember.objects.filter(
            agency=agency, decision__status=CommitteeDecision.Status.ISSUED, from_date__lte=day
        )
        .filter(Q(to_date__isnull=True) | Q(to_date__gte=day))
        .select_related("decision__agency")
        .order_by("order", "pk")
    )


def decision_in_force(agency: Agency, day: dt.date) -> CommitteeDecision | None:
    return (
        CommitteeDecision.objects.filter(
            agency=agency, status=CommitteeDecision.Status.ISSUED, effective_on__lte=day
        )
        .select_related("agency")
        .order_by("-effective_on", "-pk")
        .first()
    )


@transaction.atomic
def draft_reconstitution(agency: Agency, day: dt.date) -> CommitteeDecision:
    """A new draft that starts from the committee in force, so the secretary edits the
    changes only; grounds, duties and recipients are carried over from the last decision."""
    previous = decision_in_force(agency, day)
    draft = CommitteeDecision.objects.create(
        agency=agency,
        kind=(
            CommitteeDecision.Kind.RECONSTITUTION
            if previous
            else CommitteeDecision.Kind.ESTABLISHMENT
        ),
        grounds=previous.grounds if previous else default_grounds(agency),
        proposal=previous.proposal if previous else "",
        duties=previous.duties if previous else default_duties(),
        recipients=previous.recipients if previous else default_recipients(),
    )
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
def issue_decision(
    decision: CommitteeDecision,
    *,
    number: int,
    signed_on: dt.date,
    effective_on: dt.date,
    signer_name: str,
    signer_position: str,
    sign_mode: str,
) -> CommitteeDecision:
    """Record the signed decision: its members take their seats on the effective date and
    the seats of the decision it replaces end the day before."""
    decision = CommitteeDecision.objects.select_for_update().get(pk=decision.pk)
    if not decision.is_draft:
        raise ValidationError(_("This decision has already been issued."))
    if not decision.members.exists():
        raise ValidationError(_("A decision on the committee needs at least one member."))
    previous = decision_in_force(decision.agency, effective_on)
    later = CommitteeDecision.objects.filter(
        agency=decision.agency,
        status=CommitteeDecision.Status.ISSUED,
        effective_on__gt=effective_on,
    )
    if later.exists():
        raise ValidationError(
            _("A decision taking effect later than this one has already been issued.")
        )
    if CommitteeDecision.objects.filter(
        agency=decision.agency,
        status=CommitteeDecision.Status.ISSUED,
        number=number,
        signed_on__year=signed_on.year,
    ).exists():
        raise ValidationError(
            _("Decision number %(number)s of %(year)s is already used.")
            % {"number": number, "year": signed_on.year}
        )
    _end_seats(decision.agency, effective_on)
    decision.members.update(from_date=effective_on, to_date=None)
    decision.number, decision.signed_on, decision.effective_on = number, signed_on, effective_on
    decision.signer_name, decision.signer_position = signer_name, signer_position
    decision.sign_mode, decision.replaces = sign_mode, previous
    decision.status = CommitteeDecision.Status.ISSUED
    decision.save()
    return decision


def _end_seats(agency: Agency, effective_on: dt.date) -> None:
    """Seats still open end the day before the new composition takes effect. Saved one by
    one (not .update()) so each change is kept in the members' history."""
    open_seats = CommitteeMember.objects.filter(
        agency=agency, decision__status=CommitteeDecision.Status.ISSUED, to_date__isnull=True
    )
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


def default_duties() -> str:
    return "\n".join(
        [
            "Ban Chỉ đạo ISO có trách nhiệm chỉ đạo việc xây dựng, áp dụng, duy trì và cải tiến "
            "Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015",
            "Thành viên Ban Chỉ đạo thực hiện nhiệm vụ theo sự phân công của Trưởng ban",
            "Thư ký ISO giúp Ban Chỉ đạo theo dõi, tổng hợp, báo cáo tình hình thực hiện",
        ]
    )


def default_recipients() -> str:
    return "\n".join(["Như Điều 3", "Sở Khoa học và Công nghệ (để b/c)"])
