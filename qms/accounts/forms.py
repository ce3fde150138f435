from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qms.lib.forms import StyledFormMixin
from qms.organization.models import User


class MyAccountForm(StyledFormMixin, forms.Form):
    """What a person keeps up to date about themselves, in every agency at once. A plain
    form: the account changes only in services.update_own_details."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        initial = {"full_name": person.full_name, "email": person.email, "phone": person.phone}
        super().__init__(*args, initial=initial, **kwargs)


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(StyledFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordResetForm(StyledFormMixin, auth_forms.PasswordResetForm):
    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        # The mail is written in Vietnamese even when the page was read in English.
        with translation.override(settings.LANGUAGE_CODE):
            super().send_mail(*args, **kwargs)
