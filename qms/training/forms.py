"""Forms of the training app. Choices of units, plan tasks, revisions and people are limited
to the agency's own (a hand-posted id of another agency is an invalid choice)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qms.documents.models import Revision
from qms.lib.forms import StyledFormMixin, limit_choices
from qms.lib.uploads import EVIDENCE_FILES, CheckedUpload, check_upload
from qms.organization.models import Agency, Unit, User
from qms.plans.models import PlanTask, in_force_q
from qms.training.models import Course, TrainingSession

DATE = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
TEXT = forms.Textarea(attrs={"rows": 3})


class CourseForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "kind", "hours", "provider", "description"]
        widgets = {"description": TEXT}

    def clean_hours(self) -> Any:
        hours = self.cleaned_data["hours"]
        if hours is not None and hours <= 0:
            raise forms.ValidationError(_("The hours must be more than 0."))
        return hours


class SessionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = [
            "course",
            "starts_on",
            "ends_on",
            "place",
            "lecturer",
            "audience",
            "invited_units",
            "plan_task",
            "revisions",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "invited_units": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "course", Course.objects.filter(agency=agency))
        limit_choices(self, "invited_units", Unit.objects.filter(agency=agency, is_active=True))
        tasks = PlanTask.objects.filter(in_force_q("plan__"), plan__agency=agency)
        limit_choices(
            self, "plan_task", tasks.select_related("plan").order_by("-plan__year", "order")
        )
        self.fields["plan_task"].label_from_instance = _task_label  # type: ignore[attr-defined]
        revisions = Revision.objects.filter(
            document__agency=agency,
            status__in=[Revision.Status.ISSUED, Revision.Status.SUPERSEDED],
        ).select_related("document")
        limit_choices(self, "revisions", revisions.order_by("document__code", "-revision_no"))
        self.fields["revisions"].label_from_instance = _revision_label  # type: ignore[attr-defined]
        self.fields["revisions"].required = False
        self.fields["invited_units"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The session cannot end before it starts."))
        return data


def _task_label(task: PlanTask) -> str:
    return f"{task.plan.year} — {task.order}. {task.content[:120]}"


def _revision_label(revision: Revision) -> str:
    return f"{revision.document.code} — lần {revision.revision_no}: {revision.document.title[:100]}"


class NominateForm(StyledFormMixin, forms.Form):
    persons = forms.ModelMultipleChoiceField(
        label=_("People nominated"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, members: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "persons",
            User.objects.filter(pk__in=[m.pk for m in members]).order_by("full_name"),
        )
        self.fields["persons"].label_from_instance = str  # type: ignore[attr-defined]


class CertificateForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Certificate file"))

    def clean_file(self) -> CheckedUpload:
        return check_upload(self.cleaned_data["file"], EVIDENCE_FILES)
