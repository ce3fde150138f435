from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qms.lib.forms import StyledFormMixin, limit_choices
from qms.organization.models import Agency, Membership, Unit, User
from qms.review.models import ManagementReview, ReviewOutput

DATE = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
TEXT = forms.Textarea(attrs={"rows": 3})


def _people(agency: Agency) -> Any:
    """Who may be named: the people of the agency today (an id of another agency posted by
    hand is refused as an invalid choice)."""
    members = Membership.objects.current().filter(agency=agency).values("user_id")
    return User.objects.filter(pk__in=members).order_by("full_name")


class MeetingForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ManagementReview
        fields = ["meeting_on", "place", "chair", "participants", "guests"]
        widgets = {"meeting_on": DATE, "guests": TEXT}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("chair", "participants"):
            limit_choices(self, name, _people(agency))
            self.fields[name].label_from_instance = lambda u: u.full_name  # type: ignore[attr-defined]
        self.fields["participants"].widget.attrs["size"] = "8"


class InputForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Assessment"), max_length=10000, widget=TEXT, required=False)


class HoldForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    conclusion = forms.CharField(label=_("Conclusion of the chair"), max_length=5000, widget=TEXT)


class OutputForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ReviewOutput
        fields = ["kind", "description", "owner_unit", "owner_person", "due_on"]
        widgets = {"description": TEXT, "due_on": DATE}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(agency=agency, is_active=True).order_by("order", "name")
        limit_choices(self, "owner_unit", units)
        limit_choices(self, "owner_person", _people(agency))
        self.fields["owner_person"].label_from_instance = lambda u: u.full_name  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("owner_unit") and not data.get("owner_person"):
            raise forms.ValidationError(_("Choose the unit or the person in charge."))
        return data


class DoneForm(StyledFormMixin, forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE)
    result = forms.CharField(label=_("What was done"), max_length=2000, widget=TEXT)
