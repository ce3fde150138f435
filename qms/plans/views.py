"""Screens of the annual plan. Every view loads the agency through `agency_access` and the
plan or task through `get_scoped`/the plan's agency, so ids of another agency give 404."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.lib import officialdoc as od
from qms.lib.downloads import DOCX_TYPE, XLSX_TYPE, attachment, pdf_or_back, stored_attachment
from qms.lib.forms import named_errors
from qms.lib.sheets import xlsx
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped
from qms.organization.models import User, today
from qms.paperwork.panel import panel as paper_panel
from qms.plans import documents, forms, services
from qms.plans import timing as tm
from qms.plans.events import catalogue as event_catalogue
from qms.plans.models import Evidence, Plan, PlanTask, PlanVersion
from qms.plans.workflows import plan_flow


def _plan(request: HttpRequest, agency_id: int, pk: int) -> tuple[AgencyAccess, Plan]:
    access = agency_access(request.user, agency_id)
    plans = Plan.objects.select_related("agency", "paper__agency", "paper__drafting_unit")
    plan = get_scoped(access, plans, pk=pk)
    return access, plan


def _task(request: HttpRequest, agency_id: int, pk: int) -> tuple[AgencyAccess, PlanTask]:
    access = agency_access(request.user, agency_id)
    task = get_object_or_404(
        PlanTask.objects.select_related("plan__agency", "lead_unit"),
        pk=pk,
        plan__agency=access.agency,
    )
    return access, task


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every view here is login_required


@login_required
@require_GET
def plan_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    plans = (
        Plan.objects.filter(agency=access.agency)
        .select_related("paper__agency", "paper__drafting_unit")
        .order_by("-year")
    )
    return render(
        request,
        "plans/plan_list.html",
        {
            "access": access,
            "agency": access.agency,
            "plans": plans,
            "can_manage": access.can(Action.MANAGE_PLAN),
            "form": forms.NewPlanForm(agency=access.agency),
        },
    )


@login_required
@require_POST
def plan_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_PLAN)
    form = forms.NewPlanForm(request.POST, agency=access.agency)
    if form.is_valid():
        plan = services.create_plan(access.agency, **form.cleaned_data)
        messages.success(request, _("The plan has been created. Add its text and tasks."))
        return redirect(plan)
    plans = (
        Plan.objects.filter(agency=access.agency)
        .select_related("paper__agency", "paper__drafting_unit")
        .order_by("-year")
    )
    return render(
        request,
        "plans/plan_list.html",
        {
            "access": access,
            "agency": access.agency,
            "plans": plans,
            "can_manage": True,
            "form": form,
        },
        status=400,
    )


def _detail_context(
    request: HttpRequest, access: AgencyAccess, plan: Plan, page: str | None = None
) -> dict[str, Any]:
    """One page of tasks computed; the totals (every task) from the database."""
    counts = services.summary(plan)
    events = list(plan.events.all())
    dates = {e.event: e.occurred_on for e in events}
    return {
        "access": access,
        "agency": access.agency,
        "plan": plan,
        "task_page": services.task_page(plan, page, total=counts.total, events=dates),
        "events": events,
        # The snapshot is the whole plan as issued (megabytes at 10,000 tasks): not for a list.
        "versions": list(plan.versions.defer("snapshot")),
        "can_manage": access.can(Action.MANAGE_PLAN),
        # Events are recorded on a plan not yet closed (the model's words, not a template's).
        "can_record_event": access.can(Action.MANAGE_PLAN) and plan.status != Plan.Status.CLOSED,
        "event_form": forms.EventForm(catalogue=event_catalogue(plan.agency)),
        "panel": paper_panel(request, access, plan),
        # Submitting a plan with rows not assigned yet asks for the secretary's confirmation.
        "flow": plan_flow(plan),
        "copy_form": forms.CopyForm(initial={"year": plan.year + 1}),
        **vars(counts),
    }


@login_required
@require_GET
def plan_detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, plan = _plan(request, agency_id, pk)
    context = _detail_context(request, access, plan, request.GET.get("page"))
    return render(request, "plans/plan_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, plan = _plan(request, agency_id, pk)
    access.require(Action.MANAGE_PLAN)
    if not plan.is_editable:
        messages.error(request, _("Only a draft can be changed: amend the plan first."))
        return redirect(plan)
    form = forms.PlanForm(request.POST or None, instance=plan)
    sections = forms.SectionFormSet(request.POST or None, instance=plan, prefix="sections")
    if request.method == "POST" and form.is_valid() and sections.is_valid():
        services.save_plan_text(form, sections)
        messages.success(request, _("The plan has been saved."))
        return redirect(plan)
    return render(
        request,
        "plans/plan_form.html",
        {
            "access": access,
            "agency": access.agency,
            "plan": plan,
            "form": form,
            "sections": sections,
        },
    )


@login_required
@require_POST
def plan_action(request: HttpRequest, agency_id: int, pk: int, action: str) -> HttpResponse:
    """One step of the plan's declared workflow (qms.plans.workflows.PLAN_FLOW)."""
    access, plan = _plan(request, agency_id, pk)
    step = plan_flow(plan).transition(action)
    if step is None:
        raise Http404
    access.require(Action(step.right))
    try:
        services.take(plan, action, access, step.read(request.POST))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(step.done))
    return redirect(plan)


@login_required
@require_POST
def plan_copy(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, plan = _plan(request, agency_id, pk)
    access.require(Action.MANAGE_PLAN)
    form = forms.CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid year."))
        return redirect(plan)
    try:
        new = services.copy_to_year(plan, form.cleaned_data["year"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    messages.success(request, _("The plan has been copied; check its text and dates."))
    return redirect(new)


@login_required
@require_POST
def event_record(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, plan = _plan(request, agency_id, pk)
    access.require(Action.MANAGE_PLAN)
    form = forms.EventForm(request.POST, catalogue=event_catalogue(plan.agency))
    if not form.is_valid():
        context = _detail_context(request, access, plan) | {"event_form": form}
        return render(request, "plans/plan_detail.html", context, status=400)
    services.record_event(plan, by=_user(request), **form.cleaned_data)
    messages.success(
        request, _("The event has been recorded; the due dates that wait for it are computed.")
    )
    return redirect(plan)


@login_required
@require_GET
def timeline(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """The year at a glance: one row per task, one column per month, each occurrence's
    window shaded up to its due date. A programme shows one of its years at a time."""
    access, plan = _plan(request, agency_id, pk)
    year = _year_shown(request, plan)
    page = services.task_page(plan, request.GET.get("page"))
    return render(
        request,
        "plans/plan_timeline.html",
        {
            "access": access,
            "agency": access.agency,
            "plan": plan,
            "task_page": page,
            "lines": [services.timeline_line(row, year) for row in page],
            "months": range(1, 13),
            "year": year,
            "year_text": str(year),
        },
    )


def _year_shown(request: HttpRequest, plan: Plan) -> int:
    """The year asked for (?year=) when the plan covers it; else this year if it does,
    else the plan's first."""
    asked = request.GET.get("year", "")
    if asked.isdigit() and int(asked) in plan.years:
        return int(asked)
    return today().year if today().year in plan.years else plan.year


@login_required
@require_GET
def version_detail(request: HttpRequest, agency_id: int, pk: int, amendment: int) -> HttpResponse:
    access, plan = _plan(request, agency_id, pk)
    version = get_object_or_404(PlanVersion, plan=plan, amendment_no=amendment)
    sections = [task.get("section", "") for task in version.snapshot["tasks"]]
    headings = [
        title if title and title != (sections[i - 1] if i else "") else ""
        for i, title in enumerate(sections)
    ]
    tasks = [
        task
        | {
            "heading": heading,
            "wording": tm.describe(
                tm.Timing.from_dict(task["timing"]),
                task.get("year", plan.year),
                event_catalogue(plan.agency),
            ),
        }
        for task, heading in zip(version.snapshot["tasks"], headings, strict=True)
    ]
    return render(
        request,
        "plans/version_detail.html",
        {
            "access": access,
            "agency": access.agency,
            "plan": plan,
            "version": version,
            "tasks": tasks,
        },
    )


def _task_forms(
    request: HttpRequest, access: AgencyAccess, task: PlanTask, timing: dict[str, Any]
) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else None
    parts, extra = forms.timing_initial(timing)
    return {
        "form": forms.TaskForm(data, instance=task, agency=access.agency),
        "part_forms": [
            forms.PartForm(
                data,
                prefix=f"part{i}",
                initial=parts[i] if i < len(parts) else None,
                catalogue=event_catalogue(access.agency),
            )
            for i in range(2)
        ],
        "timing_form": forms.TimingForm(
            data, initial=extra, prefix="timing", catalogue=event_catalogue(access.agency)
        ),
        "formset": forms.CoordinationFormSet(
            data, instance=task, form_kwargs={"agency": access.agency}
        ),
    }


def _save_task(task_forms: dict[str, Any]) -> bool:
    """Check the task's forms and save it through the service; False with the errors shown."""
    valid = all(
        [
            task_forms["form"].is_valid(),
            task_forms["timing_form"].is_valid(),
            task_forms["formset"].is_valid(),
            *(f.is_valid() for f in task_forms["part_forms"]),
        ]
    )
    if not valid:
        return False
    try:
        rule = forms.build_timing(task_forms["part_forms"], task_forms["timing_form"])
        task = task_forms["form"].instance
        year = task_forms["form"].cleaned_data.get("year") or task.plan.year
        services.check_period(task.plan, year, tm.Timing.from_dict(rule))
    except ValidationError as error:
        task_forms["timing_form"].add_error(None, error)
        return False
    services.save_task(task_forms["form"], task_forms["formset"], rule)
    return True


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(
    request: HttpRequest, agency_id: int, plan_pk: int, pk: int | None = None
) -> HttpResponse:
    access, plan = _plan(request, agency_id, plan_pk)
    access.require(Action.MANAGE_PLAN)
    if not plan.is_editable:
        messages.error(request, _("Only a draft can be changed: amend the plan first."))
        return redirect(plan)
    if pk is None:
        task = PlanTask(
            plan=plan,
            order=plan.tasks.count() + 1,
            timing={"parts": [{"kind": "month", "month": 1}]},
        )
    else:
        task = get_object_or_404(PlanTask, pk=pk, plan=plan)
    task_forms = _task_forms(request, access, task, task.timing)
    if request.method == "POST" and _save_task(task_forms):
        messages.success(request, _("The task has been saved."))
        return redirect(plan)
    return render(
        request,
        "plans/task_form.html",
        {
            "access": access,
            "agency": access.agency,
            "plan": plan,
            "task": task,
            **task_forms,
        },
    )


@login_required
@require_GET
def task_detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, task = _task(request, agency_id, pk)
    row = services.task_row(task)
    can_record = _may_record(access, task) and task.plan.is_in_force
    evidence = list(task.evidence.select_related("uploaded_by"))
    return render(
        request,
        "plans/task_detail.html",
        {
            "access": access,
            "agency": access.agency,
            "plan": task.plan,
            "task": task,
            "row": row,
            "occurrences": _occurrence_lines(row, evidence, can_record),
            "notes": task.progress_notes.select_related("author"),
            "evidence": evidence,
            "can_record": can_record,
            "status_form": forms.StatusForm(
                initial={"status": task.status, "reason": task.skip_reason}
            ),
            "progress_form": forms.ProgressForm(initial={"on": today()}),
            "evidence_form": forms.EvidenceForm(),
            "link_form": forms.LinkForm(
                agency=access.agency, initial={"record": task.fulfilled_by}
            ),
            "linked": forms.linked_record(task),
        },
    )


def _occurrence_lines(
    row: services.TaskRow, evidence: list[Evidence], can_record: bool
) -> list[tuple[services.OccurrenceLine, forms.OccurrenceForm | None]]:
    """Each occurrence of a task of several, with a form while it is open and the user may
    record it (a one-occurrence task takes its status form)."""
    if len(row.keys) < 2:
        return []
    return [
        (
            line,
            forms.OccurrenceForm(
                evidence=evidence,
                prefix=f"o{line.key}",
                initial={"key": line.key, "on": today()},
            )
            if can_record and line.state == "open"
            else None,
        )
        for line in row.occurrence_lines()
    ]


def _may_record(access: AgencyAccess, task: PlanTask) -> bool:
    """Progress of a task is its lead's and its coordinators': the unit that leads or
    coordinates it, the committee's members for a committee task; the ISO secretary and the
    leadership for every task (a task led by the leadership: only them)."""
    lead = task.lead_kind
    if lead in (PlanTask.Lead.LEADERSHIP, PlanTask.Lead.COMMITTEE):
        committee = lead == PlanTask.Lead.COMMITTEE
        return access.can_on(Action.RECORD_PROGRESS, [], committee=committee)
    units = [task.lead_unit_id, *(c.unit_id for c in task.coordinations.all())]
    return access.can_on(Action.RECORD_PROGRESS, units)


def _progress_allowed(access: AgencyAccess, task: PlanTask) -> None:
    access.require(Action.RECORD_PROGRESS)
    if not _may_record(access, task):
        raise PermissionDenied(
            _("Only the unit that leads or coordinates this task records its progress.")
        )
    if not task.plan.is_in_force:
        raise ValidationError(_("Progress is recorded on an issued plan."))


@login_required
@require_POST
def task_progress(request: HttpRequest, agency_id: int, pk: int, what: str) -> HttpResponse:
    """status / note / evidence on one task."""
    access, task = _task(request, agency_id, pk)
    handlers = {
        "status": _set_status,
        "note": _add_note,
        "evidence": _add_evidence,
        "link": _link_record,
        "occurrence": _record_occurrence,
    }
    if what not in handlers:
        raise Http404
    try:
        _progress_allowed(access, task)
        handlers[what](request, task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(task)


def _set_status(request: HttpRequest, task: PlanTask) -> None:
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose a valid status."))
    services.set_task_status(task, form.cleaned_data["status"], form.cleaned_data["reason"])
    messages.success(request, _("The status has been saved."))


def _record_occurrence(request: HttpRequest, task: PlanTask) -> None:
    """One occurrence done or not carried out; the form's prefix is its key's."""
    key = request.POST.get("occurrence", "")
    form = forms.OccurrenceForm(request.POST, evidence=list(task.evidence.all()), prefix=f"o{key}")
    if not form.is_valid():
        raise ValidationError(named_errors(form))
    data = form.cleaned_data
    services.record_occurrence(
        task,
        data["key"],
        _user(request),
        done=data["outcome"] == form.DONE,
        on=data["on"],
        note=data["note"],
        reason=data["reason"],
        evidence=data["evidence"],
    )
    messages.success(request, _("The occurrence has been recorded."))


def _add_note(request: HttpRequest, task: PlanTask) -> None:
    form = forms.ProgressForm(request.POST)
    if not form.is_valid():
        raise ValidationError(named_errors(form))
    services.add_note(task, _user(request), **form.cleaned_data)
    messages.success(request, _("The progress note has been added."))


def _link_record(request: HttpRequest, task: PlanTask) -> None:
    form = forms.LinkForm(request.POST, agency=task.plan.agency)
    if not form.is_valid():
        raise ValidationError(_("Choose a record of this agency."))
    services.link_record(task, form.cleaned_data["record"])
    messages.success(request, _("The record has been linked to the task."))


def _add_evidence(request: HttpRequest, task: PlanTask) -> None:
    form = forms.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        raise ValidationError(named_errors(form))
    services.add_evidence(task, form.cleaned_data["file"], _user(request))
    messages.success(request, _("The evidence file has been attached."))


@login_required
@require_GET
def evidence_download(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    evidence = get_object_or_404(Evidence, pk=pk, task__plan__agency=access.agency)
    return stored_attachment(evidence.file, evidence.content_type, evidence.original_name)


def _filename(plan: Plan, kind: str, extension: str) -> str:
    period = plan.period_text.replace("–", "-")
    return f"{kind}-{plan.agency.abbreviation}-{period}.{extension}"


@login_required
@require_GET
def plan_export(request: HttpRequest, agency_id: int, pk: int, what: str) -> HttpResponse:
    """docx / pdf / xlsx of the plan; progress-docx for the progress report."""
    access, plan = _plan(request, agency_id, pk)
    rows = services.task_rows(plan, with_notes=True)
    if what == "xlsx":
        return attachment(_xlsx(plan, rows), XLSX_TYPE, _filename(plan, "ke-hoach", "xlsx"))
    if what == "progress-docx":
        year = None
        if plan.is_programme:  # one year of the programme: its rows and their counts
            year = _year_shown(request, plan)
            rows = services.mark_headings([row for row in rows if row.concerns(year)])
        document = documents.progress_document(plan, rows, today(), year)
        return attachment(
            od.build_docx(document), DOCX_TYPE, _filename(plan, "bao-cao-tien-do", "docx")
        )
    docx = od.build_docx(documents.plan_document(plan, rows))
    if what == "docx":
        return attachment(docx, DOCX_TYPE, _filename(plan, "ke-hoach", "docx"))
    if what != "pdf":
        raise Http404
    return pdf_or_back(request, docx, _filename(plan, "ke-hoach", "pdf"), plan)


def _xlsx(plan: Plan, rows: list[services.TaskRow]) -> bytes:
    """The task list, one row per task; a programme's rows say their year, and rows in a
    phase or group say which (a column, so the sheet stays one table to filter)."""
    grouped = any(row.task.section_id for row in rows)
    headers = [
        *(["Năm"] if plan.is_programme else []),
        *(["Giai đoạn, nhóm nhiệm vụ"] if grouped else []),
        "STT",
        "Nội dung",
        "Thời gian",
        "Thời hạn gần nhất",
        "Đơn vị thực hiện",
        "Đơn vị phối hợp",
        "Phê duyệt/báo cáo",
        "Kết quả dự kiến",
        "Trạng thái",
        "Tiến độ mới nhất",
    ]
    data = []
    for row in rows:
        task = row.task
        latest = next(iter(task.progress_notes.all()), None)
        data.append(
            [
                *([task.timing_year(plan.year)] if plan.is_programme else []),
                *([task.section.title if task.section else ""] if grouped else []),
                task.order,
                task.content,
                row.wording,
                row.next_due or "",
                task.lead_label(),
                "\n".join(c.label() for c in task.coordinations.all()),
                task.approver,
                task.expected_result,
                row.status_label,
                f"{latest.on:%d/%m/%Y}: {latest.text}" if latest else "",
            ]
        )
    widths = [*([8] if plan.is_programme else []), *([30] if grouped else [])]
    return xlsx(
        f"Kế hoạch {plan.period_text}",
        headers,
        data,
        widths=[*widths, 6, 50, 30, 14, 25, 30, 20, 25, 16, 40],
    )
