"""How an app puts its dated obligations on the agenda — the only API other apps call.

An app describes what falls due as `Item`s and hands the full current list for one of its
records to `sync`; the agenda rewrites its copy (obligations are derived data: the app's
record is the truth). Example, from a plan's save:

    from qms.agenda import registry

    registry.register_kind("plans.task", _("Plan task"))      # once, in AppConfig.ready()
    registry.sync(plan.agency, f"plans.plan:{plan.pk}", [
        registry.Item(key=f"{task.pk}:{n}", kind="plans.task", title=task.description,
                      url=task.get_absolute_url(), due_date=occurrence.due,
                      owner_unit_id=task.lead_unit_id, owner_text=task.lead_text)
        for task in plan.tasks.all() for n, occurrence in enumerate(task.occurrences())
    ])

An obligation's `source` is `f"{prefix}:{item.key}"` and is unique across the whole system,
so a prefix must name the record (e.g. `plans.plan:12`), not only the app. `clear(prefix)`
removes everything of a prefix (the record was deleted). Owners: `owner_person_id` (a user),
else `owner_unit_id` (a unit of the same agency), else `owner_group` (a body: the leadership
— head and deputies — or the steering committee's current members), else nobody but
`owner_text` — then the ISO secretary sees it in "Việc của tôi". A waiting obligation has
no due date and names the event it waits for in `waiting_for`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from qms.agenda.models import AgendaStamp, Group, Obligation, new_stamp_token
from qms.organization.models import Agency, Unit

__all__ = [
    "Item",
    "alert_kinds",
    "clear",
    "kind_label",
    "register_kind",
    "stamps",
    "sync",
]


@dataclass(frozen=True)
class Item:
    """One dated obligation as the source app sees it."""

    key: str  # unique among the items of one prefix, e.g. "12:0" (task 12, occurrence 0)
    kind: str  # a code registered with `register_kind`, e.g. "plans.task"
    title: str
    url: str  # a path on this site, e.g. "/agencies/3/plans/7/#task-12"
    due_date: date | None  # None while waiting for an event (then set `waiting_for`)
    start_date: date | None = None
    waiting_for: str = ""  # the event's label, e.g. "Ban hành bộ tài liệu mới"
    state: str = Obligation.State.OPEN  # one of Obligation.State
    owner_unit_id: int | None = None
    owner_person_id: int | None = None
    owner_group: str = ""  # a body (Group): the leadership or the steering committee
    owner_text: str = ""  # who, in words, when neither a person nor a unit owns it
    # Texts may be lazy translations: they are stored in the site's language (Vietnamese).


_KINDS: dict[str, str | Promise] = {}
# Kinds the agency's dashboard lists whatever their due date: a duty that law imposes on an
# event (e.g. updating a procedure after its legal basis changed) must not wait unseen.
_ALERT_KINDS: set[str] = set()

# Fields `sync` copies from an item; `source` and `agency` identify the row.
_FIELDS = (
    "kind",
    "title",
    "url",
    "due_date",
    "start_date",
    "waiting_for",
    "state",
    "owner_unit_id",
    "owner_person_id",
    "owner_group",
    "owner_text",
)


def register_kind(kind: str, label: str | Promise, *, alert: bool = False) -> None:
    """Name a kind for people (a lazy translation), e.g. ("plans.task", _("Plan task")).
    `alert` puts every open obligation of the kind on the agency's dashboard."""
    _KINDS[kind] = label
    if alert:
        _ALERT_KINDS.add(kind)


def alert_kinds() -> list[str]:
    return sorted(_ALERT_KINDS)


def kind_label(kind: str) -> str:
    return str(_KINDS.get(kind, kind))


def _source(prefix: str, key: str) -> str:
    return f"{prefix}:{key}"


def _field_max(name: str) -> int:
    field = Obligation._meta.get_field(name)
    assert isinstance(field, models.CharField) and field.max_length is not None
    return field.max_length


def _obligation(agency: Agency, prefix: str, item: Item) -> Obligation:
    if not item.key:
        raise ValueError("An agenda item needs a key")
    if item.state not in Obligation.State.values:
        raise ValueError(f"Unknown obligation state {item.state!r}")
    if item.owner_group and item.owner_group not in Group.values:
        raise ValueError(f"Unknown owner group {item.owner_group!r}")
    source = _source(prefix, item.key)
    if len(source) > _field_max("source") or len(item.url) > _field_max("url"):
        raise ValueError(f"Source or link too long: {source}")
    title = str(item.title)
    if len(title) > _field_max("title"):
        title = title[: _field_max("title") - 1] + "…"
    return Obligation(
        agency=agency,
        source=source,
        kind=item.kind,
        title=title,
        url=item.url,
        due_date=item.due_date,
        start_date=item.start_date,
        waiting_for=str(item.waiting_for)[: _field_max("waiting_for")],
        state=item.state,
        owner_unit_id=item.owner_unit_id,
        owner_person_id=item.owner_person_id,
        owner_group=item.owner_group,
        owner_text=str(item.owner_text)[: _field_max("owner_text")],
    )


def _wanted(agency: Agency, prefix: str, items: Iterable[Item]) -> dict[str, Obligation]:
    wanted: dict[str, Obligation] = {}
    # Texts are stored: lazy translations become the site's language, whoever triggered it.
    with translation.override(settings.LANGUAGE_CODE):
        for item in items:
            obligation = _obligation(agency, prefix, item)
            if obligation.source in wanted:
                raise ValueError(f"Duplicate agenda key {item.key!r} under {prefix!r}")
            wanted[obligation.source] = obligation
    unit_ids = {o.owner_unit_id for o in wanted.values() if o.owner_unit_id is not None}
    if unit_ids and Unit.objects.filter(pk__in=unit_ids, agency=agency).count() != len(unit_ids):
        raise ValueError("An owner unit is not a unit of this agency")
    return wanted


@transaction.atomic
def sync(agency: Agency, prefix: str, items: Iterable[Item]) -> None:
    """Make the obligations of `agency` under `prefix` exactly `items`: insert the new, update
    the changed, delete the others. A fixed number of queries whatever the number of items
    (at most 7: units check, read, delete with its reminders, update, the agency's version,
    collision check, insert).
    Raises ValueError on a bad item; nothing is changed then."""
    if not prefix:
        raise ValueError("An agenda prefix is required")
    wanted = _wanted(agency, prefix, items)
    existing = {
        o.source: o
        for o in Obligation.objects.filter(agency=agency, source__startswith=f"{prefix}:")
    }
    stale = [o.pk for source, o in existing.items() if source not in wanted]
    if stale:
        Obligation.objects.filter(pk__in=stale).delete()
    now = timezone.now()
    created = [o for source, o in wanted.items() if source not in existing]
    changed = []
    for source, new in wanted.items():
        old = existing.get(source)
        if old is not None and any(getattr(old, f) != getattr(new, f) for f in _FIELDS):
            for field in _FIELDS:
                setattr(old, field, getattr(new, field))
            old.updated_at = now
            changed.append(old)
    if changed:
        Obligation.objects.bulk_update(changed, [*_FIELDS, "updated_at"])
    if stale or changed or created:
        _bump([agency.pk], now)
    if not created:
        return
    sources = [o.source for o in created]
    if Obligation.objects.filter(source__in=sources).exclude(agency=agency).exists():
        raise ValueError(f"Agenda sources under {prefix!r} already belong to another agency")
    # Another sync of the same prefix may have inserted them since the read: update then.
    Obligation.objects.bulk_create(
        created,
        update_conflicts=True,
        unique_fields=["source"],
        update_fields=[*_FIELDS, "updated_at"],
    )


@transaction.atomic
def clear(prefix: str) -> None:
    """Remove every obligation under `prefix`, in every agency (its record is gone)."""
    if not prefix:
        raise ValueError("An agenda prefix is required")
    found = Obligation.objects.filter(source__startswith=f"{prefix}:")
    agencies = sorted(set(found.order_by().values_list("agency_id", flat=True)))
    if agencies:
        found.delete()
        _bump(agencies, timezone.now())


def _bump(agency_ids: list[int], now: datetime) -> None:
    """A new version of each agency's obligations (one upsert, in the caller's transaction:
    a change rolled back leaves the version as it was)."""
    AgendaStamp.objects.bulk_create(
        [AgendaStamp(agency_id=pk, token=new_stamp_token(), changed_at=now) for pk in agency_ids],
        update_conflicts=True,
        unique_fields=["agency"],
        update_fields=["token", "changed_at"],
    )


def stamps(agency_ids: Iterable[int]) -> dict[int, AgendaStamp]:
    """The current version of each agency's obligations, by agency (1 query by primary key);
    an agency whose obligations never changed has none."""
    return {s.agency_id: s for s in AgendaStamp.objects.filter(agency_id__in=list(agency_ids))}
