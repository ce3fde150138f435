from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectivesConfig(AppConfig):
    name = "qms.objectives"
    verbose_name = _("Quality policy and objectives")
