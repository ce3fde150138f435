"""Screens of training sessions: the list (by year and kind of course, paginated), the
session form, its page (invited units, nominees per unit with coverage, the attendance form,
workflow steps, certificates), nominating a unit's people, recording attendance, certificate
files and the attendance export."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.lib.converters import int_param, parse_id
from qms.lib.downloads import XLSX_TYPE, attachment, stored_attachment
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped
from qms.organization.models import Unit
from qms.training import exports, queries, services
from qms.training.forms import CertificateForm, NominateForm, SessionForm
from qms.training.models import Certificate, Course, Nominee, TrainingSession
from qms.training.pages import PAGE_SIZE, kind_of, year_of
from qms.training.views_courses import form_page
from qms.training.workflows import SESSION_FLOW


def _session(request: HttpRequest, agency_id: int, pk: int) -> tuple[AgencyAccess, TrainingSession]:
    access = agency_access(request.user, agency_id)
    rows = TrainingSession.objects.select_related("agency", "course", "plan_task__plan")
    return access, get_scoped(access, rows, pk=pk)


def _refused(request: HttpRequest, refusal: ValidationError) -> None:
    for message in refusal.messages:
        messages.error(request, message)


@login_required
@require_GET
def session_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Sessions, ?year=…&kind=…, paginated: 3 queries whatever the rows (the access
    helper's, the count, the page with its course and numbers of nominees)."""
    access = agency_access(request.user, agency_id)
    year, kind = year_of(request), kind_of(request)
    rows = TrainingSession.objects.filter(agency=access.agency).select_related("course")
    if year:
        rows = rows.filter(starts_on__year=year)
    if kind:
        rows = rows.filter(course__kind=kind)
    rows = rows.annotate(
        nominee_count=Count("nominees"),
        attended_count=Count(
            "nominees", filter=Q(nominees__attendance=Nominee.Attendance.ATTENDED)
        ),
    ).order_by("-starts_on", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("year", year), ("kind", kind)) if v)
    context = {
        "access": access,
        "agency": access.agency,
        "page": page,
        "year": year,
        "kind": kind,
        "kinds": Course.Kind.choices,
        "query": query,
        "may_manage": access.can(Action.MANAGE_TRAINING),
    }
    return render(request, "training/session_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_form(request: HttpRequest, agency_id: int, pk: int | None = None) -> HttpResponse:
    if pk is None:
        access = agency_access(request.user, agency_id)
        session = TrainingSession(agency=access.agency)
        course = int_param(request, "course")
        initial = {"course": course} if course else {}
    else:
        access, session = _session(request, agency_id, pk)
        initial = {}
        if not session.is_editable:
            raise Http404
    access.require(Action.MANAGE_TRAINING)
    form = SessionForm(
        request.POST or None, instance=session, agency=access.agency, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_session(form, access.user)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The training session has been saved."))
            return redirect(saved.get_absolute_url())
    back = session.get_absolute_url() if pk else reverse("training:sessions", args=[agency_id])
    title = str(session) if pk else _("New training session")
    return form_page(request, access, form=form, title=title, back=back, form_id="session-form")


@login_required
@require_GET
def session_detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """The session: 8 queries whatever the number of units and nominees (the access
    helper's, the session with course and plan task, the revisions, coverage's three, the
    nominees with people, units and who nominated, their certificates)."""
    access, session = _session(request, agency_id, pk)
    revisions = list(session.revisions.select_related("document").order_by("document__code"))
    coverage = queries.coverage(session)
    nominees = list(
        session.nominees.select_related("person", "unit", "nominated_by").prefetch_related(
            Prefetch("certificates", queryset=Certificate.objects.order_by("pk"))
        )
    )
    by_unit: dict[int, list[Nominee]] = defaultdict(list)
    for nominee in nominees:
        by_unit[nominee.unit_id].append(nominee)
    units = [
        {
            "coverage": row,
            "nominees": by_unit.get(row.unit.pk, []),
            "may_nominate": session.takes_nominees
            and access.can_on(Action.NOMINATE_TRAINEES, [row.unit.pk]),
        }
        for row in coverage.units
    ]
    manage = access.can(Action.MANAGE_TRAINING)
    context = {
        "access": access,
        "agency": access.agency,
        "session": session,
        "revisions": revisions,
        "coverage": coverage,
        "units": units,
        "nominees": nominees,
        "may_edit": manage and session.is_editable,
        "may_record": manage and session.takes_attendance and bool(nominees),
        "attendances": Nominee.Attendance.choices,
        "results": Nominee.Result.choices,
        "certificate_form": CertificateForm(),
    }
    return render(request, "training/session_detail.html", context)


@login_required
@require_POST
def step(request: HttpRequest, agency_id: int, pk: int, name: str) -> HttpResponse:
    access, session = _session(request, agency_id, pk)
    transition = SESSION_FLOW.transition(name)
    if transition is None:
        raise Http404
    access.require(Action(transition.right))
    try:
        values = transition.read(request.POST)
        services.take_step(session, name, access, values.get("comment", ""))
    except ValidationError as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, str(transition.done))
    return redirect(session.get_absolute_url())


def _unit(access: AgencyAccess, session: TrainingSession, unit_pk: int) -> Unit:
    unit = session.invited_units.filter(pk=unit_pk, agency=access.agency).first()
    if unit is None:
        raise Http404
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest, agency_id: int, pk: int, unit_pk: int) -> HttpResponse:
    access, session = _session(request, agency_id, pk)
    unit = _unit(access, session, unit_pk)
    access.require_on(Action.NOMINATE_TRAINEES, [unit.pk])
    already = set(session.nominees.values_list("person_id", flat=True))
    members = [m for m in services.unit_members(unit) if m.pk not in already]
    form = NominateForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.nominate(session, unit, form.cleaned_data["persons"], access)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request, _("%(count)s people have been nominated.") % {"count": len(added)}
            )
            return redirect(session.get_absolute_url())
    title = _("Nominate people of %(unit)s") % {"unit": unit.name}
    return form_page(
        request,
        access,
        form=form,
        title=title,
        help=str(session),
        back=session.get_absolute_url(),
        form_id="nominate-form",
        multipart=False,
    )


@login_required
@require_POST
def confirm(request: HttpRequest, agency_id: int, pk: int, unit_pk: int) -> HttpResponse:
    access, session = _session(request, agency_id, pk)
    unit = _unit(access, session, unit_pk)
    access.require_on(Action.NOMINATE_TRAINEES, [unit.pk])
    try:
        services.confirm_unit(session, unit, access)
    except ValidationError as refusal:
        _refused(request, refusal)
    else:
        messages.success(
            request, _("The list of %(unit)s has been confirmed.") % {"unit": unit.name}
        )
    return redirect(session.get_absolute_url())


def _nominee(access: AgencyAccess, session: TrainingSession, nominee_pk: int) -> Nominee:
    nominee = (
        session.nominees.select_related("session__agency", "person").filter(pk=nominee_pk).first()
    )
    if nominee is None:
        raise Http404
    return nominee


@login_required
@require_POST
def withdraw(request: HttpRequest, agency_id: int, pk: int, nominee_pk: int) -> HttpResponse:
    access, session = _session(request, agency_id, pk)
    nominee = _nominee(access, session, nominee_pk)
    access.require_on(Action.NOMINATE_TRAINEES, [nominee.unit_id])
    try:
        services.withdraw_nominee(nominee, access)
    except ValidationError as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The nomination has been withdrawn."))
    return redirect(session.get_absolute_url())


def _attendance_rows(request: HttpRequest) -> dict[int, tuple[str, str, str]]:
    """nominee id → (attendance, reason, result) from the posted table."""
    rows = {}
    for key in request.POST:
        if not key.startswith("attendance-"):
            continue
        pk = parse_id(key.removeprefix("attendance-"))
        if pk is None:
            continue
        rows[pk] = (
            request.POST.get(key, ""),
            request.POST.get(f"reason-{pk}", "")[:500],
            request.POST.get(f"result-{pk}", ""),
        )
    return rows


@login_required
@require_POST
def attendance(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, session = _session(request, agency_id, pk)
    access.require(Action.MANAGE_TRAINING)
    rows = _attendance_rows(request)
    try:
        if not rows:
            raise ValidationError(_("Nothing to record."))
        changed = services.record_attendance(session, rows, access.user)
    except ValidationError as refusal:
        _refused(request, refusal)
    else:
        messages.success(
            request, _("Attendance recorded for %(count)s people.") % {"count": changed}
        )
    return redirect(session.get_absolute_url())


@login_required
@require_POST
def certificate_add(request: HttpRequest, agency_id: int, pk: int, nominee_pk: int) -> HttpResponse:
    access, session = _session(request, agency_id, pk)
    access.require(Action.MANAGE_TRAINING)
    nominee = _nominee(access, session, nominee_pk)
    form = CertificateForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.add_certificate(nominee, form.cleaned_data["file"], access.user)
    except ValidationError as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The certificate has been attached."))
    return redirect(session.get_absolute_url())


@login_required
@require_GET
def certificate_file(
    request: HttpRequest, agency_id: int, pk: int, nominee_pk: int, file_pk: int
) -> HttpResponse:
    access, session = _session(request, agency_id, pk)
    nominee = _nominee(access, session, nominee_pk)
    found = nominee.certificates.filter(pk=file_pk).first()
    if found is None:
        raise Http404
    return stored_attachment(found.file, found.content_type, found.name)


@login_required
@require_GET
def export(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, session = _session(request, agency_id, pk)
    content, filename = exports.attendance_xlsx(session)
    return attachment(content, XLSX_TYPE, filename)
