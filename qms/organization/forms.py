from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qms.lib.chooser import search_chooser
from qms.lib.forms import StyledFormMixin, inline_formset, limit_choices
from qms.organization.models import (
    Agency,
    CommitteeDecision,
    CommitteeMember,
    Delegation,
    Membership,
    Role,
    Unit,
    User,
    current_membership_q,
)

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})

# Roles an agency's secretary may grant inside the agency; overseeing the province is
# granted only in a DOST agency (checked in clean) and by the system administrator.
AGENCY_ROLES = [choice for choice in Role.choices if choice[0] != Role.PROVINCE_OVERSEER]


class UnitForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "parent", "order", "is_active"]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        parents = Unit.objects.filter(agency=agency, is_active=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        limit_choices(self, "parent", parents)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Unit.objects.filter(agency=self.instance.agency, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("This agency already has a unit with this name."))
        return name


class MembershipForm(StyledFormMixin, forms.ModelForm):
    """Position, unit and roles of a person in one agency. On one's own membership the roles
    are shown but cannot be changed (`own`): nobody grants a role to themselves."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=AGENCY_ROLES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Membership
        fields = ["position", "unit", "roles", "expires_on", "is_active"]
        widgets = {"expires_on": DATE_WIDGET}

    def __init__(
        self,
        *args: Any,
        agency: Agency,
        allow_overseer: bool = False,
        own: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        limit_choices(self, "unit", Unit.objects.filter(agency=agency, is_active=True))
        choices = Role.choices if allow_overseer and agency.is_dost else AGENCY_ROLES
        roles_field = self.fields["roles"]
        assert isinstance(roles_field, forms.MultipleChoiceField)
        roles_field.choices = choices
        self.grantable = {str(code) for code, _label in choices}
        if self.instance.pk:
            self.initial.setdefault("roles", self.instance.role_codes)
        if own:
            # A disabled field ignores what is posted and keeps the current roles.
            roles_field.choices = Role.choices
            roles_field.disabled = True
            roles_field.required = False
            roles_field.help_text = _(
                "You cannot change your own roles: another ISO secretary or the system "
                "administrator does it."
            )

    def roles_to_save(self) -> set[str]:
        """The roles ticked, plus roles this editor may not grant (kept as they were)."""
        kept = set(self.instance.role_codes) - self.grantable if self.instance.pk else set()
        return set(self.cleaned_data["roles"]) | kept

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        roles = set(data.get("roles") or [])
        if Role.INVITED_EXPERT in roles and not data.get("expires_on"):
            self.add_error("expires_on", _("An invited expert needs an end date."))
        if Role.INVITED_EXPERT in roles and len(roles) > 1:
            self.add_error("roles", _("An invited expert holds no other role in the agency."))
        return data


class NewPersonForm(MembershipForm):
    """A new account together with its first membership."""

    username = forms.RegexField(
        label=_("Login name"),
        max_length=150,
        regex=r"^[a-z0-9._-]+$",
        error_messages={
            "invalid": _(
                "Use lower-case letters without accents, digits, dots, hyphens or underscores."
            )
        },
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_(
            "The person receives an invitation at this address and chooses their own password."
        ),
    )

    field_order = [
        "username",
        "full_name",
        "email",
        "position",
        "unit",
        "roles",
        "expires_on",
    ]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This login name is already taken."))
        return username


class ExistingPersonForm(MembershipForm):
    """An account that already exists elsewhere joins this agency (system administrator only:
    a secretary must not learn which login names exist in other agencies)."""

    username = forms.CharField(label=_("Login name of the existing account"), max_length=150)

    field_order = ["username", "position", "unit", "roles", "expires_on"]

    def __init__(self, *args: Any, editor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editor = editor

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise ValidationError(_("No account has this login name."))
        if user.pk == self.editor.pk:
            raise ValidationError(_("Nobody can add their own account to an agency."))
        if Membership.objects.filter(user=user, agency=self.instance.agency).exists():
            raise ValidationError(_("This person already belongs to the agency."))
        return user


class PersonForm(StyledFormMixin, forms.Form):
    """Name and phone of a person who belongs to this agency only; the e-mail address too
    while the invitation has not been accepted. A plain form: services.update_person checks
    and writes, the account object stays untouched until then."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        initial = {"full_name": person.full_name, "email": person.email, "phone": person.phone}
        super().__init__(*args, initial=initial, **kwargs)
        if person.has_usable_password():
            del self.fields["email"]


class DecisionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CommitteeDecision
        fields = ["kind", "effective_on", "duties"]
        widgets = {"effective_on": DATE_WIDGET, "duties": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "effective_on": _("Leave empty when the decision takes effect on the day it is signed.")
        }


def person_label(user: User) -> str:
    """A person as the people choosers show them: the full name, and the e-mail address that
    tells two namesakes apart."""
    return f"{user.full_name} ({user.email})" if user.email else user.full_name


def current_members(agency: Agency) -> QuerySet[Membership]:
    """The agency's current memberships, by name (a revision's "one person" who must read)."""
    members = Membership.objects.filter(current_membership_q(), agency=agency)
    return members.select_related("user", "unit").order_by("user__full_name", "pk")


def member_label(membership: Membership) -> str:
    """The person, and where they work, so two namesakes are told apart."""
    where = ", ".join(p for p in (membership.position, getattr(membership.unit, "name", "")) if p)
    return f"{membership.user.full_name} – {where}" if where else membership.user.full_name


def committee_people(agency: Agency) -> QuerySet[User]:
    """Who may be named as the account of a committee member: the agency's active members."""
    people = User.objects.filter(memberships__agency=agency, memberships__is_active=True)
    return people.order_by("full_name", "pk")


def delegate_people(agency: Agency, *, head: User) -> QuerySet[User]:
    """To whom the head may delegate: the agency's current members, the head excepted."""
    people = User.objects.filter(current_membership_q("memberships__"), memberships__agency=agency)
    return people.exclude(pk=head.pk).order_by("full_name", "pk")


class MemberForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["order", "full_name", "position", "committee_role", "duty", "user"]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "user", committee_people(agency))
        self.fields["user"].required = False
        self.fields["user"].label_from_instance = person_label  # type: ignore[attr-defined]
        search_chooser(
            self, "user", reverse("organization:people_choices", args=[agency.pk, "committee"])
        )


MemberFormSet = inline_formset(
    CommitteeDecision,
    CommitteeMember,
    form=MemberForm,
    extra=2,
    can_delete=True,
    min_num=1,
    validate_min=True,
)


class CommitteeDateForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label=_("Committee on"), widget=DATE_WIDGET, required=False)


class DelegationForm(StyledFormMixin, forms.Form):
    """The head's delegation (ủy quyền) of approval rights to another member for a period."""

    delegate = forms.ModelChoiceField(label=_("Delegated to"), queryset=User.objects.none())
    rights = forms.MultipleChoiceField(
        label=_("Rights delegated"),
        choices=Delegation.Right.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("To"), widget=DATE_WIDGET)
    number = forms.CharField(
        label=_("Number of the letter of authorisation"),
        max_length=60,
        required=False,
        help_text=_("e.g. 12/GUQ-SXD; printed as “theo ủy quyền số … ngày …”."),
    )
    signed_on = forms.DateField(label=_("Dated"), widget=DATE_WIDGET, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, agency: Agency, head: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "delegate", delegate_people(agency, head=head))
        self.fields["delegate"].label_from_instance = person_label  # type: ignore[attr-defined]
        search_chooser(
            self,
            "delegate",
            reverse("organization:people_choices", args=[agency.pk, "delegation"]),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data
