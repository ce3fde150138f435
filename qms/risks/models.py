"""Context of the organisation, interested parties, risks and opportunities (ISO 9001 4.1,
4.2, 6.1).

Each row belongs to an agency and a year. The context (`ContextIssue`, `InterestedParty`) is
reviewed once a year (`ContextReview`). The risk and opportunity register (`Risk`) is scored
on the agency's scale (`RiskScale`: 3 or 5 levels, level bands and the action threshold kept as
data); each (re)assessment is a `RiskAssessment`, each action a `Treatment` with its
effectiveness check. Rows copied from the previous year are drafts (`is_draft`) until saved.

State changes live in the services; models hold data and small derived facts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.documents.models import Document
from qms.organization.models import Agency, Unit
from qms.paperwork.models import OfficialRecord


class Side(models.TextChoices):
    EXTERNAL = "external", _("External issue")
    INTERNAL = "internal", _("Internal issue")


class Category(models.TextChoices):
    """Categories of issues: the first five are external, the others internal."""

    POLITICAL_LEGAL = "political_legal", _("Political and legal")
    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    TECHNOLOGICAL = "technological", _("Technological")
    ENVIRONMENTAL = "environmental", _("Environmental")
    RESOURCES = "resources", _("Resources")
    PEOPLE = "people", _("People of the agency")
    PROCESSES = "processes", _("Processes")
    CULTURE = "culture", _("Culture")
    FACILITIES = "facilities", _("Facilities")


CATEGORIES_OF: dict[str, tuple[str, ...]] = {
    Side.EXTERNAL: (
        Category.POLITICAL_LEGAL,
        Category.ECONOMIC,
        Category.SOCIAL,
        Category.TECHNOLOGICAL,
        Category.ENVIRONMENTAL,
    ),
    Side.INTERNAL: (
        Category.RESOURCES,
        Category.PEOPLE,
        Category.PROCESSES,
        Category.CULTURE,
        Category.FACILITIES,
    ),
}


class Withdrawable(models.Model):
    """A context issue or interested party no longer relevant is withdrawn with its reason,
    never deleted: the review and the history still read what was kept and why it went."""

    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), max_length=1000, blank=True)
    withdrawn_by = models.ForeignKey(
        "organization.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None


class ContextIssue(Withdrawable):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="context_issues", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    side = models.CharField(_("internal or external"), max_length=10, choices=Side.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("issue"), max_length=2000)
    effect = models.TextField(_("effect on the quality management system"), max_length=2000)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    is_draft = models.BooleanField(_("draft copied from the previous year"), default=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency", "year", "side", "category", "pk"]
        verbose_name = _("context issue")
        indexes = [models.Index(fields=["agency", "year", "side"])]

    def __str__(self) -> str:
        return self.description[:80]


class InterestedParty(Withdrawable):
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="interested_parties",
        verbose_name=_("agency"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("interested party"), max_length=200)
    needs = models.TextField(_("needs and expectations"), max_length=2000)
    response = models.TextField(_("how the quality management system meets them"), max_length=2000)
    monitored_by = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("monitored by"),
    )
    is_draft = models.BooleanField(_("draft copied from the previous year"), default=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency", "year", "name", "pk"]
        verbose_name = _("interested party")
        indexes = [models.Index(fields=["agency", "year"])]

    def __str__(self) -> str:
        return self.name


class ContextReview(models.Model):
    """The year's review of the context and interested parties: done on which day, by whom."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="context_reviews", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("conclusion of the review"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("context review")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="risks_one_review_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}"


class Band(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


BAND_BADGES = {
    Band.LOW: "success",
    Band.MEDIUM: "info",
    Band.HIGH: "warning",
    Band.VERY_HIGH: "danger",
}


class RiskScale(models.Model):
    """The agency's scale: levels of likelihood and impact (3 or 5), the highest score of
    each band (very high above `high_max`) and the score from which action is needed."""

    class Levels(models.IntegerChoices):
        THREE = 3, _("3 levels (1–3)")
        FIVE = 5, _("5 levels (1–5)")

    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, related_name="risk_scale", verbose_name=_("agency")
    )
    levels = models.PositiveSmallIntegerField(
        _("levels of likelihood and impact"), choices=Levels.choices, default=Levels.FIVE
    )
    low_max = models.PositiveSmallIntegerField(_("highest low score"), default=4)
    medium_max = models.PositiveSmallIntegerField(_("highest medium score"), default=9)
    high_max = models.PositiveSmallIntegerField(_("highest high score"), default=16)
    threshold = models.PositiveSmallIntegerField(_("action threshold"), default=10)
    check_after_days = models.PositiveSmallIntegerField(
        _("days from the due date to the effectiveness check"), default=30
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk scale")

    def __str__(self) -> str:
        return f"{self.levels}×{self.levels}"


# Defaults per size: (low_max, medium_max, high_max, threshold).
DEFAULT_BANDS = {5: (4, 9, 16, 10), 3: (2, 4, 6, 5)}


class Risk(models.Model):
    class Kind(models.TextChoices):
        RISK = "risk", _("Risk")
        OPPORTUNITY = "opportunity", _("Opportunity")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        TREATING = "treating", _("Being treated")
        CLOSED = "closed", _("Checked and closed")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="risks", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="risks", verbose_name=_("owner unit")
    )
    process = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("process (ISO procedure)"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RISK)
    description = models.TextField(_("description"), max_length=2000)
    cause = models.TextField(_("cause"), max_length=2000, blank=True)
    consequence = models.TextField(_("consequence or benefit"), max_length=2000, blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    impact = models.PositiveSmallIntegerField(_("impact"))
    level = models.PositiveSmallIntegerField(_("risk level"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IDENTIFIED
    )
    is_draft = models.BooleanField(_("draft copied from the previous year"), default=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency", "year", "-level", "pk"]
        verbose_name = _("risk or opportunity")
        indexes = [
            models.Index(fields=["agency", "year", "level"]),
            models.Index(fields=["agency", "year", "unit", "level"]),
            models.Index(fields=["agency", "year", "kind"]),
            models.Index(fields=["agency", "year", "status"]),
            models.Index(fields=["agency", "year", "likelihood", "impact"]),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.level = self.likelihood * self.impact
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "level"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("risks:detail", args=[self.agency_id, self.pk])

    @property
    def is_opportunity(self) -> bool:
        return self.kind == self.Kind.OPPORTUNITY


class RiskAssessment(models.Model):
    """One (re)assessment: the first is the risk before treatment, the latest where it
    stands now."""

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    impact = models.PositiveSmallIntegerField(_("impact"))
    level = models.PositiveSmallIntegerField(_("risk level"))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "assessed_on", "pk"]
        verbose_name = _("assessment")

    def __str__(self) -> str:
        return f"{self.likelihood}×{self.impact}={self.level}"


class Treatment(models.Model):
    class Result(models.TextChoices):
        EFFECTIVE = "effective", _("Effective")
        NOT_EFFECTIVE = "not_effective", _("Not effective")

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="treatments")
    action = models.TextField(_("treatment"), max_length=2000)
    owner_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner unit"),
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner person"),
    )
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.TextField(_("what was done"), max_length=2000, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    check_on = models.DateField(_("effectiveness check date"))
    result = models.CharField(_("effectiveness"), max_length=16, choices=Result.choices, blank=True)
    result_note = models.TextField(_("note on effectiveness"), max_length=2000, blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "due_on", "pk"]
        verbose_name = _("treatment")

    def __str__(self) -> str:
        return self.action[:80]

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    @property
    def is_checked(self) -> bool:
        return self.checked_on is not None

    def default_check_on(self, days: int) -> dt.date:
        return self.due_on + dt.timedelta(days=days)


class TreatmentPlan(OfficialRecord):
    """ "Kế hoạch giải quyết rủi ro và cơ hội" of a year, issued through the register of
    outgoing documents (a KH): its table is the year's rows needing action, as they stand."""

    paper_kind = "KH"
    manage_action = "manage_context"  # the ISO secretary drafts it
    issue_action = "issue_decision"
    record_label = _("Risk and opportunity treatment plan")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="risk_plans", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk and opportunity treatment plan")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="risks_one_plan_per_year")
        ]

    def __str__(self) -> str:
        return f"Kế hoạch giải quyết rủi ro và cơ hội năm {self.year}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("risks:plan", args=[self.agency_id, self.pk])

    def official_document(self) -> Any:
        from qms.risks.exports import plan_document

        return plan_document(self)

    def check_issue(self, issued_on: dt.date) -> None:
        from django.core.exceptions import ValidationError

        from qms.risks.scale import scale_of

        threshold = scale_of(self.agency).threshold
        needing = Treatment.objects.filter(
            risk__agency=self.agency, risk__year=self.year, risk__level__gte=threshold
        )
        if not needing.exists():
            raise ValidationError(
                _("Plan a treatment for the rows needing action before issuing the plan.")
            )
