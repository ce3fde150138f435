"""Forms of the internal audit. Choices of units, people and procedures are limited to the
agency's own (a hand-posted id of another agency is an invalid choice)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qms.audits import clauses, queries
from qms.audits.models import (
    Answer,
    Audit,
    AuditorQualification,
    Finding,
    QuestionBank,
)
from qms.documents.models import Document, Kind
from qms.lib.forms import StyledFormMixin, limit_choices
from qms.lib.uploads import EVIDENCE_FILES, CheckedUpload, check_upload, with_size_limit
from qms.organization.models import Agency, Membership, Unit, User

DATE = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
TEXT = forms.Textarea(attrs={"rows": 3})
PROCEDURE_KINDS = (Kind.SYSTEM_PROCEDURE, Kind.TTHC_PROCEDURE, Kind.INTERNAL_PROCEDURE)
MONTHS = [(str(m), str(m)) for m in range(1, 13)]
FILE_LABEL = with_size_limit(_("Evidence file (PDF, DOCX, XLSX, JPG, PNG; at most %(size)s MB)"))


def procedures_of(agency: Agency) -> Any:
    return Document.objects.filter(agency=agency, kind__in=PROCEDURE_KINDS).order_by("code")


def units_of(agency: Agency) -> Any:
    return Unit.objects.filter(agency=agency, is_active=True).order_by("order", "name")


def _procedure_labels(field: forms.Field) -> None:
    field.label_from_instance = lambda d: f"{d.code} {d.title}"  # type: ignore[attr-defined]


def _checked(upload: Any) -> CheckedUpload | None:
    return None if not upload else check_upload(upload, EVIDENCE_FILES)


class ProgrammeRowForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    procedure = forms.ModelChoiceField(
        label=_("or procedure (process)"), queryset=Document.objects.none(), required=False
    )
    months = forms.MultipleChoiceField(
        label=_("Months"), choices=MONTHS, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "unit", units_of(agency))
        limit_choices(self, "procedure", procedures_of(agency))
        _procedure_labels(self.fields["procedure"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("unit")) == bool(data.get("procedure")):
            raise forms.ValidationError(_("Choose either a unit or a procedure."))
        return data


class QualificationForm(StyledFormMixin, forms.ModelForm):
    file = forms.FileField(label=FILE_LABEL, required=False)

    class Meta:
        model = AuditorQualification
        fields = ["person", "certificate_number", "issued_by", "issued_on"]
        widgets = {"issued_on": DATE}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Membership.objects.current().filter(agency=agency).values("user_id")
        limit_choices(self, "person", User.objects.filter(pk__in=members).order_by("full_name"))
        self.fields["person"].label_from_instance = lambda u: u.full_name  # type: ignore[attr-defined]

    def clean_file(self) -> CheckedUpload | None:
        return _checked(self.cleaned_data.get("file"))


class AuditForm(StyledFormMixin, forms.ModelForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Units audited"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    procedures = forms.ModelMultipleChoiceField(
        label=_("Procedures audited"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    clauses = forms.MultipleChoiceField(
        label=_("Clauses of the standard (audit criteria)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Audit
        fields = ["kind", "title", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "units", units_of(agency))
        limit_choices(self, "procedures", procedures_of(agency))
        _procedure_labels(self.fields["procedures"])
        self.fields["clauses"].choices = clauses.choices()  # type: ignore[attr-defined]
        self.fields["kind"].required = False  # left out: an internal audit
        if self.instance.pk:
            self.initial["units"] = list(self.instance.units.all())
            self.initial["procedures"] = list(self.instance.procedures.all())
            self.initial["clauses"] = list(self.instance.clauses)

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or Audit.Kind.INTERNAL)


class TeamForm(StyledFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Auditor"), queryset=User.objects.none())
    is_lead = forms.BooleanField(label=_("Lead auditor"), required=False)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [u.pk for u in queries.qualified_auditors(agency)]
        limit_choices(self, "person", User.objects.filter(pk__in=ids).order_by("full_name"))
        self.fields["person"].label_from_instance = lambda u: u.full_name  # type: ignore[attr-defined]
        self.fields["person"].help_text = _(
            "Only people with an auditor qualification are listed; nobody audits their own unit."
        )


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.ChoiceField(label=_("Result"), choices=Answer.choices)
    evidence = forms.CharField(
        label=_("Evidence seen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FindingForm(StyledFormMixin, forms.ModelForm):
    clause = forms.ChoiceField(label=_("Clause of the standard"))
    evidence = forms.FileField(label=FILE_LABEL, required=False)

    class Meta:
        model = Finding
        fields = ["kind", "clause", "unit", "procedure", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, audit: Audit, unit_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = [("", "---------"), *clauses.choices()]  # type: ignore[attr-defined]
        limit_choices(self, "unit", Unit.objects.filter(agency=audit.agency, pk__in=unit_ids))
        limit_choices(self, "procedure", procedures_of(audit.agency))
        _procedure_labels(self.fields["procedure"])

    def clean_evidence(self) -> CheckedUpload | None:
        return _checked(self.cleaned_data.get("evidence"))


class FileForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=FILE_LABEL)

    def clean_file(self) -> CheckedUpload | None:
        return _checked(self.cleaned_data.get("file"))


class BankForm(StyledFormMixin, forms.ModelForm):
    clause = forms.ChoiceField(label=_("Clause of the standard"), required=False)

    class Meta:
        model = QuestionBank
        fields = ["title", "clause", "procedure"]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = [("", "---------"), *clauses.choices()]  # type: ignore[attr-defined]
        limit_choices(self, "procedure", procedures_of(agency))
        _procedure_labels(self.fields["procedure"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("clause") and data.get("procedure"):  # neither: the model's constraint
            raise forms.ValidationError(_("Choose either a clause of the standard or a procedure."))
        return data


class QuestionForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Question"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConclusionForm(StyledFormMixin, forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusion of the audit team"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
