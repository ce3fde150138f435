"""Controlled documents (ISO 9001:2015 clause 7.5) and the legal bases they rest on.

A `Document` is one entry of the agency's register (code, title, kind, owner unit); its
`Revision`s (lần ban hành) carry the files, the amendment table and the signature grid and
go draft → in review → approved → issued → superseded / withdrawn. A `DocumentSet` (Bộ tài
liệu ISO) brings approved revisions into force together by one decision. `LegalDocument`s
form the legal register; a `Citation` says a document rests on one, and carries the flag
raised when that legal document is amended, replaced or repealed (QĐ 19/2014 Art. 4.4(a)).

State changes live in `services.py`; models only hold data and small derived facts.
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

from qms.organization.models import Agency, Role, Unit
from qms.paperwork.models import OfficialRecord


class Kind(models.TextChoices):
    """Kinds of controlled document, in the order the register lists them."""

    QUALITY_POLICY = "quality_policy", _("Quality policy")
    QUALITY_OBJECTIVES = "quality_objectives", _("Quality objectives")
    QUALITY_MANUAL = "quality_manual", _("Quality manual")
    SYSTEM_PROCEDURE = "system_procedure", _("System procedure")
    TTHC_PROCEDURE = "tthc_procedure", _("Procedure for an administrative procedure (TTHC)")
    INTERNAL_PROCEDURE = "internal_procedure", _("Internal work procedure")
    GUIDANCE = "guidance", _("Guidance")
    FORM_TEMPLATE = "form_template", _("Form")
    EXTERNAL = "external", _("External document")


# Kinds that are procedures: they cite legal bases, keep records and own forms.
PROCEDURE_KINDS = frozenset({Kind.SYSTEM_PROCEDURE, Kind.TTHC_PROCEDURE, Kind.INTERNAL_PROCEDURE})
KIND_ORDER = {kind: n for n, kind in enumerate(Kind.values)}


def kind_rank() -> models.Case:
    """An ordering expression: a document's kind by its place in the register."""
    return models.Case(
        *(models.When(kind=kind, then=models.Value(n)) for kind, n in KIND_ORDER.items()),
        default=models.Value(len(KIND_ORDER)),
        output_field=models.IntegerField(),
    )


class Document(models.Model):
    class Status(models.TextChoices):
        """The register's view of a document: derived from its revisions by the services."""

        NOT_ISSUED = "not_issued", _("Not yet issued")
        IN_FORCE = "in_force", _("In force")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="documents", verbose_name=_("agency")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    code = models.CharField(
        _("document code"), max_length=40, help_text=_("Mã hiệu, e.g. QT-01, QT.ISO.02, BM-01.")
    )
    title = models.CharField(_("title"), max_length=400)
    owner_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("owner unit"),
    )
    procedure = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="form_templates",
        verbose_name=_("procedure the form belongs to"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_ISSUED
    )
    current_revision = models.ForeignKey(
        "Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revision in force"),
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("review every (months)"), default=12
    )
    next_review_on = models.DateField(_("next periodic review"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="one_document_code_per_agency")
        ]
        indexes = [
            models.Index(fields=["agency", "kind", "code"]),
            models.Index(fields=["agency", "status", "code"]),
            models.Index(fields=["agency", "owner_unit", "code"]),
            models.Index(fields=["agency", "next_review_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.agency_id, self.pk])

    @property
    def is_procedure(self) -> bool:
        return self.kind in PROCEDURE_KINDS

    @property
    def is_in_force(self) -> bool:
        """A revision of it is in force: it is reviewed periodically."""
        return self.status == self.Status.IN_FORCE

    @property
    def is_withdrawn(self) -> bool:
        """Its revision in force was withdrawn: no new revision is opened on it."""
        return self.status == self.Status.WITHDRAWN


class RecordToKeep(models.Model):
    """A record the procedure requires to be kept (mục "Hồ sơ cần lưu")."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="records")
    order = models.PositiveSmallIntegerField(_("no."), default=0)
    name = models.CharField(_("record"), max_length=300)
    keeper = models.CharField(_("kept by"), max_length=200)
    retention = models.CharField(_("retention period"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["document_id", "order", "pk"]
        verbose_name = _("record to keep")
        verbose_name_plural = _("records to keep")

    def __str__(self) -> str:
        return self.name


class DocumentSet(OfficialRecord):
    """Bộ tài liệu ISO: approved revisions brought into force together by one decision; the
    decision's number, date, signer, grounds and recipients are its paper's."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="document_sets", verbose_name=_("agency")
    )
    title = models.CharField(_("title"), max_length=400)
    effective_on = models.DateField(
        _("effective on"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the decision takes effect on the day it is signed."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    manage_action = "manage_documents"
    issue_action = "issue_decision"
    record_label = _("Decision issuing a document set")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document set")
        verbose_name_plural = _("document sets")
        indexes = [models.Index(fields=["agency", "effective_on"])]

    def __str__(self) -> str:
        if self.paper.is_issued:
            return str(self.paper)
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:set", args=[self.agency_id, self.pk])

    @property
    def in_force_on(self) -> dt.date:
        """The effective date the decision states, else the day it was signed."""
        day = self.effective_on or self.paper.issued_on
        assert day is not None, "only an issued set is in force"
        return day

    # Paperwork hooks (qms.paperwork.models.OfficialRecord).

    def official_document(self) -> Any:
        from qms.documents.docx import document_set_decision

        return document_set_decision(self)

    def issue_floor(self) -> list[tuple[dt.date, str]]:
        """Not before the last approval of its revisions."""
        approved = [r.approved_on for r in self.revisions.all() if r.approved_on is not None]
        if not approved:
            return []
        return [(max(approved), str(_("the last of its revisions was approved then")))]

    def before_issue(self) -> None:
        from qms.documents.services import sync_set_subject

        sync_set_subject(self)

    def check_issue(self, issued_on: dt.date) -> None:
        from qms.documents.services import check_set_issue

        check_set_issue(self, issued_on)

    def after_issue(self, by: Any, **details: Any) -> None:
        from qms.documents.services import bring_set_into_force

        bring_set_into_force(self, by)

    def file_stem(self) -> str:
        number = self.paper.number_text or "du-thao"
        return f"QD-{number}-{self.agency.abbreviation}-ban-hanh-bo-tai-lieu-ISO"


class Revision(models.Model):
    """Lần ban hành: one edition of a document with its files, amendment table and
    signature grid."""

    class Status(models.TextChoices):
        """The states of qms.documents.workflows.REVISION_FLOW, which moves between them."""

        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        REVIEWED = "reviewed", _("Reviewed, awaiting approval")
        APPROVED = "approved", _("Approved")
        ISSUED = "issued", _("Issued (in force)")
        SUPERSEDED = "superseded", _("Superseded")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="revisions")
    revision_no = models.PositiveSmallIntegerField(_("revision"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.CharField(_("what changes"), max_length=500, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    drafted_on = models.DateField(_("drafted on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    ended_on = models.DateField(_("no longer in force from"), null=True, blank=True)
    document_set = models.ForeignKey(
        DocumentSet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("document set"),
    )
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)
    # A revision issued by a record kept elsewhere (the quality policy, the year's quality
    # objectives): that record's page holds its text; the register holds no second copy.
    record_url = models.CharField(_("issued from"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["document_id", "-revision_no"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "revision_no"], name="one_revision_number_per_document"
            ),
            # The one-in-force rule, kept by the database too.
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="issued"),
                name="one_revision_in_force_per_document",
            ),
        ]
        indexes = [models.Index(fields=["document", "status"])]

    def __str__(self) -> str:
        return f"{self.document.code} — lần {self.revision_no}"

    def get_absolute_url(self) -> str:
        return reverse("documents:revision", args=[self.document.agency_id, self.pk])

    @property
    def is_editable(self) -> bool:
        """Files and the amendment table change only while the revision is a draft."""
        return self.status == self.Status.DRAFT

    @property
    def is_in_force(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def is_superseded(self) -> bool:
        return self.status == self.Status.SUPERSEDED

    @property
    def is_ended(self) -> bool:
        """Superseded or withdrawn: kept for reference only."""
        return self.status in (self.Status.SUPERSEDED, self.Status.WITHDRAWN)


def revision_file_path(instance: RevisionFile, filename: str) -> str:
    # Stored under the SHA-256, never the user's name: no path tricks, no clashes.
    return f"documents/{instance.revision.document.agency_id}/{instance.sha256}"


class RevisionFile(models.Model):
    class Extraction(models.TextChoices):
        # For search: named so that nobody takes "done" for "someone has read the file".
        PENDING = "pending", _("Extracting the text for search")
        DONE = "done", _("Text extracted for search")
        FAILED = "failed", _("Text could not be extracted")

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=revision_file_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    extraction = models.CharField(
        max_length=8, choices=Extraction.choices, default=Extraction.PENDING
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["revision_id", "uploaded_at", "pk"]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.original_name


class Amendment(models.Model):
    """One row of the "Sửa đổi tài liệu" table printed in the document."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="amendments")
    order = models.PositiveSmallIntegerField(_("no."), default=0)
    request = models.CharField(_("amendment requested"), max_length=500)
    location = models.CharField(_("page / part"), max_length=200, blank=True)
    description = models.TextField(_("description of the change"))
    amendment_no = models.PositiveSmallIntegerField(_("amendment no."), default=1)
    amended_on = models.DateField(_("date"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["revision_id", "order", "pk"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return self.request


class ReviewComment(models.Model):
    """What a reviewer wrote when sending a revision back, or a note on the way."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    sent_back = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ReadRequirement(models.Model):
    """Who must read a revision: a whole unit, everyone holding a role, or one person."""

    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="read_requirements"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The reading is due some days (an agency setting) after this day: the day of the issue
    # for readers named before it (set at issue), else the day they were added.
    added_on = models.DateField(_("added on"), default=timezone.localdate)
    history = HistoricalRecords()

    class Meta:
        ordering = ["revision_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(unit__isnull=False, role="", person__isnull=True)
                    | Q(unit__isnull=True, person__isnull=True) & ~Q(role="")
                    | Q(unit__isnull=True, role="", person__isnull=False)
                ),
                name="read_requirement_names_exactly_one_audience",
            )
        ]

    def __str__(self) -> str:
        if self.unit_id:
            return str(self.unit)
        if self.role:
            return str(self.get_role_display())
        return str(self.person)


class ReadConfirmation(models.Model):
    """ "Đã đọc và hiểu": a person confirms reading a revision, once."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["revision_id", "confirmed_at"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "user"], name="confirm_reading_once")
        ]
        indexes = [models.Index(fields=["user", "revision"])]

    def __str__(self) -> str:
        return f"{self.user} {self.confirmed_at:%d/%m/%Y}"


class Posting(models.Model):
    """Public posting of a procedure: niêm yết at the one-stop desk, on the website, …"""

    class Place(models.TextChoices):
        ONE_STOP = "one_stop", _("One-stop desk")
        OFFICE = "office", _("Agency's office")
        WEBSITE = "website", _("Agency's website")

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="postings")
    place = models.CharField(_("where"), max_length=10, choices=Place.choices)
    posted_on = models.DateField(_("posted on"))
    link = models.URLField(_("web address"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["revision_id", "posted_on"]

    def __str__(self) -> str:
        return f"{self.get_place_display()} {self.posted_on:%d/%m/%Y}"


class DocumentReview(models.Model):
    """A periodic review of a document in force: still fit, or to be revised."""

    class Result(models.TextChoices):
        NO_CHANGE = "no_change", _("Still fit, no change")
        REVISE = "revise", _("To be revised")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["document_id", "-reviewed_on"]

    def __str__(self) -> str:
        return f"{self.document.code} {self.reviewed_on:%d/%m/%Y}"


class LegalDocument(models.Model):
    """An entry of the agency's register of legal normative documents."""

    class Type(models.TextChoices):
        LAW = "law", _("Law")
        RESOLUTION = "resolution", _("Resolution")
        DECREE = "decree", _("Decree")
        DECISION = "decision", _("Decision")
        CIRCULAR = "circular", _("Circular")
        DIRECTIVE = "directive", _("Directive")
        PLAN = "plan", _("Plan")
        OFFICIAL_LETTER = "letter", _("Official letter")
        STANDARD = "standard", _("Standard")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        AMENDED = "amended", _("Amended")
        REPLACED = "replaced", _("Replaced")
        REPEALED = "repealed", _("Repealed")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="legal_documents", verbose_name=_("agency")
    )
    doc_type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    number = models.CharField(
        _("number and symbol"), max_length=80, help_text=_("e.g. 19/2014/QĐ-TTg")
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200)
    title = models.CharField(_("subject"), max_length=500)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.IN_FORCE
    )
    changed_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("amended / replaced by"),
    )
    change_effective_on = models.DateField(
        _("change takes effect on"),
        null=True,
        blank=True,
        help_text=_("The day the amending or replacing text takes effect."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="one_legal_number_per_agency")
        ]
        indexes = [models.Index(fields=["agency", "status", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("documents:legal_detail", args=[self.agency_id, self.pk])

    def citation_text(self) -> str:
        """How a procedure's "Tài liệu viện dẫn" names it, in Vietnamese."""
        day = f" ngày {self.issued_on:%d/%m/%Y}" if self.issued_on else ""
        kind = TYPE_WORDS.get(self.doc_type, "")
        return f"{kind} số {self.number}{day} của {self.issuer} {self.title}".strip()


# The type as a Vietnamese legal citation writes it, whatever the UI language.
TYPE_WORDS: dict[str, str] = {
    LegalDocument.Type.LAW: "Luật",
    LegalDocument.Type.RESOLUTION: "Nghị quyết",
    LegalDocument.Type.DECREE: "Nghị định",
    LegalDocument.Type.DECISION: "Quyết định",
    LegalDocument.Type.CIRCULAR: "Thông tư",
    LegalDocument.Type.DIRECTIVE: "Chỉ thị",
    LegalDocument.Type.PLAN: "Kế hoạch",
    LegalDocument.Type.OFFICIAL_LETTER: "Công văn",
    LegalDocument.Type.STANDARD: "Tiêu chuẩn",
    LegalDocument.Type.OTHER: "Văn bản",
}


class Citation(models.Model):
    """A document rests on a legal document. When that legal document changes, the
    citation is flagged and the document must be updated within 3 months of the change
    taking effect (QĐ 19/2014 Art. 4.4(a))."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="citations")
    legal_document = models.ForeignKey(
        LegalDocument,
        on_delete=models.PROTECT,
        related_name="citations",
        verbose_name=_("legal document"),
    )
    flagged_on = models.DateField(_("flagged on"), null=True, blank=True)
    due_on = models.DateField(_("update due by"), null=True, blank=True)
    resolved_on = models.DateField(_("handled on"), null=True, blank=True)
    resolution = models.CharField(_("how it was handled"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["document_id", "legal_document_id"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "legal_document"], name="cite_legal_document_once"
            )
        ]
        indexes = [models.Index(fields=["agency", "resolved_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.document.code} ← {self.legal_document.number}"

    @property
    def is_flagged(self) -> bool:
        return self.flagged_on is not None and self.resolved_on is None


class LegalBasisReview(models.Model):
    """Rà soát căn cứ pháp lý: a unit checks the legal bases of its procedures (every
    3 months in the Hải Phòng seed)."""

    class Result(models.TextChoices):
        NO_CHANGE = "no_change", _("No change")
        CHANGES_FOUND = "changes_found", _("Changes found")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    result = models.CharField(_("result"), max_length=14, choices=Result.choices)
    findings = models.TextField(_("changes found"), blank=True)
    legal_documents = models.ManyToManyField(
        LegalDocument, blank=True, related_name="+", verbose_name=_("legal documents concerned")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("legal-basis review")
        verbose_name_plural = _("legal-basis reviews")
        indexes = [models.Index(fields=["agency", "unit", "reviewed_on"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.reviewed_on:%d/%m/%Y}"


class SearchEntry(models.Model):
    """What the search box looks through for one document: code, title, legal bases and the
    text of its latest revision's files, folded (no diacritics, đ→d, lower case) so that
    "danh gia" finds "Đánh giá". Kept by `search.reindex`; the full-text index over `folded`
    is created per database in the migrations (FTS5 on SQLite, tsvector GIN on PostgreSQL)."""

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    folded = models.TextField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["agency"])]

    def __str__(self) -> str:
        return str(self.document_id)
