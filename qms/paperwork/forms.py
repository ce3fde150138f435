"""The draft's signing details, the registry's number and date, the signed copy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qms.lib.forms import StyledFormMixin, limit_choices
from qms.organization.forms import DATE_WIDGET
from qms.organization.models import Membership, Role, Unit, User, current_membership_q
from qms.paperwork import frame
from qms.paperwork.kinds import Issuer, SignForm
from qms.paperwork.models import Paper

# Who may sign for an agency: its leadership (a TL./TUQ. signer is typed as a fallback).
SIGNING_ROLES = (Role.HEAD, Role.DEPUTY_HEAD)


def signers(paper: Paper) -> list[tuple[User, str]]:
    """People who hold a signing position in the agency now, with their position."""
    memberships = (
        Membership.objects.filter(current_membership_q(), agency_id=paper.agency_id)
        .filter(role_grants__role__in=SIGNING_ROLES)
        .select_related("user")
        .distinct()
        .order_by("user__full_name")
    )
    return [(m.user, m.position) for m in memberships]


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class PaperForm(StyledFormMixin, forms.ModelForm):
    """What the draft says about who issues and signs; number and date come at issue."""

    class Meta:
        model = Paper
        fields = [
            "issuer",
            "drafting_unit",
            "archive_units",
            "sign_form",
            "signer",
            "signer_name",
            "signer_position",
            "grounds",
            "proposal",
            "recipients",
        ]
        widgets = {
            "grounds": forms.Textarea(attrs={"rows": 4}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "signer": _("Chosen among the head and deputies; the name and position follow."),
            "signer_name": _("Only when the signer is not in the list (TL., TUQ.)."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        paper: Paper = self.instance
        self.positions = {user.pk: position for user, position in signers(paper)}
        limit_choices(self, "signer", User.objects.filter(pk__in=list(self.positions)))
        limit_choices(
            self, "drafting_unit", Unit.objects.filter(agency_id=paper.agency_id, is_active=True)
        )
        self.fields["signer_name"].required = False
        _choice(self, "sign_form").choices = [
            (value, label)
            for value, label in SignForm.choices
            if value in frame.offered_forms(paper)
        ]
        _choice(self, "issuer").choices = Issuer.choices
        if paper.kind != "QĐ":
            self.fields.pop("proposal")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        signer: User | None = data.get("signer")
        if signer is not None:
            data["signer_name"] = signer.full_name
            data["signer_position"] = data.get("signer_position") or self.positions[signer.pk]
        if not (data.get("signer_name") or "").strip():
            self.add_error("signer", _("Choose the signer, or type the name of another signer."))
        issuer = data.get("issuer", self.instance.issuer)
        probe = Paper(agency=self.instance.agency, issuer=issuer)
        form = data.get("sign_form")
        if form and form not in frame.offered_forms(probe):
            self.add_error(
                "sign_form", _("Only a collective body signs “TM.”; choose another form.")
            )
        return data


class IssueForm(StyledFormMixin, forms.Form):
    number = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=99999,
        error_messages={"invalid": _("Write the number in digits, e.g. 05.")},
    )
    issued_on = forms.DateField(
        label=_("Signed on"),
        widget=DATE_WIDGET,
        error_messages={"invalid": _("Write the date as dd/mm/yyyy, e.g. 05/03/2026.")},
    )


class SignedCopyForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Signed copy"),
        help_text=_("A scan (PDF, JPEG, PNG) or the digitally signed PDF."),
    )


class RegisterFilterForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    issuer = forms.ChoiceField(label=_("Issued by"), required=False)
    signed_copy = forms.ChoiceField(
        label=_("Signed copy"),
        required=False,
        choices=[("", _("All")), ("yes", _("Attached")), ("no", _("Missing"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from qms.paperwork.kinds import Kind

        _choice(self, "kind").choices = [("", _("All")), *Kind.choices]
        _choice(self, "issuer").choices = [("", _("All")), *Issuer.choices]
