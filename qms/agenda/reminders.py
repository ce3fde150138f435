"""The daily reminder scan: a number of days before each open obligation falls due (per
agency, default 10, 3 and 1) and once when it is overdue, an in-app notification and an
e-mail go to its owner (a person, a unit's heads, or the members of the owning body: the
leadership or the steering committee) and to the agency's ISO secretaries — the e-mail
only to those who did not choose "never" in their notification settings.

"Never twice" rests on the unique Reminder (obligation, step, due date): the row is written
first, in the same transaction as the notifications, and a second worker that races for the
same step fails on the constraint and sends nothing. E-mails go after the commit.

Queries: a fixed few per scan (settings, candidates, reminders already sent, recipients)
plus a few per reminder sent — never per recipient."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qms.agenda.models import (
    DEFAULT_REMINDER_DAYS,
    LEADERSHIP_ROLES,
    AgendaSettings,
    EmailChoice,
    Group,
    Notification,
    Obligation,
    Reminder,
    parse_days,
)
from qms.organization.models import CommitteeMember, Membership, Role, User

logger = logging.getLogger(__name__)
DEFAULT_DAYS = parse_days(DEFAULT_REMINDER_DAYS)


def _steps_by_agency() -> dict[int, list[int]]:
    steps: dict[int, list[int]] = {}
    for agency_id, text in AgendaSettings.objects.values_list("agency_id", "reminder_days"):
        try:
            steps[agency_id] = parse_days(text)
        except ValueError:
            logger.warning("Agency %s: bad reminder days %r, using defaults", agency_id, text)
    return steps


def _candidates(day: dt.date, all_steps: set[int]) -> list[Obligation]:
    """Open obligations of agencies not dissolved, due on a reminder day or overdue and not
    yet reminded as overdue for this due date."""
    overdue_sent = Reminder.objects.filter(
        obligation=OuterRef("pk"), step=Reminder.OVERDUE, due_date=OuterRef("due_date")
    )
    due_dates = [day + dt.timedelta(days=step) for step in sorted(all_steps)]
    return list(
        Obligation.objects.open()
        .filter(Q(agency__valid_to__isnull=True) | Q(agency__valid_to__gte=day))
        .filter(Q(due_date__in=due_dates) | Q(due_date__lt=day))
        .exclude(Q(due_date__lt=day) & Exists(overdue_sent))
        .select_related("agency", "owner_person", "owner_unit")
        .order_by("due_date", "pk")
    )


def _step(obligation: Obligation, day: dt.date, steps: list[int]) -> int | None:
    assert obligation.due_date is not None
    if obligation.due_date < day:
        return Reminder.OVERDUE
    days = (obligation.due_date - day).days
    return days if days in steps else None


@dataclass
class Recipients:
    """Who hears of an obligation, loaded once per scan for every agency and unit."""

    secretaries: dict[int, list[User]] = field(default_factory=lambda: defaultdict(list))
    unit_heads: dict[int, list[User]] = field(default_factory=lambda: defaultdict(list))
    unit_members: dict[int, list[User]] = field(default_factory=lambda: defaultdict(list))
    members: dict[tuple[int, int], User] = field(default_factory=dict)
    groups: dict[tuple[int, str], list[User]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls, obligations: list[Obligation], day: dt.date) -> Recipients:
        """3 queries: current memberships (with user and e-mail choice), their roles, and
        the committee seats held today when a committee owns an obligation."""
        result = cls()
        agency_ids = {o.agency_id for o in obligations}
        unit_ids = {o.owner_unit_id for o in obligations if o.owner_unit_id is not None}
        person_ids = {o.owner_person_id for o in obligations if o.owner_person_id is not None}
        groups = {o.owner_group for o in obligations if o.owner_group}
        committee = set(_seats(agency_ids, day)) if Group.COMMITTEE in groups else set()
        wanted = Q(unit_id__in=unit_ids) | Q(user_id__in=person_ids)
        wanted |= Q(role_grants__role=Role.ISO_SECRETARY)
        if Group.LEADERSHIP in groups:
            wanted |= Q(role_grants__role__in=sorted(LEADERSHIP_ROLES))
        if committee:
            wanted |= Q(user_id__in={user_id for _agency, user_id in committee})
        memberships = (
            Membership.objects.current()
            .filter(agency_id__in=agency_ids, user__is_active=True)
            .filter(wanted)
            .distinct()
            .select_related("user", "user__notification_preference")
            .prefetch_related("role_grants")
            .order_by("pk")
        )
        for m in memberships:
            roles = m.role_codes
            result.members[(m.agency_id, m.user_id)] = m.user
            if Role.ISO_SECRETARY in roles:
                result.secretaries[m.agency_id].append(m.user)
            if LEADERSHIP_ROLES & set(roles):
                result.groups[(m.agency_id, Group.LEADERSHIP)].append(m.user)
            if (m.agency_id, m.user_id) in committee:
                result.groups[(m.agency_id, Group.COMMITTEE)].append(m.user)
            if m.unit_id is not None:
                result.unit_members[m.unit_id].append(m.user)
                if Role.UNIT_HEAD in roles:
                    result.unit_heads[m.unit_id].append(m.user)
        return result

    def of(self, obligation: Obligation) -> list[User]:
        """The owner (a person; else the unit's heads, or all its members if it has none;
        else the members of the owning body) and every ISO secretary of the agency, each
        once."""
        users: dict[int, User] = {}
        owners: list[User] = []
        if obligation.owner_person_id is not None:
            person = self.members.get((obligation.agency_id, obligation.owner_person_id))
            owners = [person] if person is not None else []
        elif obligation.owner_unit_id is not None:
            unit_id = obligation.owner_unit_id
            owners = self.unit_heads.get(unit_id) or self.unit_members.get(unit_id, [])
        elif obligation.owner_group:
            owners = self.groups.get((obligation.agency_id, obligation.owner_group), [])
        for user in [*owners, *self.secretaries.get(obligation.agency_id, [])]:
            users.setdefault(user.pk, user)
        return list(users.values())


def _seats(agency_ids: set[int], day: dt.date) -> list[tuple[int, int]]:
    """(agency id, user id) of the committee seats held on `day`."""
    from qms.organization.models import seat_held_q

    return list(
        CommitteeMember.objects.filter(
            seat_held_q(day), agency_id__in=agency_ids, user__isnull=False
        ).values_list("agency_id", "user_id")
    )


def wants_email(user: User) -> bool:
    """Whether the person has an address and did not choose "never" (the preference is
    select_related with the user)."""
    preference = getattr(user, "notification_preference", None)
    return bool(user.email) and (preference is None or preference.email != EmailChoice.NEVER)


def heading(step: int) -> str:
    if step == Reminder.OVERDUE:
        return _("Overdue")
    if step == 0:
        return _("Due today")
    return ngettext("Due in %(days)d day", "Due in %(days)d days", step) % {"days": step}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + "/" + url.lstrip("/")


def _message(obligation: Obligation, step: int, user: User) -> EmailMessage:
    assert obligation.due_date is not None
    title = _one_line(obligation.title)
    subject = _("[e-ISO] %(heading)s: %(title)s") % {
        "heading": heading(step),
        "title": title if len(title) <= 150 else title[:149] + "…",
    }
    body = "\n".join(
        [
            _("Dear %(name)s,") % {"name": user},
            "",
            _("A reminder from e-ISO of %(agency)s:") % {"agency": obligation.agency},
            "",
            f"{heading(step)}: {title}",
            _("Due date: %(date)s") % {"date": f"{obligation.due_date:%d/%m/%Y}"},
            _("Owner: %(owner)s") % {"owner": obligation.owner_display or "—"},
            _("Open: %(url)s") % {"url": _absolute(obligation.url)},
            "",
            _(
                "You receive this e-mail because you are responsible for this obligation or "
                "are the ISO secretary of the agency. It is also in the notification centre "
                "of e-ISO."
            ),
        ]
    )
    return EmailMessage(subject, body, to=[user.email])


def _send(obligation: Obligation, step: int, users: list[User]) -> list[EmailMessage] | None:
    """Record the reminder, then the notifications; returns the e-mails to send once
    committed, or None when this step was already sent (by this or another worker)."""
    assert obligation.due_date is not None
    title = _("%(heading)s: %(title)s (due %(date)s)") % {
        "heading": heading(step),
        "title": _one_line(obligation.title),
        "date": f"{obligation.due_date:%d/%m/%Y}",
    }
    notifications = [
        Notification(
            user=user,
            agency_id=obligation.agency_id,
            obligation=obligation,
            title=title[:600],
            url=obligation.url,
        )
        for user in users
    ]
    try:
        with transaction.atomic():
            Reminder.objects.create(obligation=obligation, step=step, due_date=obligation.due_date)
            Notification.objects.bulk_create(notifications)
    except IntegrityError:
        return None
    return [_message(obligation, step, user) for user in users if wants_email(user)]


def _mail(messages: list[EmailMessage]) -> None:
    if not messages:
        return
    with get_connection() as connection:
        for message in messages:
            message.connection = connection
            try:
                message.send()
            except Exception:
                logger.exception("Reminder e-mail to %s failed", message.to)


def scan(day: dt.date) -> int:
    """Send the reminders due on `day`; returns how many reminders (obligation × step) went
    out. Safe to run again or in parallel: nothing is sent twice."""
    with translation.override(settings.LANGUAGE_CODE):
        steps = _steps_by_agency()
        all_steps = set(DEFAULT_DAYS).union(*steps.values())
        due: list[tuple[Obligation, int]] = []
        for obligation in _candidates(day, all_steps):
            step = _step(obligation, day, steps.get(obligation.agency_id, DEFAULT_DAYS))
            if step is not None:
                due.append((obligation, step))
        if not due:
            return 0
        sent = set(
            Reminder.objects.filter(obligation__in=[o.pk for o, _step in due]).values_list(
                "obligation_id", "step", "due_date"
            )
        )
        due = [(o, s) for o, s in due if (o.pk, s, o.due_date) not in sent]
        recipients = Recipients.load([o for o, _step in due], day)
        count, messages = 0, []
        for obligation, step in due:
            mails = _send(obligation, step, recipients.of(obligation))
            if mails is not None:
                count += 1
                messages += mails
        _mail(messages)
        return count
