"""The annual QMS maintenance and improvement plan (Kế hoạch duy trì và cải tiến HTQLCL):
its text, its task table with computable timing rules, the events relative tasks wait for,
and the progress of each task."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.organization import standards
from qms.organization.models import Agency, Unit
from qms.paperwork.models import OfficialRecord, Paper
from qms.plans import events
from qms.plans import timing as tm


class Column(models.TextChoices):
    """Columns of the task table an agency may show; the two seeds use different sets."""

    TIMING = "timing", _("Timing")
    LEAD = "lead", _("Lead unit")
    COORDINATION = "coordination", _("Coordinating units")
    APPROVER = "approver", _("Approver / report to")
    EXPECTED_RESULT = "expected_result", _("Expected result")
    NOTE = "note", _("Note")


DEFAULT_COLUMNS = [Column.TIMING, Column.LEAD, Column.COORDINATION, Column.EXPECTED_RESULT]
# Headings as the Hải Phòng seed writes them; a plan may word them its own way
# (Bình Sơn: "TT", "Công việc", "Thời gian thực hiện", "Chủ trì/ tham mưu", …).
DEFAULT_TITLES = {
    "order": "STT",
    "content": "Nội dung",
    Column.TIMING: "Thời gian dự kiến",
    Column.LEAD: "Đơn vị thực hiện",
    Column.COORDINATION: "Đơn vị phối hợp",
    Column.APPROVER: "Phê duyệt/báo cáo",
    Column.EXPECTED_RESULT: "Kết quả dự kiến",
    Column.NOTE: "Ghi chú",
}


def default_columns() -> list[str]:
    return [str(c) for c in DEFAULT_COLUMNS]


def in_force_q(prefix: str = "") -> Q:
    """`Plan.is_in_force` as a filter (prefix "plan__" from a task)."""
    S = Plan.Status
    return Q(**{f"{prefix}status": S.ISSUED}) | Q(
        **{f"{prefix}amendment_no__gt": 0, f"{prefix}status__in": [S.DRAFT, S.SUBMITTED]}
    )


def covers_q(year: int) -> Q:
    """Plans covering `year`: the annual plan of that year and the programmes over it."""
    annual = Q(year=year, last_year__isnull=True)
    return annual | Q(year__lte=year, last_year__gte=year)


class Plan(OfficialRecord):
    """The annual plan; issued as a Kế hoạch whose number, date, signer, grounds and
    recipients are its paper's (each issued version — the original and every amendment —
    has a paper of its own in the register)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        ISSUED = "issued", _("Issued")
        CLOSED = "closed", _("Closed")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="plans", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("A programme over several years: its first year.")
    )
    # A programme "giai đoạn 2026–2030" runs to its last year; an annual plan has none. Each
    # row of a programme belongs to one year of it (PlanTask.year) and is tracked in that year.
    last_year = models.PositiveSmallIntegerField(
        _("last year of the programme"),
        null=True,
        blank=True,
        help_text=_("Only for a programme over several years, e.g. 2030 for 2026–2030."),
    )
    standard = models.CharField(
        _("standard applied"),
        max_length=30,
        choices=standards.CHOICES,
        default=standards.DEFAULT,
        help_text=_(
            "Usually the agency's; a local-government pilot may apply TCVN ISO 18091:2020."
        ),
    )
    title = models.CharField(_("title"), max_length=400)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    amendment_no = models.PositiveSmallIntegerField(_("amendment"), default=0)
    intro = models.TextField(_("introduction"), blank=True)
    purpose = models.TextField(
        _("I. Purpose and requirements"),
        blank=True,
        help_text=_("Lines starting with “1.” become headings; other lines are paragraphs."),
    )
    by_decision = models.BooleanField(
        _("issued by a decision"),
        default=False,
        help_text=_(
            "The plan is issued by a “Quyết định ban hành Kế hoạch …” and printed after it, "
            "instead of as a Kế hoạch numbered on its own."
        ),
    )
    section_two_title = models.CharField(
        _("title of section II"), max_length=200, default="NHIỆM VỤ TRỌNG TÂM"
    )
    budget = models.TextField(
        _("budget"),
        blank=True,
        help_text=_("Written after the task table, as “2. Kinh phí thực hiện”."),
    )
    organisation = models.TextField(
        _("III. Implementation"),
        blank=True,
        help_text=_("Lines starting with “1.” become headings; other lines are paragraphs."),
    )
    closing = models.TextField(_("closing paragraph"), blank=True)
    columns = models.JSONField(_("columns shown"), default=default_columns)
    column_titles = models.JSONField(_("column headings"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    paper_kind = "KH"
    manage_action = "manage_plan"
    issue_action = "approve_plan"
    record_label = _("QMS maintenance and improvement plan")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            # One annual plan a year; programmes over several years sit beside them.
            models.UniqueConstraint(
                fields=["agency", "year"],
                condition=Q(last_year__isnull=True),
                name="one_plan_per_agency_year",
            ),
            models.UniqueConstraint(
                fields=["agency", "year", "last_year"],
                condition=Q(last_year__isnull=False),
                name="one_programme_per_agency_period",
            ),
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gt=F("year")),
                name="programme_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "year"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_text})"

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.agency_id, self.pk])

    @property
    def is_programme(self) -> bool:
        return self.last_year is not None

    @property
    def years(self) -> range:
        """The years the plan covers: one, or every year of a programme."""
        return range(self.year, (self.last_year or self.year) + 1)

    @property
    def period_text(self) -> str:
        """ "2026", or "2026–2030" for a programme (an en dash, as the plans print it)."""
        return f"{self.year}–{self.last_year}" if self.last_year else str(self.year)

    @property
    def applied_standard(self) -> standards.Standard:
        return standards.standard(self.standard)

    # Paperwork hooks (qms.paperwork.models.OfficialRecord).

    @classmethod
    def record_of_paper(cls, paper: Paper) -> Plan:
        """The current version's paper, or the paper of a version issued before an
        amendment (its signed copy is still attached to it)."""
        return cls.objects.filter(Q(paper=paper) | Q(versions__paper=paper)).distinct().get()

    def official_document(self) -> Any:
        from qms.plans.documents import plan_document
        from qms.plans.services import task_rows

        return plan_document(self, task_rows(self))

    def ready_to_issue(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def issue_floor(self) -> list[tuple[dt.date, str]]:
        """A plan is issued in its year or the year before; an amendment after the version
        it amends."""
        year = str(_("the plan is for %(year)s") % {"year": self.year})
        floors = [(dt.date(self.year - 1, 1, 1), year)]
        last = self.versions.order_by("-amendment_no").first()
        if last is not None:
            floors.append((last.issued_on, str(_("the version it amends was issued then"))))
        return floors

    def check_issue(self, issued_on: dt.date) -> None:
        from qms.plans.services import check_plan_issue

        check_plan_issue(self, issued_on)

    def after_issue(self, by: Any, **details: Any) -> None:
        from qms.plans.services import freeze_issued_version

        freeze_issued_version(self)

    def file_stem(self) -> str:
        number = self.paper.number_text or "du-thao"
        return f"KH-{number}-{self.agency.abbreviation}-{self.period_text.replace('–', '-')}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_in_force(self) -> bool:
        """Issued, or issued and now being amended: the year's work does not stop while an
        amendment is drafted and signed, so the tasks stay on the agenda and take progress."""
        return self.status == self.Status.ISSUED or (
            self.amendment_no > 0 and self.status in (self.Status.DRAFT, self.Status.SUBMITTED)
        )

    def column_title(self, key: str) -> str:
        return str(self.column_titles.get(key) or DEFAULT_TITLES[key])

    def event_dates(self) -> dict[str, dt.date]:
        return {e.event: e.occurred_on for e in self.events.all()}


class PlanVersion(models.Model):
    """What was issued, frozen: every issued version of a plan stays readable after an
    amendment reopens it."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    paper = models.OneToOneField(
        Paper, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amendment_no = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField(null=True)
    issued_on = models.DateField()
    snapshot = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "amendment_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "amendment_no"], name="one_version_per_amendment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.amendment_no}"


class AgencyEvent(models.Model):
    """An event an agency defines itself ("Khi có thay đổi thành viên Ban Chỉ đạo"), with the
    words its plans use after "kể từ", "trước", "ngay sau khi" and "Trường hợp"; its key in
    timings and PlanEvent is "agency:<id>" (qms.plans.events)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="plan_events")
    label = models.CharField(_("name"), max_length=200)
    since = models.CharField(_("words after “… ngày kể từ”"), max_length=300)
    before = models.CharField(_("words after “… ngày trước”"), max_length=300)
    when = models.CharField(_("words after “ngay sau khi”"), max_length=300)
    condition = models.CharField(_("words after “Trường hợp”"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency", "label"]
        verbose_name = _("agency-defined event")
        verbose_name_plural = _("agency-defined events")
        constraints = [
            models.UniqueConstraint(fields=["agency", "label"], name="agency_event_label_once")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        return events.agency_key(self.pk)

    def as_event(self) -> events.Event:
        return events.Event(
            key=self.key,
            label=self.label,
            since=self.since,
            before=self.before,
            when=self.when,
            condition=self.condition,
        )


class PlanEvent(models.Model):
    """A dated event that relative tasks wait for, e.g. the new document set taking effect.
    `event` is a key of the agency's catalogue (qms.plans.events), checked by the service."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="events")
    event = models.CharField(_("event"), max_length=40)
    occurred_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["occurred_on"]
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")
        constraints = [
            models.UniqueConstraint(fields=["plan", "event"], name="event_once_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} {self.occurred_on:%d/%m/%Y}"

    def get_event_display(self) -> str:
        """The event's name in the plan's agency catalogue (its key if it left the catalogue)."""
        found = events.catalogue(self.plan.agency).get(self.event)
        return found.label if found is not None else self.event


def due_facts(found: list[tm.Occurrence]) -> tuple[dt.date | None, str]:
    """The last dated due date of a task's occurrences and the event one still waits for
    ("" when none); the totals store `first_open_due` instead (see `is_overdue`)."""
    dated = [o.due for o in found if o.due is not None]
    waiting = next((o.waiting_for for o in found if o.waiting_for), "")
    return (max(dated) if dated else None), waiting


# A task is finished when done or not carried out: it is never overdue.
FINISHED = ("done", "skipped")
# The state of one occurrence: the agenda's Obligation.State values.
OPEN, DONE, NOT_CARRIED_OUT = "open", "done", "cancelled"


def occurrence_keys(found: list[tm.Occurrence]) -> list[str]:
    """A stable key per occurrence: its part and its rank in that part ("0-2": the third
    quarter of the first part). Positions in the sorted list are not stable (a recorded event
    moves its occurrence among the dated ones); a part's own occurrences keep their order."""
    seen: dict[int, int] = {}
    keys = []
    for occurrence in found:
        rank = seen.get(occurrence.part_index, 0)
        seen[occurrence.part_index] = rank + 1
        keys.append(f"{occurrence.part_index}-{rank}")
    return keys


def occurrence_states(keys: list[str], recorded: dict[str, str], task_status: str) -> list[str]:
    """Each occurrence's state: what was recorded for it (OccurrenceProgress), else what the
    task's own status says for all of them (done or not carried out through the status form,
    open otherwise)."""
    fallback = {"done": DONE, "skipped": NOT_CARRIED_OUT}.get(task_status, OPEN)
    return [recorded.get(key, fallback) for key in keys]


def first_open_due(found: list[tm.Occurrence], states: list[str]) -> dt.date | None:
    """The earliest due date of an occurrence still open (None when none is open and dated):
    what PlanTask.last_due stores."""
    dated = [o.due for o, state in zip(found, states, strict=True) if state == OPEN and o.due]
    return min(dated) if dated else None


def derived_status(states: list[str], chosen: str) -> str:
    """The task's status from its occurrences: done when every one is done or not carried out
    (not carried out when none was done), in progress when some are; otherwise the status
    the lead chose (not started / in progress)."""
    closed = [s for s in states if s != OPEN]
    if states and len(closed) == len(states):
        return "done" if DONE in closed else "skipped"
    if closed:
        return "in_progress"
    return chosen if chosen not in FINISHED else "not_started"


def is_overdue(first_open: dt.date | None, day: dt.date) -> bool:
    """THE overdue rule, for every view (plan page, timeline, dashboard, agenda, progress
    report, inbox): an occurrence is overdue when it is open, dated and its due date is
    before `day`; a task is overdue when any of its occurrences is, i.e. when its earliest
    open due date (`first_open_due`, stored as PlanTask.last_due) is before `day`. The
    agenda says the same of each occurrence's Obligation (open, due_date < day);
    `overdue_q` says it to the database."""
    return first_open is not None and first_open < day


def table_order() -> tuple[Any, ...]:
    """The order of the task table wherever it is shown or printed: rows outside any phase
    first, then each phase's rows under its heading, by number within it."""
    return (
        F("section__order").asc(nulls_first=True),
        F("section_id").asc(nulls_first=True),
        "order",
        "pk",
    )


class PlanSection(models.Model):
    """A heading that groups rows of the task table: a phase of a programme ("Giai đoạn 1:
    Khảo sát, đánh giá thực trạng") or a group of tasks. Printed as a row across the table
    above the first of its tasks; tasks keep their own numbering."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="sections")
    order = models.PositiveSmallIntegerField(_("no."), default=1)
    title = models.CharField(_("heading"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("phase or group of tasks")
        verbose_name_plural = _("phases and groups of tasks")

    def __str__(self) -> str:
        return self.title


class PlanTaskQuerySet(models.QuerySet["PlanTask"]):
    def overdue(self, day: dt.date) -> PlanTaskQuerySet:
        """The tasks `is_overdue` says are overdue on `day`, from the stored facts."""
        return self.filter(overdue_q(day))

    def waiting(self) -> PlanTaskQuerySet:
        """Not done and still waiting for an event (a task not carried out counts too)."""
        return self.filter(waiting_q())


def overdue_q(day: dt.date, prefix: str = "") -> Q:
    """`is_overdue` as a filter; keep the two together."""
    return Q(**{f"{prefix}last_due__lt": day})


def waiting_q() -> Q:
    return ~Q(waiting_for="") & ~Q(status="done")


class PlanTask(models.Model):
    class Lead(models.TextChoices):
        UNIT = "unit", _("A unit")
        COMMITTEE = "committee", _("The ISO steering committee")
        LEADERSHIP = "leadership", _("The leadership")
        TEXT = "text", _("Free text")
        UNASSIGNED = "unassigned", _("Not assigned yet")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Not carried out")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks")
    order = models.PositiveSmallIntegerField(_("no."))
    section = models.ForeignKey(
        PlanSection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("phase or group"),
    )
    # The year of a programme the row belongs to: its timing is read in that year ("Quý
    # II/2027") and its progress tracked there. None: the plan's (first) year.
    year = models.PositiveSmallIntegerField(_("year of the programme"), null=True, blank=True)
    content = models.TextField(_("content"))
    timing = models.JSONField(_("timing"))
    lead_kind = models.CharField(_("lead"), max_length=12, choices=Lead.choices, default=Lead.UNIT)
    lead_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_tasks",
        verbose_name=_("lead unit"),
    )
    lead_text = models.CharField(_("lead (as written)"), max_length=300, blank=True)
    approver = models.CharField(_("approver / report to"), max_length=300, blank=True)
    expected_result = models.CharField(_("expected result"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    skip_reason = models.CharField(_("reason it is not carried out"), max_length=500, blank=True)
    fulfilled_by = models.CharField(
        _("fulfilled by"),
        max_length=80,
        blank=True,
        help_text=_("The record that fulfils the task, e.g. organization.committeedecision:12"),
    )
    # What the plan's totals count, derived from the timing rule, the plan's year, its
    # recorded events and the occurrences' progress by services._row and stored by services
    # (never edited): `last_due` is the FIRST OPEN due date (the earliest dated occurrence
    # neither done nor not carried out; None when there is none: see `is_overdue`), and
    # `waiting_for` the event an occurrence still waits for ("" when none).
    last_due = models.DateField(_("first open due date"), null=True, blank=True, editable=False)
    waiting_for = models.CharField(
        _("waiting for"), max_length=40, blank=True, default="", editable=False
    )
    history = HistoricalRecords(excluded_fields=["last_due", "waiting_for"])

    objects = PlanTaskQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        indexes = [
            models.Index(fields=["plan", "order"]),
            models.Index(fields=["lead_unit"]),
            models.Index(fields=["plan", "last_due"], name="plans_task_plan_last_due"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.content[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("plans:task", args=[self.plan.agency_id, self.pk])

    def rule(self) -> tm.Timing:
        return tm.Timing.from_dict(self.timing)

    def timing_year(self, plan_year: int) -> int:
        """The year the row's timing is read in: its own year in a programme, else the
        plan's (passed in, so a list of rows needs no query for their plan)."""
        return self.year or plan_year

    @property
    def is_unassigned(self) -> bool:
        """Saved without a lead yet: printed "Chưa phân công", followed by the ISO secretary."""
        return self.lead_kind == self.Lead.UNASSIGNED

    def lead_label(self) -> str:
        """Who leads, as the plan (a Vietnamese document) writes it, whatever the UI language."""
        if self.lead_kind == self.Lead.UNASSIGNED:
            return LEAD_WORDS[self.lead_kind]
        if self.lead_text:
            return self.lead_text
        if self.lead_kind == self.Lead.UNIT and self.lead_unit is not None:
            return self.lead_unit.name
        return LEAD_WORDS.get(self.lead_kind, "")


LEAD_WORDS: dict[str, str] = {
    PlanTask.Lead.COMMITTEE: "Ban Chỉ đạo ISO",
    PlanTask.Lead.LEADERSHIP: "Lãnh đạo",
    PlanTask.Lead.UNASSIGNED: "Chưa phân công",
}


class OccurrenceProgress(models.Model):
    """What became of one occurrence of a task (a quarter of a quarterly review): done on a
    date, with a note or one of the task's evidence files, or not carried out, for a reason.
    An occurrence without a row is open (or follows the task's own status: see
    `occurrence_states`). Written only by services.record_occurrence."""

    class State(models.TextChoices):
        DONE = DONE, _("Done")
        NOT_CARRIED_OUT = NOT_CARRIED_OUT, _("Not carried out")

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="occurrence_records")
    key = models.CharField(_("occurrence"), max_length=20)  # occurrence_keys
    due = models.DateField(_("due date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reason = models.CharField(_("reason it is not carried out"), max_length=500, blank=True)
    evidence = models.ForeignKey(
        "Evidence",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "key"]
        verbose_name = _("occurrence progress")
        verbose_name_plural = _("occurrence progress")
        constraints = [
            models.UniqueConstraint(fields=["task", "key"], name="occurrence_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.key}: {self.state}"


class Coordination(models.Model):
    """A coordinating unit and what it does, as in the Hải Phòng seed's column."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="coordinations")
    order = models.PositiveSmallIntegerField(default=0)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    text = models.CharField(_("who (as written)"), max_length=300, blank=True)
    duty = models.CharField(_("what it does"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "order", "pk"]

    def __str__(self) -> str:
        return self.label()

    def label(self) -> str:
        who = self.text or (self.unit.name if self.unit else "")
        return f"{who} {self.duty}".strip()


class ProgressNote(models.Model):
    task = models.ForeignKey(PlanTask, on_delete=models.PROTECT, related_name="progress_notes")
    on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return self.text[:80]


def evidence_path(instance: Evidence, filename: str) -> str:
    # Stored under the SHA-256, never the user's name: no path tricks, no clashes.
    return f"evidence/{instance.task.plan.agency_id}/{instance.sha256}"


class Evidence(models.Model):
    task = models.ForeignKey(PlanTask, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


def snapshot(plan: Plan) -> dict[str, Any]:
    """The plan as issued, for PlanVersion."""
    fields = [
        "title",
        "intro",
        "purpose",
        "budget",
        "organisation",
        "closing",
        "columns",
        "column_titles",
        "year",
        "last_year",
        "standard",
    ]
    data: dict[str, Any] = {name: getattr(plan, name) for name in fields}
    paper = plan.paper
    for name in ("number", "grounds", "recipients", "signer_name", "signer_position"):
        data[name] = getattr(paper, name)
    data["sign_form"] = paper.sign_form
    data["symbol"] = paper.symbol
    data["issued_on"] = paper.issued_on.isoformat() if paper.issued_on else None
    data["tasks"] = [
        {
            "order": t.order,
            "section": t.section.title if t.section else "",
            "year": t.timing_year(plan.year),
            "content": t.content,
            "timing": t.timing,
            "lead": t.lead_label(),
            "coordination": [c.label() for c in t.coordinations.all()],
            "approver": t.approver,
            "expected_result": t.expected_result,
            "note": t.note,
        }
        for t in plan.tasks.select_related("lead_unit", "section")
        .prefetch_related("coordinations__unit")
        .order_by(*table_order())
    ]
    return data
