import functools
from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _task_formats(task: Any) -> dict[str, Callable[[Any], str]]:
    """A task's timing in its history reads as the plan words it, for the plan's year; the
    record that fulfils it by its name (one query per record ever linked, usually one)."""
    from qms.plans import events, fulfilment
    from qms.plans import timing as tm

    agency = task.plan.agency
    catalogue = events.catalogue(agency)

    def timing(value: Any) -> str:
        try:
            return tm.describe(
                tm.Timing.from_dict(value), task.timing_year(task.plan.year), catalogue
            )
        except tm.TimingError:
            return "—"

    @functools.cache
    def record(value: str) -> str:
        found = fulfilment.resolve(agency, value)
        return found[0] if found is not None else "—"

    return {"timing": timing, "fulfilled_by": record}


def _plan_formats(plan: Any) -> dict[str, Callable[[Any], str]]:
    """The columns a plan shows, by their headings."""
    from qms.plans.models import Column

    labels = dict(Column.choices)

    def columns(codes: Any) -> str:
        return ", ".join(str(labels.get(code, code)) for code in codes)

    def titles(mapping: Any) -> str:
        return "; ".join(f"{labels.get(code, code)}: {title}" for code, title in mapping.items())

    return {"columns": columns, "column_titles": titles}


class PlansConfig(AppConfig):
    name = "qms.plans"
    verbose_name = _("QMS maintenance plans")

    def ready(self) -> None:
        from qms.agenda import inbox, registry
        from qms.organization.history import Child
        from qms.organization.views import register_history
        from qms.plans import events, workflows
        from qms.plans.models import Coordination, Evidence, Plan, PlanTask, ProgressNote
        from qms.plans.services import AGENDA_KIND

        register_history("plan", Plan, formats=_plan_formats)
        # A task's history shows its coordinating units, progress notes and evidence files.
        register_history(
            "task",
            PlanTask,
            "plan__agency",
            children=(
                Child(Coordination, "task", _("Coordinating unit"), ("text", "unit")),
                Child(ProgressNote, "task", _("Progress note"), ("text",)),
                Child(Evidence, "task", _("Evidence file"), ("original_name",)),
            ),
            formats=_task_formats,
        )
        registry.register_kind(AGENDA_KIND, _("Plan task"))
        inbox.register_kind(AGENDA_KIND, _("Lead a plan task"))
        inbox.register_kind(workflows.APPROVE_KIND, _("Approve a plan"))
        inbox.register_kind(workflows.REVISE_KIND, _("Revise a plan"))
        # Until the review, audit, inspection and TTHC apps exist and register their own.
        for event in events.UNTIL_THEIR_APPS_EXIST:
            events.register(event)
