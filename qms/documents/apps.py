from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


def _issued_sets(agency: Any) -> QuerySet[Any]:
    from qms.documents.models import DocumentSet

    return DocumentSet.objects.filter(agency=agency, paper__status="issued").select_related(
        "paper__agency", "paper__drafting_unit"
    )


class DocumentsConfig(AppConfig):
    name = "qms.documents"
    verbose_name = _("Controlled documents and legal bases")

    def ready(self) -> None:
        from qms.agenda import inbox, registry
        from qms.documents import rules, services, workflows
        from qms.documents.models import (
            Citation,
            Document,
            DocumentSet,
            LegalDocument,
            RecordToKeep,
            Revision,
        )
        from qms.organization.history import Child
        from qms.organization.views import register_history
        from qms.plans import events as plan_events
        from qms.plans import fulfilment

        # A document's history shows its records to keep and legal bases added and removed.
        register_history(
            "document",
            Document,
            children=(
                Child(RecordToKeep, "document", _("record to keep"), ("name",)),
                Child(Citation, "document", _("legal basis"), ("legal_document",)),
            ),
        )
        register_history("revision", Revision, "document__agency")
        register_history("document_set", DocumentSet)
        register_history("legal_document", LegalDocument)
        # A document set taking effect is an event the plans' relative tasks count from.
        plan_events.register(rules.DOCUMENT_SET_EFFECTIVE)
        # The decision issuing a document set fulfils a plan's "ban hành bộ tài liệu" task.
        fulfilment.register(
            fulfilment.RecordKind.from_queryset(
                "documents.documentset", DocumentSet.record_label, _issued_sets
            )
        )
        registry.register_kind(
            services.LEGAL_CHANGE_KIND, _("Update after a legal change"), alert=True
        )
        registry.register_kind(services.REVIEW_KIND, _("Periodic document review"))
        registry.register_kind(services.LEGAL_REVIEW_KIND, _("Legal-basis review"))
        registry.register_kind(services.READING_KIND, _("Required reading"))
        # The inbox: each step of a revision that waits on someone, the readings, the flags.
        for step in workflows.REVISION_FLOW.transitions:
            if step.task:
                inbox.register_kind(f"{workflows.INBOX_KIND}.{step.name}", step.task)
        inbox.register_kind(services.READING_KIND, _("Read a document and confirm"))
        inbox.register_rehand(services.hand_revisions_again)
        inbox.register_kind(
            services.LEGAL_CHANGE_KIND, _("Update a procedure after a legal change")
        )
