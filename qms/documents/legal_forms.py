"""Forms of the legal register (căn cứ pháp lý): legal documents, their status, citations and
the units' legal-basis reviews. Every choice of a row is limited to the user's agency, so an
id of another agency posted by hand is an invalid choice, never a silent write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qms.documents.models import Document, LegalBasisReview, LegalDocument
from qms.lib.chooser import search_chooser
from qms.lib.forms import StyledFormMixin, limit_choices
from qms.organization.forms import DATE_WIDGET
from qms.organization.models import Agency, Unit, today


def legal_choices(agency_id: int) -> QuerySet[LegalDocument]:
    """The agency's legal documents, newest first (undated ones last on every database)."""
    return LegalDocument.objects.filter(agency_id=agency_id).order_by(
        F("issued_on").desc(nulls_last=True), "number", "pk"
    )


def legal_label(legal: LegalDocument) -> str:
    return f"{legal} – {legal.title}"


class LegalChoiceField(forms.ModelChoiceField):
    """A legal document named as a citation reads it: "Nghị định 30/2020/NĐ-CP – Về công tác
    văn thư"."""

    def label_from_instance(self, obj: Any) -> str:
        return legal_label(obj)


class LegalMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return legal_label(obj)


class LegalDocumentForm(StyledFormMixin, forms.ModelForm):
    """An entry of the register. The status is not here: it changes only through
    `services.change_legal_status`, which flags the citing procedures."""

    class Meta:
        model = LegalDocument
        fields = ["doc_type", "number", "issued_on", "issuer", "title", "effective_on"]
        widgets = {
            "issued_on": DATE_WIDGET,
            "effective_on": DATE_WIDGET,
            "title": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agency = agency

    def clean_number(self) -> str:
        # The unique constraint names `agency`, which is not a field of the form, so the
        # model validation skips it: check here rather than fail with an IntegrityError.
        number = " ".join(self.cleaned_data["number"].split())
        taken = LegalDocument.objects.filter(agency=self.instance.agency, number__iexact=number)
        if taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("This number is already in the register."))
        return number

    def clean_effective_on(self) -> Any:
        effective = self.cleaned_data["effective_on"]
        # A text it amends or replaces without a change date of its own counts its 3-month
        # deadline from this date (services._change_date): it cannot be emptied then.
        dependants = LegalDocument.objects.filter(
            changed_by_id=self.instance.pk, change_effective_on__isnull=True
        )
        if effective is None and self.instance.pk and dependants.exists():
            raise ValidationError(
                _("The texts it amends or replaces count their deadline from this date.")
            )
        return effective

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        issued, effective = data.get("issued_on"), data.get("effective_on")
        if issued and effective and effective < issued:
            self.add_error("effective_on", _("A text cannot take effect before it is issued."))
        return data


class LegalFilterForm(StyledFormMixin, forms.Form):
    """The register's filters; an invalid value is simply not applied."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *LegalDocument.Status.choices],
        required=False,
    )
    type = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("All types")), *LegalDocument.Type.choices],
        required=False,
    )
    q = forms.CharField(label=_("Number or subject"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.update({"class": css, "aria-label": str(field.label)})
        self.fields["q"].widget.attrs["placeholder"] = _("Number or subject")

    def filters(self) -> dict[str, str]:
        """The valid, non-empty filters."""
        self.is_valid()
        return {k: v.strip() for k, v in self.cleaned_data.items() if v and v.strip()}


class LegalStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=LegalDocument.Status.choices)
    changed_by = LegalChoiceField(
        label=_("Amended / replaced by"), queryset=LegalDocument.objects.none(), required=False
    )
    change_effective_on = forms.DateField(
        label=_("The change takes effect on"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_(
            "The procedures citing it must be updated within 3 months of this day. Leave it "
            "empty to use the effective date of the amending text."
        ),
    )

    def __init__(self, *args: Any, legal: LegalDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "changed_by", legal_choices(legal.agency_id).exclude(pk=legal.pk))
        url = reverse("documents:legal_choices", args=[legal.agency_id, "status"])
        search_chooser(self, "changed_by", f"{url}?exclude={legal.pk}")


class ResolveForm(StyledFormMixin, forms.Form):
    resolution = forms.CharField(label=_("How it was handled"), max_length=500)


class CiteForm(StyledFormMixin, forms.Form):
    """Add a legal basis to a document (rendered on the document's page)."""

    # Chosen from search results (views/legal_chooser.py): the widget never lists the
    # register, so the document's page costs the same whatever its size.
    legal_document = LegalChoiceField(
        label=_("Legal document"), queryset=LegalDocument.objects.none(), widget=forms.HiddenInput
    )

    def __init__(
        self, *args: Any, agency: Agency, document: Document | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = legal_choices(agency.pk)
        if document is not None:
            # Not offered twice: a subquery, not another query.
            choices = choices.exclude(citations__document=document)
        limit_choices(self, "legal_document", choices)


class LegalReviewForm(StyledFormMixin, forms.Form):
    """Record one unit's legal-basis review. `units` are the units the user may choose."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE_WIDGET)
    result = forms.ChoiceField(label=_("Result"), choices=LegalBasisReview.Result.choices)
    findings = forms.CharField(
        label=_("What has changed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    legal_documents = LegalMultipleChoiceField(
        label=_("Legal documents concerned"),
        queryset=LegalDocument.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, agency: Agency, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "unit", units)
        limit_choices(self, "legal_documents", legal_choices(agency.pk))
        url = reverse("documents:legal_choices", args=[agency.pk, "review"])
        search_chooser(self, "legal_documents", url)

    def clean_reviewed_on(self) -> Any:
        day = self.cleaned_data["reviewed_on"]
        if day > today():
            raise ValidationError(_("The review date cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        changes = data.get("result") == LegalBasisReview.Result.CHANGES_FOUND
        if changes and not data.get("findings", "").strip():
            self.add_error("findings", _("Describe the changes found."))
        return data
