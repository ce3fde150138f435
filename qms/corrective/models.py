"""Nonconformities and corrective action (ISO 9001 10.2; issue 14 §2).

- `Nonconformity` (điểm không phù hợp): what was found, where it came from, the unit and the
  person responsible, the correction made at once, the root-cause analysis ("5 whys" or cause
  categories) and the latest effectiveness verification; numbered per agency and year
  ("KPH-2026-003"). Its life is `qms.corrective.workflows.NONCONFORMITY_FLOW`.
- `Evidence`: the files of what was found.
- `CorrectiveAction`: one action (correction, corrective, improvement) with its owner and due
  date, on the owner's agenda and in their inbox until it is done.
- `Verification`: each effectiveness verification, kept (a "not effective" one sends the
  nonconformity back to the analysis).

Ageing, days to close and "closed on time" are computed here, in one place (`ageing_days`,
`days_to_close`, `closed_on_time`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.documents.models import Document
from qms.objectives.models import FollowUp
from qms.organization.models import Agency, Unit


class Origin(models.TextChoices):
    INTERNAL_AUDIT = "internal_audit", _("Internal audit")
    FEEDBACK = "feedback", _("Citizens' feedback and petitions")
    MISSED_OBJECTIVE = "missed_objective", _("Missed quality objective")
    INSPECTION = "inspection", _("External inspection")
    DAILY_WORK = "daily_work", _("Daily work")


class Severity(models.TextChoices):
    MAJOR = "major", _("Major")
    MINOR = "minor", _("Minor")


class Method(models.TextChoices):
    FIVE_WHYS = "five_whys", _("5 whys")
    CATEGORIES = "categories", _("Cause categories")


class CauseCategory(models.TextChoices):
    PEOPLE = "people", _("People")
    METHOD = "method", _("Method and procedure")
    EQUIPMENT = "equipment", _("Machines and equipment")
    MATERIAL = "material", _("Materials, records and documents")
    ENVIRONMENT = "environment", _("Working environment")
    MEASUREMENT = "measurement", _("Measurement and monitoring")


class Rating(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


WHYS = 5  # at most five why / because lines


class Nonconformity(models.Model):
    class Status(models.TextChoices):
        """The states of qms.corrective.workflows.NONCONFORMITY_FLOW."""

        DRAFT = "draft", _("Reported")
        ANALYSIS = "analysis", _("Cause analysis")
        PLANNING = "planning", _("Action plan")
        IN_PROGRESS = "in_progress", _("Actions in progress")
        VERIFICATION = "verification", _("Effectiveness verification")
        CLOSED = "closed", _("Closed")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="nonconformities", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("number in the year"))
    title = models.CharField(_("nonconformity"), max_length=300)
    description = models.TextField(_("what was found"), max_length=4000)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    origin_note = models.TextField(
        _("origin details"),
        max_length=1000,
        blank=True,
        help_text=_("E.g. the audit, the feedback received, the inspection minutes."),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="nonconformities",
        verbose_name=_("responsible unit"),
    )
    clause = models.CharField(
        _("clause of the standard"), max_length=30, blank=True, help_text=_("E.g. 8.5.1")
    )
    procedure = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nonconformities",
        verbose_name=_("procedure"),
    )
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.MINOR
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("raised by"),
    )
    raised_on = models.DateField(_("raised on"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person responsible"),
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.DRAFT
    )
    # The correction made at once, and the root-cause analysis.
    correction = models.TextField(_("correction made at once"), max_length=2000, blank=True)
    correction_on = models.DateField(_("correction made on"), null=True, blank=True)
    method = models.CharField(
        _("analysis method"), max_length=12, choices=Method.choices, blank=True
    )
    whys = models.JSONField(_("5 whys"), default=list, blank=True)  # [[why, because], …]
    categories = models.JSONField(_("cause categories"), default=list, blank=True)
    root_cause = models.TextField(_("root cause"), max_length=2000, blank=True)
    analysed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    analysed_on = models.DateField(_("analysed on"), null=True, blank=True)
    # The latest effectiveness verification (every one is kept in Verification).
    effectiveness = models.CharField(
        _("effectiveness"), max_length=14, choices=Rating.choices, blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verification_note = models.TextField(_("verification note"), max_length=2000, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    follow_up = models.OneToOneField(
        FollowUp,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nonconformity",
        verbose_name=_("follow-up of a missed objective"),
    )
    finding = models.OneToOneField(
        "audits.Finding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nonconformity",
        verbose_name=_("finding of an internal audit"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-seq"]
        verbose_name = _("nonconformity")
        verbose_name_plural = _("nonconformities")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "seq"], name="nonconformity_number")
        ]
        indexes = [
            models.Index(fields=["agency", "status", "raised_on"]),
            models.Index(fields=["agency", "year", "seq"]),
            models.Index(fields=["agency", "closed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("corrective:detail", args=[self.agency_id, self.pk])

    @property
    def number(self) -> str:
        return f"KPH-{self.year}-{self.seq:03d}"

    @property
    def why_lines(self) -> list[tuple[str, str]]:
        return [(str(w), str(b)) for w, b in self.whys if str(w).strip() or str(b).strip()]

    @property
    def category_labels(self) -> list[str]:
        labels = dict(CauseCategory.choices)
        return [str(labels[c]) for c in self.categories if c in labels]

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def ageing_days(self, day: dt.date) -> int:
        return ageing_days(self.raised_on, self.closed_on, day)

    @property
    def days_to_close(self) -> int | None:
        return days_to_close(self.raised_on, self.closed_on)


def ageing_days(raised_on: dt.date, closed_on: dt.date | None, day: dt.date) -> int:
    """Days a nonconformity has been open: from its raising to its closing, or to `day`."""
    return max(((closed_on or day) - raised_on).days, 0)


def days_to_close(raised_on: dt.date, closed_on: dt.date | None) -> int | None:
    return None if closed_on is None else max((closed_on - raised_on).days, 0)


def closed_on_time(closed_on: dt.date | None, last_due: dt.date | None) -> bool | None:
    """Closed on or before the due date of its last action: True/False once closed (a
    nonconformity closed without a dated action counts as on time), None while open."""
    if closed_on is None:
        return None
    return last_due is None or closed_on <= last_due


class Evidence(models.Model):
    nonconformity = models.ForeignKey(
        Nonconformity, on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to="corrective/%Y/")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name


class CorrectiveAction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CORRECTIVE = "corrective", _("Corrective action")
        IMPROVEMENT = "improvement", _("Improvement")

    nonconformity = models.ForeignKey(
        Nonconformity, on_delete=models.PROTECT, related_name="actions"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CORRECTIVE)
    description = models.TextField(_("action"), max_length=2000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("carried out by"),
    )
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result_note = models.TextField(_("result"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class Verification(models.Model):
    nonconformity = models.ForeignKey(
        Nonconformity, on_delete=models.PROTECT, related_name="verifications"
    )
    rating = models.CharField(_("effectiveness"), max_length=14, choices=Rating.choices)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verified_on = models.DateField(_("verified on"))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["verified_on", "pk"]
        verbose_name = _("effectiveness verification")
        verbose_name_plural = _("effectiveness verifications")

    def __str__(self) -> str:
        return f"{self.get_rating_display()} ({self.verified_on:%d/%m/%Y})"
