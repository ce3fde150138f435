"""One start-up of Django before the server: what `make run` (scripts/serve) needs done.

Each step is skipped when nothing it depends on changed, so a second `make run` costs about
the time of starting Django once:
- migrate, only when a migration file on disk is not recorded as applied in the database;
- load the demo, only into an empty database (never in production mode);
- collect static files, only when DEBUG is off (with DEBUG on, WhiteNoise serves them
  straight from the apps and static/) and the files changed since the last collection
  (a fingerprint of their paths, sizes and times, kept in var/stamps/);
- print the address and the demo logins.
"""

import hashlib
import os
import pkgutil
from importlib import import_module
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from qms.organization import demo

# What collectstatic leaves out by default.
IGNORE_PATTERNS = ["CVS", ".*", "*~"]


def migrations_on_disk() -> set[tuple[str, str]]:
    """(app label, migration name) of every migration file, found as Django's loader does."""
    found = set()
    for config in apps.get_app_configs():
        module_name, _explicit = MigrationLoader.migrations_module(config.label)
        if module_name is None:
            continue
        try:
            module = import_module(module_name)
        except ModuleNotFoundError:
            continue
        if not hasattr(module, "__path__"):
            continue
        found |= {
            (config.label, name)
            for _finder, name, is_package in pkgutil.iter_modules(module.__path__)
            if not is_package and name[0] not in "_~"
        }
    return found


def pending_migrations() -> set[tuple[str, str]]:
    """Migration files the database has not recorded as applied (one query, no import of
    the migrations themselves); `migrate` decides what to do with them."""
    return migrations_on_disk() - set(MigrationRecorder(connection).applied_migrations())


def static_fingerprint() -> str:
    """A digest of every static file collectstatic would copy, and of where it would go."""
    digest = hashlib.sha256()
    digest.update(repr((str(settings.STATIC_ROOT), settings.STORAGES["staticfiles"])).encode())
    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list(IGNORE_PATTERNS):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
        digest.update(b"\n")
    return digest.hexdigest()


class Command(BaseCommand):
    help = (
        "Make the database and static files ready to serve (migrate, demo on an empty "
        "database, collectstatic when DEBUG is off), each only when needed; print the logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default="8000", help="The port the server listens on.")

    def handle(self, *args: Any, **options: Any) -> None:
        self._migrate()
        if not settings.PRODUCTION and not demo.is_loaded():
            call_command("load_demo", stdout=self.stdout)
        if not settings.DEBUG:
            self._collect_static()
        self._welcome(options["port"])

    def _migrate(self) -> None:
        if pending_migrations():
            call_command("migrate", interactive=False, verbosity=1, stdout=self.stdout)

    def _collect_static(self) -> None:
        stamp = Path(settings.VAR_DIR) / "stamps" / "collectstatic"
        fingerprint = static_fingerprint()
        root = Path(settings.STATIC_ROOT)
        if root.is_dir() and stamp.is_file() and stamp.read_text() == fingerprint:
            return
        call_command("collectstatic", interactive=False, verbosity=1, stdout=self.stdout)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(fingerprint)

    def _welcome(self, port: str) -> None:
        url = f"http://127.0.0.1:{port}"
        self.stdout.write("")
        self.stdout.write(f"ISO điện tử đang chạy tại / is running at: {url}/")
        if settings.PRODUCTION:
            return
        self.stdout.write(
            f"Đăng nhập / log in at {url}/accounts/login/ — demo password {demo.DEMO_PASSWORD}:"
        )
        call_command("load_demo", "--logins-only", stdout=self.stdout)
        self.stdout.write("")
