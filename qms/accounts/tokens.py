"""The one-time link of an invitation: Django's password-reset token, with its own salt (an
invitation link is no reset link, and the reverse) and its own, longer, validity.

Like a reset token it is bound to the password hash, so it stops working the moment the
person has set a password: one use only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from qms.organization.models import User


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "qms.accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user: User | None, token: str | None) -> bool:  # type: ignore[override]
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, s), token)
            for s in secrets
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= settings.QMS_INVITATION_TIMEOUT


invitation_token = InvitationTokenGenerator()
