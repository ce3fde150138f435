from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "qms.audits"
    verbose_name = _("Internal audit")

    def ready(self) -> None:
        from qms.agenda import inbox, registry
        from qms.audits import review_input, services

        registry.register_kind(services.AUDIT_KIND, _("Internal audit"))
        inbox.register_kind(services.PLAN_KIND, _("Internal audit plan: prepare for the audit"))
        review_input.register()  # an input of the management review (9.3.2 c 6)
        # A held audit fulfils the plan's task ("Đánh giá nội bộ", "Đánh giá thử").
        from qms.plans import fulfilment

        fulfilment.register(
            fulfilment.RecordKind.from_queryset(
                "audits.audit", _("Audit held (internal or mock)"), services.held_audits
            )
        )
