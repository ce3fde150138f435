from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qms.lib.forms import StyledFormMixin, inline_formset, limit_choices
from qms.lib.uploads import EVIDENCE_FILES, check_upload, with_size_limit
from qms.organization.forms import DATE_WIDGET
from qms.organization.models import Agency, CommitteeDecision, Unit
from qms.plans import timing as tm
from qms.plans.models import DEFAULT_TITLES, Column, Coordination, Plan, PlanTask

MONTH_CHOICES = [(m, str(m)) for m in range(1, 13)]
QUARTER_CHOICES = [(1, "I"), (2, "II"), (3, "III"), (4, "IV")]
EVENT_CHOICES = [("", "—"), *((key, e.label) for key, e in tm.EVENTS.items())]


class PlanForm(StyledFormMixin, forms.ModelForm):
    columns = forms.MultipleChoiceField(
        label=_("Columns of the task table"),
        choices=Column.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Plan
        fields = [
            "title",
            "by_decision",
            "intro",
            "purpose",
            "section_two_title",
            "budget",
            "organisation",
            "closing",
            "columns",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ["intro", "purpose", "budget", "organisation", "closing"]
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, default in DEFAULT_TITLES.items():
            self.fields[f"title_{key}"] = forms.CharField(
                label=_("Heading of column “%(default)s”") % {"default": default},
                max_length=60,
                required=False,
                initial=self.instance.column_titles.get(key, ""),
                widget=forms.TextInput(attrs={"class": "form-control", "placeholder": default}),
            )

    def save(self, commit: bool = True) -> Plan:
        self.instance.column_titles = {
            key: self.cleaned_data[f"title_{key}"].strip()
            for key in DEFAULT_TITLES
            if self.cleaned_data.get(f"title_{key}", "").strip()
        }
        # Keep the order of Column, whatever order the boxes were ticked in.
        chosen = set(self.cleaned_data["columns"])
        self.instance.columns = [c.value for c in Column if c.value in chosen]
        return super().save(commit)


class NewPlanForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["year", "title"]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agency = agency

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise ValidationError(_("Enter a year between 2000 and 2100."))
        if Plan.objects.filter(agency=self.instance.agency, year=year).exists():
            raise ValidationError(_("The agency already has a plan for this year."))
        return year


class PartForm(StyledFormMixin, forms.Form):
    """One clause of a timing rule."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("", "—"),
            *(
                (k.value, label)
                for k, label in (
                    (tm.Kind.MONTH, _("A month")),
                    (tm.Kind.QUARTER, _("A quarter")),
                    (tm.Kind.YEAR, _("The whole year")),
                    (tm.Kind.CONTINUOUS, _("Continuous")),
                    (tm.Kind.DATE, _("A date")),
                    (tm.Kind.MONTHS, _("Several months")),
                    (tm.Kind.RECURRING, _("Every N months")),
                    (tm.Kind.EVENT, _("Relative to an event")),
                )
            ),
        ],
        required=False,
    )
    month = forms.TypedChoiceField(
        label=_("Month"), choices=MONTH_CHOICES, coerce=int, required=False
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=QUARTER_CHOICES, coerce=int, required=False
    )
    months = forms.TypedMultipleChoiceField(
        label=_("Months"),
        choices=MONTH_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    every = forms.IntegerField(label=_("Every (months)"), min_value=1, max_value=12, required=False)
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET, required=False)
    event = forms.ChoiceField(label=_("Event"), choices=EVENT_CHOICES, required=False)
    offset_days = forms.IntegerField(
        label=_("Days after the event (negative: before)"),
        min_value=-365,
        max_value=365,
        required=False,
    )
    label = forms.CharField(label=_("Wording added to this clause"), max_length=300, required=False)

    def part(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("kind"):
            return None
        part: dict[str, Any] = {"kind": data["kind"]}
        for name in ("month", "quarter", "every", "event", "offset_days", "label"):
            if data.get(name) not in (None, ""):
                part[name] = data[name]
        if data.get("months"):
            part["months"] = sorted(data["months"])
        if data.get("day"):
            part["day"] = data["day"].isoformat()
        return part


class TimingForm(StyledFormMixin, forms.Form):
    alt_event = forms.ChoiceField(
        label=_("Unless this event happens…"), choices=EVENT_CHOICES, required=False
    )
    alt_days = forms.IntegerField(
        label=_("…then this many days after it"), min_value=0, max_value=365, required=False
    )
    alt_action = forms.CharField(label=_("Action wording"), max_length=200, required=False)
    note = forms.CharField(label=_("Added text"), max_length=300, required=False)


def timing_initial(data: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Initial values of the part forms and the timing form from a stored rule."""
    parts = []
    for raw in data.get("parts", []):
        initial = dict(raw)
        if "day" in initial:
            initial["day"] = tm.Timing.from_dict({"parts": [raw]}).parts[0].day
        parts.append(initial)
    alt = data.get("alternative") or {}
    extra = {
        "alt_event": alt.get("event", ""),
        "alt_days": alt.get("offset_days"),
        "alt_action": alt.get("action", ""),
        "note": data.get("note", ""),
    }
    return parts, extra


def build_timing(parts: list[PartForm], timing: TimingForm) -> dict[str, Any]:
    """The rule as stored; raises ValidationError in Vietnamese when it does not hold."""
    data: dict[str, Any] = {"parts": [p for p in (f.part() for f in parts) if p]}
    extra = timing.cleaned_data
    if extra.get("alt_event"):
        data["alternative"] = {
            "event": extra["alt_event"],
            "offset_days": extra.get("alt_days") or 0,
            "action": extra.get("alt_action", ""),
        }
    if extra.get("note"):
        data["note"] = extra["note"]
    try:
        return tm.Timing.from_dict(data).to_dict()
    except tm.TimingError as error:
        raise ValidationError(str(error)) from error


class TaskForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PlanTask
        fields = [
            "order",
            "content",
            "lead_kind",
            "lead_unit",
            "lead_text",
            "approver",
            "expected_result",
            "note",
        ]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "lead_unit", Unit.objects.filter(agency=agency, is_active=True))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("lead_kind") == PlanTask.Lead.UNIT and not data.get("lead_unit"):
            self.add_error("lead_unit", _("Choose the lead unit."))
        if data.get("lead_kind") == PlanTask.Lead.TEXT and not data.get("lead_text"):
            self.add_error("lead_text", _("Write who leads the task."))
        return data


class CoordinationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Coordination
        fields = ["order", "unit", "text", "duty"]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "unit", Unit.objects.filter(agency=agency, is_active=True))


CoordinationFormSet = inline_formset(
    PlanTask, Coordination, form=CoordinationForm, extra=2, can_delete=True
)


class EventForm(StyledFormMixin, forms.Form):
    event = forms.ChoiceField(label=_("Event"), choices=EVENT_CHOICES[1:])
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class StatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanTask.Status.choices)
    reason = forms.CharField(
        label=_("Reason (when not carried out)"), max_length=500, required=False
    )


class ProgressForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    text = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class EvidenceForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=with_size_limit(_("Evidence file (PDF, DOCX, XLSX, JPG, PNG; at most %(size)s MB)"))
    )

    def clean_file(self) -> Any:
        checked = check_upload(self.cleaned_data["file"], EVIDENCE_FILES)
        upload = checked.file
        upload.qms_sha256 = checked.sha256  # type: ignore[attr-defined]
        upload.qms_content_type = checked.content_type  # type: ignore[attr-defined]
        return upload


class CopyForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


def _records(agency: Agency) -> list[tuple[str, str]]:
    """Records of the agency that can fulfil a plan task (more kinds join as apps arrive)."""
    decisions = CommitteeDecision.objects.filter(agency=agency, paper__status="issued")
    return [
        (f"organization.committeedecision:{d.pk}", f"{_('Steering committee decision')} {d}")
        for d in decisions.select_related("agency", "paper__agency", "paper__drafting_unit")
    ]


class LinkForm(StyledFormMixin, forms.Form):
    record = forms.ChoiceField(label=_("Record that fulfils the task"), required=False)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["record"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *_records(agency)]


def linked_record(task: PlanTask) -> tuple[str, str] | None:
    """(label, url) of the record the task points to, if it still exists in the agency."""
    kind, _sep, pk = task.fulfilled_by.partition(":")
    if kind != "organization.committeedecision" or not pk.isdigit():
        return None
    decision = CommitteeDecision.objects.filter(agency=task.plan.agency, pk=int(pk)).first()
    if decision is None:
        return None
    return f"{_('Steering committee decision')} {decision}", decision.get_absolute_url()
