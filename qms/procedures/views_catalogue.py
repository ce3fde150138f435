"""Pages of the catalogue part: the province's catalogue kept by its Sở KH&CN (list, import,
preview, apply), the agency's subset of it, and its coverage by ISO procedures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.lib.chooser import ChooserQuery, find, render_choices, search_chooser
from qms.lib.downloads import XLSX_TYPE, attachment
from qms.lib.search import terms
from qms.lib.sheets import xlsx
from qms.lib.uploads import XLSX, check_upload
from qms.organization.access import (
    Action,
    AgencyAccess,
    AnyUser,
    access_for,
    agency_access,
    get_scoped,
)
from qms.organization.models import Agency, Membership, User
from qms.procedures import catalogue, coverage
from qms.procedures.forms_catalogue import (
    AddFieldForm,
    AddProceduresForm,
    ApplyForm,
    CatalogueFilterForm,
    CatalogueImportForm,
    HandlingForm,
)
from qms.procedures.models import AdminProcedure, AgencyProcedure, CatalogueImport

PAGE_SIZE = 50
CATALOGUE_FILES = {".xlsx": XLSX, ".csv": "text/csv"}


# --- the province's catalogue -----------------------------------------------------------


@dataclass(frozen=True)
class CatalogueAccess:
    """Who reads the province's catalogue: the Sở's members and overseers, and the members
    of every agency of the province (they choose their subset from it). Only the Sở's ISO
    secretary and province overseer keep it (MANAGE_CATALOGUE)."""

    dost: Agency
    can_manage: bool
    # Whether the user reaches the Sở's own pages (its member, overseer or the administrator):
    # only then does the page carry the Sở's menu.
    is_own: bool = True

    @property
    def nav_agency(self) -> Agency | None:
        return self.dost if self.is_own else None

    def require_manage(self) -> None:
        if not self.can_manage:
            raise PermissionDenied(_("Only the Sở KH&CN keeps the province's TTHC catalogue."))


def catalogue_access(user: AnyUser, dost_id: int) -> CatalogueAccess:
    """Http404 for an agency that is not a Sở KH&CN, or a user of another province."""
    dost = get_object_or_404(
        Agency.objects.select_related("province", "successor"), pk=dost_id, is_dost=True
    )
    try:
        access = access_for(user, dost)
    except Http404:
        access = None
    if access is not None:
        return CatalogueAccess(dost, access.can(Action.MANAGE_CATALOGUE))
    member = isinstance(user, User) and (
        Membership.objects.current()
        .filter(user=user, agency__province_id=dost.province_id)
        .exists()
    )
    if not member:
        raise Http404
    return CatalogueAccess(dost, False, is_own=False)


def _fields(province_id: int) -> list[str]:
    rows = AdminProcedure.objects.filter(province_id=province_id).exclude(
        status=AdminProcedure.Status.ABOLISHED
    )
    return list(rows.order_by("field").values_list("field", flat=True).distinct())


def _searched(rows: QuerySet[AdminProcedure], text: str) -> QuerySet[AdminProcedure]:
    """Rows whose code and name hold every word typed, diacritics and case folded (the
    matching done here over the province's few thousand rows: one query for the texts)."""
    wanted = terms(text)
    if not wanted:
        return rows
    ids = [
        pk
        for pk, code, name in rows.values_list("pk", "code", "name")
        if wanted.found_in(f"{code} {name}") or code.lower().startswith(text.strip().lower())
    ]
    return rows.filter(pk__in=ids)


def _filtered(province_id: int, form: CatalogueFilterForm) -> QuerySet[AdminProcedure]:
    data = form.cleaned_data if form.is_valid() else {}
    rows = AdminProcedure.objects.filter(province_id=province_id)
    for name in ("field", "level", "status"):
        if data.get(name):
            rows = rows.filter(**{name: data[name]})
    return _searched(rows, data.get("q") or "").order_by("field", "code")


@login_required
@require_GET
def catalogue_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The province's catalogue; a constant number of queries whatever its size."""
    access = catalogue_access(request.user, agency_id)
    province_id = access.dost.province_id
    form = CatalogueFilterForm(request.GET or None, fields=_fields(province_id))
    page = Paginator(_filtered(province_id, form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {"agency": access.nav_agency, "dost": access.dost}
    context |= {"catalogue": access}
    context |= {"form": form, "page": page}
    return render(request, "procedures/catalogue_list.html", context | {"query": query.urlencode()})


@login_required
@require_GET
def catalogue_export(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The catalogue as filtered on the page, in the columns the import reads: the Sở can
    edit it in a spreadsheet and import it back."""
    access = catalogue_access(request.user, agency_id)
    province_id = access.dost.province_id
    form = CatalogueFilterForm(request.GET or None, fields=_fields(province_id))
    rows = catalogue.export_rows(_filtered(province_id, form).iterator(chunk_size=2000))
    content = xlsx("Danh mục TTHC", catalogue.EXPORT_HEADERS, rows, widths=(6, 24, 60, 24))
    return attachment(content, XLSX_TYPE, f"danh-muc-tthc_{access.dost.province.name}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_import(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = catalogue_access(request.user, agency_id)
    access.require_manage()
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    errors: list[catalogue.RowError] = []
    if request.method == "POST" and form.is_valid():
        try:
            found = _preview(request, access, form)
        except catalogue.CatalogueFileError as error:
            errors = error.errors
            form.add_error(
                "file",
                _("The file has %(n)s errors and nothing was imported.") % {"n": len(errors)},
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("procedures:catalogue_preview", access.dost.pk, found.pk)
    recent = CatalogueImport.objects.filter(province_id=access.dost.province_id).select_related(
        "by"
    )[:10]
    context = {
        "agency": access.dost,
        "dost": access.dost,
        "form": form,
        "errors": errors,
        "recent": recent,
    }
    return render(request, "procedures/catalogue_import.html", context)


def _preview(request: HttpRequest, access: CatalogueAccess, form: CatalogueImportForm) -> Any:
    upload = form.cleaned_data["file"]
    checked = check_upload(upload, CATALOGUE_FILES)
    return catalogue.preview(
        access.dost.province,
        upload.read(),
        checked.extension,
        upload.name or "",
        whole=form.cleaned_data["whole"],
        by=request.user,  # type: ignore[arg-type]
        decided_on=form.cleaned_data["decided_on"],
    )


def _import(access: CatalogueAccess, pk: int) -> CatalogueImport:
    rows = CatalogueImport.objects.filter(province_id=access.dost.province_id)
    return get_object_or_404(rows.select_related("by"), pk=pk)


@login_required
@require_GET
def catalogue_preview(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = catalogue_access(request.user, agency_id)
    access.require_manage()
    found = _import(access, pk)
    return _render_preview(request, access, found, ApplyForm())


def _render_preview(
    request: HttpRequest, access: CatalogueAccess, found: CatalogueImport, form: ApplyForm
) -> HttpResponse:
    labels = {k: str(v) for k, v in catalogue.FIELD_LABELS.items()}
    amended = [
        {
            **entry,
            "lines": [(labels.get(k, k), old, new) for k, (old, new) in entry["changes"].items()],
        }
        for entry in found.changes.get("amended", [])
    ]
    context = {
        "agency": access.dost,
        "dost": access.dost,
        "found": found,
        "changes": found.changes,
        "amended": amended,
        "has_changes": catalogue.has_changes(found.changes),
        "is_preview": found.status == CatalogueImport.Status.PREVIEW,
        "form": form,
    }
    return render(request, "procedures/catalogue_preview.html", context)


@login_required
@require_POST
def catalogue_apply(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = catalogue_access(request.user, agency_id)
    access.require_manage()
    found = _import(access, pk)
    form = ApplyForm(request.POST)
    if form.is_valid():
        try:
            catalogue.apply(
                found,
                form.cleaned_data["decision_number"],
                form.cleaned_data["decision_date"],
                request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The catalogue change has been applied."))
            return redirect("procedures:catalogue", access.dost.pk)
    return _render_preview(request, access, found, form)


@login_required
@require_POST
def catalogue_discard(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = catalogue_access(request.user, agency_id)
    access.require_manage()
    try:
        catalogue.discard(_import(access, pk))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The import has been discarded; nothing was changed."))
    return redirect("procedures:catalogue_import", access.dost.pk)


# --- the agency's subset ----------------------------------------------------------------


def _dost(agency: Agency) -> Agency | None:
    return (
        Agency.objects.filter(province_id=agency.province_id, is_dost=True).order_by("pk").first()
    )


def _add_form(access: AgencyAccess, data: Any = None) -> AddProceduresForm:
    form = AddProceduresForm(data, agency=access.agency)
    search_chooser(form, "procedures", reverse("procedures:choices", args=[access.agency.pk]))
    return form


@login_required
@require_GET
def handling_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The TTHC the agency handles, a page at a time; a constant number of queries whatever
    their number."""
    access = agency_access(request.user, agency_id)
    page = Paginator(coverage.handled(access.agency), PAGE_SIZE).get_page(request.GET.get("page"))
    fields = _fields(access.agency.province_id)
    context = {
        "access": access,
        "agency": access.agency,
        "page": page,
        "rows": [(handling, coverage.state(handling)) for handling in page],
        "dost": _dost(access.agency),
        "may_manage": access.can(Action.MANAGE_PROCEDURES),
        "add_form": _add_form(access),
        "field_form": AddFieldForm(agency=access.agency, fields=fields),
    }
    return render(request, "procedures/handling_list.html", context)


@login_required
@require_GET
def procedure_choices(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The chooser's answer: TTHC of the province's catalogue, in force, not yet handled."""
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_PROCEDURES)
    held = AgencyProcedure.objects.filter(agency=access.agency, is_active=True)
    rows = (
        AdminProcedure.objects.filter(province_id=access.agency.province_id)
        .exclude(status=AdminProcedure.Status.ABOLISHED)
        .exclude(pk__in=held.values("procedure_id"))
        .order_by("field", "code")
    )
    query = ChooserQuery.from_request(request)
    found = find(query, rows, ("code", "name", "field"))
    return render_choices(request, query, found, lambda p: f"{p.code} – {p.name}")  # type: ignore[attr-defined]


def _added(request: HttpRequest, access: AgencyAccess, procedures: Any, unit: Any) -> None:
    access.require_on(Action.MANAGE_PROCEDURES, [unit.pk if unit else None])
    try:
        added = catalogue.add_procedures(access.agency, procedures, unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    messages.success(request, _("%(n)s TTHC added to the agency's list.") % {"n": added})


@login_required
@require_POST
def handling_add(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_PROCEDURES)
    form = _add_form(access, request.POST)
    if form.is_valid():
        _added(request, access, form.cleaned_data["procedures"], form.cleaned_data["unit"])
    else:
        for problem in form.errors.values():
            messages.error(request, " ".join(str(p) for p in problem))
    return redirect("procedures:handlings", access.agency.pk)


@login_required
@require_POST
def handling_add_field(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_PROCEDURES)
    form = AddFieldForm(
        request.POST, agency=access.agency, fields=_fields(access.agency.province_id)
    )
    if form.is_valid():
        procedures = AdminProcedure.objects.filter(
            province_id=access.agency.province_id, field=form.cleaned_data["field"]
        ).exclude(status=AdminProcedure.Status.ABOLISHED)
        _added(request, access, list(procedures), form.cleaned_data["unit"])
    else:
        for problem in form.errors.values():
            messages.error(request, " ".join(str(p) for p in problem))
    return redirect("procedures:handlings", access.agency.pk)


def _handling(access: AgencyAccess, pk: int) -> AgencyProcedure:
    rows = AgencyProcedure.objects.select_related("procedure", "unit", "document", "agency")
    return get_scoped(access, rows, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def handling_edit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    handling = _handling(access, pk)
    access.require_on(Action.MANAGE_PROCEDURES, [handling.unit_id])
    form = HandlingForm(request.POST or None, instance=handling, agency=access.agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        access.require_on(Action.MANAGE_PROCEDURES, [data["unit"].pk if data["unit"] else None])
        handling.refresh_from_db()  # the form wrote its values on the instance
        try:
            catalogue.update_handling(
                handling,
                committed_days=data["committed_days"],
                unit=data["unit"],
                document=data["document"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("procedures:handlings", access.agency.pk)
    context = {"access": access, "agency": access.agency, "handling": handling, "form": form}
    return render(request, "procedures/handling_form.html", context)


@login_required
@require_POST
def handling_stop(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    handling = _handling(access, pk)
    access.require_on(Action.MANAGE_PROCEDURES, [handling.unit_id])
    try:
        catalogue.stop_handling(handling)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The agency no longer handles %(code)s.") % {"code": handling.procedure.code}
        )
    return redirect("procedures:handlings", access.agency.pk)


# --- coverage ---------------------------------------------------------------------------


@login_required
@require_GET
def coverage_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Covered, not covered, covered by a procedure whose TTHC is abolished; by field and by
    unit; XLSX. A constant number of queries whatever the number of TTHC."""
    access = agency_access(request.user, agency_id)
    rows = coverage.coverage_rows(access.agency)
    if request.GET.get("format") == "xlsx":
        name = f"bao-phu-tthc-{access.agency.abbreviation or access.agency.pk}.xlsx"
        return attachment(_coverage_xlsx(rows), XLSX_TYPE, name)
    summary = coverage.coverage_summary(access.agency)
    context = {"access": access, "agency": access.agency, "summary": summary}
    return render(request, "procedures/coverage.html", context)


def _coverage_xlsx(rows: list[tuple[AgencyProcedure, str]]) -> bytes:
    headers = [
        _("National code"),
        _("Name"),
        _("Field"),
        _("Level"),
        _("Statutory time"),
        _("Committed time"),
        _("Unit that handles it"),
        _("Covering procedure"),
        _("Coverage"),
    ]
    labels = {
        coverage.COVERED: _("Covered"),
        coverage.UNCOVERED: _("Not covered"),
        coverage.ABOLISHED: _("Covered, TTHC abolished"),
        "": _("Abolished"),
    }
    data = [
        [
            h.procedure.code,
            h.procedure.name,
            h.procedure.field,
            h.procedure.get_level_display(),
            h.procedure.time_days,
            h.committed_days,
            h.unit.name if h.unit else "",
            str(h.document) if h.document else "",
            labels[found],
        ]
        for h, found in rows
    ]
    return xlsx(_("TTHC coverage"), headers, data, widths=[22, 60, 24, 14, 10, 10, 30, 40, 22])
