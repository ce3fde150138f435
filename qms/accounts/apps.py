from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "qms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from qms.accounts import checks  # noqa: F401 - registers the system check
        from qms.lib.middleware import IdleSessionMiddleware

        # The login writes the session anyway: start the idle clock there, so the first page
        # after logging in writes nothing.
        user_logged_in.connect(IdleSessionMiddleware.start, dispatch_uid="qms.idle_session")
