"""E-mails about new work, each person as they chose (`NotificationPreference`): at once,
in a daily digest, or never. Only the worker sends them (`qms.agenda.tasks`), never a
request.

"Never twice" rests on `InboxItem.emailed_at`: each item is claimed by one conditional
UPDATE before its e-mail is built, so the task sent at once and the daily digest racing for
the same item send it once. Items handed out while not yet visible (a plan task's window
not yet open) and items whose immediate e-mail could not go are picked up by the digest of
the day they are visible — for everyone who did not choose "never"."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qms.agenda.models import EmailChoice, InboxItem, NotificationPreference
from qms.organization.models import User

logger = logging.getLogger(__name__)


def preferences(user_ids: set[int]) -> dict[int, str]:
    """user id → e-mail choice (at once when they never chose): 1 query."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids).values_list("user_id", "email")
    )
    return {user_id: chosen.get(user_id, EmailChoice.IMMEDIATE) for user_id in user_ids}


def _claim(items: list[InboxItem]) -> list[InboxItem]:
    """The items this worker is the first to e-mail (one UPDATE each)."""
    now = timezone.now()
    return [
        item
        for item in items
        if InboxItem.objects.filter(pk=item.pk, emailed_at__isnull=True).update(emailed_at=now)
    ]


def _absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + "/" + url.lstrip("/")


def _line(item: InboxItem) -> str:
    due = _(" (due %(date)s)") % {"date": f"{item.due_date:%d/%m/%Y}"} if item.due_date else ""
    return f"- {item.kind_label}: {item.title}{due}\n  {_absolute(item.url)}"


def message(user: User, items: list[InboxItem], digest: bool) -> EmailMessage:
    """One e-mail listing `items`, all waiting for `user`."""
    if len(items) == 1 and not digest:
        first = items[0]
        title = first.title if len(first.title) <= 150 else first.title[:149] + "…"
        subject = _("[e-ISO] Waiting for you: %(work)s: %(title)s") % {
            "work": first.kind_label,
            "title": title,
        }
    else:
        subject = ngettext(
            "[e-ISO] %(count)d new piece of work waiting for you",
            "[e-ISO] %(count)d new pieces of work waiting for you",
            len(items),
        ) % {"count": len(items)}
    inbox_url = _absolute(reverse("agenda:inbox"))
    body = "\n".join(
        [
            _("Dear %(name)s,") % {"name": user},
            "",
            _("This work has been handed to you in e-ISO:"),
            "",
            *(_line(item) for item in items),
            "",
            _("Everything waiting for you: %(url)s") % {"url": inbox_url},
            "",
            _(
                "You can choose to receive these e-mails at once, once a day, or never, "
                "on the notification settings page of e-ISO."
            ),
        ]
    )
    return EmailMessage(subject, body, to=[user.email])


def _send(messages: list[EmailMessage]) -> int:
    sent = 0
    if not messages:
        return sent
    with get_connection() as connection:
        for one in messages:
            one.connection = connection
            try:
                one.send()
                sent += 1
            except Exception:
                logger.exception("E-mail about new work to %s failed", one.to)
    return sent


def _by_user(items: QuerySet[InboxItem]) -> dict[int, list[InboxItem]]:
    grouped: dict[int, list[InboxItem]] = defaultdict(list)
    for item in items.select_related("user").order_by("user_id", "assigned_at", "pk"):
        if item.user.email:
            grouped[item.user_id].append(item)
    return grouped


def send_new_work(item_ids: list[int], day: dt.date) -> int:
    """The e-mails "at once" for the items just handed out; returns how many went."""
    with translation.override(settings.LANGUAGE_CODE):
        pending = InboxItem.objects.waiting(day).filter(pk__in=item_ids, emailed_at__isnull=True)
        grouped = _by_user(pending)
        chosen = preferences(set(grouped))
        messages = []
        for user_id, items in grouped.items():
            if chosen[user_id] != EmailChoice.IMMEDIATE:
                continue
            claimed = _claim(items)
            if claimed:
                messages.append(message(claimed[0].user, claimed, digest=False))
        return _send(messages)


def send_digests(day: dt.date) -> int:
    """The daily digest: every visible open item not yet e-mailed, one e-mail per person
    who did not choose "never"; returns how many e-mails went."""
    with translation.override(settings.LANGUAGE_CODE):
        grouped = _by_user(InboxItem.objects.waiting(day).filter(emailed_at__isnull=True))
        chosen = preferences(set(grouped))
        messages = []
        for user_id, items in grouped.items():
            if chosen[user_id] == EmailChoice.NEVER:
                continue
            claimed = _claim(items)
            if claimed:
                messages.append(message(claimed[0].user, claimed, digest=True))
        return _send(messages)
