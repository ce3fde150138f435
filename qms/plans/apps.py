from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "qms.plans"
    verbose_name = _("QMS maintenance plans")

    def ready(self) -> None:
        from qms.agenda import inbox, registry
        from qms.organization.views import register_history
        from qms.plans import events, workflows
        from qms.plans.models import Plan, PlanTask
        from qms.plans.services import AGENDA_KIND

        register_history("plan", Plan)
        register_history("task", PlanTask, "plan__agency")
        registry.register_kind(AGENDA_KIND, _("Plan task"))
        inbox.register_kind(AGENDA_KIND, _("Lead a plan task"))
        inbox.register_kind(workflows.APPROVE_KIND, _("Approve a plan"))
        inbox.register_kind(workflows.REVISE_KIND, _("Revise a plan"))
        # Until the review, audit, inspection and TTHC apps exist and register their own.
        for event in events.UNTIL_THEIR_APPS_EXIST:
            events.register(event)
