"""Screens of the register as a whole: the filtered list (entry page), the heat map, the
agency's scale, the copy to the next year and the exports."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.lib.downloads import DOCX_TYPE, XLSX_TYPE, attachment
from qms.organization.access import Action, AgencyAccess, agency_access
from qms.organization.models import Unit
from qms.risks import exports, queries, services
from qms.risks.forms import ScaleForm
from qms.risks.models import Band, Risk, RiskScale, TreatmentPlan
from qms.risks.pages import PAGE_SIZE, check_year, filters_of, query_of, year_of
from qms.risks.scale import axis_labels, badges_of, band_range, default_scale, scale_of, scored


def _register_url(agency_id: int, year: int) -> str:
    return f"{reverse('risks:register', args=[agency_id])}?year={year}"


def _units(access: AgencyAccess) -> list[Unit]:
    return list(Unit.objects.filter(agency=access.agency).order_by("-is_active", "order", "name"))


def _may_add(access: AgencyAccess) -> bool:
    """Whether the user adds rows: across units, or for a unit of their own."""
    return access.can(Action.MANAGE_RISKS) and (access.acts_across_units or bool(access.unit_ids))


@login_required
@require_GET
def register(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The register, filtered and paginated: 6 queries whatever the number of rows (the
    access helper's, the scale, the units, the count, the page with units and procedures)."""
    access = agency_access(request.user, agency_id)
    scale = scale_of(access.agency)
    units = _units(access)
    filters = filters_of(request, scale, {u.pk for u in units})
    rows = queries.register_rows(access.agency, scale, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for risk in page:
        risk.scored = scored(scale, risk.level, risk.kind)  # type: ignore[attr-defined]
    context = {
        "access": access,
        "agency": access.agency,
        "year": filters.year,
        "filters": filters,
        "units": units,
        "kinds": Risk.Kind.choices,
        "bands": Band.choices,
        "statuses": Risk.Status.choices,
        "levels": range(1, scale.levels + 1),
        "page": page,
        "query": query_of(filters),
        "scale": scale,
        "may_add": _may_add(access),
        "may_copy": access.can_on(Action.MANAGE_RISKS, []),
        "may_plan": access.can_on(Action.MANAGE_RISKS, []) and access.can(Action.MANAGE_CONTEXT),
        "plan": TreatmentPlan.objects.filter(agency=access.agency, year=filters.year)
        .select_related("paper")
        .first(),
    }
    return render(request, "risks/register_list.html", context)


@login_required
@require_GET
def heat_map(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Likelihood × impact with the number of rows in each cell: 4 queries."""
    access = agency_access(request.user, agency_id)
    scale = scale_of(access.agency)
    units = _units(access)
    # One kind at a time: a risk's high score is bad news, an opportunity's good news, so the
    # two never share a grid or its colours.
    filters = filters_of(request, scale, {u.pk for u in units})
    kind = filters.kind or Risk.Kind.RISK
    filters = replace(filters, kind=kind)
    grid = [
        [(cell, scored(scale, cell.score, kind)) for cell in row]
        for row in queries.heat_map(access.agency, scale, filters)
    ]
    first, second = axis_labels(kind)
    context = {
        "access": access,
        "agency": access.agency,
        "year": filters.year,
        "filters": filters,
        "units": units,
        "kinds": Risk.Kind.choices,
        "grid": grid,
        "legend": [(band, badges_of(kind)[band], *band_range(scale, band)) for band in Band],
        "levels": range(1, scale.levels + 1),
        "query": query_of(filters),
        "row_label": first,
        "column_label": second,
        "scale": scale,
        "total": sum(cell.count for row in grid for cell, _band in row),
    }
    return render(request, "risks/heat_map.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def scale_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The agency's scale: kept by the ISO secretary (a right across units)."""
    access = agency_access(request.user, agency_id)
    access.require_on(Action.MANAGE_RISKS, [])
    scale = RiskScale.objects.filter(agency=access.agency).first() or default_scale(access.agency)
    form = ScaleForm(request.POST or None, instance=scale)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_scale(form.instance)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The risk scale has been saved."))
            return redirect(_register_url(agency_id, year_of(request)))
    context = {
        "access": access,
        "agency": access.agency,
        "form": form,
        "title": _("Risk scale of the agency"),
        "help": _(
            "Defaults: on 5 levels, 1–4 low, 5–9 medium, 10–16 high, 17–25 very high, "
            "action from 10; on 3 levels, 1–2 low, 3–4 medium, 5–6 high, 7–9 very high, "
            "action from 5."
        ),
        "back": _register_url(agency_id, year_of(request)),
        "form_id": "scale-form",
    }
    return render(request, "risks/form_page.html", context)


@login_required
@require_POST
def copy_year(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require_on(Action.MANAGE_RISKS, [])
    access.require(Action.MANAGE_CONTEXT)
    year = check_year(year)
    check_year(year + 1)
    try:
        copied = services.copy_to_next_year(access.agency, year, access.user)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect(_register_url(agency_id, year))
    messages.success(
        request,
        _("Copied to %(year)s as drafts: %(parts)s.")
        % {"year": copied.year, "parts": ", ".join(copied.done)},
    )
    if copied.skipped:
        messages.warning(
            request,
            _("Not copied, since %(year)s already has them: %(parts)s.")
            % {"year": copied.year, "parts": ", ".join(copied.skipped)},
        )
    return redirect(_register_url(agency_id, copied.year))


def _export(request: HttpRequest, agency_id: int, year: int, what: str) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    year = check_year(year)
    scale = scale_of(access.agency)
    content, filename = exports.build(access.agency, scale, year, what)
    kind = DOCX_TYPE if filename.endswith(".docx") else XLSX_TYPE
    return attachment(content, kind, filename)


@login_required
@require_GET
def export(request: HttpRequest, agency_id: int, year: int, what: str) -> HttpResponse:
    return _export(request, agency_id, year, what)
