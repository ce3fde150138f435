"""Writes about accounts: invitations, and a person's own details.

E-mails leave after the transaction commits, through the task queue (the worker sends them;
the tests' immediate backend sends them at once), never inside the request."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qms.accounts import tasks
from qms.organization.models import Agency, User


def is_invited(user: User) -> bool:
    """Invited and not yet in: the person has not set a password of their own."""
    return not user.has_usable_password()


def send_invitation(user: User, *, agency: Agency, by: User) -> None:
    """E-mail `user` a one-time link to set their own password, once the caller's transaction
    has committed. Only for an account that has no password yet: a person who has one uses
    "Quên mật khẩu?" instead, so nobody can take over an account by re-inviting it."""
    if not is_invited(user):
        raise ValidationError(_("This person has already set a password."))
    if not user.email:
        raise ValidationError(_("This person has no e-mail address to send the invitation to."))
    user_id, agency_id, inviter = user.pk, agency.pk, str(by)
    transaction.on_commit(lambda: tasks.send_invitation.enqueue(user_id, agency_id, inviter))


@transaction.atomic
def update_own_details(user: User, *, full_name: str, email: str, phone: str) -> None:
    """The person's own name, e-mail and phone ("Tài khoản của tôi"). A changed e-mail
    address is announced to the old one, so a stolen session cannot quietly redirect the
    password-reset mail."""
    old_email = user.email
    user.full_name, user.email, user.phone = full_name, email, phone
    user.save(update_fields=["full_name", "email", "phone"])
    if old_email and old_email.lower() != email.lower():
        user_id = user.pk
        transaction.on_commit(lambda: tasks.send_email_changed.enqueue(user_id, old_email))
