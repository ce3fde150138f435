"""Working days in Việt Nam: the one calendar every deadline in working days is counted on.

Public holidays, the lunar ones included (Tết Nguyên đán, Giỗ Tổ Hùng Vương), come from the
maintained `holidays` library; each year the government announces swaps (a Saturday worked to
make a bridge day off), which an administrator records as changes (`Change`): a day off that
would otherwise be worked, or a day worked that would otherwise be off. A change always wins
over the library and the weekend.

    cal = Calendar.build(changes=[Change(date(2026, 8, 22), working=True)])
    cal.add(date(2026, 2, 13), 1)        # Friday before Tết -> Monday 23/02/2026
    cal.count(date(2026, 2, 13), date(2026, 2, 23))  # 1

Pure: it reads no database; the app that keeps the changes builds the calendar from them.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

import holidays

# Far enough for any deadline a dossier or a plan can have, near enough to stay cheap.
FIRST_YEAR, LAST_YEAR = 2000, 2100
SATURDAY = 5


@dataclass(frozen=True)
class Change:
    """A day the government's announcement moves: `working=True` for a day worked (làm bù),
    False for a day off (nghỉ bù) that the library does not know."""

    day: date
    working: bool
    note: str = ""


@dataclass(frozen=True)
class Calendar:
    off: frozenset[date]  # weekdays off: public holidays and announced days off
    worked: frozenset[date] = field(default_factory=frozenset)  # weekend days worked

    @classmethod
    def build(cls, changes: Iterable[Change] = (), years: Iterable[int] | None = None) -> Calendar:
        """The library's holidays for `years` (default: every year a deadline may touch),
        with the announced changes applied over them."""
        span = list(years) if years is not None else list(range(FIRST_YEAR, LAST_YEAR + 1))
        off = set(holidays.country_holidays("VN", years=span))
        worked: set[date] = set()
        for change in changes:
            if change.working:
                off.discard(change.day)
                worked.add(change.day)
            else:
                off.add(change.day)
                worked.discard(change.day)
        return cls(frozenset(off), frozenset(worked))

    def is_working(self, day: date) -> bool:
        if day in self.worked:
            return True
        return day.weekday() < SATURDAY and day not in self.off

    @cached_property
    def _working(self) -> list[int]:
        """Ordinals of every working day of the span, in order: deadlines and durations
        become a binary search and a subtraction (a million dossiers are counted in seconds)."""
        first, last = date(FIRST_YEAR, 1, 1).toordinal(), date(LAST_YEAR, 12, 31).toordinal()
        return [n for n in range(first, last + 1) if self.is_working(date.fromordinal(n))]

    def _rank(self, day: date) -> int:
        """How many working days of the span come on or before `day`."""
        ordinal = day.toordinal()
        return bisect_left(self._working, ordinal + 1)

    def add(self, start: date, days: Decimal | float | int) -> date:
        """The day `days` working days after `start` (not counted itself): the deadline of
        work received on `start`. A half day counts as a whole one on the calendar (work due
        "within 1.5 days" is due by the end of the second)."""
        whole = math.ceil(Decimal(str(days)))
        if whole <= 0:
            return start
        index = self._rank(start) + whole - 1
        if not FIRST_YEAR <= start.year <= LAST_YEAR or index >= len(self._working):
            return self._walk(start, whole)
        return date.fromordinal(self._working[index])

    def _walk(self, start: date, whole: int) -> date:
        # Outside the span the calendar keeps (a typing mistake in a year): day by day.
        day = start
        while whole > 0:
            day += timedelta(days=1)
            whole -= self.is_working(day)
        return day

    def count(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` is not later):
        how long work received on `start` and finished on `end` took."""
        if end <= start:
            return 0
        return self._rank(end) - self._rank(start)

    def next_working(self, day: date) -> date:
        """`day` itself if worked, else the first working day after it."""
        while not self.is_working(day):
            day += timedelta(days=1)
        return day
