"""How an app hands work to people — the inbox ("Chờ tôi xử lý") — the only API other apps
call. The agenda knows no app: a piece of work is a `source` (a key naming the record and
the step), a kind, a title, a link and the people who must do it.

    from qms.agenda import inbox

    inbox.register_kind("documents.revision.review", _("Review a document"))  # in ready()
    # Each of them sees it, gets a notification at once and an e-mail as they chose:
    inbox.assign(agency, f"documents.revision:{pk}:review", reviewers,
                 kind="documents.revision.review", title=str(revision), url=revision_url)
    inbox.complete(f"documents.revision:{pk}:review", by=user)  # leaves every inbox
    inbox.close(f"documents.revision:{pk}")  # all the work of a record, e.g. withdrawn
    inbox.sync(agency, f"plans.plan:{plan.pk}", [inbox.Work(...), ...])  # derived work

A source given again to a person whose item was done reopens it (a new round: a revision
sent back and submitted again is reviewed again). People no longer named lose the item.
Work in an agency that has been dissolved is handed to nobody. Every call writes a fixed
number of queries whatever the number of people; notifications are written in the same
transaction, e-mails go from the worker after the commit (see `qms.agenda.emails`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from qms.agenda.models import InboxItem, Notification
from qms.organization.models import Agency, User, today

__all__ = [
    "Work",
    "assign",
    "backdate",
    "close",
    "complete",
    "kind_label",
    "quiet",
    "register_kind",
    "register_rehand",
    "rehand",
    "sync",
]

_KINDS: dict[str, str | Promise] = {}
# Fields a new hand-over rewrites on an existing item.
_FIELDS = ("kind", "title", "url", "due_date", "visible_from")


# Apps that hand work by right: each re-hands its waiting work in an agency when who holds a
# right changes without a step being taken (a delegation starts or ends).
_REHANDERS: list[Callable[[Agency], None]] = []


def register_rehand(rehand: Callable[[Agency], None]) -> None:
    """`rehand(agency)` hands every piece of work still waiting in `agency` again to those who
    may do it now (in AppConfig.ready()); `assign` makes that cheap and exact: people who
    gained the right get the item and a notification, those who lost it lose the item."""
    if rehand not in _REHANDERS:
        _REHANDERS.append(rehand)


def rehand(agency: Agency) -> None:
    """Who holds a right in `agency` changed (e.g. the head delegated approval to a deputy):
    every app hands its waiting work again."""
    for each in _REHANDERS:
        each(agency)


def register_kind(kind: str, label: str | Promise) -> None:
    """Name a kind of work for people, as a verb phrase (a lazy translation), e.g.
    ("documents.revision.review", _("Review a document"))."""
    _KINDS[kind] = label


def kind_label(kind: str) -> str:
    return str(_KINDS.get(kind, kind))


def kinds() -> dict[str, str]:
    """Every registered kind with its label, for filters."""
    return {kind: str(label) for kind, label in _KINDS.items()}


@dataclass(frozen=True)
class Work:
    """One piece of work as the source app sees it, for `sync`."""

    key: str  # unique under the prefix, e.g. "12:0"
    kind: str
    title: str | Promise
    url: str
    users: Iterable[Any] = field(default_factory=tuple)  # users or their ids
    due_date: dt.date | None = None
    visible_from: dt.date | None = None  # shown in the inbox from this day (None: at once)


def _max(name: str) -> int:
    found = InboxItem._meta.get_field(name)
    assert isinstance(found, models.CharField) and found.max_length is not None
    return found.max_length


def _user_ids(users: Iterable[Any]) -> list[int]:
    ids = [user if isinstance(user, int) else user.pk for user in users]
    return list(dict.fromkeys(i for i in ids if i is not None))


def _row(agency: Agency, source: str, user_id: int, work: Work) -> InboxItem:
    if len(source) > _max("source") or len(work.url) > _max("url"):
        raise ValueError(f"Inbox source or link too long: {source}")
    title = " ".join(str(work.title).split())
    if len(title) > _max("title"):
        title = title[: _max("title") - 1] + "…"
    return InboxItem(
        agency=agency,
        user_id=user_id,
        source=source,
        kind=work.kind,
        title=title,
        url=work.url,
        due_date=work.due_date,
        visible_from=work.visible_from,
    )


def _wanted(agency: Agency, prefix: str, works: Iterable[Work]) -> dict[tuple[str, int], InboxItem]:
    wanted: dict[tuple[str, int], InboxItem] = {}
    if agency.is_dissolved:  # nothing can be done in a read-only agency
        return wanted
    with translation.override(settings.LANGUAGE_CODE):
        for work in works:
            source = f"{prefix}:{work.key}" if work.key else prefix
            for user_id in _user_ids(work.users):
                wanted[(source, user_id)] = _row(agency, source, user_id, work)
    return wanted


@transaction.atomic
def _apply(
    agency: Agency,
    existing: models.QuerySet[InboxItem],
    wanted: dict[tuple[str, int], InboxItem],
) -> None:
    """Make the open items among `existing` exactly `wanted`: new people get the item (a
    done one is reopened), people no longer named lose it, the sources no longer wanted are
    done. At most 6 queries."""
    now = timezone.now()
    rows = {(row.source, row.user_id): row for row in existing.select_for_update()}
    wanted_sources = {source for source, _user in wanted}
    dropped = [
        row.pk
        for key, row in rows.items()
        if key not in wanted and row.done_at is None and row.source in wanted_sources
    ]
    if dropped:
        InboxItem.objects.filter(pk__in=dropped).delete()
    finished = [
        row.pk for row in rows.values() if row.done_at is None and row.source not in wanted_sources
    ]
    if finished:
        InboxItem.objects.filter(pk__in=finished).update(done_at=now)
    changed, handed = [], []
    for key, new in wanted.items():
        old = rows.get(key)
        if old is None:
            new.assigned_at = now
            handed.append(new)
            continue
        differs = any(getattr(old, f) != getattr(new, f) for f in _FIELDS)
        if old.done_at is not None:
            old.done_at, old.done_by_id, old.emailed_at, old.assigned_at = None, None, None, now
            handed.append(old)
        elif not differs:
            continue
        for name in _FIELDS:
            setattr(old, name, getattr(new, name))
        changed.append(old)
    if changed:
        InboxItem.objects.bulk_update(
            changed, [*_FIELDS, "done_at", "done_by", "emailed_at", "assigned_at"]
        )
    created = [row for row in handed if row.pk is None]
    if created:
        InboxItem.objects.bulk_create(created)
    _announce(agency, handed)


_QUIET: ContextVar[bool] = ContextVar("inbox_quiet", default=False)


@contextmanager
def quiet() -> Iterator[None]:
    """Hand out work without notifications or e-mails: for history brought in from
    elsewhere (an import, the demo), where the work was handed out long ago."""
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


def _announce(agency: Agency, handed: list[InboxItem]) -> None:
    """A notification now for each item visible today; the e-mails from the worker."""
    if _QUIET.get():
        return
    day = today()
    visible = [row for row in handed if row.visible_from is None or row.visible_from <= day]
    if not visible:
        return
    with translation.override(settings.LANGUAGE_CODE):
        Notification.objects.bulk_create(
            Notification(
                user_id=row.user_id,
                agency=agency,
                title=(
                    _("%(work)s: %(title)s") % {"work": kind_label(row.kind), "title": row.title}
                )[:600],
                url=row.url,
            )
            for row in visible
        )
    ids = [row.pk for row in visible]
    transaction.on_commit(lambda: _enqueue_emails(ids))


def _enqueue_emails(ids: list[int]) -> None:
    from qms.agenda.tasks import email_new_work

    email_new_work.enqueue(ids)


def assign(
    agency: Agency,
    source: str,
    users: Iterable[Any],
    kind: str,
    title: str | Promise,
    url: str,
    *,
    due_date: dt.date | None = None,
    visible_from: dt.date | None = None,
) -> None:
    """Hand the work `source` to exactly `users` (users or ids): the new ones see it in
    their inbox and get a notification at once; those no longer named lose it."""
    if not source:
        raise ValueError("An inbox source is required")
    work = Work("", kind, title, url, users, due_date, visible_from)
    _apply(agency, InboxItem.objects.filter(source=source), _wanted(agency, source, [work]))


def sync(agency: Agency, prefix: str, works: Iterable[Work]) -> None:
    """Make the open work of `agency` under `prefix` exactly `works` (derived work, e.g. the
    tasks of a plan): what is no longer listed is done."""
    if not prefix:
        raise ValueError("An inbox prefix is required")
    existing = InboxItem.objects.filter(agency=agency, source__startswith=f"{prefix}:")
    _apply(agency, existing, _wanted(agency, prefix, works))


def complete(source: str, by: User | None = None) -> int:
    """The work `source` is done: it leaves every inbox. Returns how many items closed."""
    return InboxItem.objects.filter(source=source, done_at__isnull=True).update(
        done_at=timezone.now(), done_by=by
    )


def close(prefix: str, by: User | None = None) -> int:
    """Every open piece of work of a record (its sources start with `prefix:`) is over."""
    if not prefix:
        raise ValueError("An inbox prefix is required")
    return InboxItem.objects.filter(source__startswith=f"{prefix}:", done_at__isnull=True).update(
        done_at=timezone.now(), done_by=by
    )


def backdate(prefix: str, moment: dt.datetime) -> int:
    """The open work of a record (its sources start with `prefix:`, or are `prefix`) was
    handed out at `moment`: for history brought in from elsewhere (an import, the demo)."""
    if not prefix:
        raise ValueError("An inbox prefix is required")
    open_items = InboxItem.objects.filter(done_at__isnull=True)
    return (
        open_items.filter(source=prefix) | open_items.filter(source__startswith=f"{prefix}:")
    ).update(assigned_at=moment)
