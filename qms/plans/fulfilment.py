"""The record that fulfils a plan task — a registry of record kinds any app offers.

A plan task ("Ban hành Bộ tài liệu ISO", "Kiện toàn Ban Chỉ đạo ISO") is fulfilled by a
record another app keeps: a decision, a document set, later an audit report or a review's
minutes. The app offers its kind once, from its AppConfig.ready():

    from qms.plans import fulfilment

    fulfilment.register(fulfilment.RecordKind.from_queryset(
        "documents.documentset",                      # stored in PlanTask.fulfilled_by
        _("Decision issuing a document set"),        # a lazy translation
        lambda agency: DocumentSet.objects.filter(agency=agency, paper__status="issued")
        .select_related("paper__agency", "paper__drafting_unit"),  # what str() reads
    ))

The queryset function gives the agency's records that may fulfil a task, newest first; it is
the only place the agency is checked, so it must filter on it. A task stores
"<kind key>:<pk>"; `resolve` turns that back into (label, url) within the task's agency —
never another agency's record. A kind whose records are many writes its own `candidates`
(e.g. by search) instead of using `from_queryset`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.functional import Promise

if TYPE_CHECKING:
    from qms.organization.models import Agency

__all__ = ["CANDIDATES", "RecordKind", "choices", "kinds", "register", "resolve"]

# How many of an agency's latest records of each kind the chooser offers.
CANDIDATES = 100


@dataclass(frozen=True)
class RecordKind:
    key: str  # "<app label>.<model>", e.g. "organization.committeedecision"
    label: str | Promise
    # (pk, text) of the agency's records of this kind, newest first, at most `limit`: one query.
    candidates: Callable[[Agency, int], list[tuple[int, str]]]
    # (text, url) of the agency's record `pk`, or None if the agency has no such record.
    find: Callable[[Agency, int], tuple[str, str] | None]

    @classmethod
    def from_queryset(
        cls, key: str, label: str | Promise, records: Callable[[Agency], QuerySet[Any]]
    ) -> RecordKind:
        """A kind whose records are `records(agency)` (already filtered on the agency)."""

        def candidates(agency: Agency, limit: int) -> list[tuple[int, str]]:
            return [(record.pk, str(record)) for record in records(agency)[:limit]]

        def find(agency: Agency, pk: int) -> tuple[str, str] | None:
            record = records(agency).filter(pk=pk).first()
            return None if record is None else (str(record), record.get_absolute_url())

        return cls(key, label, candidates, find)


_KINDS: dict[str, RecordKind] = {}


def register(kind: RecordKind) -> None:
    if ":" in kind.key or not kind.key:
        raise ValueError(f"A record kind's key has no ':': {kind.key!r}")
    known = _KINDS.get(kind.key)
    if known is not None and known is not kind:
        raise ValueError(f"Record kind {kind.key!r} is already registered")
    _KINDS[kind.key] = kind


def kinds() -> list[RecordKind]:
    return list(_KINDS.values())


def _parse(value: str) -> tuple[RecordKind, int] | None:
    key, _sep, pk = value.partition(":")
    kind = _KINDS.get(key)
    if kind is None or not pk.isdigit() or len(pk) > 18:
        return None
    return kind, int(pk)


def resolve(agency: Agency, value: str) -> tuple[str, str] | None:
    """(label, url) of the stored "<kind>:<pk>" if that record is the agency's (one query)."""
    parsed = _parse(value)
    if parsed is None:
        return None
    kind, pk = parsed
    found = kind.find(agency, pk)
    if found is None:
        return None
    text, url = found
    return f"{kind.label} {text}", url


def choices(agency: Agency, limit: int | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The chooser's groups: per registered kind (one query each), its latest records
    (CANDIDATES unless `limit` says otherwise)."""
    limit = CANDIDATES if limit is None else limit
    groups = []
    for kind in _KINDS.values():
        options = [(f"{kind.key}:{pk}", text) for pk, text in kind.candidates(agency, limit)]
        if options:
            groups.append((str(kind.label), options))
    return groups
