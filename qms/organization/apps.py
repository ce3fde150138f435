from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


def _issued_decisions(agency: Any) -> QuerySet[Any]:
    from qms.organization.models import CommitteeDecision

    return CommitteeDecision.objects.filter(agency=agency, paper__status="issued").select_related(
        "agency", "paper__agency", "paper__drafting_unit"
    )


class OrganizationConfig(AppConfig):
    name = "qms.organization"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from qms.plans import fulfilment

        # An issued decision on the steering committee fulfils a plan's "kiện toàn" task.
        fulfilment.register(
            fulfilment.RecordKind.from_queryset(
                "organization.committeedecision",
                _("Steering committee decision"),
                _issued_decisions,
            )
        )
