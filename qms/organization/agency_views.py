"""The system administrator's pages: provinces and agencies created, changed, dissolved with
a successor and reopened in the app, with the same forms and messages as the rest (Django's
admin stays for emergencies). Every view goes through `access.require_system_admin`; every
write through `qms.organization.agencies`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qms.lib.converters import int_param
from qms.lib.forms import StyledFormMixin
from qms.organization import agencies
from qms.organization.access import require_system_admin
from qms.organization.agency_forms import (
    AgencyForm,
    DissolveForm,
    ProvinceForm,
    not_adopted_warning,
)
from qms.organization.models import Agency, Province
from qms.organization.standards import standard

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET"])
def agency_admin(request: HttpRequest) -> HttpResponse:
    """Every province with how many agencies it has, and the agencies a page at a time,
    filtered by province and by words of their name."""
    require_system_admin(request.user)
    provinces = Province.objects.annotate(agency_count=Count("agencies")).order_by("name")
    chosen = int_param(request, "province")
    words = request.GET.get("q", "").strip()[:100]
    shown = Agency.objects.select_related("province", "successor", "parent").order_by(
        "province__name", "name"
    )
    if chosen is not None:
        shown = shown.filter(province_id=chosen)
    if words:
        shown = shown.filter(Q(name__icontains=words) | Q(abbreviation__icontains=words))
    return render(
        request,
        "organization/admin/agencies.html",
        {
            "provinces": list(provinces),
            "page": Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page")),
            "chosen": chosen,
            "q": words,
        },
    )


def _save(request: HttpRequest, form: Any, save: Any, done: str) -> bool:
    """Validate and save through `save`; a refusal from the service lands on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.instance)
    except ValidationError as error:
        _refuse(form, error)
        return False
    messages.success(request, done)
    return True


def _refuse(form: StyledFormMixin, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)  # type: ignore[attr-defined]
    else:
        form.add_error(None, error)  # type: ignore[attr-defined]


@login_required
@require_http_methods(["GET", "POST"])
def province_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_system_admin(request.user)
    province = get_object_or_404(Province, pk=pk) if pk else None
    form = ProvinceForm(request.POST or None, instance=province)
    if _save(request, form, agencies.save_province, _("The province has been saved.")):
        return redirect("organization:agency_admin")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "organization/admin/province_form.html",
        {"form": form, "province": province},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_system_admin(request.user)
    agency = get_object_or_404(Agency, pk=pk) if pk else None
    initial = {"province": int_param(request, "province")} if agency is None else None
    form = AgencyForm(request.POST or None, instance=agency, initial=initial)
    if _save(request, form, agencies.save_agency, _("The agency has been saved.")):
        applied = standard(form.instance.standard)
        if not applied.in_force:  # accepted, with the line that Việt Nam has not adopted it
            messages.warning(request, not_adopted_warning([applied.number]))
        return redirect("organization:agency_admin")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "organization/admin/agency_form.html",
        {"form": form, "agency": agency},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    require_system_admin(request.user)
    agency = get_object_or_404(Agency.objects.select_related("province"), pk=pk)
    form = DissolveForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agencies.dissolve(
                agency,
                last_day=data["valid_to"],
                successor=data["successor"],
                note=data["dissolution_note"],
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The agency has been recorded as dissolved."))
            return redirect("organization:agency_admin")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "organization/admin/agency_dissolve.html",
        {"form": form, "agency": agency},
        status=status,
    )


@login_required
@require_POST
def agency_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    require_system_admin(request.user)
    agency = get_object_or_404(Agency, pk=pk)
    try:
        agencies.reopen(agency)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agency exists again."))
    return redirect("organization:agency_admin")
