"""Screens of dossier results (issue 12 §4–5): the figures of a period with their trend, the
import of the one-stop system's exports (run here or in the worker, with a progress bar), the
late dossiers and their apology letters, and the satisfaction surveys.

Every view loads the agency through `agency_access` and rows through `get_scoped`; every
write goes through `qms.procedures.results`; every figure comes from `queries`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.lib.downloads import XLSX_TYPE, attachment
from qms.lib.sheets import xlsx
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped
from qms.organization.models import User
from qms.procedures import queries, results, satisfaction
from qms.procedures.forms_results import (
    BY_LABELS,
    PeriodForm,
    ResultImportForm,
    SatisfactionForm,
    SatisfactionImportForm,
)
from qms.procedures.models import LateDossier, ResultImport

PAGE_SIZE = 50
TEMPLATE = "procedures/results_%s.html"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _period(request: HttpRequest, access: AgencyAccess) -> dict[str, Any]:
    form = PeriodForm(request.GET or None, years=queries.years_with_results(access.agency))
    start, end, year, part, by = form.period()
    query = urlencode({"year": str(year), "part": part, "by": by})
    return {
        "period_form": form,
        "start": start,
        "end": end,
        "year": year,
        "part": part,
        "by": by,
        "query": query,
    }


# --- the figures ---------------------------------------------------------------------------


@login_required
@require_GET
def results_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    context = _period(request, access)
    agency, start, end = access.agency, context["start"], context["end"]
    year_start, year_end = dt.date(context["year"], 1, 1), dt.date(context["year"], 12, 31)
    rows = queries.breakdown(agency, start, end, context["by"])
    total = queries.Figures(label=_("Total"))
    for row in rows:
        total.add(row.counts)
    months = queries.trend(agency, year_start, year_end)
    # The totals and the slowest TTHC read every row; the table shows a page of them (an
    # agency may handle hundreds of TTHC), the export all.
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    surveys = queries.satisfaction(agency, start, end)
    context.update(
        access=access,
        agency=agency,
        rows=rows,
        page=page,
        table=[_table_row(row) for row in page],
        total_row=_table_row(total),
        total=total,
        by_label=BY_LABELS[context["by"]],
        slowest=queries.slowest(
            agency, start, end, rows=rows if context["by"] == "procedure" else None
        ),
        satisfaction=surveys,
        satisfaction_rate=queries.rate_of(surveys),
        chart=_chart(months),
        can_import=access.can(Action.IMPORT_RESULTS),
    )
    return render(request, TEMPLATE % "page", context)


def _table_row(figures: queries.Figures) -> list[str]:
    """The cells of one line of the figures table, formatted once here: the template only
    prints them (a page of 50 TTHC is 450 numbers)."""
    rate = figures.on_time_rate
    return [
        figures.label,
        *map(
            str,
            (
                figures.received,
                figures.carried_over,
                figures.resolved_early,
                figures.resolved_on_time,
                figures.resolved_late,
                figures.pending,
                figures.pending_late,
            ),
        ),
        "—" if rate is None else f"{number_format(rate, 2)} %",
    ]


def _chart(months: list[queries.Figures]) -> dict[str, Any]:
    """What static/js/charts.js draws: resolved dossiers stacked by timeliness, month by
    month, with the on-time rate as a line."""
    return {
        "labels": [m.label for m in months],
        "series": [
            {"label": _("Early"), "data": [m.resolved_early for m in months]},
            {"label": _("On time"), "data": [m.resolved_on_time for m in months]},
            {"label": _("Late"), "data": [m.resolved_late for m in months]},
        ],
        "rate": {"label": _("On-time rate (%)"), "data": [m.on_time_rate for m in months]},
    }


EXPORT_HEADERS = (
    "Nhóm",
    "Tiếp nhận trực tuyến",
    "Tiếp nhận trực tiếp",
    "Tiếp nhận qua bưu chính",
    "Kỳ trước chuyển sang",
    "Giải quyết trước hạn",
    "Giải quyết đúng hạn",
    "Giải quyết quá hạn",
    "Đang giải quyết trong hạn",
    "Đang giải quyết quá hạn",
    "Trả lại",
    "Rút hồ sơ",
    "Đã giải quyết",
    "Tỷ lệ đúng hạn (%)",
)


@login_required
@require_GET
def results_export(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    context = _period(request, access)
    rows = queries.breakdown(access.agency, context["start"], context["end"], context["by"])
    total = queries.Figures(label="Tổng cộng")
    for row in rows:
        total.add(row.counts)
    lines = [[r.label, *r.counts, r.resolved, r.on_time_rate] for r in [*rows, total]]
    title = f"{context['start']:%d-%m-%Y}_{context['end']:%d-%m-%Y}"
    content = xlsx("Kết quả giải quyết TTHC", EXPORT_HEADERS, lines, widths=(60,))
    return attachment(content, XLSX_TYPE, f"ket-qua-giai-quyet-tthc_{title}.xlsx")


# --- importing -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def results_import(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.IMPORT_RESULTS)
    form = ResultImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result_import = results.create_import(
                access.agency,
                _user(request),
                data["file"],
                data["period_start"],
                data["period_end"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            results.start_import(result_import)
            return redirect("procedures:results_import_detail", access.agency.pk, result_import.pk)
    imports = ResultImport.objects.filter(agency=access.agency).select_related("by")
    page = Paginator(imports, 25).get_page(request.GET.get("page"))
    context = {"access": access, "agency": access.agency, "form": form, "page": page}
    return render(request, TEMPLATE % "import", context)


def _import_context(request: HttpRequest, agency_id: int, pk: int) -> dict[str, Any]:
    access = agency_access(request.user, agency_id)
    result_import = get_scoped(access, ResultImport.objects.select_related("by"), pk=pk)
    errors, more = results.shown_errors(result_import.errors)
    waiting = result_import.status in (ResultImport.Status.QUEUED, ResultImport.Status.RUNNING)
    done = result_import.status == ResultImport.Status.DONE
    percent = (
        min(100, round(100 * result_import.rows_done / result_import.rows_total))
        if result_import.rows_total
        else 0
    )
    return {
        "access": access,
        "agency": access.agency,
        "result_import": result_import,
        "errors": errors,
        "more_errors": more,
        "waiting": waiting,
        "done": done,
        "failed": result_import.status == ResultImport.Status.FAILED,
        "percent": percent,
        "figures": queries.totals(
            access.agency, result_import.period_start, result_import.period_end
        )
        if done
        else None,
    }


@login_required
@require_GET
def results_import_detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    return render(request, TEMPLATE % "import_detail", _import_context(request, agency_id, pk))


@login_required
@require_GET
def results_import_progress(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """The progress fragment htmx polls until the import is done or refused."""
    context = _import_context(request, agency_id, pk)
    return render(request, "procedures/results_import_progress.html", context)


# --- late dossiers -------------------------------------------------------------------------


@login_required
@require_GET
def results_late(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    context = _period(request, access)
    late = queries.late_dossiers(access.agency, context["start"], context["end"])
    if request.GET.get("unsent"):
        late = late.filter(apology_sent=False)
    page = Paginator(late, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        access=access,
        agency=access.agency,
        page=page,
        unsent=bool(request.GET.get("unsent")),
        can_import=access.can(Action.IMPORT_RESULTS),
    )
    if context["unsent"]:
        context["query"] += "&unsent=1"
    return render(request, TEMPLATE % "late", context)


@login_required
@require_POST
def results_apology(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.IMPORT_RESULTS)
    dossier = get_scoped(access, LateDossier.objects.all(), pk=pk)
    results.set_apology_sent(dossier, request.POST.get("sent") == "1")
    back = request.POST.get("next", "")
    if back.startswith(reverse("procedures:results_late", args=[access.agency.pk])):
        return redirect(back)
    return redirect("procedures:results_late", access.agency.pk)


# --- satisfaction --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def results_satisfaction(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    if request.method == "POST":
        access.require(Action.IMPORT_RESULTS)
    form = SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        satisfaction.record(access.agency, data["period_start"], data["period_end"], data)
        messages.success(request, _("The survey results were recorded."))
        return redirect("procedures:results_satisfaction", access.agency.pk)
    return _satisfaction_page(request, access, form, SatisfactionImportForm())


def _satisfaction_page(
    request: HttpRequest,
    access: AgencyAccess,
    form: SatisfactionForm,
    upload: SatisfactionImportForm,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    surveys = access.agency.satisfaction.select_related("procedure")
    page = Paginator(surveys, PAGE_SIZE).get_page(request.GET.get("page"))
    shown, more = results.shown_errors(errors or [])
    context = {
        "access": access,
        "agency": access.agency,
        "form": form,
        "upload": upload,
        "page": page,
        "errors": shown,
        "more_errors": more,
        "can_import": access.can(Action.IMPORT_RESULTS),
    }
    return render(request, TEMPLATE % "satisfaction", context, status=400 if errors else 200)


@login_required
@require_POST
def results_satisfaction_import(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.IMPORT_RESULTS)
    upload = SatisfactionImportForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _satisfaction_page(request, access, SatisfactionForm(), upload)
    file = upload.cleaned_data["file"]
    path = Path(file.temporary_file_path()) if hasattr(file, "temporary_file_path") else None
    count, errors = _import_satisfaction(access, file, path)
    if errors:
        return _satisfaction_page(request, access, SatisfactionForm(), upload, errors)
    messages.success(request, _("%(n)s survey rows were recorded.") % {"n": count})
    return redirect("procedures:results_satisfaction", access.agency.pk)


def _import_satisfaction(
    access: AgencyAccess, file: Any, path: Path | None
) -> tuple[int, list[dict[str, Any]]]:
    """The survey file read from where Django keeps it (spooled small files are written to a
    temporary file first: the readers work on paths)."""
    extension = results.extension_of(file.name or "")
    if path is not None:
        return satisfaction.import_file(access.agency, path, extension)
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=extension) as handle:
        for chunk in file.chunks():
            handle.write(chunk)
        handle.flush()
        return satisfaction.import_file(access.agency, Path(handle.name), extension)
