"""Project-level endpoints that belong to no app."""

import uuid

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 — any failure means "not reachable"
        return False


def _queue_ok() -> bool:
    """Round-trip a key through huey's storage (SQLite file or Redis)."""
    key = f"healthz-{uuid.uuid4().hex}"
    try:
        storage = settings.HUEY.storage
        storage.put_data(key, b"1")
        return storage.pop_data(key) == b"1"
    except Exception:  # noqa: BLE001
        return False


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok(), "task_queue": _queue_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
