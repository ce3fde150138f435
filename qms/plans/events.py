"""The events a plan's relative tasks wait for — a catalogue the owning apps fill.

A task's timing may count from an event ("30 ngày kể từ ngày Quyết định ban hành Bộ tài
liệu ISO có hiệu lực"); the event is recorded with its date on the plan and the task gets its
due date. The app that owns what happens registers the event, once, from its AppConfig.ready():

    from qms.plans import events

    events.register(events.Event(
        key="document_set_effective",                   # stored in timings and PlanEvent
        label="Bộ tài liệu ISO mới có hiệu lực",        # short name for choosers
        since="ngày Quyết định ban hành Bộ tài liệu ISO có hiệu lực",   # "N ngày kể từ …"
        before="ngày Quyết định ban hành Bộ tài liệu ISO có hiệu lực",  # "N ngày trước …"
        when="Quyết định ban hành Bộ tài liệu ISO có hiệu lực",         # "ngay sau khi …"
        condition="ban hành Bộ tài liệu ISO mới",       # "(Trường hợp … thì …)"
        words=("tài liệu iso", "hiệu lực"),              # how typed text names it otherwise
    ))

and records it on the agency's plans through `qms.plans.services.record_event`. An agency may
also define its own events (AgencyEvent, key "agency:<id>"); `catalogue(agency)` is what one
agency sees: every registered event, then its own, loaded from the database once, when first
needed. The wording is plain Vietnamese text: plans are Vietnamese documents.

This module imports no Django at import time, so the pure rule engine (timing.py) uses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qms.organization.models import Agency

__all__ = [
    "AGENCY_PREFIX",
    "Event",
    "agency_key",
    "catalogue",
    "forget",
    "is_agency_key",
    "label",
    "register",
    "registered",
]


@dataclass(frozen=True)
class Event:
    """A catalogue entry: something a relative rule waits for, with its wording."""

    key: str
    label: str  # short name for the UI
    since: str  # after "N ngày kể từ "
    before: str  # after "N ngày trước "
    when: str  # after "ngay sau khi "
    condition: str  # in "(Trường hợp <condition> thì ...)"
    # Lower-case words that name the event in text worded otherwise than the phrases above
    # ("10 ngày kể từ ngày họp xem xét lãnh đạo"); reading typed timing uses them.
    words: tuple[str, ...] = ()


# Keys of the events an agency defines itself: "agency:<AgencyEvent.pk>".
AGENCY_PREFIX = "agency:"
_AGENCY_KEY = re.compile(r"agency:[1-9]\d{0,17}")
_KEY = re.compile(r"[a-z][a-z0-9_.]{0,39}")

_REGISTERED: dict[str, Event] = {}


def register(event: Event) -> None:
    """Add an app's event to every agency's catalogue (from AppConfig.ready())."""
    if not _KEY.fullmatch(event.key):
        raise ValueError(f"An event key is lower-case letters, digits, '_' or '.': {event.key!r}")
    known = _REGISTERED.get(event.key)
    if known is not None and known != event:
        raise ValueError(f"Event {event.key!r} is already registered with other wording")
    _REGISTERED[event.key] = event


def registered() -> Mapping[str, Event]:
    """The events the apps registered, in registration order (read-only)."""
    return MappingProxyType(_REGISTERED)


def agency_key(pk: int) -> str:
    return f"{AGENCY_PREFIX}{pk}"


def is_agency_key(key: str) -> bool:
    return bool(_AGENCY_KEY.fullmatch(key))


class AgencyCatalogue(Mapping[str, Event]):
    """The registered events, then the agency's own; its own are read with one query, the
    first time one of them (or the whole list) is needed — never for built-in keys."""

    def __init__(self, agency_id: int) -> None:
        self.agency_id = agency_id
        self._own: dict[str, Event] | None = None

    def own(self) -> dict[str, Event]:
        if self._own is None:
            from qms.plans.models import AgencyEvent

            rows = AgencyEvent.objects.filter(agency_id=self.agency_id).order_by("label", "pk")
            self._own = {row.key: row.as_event() for row in rows}
        return self._own

    def __getitem__(self, key: str) -> Event:
        if key in _REGISTERED:
            return _REGISTERED[key]
        if is_agency_key(key):
            return self.own()[key]
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        return key in _REGISTERED or (is_agency_key(key) and key in self.own())

    def __iter__(self) -> Iterator[str]:
        yield from _REGISTERED
        yield from self.own()

    def __len__(self) -> int:
        return len(_REGISTERED) + len(self.own())


_CACHE = "_qms_plan_events"


def catalogue(agency: Agency) -> AgencyCatalogue:
    """What `agency` may wait for; kept on the agency object, so one page reads the agency's
    own events at most once."""
    found = getattr(agency, _CACHE, None)
    if not isinstance(found, AgencyCatalogue):
        found = AgencyCatalogue(agency.pk)
        setattr(agency, _CACHE, found)
    return found


def label(agency: Agency, key: str | None) -> str:
    """The name of the event `key` in the agency's catalogue ("" for none; the key itself if
    it has left the catalogue)."""
    if not key:
        return ""
    found = catalogue(agency).get(key)
    return found.label if found is not None else key


def forget(agency: Agency) -> None:
    """Drop the catalogue kept on `agency` (after its own events changed)."""
    if hasattr(agency, _CACHE):
        delattr(agency, _CACHE)


# ---------------------------------------------------------------------------------------
# Events of apps that do not exist yet: registered by plans (PlansConfig.ready) until the
# management review, internal audit, inspection and TTHC catalogue apps exist and register
# their own. Their wording is the seed plans'. "UBND cấp tỉnh" rather than "UBND tỉnh": the
# Hải Phòng plan's approver is a thành phố trực thuộc trung ương, and "cấp tỉnh" is the legal
# term covering both.
UNTIL_THEIR_APPS_EXIST = (
    Event(
        key="management_review_held",
        label="Họp xem xét của lãnh đạo",
        since="ngày họp xem xét của lãnh đạo",
        before="ngày họp xem xét của lãnh đạo",
        when="họp xem xét của lãnh đạo",
        condition="tổ chức họp xem xét của lãnh đạo",
        words=("xem xét của lãnh đạo", "xem xét lãnh đạo"),
    ),
    Event(
        key="inspection_notice",
        label="Thông báo kiểm tra của cơ quan có thẩm quyền",
        since="ngày có thông báo kiểm tra của cơ quan có thẩm quyền",
        before="khi có thông báo kiểm tra của cơ quan có thẩm quyền",
        when="có thông báo kiểm tra của cơ quan có thẩm quyền",
        condition="có thông báo kiểm tra của cơ quan có thẩm quyền",
        words=("thông báo kiểm tra",),
    ),
    Event(
        key="tthc_catalogue_approved",
        label="UBND cấp tỉnh phê duyệt danh mục thủ tục hành chính",
        since="ngày có văn bản của UBND cấp tỉnh về việc phê duyệt danh mục thủ tục hành chính",
        before="khi có văn bản của UBND cấp tỉnh về việc phê duyệt danh mục thủ tục hành chính",
        when=(
            "có văn bản của UBND cấp tỉnh về việc phê duyệt danh mục thủ tục hành chính"
            " thuộc thẩm quyền của cơ quan"
        ),
        condition="có văn bản của UBND cấp tỉnh về việc phê duyệt danh mục thủ tục hành chính",
        words=("danh mục thủ tục hành chính", "danh mục tthc"),
    ),
    Event(
        key="internal_audit_held",
        label="Kết thúc đánh giá nội bộ",
        since="ngày kết thúc đánh giá nội bộ",
        before="ngày kết thúc đánh giá nội bộ",
        when="kết thúc đánh giá nội bộ",
        condition="tổ chức đánh giá nội bộ",
        words=("đánh giá nội bộ",),
    ),
)
