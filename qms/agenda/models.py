"""The one list of dated obligations, and the inbox ("Chờ tôi xử lý"). Apps register what
falls due (plan tasks, document reviews, readings, …) through `qms.agenda.registry` and hand
work to people through `qms.agenda.inbox`; the agenda knows no app: an obligation or an
inbox item carries its source as a key and a link.

Obligations and inbox items are derived data: the source record is the truth. Reminders,
notifications, e-mail preferences and calendar feeds are the agenda's own."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.organization.models import Agency, Membership, Role, Unit, User, current_membership_q

DEFAULT_REMINDER_DAYS = "10,3,1"
MAX_REMINDER_DAY = 365
DEFAULT_READING_DAYS = 10


class Group(models.TextChoices):
    """People an obligation may belong to as a body, beside a person or a unit."""

    LEADERSHIP = "leadership", _("The leadership")  # the head and the deputy heads
    COMMITTEE = "committee", _("The ISO steering committee")  # its current members


LEADERSHIP_ROLES = frozenset({Role.HEAD, Role.DEPUTY_HEAD})


def ownership_q(
    user: User, unit_id: int | None, is_secretary: bool, groups: frozenset[str] = frozenset()
) -> Q:
    """Who owns an obligation, inside one agency: the person named; else the unit of the
    person's membership; else the body (`groups`: the leadership, the steering committee) the
    person belongs to; else (nobody named) the ISO secretary."""
    q = Q(owner_person=user)
    if unit_id is not None:
        q |= Q(owner_person__isnull=True, owner_unit_id=unit_id)
    if groups:
        q |= Q(owner_person__isnull=True, owner_unit__isnull=True, owner_group__in=sorted(groups))
    if is_secretary:
        q |= Q(owner_person__isnull=True, owner_unit__isnull=True, owner_group="")
    return q


def groups_of(roles: frozenset[str] | list[str], sits_on_committee: bool) -> frozenset[str]:
    """The bodies a member belongs to, from their roles and committee seat."""
    found = set()
    if LEADERSHIP_ROLES & set(roles):
        found.add(Group.LEADERSHIP.value)
    if sits_on_committee:
        found.add(Group.COMMITTEE.value)
    return frozenset(found)


class ObligationQuerySet(models.QuerySet["Obligation"]):
    def open(self) -> ObligationQuerySet:
        return self.filter(state=Obligation.State.OPEN)

    def for_member(
        self,
        user: User,
        agency: Agency,
        unit_id: int | None,
        is_secretary: bool,
        groups: frozenset[str] = frozenset(),
    ) -> ObligationQuerySet:
        """ "Việc của tôi" in one agency (see `ownership_q`)."""
        return self.filter(agency=agency).filter(ownership_q(user, unit_id, is_secretary, groups))

    def for_memberships(
        self, user: User, memberships: list[Membership], committees: set[int] | None = None
    ) -> ObligationQuerySet:
        """ "Việc của tôi" across several agencies: `memberships` are the user's current
        ones, with `role_grants` prefetched; `committees` the agencies on whose steering
        committee the user sits now."""
        q = Q(pk__in=[])
        for m in memberships:
            roles = m.role_codes
            groups = groups_of(roles, m.agency_id in (committees or set()))
            owned = ownership_q(user, m.unit_id, Role.ISO_SECRETARY in roles, groups)
            q |= Q(agency_id=m.agency_id) & owned
        return self.filter(q)


class Obligation(models.Model):
    """Something that falls due: a due date (or the event it waits for), an owner, a state,
    and a link to the record it comes from."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Not carried out")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="obligations", verbose_name=_("agency")
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("Which record and occurrence this comes from, e.g. plans.task:12:0"),
    )
    kind = models.CharField(_("kind"), max_length=80)
    title = models.CharField(_("title"), max_length=500)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    waiting_for = models.CharField(_("waiting for"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    owner_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligations",
        verbose_name=_("owner unit"),
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligations",
        verbose_name=_("owner"),
    )
    owner_group = models.CharField(
        _("owner body"), max_length=20, choices=Group.choices, blank=True, default=""
    )
    owner_text = models.CharField(_("owner"), max_length=300, blank=True)
    url = models.CharField(_("link"), max_length=500)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        constraints = [models.UniqueConstraint(fields=["source"], name="obligation_source_unique")]
        indexes = [
            models.Index(fields=["agency", "state", "due_date"]),
            models.Index(fields=["owner_person", "state", "due_date"]),
            models.Index(fields=["owner_unit", "state", "due_date"]),
            models.Index(fields=["state", "due_date"]),
            # Covers a person's obligations in an agency (every ownership column): the count
            # and latest change that version the ICS feed and the counts of "Việc của tôi"
            # read the index alone (10,000 plan tasks: 14 → 5 ms).
            models.Index(
                fields=[
                    "agency",
                    "state",
                    "owner_person",
                    "owner_unit",
                    "owner_group",
                    "due_date",
                    "updated_at",
                ],
                name="obligation_owner_cover",
            ),
            # The dashboard's alerts (open obligations of a few kinds, soonest first) read
            # only their own rows, not every open obligation of the agency in date order.
            models.Index(
                fields=["agency", "state", "kind", "due_date"], name="obligation_kind_due"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def kind_label(self) -> str:
        from qms.agenda.registry import kind_label

        return kind_label(self.kind)

    @property
    def owner_display(self) -> str:
        """The owner as people read it; uses the related rows, so select_related them."""
        if self.owner_person_id is not None and self.owner_person is not None:
            return str(self.owner_person)
        if self.owner_unit_id is not None and self.owner_unit is not None:
            return str(self.owner_unit)
        return self.owner_text or (self.get_owner_group_display() if self.owner_group else "")

    def is_overdue(self, day: dt.date) -> bool:
        return self.state == self.State.OPEN and self.due_date is not None and self.due_date < day


class AgendaStamp(models.Model):
    """Per agency: a new random `token` and the time of every change of its obligations,
    written by `registry` in the same transaction as the change. What is derived from an
    agency's obligations (the ICS feeds of its people, the dashboard's count of what is
    overdue) is versioned by this one row, read by primary key, instead of by counting or
    scanning the obligations."""

    agency = models.OneToOneField(
        Agency,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="agenda_stamp",
        verbose_name=_("agency"),
    )
    token = models.CharField(_("version"), max_length=32)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("agenda version")
        verbose_name_plural = _("agenda versions")

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.token}"


def new_stamp_token() -> str:
    return secrets.token_hex(8)


def parse_days(text: str) -> list[int]:
    """ "10, 3,1" → [10, 3, 1]: distinct whole numbers of days from 0 to 365, largest first.
    Raises ValueError on anything else."""
    parts = [part.strip() for part in text.split(",")]
    if not any(parts):
        return []
    if not all(part.isdigit() for part in parts):
        raise ValueError(text)
    values = sorted({int(part) for part in parts}, reverse=True)
    if any(value > MAX_REMINDER_DAY for value in values):
        raise ValueError(text)
    return values


class AgendaSettings(models.Model):
    """Per agency: how many days before the due date reminders go out."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="agenda_settings", verbose_name=_("agency")
    )
    reminder_days = models.CharField(
        _("remind this many days before"),
        max_length=50,
        default=DEFAULT_REMINDER_DAYS,
        help_text=_("Comma-separated numbers of days from 0 to 365, e.g. 10,3,1."),
    )
    reading_days = models.PositiveSmallIntegerField(
        _("days to read a required document"),
        default=DEFAULT_READING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REMINDER_DAY)],
        help_text=_(
            "Each person who must read a document confirms it within this many days of its issue."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda settings")
        verbose_name_plural = _("agenda settings")

    def __str__(self) -> str:
        return self.reminder_days

    def clean(self) -> None:
        try:
            parse_days(self.reminder_days)
        except ValueError:
            raise ValidationError(
                {"reminder_days": _("Enter whole numbers of days from 0 to 365, e.g. 10,3,1.")}
            ) from None

    def days(self) -> list[int]:
        return parse_days(self.reminder_days)


def reading_days(agency_id: int) -> int:
    """How many days the agency gives each reader of a required document."""
    days = (
        AgendaSettings.objects.filter(agency_id=agency_id)
        .values_list("reading_days", flat=True)
        .first()
    )
    return days or DEFAULT_READING_DAYS


class Reminder(models.Model):
    """A reminder that went out: one per obligation, step and due date, so it is never sent
    twice. `step` is the number of days before the due date, or -1 for "overdue"."""

    OVERDUE = -1

    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("obligation")
    )
    step = models.SmallIntegerField(_("step"))
    due_date = models.DateField(_("due date"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "step", "due_date"], name="reminder_once_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.obligation_id}:{self.step}:{self.due_date:%d/%m/%Y}"


class Notification(models.Model):
    """A message in a person's notification centre (the bell in the header)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("person"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency")
    )
    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("obligation"),
    )
    title = models.CharField(_("title"), max_length=600)
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at", "created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = timezone.now()
            self.save(update_fields=["read_at"])


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret ICS address; revoking it gives a new one and kills the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("person"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user}"

    def renew(self) -> None:
        """A new secret address; the old one stops working at once."""
        self.token = new_token()
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])


class InboxQuerySet(models.QuerySet["InboxItem"]):
    def waiting(self, day: dt.date) -> InboxQuerySet:
        """Open items, visible from `day` on, of agencies still in existence, for people who
        are still current members of the agency the item belongs to."""
        member = Membership.objects.filter(
            current_membership_q(), user_id=OuterRef("user_id"), agency_id=OuterRef("agency_id")
        )
        return (
            self.filter(done_at__isnull=True)
            .filter(Q(visible_from__isnull=True) | Q(visible_from__lte=day))
            .filter(Q(agency__valid_to__isnull=True) | Q(agency__valid_to__gte=day))
            .filter(Exists(member))
        )


class InboxItem(models.Model):
    """ "Chờ tôi xử lý": one piece of work waiting for one person. Handed out by apps through
    `qms.agenda.inbox`: the same `source` (e.g. "documents.revision:12:review") given to
    several people leaves every inbox once one of them has done it."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="inbox_items", verbose_name=_("agency")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inbox_items",
        verbose_name=_("person"),
    )
    source = models.CharField(_("source"), max_length=200)
    kind = models.CharField(_("kind"), max_length=80)
    title = models.CharField(_("title"), max_length=500)
    url = models.CharField(_("link"), max_length=500)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    visible_from = models.DateField(_("shown from"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("handed over at"), default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = InboxQuerySet.as_manager()

    class Meta:
        ordering = ["assigned_at", "pk"]
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        constraints = [
            models.UniqueConstraint(fields=["source", "user"], name="inbox_source_once_per_person")
        ]
        indexes = [
            models.Index(fields=["user", "done_at", "visible_from"]),
            models.Index(fields=["done_at", "emailed_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def kind_label(self) -> str:
        from qms.agenda.inbox import kind_label

        return kind_label(self.kind)

    def age_days(self, day: dt.date) -> int:
        """Days it has been waiting: since it was handed out, or shown if that was later."""
        since = timezone.localdate(self.assigned_at)
        if self.visible_from is not None and self.visible_from > since:
            since = self.visible_from
        return max((day - since).days, 0)

    def is_overdue(self, day: dt.date) -> bool:
        return self.due_date is not None and self.due_date < day


class EmailChoice(models.TextChoices):
    IMMEDIATE = "immediate", _("At once, one e-mail per new piece of work")
    DAILY = "daily", _("Once a day, a digest of the new work")
    NEVER = "never", _("Never: I look at e-ISO myself")


class NotificationPreference(models.Model):
    """How a person wants to hear of new work by e-mail (in-app notifications always come)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("person"),
    )
    email = models.CharField(
        _("e-mail about new work"),
        max_length=10,
        choices=EmailChoice.choices,
        default=EmailChoice.IMMEDIATE,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_display()}"
