"""The notification bell of the header: the unread count and the latest notifications."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Count, IntegerField, Subquery
from django.http import HttpRequest

from qms.agenda.models import Notification

LATEST = 5


@dataclass(frozen=True)
class Bell:
    unread: int
    latest: list[Notification]


def bell_for(user_id: int) -> Bell:
    """One query: the latest notifications, each carrying the unread count (a person with
    no notification at all has none unread)."""
    unread = (
        Notification.objects.filter(user_id=user_id, read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    latest: list[Notification] = list(
        Notification.objects.filter(user_id=user_id)
        .annotate(unread_count=Subquery(unread, output_field=IntegerField()))
        .order_by("-created_at", "-pk")[:LATEST]
    )
    count = getattr(latest[0], "unread_count", 0) if latest else 0
    return Bell(count or 0, latest)


def notifications(request: HttpRequest) -> dict[str, Any]:
    """`notification_bell` for templates: computed on first use only, at most 1 query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_bell": cache(lambda: bell_for(user.pk))}
