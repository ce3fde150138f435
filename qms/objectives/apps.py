from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectivesConfig(AppConfig):
    name = "qms.objectives"
    verbose_name = _("Quality policy and objectives")

    def ready(self) -> None:
        from qms.agenda import inbox, registry
        from qms.objectives import services, workflows

        registry.register_kind(services.ACTION_KIND, _("Action to reach a quality objective"))
        registry.register_kind(
            services.FOLLOW_UP_KIND, _("Open a corrective action for a missed objective")
        )
        inbox.register_kind(
            services.MISSED_KIND, _("Decide the follow-up of a missed quality objective")
        )
        for step in workflows.OBJECTIVE_FLOW.transitions:
            if step.task:
                inbox.register_kind(f"objectives.objective.{step.name}", step.task)
