"""Forms of the results part: importing a period's dossier results, the survey counts, and
the period a results page shows."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qms.lib.forms import StyledFormMixin
from qms.lib.uploads import XLSX, check_upload, with_size_limit
from qms.organization.forms import DATE_WIDGET
from qms.organization.models import today
from qms.procedures.queries import BY

RESULT_FILES = {".csv": "text/csv", ".xlsx": XLSX}


def _checked_file(upload: Any) -> Any:
    return check_upload(upload, RESULT_FILES).file


class ResultImportForm(StyledFormMixin, forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Period to"), widget=DATE_WIDGET)
    file = forms.FileField(
        label=with_size_limit(_("Export of the one-stop system (CSV or XLSX, at most %(size)s MB)"))
    )

    def clean_file(self) -> Any:
        return _checked_file(self.cleaned_data["file"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise ValidationError(_("The period ends before it starts."))
        return data


class SatisfactionForm(StyledFormMixin, forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Period to"), widget=DATE_WIDGET)
    very_satisfied = forms.IntegerField(label=_("Very satisfied"), min_value=0, max_value=10**8)
    satisfied = forms.IntegerField(label=_("Satisfied"), min_value=0, max_value=10**8)
    neutral = forms.IntegerField(label=_("Neither"), min_value=0, max_value=10**8)
    dissatisfied = forms.IntegerField(label=_("Dissatisfied"), min_value=0, max_value=10**8)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise ValidationError(_("The period ends before it starts."))
        levels = ("very_satisfied", "satisfied", "neutral", "dissatisfied")
        if all(name in data for name in levels) and not sum(data[name] for name in levels):
            raise ValidationError(_("Enter how many answered at least at one level."))
        return data


class SatisfactionImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=with_size_limit(_("Survey results (CSV or XLSX, at most %(size)s MB)"))
    )

    def clean_file(self) -> Any:
        return _checked_file(self.cleaned_data["file"])


PARTS = [
    ("", _("Whole year")),
    *[(f"q{q}", _("Quarter %(n)s") % {"n": ("I", "II", "III", "IV")[q - 1]}) for q in range(1, 5)],
    *[(f"m{m:02d}", _("Month %(n)s") % {"n": m}) for m in range(1, 13)],
]
BY_LABELS = {
    "procedure": _("By procedure"),
    "field": _("By field"),
    "unit": _("By unit"),
    "month": _("By month"),
    "quarter": _("By quarter"),
    "year": _("By year"),
}


class PeriodForm(StyledFormMixin, forms.Form):
    """The period a results page shows: a year, or a quarter or month of it. Bad values fall
    back to the current year, never an error page."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    part = forms.ChoiceField(label=_("Period"), choices=PARTS, required=False)
    by = forms.ChoiceField(
        label=_("Grouped"), choices=[(k, BY_LABELS[k]) for k in BY], required=False
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = sorted({*years, today().year, today().year - 1}, reverse=True)
        self.fields["year"].choices = [(y, str(y)) for y in self.years]  # type: ignore[attr-defined]

    def period(self) -> tuple[dt.date, dt.date, int, str, str]:
        """(start, end, year, part, by) of a valid form, or of the current year."""
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or today().year
        part, by = data.get("part") or "", data.get("by") or "procedure"
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if part.startswith("q"):
            quarter = int(part[1])
            start = dt.date(year, 3 * quarter - 2, 1)
            end = dt.date(year, 3 * quarter, calendar.monthrange(year, 3 * quarter)[1])
        elif part.startswith("m"):
            month = int(part[1:])
            start = dt.date(year, month, 1)
            end = dt.date(year, month, calendar.monthrange(year, month)[1])
        return start, end, year, part, by
