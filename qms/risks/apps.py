from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "qms.risks"
    verbose_name = _("Context, interested parties, risks and opportunities")

    def ready(self) -> None:
        from qms.risks import services, workflows  # noqa: F401  (the workflow is declared)

        services.register_kinds()
