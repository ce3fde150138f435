from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _document_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A covering procedure issued anew may settle a revision a catalogue decision asked for."""
    from qms.procedures import catalogue
    from qms.procedures.models import AgencyProcedure

    fields = kwargs.get("update_fields")
    if fields is not None and not {"current_revision", "status"} & set(fields):
        return
    if AgencyProcedure.objects.filter(document_id=instance.pk).exists():
        catalogue.sync_revisions(instance.agency)


class ProceduresConfig(AppConfig):
    name = "qms.procedures"
    verbose_name = _("Administrative procedures (TTHC)")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from qms.agenda import inbox, registry
        from qms.documents.models import Document
        from qms.procedures import catalogue

        # A catalogue decision that amends or abolishes a TTHC: its covering procedure is
        # revised within the months the law gives for a legal change.
        registry.register_kind(
            catalogue.REVISE_KIND, _("Revise a procedure after a TTHC catalogue change"), alert=True
        )
        inbox.register_kind(
            catalogue.REVISE_KIND, _("Revise a procedure after a TTHC catalogue change")
        )
        post_save.connect(_document_saved, sender=Document, dispatch_uid="procedures.revise")
