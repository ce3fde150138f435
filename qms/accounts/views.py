"""A person's own account: details, password change, password reset by e-mail, the
invitation that lets a new person set their first password, and the lockout page."""

from __future__ import annotations

from typing import Any, cast

from axes.utils import reset as reset_login_attempts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qms.accounts import services
from qms.accounts.forms import (
    MyAccountForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from qms.accounts.tokens import invitation_token
from qms.organization.models import Membership, RoleGrant, User


@login_required
@require_http_methods(["GET", "POST"])
def my_account(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = MyAccountForm(request.POST or None, person=user)
    if request.method == "POST" and form.is_valid():
        services.update_own_details(user, **form.cleaned_data)
        messages.success(request, _("Your details have been saved."))
        return redirect("accounts:me")
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("agency", "unit")
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")))
        .order_by("-is_active", "agency__name")
    )
    return render(request, "accounts/my_account.html", {"form": form, "memberships": memberships})


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self) -> dict[str, Any]:  # type: ignore[override]
        # Links point at the address people reach the site at, never at the Host header.
        return {"site_url": settings.SITE_URL.rstrip("/")}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: auth_forms.SetPasswordForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        # Whoever proved they hold the mailbox may try again at once.
        reset_login_attempts(username=form.user.get_username())
        return response


class InvitationView(PasswordResetConfirmView):
    """The invitation link: the new person chooses their password, once."""

    token_generator = invitation_token
    template_name = "accounts/invitation_confirm.html"
    success_url = reverse_lazy("accounts:invitation_done")


def invitation_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/invitation_done.html")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """The lockout page: django-axes calls this (AXES_LOCKOUT_CALLABLE) for a locked login."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=429)
