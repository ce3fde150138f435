from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qms import demo
from qms.organization.demo import DEMO_LOGINS


class Command(BaseCommand):
    help = "Load (or restore) the demo agencies, people and committees of the two seed plans."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds data.",
        )
        parser.add_argument(
            "--logins-only", action="store_true", help="Only print the demo logins."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins_only"]:
            self._print_logins()
            return
        if settings.PRODUCTION:
            raise CommandError("Demo data is refused in production mode (QMS_PRODUCTION=1).")
        if options["if_empty"] and demo.is_loaded():
            self.stdout.write("Database already holds data; demo not loaded.")
            return
        demo.load()  # every app's demo content, in the order qms/demo/__init__.py gives
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def _print_logins(self) -> None:
        if settings.PRODUCTION:
            return
        for username, who in DEMO_LOGINS:
            self.stdout.write(f"  {username:<16} {who}")
