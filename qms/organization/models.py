"""The tenancy root: provinces, agencies (a tree with a life), their units, people and roles,
and the ISO steering committee with the decisions that establish and reconstitute it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.organization import standards
from qms.paperwork.models import OfficialRecord


def today() -> dt.date:
    return timezone.localdate()


class User(AbstractUser):
    """A login. What the person does depends on the agency: see Membership."""

    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username


class Province(models.Model):
    """A deployment holds one or more provinces (or ministries); agencies hang under one."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province / city")
        MINISTRY = "ministry", _("Ministry")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROVINCE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class AgencyQuerySet(models.QuerySet["Agency"]):
    def active_on(self, day: dt.date) -> AgencyQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Agency(models.Model):
    """A state agency that applies (or oversees) a QMS. Agencies have a life: a dissolved
    agency (every district since 01/7/2025) stays readable and can no longer be changed."""

    class Kind(models.TextChoices):
        PROVINCIAL_COMMITTEE = "provincial_committee", _("Provincial People's Committee")
        SPECIALISED_DEPARTMENT = "specialised_department", _("Specialised department (Sở)")
        ECONOMIC_ZONE_AUTHORITY = "economic_zone_authority", _("Economic zone authority")
        SUB_DEPARTMENT = "sub_department", _("Sub-department (Chi cục)")
        COMMUNE_COMMITTEE = "commune_committee", _("Commune People's Committee")
        DISTRICT_COMMITTEE = "district_committee", _("District People's Committee (until 2025)")
        PUBLIC_SERVICE_UNIT = "public_service_unit", _("Public service unit")
        MINISTRY_UNIT = "ministry_unit", _("Ministry unit")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("province")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    name = models.CharField(_("full name of the agency"), max_length=200)
    parent_agency_name = models.CharField(
        _("parent agency name (document header)"),
        max_length=200,
        blank=True,
        help_text=_(
            "Printed above the agency name in official documents, e.g. ỦY BAN NHÂN DÂN "
            "THÀNH PHỐ HẢI PHÒNG."
        ),
    )
    abbreviation = models.CharField(
        _("abbreviation for document symbols"), max_length=20, help_text=_("e.g. BQL, UBND, SKHCN")
    )
    place_name = models.CharField(_("place name for dated documents"), max_length=80)
    head_title = models.CharField(
        _("title of the head"), max_length=80, help_text=_("e.g. Trưởng ban, Chủ tịch, Giám đốc")
    )
    deputy_title = models.CharField(
        _("title of a deputy head"), max_length=80, help_text=_("e.g. Phó Trưởng ban")
    )
    collective_name = models.CharField(
        _("collective body (for TM.)"),
        max_length=120,
        blank=True,
        help_text=_("Filled only for collegial bodies that sign TM., e.g. ỦY BAN NHÂN DÂN."),
    )
    committee_name = models.CharField(
        _("name of the ISO steering committee"),
        max_length=120,
        default="Ban Chỉ đạo ISO",
        help_text=_("Printed in the header when the committee issues a document itself."),
    )
    committee_abbreviation = models.CharField(
        _("abbreviation of the committee for document symbols"),
        max_length=20,
        default="BCĐISO",
        help_text=_("e.g. BCĐISO, as in “05/QĐ-BCĐISO”"),
    )
    is_dost = models.BooleanField(
        _("provincial Department of Science and Technology"),
        default=False,
        help_text=_("Its overseers read every agency of the province."),
    )
    standard = models.CharField(
        _("standard applied"),
        max_length=30,
        choices=standards.CHOICES,
        default=standards.DEFAULT,
        help_text=_(
            "The standard the agency's quality management system applies; titles and "
            "decisions take its name from here."
        ),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
    )
    dissolution_note = models.CharField(_("dissolution note"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["province__name", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        indexes = [models.Index(fields=["province", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organization:dashboard", args=[self.pk])

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date is before the start date.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An agency cannot be its own parent.")})

    @property
    def is_dissolved(self) -> bool:
        return self.valid_to is not None and self.valid_to < today()

    def dated(self, day: dt.date) -> dt.date:
        """The date a document of the agency carries when made on `day`: a dissolved agency
        makes no new dated document, so its exports carry the last day it existed."""
        if self.valid_to is not None and day > self.valid_to:
            return self.valid_to
        return day

    @property
    def issuing_authority(self) -> str:
        """The authority line of a decision, e.g. TRƯỞNG BAN BAN QUẢN LÝ KHU KINH TẾ HẢI PHÒNG."""
        return f"{self.head_title} {self.name}".upper()


class Unit(models.Model):
    """A unit inside an agency: office, division, one-stop desk, … Units nest."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Office")
        DIVISION = "division", _("Specialised division")
        ONE_STOP_UNIT = "one_stop_unit", _("One-stop unit")
        PUBLIC_SERVICE_UNIT = "public_service_unit", _("Public service unit")
        OTHER = "other", _("Other")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="units", verbose_name=_("agency")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.DIVISION)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency", "order", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_in_agency")
        ]
        indexes = [models.Index(fields=["agency", "is_active", "order"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent is None:
            return
        if self.parent.agency_id != self.agency_id:
            raise ValidationError({"parent": _("The parent unit belongs to another agency.")})
        node: Unit | None = self.parent
        while node is not None:
            if node.pk == self.pk:
                raise ValidationError({"parent": _("A unit cannot be nested inside itself.")})
            node = node.parent


class Role(models.TextChoices):
    """What a person may do in one agency; docs/permissions.md holds the matrix."""

    HEAD = "head", _("Head of agency")
    DEPUTY_HEAD = "deputy_head", _("Deputy head")
    ISO_SECRETARY = "iso_secretary", _("ISO secretary")
    UNIT_HEAD = "unit_head", _("Head of unit")
    STAFF = "staff", _("Staff")
    INTERNAL_AUDITOR = "internal_auditor", _("Internal auditor")
    PROVINCE_OVERSEER = "province_overseer", _("Province overseer (DOST)")
    INVITED_EXPERT = "invited_expert", _("Invited expert")
    REGISTRY_CLERK = "registry_clerk", _("Registry clerk (văn thư)")


def current_membership_q(prefix: str = "") -> Q:
    """The one rule for a membership that gives access today: active and not expired (an
    invited expert's access ends after `expires_on`). `prefix` reaches it through a relation,
    e.g. "membership__"."""
    return Q(**{f"{prefix}is_active": True}) & (
        Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": today()})
    )


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> MembershipQuerySet:
        return self.filter(current_membership_q())


class Membership(models.Model):
    """A person in an agency: position, unit and roles there. One person may belong to
    several agencies and switches between them in the header."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("agency")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("unit"),
    )
    position = models.CharField(_("position"), max_length=150, blank=True)
    expires_on = models.DateField(
        _("access ends on"), null=True, blank=True, help_text=_("Required for invited experts.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "user__full_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="one_membership_per_agency")
        ]
        indexes = [models.Index(fields=["agency", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.agency}"

    def clean(self) -> None:
        if self.unit is not None and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": _("The unit belongs to another agency.")})

    @property
    def role_codes(self) -> list[str]:
        """The roles, read from the prefetched grants when the caller prefetched them."""
        return [grant.role for grant in self.role_grants.all()]

    def role_labels(self) -> list[str]:
        return [str(Role(code).label) for code in self.role_codes]


class RoleGrant(models.Model):
    """One role of one membership; a table (not a list column) so "who is the ISO secretary
    of agency X" is an indexed query on every database."""

    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("membership"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["membership", "role"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["membership", "role"], name="role_once_per_membership")
        ]
        indexes = [models.Index(fields=["role", "membership"])]

    def __str__(self) -> str:
        return self.get_role_display()


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


class CommitteeDecision(OfficialRecord):
    """A decision establishing or reconstituting (kiện toàn) the ISO steering committee.
    Drafted with its proposed members, it becomes the committee in force when issued; its
    number, date, signer, grounds and recipients are its paper's (qms.paperwork)."""

    class Kind(models.TextChoices):
        ESTABLISHMENT = "establishment", _("Establishment")
        RECONSTITUTION = "reconstitution", _("Reconstitution")

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="committee_decisions",
        verbose_name=_("agency"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.RECONSTITUTION
    )
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    duties = models.TextField(
        _("duties of the committee (Article 2)"),
        blank=True,
        help_text=_("One duty per line."),
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces decision"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    record_label = _("Decision on the ISO steering committee")

    class Meta:
        ordering = ["-effective_on", "-pk"]
        verbose_name = _("committee decision")
        verbose_name_plural = _("committee decisions")
        indexes = [models.Index(fields=["agency", "effective_on"])]

    def __str__(self) -> str:
        if self.paper.is_issued:
            return str(self.paper)
        return str(_("Draft decision on the ISO steering committee"))

    def get_absolute_url(self) -> str:
        return reverse("organization:decision_detail", args=[self.agency_id, self.pk])

    @property
    def in_force_on(self) -> dt.date | None:
        """The effective date the decision states, else the day it was signed."""
        return self.effective_on or self.paper.issued_on

    # Paperwork hooks (qms.paperwork.models.OfficialRecord).

    def official_document(self) -> Any:
        from qms.organization.documents import build_document

        return build_document(self)

    def issue_floor(self) -> list[tuple[dt.date, str]]:
        replaced = self.replaces
        if replaced is not None and replaced.signed_on is not None:
            return [(replaced.signed_on, str(_("the decision it replaces was signed then")))]
        return []

    def check_issue(self, issued_on: dt.date) -> None:
        from qms.organization.services import check_decision_issue

        check_decision_issue(self, issued_on)

    def after_issue(self, by: Any, **details: Any) -> None:
        from qms.organization.services import seat_members

        seat_members(self)

    def file_stem(self) -> str:
        return (
            f"QD-{self.paper.number_text or 'du-thao'}-{self.agency.abbreviation}-ban-chi-dao-ISO"
        )


def seat_held_q(day: dt.date) -> Q:
    """The one rule for a committee seat held on `day`: under an issued decision, from its
    start and until its end (if any)."""
    return Q(decision__paper__status="issued", from_date__lte=day) & (
        Q(to_date__isnull=True) | Q(to_date__gte=day)
    )


class CommitteeMember(models.Model):
    """One seat on the committee from a date to a date. Names and positions are copied at
    appointment so the record still reads true after a person changes post."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="committee_members",
        verbose_name=_("agency"),
    )
    decision = models.ForeignKey(
        CommitteeDecision,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("appointing decision"),
    )
    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_seats",
        verbose_name=_("person"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=200)
    committee_role = models.CharField(
        _("role on the committee"), max_length=20, choices=CommitteeRole.choices
    )
    duty = models.CharField(_("assigned duty"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    from_date = models.DateField(_("from"), null=True, blank=True)
    to_date = models.DateField(_("to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        indexes = [models.Index(fields=["agency", "from_date", "to_date"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_committee_role_display()})"

    def clean(self) -> None:
        if self.from_date and self.to_date and self.to_date < self.from_date:
            raise ValidationError({"to_date": _("The end date is before the start date.")})


class DelegationQuerySet(models.QuerySet["Delegation"]):
    def running_on(self, day: dt.date) -> DelegationQuerySet:
        """Delegations in their period on `day` and not ended early."""
        return self.filter(starts_on__lte=day, ends_on__gte=day, ended_at__isnull=True)


class Delegation(models.Model):
    """Ủy quyền: the head of the agency delegates some of their approval rights to another
    member (a deputy, the chief of office, …) for a period. While it runs, the delegate holds
    those rights (qms.organization.access); the paper's signing form (TUQ., KT.) stays the
    signer's choice. Ended early by the head; never deleted."""

    # The rights a head may delegate: values of qms.organization.access.Action.
    class Right(models.TextChoices):
        APPROVE_PLAN = "approve_plan", _("Approve and issue the annual plan")
        APPROVE_DOCUMENT = "approve_document", _("Approve and issue document revisions")
        ISSUE_DECISION = (
            "issue_decision",
            _("Record committee decisions and document sets as signed"),
        )

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("agency")
    )
    delegator = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="delegations_given",
        verbose_name=_("delegated by"),
    )
    delegate = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="delegations_received",
        verbose_name=_("delegated to"),
    )
    rights = models.JSONField(_("rights delegated"), default=list)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    number = models.CharField(
        _("number of the letter of authorisation"),
        max_length=60,
        blank=True,
        help_text=_("e.g. 12/GUQ-SXD; printed as “theo ủy quyền số … ngày …”."),
    )
    signed_on = models.DateField(_("dated"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended early at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    history = HistoricalRecords()

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        indexes = [models.Index(fields=["agency", "delegate", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return str(
            _("Delegation from %(delegator)s to %(delegate)s, %(start)s–%(end)s")
            % {
                "delegator": self.delegator,
                "delegate": self.delegate,
                "start": f"{self.starts_on:%d/%m/%Y}",
                "end": f"{self.ends_on:%d/%m/%Y}",
            }
        )

    def right_labels(self) -> list[str]:
        labels = dict(self.Right.choices)
        return [str(labels[right]) for right in self.rights if right in labels]

    def is_running(self, day: dt.date | None = None) -> bool:
        day = day or today()
        return self.ended_at is None and self.starts_on <= day <= self.ends_on

    @property
    def reference(self) -> str:
        """“theo ủy quyền số 12/GUQ-SXD ngày 05/01/2026”, as much as is known."""
        if not self.number:
            return ""
        if self.signed_on is None:
            return str(_("under authorisation no. %(number)s") % {"number": self.number})
        values = {"number": self.number, "date": f"{self.signed_on:%d/%m/%Y}"}
        return str(_("under authorisation no. %(number)s of %(date)s") % values)
