from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrectiveConfig(AppConfig):
    name = "qms.corrective"
    verbose_name = _("Nonconformities and corrective actions")

    def ready(self) -> None:
        from qms.agenda import inbox, registry
        from qms.corrective import review_input, services, workflows

        registry.register_kind(services.ACTION_KIND, _("Corrective action"))
        inbox.register_kind(services.INBOX_ACTION_KIND, _("Carry out a corrective action"))
        for step in workflows.NONCONFORMITY_FLOW.transitions:
            if step.task:
                inbox.register_kind(f"corrective.nonconformity.{step.name}", step.task)
        review_input.register()  # an input of the management review (9.3.2 c 4)
