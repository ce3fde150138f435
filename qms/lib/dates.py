"""Calendar arithmetic shared by the apps.

Every date a user enters lies between EARLIEST and LATEST (checked by every form through
`qms.lib.forms.StyledFormMixin`), but rows written before that rule, or by scripts, may hold
31/12/9999: the arithmetic here never raises on them. A result beyond the calendar Python
can represent is clamped to its first or last day, so a page showing such a row still renders
(with an absurd date the user can see and correct) instead of failing for good.
"""

from __future__ import annotations

import calendar
import datetime as dt

# The dates an agency's quality system can be about: ISO 9001 in Vietnam's administration
# dates from the 1990s, and nothing is planned past this century.
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)


def add_days(day: dt.date, days: int) -> dt.date:
    """`day` + `days`, clamped to date.min … date.max instead of an OverflowError."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to that month's end (31/01 + 1 month → 28/02),
    and to date.min … date.max at the ends of the calendar."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quarter_end(day: dt.date) -> dt.date:
    """The last day of the quarter `day` falls in."""
    last_month = (day.month - 1) // 3 * 3 + 3
    return dt.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
