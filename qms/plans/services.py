"""Writes across plan, tasks, versions, events and the agenda; each in one transaction."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _

from qms.agenda import inbox, people, registry
from qms.agenda.models import Group
from qms.lib.workflow import Actor, Transition
from qms.organization.access import access_for
from qms.organization.models import Agency, Role, User, today
from qms.paperwork import services as paperwork
from qms.paperwork.models import Paper
from qms.plans import timing as tm
from qms.plans.events import catalogue as event_catalogue
from qms.plans.events import forget as forget_events
from qms.plans.events import label as event_label
from qms.plans.models import (
    OPEN,
    AgencyEvent,
    Coordination,
    Evidence,
    OccurrenceProgress,
    Plan,
    PlanEvent,
    PlanSection,
    PlanTask,
    PlanVersion,
    ProgressNote,
    derived_status,
    due_facts,
    first_open_due,
    in_force_q,
    is_overdue,
    occurrence_keys,
    occurrence_states,
    overdue_q,
    snapshot,
    table_order,
    waiting_q,
)
from qms.plans.workflows import APPROVE_KIND, PLAN_FLOW, REVISE_KIND, approvers, secretaries

AGENDA_KIND = "plans.task"
# A plan of thousands of tasks is shown a page at a time; its totals count every task.
TASK_PAGE_SIZE = 50


@dataclass
class TaskRow:
    """A task with what the rule computes for it, ready for the page and the exports."""

    task: PlanTask
    wording: str
    occurrences: list[tm.Occurrence]
    next_due: dt.date | None
    waiting_for: str | None
    is_overdue: bool
    last_due: dt.date | None = None  # the first open due date, what the task stores
    keys: list[str] = field(default_factory=list)  # models.occurrence_keys
    states: list[str] = field(default_factory=list)  # per occurrence: open/done/cancelled
    records: dict[str, OccurrenceProgress] = field(default_factory=dict)
    day: dt.date | None = None  # the day the row was computed for
    heading: str = ""  # its phase or group's heading, printed above it (`mark_headings`)

    def occurrence_lines(self) -> list[OccurrenceLine]:
        """Each occurrence with its key, state, record and whether it is overdue on the row's
        day."""
        day = self.day or today()
        return [
            OccurrenceLine(o, key, state, self.records.get(key), _late(o, state, day))
            for o, key, state in zip(self.occurrences, self.keys, self.states, strict=True)
        ]

    def concerns(self, year: int) -> bool:
        """Whether the row has work in `year` (a programme's year): a window or a due date in
        it — a whole-period row concerns every year of the programme — or, not dated yet
        (waiting for an event), the row is of that year."""
        dated = [o for o in self.occurrences if o.due is not None]
        if not dated:
            return self.task.year in (None, year)
        return any((o.start or o.due).year <= year <= o.due.year for o in dated if o.due)

    @property
    def status_label(self) -> str:
        if self.is_overdue:
            return str(_("Overdue"))
        return str(self.task.get_status_display())

    @property
    def badge(self) -> str:
        """The status badge's Bootstrap colour (the page compares no states)."""
        if self.is_overdue:
            return "danger"
        colours = {PlanTask.Status.DONE: "success", PlanTask.Status.IN_PROGRESS: "primary"}
        return colours.get(self.task.status, "light border")  # type: ignore[call-overload]


@dataclass
class OccurrenceLine:
    occurrence: tm.Occurrence
    key: str
    state: str
    record: OccurrenceProgress | None
    is_overdue: bool


def _late(occurrence: tm.Occurrence, state: str, day: dt.date) -> bool:
    """One occurrence overdue: `is_overdue` of its own due date while it is open."""
    return is_overdue(occurrence.due if state == OPEN else None, day)


def mark_headings(rows: list[TaskRow]) -> list[TaskRow]:
    """Set on each row the heading of its phase or group where it changes from the row
    above (and on the first row: a page continuing a phase says which one it is in)."""
    previous: int | None = None
    for row in rows:
        section = row.task.section
        row.heading = section.title if section is not None and section.pk != previous else ""
        previous = section.pk if section is not None else None
    return rows


def _tasks(plan: Plan, *, with_notes: bool = False) -> QuerySet[PlanTask]:
    tasks = plan.tasks.select_related("lead_unit", "section").order_by(*table_order())
    tasks = tasks.prefetch_related(
        Prefetch("coordinations", queryset=Coordination.objects.select_related("unit")),
        "occurrence_records",
    )
    return tasks.prefetch_related("progress_notes") if with_notes else tasks


def task_rows(plan: Plan, day: dt.date | None = None, *, with_notes: bool = False) -> list[TaskRow]:
    """Every task of the plan with its wording and due dates (4 queries whatever the count:
    the plan's events, tasks with lead unit, their coordinations, their occurrences'
    progress; +1 with the notes).
    For the exports, the agenda and the progress report; a page shows `task_page`."""
    day = day or today()
    events = plan.event_dates()
    tasks = _tasks(plan, with_notes=with_notes)
    return mark_headings([_row(task, plan.year, events, day) for task in tasks])


def task_page(
    plan: Plan,
    number: str | int | None,
    *,
    total: int | None = None,
    events: dict[str, dt.date] | None = None,
    day: dt.date | None = None,
) -> Page[TaskRow]:
    """One page of the plan's tasks, each row computed; the page's tasks with lead unit,
    their coordinations and their occurrences' progress are 3 queries whatever the plan's
    size, plus the count and the events unless given (the summary's total, the events
    the page lists)."""
    paginator = Paginator(_tasks(plan), TASK_PAGE_SIZE)
    if total is not None:
        paginator.count = total  # type: ignore[misc]  # a cached_property: the known count
    page = paginator.get_page(number)
    events = plan.event_dates() if events is None else events
    day = day or today()
    rows = mark_headings([_row(task, plan.year, events, day) for task in page.object_list])
    return Page(rows, page.number, paginator)  # type: ignore[arg-type]  # rows of its tasks


def task_row(task: PlanTask, day: dt.date | None = None) -> TaskRow:
    """One task with what its rule computes (its own page: not the whole plan), its
    occurrences' progress read with who recorded it and the evidence (1 query)."""
    records = OccurrenceProgress.objects.select_related("by", "evidence")
    task._prefetched_objects_cache = {}  # type: ignore[attr-defined]  # read afresh
    prefetch_related_objects([task], Prefetch("occurrence_records", queryset=records))
    return _row(task, task.plan.year, task.plan.event_dates(), day or today())


def _row(task: PlanTask, plan_year: int, events: dict[str, dt.date], day: dt.date) -> TaskRow:
    """THE computation of a task: its occurrences, next due date, what it waits for and
    whether it is overdue; `store_due` keeps on the task what the totals count from it. A
    row of a programme is read in its own year."""
    year = task.timing_year(plan_year)
    rule = task.rule()
    found = tm.occurrences(rule, year, events)
    last_due, waiting = due_facts(found)
    records = {r.key: r for r in task.occurrence_records.all()} if task.pk else {}
    keys = occurrence_keys(found)
    states = occurrence_states(keys, {k: r.state for k, r in records.items()}, task.status)
    first_open = first_open_due(found, states)
    upcoming = [o.due for o in found if o.due is not None and o.due >= day]
    next_due = first_open or (upcoming[0] if upcoming else last_due)
    overdue = is_overdue(first_open, day)
    wording = tm.describe(rule, year, event_catalogue(task.plan.agency))
    return TaskRow(
        task,
        wording,
        found,
        next_due,
        waiting or None,
        overdue,
        first_open,
        keys,
        states,
        records,
        day,
    )


def store_due(rows: Iterable[TaskRow]) -> None:
    """Keep on each task what its row says the totals count (one UPDATE per 500 changed
    tasks; none when nothing changed)."""
    changed = [row.task for row in rows if _keep_due(row)]
    PlanTask.objects.bulk_update(changed, ["last_due", "waiting_for"], batch_size=500)


def _keep_due(row: TaskRow) -> bool:
    """Set on the row's task (not saved) what the totals count; True if it changed."""
    task, waiting = row.task, row.waiting_for or ""
    if (task.last_due, task.waiting_for) == (row.last_due, waiting):
        return False
    task.last_due, task.waiting_for = row.last_due, waiting
    return True


def rederive(plan: Plan) -> list[TaskRow]:
    """Derive again what every task of the plan stores (after its events or its tasks'
    rules change), and return the rows."""
    rows = task_rows(plan)
    store_due(rows)
    return rows


@dataclass
class Summary:
    total: int
    done: int
    late: int
    waiting: int


def summary(
    plan: Plan, day: dt.date | None = None, *, only: Iterable[int] | None = None
) -> Summary:
    """How many tasks the plan has, are done, overdue, and still waiting for an event to be
    dated: one aggregate query over the facts each task stores (`only`: of these tasks, e.g.
    the rows of one year of a programme)."""
    done = Q(status=PlanTask.Status.DONE)
    tasks = plan.tasks.all() if only is None else plan.tasks.filter(pk__in=list(only))
    counts = tasks.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=done),
        late=Count("pk", filter=overdue_q(day or today())),
        waiting=Count("pk", filter=waiting_q()),
    )
    return Summary(**counts)


# A task's lead as a body of the agency: its agenda obligations belong to the body's members.
LEAD_GROUPS = {PlanTask.Lead.LEADERSHIP: Group.LEADERSHIP, PlanTask.Lead.COMMITTEE: Group.COMMITTEE}
# How long before its due date a task shows in its leads' inbox, when its window has no start.
INBOX_LEAD_DAYS = 30


def _owner(task: PlanTask) -> dict[str, Any]:
    """Who owns a task's obligations: its lead unit (the unit's head and staff see it), the
    leadership (head and deputies) or the steering committee (its members now), else
    nobody but the plan's words — a lead named only in words, or "Chưa phân công" — and the
    ISO secretaries follow it."""
    group = LEAD_GROUPS.get(task.lead_kind, "")  # type: ignore[call-overload]
    if task.lead_kind == PlanTask.Lead.UNIT and task.lead_unit_id is not None:
        return {"owner_unit_id": task.lead_unit_id}
    return {"owner_group": group, "owner_text": task.lead_label()}


def sync_agenda(plan: Plan, rows: list[TaskRow] | None = None) -> None:
    """Register each dated occurrence of each task in the one agenda; waiting occurrences
    show as "chờ sự kiện". Each task not finished is in its leads' inbox from its window
    (or a month before it falls due). A closed or draft plan registers nothing. The rows
    computed here (or given, just computed) also refresh what the tasks store."""
    prefix = f"plans.plan:{plan.pk}"
    if not plan.is_in_force:
        registry.sync(plan.agency, prefix, [])
        inbox.sync(plan.agency, prefix, [])
        return
    items = []
    rows = task_rows(plan) if rows is None else rows
    store_due(rows)
    for row in rows:
        task = row.task
        for index, (occurrence, state) in enumerate(zip(row.occurrences, row.states, strict=True)):
            if occurrence.due is None and not occurrence.waiting_for:
                continue  # "khi có yêu cầu", not stated: no date, nothing awaited
            waiting = event_label(plan.agency, occurrence.waiting_for)
            items.append(
                registry.Item(
                    key=f"{task.pk}:{index}",
                    kind=AGENDA_KIND,
                    title=f"{task.order}. {task.content}",
                    url=task.get_absolute_url(),
                    due_date=occurrence.due,
                    start_date=occurrence.start,
                    waiting_for=waiting,
                    state=state,  # the occurrence's own: open, done or not carried out
                    **_owner(task),
                )
            )
    registry.sync(plan.agency, prefix, items)
    inbox.sync(plan.agency, prefix, _lead_work(plan, rows))


def _lead_work(plan: Plan, rows: list[TaskRow]) -> list[inbox.Work]:
    """ "Chủ trì nhiệm vụ": each open task with a date, at its next occurrence (or the last,
    missed), for its leads — a unit's heads, the leadership, the committee's members
    now, or the ISO secretaries for a lead named only in words. At most 4 queries."""
    day = today()
    # Due ahead, or overdue; not a task whose date passed while it waits for an event.
    open_rows = [
        r
        for r in rows
        if r.next_due is not None
        and (r.next_due >= day or r.is_overdue)
        and r.task.status not in (PlanTask.Status.DONE, PlanTask.Status.SKIPPED)
    ]
    unit_ids = {r.task.lead_unit_id for r in open_rows if _owner(r.task).get("owner_unit_id")}
    heads = people.unit_heads(plan.agency, unit_ids)  # type: ignore[arg-type]
    bodies: dict[str, list[User]] = {}
    works = []
    for row in open_rows:
        task, owner = row.task, _owner(row.task)
        if owner.get("owner_unit_id"):
            leads = heads.get(task.lead_unit_id or 0, [])
        else:
            body = owner["owner_group"] or "secretaries"
            if body not in bodies:
                bodies[body] = (
                    people.of_group(plan.agency, body)
                    if owner["owner_group"]
                    else people.with_roles(plan.agency, [Role.ISO_SECRETARY])
                )
            leads = bodies[body]
        works.append(
            inbox.Work(
                key=str(task.pk),
                kind=AGENDA_KIND,
                title=f"{task.order}. {task.content}",
                url=task.get_absolute_url(),
                users=leads,
                due_date=row.next_due,
                visible_from=_shown_from(row),
            )
        )
    return works


def _shown_from(row: TaskRow) -> dt.date | None:
    """The day a task enters its leads' inbox: when its occurrence's window opens, or a
    month before it falls due if that is earlier."""
    assert row.next_due is not None
    early = row.next_due - dt.timedelta(days=INBOX_LEAD_DAYS)
    occurrence = next((o for o in row.occurrences if o.due == row.next_due), None)
    if occurrence is not None and occurrence.start is not None:
        return min(occurrence.start, early)
    return early


def _require(plan: Plan, *allowed: str) -> None:
    if plan.status not in allowed:
        raise ValidationError(
            _("This cannot be done while the plan is “%(status)s”.")
            % {"status": plan.get_status_display()}
        )


# --- the steps of PLAN_FLOW (qms.plans.workflows) --------------------------------------------


class _BySystem:
    """The actor of a step taken without a person (the demo, an import): the declaration
    still checks the state and the comment."""

    user = None

    def can(self, right: object) -> bool:
        return True


BY_SYSTEM = _BySystem()
By = User | Actor | None


def _actor(plan: Plan, by: By) -> Actor:
    """A view's access object as is, a user through the access helper (their roles in the
    agency decide), nobody: the system."""
    if by is None:
        return BY_SYSTEM
    if not isinstance(by, User):
        return by
    try:
        return access_for(by, plan.agency)
    except Http404:
        raise ValidationError(_("Only a member of the agency takes a step on its plan.")) from None


def _user(by: By) -> User | None:
    return by if isinstance(by, User) or by is None else by.user


def _check(plan: Plan, name: str, by: By, comment: str = "") -> Transition:
    """The step if `by` may take it now; the state is read again under a row lock (of two
    people pressing at once, the second is refused)."""
    plan.status = Plan.objects.select_for_update().values_list("status", flat=True).get(pk=plan.pk)
    return PLAN_FLOW.check(plan, name, _actor(plan, by), comment)


def _approval(plan: Plan) -> str:
    """The inbox sources of the plan's approval round (not under `plans.plan:`, which the
    task sync owns)."""
    return f"plans.approval:{plan.pk}"


@transaction.atomic
def submit(plan: Plan, by: By = None, *, confirm_unassigned: bool = False) -> None:
    """Draft → submitted: the plan waits for approval in the inbox of the head and deputy
    heads (not of whoever submitted it), its Kế hoạch for their signature. A plan with rows
    not assigned yet goes only when the secretary confirms it (`confirm_unassigned`)."""
    step = _check(plan, "submit", by)
    if not plan.tasks.exists():
        raise ValidationError(_("A plan needs at least one task before it is submitted."))
    _check_unassigned(plan, confirm_unassigned)
    plan.status = step.target
    plan.save(update_fields=["status"])
    user = _user(by)
    inbox.complete(f"{_approval(plan)}:submit", by=user)
    paperwork.offer_for_signature(
        plan, user, kind=APPROVE_KIND, title=plan.title, users=approvers(plan, user)
    )


def _check_unassigned(plan: Plan, confirmed: bool) -> None:
    """Refuse to submit a plan with rows not assigned yet unless that is confirmed; the
    refusal names the rows by their numbers."""
    orders = list(
        plan.tasks.filter(lead_kind=PlanTask.Lead.UNASSIGNED)
        .order_by("order", "pk")
        .values_list("order", flat=True)
    )
    if orders and not confirmed:
        raise ValidationError(
            _(
                "Rows %(rows)s have no lead yet (“Chưa phân công”): assign them, or tick that "
                "you confirm submitting the plan with %(n)s rows not assigned."
            )
            % {"rows": ", ".join(str(order) for order in orders), "n": len(orders)}
        )


@transaction.atomic
def send_back(plan: Plan, by: By = None, comment: str = "") -> None:
    """Submitted → draft with what must change: the approval leaves every inbox, the plan
    waits in its secretary's ("Sửa kế hoạch …"); the comment is kept in the plan's history."""
    step = _check(plan, "send_back", by, comment)
    comment = comment.strip()
    submitter = plan.paper.submitted_by
    user = _user(by)
    plan.status = step.target
    plan._change_reason = comment[:100]  # type: ignore[attr-defined]
    plan.save(update_fields=["status"])
    paperwork.return_to_draft(plan, user, comment)
    inbox.assign(
        plan.agency,
        f"{_approval(plan)}:submit",
        secretaries(plan, submitter),
        kind=REVISE_KIND,
        title=f"{plan.title} – {comment}",
        url=plan.get_absolute_url(),
    )


def take(plan: Plan, name: str, by: By, values: dict[str, Any]) -> None:
    """One step of PLAN_FLOW by name (the view's dispatch)."""
    if name == "submit":
        submit(plan, by, confirm_unassigned=bool(values.get("confirm_unassigned")))
    elif name == "send_back":
        send_back(plan, by, values.get("comment", ""))
    elif name == "amend":
        amend(plan, by, values.get("comment", ""))
    elif name == "close":
        close(plan, by)
    else:
        raise ValidationError(_("This step does not exist."))


def check_plan_issue(plan: Plan, issued_on: dt.date) -> None:
    """Only a submitted plan is issued, in its year or the year before."""
    _require(plan, Plan.Status.SUBMITTED)
    if issued_on.year not in (plan.year - 1, plan.year):
        raise ValidationError(
            _("A plan for %(year)s is issued in %(year)s or the year before.") % {"year": plan.year}
        )


def freeze_issued_version(plan: Plan) -> None:
    """Approved and signed: the issued text is frozen as a version and the tasks enter
    the agenda."""
    paper = plan.paper
    assert paper.issued_on is not None
    plan.status = Plan.Status.ISSUED
    plan.save(update_fields=["status"])
    PlanVersion.objects.create(
        plan=plan,
        paper=paper,
        amendment_no=plan.amendment_no,
        number=paper.number,
        issued_on=paper.issued_on,
        snapshot=snapshot(plan),
    )
    sync_agenda(plan)


def issue(plan: Plan, *, number: int, issued_on: dt.date, by: User | None = None) -> None:
    """Record the signed plan in the register (number, date, rights); see freeze_issued_version."""
    paperwork.issue(plan.paper, number=number, issued_on=issued_on, by=by)
    plan.refresh_from_db()


@transaction.atomic
def create_plan(
    agency: Agency,
    *,
    year: int,
    title: str,
    last_year: int | None = None,
    standard: str = "",
    **paper_fields: Any,
) -> Plan:
    """A draft plan (a programme when it has a last year) with the draft Kế hoạch that will
    issue it; it applies the agency's standard unless told otherwise."""
    fields: dict[str, Any] = {"subject": title, "signer_position": agency.head_title}
    paper = paperwork.new_paper(agency, Plan, **(fields | paper_fields))
    plan = Plan.objects.create(
        agency=agency,
        paper=paper,
        year=year,
        last_year=last_year,
        title=title,
        standard=standard or getattr(agency, "standard", "") or Plan.standard.field.default,
    )
    paperwork.link(paper, plan)
    return plan


def sync_subject(plan: Plan) -> None:
    """The plan's paper follows its text (after the plan form saves): a Kế hoạch whose
    subject is the title, or the decision issuing it, "Về việc ban hành Kế hoạch …"."""
    kind, subject = ("QĐ", decision_subject(plan)) if plan.by_decision else ("KH", plan.title)
    if (plan.paper.kind, plan.paper.subject) != (kind, subject):
        paperwork.save_draft(plan.paper, kind=kind, subject=subject)


def decision_subject(plan: Plan) -> str:
    from qms.plans.documents import decision_title

    return f"Về việc ban hành Kế hoạch {decision_title(plan)}"


@transaction.atomic
def amend(plan: Plan, by: By = None, reason: str = "") -> None:
    """Reopen an issued plan for amendment, saying why (kept in its history). The issued
    version stays readable and in force (`Plan.is_in_force`) until the amendment is signed:
    its tasks stay on the agenda and take progress."""
    step = _check(plan, "amend", by, reason)
    plan.paper = _next_paper(plan.paper)
    plan.status = step.target
    plan.amendment_no += 1
    plan._change_reason = reason.strip()[:100]  # type: ignore[attr-defined]
    plan.save(update_fields=["paper", "status", "amendment_no"])
    sync_agenda(plan)


def _next_paper(issued: Paper) -> Paper:
    """The draft of the next version: same issuer, signer, grounds and recipients; a number
    and a date of its own once signed."""
    carried = {name: getattr(issued, name) for name in paperwork.DRAFT_FIELDS}
    paper = paperwork.new_paper(issued.agency, Plan, **carried)
    paper.record_url = issued.record_url
    paper.save(update_fields=["record_url"])
    return paper


@transaction.atomic
def close(plan: Plan, by: By = None) -> None:
    step = _check(plan, "close", by)
    plan.status = step.target
    plan.save(update_fields=["status"])
    sync_agenda(plan)


@transaction.atomic
def record_event(plan: Plan, event: str, occurred_on: dt.date, by: User, note: str = "") -> None:
    if event not in event_catalogue(plan.agency):
        raise ValidationError(_("Unknown event."))
    PlanEvent.objects.update_or_create(
        plan=plan,
        event=event,
        defaults={"occurred_on": occurred_on, "note": note, "recorded_by": by},
    )
    # The due dates of the tasks that waited for it are now computed: stored, then the agenda.
    sync_agenda(plan, rederive(plan))


@transaction.atomic
def set_task_status(task: PlanTask, status: str, reason: str = "") -> None:
    """The status form: done or not carried out closes every occurrence not recorded on its
    own; a one-occurrence task set back to not started / in progress reopens it. The stored
    status is then derived from the occurrences (`derive_status`)."""
    if status == PlanTask.Status.SKIPPED and not reason.strip():
        raise ValidationError(_("Give the reason the task is not carried out."))
    task.status = status
    task.skip_reason = reason.strip() if status == PlanTask.Status.SKIPPED else ""
    if status not in (PlanTask.Status.DONE, PlanTask.Status.SKIPPED):
        row = task_row(task)
        if len(row.keys) == 1:
            task.occurrence_records.all().delete()
    derive_status(task, status)
    task.save(update_fields=["status", "skip_reason", "last_due"])
    sync_agenda(task.plan)


def derive_status(task: PlanTask, chosen: str) -> TaskRow:
    """Set on the task (not saved) the status its occurrences give and the first open due
    date it stores; the row computed with them."""
    row = task_row(task)
    task.status = derived_status(row.states, chosen)
    row = task_row(task)  # the states of unrecorded occurrences follow the task's status
    _keep_due(row)
    return row


@transaction.atomic
def record_occurrence(
    task: PlanTask,
    key: str,
    by: User,
    *,
    done: bool,
    on: dt.date | None = None,
    note: str = "",
    reason: str = "",
    evidence: Evidence | None = None,
) -> OccurrenceProgress:
    """One open occurrence of the task done (on a date, with a note or one of the task's
    evidence files) or not carried out (for a reason); the task's status, what it stores and
    the agenda follow."""
    task = PlanTask.objects.select_for_update().get(pk=task.pk)
    row = task_row(task)
    states = dict(zip(row.keys, row.states, strict=True))
    if states.get(key) != OPEN:
        raise ValidationError(_("This occurrence is not open."))
    if not done and not reason.strip():
        raise ValidationError(_("Give the reason the occurrence is not carried out."))
    if done and on is None:
        raise ValidationError(_("Give the date it was done."))
    if evidence is not None and evidence.task_id != task.pk:
        raise ValidationError(_("Choose an evidence file of this task."))
    occurrence = row.occurrences[row.keys.index(key)]
    record = OccurrenceProgress.objects.create(
        task=task,
        key=key,
        due=occurrence.due,
        state=OccurrenceProgress.State.DONE if done else OccurrenceProgress.State.NOT_CARRIED_OUT,
        done_on=on if done else None,
        note=note.strip() if done else "",
        reason="" if done else reason.strip(),
        evidence=evidence if done else None,
        by=by,
    )
    derive_status(task, task.status)  # open before: not started or in progress
    if task.status == PlanTask.Status.SKIPPED and not task.skip_reason:
        task.skip_reason = reason.strip()
    task.save(update_fields=["status", "skip_reason", "last_due"])
    sync_agenda(task.plan)
    return record


@transaction.atomic
@transaction.atomic
def save_plan_text(form: Any, sections: Any) -> Plan:
    """The plan's text from its valid form (PlanForm) and its phases or groups of tasks (a
    valid SectionFormSet); its paper's subject follows it."""
    plan: Plan = form.save()
    sections.instance = plan
    sections.save()
    sync_subject(plan)
    return plan


def check_period(plan: Plan, year: int, rule: tm.Timing) -> None:
    """A row's timing over a whole period must be a programme's, and end within it."""
    for part in rule.parts:
        if part.kind is not tm.Kind.PERIOD or part.years is None:
            continue
        if not plan.is_programme:
            raise ValidationError(_("“The whole period” is for a programme over several years."))
        last = year + part.years - 1
        if last > (plan.last_year or plan.year):
            raise ValidationError(
                _("The period %(first)s–%(last)s goes beyond the programme (%(period)s).")
                % {"first": year, "last": last, "period": plan.period_text}
            )


@transaction.atomic
def save_task(form: Any, formset: Any, timing: dict[str, Any]) -> PlanTask:
    """A task from its valid form (TaskForm), its timing rule (forms.build_timing) and its
    coordinating units (a valid CoordinationFormSet); what it stores for the plan's totals
    is derived at once, and the agenda follows."""
    task: PlanTask = form.save(commit=False)
    task.timing = timing
    plan = task.plan
    _keep_due(_row(task, plan.year, plan.event_dates(), today()))
    task.save()
    formset.instance = task
    formset.save()
    sync_agenda(plan)
    return task


def add_note(task: PlanTask, author: User, on: dt.date, text: str) -> ProgressNote:
    """A dated note of how the task stands."""
    return task.progress_notes.create(author=author, on=on, text=text)


def link_record(task: PlanTask, record: str) -> None:
    """The record that fulfils the task ("app.model:pk", chosen among the agency's)."""
    task.fulfilled_by = record
    task.save(update_fields=["fulfilled_by"])


def add_evidence(task: PlanTask, upload: Any, by: User) -> Evidence:
    """A file proving the task's work (an upload the EvidenceForm checked: its SHA-256 and
    its sniffed type)."""
    return Evidence.objects.create(
        task=task,
        file=upload,
        original_name=upload.name[:255],
        size=upload.size,
        sha256=upload.qms_sha256,
        content_type=upload.qms_content_type,
        uploaded_by=by,
    )


# A year standing alone ("năm 2026", "Quý II/2026"), not one end of a period ("2022–2025",
# "2022 - 2025", "2022 đến năm 2025"): copying a plan moves the one, never the other.
_PERIOD_LINK = r"(?:\s*[-–—]\s*|\s+(?:đến|tới)\s+(?:năm\s+)?)"


def shift_year_in_text(text: str, old: int, new: int) -> str:
    """`text` with the year `old` written as `new` wherever it stands alone; a period that
    contains it is kept as written (it names a programme, not the plan's year)."""
    period = re.compile(rf"\d{{4}}{_PERIOD_LINK}\d{{4}}")
    kept = [(m.start(), m.end()) for m in period.finditer(text)]

    def replace(match: re.Match[str]) -> str:
        inside = any(start <= match.start() < end for start, end in kept)
        return match.group(0) if inside else str(new)

    return re.sub(rf"(?<!\d){old}(?!\d)", replace, text)


@transaction.atomic
def copy_to_year(plan: Plan, year: int) -> Plan:
    """Next year's (or next period's) draft: text and tasks carried over, fixed dates moved,
    relative rules kept, progress and events cleared; a programme keeps its length."""
    shift = year - plan.year
    last_year = plan.last_year + shift if plan.last_year else None
    if Plan.objects.filter(agency=plan.agency, year=year, last_year=last_year).exists():
        raise ValidationError(_("The agency already has a plan for %(year)s.") % {"year": year})
    new = Plan.objects.get(pk=plan.pk)
    new.pk = None
    new.year, new.last_year, new.status, new.amendment_no = year, last_year, Plan.Status.DRAFT, 0
    new.title = shift_year_in_text(plan.title, plan.year, year)
    new.paper = _next_paper(plan.paper)
    new.save()
    paperwork.save_draft(new.paper, subject=new.title)
    paperwork.link(new.paper, new)
    sections = {
        section.pk: PlanSection.objects.create(plan=new, order=section.order, title=section.title)
        for section in plan.sections.all()
    }
    for task in plan.tasks.prefetch_related("coordinations"):
        coordinations = list(task.coordinations.all())
        rule = tm.Timing.from_dict(task.timing).shifted(shift)
        task.pk, task.plan = None, new
        task.section = sections[task.section_id] if task.section_id else None
        task.year = task.year + shift if task.year else None
        task.timing, task.status, task.skip_reason, task.fulfilled_by = (
            rule.to_dict(),
            PlanTask.Status.NOT_STARTED,
            "",
            "",
        )
        task.content = shift_year_in_text(task.content, plan.year, year)
        task.save()
        for coordination in coordinations:
            coordination.pk, coordination.task = None, task
            coordination.save()
    rederive(new)
    return new


@dataclass
class TimelineLine:
    row: TaskRow
    cells: list[str]  # per month: "" | "window" | "due" | "overdue" | "done"


def timeline_line(row: TaskRow, year: int) -> TimelineLine:
    """Shade each month of `year` an occurrence's window covers; mark the month it falls due,
    as that occurrence stands (done, overdue by `is_overdue`, or due). A window over several
    years (a programme's whole period) shades every month of the years it spans."""
    cells = [""] * 12
    for line in row.occurrence_lines():
        occurrence = line.occurrence
        if occurrence.due is None:
            continue
        start = occurrence.start or occurrence.due
        if not start.year <= year <= occurrence.due.year:
            continue
        first = start.month if start.year == year else 1
        falls_due = occurrence.due.year == year
        for month in range(first, occurrence.due.month if falls_due else 13):
            cells[month - 1] = cells[month - 1] or "window"
        if falls_due:
            cells[occurrence.due.month - 1] = _due_mark(line)
    return TimelineLine(row, cells)


def _due_mark(line: OccurrenceLine) -> str:
    if line.state == OccurrenceProgress.State.DONE:
        return "done"
    return "overdue" if line.is_overdue else "due"


@transaction.atomic
def save_agency_event(event: AgencyEvent) -> None:
    """Define or reword an event of the agency's own (the form has checked it). The agenda of
    its issued plans follows the new name of what their tasks wait for."""
    event.save()
    forget_events(event.agency)
    if PlanTask.objects.filter(plan__agency=event.agency, waiting_for=event.key).exists():
        for plan in Plan.objects.filter(in_force_q(), agency=event.agency):
            sync_agenda(plan)
