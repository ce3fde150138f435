"""Training and competence (ISO 9001 7.1.6, 7.2, 7.3).

A `Course` is what is taught (an ISO update, internal auditor training, document drafting…);
a `TrainingSession` is one running of it: dates, place, lecturer, the units invited, whom it
targets (all staff of the invited units, or the people named), the plan task it fulfils and
the procedure revisions it covers. Each invited unit nominates its people (`Nominee`, "đúng
đối tượng"); attendance, the result and certificate files (`Certificate`) are recorded per
nominee. Competence is derived from them (`queries`), never stored twice.

State changes live in the services; models hold data and small derived facts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.documents.models import Revision
from qms.organization.models import Agency, Unit
from qms.plans.models import PlanTask


class Course(models.Model):
    class Kind(models.TextChoices):
        ISO_UPDATE = "iso_update", _("ISO update")
        INTERNAL_AUDITOR = "internal_auditor", _("Internal auditor")
        DOCUMENT_DRAFTING = "document_drafting", _("Document drafting")
        OTHER = "other", _("Other")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="courses", verbose_name=_("agency")
    )
    title = models.CharField(_("course title"), max_length=300)
    kind = models.CharField(_("kind of course"), max_length=20, choices=Kind.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    provider = models.CharField(_("provider"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency", "title", "pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        indexes = [models.Index(fields=["agency", "kind"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:course", args=[self.agency_id, self.pk])


class TrainingSession(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ANNOUNCED = "announced", _("Announced")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class Audience(models.TextChoices):
        ALL_STAFF = "all_staff", _("All staff of the invited units")
        NAMED = "named", _("The people nominated")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="training_sessions", verbose_name=_("agency")
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    place = models.CharField(_("place"), max_length=300)
    lecturer = models.CharField(_("lecturer"), max_length=300, blank=True)
    audience = models.CharField(
        _("who must attend"), max_length=12, choices=Audience.choices, default=Audience.ALL_STAFF
    )
    invited_units = models.ManyToManyField(
        Unit, related_name="+", blank=True, verbose_name=_("invited units")
    )
    plan_task = models.ForeignKey(
        PlanTask,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan task it fulfils"),
    )
    revisions = models.ManyToManyField(
        Revision,
        related_name="+",
        blank=True,
        verbose_name=_("procedure revisions it covers"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    history = HistoricalRecords(m2m_fields=[invited_units, revisions])

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        indexes = [models.Index(fields=["agency", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="training_session_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course.title} ({self.dates})"

    def get_absolute_url(self) -> str:
        return reverse("training:session", args=[self.agency_id, self.pk])

    @property
    def dates(self) -> str:
        if self.starts_on == self.ends_on:
            return self.starts_on.strftime("%d/%m/%Y")
        return f"{self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y}"

    @property
    def is_editable(self) -> bool:
        """Its details and invited units change until it is held or cancelled."""
        return self.status in (self.Status.PLANNED, self.Status.ANNOUNCED)

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def takes_nominees(self) -> bool:
        return self.status == self.Status.ANNOUNCED

    @property
    def takes_attendance(self) -> bool:
        """Attendance is recorded once announced, and corrected after it is held."""
        return self.status in (self.Status.ANNOUNCED, self.Status.HELD)


class Nominee(models.Model):
    class Attendance(models.TextChoices):
        PENDING = "pending", _("Not recorded")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")

    class Result(models.TextChoices):
        NONE = "", _("No result")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Not passed")

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="nominees")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_nominations",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(default=timezone.now)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.PENDING
    )
    absence_reason = models.CharField(_("reason for absence"), max_length=500, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "unit__order", "unit__name", "person__full_name", "pk"]
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_nomination_per_session")
        ]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def is_pending(self) -> bool:
        return self.attendance == self.Attendance.PENDING

    @property
    def attended(self) -> bool:
        return self.attendance == self.Attendance.ATTENDED


class Certificate(models.Model):
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="certificates")
    file = models.FileField(_("file"), upload_to="training/%Y/")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.name
