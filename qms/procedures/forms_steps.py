"""Forms of the steps part: a TTHC's steps (one formset row per step) and a working-day
change of the calendar."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms.lib.forms import StyledFormMixin, inline_formset
from qms.organization.forms import DATE_WIDGET
from qms.procedures import steps
from qms.procedures.models import AgencyProcedure, ProcessStep, WorkdayChange


class DaysInput(forms.TextInput):
    """Shows 0.5 as "0,5", as a Vietnamese writes it."""

    input_type = "text"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal | int | float):
            return steps.days_text(value)
        return super().format_value(value)


class HalfDaysField(forms.DecimalField):
    """Working days in whole or halves, typed with a comma or a dot."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        parsed = steps.parse_days(value)
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            steps.check_step_days(value)


class StepForm(StyledFormMixin, forms.ModelForm):
    days = HalfDaysField(
        label=gettext_lazy("Time (working days)"),
        max_digits=5,
        decimal_places=1,
        widget=DaysInput(
            attrs={"inputmode": "decimal", "aria-label": gettext_lazy("Working days of the step")}
        ),
    )

    class Meta:
        model = ProcessStep
        fields = ["order", "action", "responsible", "days", "result"]
        widgets = {
            "order": forms.NumberInput(attrs={"aria-label": gettext_lazy("No."), "min": 1}),
            "action": forms.Textarea(attrs={"rows": 2, "aria-label": gettext_lazy("Work step")}),
            "responsible": forms.TextInput(
                attrs={"aria-label": gettext_lazy("Responsible unit or position")}
            ),
            "result": forms.TextInput(attrs={"aria-label": gettext_lazy("Result or form")}),
        }


class BaseStepFormSet(forms.BaseInlineFormSet):
    """The rules on the steps as a whole: no order number twice, and the total within the
    committed and the statutory time (qms.procedures.steps). Rows not posted (a formset
    posted short) are counted as they stand, since saving leaves them untouched."""

    instance: AgencyProcedure

    def clean(self) -> None:
        super().clean()
        # A row ticked for removal is not checked (Django ignores its errors too).
        if any(form.errors for form in self.forms if not _removed(form)):
            return
        kept = [
            form.cleaned_data for form in self.forms if form.cleaned_data and not _removed(form)
        ]
        posted = [form.instance.pk for form in self.forms if form.instance.pk]
        untouched = self.instance.steps.exclude(pk__in=posted)
        orders = [row["order"] for row in kept] + [s.order for s in untouched]
        twice = sorted({order for order in orders if orders.count(order) > 1})
        if twice:
            raise ValidationError(
                _("Step no. %(order)s appears twice.") % {"order": twice[0]}, code="order_twice"
            )
        total = sum((row["days"] for row in kept), Decimal(0))
        total += sum((s.days for s in untouched), Decimal(0))
        problems = steps.limit_problems(steps.Limits.of(self.instance), total)
        if problems:
            raise ValidationError(problems, code="too_long")


def _removed(form: forms.BaseForm) -> bool:
    return bool(getattr(form, "cleaned_data", {}).get("DELETE"))


# Three empty rows, and "Thêm bước" (static/js/qms.js) adds as many as needed.
StepFormSet = inline_formset(
    AgencyProcedure,
    ProcessStep,
    form=StepForm,
    formset=BaseStepFormSet,
    extra=3,
    can_delete=True,
)


class WorkdayChangeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = WorkdayChange
        fields = ["day", "working", "note"]
        widgets = {"day": DATE_WIDGET}
        labels = {"working": gettext_lazy("A weekend day or holiday worked (làm bù)")}
        help_texts = {
            "working": gettext_lazy(
                "Ticked: a weekend day worked. Unticked: a weekday off (nghỉ bù)."
            ),
            "note": gettext_lazy("E.g. the number of the government's announcement."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day = data.get("day")
        if day is not None and "day" not in self.errors:
            try:
                steps.check_change(day, bool(data.get("working")))
            except ValidationError as error:
                self.add_error("day", error)
        return data
