"""Account e-mails, sent by the worker. Always in Vietnamese (the language of the agencies),
whatever language the person who triggered them was using."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from qms.accounts.tokens import invitation_token
from qms.organization.models import Agency, User


def invitation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("accounts:invitation", args=[uid, invitation_token.make_token(user)])
    return settings.SITE_URL.rstrip("/") + path


@task()
def send_invitation(user_id: int, agency_id: int, inviter: str) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    agency = Agency.objects.filter(pk=agency_id).first()
    if user is None or agency is None or user.has_usable_password() or not user.email:
        return False  # accepted, deactivated or changed since it was queued
    valid_until = timezone.localtime() + dt.timedelta(seconds=settings.QMS_INVITATION_TIMEOUT)
    context = {
        "user": user,
        "agency": agency,
        "inviter": inviter,
        "link": invitation_link(user),
        "valid_until": valid_until,
        "site_url": settings.SITE_URL,
    }
    _send(user.email, "accounts/invitation_subject.txt", "accounts/invitation_email.txt", context)
    return True


@task()
def send_email_changed(user_id: int, old_email: str) -> bool:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    context = {"user": user, "site_url": settings.SITE_URL}
    _send(old_email, "accounts/email_changed_subject.txt", "accounts/email_changed.txt", context)
    return True


def _send(to: str, subject_template: str, body_template: str, context: dict[str, object]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    send_mail(subject, body, None, [to])
