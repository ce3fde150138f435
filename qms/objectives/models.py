"""Quality policy and quality objectives (ISO 9001 5.2, 6.2; issue 13 §1–2).

- `QualityPolicy`: one version of the policy text, issued by a Quyết định through the
  paperwork register; the latest issued version is the one in force.
- `QualityObjective`: an objective of a year, of the agency (`unit` empty) or of a unit
  (which names the agency objective it serves), measured per period, entered or computed.
- `ObjectiveSet`: the year's "Mục tiêu chất lượng năm …" decision; issuing it issues the
  accepted objectives of the year.
- `Measurement`: the result of one period; `achieved` follows `periods.achieved`.
- `ObjectiveAction`: the plan to reach an objective (on the agenda of its owner).
- `FollowUp`: a missed objective's need for corrective action, recorded by a person.
- `ResultsReport`: "Báo cáo kết quả thực hiện mục tiêu chất lượng năm …".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.organization.models import Agency, Unit
from qms.paperwork.models import OfficialRecord


class Direction(models.TextChoices):
    AT_LEAST = "ge", "≥"
    AT_MOST = "le", "≤"
    EQUAL = "eq", "="


class Period(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF = "half", _("Half-yearly")
    YEAR = "year", _("Yearly")


class QualityPolicy(OfficialRecord):
    """One version of the quality policy; each issued version is kept."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="quality_policies", verbose_name=_("agency")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text of the quality policy"))
    created_at = models.DateTimeField(default=timezone.now)
    # The register's revision this decision brought into force (the register's entry of
    # this kind is this record's document, not a second copy).
    revision = models.OneToOneField(
        "documents.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revision in the document register"),
    )
    history = HistoricalRecords()

    manage_action = "manage_objectives"
    issue_action = "issue_decision"
    record_label = _("Decision issuing the quality policy")

    class Meta:
        ordering = ["-version"]
        verbose_name = _("quality policy")
        verbose_name_plural = _("quality policies")
        constraints = [
            models.UniqueConstraint(fields=["agency", "version"], name="policy_version_unique")
        ]

    def __str__(self) -> str:
        return str(_("Quality policy, version %(version)s") % {"version": self.version})

    def get_absolute_url(self) -> str:
        return reverse("objectives:policy_detail", args=[self.agency_id, self.pk])

    def official_document(self) -> Any:
        from qms.objectives.documents import policy_decision

        return policy_decision(self)

    def check_issue(self, issued_on: dt.date) -> None:
        from qms.objectives.services import check_policy_issue

        check_policy_issue(self)

    def after_issue(self, by: Any, **details: Any) -> None:
        from qms.objectives.queries import forget_policy
        from qms.objectives.services import policy_into_register

        policy_into_register(self, by)
        forget_policy(self.agency_id)

    def file_stem(self) -> str:
        number = self.paper.number_text or "du-thao"
        return f"QD-{number}-{self.agency.abbreviation}-chinh-sach-chat-luong"


class ObjectiveSet(OfficialRecord):
    """The decision issuing the year's quality objectives (agency, then units)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="objective_sets", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    created_at = models.DateTimeField(default=timezone.now)
    # The register's revision this decision brought into force (the register's entry of
    # this kind is this record's document, not a second copy).
    revision = models.OneToOneField(
        "documents.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revision in the document register"),
    )
    history = HistoricalRecords()

    manage_action = "manage_objectives"
    issue_action = "issue_decision"
    record_label = _("Decision issuing the quality objectives")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("quality objectives of a year")
        verbose_name_plural = _("quality objectives of the years")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="objective_set_unique_year")
        ]

    def __str__(self) -> str:
        return f"Mục tiêu chất lượng năm {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("objectives:year", args=[self.agency_id]) + f"?year={self.year}"

    def official_document(self) -> Any:
        from qms.objectives.documents import objectives_decision

        return objectives_decision(self)

    def check_issue(self, issued_on: dt.date) -> None:
        from qms.objectives.services import check_set_issue

        check_set_issue(self, issued_on)

    def after_issue(self, by: Any, **details: Any) -> None:
        from qms.objectives.services import issue_objectives, objectives_into_register

        issue_objectives(self, by)
        objectives_into_register(self, by)

    def file_stem(self) -> str:
        number = self.paper.number_text or "du-thao"
        return f"QD-{number}-{self.agency.abbreviation}-muc-tieu-chat-luong-{self.year}"


class QualityObjective(models.Model):
    class Status(models.TextChoices):
        """The states of qms.objectives.workflows.OBJECTIVE_FLOW."""

        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted into the year's objectives")
        ISSUED = "issued", _("Issued")

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="quality_objectives",
        verbose_name=_("agency"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quality_objectives",
        verbose_name=_("unit"),
        help_text=_("Leave empty for an objective of the whole agency."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unit_objectives",
        verbose_name=_("agency objective it serves"),
    )
    statement = models.CharField(_("objective"), max_length=500)
    indicator = models.CharField(_("indicator"), max_length=300)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=30, default="%")
    direction = models.CharField(
        _("direction"), max_length=2, choices=Direction.choices, default=Direction.AT_LEAST
    )
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    period = models.CharField(
        _("period of measurement"), max_length=8, choices=Period.choices, default=Period.QUARTER
    )
    owner_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_objectives",
        verbose_name=_("unit in charge"),
    )
    source = models.CharField(_("data source"), max_length=30, default="entered")
    source_field = models.CharField(
        _("field of procedures"),
        max_length=200,
        blank=True,
        help_text=_("Only for the on-time rate of one field."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposer"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "unit__order", "unit__name", "order", "pk"]
        verbose_name = _("quality objective")
        verbose_name_plural = _("quality objectives")
        indexes = [
            models.Index(fields=["agency", "year", "status"]),
            models.Index(fields=["agency", "source", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(parent__isnull=True),
                name="agency_objective_has_no_parent",
            )
        ]

    def __str__(self) -> str:
        return self.statement

    def get_absolute_url(self) -> str:
        return reverse("objectives:detail", args=[self.agency_id, self.pk])

    @property
    def is_agency_level(self) -> bool:
        return self.unit_id is None

    @property
    def is_computed(self) -> bool:
        return self.source != "entered"

    @property
    def target_text(self) -> str:
        return f"{self.get_direction_display()} {number_text(self.target)} {self.unit_of_measure}"

    @property
    def responsible_unit_id(self) -> int | None:
        """Who measures it and carries out its plan: its unit, else the unit in charge."""
        return self.unit_id or self.owner_unit_id

    @property
    def source_label(self) -> str:
        from qms.objectives.sources import label_of

        return label_of(self.source)


def number_text(value: Decimal | None) -> str:
    """98.50 → "98,5"; 100.00 → "100" (Vietnamese decimal comma)."""
    if value is None:
        return "—"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class Measurement(models.Model):
    objective = models.ForeignKey(
        QualityObjective,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("objective"),
    )
    period_key = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    value = models.DecimalField(_("result"), max_digits=12, decimal_places=2)
    achieved = models.BooleanField(_("achieved"))
    computed = models.BooleanField(_("computed by the system"), default=False)
    evidence = models.FileField(_("evidence"), upload_to="objectives/%Y/", blank=True)
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period_start", "pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "period_key"], name="measurement_unique_period"
            )
        ]
        indexes = [models.Index(fields=["objective", "achieved"])]

    def __str__(self) -> str:
        return f"{self.objective}: {self.period_label}"

    @property
    def period_label(self) -> str:
        from qms.objectives.periods import period_label

        return period_label(self.period_key)

    @property
    def value_text(self) -> str:
        return number_text(self.value)


class ObjectiveAction(models.Model):
    """One action of the plan to reach an objective."""

    objective = models.ForeignKey(
        QualityObjective, on_delete=models.PROTECT, related_name="actions"
    )
    description = models.CharField(_("action"), max_length=500)
    owner_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit in charge"),
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person in charge"),
    )
    due_date = models.DateField(_("due date"))
    done = models.BooleanField(_("done"), default=False)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action to reach an objective")
        verbose_name_plural = _("actions to reach an objective")

    def __str__(self) -> str:
        return self.description


class FollowUp(models.Model):
    """A missed objective needs corrective action: recorded until the corrective-action
    app exists, with an obligation on the agenda of the unit in charge."""

    measurement = models.OneToOneField(
        Measurement, on_delete=models.PROTECT, related_name="follow_up"
    )
    objective = models.ForeignKey(
        QualityObjective, on_delete=models.PROTECT, related_name="follow_ups"
    )
    note = models.TextField(_("cause and what must be corrected"))
    due_date = models.DateField(_("corrective action opened by"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("follow-up of a missed objective")
        verbose_name_plural = _("follow-ups of missed objectives")

    def __str__(self) -> str:
        return f"{self.objective}: {self.measurement.period_label}"


class ResultsReport(OfficialRecord):
    """Báo cáo kết quả thực hiện mục tiêu chất lượng năm …"""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="objective_reports", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    paper_kind = "BC"
    manage_action = "manage_objectives"
    issue_action = "issue_decision"
    record_label = _("Report on the results of the quality objectives")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("results report")
        verbose_name_plural = _("results reports")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="objective_report_unique")
        ]

    def __str__(self) -> str:
        return f"Báo cáo kết quả thực hiện mục tiêu chất lượng năm {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("objectives:report", args=[self.agency_id, self.pk])

    def official_document(self) -> Any:
        from qms.objectives.documents import results_report

        return results_report(self)

    def file_stem(self) -> str:
        number = self.paper.number_text or "du-thao"
        return f"BC-{number}-{self.agency.abbreviation}-ket-qua-muc-tieu-{self.year}"
