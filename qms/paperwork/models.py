"""The signed official document (văn bản hành chính) and the register that numbers it.

`Paper` is one entry of the register of outgoing documents (sổ đăng ký văn bản đi): issuer,
kind, number, date, signer, grounds, recipients, the signed copy. Numbers are unique per
issuer and calendar year whatever the kind, and restart at 01 on 1 January (NĐ 30/2020
Art. 15) — a database constraint, not only a check.

A QMS record becomes official paperwork by subclassing `OfficialRecord` (which gives it its
`paper`) and writing its body builder; docs/paperwork.md shows a worked example.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.paperwork.kinds import LAYOUTS, Issuer, Kind, SignForm

if TYPE_CHECKING:
    from qms.lib import officialdoc as od


class Paper(models.Model):
    class Status(models.TextChoices):
        """The states of qms.paperwork.workflows.PAPER_FLOW: a draft is put forward for
        signature (its signing details are then locked), sent back, or recorded as signed."""

        DRAFT = "draft", _("Draft for signing")
        SIGNING = "signing", _("Submitted for signature")
        ISSUED = "issued", _("Issued")

    agency = models.ForeignKey(
        "organization.Agency",
        on_delete=models.PROTECT,
        related_name="papers",
        verbose_name=_("agency"),
    )
    issuer = models.CharField(
        _("issued by"), max_length=10, choices=Issuer.choices, default=Issuer.AGENCY
    )
    kind = models.CharField(_("kind of document"), max_length=4, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=500)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    drafting_unit = models.ForeignKey(
        "organization.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafting unit"),
        help_text=_("Added to the symbol and to “Lưu: VT, …”."),
    )
    archive_units = models.CharField(
        _("copies kept by"),
        max_length=100,
        blank=True,
        help_text=_("What follows “Lưu: VT,”; by default the drafting unit's short name."),
    )
    sign_form = models.CharField(
        _("signing authority"), max_length=6, choices=SignForm.choices, default=SignForm.OWN
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signer"),
    )
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True)
    # Set when issued if the signer held the right only through the head's delegation
    # (ủy quyền): the paper then says by which letter of authorisation it was signed.
    delegation = models.ForeignKey(
        "organization.Delegation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="papers",
        verbose_name=_("signed under the delegation"),
    )
    signer_position = models.CharField(_("signer's position"), max_length=150, blank=True)
    grounds = models.TextField(
        _("legal grounds"), blank=True, help_text=_("One “Căn cứ …” or “Thực hiện …” per line.")
    )
    proposal = models.CharField(_("proposed by"), max_length=300, blank=True)
    recipients = models.TextField(
        _("distribution list"), blank=True, help_text=_("One recipient per line.")
    )
    addressees = models.TextField(
        _("addressed to (letters)"), blank=True, help_text=_("“Kính gửi”, one per line.")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted for signature by"),
    )
    record_type = models.CharField(_("record"), max_length=60)
    record_url = models.CharField(_("link"), max_length=300, blank=True)
    signed_copy = models.FileField(_("signed copy"), upload_to="signed/%Y/", blank=True)
    signed_copy_name = models.CharField(_("file name"), max_length=255, blank=True)
    signed_copy_type = models.CharField(max_length=100, blank=True)
    signed_copy_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    signed_copy_report = models.JSONField(_("digital signature"), null=True, blank=True)
    signed_copy_at = models.DateTimeField(_("attached at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-number", "-pk"]
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "issuer", "year", "number"],
                condition=Q(status="issued"),
                name="paper_number_unique_per_issuer_year",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "signing"])
                | (Q(number__isnull=False) & Q(year__isnull=False)),
                name="issued_paper_has_number",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "year", "number"]),
            models.Index(fields=["agency", "status", "kind", "year"]),
        ]

    def __str__(self) -> str:
        if self.is_issued:
            assert self.issued_on is not None
            return f"{self.number_text}/{self.symbol} ({self.issued_on:%d/%m/%Y})"
        return str(_("Draft %(kind)s") % {"kind": self.get_kind_display()})

    def get_absolute_url(self) -> str:
        return self.record_url or reverse("paperwork:register", args=[self.agency_id])

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def is_awaiting_signature(self) -> bool:
        return self.status == self.Status.SIGNING

    @property
    def number_text(self) -> str:
        """ "05", "128": a leading zero below 10 everywhere (NĐ 30)."""
        return f"{self.number:02d}" if self.number is not None else ""

    @property
    def issuer_abbreviation(self) -> str:
        if self.issuer == Issuer.COMMITTEE:
            return self.agency.committee_abbreviation
        return self.agency.abbreviation

    @property
    def issuer_name(self) -> str:
        """Who issues, as the header names it: the agency, or its steering committee."""
        if self.issuer == Issuer.COMMITTEE:
            return f"{self.agency.committee_name} – {self.agency.name}"
        return self.agency.name

    @property
    def symbol(self) -> str:
        """`<type>-<issuer>[-<drafting unit>]`, e.g. "QĐ-BQL", "KH-UBND-VP"; a letter has
        no type: "UBND-VP"."""
        parts = [self.kind] if LAYOUTS[self.kind].in_symbol else []
        parts.append(self.issuer_abbreviation)
        if self.unit_symbol:
            parts.append(self.unit_symbol)
        return "-".join(part.strip() for part in parts if part.strip())

    @property
    def reference(self) -> str:
        """ "Quyết định số 05/QĐ-BQL ngày 20/01/2026", for texts that cite this one."""
        if not self.is_issued:
            return ""
        assert self.issued_on is not None
        title = LAYOUTS[self.kind].type_title.capitalize() or "Văn bản"
        return f"{title} số {self.number_text}/{self.symbol} ngày {self.issued_on:%d/%m/%Y}"

    @property
    def archive_note(self) -> str:
        """The archive line after "Lưu:": the registry keeps one copy ("VT"), the drafting
        unit another ("VT, VP"), or whoever the drafter names ("VT, BCĐ ISO, VP/BQL")."""
        unit = self.archive_units.strip().strip(",.") or self.unit_symbol
        return f"VT, {unit}" if unit else "VT"

    @property
    def unit_symbol(self) -> str:
        """The drafting unit's short name, as symbols and archive lines print it ("VP")."""
        unit = self.drafting_unit if self.drafting_unit_id else None
        return unit.short_name.strip() if unit is not None else ""

    @property
    def has_signed_copy(self) -> bool:
        return bool(self.signed_copy_sha256)


class OfficialRecord(models.Model):
    """A QMS record issued as an official document. A subclass states its kind and writes
    `official_document()`; the paperwork services number it, check its dates and keep its
    signed copy. Hooks a subclass may override are listed below with their defaults."""

    paper = models.OneToOneField(
        Paper, on_delete=models.PROTECT, related_name="+", verbose_name=_("official document")
    )

    paper_kind: ClassVar[str] = Kind.DECISION
    # Rights (qms.organization.access.Action values): who edits the draft's paper details,
    # and who records the signed document under its number.
    manage_action: ClassVar[str] = "manage_committee"
    issue_action: ClassVar[str] = "issue_decision"
    # How the register names the record kind, e.g. "Quyết định kiện toàn Ban Chỉ đạo ISO".
    record_label: ClassVar[Any] = ""

    class Meta:
        abstract = True

    # --- read conveniences: the paper holds the fields --------------------------------------

    @property
    def number(self) -> int | None:
        return self.paper.number

    @property
    def signed_on(self) -> dt.date | None:
        return self.paper.issued_on

    @property
    def is_draft(self) -> bool:
        return not self.paper.is_issued

    @property
    def is_editable(self) -> bool:
        """Only a draft not yet put forward for signature changes: what the signer reads is
        what gets issued."""
        return self.paper.status == Paper.Status.DRAFT

    @classmethod
    def record_of_paper(cls, paper: Paper) -> OfficialRecord:
        """The record a paper issues (raises DoesNotExist). A record whose earlier versions
        had papers of their own (a plan's original before its amendment) finds those too."""
        return cls.objects.get(paper=paper)  # type: ignore[attr-defined, no-any-return]

    # --- hooks --------------------------------------------------------------------------------

    def official_document(self) -> od.OfficialDocument:
        """The whole text in the NĐ 30 frame; the draft is the same text without number and
        date (paperwork.frame.frame gives the frame)."""
        raise NotImplementedError

    def issue_floor(self) -> list[tuple[dt.date, str]]:
        """Dates this document cannot be dated before, each with why (the records it
        approves or amends)."""
        return []

    def ready_to_issue(self) -> bool:
        """Whether the record's own life lets it be issued now; the issue form shows only
        then, and the signers' inbox holds it. By default: once its paper is submitted for
        signature (the paper's own workflow, qms.paperwork.workflows). A record with a life of
        its own overrides this (a plan: once submitted) and puts its paper forward itself."""
        return self.paper.status == Paper.Status.SIGNING

    @classmethod
    def has_paper_flow(cls) -> bool:
        """Whether the paper's own steps (submit for signature, send back) apply: true unless
        the record decides its readiness itself (overrides `ready_to_issue`)."""
        return cls.ready_to_issue is OfficialRecord.ready_to_issue

    def before_issue(self) -> None:
        """Bring the draft's words up to date just before it is numbered (e.g. a subject
        that follows the record's content)."""

    def check_issue(self, issued_on: dt.date) -> None:
        """Raise ValidationError when the record cannot be issued on `issued_on`."""

    def after_issue(self, by: Any, **details: Any) -> None:
        """What issuing changes in the record's own app (seats, revisions in force, …)."""

    def file_stem(self) -> str:
        """File name without extension, ASCII: "QD-05-BQL-ban-chi-dao-ISO"."""
        return f"{self.paper.kind}-{self.paper.number_text or 'du-thao'}"
