"""Internal audit (ISO 9001 9.2; QĐ 19/2014 Art. 4: at least one a year; issue 14 §1).

- `AuditProgramme`: the year's "Chương trình đánh giá nội bộ năm …", issued through the
  register of outgoing documents; its `ProgrammeRow`s are units or procedures × months.
- `AuditorQualification`: a person's internal-auditor certificate; only qualified people sit
  on an audit team.
- `Audit`: one audit of the programme: scope (units, procedures), criteria (clauses of the
  standard and the agency's procedures), dates, team (`TeamMember`, one lead).
- `AuditPlan` / `AuditReport`: "Kế hoạch đánh giá nội bộ" and "Báo cáo đánh giá nội bộ" as
  official paperwork; the signed report locks the audit and its findings.
- `QuestionBank` / `Question`: reusable checklist questions per clause or per procedure;
  an audit's `ChecklistItem`s are copies, so later bank edits do not change a held audit.
- `Finding` with its `FindingFile`s (evidence).

State changes live in the services; models hold data and small derived facts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.audits import clauses
from qms.documents.models import Document
from qms.organization.models import Agency, Unit
from qms.paperwork.kinds import Kind
from qms.paperwork.models import OfficialRecord


class AuditProgramme(OfficialRecord):
    """Chương trình đánh giá nội bộ năm …: which units and procedures are audited in which
    months; every unit at least once (queries.uncovered_units)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="audit_programmes", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    paper_kind = Kind.PROGRAMME
    manage_action = "manage_audits"
    issue_action = "issue_decision"
    record_label = _("Internal audit programme")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("internal audit programme")
        verbose_name_plural = _("internal audit programmes")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="audit_programme_unique_year")
        ]

    def __str__(self) -> str:
        return f"Chương trình đánh giá nội bộ năm {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("audits:programme", args=[self.agency_id]) + f"?year={self.year}"

    def official_document(self) -> Any:
        from qms.audits.documents import programme_document

        return programme_document(self)

    def check_issue(self, issued_on: dt.date) -> None:
        from qms.audits.services import check_programme_issue

        check_programme_issue(self)

    def file_stem(self) -> str:
        number = self.paper.number_text or "du-thao"
        return f"CTr-{number}-{self.agency.abbreviation}-danh-gia-noi-bo-{self.year}"


class ProgrammeRow(models.Model):
    """A unit, or a procedure (process), audited in the months listed."""

    programme = models.ForeignKey(
        AuditProgramme, on_delete=models.PROTECT, related_name="rows", verbose_name=_("programme")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    procedure = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("procedure"),
    )
    months = models.JSONField(_("months"), default=list)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("row of the audit programme")
        verbose_name_plural = _("rows of the audit programme")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(procedure__isnull=False),
                name="programme_row_names_unit_or_procedure",
                violation_error_message=_("Choose a unit or a procedure."),
            )
        ]

    def __str__(self) -> str:
        if self.procedure is not None:
            return f"{self.procedure.code} {self.procedure.title}"
        return self.unit.name if self.unit else ""

    @property
    def months_text(self) -> str:
        return ", ".join(str(m) for m in sorted(self.months))


class AuditorQualification(models.Model):
    """A person's internal-auditor certificate (or the decision recognising them)."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="auditor_qualifications",
        verbose_name=_("agency"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="auditor_qualifications",
        verbose_name=_("person"),
    )
    certificate_number = models.CharField(_("certificate or decision number"), max_length=100)
    issued_by = models.CharField(_("issued by"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    file = models.FileField(
        _("copy of the certificate"), upload_to="audits/auditors/%Y/", blank=True
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__full_name", "-issued_on", "pk"]
        verbose_name = _("auditor qualification")
        verbose_name_plural = _("auditor qualifications")
        indexes = [models.Index(fields=["agency", "person"])]

    def __str__(self) -> str:
        return f"{self.certificate_number} ({self.issued_on:%d/%m/%Y})"


class Audit(models.Model):
    class Status(models.TextChoices):
        """The states of qms.audits.workflows.AUDIT_FLOW: planned (being prepared), its plan
        issued, held (the plan event recorded), reported (the signed report locks it)."""

        DRAFT = "draft", _("Being planned")
        PLANNED = "planned", _("Audit plan issued")
        HELD = "held", _("Held")
        REPORTED = "reported", _("Report signed")

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("Internal audit")
        # Đánh giá thử: invited experts audit the system ahead of the province's inspection
        # (scheduled 15 days before its notice); holding it is not the year's internal audit.
        MOCK = "mock", _("Mock audit before the inspection")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="audits", verbose_name=_("agency")
    )
    programme = models.ForeignKey(
        AuditProgramme,
        on_delete=models.PROTECT,
        related_name="audits",
        verbose_name=_("programme"),
    )
    kind = models.CharField(
        _("kind of audit"), max_length=8, choices=Kind.choices, default=Kind.INTERNAL
    )
    title = models.CharField(_("title"), max_length=300)
    units = models.ManyToManyField(
        Unit, related_name="audits", verbose_name=_("units audited"), blank=True
    )
    procedures = models.ManyToManyField(
        Document, related_name="audits", verbose_name=_("procedures audited"), blank=True
    )
    clauses = models.JSONField(_("clauses of the standard"), default=list)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[units, procedures])

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("internal audit")
        verbose_name_plural = _("internal audits")
        indexes = [
            models.Index(fields=["agency", "status", "starts_on"]),
            models.Index(fields=["agency", "ends_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="audit_ends_after_start",
                violation_error_message=_("The audit cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("audits:detail", args=[self.agency_id, self.pk])

    @property
    def is_mock(self) -> bool:
        return self.kind == self.Kind.MOCK

    @property
    def year(self) -> int:
        return self.starts_on.year

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.REPORTED

    @property
    def clause_labels(self) -> list[str]:
        return [clauses.label(code) for code in clauses.ordered(self.clauses)]


class TeamMember(models.Model):
    audit = models.ForeignKey(
        Audit, on_delete=models.PROTECT, related_name="team", verbose_name=_("audit")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_seats",
        verbose_name=_("person"),
    )
    is_lead = models.BooleanField(_("lead auditor"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_lead", "person__full_name", "pk"]
        verbose_name = _("audit team member")
        verbose_name_plural = _("audit team")
        constraints = [
            models.UniqueConstraint(fields=["audit", "person"], name="team_member_once"),
            models.UniqueConstraint(
                fields=["audit"], condition=Q(is_lead=True), name="one_lead_auditor"
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class AuditPlan(OfficialRecord):
    """Kế hoạch đánh giá nội bộ: scope, criteria, dates and team, sent to the units."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="audit_plans", verbose_name=_("agency")
    )
    audit = models.OneToOneField(
        Audit, on_delete=models.PROTECT, related_name="plan", verbose_name=_("audit")
    )
    history = HistoricalRecords()

    paper_kind = Kind.PLAN
    manage_action = "manage_audits"
    issue_action = "issue_decision"
    record_label = _("Internal audit plan")

    class Meta:
        verbose_name = _("internal audit plan")
        verbose_name_plural = _("internal audit plans")

    def __str__(self) -> str:
        return f"Kế hoạch đánh giá nội bộ: {self.audit.title}"

    def get_absolute_url(self) -> str:
        return reverse("audits:detail", args=[self.agency_id, self.audit_id]) + "#plan"

    def official_document(self) -> Any:
        from qms.audits.documents import plan_document

        return plan_document(self)

    def check_issue(self, issued_on: dt.date) -> None:
        from qms.audits.services import check_plan_issue

        check_plan_issue(self.audit, issued_on)

    def after_issue(self, by: Any, **details: Any) -> None:
        from qms.audits.services import plan_issued

        plan_issued(self.audit, by)

    def file_stem(self) -> str:
        number = self.paper.number_text or "du-thao"
        return f"KH-{number}-{self.agency.abbreviation}-danh-gia-noi-bo"


class AuditReport(OfficialRecord):
    """Báo cáo đánh giá nội bộ: the findings; signed, the audit and findings are locked."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="audit_reports", verbose_name=_("agency")
    )
    audit = models.OneToOneField(
        Audit, on_delete=models.PROTECT, related_name="report", verbose_name=_("audit")
    )
    conclusion = models.TextField(_("conclusion of the audit team"), blank=True)
    history = HistoricalRecords()

    paper_kind = Kind.REPORT
    manage_action = "manage_audits"
    issue_action = "issue_decision"
    record_label = _("Internal audit report")

    class Meta:
        verbose_name = _("internal audit report")
        verbose_name_plural = _("internal audit reports")

    def __str__(self) -> str:
        return f"Báo cáo đánh giá nội bộ: {self.audit.title}"

    def get_absolute_url(self) -> str:
        return reverse("audits:detail", args=[self.agency_id, self.audit_id]) + "#report"

    def official_document(self) -> Any:
        from qms.audits.documents import report_document

        return report_document(self)

    def issue_floor(self) -> list[tuple[dt.date, str]]:
        return [(self.audit.ends_on, str(_("the audit ended then")))]

    def check_issue(self, issued_on: dt.date) -> None:
        from qms.audits.services import check_report_issue

        check_report_issue(self.audit)

    def after_issue(self, by: Any, **details: Any) -> None:
        from qms.audits.services import lock

        lock(self.audit, by)

    def file_stem(self) -> str:
        number = self.paper.number_text or "du-thao"
        return f"BC-{number}-{self.agency.abbreviation}-danh-gia-noi-bo"


class QuestionBank(models.Model):
    """Reusable checklist questions for one clause of the standard or one procedure."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="question_banks", verbose_name=_("agency")
    )
    clause = models.CharField(_("clause of the standard"), max_length=10, blank=True)
    procedure = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("procedure"),
    )
    title = models.CharField(_("title"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["clause", "title", "pk"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        constraints = [
            models.CheckConstraint(
                condition=~Q(clause="") | Q(procedure__isnull=False),
                name="question_bank_has_clause_or_procedure",
                violation_error_message=_("Choose a clause of the standard or a procedure."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("audits:bank", args=[self.agency_id, self.pk])

    @property
    def subject(self) -> str:
        if self.procedure is not None:
            return f"{self.procedure.code} {self.procedure.title}"
        return clauses.label(self.clause)


class Question(models.Model):
    bank = models.ForeignKey(
        QuestionBank, on_delete=models.PROTECT, related_name="questions", verbose_name=_("bank")
    )
    text = models.TextField(_("question"), max_length=1000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")

    def __str__(self) -> str:
        return self.text[:80]


class Answer(models.TextChoices):
    CONFORMS = "conforms", _("Conforms")
    NONCONFORMS = "nonconforms", _("Does not conform")
    OBSERVATION = "observation", _("Observation")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ChecklistItem(models.Model):
    """A question copied into an audit's checklist, with the auditor's answer."""

    audit = models.ForeignKey(
        Audit, on_delete=models.PROTECT, related_name="checklist", verbose_name=_("audit")
    )
    source = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copied from"),
    )
    clause = models.CharField(_("clause of the standard"), max_length=10, blank=True)
    procedure = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("procedure"),
    )
    question = models.TextField(_("question"), max_length=1000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    answer = models.CharField(_("result"), max_length=16, choices=Answer.choices, blank=True)
    evidence = models.TextField(_("evidence seen"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "source"],
                condition=Q(source__isnull=False),
                name="checklist_copies_a_question_once",
            )
        ]

    def __str__(self) -> str:
        return self.question[:80]

    @property
    def subject(self) -> str:
        if self.procedure is not None:
            return self.procedure.code
        return self.clause


class Finding(models.Model):
    class Kind(models.TextChoices):
        MAJOR = "major", _("Major nonconformity")
        MINOR = "minor", _("Minor nonconformity")
        OBSERVATION = "observation", _("Observation")
        IMPROVEMENT = "improvement", _("Opportunity for improvement")
        STRENGTH = "strength", _("Strength")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="audit_findings", verbose_name=_("agency")
    )
    audit = models.ForeignKey(
        Audit, on_delete=models.PROTECT, related_name="findings", verbose_name=_("audit")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind of finding"), max_length=12, choices=Kind.choices)
    clause = models.CharField(_("clause of the standard"), max_length=10)
    procedure = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_findings",
        verbose_name=_("procedure"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="audit_findings", verbose_name=_("unit")
    )
    description = models.TextField(_("description"), max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    NONCONFORMITIES = (Kind.MAJOR, Kind.MINOR)

    class Meta:
        ordering = ["audit", "number"]
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="finding_number_per_audit")
        ]
        indexes = [models.Index(fields=["agency", "kind"])]

    def __str__(self) -> str:
        return f"{self.number:02d}. {self.get_kind_display()} – {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("audits:finding", args=[self.agency_id, self.pk])

    @property
    def is_nonconformity(self) -> bool:
        """A major or minor nonconformity: it needs a corrective action (ISO 9001 10.2)."""
        return self.kind in self.NONCONFORMITIES

    @property
    def clause_label(self) -> str:
        return clauses.label(self.clause)


class FindingFile(models.Model):
    """An evidence file of a finding (checked by qms.lib.uploads)."""

    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="files", verbose_name=_("finding")
    )
    file = models.FileField(_("file"), upload_to="audits/findings/%Y/")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name
