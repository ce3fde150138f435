"""Forms of the document register, revisions, distribution and document sets."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qms.documents.models import (
    PROCEDURE_KINDS,
    Amendment,
    Document,
    DocumentReview,
    DocumentSet,
    Kind,
    Posting,
    RecordToKeep,
    Revision,
)
from qms.lib.chooser import search_chooser
from qms.lib.forms import StyledFormMixin, inline_formset, limit_choices
from qms.lib.uploads import OFFICE_FILES, CheckedUpload, check_upload, with_size_limit
from qms.organization.forms import DATE_WIDGET, current_members, member_label
from qms.organization.models import (
    Agency,
    Membership,
    Role,
    Unit,
    today,
)


def _units(agency: Agency) -> Any:
    return Unit.objects.filter(agency=agency, is_active=True).order_by("name")


def procedure_choices(agency_id: int) -> QuerySet[Document]:
    """The procedures a form (biểu mẫu) may belong to, by code."""
    procedures = Document.objects.filter(agency_id=agency_id, kind__in=PROCEDURE_KINDS)
    return procedures.order_by("code", "pk")


def set_revision_choices(agency_id: int) -> QuerySet[Revision]:
    """The revisions a document set may take: being prepared and in no set yet."""
    return (
        Revision.objects.filter(
            document__agency_id=agency_id,
            status__in=[
                Revision.Status.DRAFT,
                Revision.Status.IN_REVIEW,
                Revision.Status.REVIEWED,
                Revision.Status.APPROVED,
            ],
            document_set__isnull=True,
        )
        .select_related("document")
        .order_by("document__code", "pk")
    )


def set_revision_label(revision: Revision) -> str:
    document = revision.document
    status = revision.get_status_display()
    return f"{document.code} {document.title} — lần {revision.revision_no} ({status})"


class SearchForm(StyledFormMixin, forms.Form):
    """The register's search box and filters; bad values are ignored, never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Owner unit"), queryset=Unit.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Kind.choices]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("All")), *Document.Status.choices]  # type: ignore[attr-defined]
        limit_choices(self, "unit", _units(agency))
        self.fields["unit"].empty_label = _("All units")  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs["placeholder"] = _("Code, title, legal basis or text")

    def filters(self) -> dict[str, Any]:
        """Valid filters only: an invalid one (a changed URL) is dropped, the rest apply."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in ("q", "kind", "unit", "status") if data.get(name)}


class DocumentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Document
        fields = ["kind", "code", "title", "owner_unit", "procedure", "review_interval_months"]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        limit_choices(self, "owner_unit", _units(agency))
        limit_choices(self, "procedure", procedure_choices(agency.pk).exclude(pk=self.instance.pk))
        url = reverse("documents:choices", args=[agency.pk, "procedures"])
        if self.instance.pk:
            url += f"?exclude={self.instance.pk}"
        search_chooser(self, "procedure", url)
        self.fields["review_interval_months"].widget.attrs.update(min=1, max=60)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        clash = Document.objects.filter(agency=self.instance.agency, code__iexact=code)
        if clash.exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Another document of the agency already has this code."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("procedure") and data.get("kind") != Kind.FORM_TEMPLATE:
            self.add_error("procedure", _("Only a form belongs to a procedure."))
        interval = data.get("review_interval_months")
        if interval is not None and not 1 <= interval <= 60:
            self.add_error("review_interval_months", _("Between 1 and 60 months."))
        return data


class RecordForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = RecordToKeep
        fields = ["order", "name", "keeper", "retention"]


RecordFormSet = inline_formset(Document, RecordToKeep, form=RecordForm, extra=2, can_delete=True)


class RevisionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Revision
        fields = ["summary"]


class AmendmentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Amendment
        fields = ["order", "request", "location", "description", "amendment_no", "amended_on"]
        widgets = {"amended_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 2})}


AmendmentFormSet = inline_formset(Revision, Amendment, form=AmendmentForm, extra=1, can_delete=True)


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=with_size_limit(_("Document file (DOCX or PDF, at most %(size)s MB)"))
    )

    def clean_file(self) -> CheckedUpload:
        return check_upload(self.cleaned_data["file"], OFFICE_FILES)


class IssueForm(StyledFormMixin, forms.Form):
    """The dates a revision issued on its own asks for (the "issue" step of its workflow)."""

    issued_on = forms.DateField(label=_("Issued on"), widget=DATE_WIDGET, initial=today)
    effective_on = forms.DateField(label=_("Effective on"), widget=DATE_WIDGET, initial=today)


class ReaderForm(StyledFormMixin, forms.Form):
    """Who must read: one of a unit, a role, a person."""

    unit = forms.ModelChoiceField(
        label=_("A whole unit"), queryset=Unit.objects.none(), required=False
    )
    role = forms.ChoiceField(label=_("Everyone holding a role"), required=False)
    person = forms.ModelChoiceField(
        label=_("One person"), queryset=Membership.objects.none(), required=False
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "unit", _units(agency))
        roles = [(r.value, r.label) for r in Role if r != Role.PROVINCE_OVERSEER]
        self.fields["role"].choices = [("", "—"), *roles]  # type: ignore[attr-defined]
        limit_choices(self, "person", current_members(agency))
        self.fields["person"].label_from_instance = member_label  # type: ignore[attr-defined]
        url = reverse("organization:people_choices", args=[agency.pk, "readers"])
        search_chooser(self, "person", url)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [name for name in ("unit", "role", "person") if data.get(name)]
        if len(chosen) != 1:
            raise ValidationError(_("Choose exactly one: a unit, a role or a person."))
        return data

    def requirement(self) -> dict[str, Any]:
        data = self.cleaned_data
        person = data.get("person")
        return {
            "unit": data.get("unit"),
            "role": data.get("role") or "",
            "person": person.user if person else None,
        }


class PostingForm(StyledFormMixin, forms.ModelForm):
    link = forms.URLField(label=_("web address"), required=False, assume_scheme="https")

    class Meta:
        model = Posting
        fields = ["place", "posted_on", "link", "note"]
        widgets = {"posted_on": DATE_WIDGET}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("place") == Posting.Place.WEBSITE and not data.get("link"):
            self.add_error("link", _("Give the web address where it is published."))
        return data


class DocumentReviewForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = DocumentReview
        fields = ["reviewed_on", "result", "note"]
        labels = {"reviewed_on": _("Review date")}
        widgets = {"reviewed_on": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 2})}


class DocumentSetForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = DocumentSet
        fields = ["title", "effective_on"]
        widgets = {"effective_on": DATE_WIDGET}


class SetRevisionForm(StyledFormMixin, forms.Form):
    revision = forms.ModelChoiceField(label=_("Revision"), queryset=Revision.objects.none())

    def __init__(self, *args: Any, document_set: DocumentSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_id = document_set.agency_id
        limit_choices(self, "revision", set_revision_choices(agency_id))
        self.fields["revision"].label_from_instance = set_revision_label  # type: ignore[attr-defined]
        url = reverse("documents:choices", args=[agency_id, "set-revisions"])
        search_chooser(self, "revision", url)
