"""A minimal iCalendar (RFC 5545) writer for the agenda's feed: all-day events only.

Written by hand because it is small: TEXT values are escaped (§3.3.11), lines are folded at
75 octets without splitting a UTF-8 character (§3.1), and every line ends with CRLF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from qms.lib.dates import add_days

CRLF = "\r\n"
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets; continuation lines start with
    a space (which counts in their 75)."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > LINE_OCTETS:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += octets
    parts.append(current)
    return CRLF.join(parts)


def _uri(value: str) -> str:
    """A URI value is not escaped, but must stay on one logical line."""
    return value.replace("\r", "").replace("\n", "")


@dataclass(frozen=True)
class Event:
    uid: str
    day: dt.date
    summary: str
    url: str
    description: str
    categories: str = ""
    modified: dt.datetime | None = None


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: Event, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{add_days(event.day, 1):%Y%m%d}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"URL:{_uri(event.url)}",
        f"DESCRIPTION:{escape_text(event.description)}",
    ]
    if event.categories:
        lines.append(f"CATEGORIES:{escape_text(event.categories)}")
    if event.modified is not None:
        lines.append(f"LAST-MODIFIED:{_stamp(event.modified)}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def calendar(name: str, events: Iterable[Event], now: dt.datetime) -> str:
    """The whole VCALENDAR, CRLF-terminated."""
    stamp = _stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ISO dien tu//qms agenda//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-PUBLISHED-TTL:PT1H",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    ]
    for event in events:
        lines += _event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
