"""Forms of the nonconformity register. Units, people and procedures are limited to the
agency's own (an id of another agency posted by hand is an invalid choice)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qms.corrective.models import WHYS, CauseCategory, CorrectiveAction, Method, Nonconformity
from qms.documents.models import Document, Kind
from qms.lib.forms import StyledFormMixin, limit_choices
from qms.lib.uploads import EVIDENCE_FILES, CheckedUpload, check_upload
from qms.organization.forms import DATE_WIDGET
from qms.organization.models import Agency, Membership, Unit, User, today

TEXT = forms.Textarea(attrs={"rows": 3})
PROCEDURE_KINDS = (Kind.SYSTEM_PROCEDURE, Kind.TTHC_PROCEDURE, Kind.INTERNAL_PROCEDURE)


def _members(agency: Agency) -> Any:
    ids = Membership.objects.current().filter(agency=agency).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("full_name")


def _name(user: User) -> str:
    return user.full_name or user.username


class NonconformityForm(StyledFormMixin, forms.ModelForm):
    evidence = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, Word, Excel or a photo of what was found."),
    )

    class Meta:
        model = Nonconformity
        fields = [
            "title",
            "description",
            "origin",
            "origin_note",
            "unit",
            "clause",
            "procedure",
            "severity",
            "raised_on",
            "owner",
        ]
        widgets = {"description": TEXT, "origin_note": forms.Textarea(attrs={"rows": 2}),
                   "raised_on": DATE_WIDGET}  # fmt: skip

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        if self.instance.pk is not None:
            del self.fields["evidence"]  # more files are added on the page
        else:
            self.fields["raised_on"].initial = today
        limit_choices(
            self,
            "unit",
            Unit.objects.filter(agency=agency, is_active=True).order_by("order", "name"),
        )
        procedures = Document.objects.filter(agency=agency, kind__in=PROCEDURE_KINDS)
        limit_choices(self, "procedure", procedures.order_by("code"))
        self.fields["procedure"].label_from_instance = lambda d: f"{d.code} {d.title}"  # type: ignore[attr-defined]
        limit_choices(self, "owner", _members(agency))
        self.fields["owner"].label_from_instance = _name  # type: ignore[attr-defined]

    def clean_evidence(self) -> CheckedUpload | None:
        upload = self.cleaned_data.get("evidence")
        return None if not upload else check_upload(upload, EVIDENCE_FILES)


class EvidenceForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Evidence file"))

    def clean_file(self) -> CheckedUpload:
        return check_upload(self.cleaned_data["file"], EVIDENCE_FILES)


class AnalysisForm(StyledFormMixin, forms.Form):
    correction = forms.CharField(
        label=_("Correction made at once"), required=False, max_length=2000, widget=TEXT
    )
    correction_on = forms.DateField(
        label=_("Correction made on"), required=False, widget=DATE_WIDGET
    )
    method = forms.ChoiceField(
        label=_("Analysis method"),
        choices=[("", "—"), *Method.choices],
        required=False,
    )
    categories = forms.MultipleChoiceField(
        label=_("Cause categories"),
        choices=CauseCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    root_cause = forms.CharField(
        label=_("Root cause"), required=False, max_length=2000, widget=TEXT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, WHYS + 1):
            # added after the mixin styled the declared fields: styled here
            self.fields[f"why_{n}"] = forms.CharField(
                label=_("Why? (%(n)s)") % {"n": n},
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            self.fields[f"because_{n}"] = forms.CharField(
                label=_("Because (%(n)s)") % {"n": n},
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
        # the fields in reading order: correction, method, the whys, categories, root cause
        order = ["correction", "correction_on", "method"]
        order += [f"{k}_{n}" for n in range(1, WHYS + 1) for k in ("why", "because")]
        order += ["categories", "root_cause"]
        self.order_fields(order)

    @staticmethod
    def initial_of(nonconformity: Nonconformity) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "correction": nonconformity.correction,
            "correction_on": nonconformity.correction_on,
            "method": nonconformity.method,
            "categories": nonconformity.categories,
            "root_cause": nonconformity.root_cause,
        }
        for n, (why, because) in enumerate(nonconformity.whys[:WHYS], start=1):
            initial[f"why_{n}"], initial[f"because_{n}"] = why, because
        return initial

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["whys"] = [
            [data.get(f"why_{n}", ""), data.get(f"because_{n}", "")] for n in range(1, WHYS + 1)
        ]
        return data


class ActionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CorrectiveAction
        fields = ["kind", "description", "owner", "due_date"]
        widgets = {"description": TEXT, "due_date": DATE_WIDGET}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", _members(agency))
        self.fields["owner"].label_from_instance = _name  # type: ignore[attr-defined]


class DoneForm(StyledFormMixin, forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("What was done and its result"), max_length=2000, widget=TEXT)
