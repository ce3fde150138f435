"""Forms of the risks app. Choices of units, people and procedures are limited to the
agency's own (a hand-posted id of another agency is an invalid choice)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qms.documents.models import Document, Kind
from qms.lib.forms import StyledFormMixin, limit_choices
from qms.organization.models import Agency, Membership, Unit, User
from qms.risks.models import (
    CATEGORIES_OF,
    ContextIssue,
    InterestedParty,
    Risk,
    RiskScale,
    Treatment,
)
from qms.risks.scale import axis_labels, level_choices

DATE = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
TEXT = forms.Textarea(attrs={"rows": 3})
PROCESS_KINDS = (Kind.SYSTEM_PROCEDURE, Kind.TTHC_PROCEDURE, Kind.INTERNAL_PROCEDURE)


class ContextIssueForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ContextIssue
        fields = ["side", "category", "description", "effect"]
        widgets = {"description": TEXT, "effect": TEXT}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        side, category = data.get("side"), data.get("category")
        if side and category and category not in CATEGORIES_OF[side]:
            self.add_error(
                "category",
                _("This category belongs to the other side: choose one of the %(side)s.")
                % {"side": ContextIssue(side=side).get_side_display().lower()},
            )
        return data


class InterestedPartyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = InterestedParty
        fields = ["name", "needs", "response", "monitored_by"]
        widgets = {"needs": TEXT, "response": TEXT}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "monitored_by", Unit.objects.filter(agency=agency, is_active=True))


class ReviewForm(StyledFormMixin, forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE)
    note = forms.CharField(
        label=_("Conclusion of the review"), required=False, max_length=2000, widget=TEXT
    )


class ScaleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = RiskScale
        fields = ["levels", "low_max", "medium_max", "high_max", "threshold", "check_after_days"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        levels = data.get("levels")
        bounds = [data.get(k) for k in ("low_max", "medium_max", "high_max")]
        if not levels or any(b is None for b in bounds):
            return data
        top = int(levels) ** 2
        low, medium, high = (int(b) for b in bounds)  # type: ignore[arg-type]
        if not 1 <= low < medium < high < top:
            self.add_error(
                None,
                _(
                    "The bands must rise: 1 ≤ highest low < highest medium < highest high "
                    "< %(top)s (the highest score)."
                )
                % {"top": top},
            )
        threshold = data.get("threshold")
        if threshold is not None and not 1 <= threshold <= top:
            self.add_error("threshold", _("Enter a score between 1 and %(top)s.") % {"top": top})
        return data


def _units(access_units: list[int] | None, agency: Agency) -> Any:
    units = Unit.objects.filter(agency=agency, is_active=True)
    return units if access_units is None else units.filter(pk__in=access_units)


class RiskForm(StyledFormMixin, forms.ModelForm):
    """A new row of the register (with its first assessment), or its text changed; the
    scores of an existing row change only by a reassessment."""

    class Meta:
        model = Risk
        fields = [
            "kind",
            "unit",
            "process",
            "description",
            "cause",
            "consequence",
            "likelihood",
            "impact",
        ]
        widgets = {"description": TEXT, "cause": TEXT, "consequence": TEXT}

    def __init__(
        self,
        *args: Any,
        agency: Agency,
        scale: RiskScale,
        unit_ids: list[int] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "unit", _units(unit_ids, agency))
        documents = Document.objects.filter(agency=agency, kind__in=PROCESS_KINDS)
        limit_choices(self, "process", documents.order_by("code"))
        self.fields["process"].label_from_instance = lambda d: f"{d.code} {d.title}"  # type: ignore[attr-defined]
        self.fields["consequence"].help_text = _(
            "For an opportunity: the benefit it brings. Its scores read as feasibility × benefit."
        )
        if self.instance.pk:
            del self.fields["likelihood"], self.fields["impact"]
        else:
            for name in ("likelihood", "impact"):
                self.fields[name] = forms.TypedChoiceField(
                    label=self.fields[name].label,
                    choices=level_choices(scale),
                    coerce=int,
                    widget=forms.Select(attrs={"class": "form-select"}),
                )


class AssessmentForm(StyledFormMixin, forms.Form):
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), coerce=int)
    impact = forms.TypedChoiceField(label=_("Impact"), coerce=int)
    note = forms.CharField(label=_("Note"), max_length=2000, widget=TEXT)

    def __init__(self, *args: Any, scale: RiskScale, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first, second = axis_labels(kind)
        for name, label in (("likelihood", first), ("impact", second)):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = level_choices(scale)
            field.label = str(label)


class TreatmentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Treatment
        fields = ["action", "owner_unit", "owner_person", "due_on", "check_on"]
        widgets = {"action": TEXT, "due_on": DATE, "check_on": DATE}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner_unit", Unit.objects.filter(agency=agency, is_active=True))
        people = User.objects.filter(
            pk__in=Membership.objects.current().filter(agency=agency).values("user_id")
        ).order_by("full_name")
        limit_choices(self, "owner_person", people)
        self.fields["owner_person"].label_from_instance = lambda u: u.full_name  # type: ignore[attr-defined]
        self.fields["check_on"].required = False
        self.fields["check_on"].help_text = _(
            "Left empty: the due date plus the days of the agency's scale."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("owner_unit") and not data.get("owner_person"):
            self.add_error("owner_unit", _("Choose the unit or the person who carries it out."))
        return data


class DoneForm(StyledFormMixin, forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE)
    note = forms.CharField(label=_("What was done"), max_length=2000, widget=TEXT)


class CheckForm(StyledFormMixin, forms.Form):
    result = forms.ChoiceField(label=_("Effectiveness"), choices=Treatment.Result.choices)
    note = forms.CharField(label=_("Note on effectiveness"), max_length=2000, widget=TEXT)
    checked_on = forms.DateField(label=_("Checked on"), widget=DATE)


class WithdrawForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why it is no longer kept"), max_length=1000, widget=TEXT, strip=True
    )
