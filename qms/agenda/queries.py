"""Read-side of the agenda: the groups of a list and the month grid, each a fixed number of
queries whatever the number of obligations (asserted in tests/test_queries.py)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from qms.agenda.models import Obligation

PAGE_SIZE = 50
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def week_end(day: dt.date) -> dt.date:
    """The Sunday that ends `day`'s week (weeks start on Monday)."""
    return day + dt.timedelta(days=6 - day.weekday())


def _with_owner(queryset: QuerySet[Obligation]) -> QuerySet[Obligation]:
    return queryset.select_related("owner_person", "owner_unit")


@dataclass
class Groups:
    """Open obligations in the order people deal with them."""

    day: dt.date
    overdue: list[Obligation] = field(default_factory=list)
    this_week: list[Obligation] = field(default_factory=list)
    waiting: list[Obligation] = field(default_factory=list)
    later: Page | None = None

    @property
    def is_empty(self) -> bool:
        later = self.later.paginator.count if self.later is not None else 0
        return not (self.overdue or self.this_week or self.waiting or later)


def groups(queryset: QuerySet[Obligation], day: dt.date, page: str | None) -> Groups:
    """Overdue, this week (today to Sunday), later (paginated) and waiting for an event:
    3 queries (the near groups together; count and page of "later")."""
    end = week_end(day)
    result = Groups(day=day)
    near = _with_owner(queryset.filter(Q(due_date__lte=end) | Q(due_date__isnull=True)))
    for obligation in near.order_by("due_date", "pk"):
        if obligation.due_date is None:
            result.waiting.append(obligation)
        elif obligation.due_date < day:
            result.overdue.append(obligation)
        else:
            result.this_week.append(obligation)
    result.waiting.sort(key=lambda o: (o.waiting_for, o.pk))
    later = _with_owner(queryset.filter(due_date__gt=end)).order_by("due_date", "pk")
    result.later = Paginator(later, PAGE_SIZE).get_page(page)
    return result


def flat_page(queryset: QuerySet[Obligation], page: str | None) -> Page:
    """Done or cancelled obligations, latest due first: 2 queries (count, page)."""
    ordered = _with_owner(queryset).order_by("-due_date", "-pk")
    return Paginator(ordered, PAGE_SIZE).get_page(page)


def parse_month(text: str | None, day: dt.date) -> dt.date:
    """The first day of the month "2026-07"; the current month for anything else."""
    match = MONTH_RE.match(text or "")
    if match:
        year, month = int(match[1]), int(match[2])
        if 1900 <= year <= 2999 and 1 <= month <= 12:
            return dt.date(year, month, 1)
    return day.replace(day=1)


def shift_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class CalendarDay:
    date: dt.date
    in_month: bool
    is_today: bool
    obligations: list[Obligation] = field(default_factory=list)


def month_grid(
    queryset: QuerySet[Obligation], first: dt.date, day: dt.date
) -> list[list[CalendarDay]]:
    """Weeks (Monday first) covering the month of `first`, each day with the obligations
    due on it: 1 query."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        first.year, first.month
    )
    cells = {
        date: CalendarDay(date, date.month == first.month, date == day)
        for week in weeks
        for date in week
    }
    shown = _with_owner(queryset.filter(due_date__range=(weeks[0][0], weeks[-1][-1])))
    for obligation in shown.order_by("due_date", "pk"):
        assert obligation.due_date is not None
        cells[obligation.due_date].obligations.append(obligation)
    return [[cells[date] for date in week] for week in weeks]
