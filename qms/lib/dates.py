"""Calendar arithmetic shared by the apps."""

from __future__ import annotations

import calendar
import datetime as dt


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to that month's end (31/01 + 1 month → 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quarter_end(day: dt.date) -> dt.date:
    """The last day of the quarter `day` falls in."""
    last_month = (day.month - 1) // 3 * 3 + 3
    return dt.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
