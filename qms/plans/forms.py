from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from qms.lib.forms import StyledFormMixin, inline_formset, limit_choices
from qms.lib.uploads import EVIDENCE_FILES, check_upload, with_size_limit
from qms.organization import standards
from qms.organization.forms import DATE_WIDGET
from qms.organization.models import Agency, Unit, today
from qms.plans import events, fulfilment
from qms.plans import timing as tm
from qms.plans.models import (
    DEFAULT_TITLES,
    AgencyEvent,
    Column,
    Coordination,
    Evidence,
    Plan,
    PlanSection,
    PlanTask,
)

MONTH_CHOICES = [(m, str(m)) for m in range(1, 13)]
QUARTER_CHOICES = [(1, "I"), (2, "II"), (3, "III"), (4, "IV")]
# Kinds whose "quarter" is optional (none: of the year): the form asks it as `period`,
# since the quarter select always posts a value.
EDGE_KINDS = (tm.Kind.START.value, tm.Kind.END.value)


def event_choices(catalogue: tm.Catalogue | None) -> list[tuple[str, str]]:
    """The events a chooser offers: an agency's catalogue (`events.catalogue(agency)`), else
    the events the apps registered."""
    found = events.registered() if catalogue is None else catalogue
    return [(key, event.label) for key, event in found.items()]


def _offer_events(form: forms.Form, name: str, catalogue: tm.Catalogue | None) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    blank = [] if field.required else [("", "—")]
    field.choices = [*blank, *event_choices(catalogue)]


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
            "standard",
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
        optional = _(
            "Lines starting with “1.” become headings; other lines are paragraphs. Leave it "
            "empty when the plan has no such section: it is printed without it."
        )
        help_texts = {"purpose": optional, "organisation": optional}

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


def next_plan_year() -> int:
    """The year a new plan is most likely for: next year from October, when plans for it
    are drafted, else this one."""
    day = today()
    return day.year + 1 if day.month >= 10 else day.year


class NewPlanForm(StyledFormMixin, forms.ModelForm):
    """A new annual plan, or a programme over several years when a last year is given; the
    standard applied starts as the agency's."""

    class Meta:
        model = Plan
        fields = ["year", "last_year", "title", "standard"]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        applied = standards.standard(getattr(agency, "standard", None))
        year = next_plan_year()
        self.fields["standard"].initial = applied.code
        self.fields["year"].initial = year
        # A starting title in the words of the standard the agency applies; edited freely.
        self.fields[
            "title"
        ].initial = (
            f"Duy trì và cải tiến Hệ thống quản lý chất lượng theo {applied.full_name} năm {year}"
        )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise ValidationError(_("Enter a year between 2000 and 2100."))
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, last_year = data.get("year"), data.get("last_year")
        if year is None:
            return data
        if last_year is not None and not year < last_year <= year + tm.MAX_PERIOD_YEARS - 1:
            self.add_error(
                "last_year",
                _("A programme ends after its first year and runs at most %(n)s years.")
                % {"n": tm.MAX_PERIOD_YEARS},
            )
            return data
        taken = Plan.objects.filter(agency=self.instance.agency, year=year, last_year=last_year)
        if taken.exists():
            message = (
                _("The agency already has a plan for this year.")
                if last_year is None
                else _("The agency already has a programme for this period.")
            )
            self.add_error("last_year" if last_year else "year", message)
        return data


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
                    (tm.Kind.WINDOW, _("From one month to another")),
                    (tm.Kind.DATE_WINDOW, _("From one date to another")),
                    (tm.Kind.AFTER, _("After a month")),
                    (tm.Kind.BEFORE, _("Before a month")),
                    (tm.Kind.START, _("Start of the year or of a quarter")),
                    (tm.Kind.END, _("End of the year or of a quarter")),
                    (tm.Kind.HALF, _("Half of the year")),
                    (tm.Kind.ON_REQUEST, _("On request")),
                    (tm.Kind.AS_NEEDED, _("When it arises")),
                    (tm.Kind.UNSTATED, _("Not stated")),
                    (tm.Kind.PERIOD, _("The whole period of a programme")),
                )
            ),
        ],
        required=False,
    )
    month = forms.TypedChoiceField(
        label=_("Month"), choices=MONTH_CHOICES, coerce=int, required=False
    )
    to_month = forms.TypedChoiceField(
        label=_("To month (from one month to another)"),
        choices=[("", "—"), *MONTH_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=QUARTER_CHOICES, coerce=int, required=False
    )
    period = forms.TypedChoiceField(
        label=_("Of (start or end)"),
        choices=[
            ("", _("the year")),
            *((n, format_lazy("{} {}", _("Quarter"), r)) for n, r in QUARTER_CHOICES),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    half = forms.TypedChoiceField(
        label=_("Half of the year"),
        choices=[(1, _("first 6 months")), (2, _("last 6 months"))],
        coerce=int,
        required=False,
    )
    months = forms.TypedMultipleChoiceField(
        label=_("Months"),
        choices=MONTH_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    every = forms.IntegerField(label=_("Every (months)"), min_value=1, max_value=12, required=False)
    day = forms.DateField(
        label=_("Date"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("On request or when it arises: the latest date, if there is one."),
    )
    to_day = forms.DateField(
        label=_("To date (from one date to another)"), widget=DATE_WIDGET, required=False
    )
    event = forms.ChoiceField(label=_("Event"), required=False)
    offset_days = forms.IntegerField(
        label=_("Days after the event (negative: before)"),
        min_value=-365,
        max_value=365,
        required=False,
    )
    years = forms.IntegerField(
        label=_("Years in the period"),
        min_value=2,
        max_value=tm.MAX_PERIOD_YEARS,
        required=False,
        help_text=_("The whole period of a programme: 5 for 2026–2030, from the row's year."),
    )
    label = forms.CharField(label=_("Wording added to this clause"), max_length=300, required=False)

    def __init__(self, *args: Any, catalogue: tm.Catalogue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_events(self, "event", catalogue)

    def part(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("kind"):
            return None
        part: dict[str, Any] = {"kind": data["kind"]}
        for name in (
            "month",
            "to_month",
            "quarter",
            "half",
            "every",
            "event",
            "offset_days",
            "years",
        ):
            if data.get(name) not in (None, ""):
                part[name] = data[name]
        if data.get("label"):
            part["label"] = data["label"]
        if data["kind"] in EDGE_KINDS:
            # Start or end "of the year" has no quarter: the chosen period, not the select.
            part.pop("quarter", None)
            if data.get("period"):
                part["quarter"] = data["period"]
        if data.get("months"):
            part["months"] = sorted(data["months"])
        for name in ("day", "to_day"):
            if data.get(name):
                part[name] = data[name].isoformat()
        return part


class TimingForm(StyledFormMixin, forms.Form):
    alt_event = forms.ChoiceField(label=_("Unless this event happens…"), required=False)
    alt_days = forms.IntegerField(
        label=_("…then this many days after it"), min_value=0, max_value=365, required=False
    )
    alt_action = forms.CharField(label=_("Action wording"), max_length=200, required=False)
    note = forms.CharField(label=_("Added text"), max_length=300, required=False)

    def __init__(self, *args: Any, catalogue: tm.Catalogue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_events(self, "alt_event", catalogue)


def timing_initial(data: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Initial values of the part forms and the timing form from a stored rule."""
    parts = []
    for raw in data.get("parts", []):
        initial = dict(raw)
        if "day" in initial or "to_day" in initial:
            stored = tm.Timing.from_dict({"parts": [raw]}).parts[0]
            initial.update({name: getattr(stored, name) for name in ("day", "to_day")})
        if initial.get("kind") in EDGE_KINDS:
            initial["period"] = initial.pop("quarter", None)
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
    """The rule as stored; raises ValidationError in Vietnamese when it does not hold. No
    clause at all is a timing the plan leaves open ("not stated"), not a mistake."""
    chosen = [p for p in (f.part() for f in parts) if p]
    data: dict[str, Any] = {"parts": chosen or [{"kind": tm.Kind.UNSTATED.value}]}
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
    """A row of the task table; in a programme, the year it belongs to; in a plan with
    phases or groups, the one it is under."""

    class Meta:
        model = PlanTask
        fields = [
            "order",
            "year",
            "section",
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
        plan = self.instance.plan
        limit_choices(self, "section", plan.sections.all())
        if not plan.sections.exists():
            del self.fields["section"]
        if plan.is_programme:
            self.fields["year"] = forms.TypedChoiceField(
                label=_("Year of the programme"),
                choices=[(y, str(y)) for y in plan.years],
                coerce=int,
                initial=self.instance.year or plan.year,
                help_text=_("The row's timing is read in this year, and tracked there."),
            )
        else:
            del self.fields["year"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("lead_kind") == PlanTask.Lead.UNIT and not data.get("lead_unit"):
            self.add_error("lead_unit", _("Choose the lead unit."))
        if data.get("lead_kind") == PlanTask.Lead.TEXT and not data.get("lead_text"):
            self.add_error("lead_text", _("Write who leads the task."))
        if data.get("lead_kind") == PlanTask.Lead.UNASSIGNED:
            # "Chưa phân công": no unit or words kept that the page would print instead.
            data["lead_unit"], data["lead_text"] = None, ""
        return data


class CoordinationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Coordination
        fields = ["order", "unit", "text", "duty"]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "unit", Unit.objects.filter(agency=agency, is_active=True))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("duty") and not (data.get("unit") or data.get("text")):
            self.add_error("unit", _("Choose the unit or write who coordinates."))
        return data


class SectionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PlanSection
        fields = ["order", "title"]
        # Rows of a table under its column headings: each input still says what it is.
        widgets = {
            "order": forms.NumberInput(attrs={"aria-label": _("No.")}),
            "title": forms.TextInput(attrs={"aria-label": _("Heading")}),
        }


class BaseSectionFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        for form in self.deleted_forms:
            section = form.instance
            if section.pk and section.tasks.exists():
                form.add_error(
                    None,
                    _(
                        "“%(title)s” still has tasks: move them to another phase or group "
                        "before removing it."
                    )
                    % {"title": section.title},
                )
                raise ValidationError(_("A phase or group with tasks cannot be removed."))


SectionFormSet = inline_formset(
    Plan, PlanSection, form=SectionForm, formset=BaseSectionFormSet, extra=2, can_delete=True
)


# Three empty rows, and "Thêm đơn vị phối hợp" (static/js/qms.js) adds as many as needed.
CoordinationFormSet = inline_formset(
    PlanTask, Coordination, form=CoordinationForm, extra=3, can_delete=True
)


class EventForm(StyledFormMixin, forms.Form):
    """Record the date of an event of the plan's agency catalogue."""

    event = forms.ChoiceField(label=_("Event"))
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, catalogue: tm.Catalogue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_events(self, "event", catalogue)


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


class LinkForm(StyledFormMixin, forms.Form):
    """Choose the record that fulfils a task among the kinds apps offer (qms.plans.fulfilment):
    each kind's latest records, and the one already linked; only the agency's records pass."""

    record = forms.CharField(
        label=_("Record that fulfils the task"), required=False, widget=forms.Select
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        groups: list[tuple[str, Any]] = [("", "—"), *fulfilment.choices(agency)]
        current = self.initial.get("record") or ""
        offered = {value for _label, options in groups[1:] for value, _text in options}
        linked = fulfilment.resolve(agency, current) if current and current not in offered else None
        if linked is not None:
            groups.insert(1, (current, linked[0]))
        widget = self.fields["record"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = groups

    def clean_record(self) -> str:
        value = str(self.cleaned_data.get("record") or "")
        if value and fulfilment.resolve(self.agency, value) is None:
            raise ValidationError(_("Choose a record of this agency."))
        return value


def linked_record(task: PlanTask) -> tuple[str, str] | None:
    """(label, url) of the record the task points to, if it still exists in the agency."""
    if not task.fulfilled_by:
        return None
    return fulfilment.resolve(task.plan.agency, task.fulfilled_by)


class AgencyEventForm(StyledFormMixin, forms.ModelForm):
    """An event the agency defines itself, with the words its plans use to name it. The words
    after "trước" default to those after "kể từ", the case ("Trường hợp …") to those after
    "ngay sau khi"."""

    class Meta:
        model = AgencyEvent
        fields = ["label", "since", "before", "when", "condition"]
        help_texts = {
            "label": _("e.g. Thay đổi thành viên Ban Chỉ đạo"),
            "since": _("e.g. ngày có thay đổi thành viên Ban Chỉ đạo (in “30 ngày kể từ …”)"),
            "before": _("Leave empty to use the words after “kể từ”."),
            "when": _("e.g. có thay đổi thành viên Ban Chỉ đạo (in “ngay sau khi …”)"),
            "condition": _("Leave empty to use the words after “ngay sau khi”."),
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        self.fields["before"].required = False
        self.fields["condition"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("label", "since", "before", "when", "condition"):
            data[name] = " ".join(str(data.get(name) or "").split())
        data["before"] = data["before"] or data["since"]
        data["condition"] = data["condition"] or data["when"]
        label = data["label"]
        others = AgencyEvent.objects.filter(agency=self.instance.agency, label__iexact=label)
        if label and others.exclude(pk=self.instance.pk).exists():
            self.add_error("label", _("The agency already has an event of this name."))
        builtin = {e.label.lower() for e in events.registered().values()}
        if label.lower() in builtin:
            self.add_error("label", _("This event is already in the catalogue."))
        return data


class OccurrenceForm(StyledFormMixin, forms.Form):
    """One open occurrence of a task: done (date, note, one of the task's evidence files) or
    not carried out (a reason is required)."""

    DONE, NOT_CARRIED_OUT = "done", "not_carried_out"

    key = forms.CharField(widget=forms.HiddenInput, max_length=20)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(DONE, _("Done")), (NOT_CARRIED_OUT, _("Not carried out"))],
    )
    on = forms.DateField(label=_("Date done"), widget=DATE_WIDGET, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    evidence = forms.TypedChoiceField(
        label=_("Evidence"), coerce=int, empty_value=None, required=False
    )
    reason = forms.CharField(
        label=_("Reason (when not carried out)"), max_length=500, required=False
    )

    def __init__(self, *args: Any, evidence: list[Evidence], **kwargs: Any) -> None:
        """`evidence`: the task's files, read once for every occurrence's form."""
        super().__init__(*args, **kwargs)
        self.files_by_pk = {e.pk: e for e in evidence}
        choices = [("", "---------"), *((e.pk, e.original_name) for e in evidence)]
        self.fields["evidence"].choices = choices  # type: ignore[attr-defined]

    def clean_evidence(self) -> Evidence | None:
        pk = self.cleaned_data.get("evidence")
        return None if pk is None else self.files_by_pk[pk]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == self.DONE and not data.get("on"):
            self.add_error("on", _("Give the date it was done."))
        if data.get("outcome") == self.NOT_CARRIED_OUT and not str(data.get("reason", "")).strip():
            self.add_error("reason", _("Give the reason the occurrence is not carried out."))
        return data
