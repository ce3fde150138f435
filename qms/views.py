"""Project-level endpoints that belong to no app."""

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
    """Read the length of huey's queue: a SELECT on the SQLite file, an LLEN on Redis.

    A load balancer calls this every few seconds, so it must write nothing."""
    try:
        return settings.HUEY.storage.queue_size() >= 0
    except Exception:  # noqa: BLE001
        return False


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Whether this process reaches its database and its task queue, for a load balancer.

    Exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT), so it answers over plain HTTP."""
    checks = {"database": _database_ok(), "task_queue": _queue_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
