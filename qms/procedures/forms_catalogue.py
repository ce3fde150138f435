"""Forms of the catalogue part: the catalogue's filters, its import and the decision that
applies it, and the agency's subset (add TTHC, committed time, unit, covering procedure)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qms.documents.models import Document, Kind
from qms.lib.forms import StyledFormMixin, limit_choices
from qms.lib.uploads import with_size_limit
from qms.organization.models import Agency, Unit
from qms.procedures.models import AdminProcedure, AgencyProcedure, Level


class CatalogueFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Code or name"), required=False, max_length=200)
    field = forms.ChoiceField(label=_("Field"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, fields: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self._choose("field", every + [(f, f) for f in fields])
        self._choose("level", every + list(Level.choices))
        self._choose("status", every + list(AdminProcedure.Status.choices))

    def _choose(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class CatalogueImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("The province's export (XLSX or CSV)"),
        help_text=with_size_limit(_("XLSX or CSV (UTF-8), at most %(size)s MB.")),
    )
    whole = forms.BooleanField(
        label=_("This file is the whole catalogue"),
        required=False,
        help_text=_("A TTHC in force that the file does not list will be shown as abolished."),
    )
    decided_on = forms.DateField(
        label=_("Date of the publishing decision (if known)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Given now, the rows are also checked against it (no district level from 01/07/2025)."
        ),
    )


class ApplyForm(StyledFormMixin, forms.Form):
    decision_number = forms.CharField(
        label=_("Number of the publishing decision"),
        max_length=100,
        help_text=_("E.g. 1234/QĐ-UBND"),
    )
    decision_date = forms.DateField(
        label=_("Date of the publishing decision"), widget=forms.DateInput(attrs={"type": "date"})
    )


def _units(agency: Agency) -> Any:
    return Unit.objects.filter(agency=agency).order_by("order", "name")


class AddProceduresForm(StyledFormMixin, forms.Form):
    procedures = forms.ModelMultipleChoiceField(
        label=_("TTHC of the province's catalogue"), queryset=AdminProcedure.objects.none()
    )
    unit = forms.ModelChoiceField(
        label=_("Unit that handles them"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = AdminProcedure.objects.filter(province_id=agency.province_id).exclude(
            status=AdminProcedure.Status.ABOLISHED
        )
        limit_choices(self, "procedures", offered)
        limit_choices(self, "unit", _units(agency))
        self.fields["procedures"].label_from_instance = lambda p: f"{p.code} – {p.name}"  # type: ignore[attr-defined]


class AddFieldForm(StyledFormMixin, forms.Form):
    field = forms.ChoiceField(label=_("Every TTHC of the field"))
    unit = forms.ModelChoiceField(
        label=_("Unit that handles them"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, agency: Agency, fields: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["field"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(f, f) for f in fields]
        limit_choices(self, "unit", _units(agency))


class HandlingForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AgencyProcedure
        fields = ["committed_days", "unit", "document"]
        help_texts = {
            "committed_days": _("At most the statutory time; halves allowed (e.g. 2.5)."),
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "unit", _units(agency))
        documents = Document.objects.filter(agency=agency, kind=Kind.TTHC_PROCEDURE).order_by(
            "code"
        )
        limit_choices(self, "document", documents)
        self.fields["committed_days"].widget.attrs.update(step="0.5", min="0.5")
