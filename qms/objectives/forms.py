"""Forms of the quality policy and objectives."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms.lib.forms import StyledFormMixin, limit_choices
from qms.lib.uploads import EVIDENCE_FILES, CheckedUpload, check_upload
from qms.objectives import periods, sources
from qms.objectives.models import ObjectiveAction, QualityObjective, number_text
from qms.organization.access import AgencyAccess
from qms.organization.forms import DATE_WIDGET
from qms.organization.models import Membership, Unit, User, today


class NumberInput(forms.TextInput):
    """Shows 98.50 as "98,5", as a Vietnamese writes it."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            return number_text(value)
        return super().format_value(value)


class DecimalText(forms.CharField):
    """A number typed as a Vietnamese writes it: "98,5" or "98.5"."""

    widget = NumberInput

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = str(super().to_python(value) or "").strip().replace(" ", "")
        if not text:
            return None
        if len(text) > 20:
            raise ValidationError(_("Enter a number, e.g. 98,5."))
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Enter a number, e.g. 98,5.")) from None
        if not number.is_finite() or abs(number) >= Decimal("1e10"):
            raise ValidationError(_("Enter a number, e.g. 98,5."))
        return number.quantize(Decimal("0.01"))


class PolicyForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text of the quality policy"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=5000,
    )


class ObjectiveForm(StyledFormMixin, forms.ModelForm):
    target = DecimalText(label=gettext_lazy("Target"))
    source = forms.ChoiceField(label=gettext_lazy("Data source"), choices=sources.choices)

    class Meta:
        model = QualityObjective
        fields = [
            "unit",
            "parent",
            "statement",
            "indicator",
            "unit_of_measure",
            "direction",
            "target",
            "period",
            "owner_unit",
            "source",
            "source_field",
            "order",
        ]
        widgets = {"statement": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, access: AgencyAccess, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access = access
        self.instance.agency = access.agency
        self.instance.year = year
        units = Unit.objects.filter(agency=access.agency, is_active=True).order_by("order", "name")
        if not access.acts_across_units:
            units = units.filter(pk__in=access.unit_ids)
            self.fields["unit"].required = True
            self.fields["unit"].empty_label = None  # type: ignore[attr-defined]
        limit_choices(self, "unit", units)
        limit_choices(self, "owner_unit", Unit.objects.filter(agency=access.agency, is_active=True))
        parents = QualityObjective.objects.filter(
            agency=access.agency, year=year, unit__isnull=True
        ).exclude(pk=self.instance.pk or 0)
        limit_choices(self, "parent", parents)
        self.fields["target"].initial = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        from qms.objectives.services import validate

        for name in ("unit", "parent", "owner_unit", "source", "source_field", "target"):
            if name in data:
                setattr(self.instance, name, data[name])
        if not self.errors:
            try:
                validate(self.instance)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return data


class MeasurementForm(StyledFormMixin, forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"))
    value = DecimalText(label=gettext_lazy("Result"))
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(
        label=gettext_lazy("Evidence (PDF, DOCX, XLSX, JPG, PNG)"), required=False
    )

    def __init__(self, *args: Any, objective: QualityObjective, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        spans = periods.ended(periods.spans(objective.year, objective.period), today())
        self.fields["period"].choices = [(s.key, s.label) for s in spans]  # type: ignore[attr-defined]

    def clean_evidence(self) -> CheckedUpload | None:
        upload = self.cleaned_data.get("evidence")
        return None if not upload else check_upload(upload, EVIDENCE_FILES)


class ActionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ObjectiveAction
        fields = ["description", "owner_unit", "owner_person", "due_date"]
        widgets = {"due_date": DATE_WIDGET}

    def __init__(self, *args: Any, access: AgencyAccess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = access.agency
        limit_choices(self, "owner_unit", Unit.objects.filter(agency=agency, is_active=True))
        members = Membership.objects.current().filter(agency=agency).values("user_id")
        limit_choices(
            self, "owner_person", User.objects.filter(pk__in=members).order_by("full_name")
        )
        self.fields["owner_person"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.full_name or user.username
        )


class FollowUpForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Cause and what must be corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    due_date = forms.DateField(
        label=gettext_lazy("Open the corrective action by"), widget=DATE_WIDGET
    )
