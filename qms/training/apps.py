from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "qms.training"
    verbose_name = _("Training and competence")

    def ready(self) -> None:
        from qms.plans import fulfilment
        from qms.training import services, workflows  # noqa: F401  (the workflow is declared)
        from qms.training.models import TrainingSession

        services.register_kinds()
        # A session recorded as held fulfils a plan's training task.
        fulfilment.register(
            fulfilment.RecordKind.from_queryset(
                services.RECORD_KIND,
                _("Training session held"),
                lambda agency: (
                    TrainingSession.objects.filter(
                        agency=agency, status=TrainingSession.Status.HELD
                    )
                    .select_related("course")
                    .order_by("-ends_on", "-pk")
                ),
            )
        )
