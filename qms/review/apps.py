from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "qms.review"
    verbose_name = _("Management review")

    def ready(self) -> None:
        from qms.review import services

        services.register_kinds()
