"""The management review (xem xét của lãnh đạo, ISO 9001 9.3; QĐ 19/2014 Art. 4: at least
once a year): the meeting, the inputs of clause 9.3.2 compiled from live data into an
editable draft, the outputs (decisions and actions with owners and due dates), and the
minutes ("Biên bản họp xem xét của lãnh đạo") as official paperwork — the minutes are this
record's paper, so signing them locks the record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.organization.models import Agency, Unit, User
from qms.paperwork.models import OfficialRecord


class ManagementReview(OfficialRecord):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Meeting planned")
        COMPILED = "compiled", _("Inputs compiled")
        HELD = "held", _("Meeting held")

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="management_reviews",
        verbose_name=_("agency"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    meeting_on = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("chaired by")
    )
    participants = models.ManyToManyField(
        User, related_name="+", blank=True, verbose_name=_("participants")
    )
    guests = models.TextField(_("other participants"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion of the meeting"), max_length=5000, blank=True)
    compiled_at = models.DateTimeField(_("inputs compiled at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    paper_kind = "BB"
    manage_action = "manage_review"
    issue_action = "issue_decision"
    record_label = _("Minutes of the management review")

    class Meta:
        ordering = ["-meeting_on", "-pk"]
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")
        indexes = [models.Index(fields=["agency", "year"])]

    def __str__(self) -> str:
        return f"Họp xem xét của lãnh đạo ngày {self.meeting_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("review:detail", args=[self.agency_id, self.pk])

    @property
    def badge(self) -> str:
        """The Bootstrap colour of the status badge."""
        badges = {self.Status.PLANNED.value: "warning", self.Status.COMPILED.value: "info"}
        return badges.get(self.status, "success")

    def official_document(self) -> Any:
        from qms.review.documents import minutes

        return minutes(self)

    def ready_to_issue(self) -> bool:
        """The minutes go forward for signature when the meeting is recorded as held
        (services.hold), not by the paper's own step: nothing is signed before it was held."""
        return self.status == self.Status.HELD and self.paper.status == "signing"

    def check_issue(self, issued_on: dt.date) -> None:
        from qms.review.services import check_minutes_issue

        check_minutes_issue(self, issued_on)

    def file_stem(self) -> str:
        number = self.paper.number_text or "du-thao"
        return (
            f"BB-{number}-{self.agency.abbreviation}-xem-xet-cua-lanh-dao-{self.meeting_on:%Y%m%d}"
        )


class ReviewInput(models.Model):
    """One input of clause 9.3.2 as compiled: its figures and links read from the product's
    records at compile time, and its text — drafted by the compiler, edited by the secretary."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="inputs")
    key = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("input"), max_length=300)
    text = models.TextField(_("assessment"), max_length=10000, blank=True)
    figures = models.JSONField(default=list, blank=True)  # [[label, value], …]
    links = models.JSONField(default=list, blank=True)  # [[label, url], …]
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "order"]
        verbose_name = _("input of the management review")
        constraints = [models.UniqueConstraint(fields=["review", "key"], name="review_input_once")]

    def __str__(self) -> str:
        return self.title


class ReviewOutput(models.Model):
    """A decision of the review (ISO 9001 9.3.3) with who carries it out and by when; on
    the agenda of its owner until done."""

    class Kind(models.TextChoices):
        IMPROVEMENT = "improvement", _("Opportunity for improvement")
        CHANGE = "change", _("Change to the quality management system")
        RESOURCES = "resources", _("Resource needs")

    review = models.ForeignKey(ManagementReview, on_delete=models.PROTECT, related_name="outputs")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("decision or action"), max_length=2000)
    owner_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit in charge"),
    )
    owner_person = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person in charge"),
    )
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("result"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "due_on", "pk"]
        verbose_name = _("output of the management review")
        indexes = [models.Index(fields=["review", "done_on"])]

    def __str__(self) -> str:
        return self.description[:80]
