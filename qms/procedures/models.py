"""Administrative procedures (TTHC) and their results.

The province keeps one catalogue (`AdminProcedure`, by national code); each agency handles
a subset (`AgencyProcedure`), with its committed time, the unit that handles it and the ISO
procedure that covers it (QĐ 19/2014 Art. 3.1; TT 26/2014 Art. 36). A TTHC procedure's steps
(`ProcessStep`) add up, in working days, to no more than the committed time. Dossier results
come from the one-stop system's exports and are kept pre-aggregated per TTHC and day
(`DailyResult`): pages read those, never the dossiers; only late dossiers are kept one by one
(`LateDossier`), for their apology letters. Working days follow `qms.lib.workdays` with the
administrator's announced swaps (`WorkdayChange`).

State changes live in the services; models hold data and small derived facts.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.documents.models import Document
from qms.organization.models import Agency, Province, Unit

# A national TTHC code as the national database prints it: "1.000948.H38", "2.001234",
# "1.012345.000.00.00.H38". Its shape is checked; no checksum is invented.
CODE_SHAPE = re.compile(r"^\d\.\d{6}(\.[0-9A-Z]+){0,4}$")


class Level(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level (until 30/06/2025)")
    COMMUNE = "commune", _("Commune level")


class Online(models.TextChoices):
    FULL = "full", _("Fully online")
    PARTIAL = "partial", _("Partly online")
    NONE = "none", _("Not online")


class DayKind(models.TextChoices):
    WORKING = "working", _("working days")
    CALENDAR = "calendar", _("calendar days")


class AdminProcedure(models.Model):
    """One TTHC of the province's catalogue, as its publishing decision states it."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        AMENDED = "amended", _("Amended")
        ABOLISHED = "abolished", _("Abolished")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="admin_procedures"
    )
    code = models.CharField(_("national code"), max_length=40)
    name = models.CharField(_("name"), max_length=1000)
    field = models.CharField(_("field"), max_length=300)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    time_days = models.DecimalField(
        _("statutory time"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    day_kind = models.CharField(
        _("counted in"), max_length=10, choices=DayKind.choices, default=DayKind.WORKING
    )
    online = models.CharField(
        _("online service"), max_length=10, choices=Online.choices, default=Online.NONE
    )
    decision_number = models.CharField(_("publishing decision"), max_length=100, blank=True)
    decision_date = models.DateField(_("date of the publishing decision"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.IN_FORCE
    )
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    amended_on = models.DateField(_("amended on"), null=True, blank=True)
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["field", "code"]
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="one_tthc_per_code")
        ]
        indexes = [
            models.Index(fields=["province", "status", "field"]),
            models.Index(fields=["province", "level"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AgencyProcedure(models.Model):
    """A TTHC the agency handles: its committed (shorter) time, the unit that handles it and
    the ISO procedure that covers it (one procedure may cover several similar TTHC)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="admin_procedures")
    procedure = models.ForeignKey(
        AdminProcedure, on_delete=models.PROTECT, related_name="handled_by"
    )
    committed_days = models.DecimalField(
        _("committed time (working days)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="admin_procedures",
        verbose_name=_("unit that handles it"),
    )
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="admin_procedures",
        verbose_name=_("ISO procedure that covers it"),
    )
    is_active = models.BooleanField(_("handled by the agency"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["procedure__field", "procedure__code"]
        verbose_name = _("administrative procedure of the agency")
        verbose_name_plural = _("administrative procedures of the agency")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "procedure"], name="one_agency_procedure_per_tthc"
            )
        ]
        indexes = [
            models.Index(fields=["agency", "is_active"]),
            models.Index(fields=["agency", "unit"]),
            models.Index(fields=["agency", "document"]),
        ]

    def __str__(self) -> str:
        return str(self.procedure)

    @property
    def time_limit(self) -> Decimal | None:
        """The time its steps must fit: the committed one, else the statutory one."""
        return self.committed_days or self.procedure.time_days


class ProcessStep(models.Model):
    """A step of the procedure that handles a TTHC, timed in working days (halves allowed)."""

    handling = models.ForeignKey(AgencyProcedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("no."))
    action = models.CharField(_("step"), max_length=1000)
    responsible = models.CharField(_("responsible unit or position"), max_length=300)
    days = models.DecimalField(_("time (working days)"), max_digits=5, decimal_places=1)
    result = models.CharField(_("result or form"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["handling", "order", "pk"]
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")

    def __str__(self) -> str:
        return f"{self.order}. {self.action[:80]}"


class WorkdayChange(models.Model):
    """A day the government's yearly announcement moves (nghỉ bù, làm bù): the holidays
    library knows the fixed and lunar holidays, not each year's swaps."""

    day = models.DateField(_("date"), unique=True)
    working = models.BooleanField(
        _("worked"), help_text=_("Ticked: a weekend day worked. Unticked: a weekday off.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # the calendar's cache key
    history = HistoricalRecords()

    class Meta:
        ordering = ["day"]
        verbose_name = _("working-day change")
        verbose_name_plural = _("working-day changes")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class CatalogueImport(models.Model):
    """An upload of the province's catalogue: previewed (what is new, amended, abolished),
    then applied with the decision that publishes it."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Previewed")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=255)
    rows = models.JSONField(default=list)  # the parsed rows, applied as previewed
    changes = models.JSONField(default=dict)  # {"new": [...], "amended": [...], "abolished": [...]}
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    decision_number = models.CharField(_("publishing decision"), max_length=100, blank=True)
    decision_date = models.DateField(_("date of the publishing decision"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["province", "status"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.at:%d/%m/%Y})"


class ResultImport(models.Model):
    """One upload of dossier results for a period; re-importing the period replaces it."""

    class Shape(models.TextChoices):
        AGGREGATED = "aggregated", _("Figures per procedure")
        DOSSIERS = "dossiers", _("One row per dossier")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="result_imports")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    shape = models.CharField(_("shape of the file"), max_length=12, choices=Shape.choices)
    file = models.FileField(upload_to="results/%Y/")
    file_name = models.CharField(_("file"), max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [{"row": n, "column": "…", "value": "…", "why": "…"}]
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["agency", "period_start", "period_end"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y})"


# The buckets of the one-stop system's report, in its order.
BUCKETS = (
    "received_online",
    "received_direct",
    "received_post",
    "carried_over",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_within",
    "pending_late",
    "returned",
    "withdrawn",
)


class DailyResult(models.Model):
    """Dossier figures of one TTHC of an agency on one day (a period's figures imported as a
    whole are kept on its last day): what every results page sums."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="daily_results")
    procedure = models.ForeignKey(AdminProcedure, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    day = models.DateField()
    source = models.ForeignKey(ResultImport, on_delete=models.CASCADE, related_name="results")
    received_online = models.PositiveIntegerField(default=0)
    received_direct = models.PositiveIntegerField(default=0)
    received_post = models.PositiveIntegerField(default=0)
    carried_over = models.PositiveIntegerField(default=0)
    resolved_early = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0)
    resolved_late = models.PositiveIntegerField(default=0)
    pending_within = models.PositiveIntegerField(default=0)
    pending_late = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["agency", "day"]),
            models.Index(fields=["agency", "procedure", "day"]),
            models.Index(fields=["agency", "unit", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.day:%d/%m/%Y}"


class LateDossier(models.Model):
    """A dossier resolved or still pending past its deadline, kept one by one for its
    apology letter (Phiếu xin lỗi và hẹn lại ngày trả kết quả)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="late_dossiers")
    procedure = models.ForeignKey(AdminProcedure, on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(ResultImport, on_delete=models.CASCADE, related_name="late")
    dossier_code = models.CharField(_("dossier code"), max_length=60)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("appointment date"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    days_late = models.PositiveIntegerField(_("working days late"))
    apology_sent = models.BooleanField(_("apology letter sent"), default=False)

    class Meta:
        ordering = ["-days_late", "dossier_code"]
        indexes = [models.Index(fields=["agency", "due_on"])]

    def __str__(self) -> str:
        return self.dossier_code


class Satisfaction(models.Model):
    """Survey results for a period: how many answered at each level (entered or imported)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="satisfaction")
    procedure = models.ForeignKey(
        AdminProcedure, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    very_satisfied = models.PositiveIntegerField(_("very satisfied"), default=0)
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    neutral = models.PositiveIntegerField(_("neither"), default=0)
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start"]
        indexes = [models.Index(fields=["agency", "period_start"])]

    def __str__(self) -> str:
        return f"{self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"
