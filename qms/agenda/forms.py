from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qms.agenda.models import AgendaSettings, NotificationPreference, parse_days
from qms.lib.forms import StyledFormMixin


class AgendaSettingsForm(StyledFormMixin, forms.ModelForm):
    """The days before a due date on which reminders go out, e.g. "10, 3, 1"."""

    class Meta:
        model = AgendaSettings
        fields = ["reminder_days", "reading_days"]

    def clean_reminder_days(self) -> str:
        text = self.cleaned_data["reminder_days"]
        try:
            days = parse_days(text)
        except ValueError:
            raise ValidationError(
                _("Enter whole numbers of days from 0 to 365, separated by commas, e.g. 10,3,1.")
            ) from None
        if not days:
            raise ValidationError(_("Enter at least one number of days."))
        return ",".join(str(day) for day in days)


class PreferenceForm(StyledFormMixin, forms.ModelForm):
    """A person's choice of e-mails about new work."""

    class Meta:
        model = NotificationPreference
        fields = ["email"]
        widgets = {"email": forms.RadioSelect}
