"""The notification bell of the header: the unread count, the latest notifications, and the
count of "Chờ tôi xử lý" (the work waiting for the person)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.http import HttpRequest

from qms.agenda.models import InboxItem, Notification
from qms.organization.models import today

LATEST = 5


@dataclass(frozen=True)
class Bell:
    unread: int
    latest: list[Notification]
    waiting: int  # items in "Chờ tôi xử lý"


def _count(queryset: QuerySet[Any]) -> Subquery:
    return Subquery(
        queryset.order_by().values("user_id").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def bell_for(user_id: int) -> Bell:
    """One query: the latest notifications, each carrying the unread count and the inbox
    count; a second only for a person who has never had a notification."""
    unread = Notification.objects.filter(user_id=user_id, read_at__isnull=True)
    waiting = InboxItem.objects.filter(user_id=user_id).waiting(today())
    latest: list[Notification] = list(
        Notification.objects.filter(user_id=user_id)
        .annotate(unread_count=_count(unread), waiting_count=_count(waiting))
        .order_by("-created_at", "-pk")[:LATEST]
    )
    if not latest:
        return Bell(0, [], waiting.count())
    first = latest[0]
    return Bell(
        getattr(first, "unread_count", 0) or 0, latest, getattr(first, "waiting_count", 0) or 0
    )


def notifications(request: HttpRequest) -> dict[str, Any]:
    """`notification_bell` for templates: computed on first use only, at most 1 query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_bell": cache(lambda: bell_for(user.pk))}
