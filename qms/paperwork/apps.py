from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaperworkConfig(AppConfig):
    name = "qms.paperwork"
    verbose_name = _("Official paperwork")

    def ready(self) -> None:
        from qms.agenda import inbox
        from qms.paperwork import workflows  # noqa: F401  (the template tags find PAPER_FLOW)
        from qms.paperwork.services import REVISE_KIND, SIGN_KIND, hand_signing_again

        inbox.register_kind(SIGN_KIND, _("Sign / register a document"))
        inbox.register_kind(REVISE_KIND, _("Revise a document and submit it for signature"))
        inbox.register_rehand(hand_signing_again)
