from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaperworkConfig(AppConfig):
    name = "qms.paperwork"
    verbose_name = _("Official paperwork")
