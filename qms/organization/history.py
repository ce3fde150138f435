"""The "Lịch sử thay đổi" of a record, read from the versions django-simple-history keeps of
it and of the rows that belong to it (a document's records to keep and legal bases, a plan
task's progress notes and evidence, a person's roles and account).

Each step reads as the screens do: who (full name), when, what (created, changed, deleted;
a row added or removed), and each field by its label with old → new values as users see them
(choices by label, related objects by name, dates dd/mm/yyyy, yes/no). A fixed number of
queries whatever the number of steps: one per history table read and one per kind of object
the steps name."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from qms.organization.models import Membership, Role, RoleGrant, User

Formatter = Callable[[Any], str]
Formats = dict[str, Formatter]

# Steps one person saved within this window read as one step: a form saving a person's
# account, membership and roles writes three history tables a few milliseconds apart. Role
# grants written by one call of services.set_roles share one history date.
STEP_WINDOW = dt.timedelta(seconds=2)

# Never shown: keys, secrets and what a login or the framework updates.
HIDDEN = frozenset(
    {"id", "password", "last_login", "date_joined", "is_superuser", "is_staff"}
    | {"first_name", "last_name"}
)

# Fields the models leave without a label that still tell users something.
LABELS: dict[str, Promise] = {"resolved_by": gettext_lazy("handled by")}

# What naming an object reads besides its own row (its __str__), joined in the one query
# that reads the names, so no name costs a query of its own.
NAME_JOINS: dict[str, tuple[str, ...]] = {
    "documents.Revision": ("document",),
    "documents.DocumentSet": ("paper__agency", "paper__drafting_unit"),
    "organization.CommitteeDecision": ("paper__agency", "paper__drafting_unit"),
    "organization.Membership": ("user", "agency"),
    "organization.Delegation": ("delegator", "delegate"),
    "paperwork.Paper": ("agency", "drafting_unit"),
}

# A person's account as their history shows it, in this order.
ACCOUNT_FIELDS = ("full_name", "email", "phone", "username", "is_active")
ACCOUNT_LABELS: dict[str, Promise] = {"is_active": gettext_lazy("account can log in")}


@dataclass(frozen=True)
class Child:
    """Rows that belong to a record and whose history reads in the record's: a document's
    records to keep, its legal bases; a task's progress notes and evidence files."""

    model: type[models.Model]
    parent: str  # the row's foreign key to the record, e.g. "document"
    label: str | Promise  # what one row is, e.g. "Hồ sơ cần lưu"
    subject: tuple[str, ...]  # the fields naming a row; the first with a value names it


@dataclass(frozen=True)
class Source:
    """How the history of one kind of record reads: its model, the path from it to its
    agency, the rows whose history joins its own, and how a field's value reads when its
    label and type are not enough (built once per page from the record, e.g. a task's
    timing worded for its plan's year)."""

    model: type[models.Model]
    agency_path: str = "agency"
    children: tuple[Child, ...] = ()
    formats: Callable[[Any], Formats] | None = None


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    kind: str  # what was done, as the page words it: "Tạo mới", "Sửa", "Gỡ bỏ"…
    changes: list[Change]
    created: bool = False  # a creation or an added row: only the new values read
    removed: bool = False
    subject_label: str = ""  # for a row of a child: what it is ("Hồ sơ cần lưu")…
    subject: str = ""  # … and its name
    reason: str = ""  # the reason given with the change, e.g. a plan sent back
    who_id: int | None = field(default=None, repr=False)
    streams: set[str] = field(default_factory=set, repr=False)  # the tables it was read from


def action(history_type: str, *, child: bool = False) -> str:
    if child:
        words = {
            "+": pgettext("history", "Added"),
            "~": pgettext("history", "Changed"),
            "-": pgettext("history", "Removed"),
        }
    else:
        words = {
            "+": pgettext("history", "Created"),
            "~": pgettext("history", "Changed"),
            "-": pgettext("history", "Deleted"),
        }
    return words[history_type]


def _who(record: Any) -> str:
    user = record.history_user
    return str(user) if user is not None else pgettext("history", "System")


def _auto_label(f: models.Field[Any, Any]) -> bool:
    """The model gave the field no label: Django made one of its name, in English."""
    label = f.verbose_name
    return not isinstance(label, Promise) and label == f.name.replace("_", " ")


class Reader:
    """Reads the historical rows of one model: which fields show, under which label, and
    their values as users see them. Names of related objects are read once for all rows."""

    def __init__(
        self,
        model: type[models.Model],
        records: list[Any],
        *,
        skip: Iterable[str] = (),
        only: tuple[str, ...] | None = None,
        labels: dict[str, Promise] | None = None,
        formats: Formats | None = None,
    ) -> None:
        kept = {f.name for f in model.history.model._meta.fields}  # type: ignore[attr-defined]
        self.labels = {**LABELS, **(labels or {})}
        self.formats = formats or {}
        if only is not None:
            self.fields = [model._meta.get_field(name) for name in only]
        else:
            self.fields = [
                f
                for f in model._meta.concrete_fields
                if f.name in kept
                and f.name not in HIDDEN
                and f.name not in set(skip)
                and (not _auto_label(f) or f.name in self.labels)
            ]
        self.names = _related_names(self.fields, records)

    def label(self, f: Any) -> str:
        return str(self.labels.get(f.name, f.verbose_name))

    def show(self, f: Any, value: Any) -> str:
        if f.name in self.formats and value not in (None, "", [], {}):
            return self.formats[f.name](value)
        return _display(f, value, self.names)

    def diff(self, old: Any, new: Any) -> list[Change]:
        return [
            Change(self.label(f), self.show(f, _value(old, f)), self.show(f, _value(new, f)))
            for f in self.fields
            if _value(old, f) != _value(new, f)
        ]

    def values(self, record: Any, skip: Iterable[str] = ()) -> list[Change]:
        """The fields a new row was given (the empty ones left out)."""
        return [
            Change(self.label(f), "—", self.show(f, _value(record, f)))
            for f in self.fields
            if f.name not in set(skip) and _value(record, f) not in (None, "", [], {})
        ]


def _display(f: Any, value: Any, names: dict[tuple[Any, Any], str]) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation:
        return names.get((f.related_model, value), "—")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(f, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items())
    if isinstance(f, models.JSONField):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _related_names(fields: list[Any], records: list[Any]) -> dict[tuple[Any, Any], str]:
    """Names of every object the rows point to: one query per related model."""
    ids: dict[Any, set[Any]] = {}
    for f in fields:
        if f.is_relation and f.related_model is not None:
            found = {getattr(r, f.attname) for r in records} - {None}
            ids.setdefault(f.related_model, set()).update(found)
    names: dict[tuple[Any, Any], str] = {}
    for model, pks in ids.items():
        if not pks:
            continue
        named = model._base_manager.filter(pk__in=pks)
        joins = NAME_JOINS.get(model._meta.label)
        for obj in named.select_related(*joins) if joins else named:
            names[(model, obj.pk)] = str(obj)
    return names


def _value(record: Any, f: Any) -> Any:
    return None if record is None else getattr(record, f.attname)


def _records(model: type[models.Model], **lookup: Any) -> list[Any]:
    history = model.history  # type: ignore[attr-defined]
    return list(
        history.filter(**lookup).select_related("history_user").order_by("history_date", "pk")
    )


# ------------------------------------------------------------------------------ entries


def entries(obj: Any, source: Source) -> list[HistoryEntry]:
    """Every step of `obj` and of its rows, newest first."""
    found = _own_entries(obj, source)
    for child in source.children:
        found += _child_entries(obj, child)
    if isinstance(obj, Membership):
        created = next((e for e in found if e.created and not e.subject_label), None)
        found += _role_entries(obj) + _account_entries(obj, created)
    found = _merged(found)
    found.reverse()
    return found


def _own_entries(obj: Any, source: Source) -> list[HistoryEntry]:
    model = type(obj)
    records = _records(model, id=obj.pk)
    skip = {source.agency_path} if "__" not in source.agency_path else set()
    if isinstance(obj, Membership):
        skip |= {"user", "agency"}  # the person's name and e-mail read from the account
    formats = source.formats(obj) if source.formats else None
    reader = Reader(model, records, skip=skip, formats=formats)
    found: list[HistoryEntry] = []
    previous = None
    for record in records:
        created, removed = record.history_type == "+", record.history_type == "-"
        changes = (
            reader.values(record) if created else [] if removed else reader.diff(previous, record)
        )
        reason = record.history_change_reason or ""
        if changes or created or removed or reason:
            found.append(
                HistoryEntry(
                    record.history_date,
                    _who(record),
                    action(record.history_type),
                    changes,
                    created=created,
                    removed=removed,
                    reason=reason,
                    who_id=record.history_user_id,
                    streams={"own"},
                )
            )
        previous = record
    return found


def _child_entries(obj: Any, child: Child) -> list[HistoryEntry]:
    """Rows added, changed and removed, each a step of its own named by the row."""
    parent: Any = child.model._meta.get_field(child.parent)
    records = _records(child.model, **{parent.attname: obj.pk})
    reader = Reader(child.model, records, skip={child.parent, "agency"})
    subjects = [child.model._meta.get_field(name) for name in child.subject]
    last: dict[Any, Any] = {}
    found: list[HistoryEntry] = []
    for record in records:
        previous = last.get(record.id)
        last[record.id] = record
        kind = record.history_type
        if kind == "+":
            changes = reader.values(record, skip=child.subject)
        else:
            changes = reader.diff(previous, record) if kind == "~" else []
            if kind == "~" and not changes:
                continue
        name = next((reader.show(f, _value(record, f)) for f in subjects if _value(record, f)), "—")
        found.append(
            HistoryEntry(
                record.history_date,
                _who(record),
                action(kind, child=True),
                changes,
                created=kind == "+",
                removed=kind == "-",
                subject_label=str(child.label),
                subject=name,
                who_id=record.history_user_id,
            )
        )
    return found


def _role_entries(membership: Membership) -> list[HistoryEntry]:
    """The roles as steps, each read old → new ("Thư ký ISO → Thư ký ISO, Lãnh đạo"): the
    grants one person added and removed within the step window are one step (1 query)."""
    records = _records(RoleGrant, membership_id=membership.pk)
    steps: list[list[Any]] = []
    for record in records:
        last = steps[-1] if steps else None
        if (
            last is not None
            and record.history_user_id == last[0].history_user_id
            and record.history_date - last[0].history_date <= STEP_WINDOW
        ):
            last.append(record)
        else:
            steps.append([record])
    roles: set[str] = set()
    found: list[HistoryEntry] = []
    for step in steps:
        old = set(roles)
        for record in step:
            (roles.add if record.history_type == "+" else roles.discard)(record.role)
        if old != roles:
            first = step[0]
            change = Change(_("Roles"), _role_labels(old), _role_labels(roles))
            found.append(
                HistoryEntry(
                    first.history_date,
                    _who(first),
                    action("~"),
                    [change],
                    who_id=first.history_user_id,
                    streams={"roles"},
                )
            )
    return found


def _role_labels(codes: set[str]) -> str:
    ordered = [role for role in Role if role.value in codes]
    return ", ".join(str(role.label) for role in ordered) or "—"


def _account_entries(membership: Membership, created: HistoryEntry | None) -> list[HistoryEntry]:
    """Changes of the person's account (full name, e-mail, phone, login name, whether it may
    log in) made since the person joined the agency; the account as it was then reads in the
    step that added the person (1 query). Logins and password changes are not shown."""
    records = _records(User, id=membership.user_id)
    reader = Reader(User, records, only=ACCOUNT_FIELDS, labels=ACCOUNT_LABELS)
    found: list[HistoryEntry] = []
    previous = baseline = None
    for record in records:
        if created is not None and previous is baseline and _joined(created, record):
            previous = baseline = record  # the account as it was when the person joined
            continue
        changes = reader.diff(previous, record) if previous is not None else []
        if changes:
            found.append(
                HistoryEntry(
                    record.history_date,
                    _who(record),
                    action("~"),
                    changes,
                    who_id=record.history_user_id,
                    streams={"account"},
                )
            )
        previous = record
    if created is not None and baseline is not None:
        created.changes[:0] = reader.values(baseline, skip=("username", "is_active"))
    return found


def _joined(created: HistoryEntry, record: Any) -> bool:
    """The account `record` is as it was when the person joined: saved before, or saved by
    whoever added the person in the same step."""
    return record.history_date <= created.when or (
        record.history_user_id == created.who_id
        and record.history_date - created.when <= STEP_WINDOW
    )


def _merged(found: list[HistoryEntry]) -> list[HistoryEntry]:
    """Oldest first; what one person saved together (within the step window) in different
    tables of one record reads as one step: the roles given when a person was added read in
    the step that added them, a name, a position and roles changed in one form in one step."""
    found.sort(key=lambda e: e.when)
    merged: list[HistoryEntry] = []
    for entry in found:
        last = merged[-1] if merged else None
        if (
            last is not None
            and not last.subject_label
            and not entry.subject_label
            and not last.removed
            and not entry.created
            and not entry.removed
            and not entry.reason
            and last.who_id == entry.who_id
            and entry.when - last.when <= STEP_WINDOW
            and not entry.streams & last.streams
        ):
            last.changes += entry.changes
            last.streams |= entry.streams
            continue
        merged.append(entry)
    return merged
