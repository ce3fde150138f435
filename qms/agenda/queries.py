"""Read-side of the agenda: the groups of a list and the month grid, each a fixed number of
queries whatever the number of obligations (asserted in tests/test_queries.py)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from qms.agenda.models import Obligation

PAGE_SIZE = 50
# "Việc của tôi" shows up to four groups on one page: 25 rows each keeps it to 100 rows.
GROUP_PAGE_SIZE = 25
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def week_end(day: dt.date) -> dt.date:
    """The Sunday that ends `day`'s week (weeks start on Monday)."""
    return day + dt.timedelta(days=6 - day.weekday())


def _with_owner(queryset: QuerySet[Obligation]) -> QuerySet[Obligation]:
    return queryset.select_related("owner_person", "owner_unit")


# The query-string parameter that pages each group ("later" keeps the plain "page").
GROUP_PARAMS = {
    "overdue": "page_overdue",
    "this_week": "page_week",
    "waiting": "page_waiting",
    "later": "page",
}


def _page(queryset: QuerySet[Obligation], count: int, number: str | None) -> Page:
    """A page of `queryset` whose size is already known: 1 query, none when it is empty."""
    if count == 0:
        return Paginator([], GROUP_PAGE_SIZE).page(1)  # an empty first page, no query
    paginator = Paginator(queryset, GROUP_PAGE_SIZE)
    paginator.count = count  # type: ignore[misc]  # known from the counts: no COUNT query
    return paginator.get_page(number)


@dataclass
class Groups:
    """Open obligations in the order people deal with them, each group one page of at most
    GROUP_PAGE_SIZE rows: `overdue`, `this_week` and `waiting` are the rows of their page
    (lists), `pages` every group's Page (its paginator knows the group's total)."""

    day: dt.date
    overdue: list[Obligation] = field(default_factory=list)
    this_week: list[Obligation] = field(default_factory=list)
    waiting: list[Obligation] = field(default_factory=list)
    later: Page | None = None
    pages: dict[str, Page] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(page.paginator.count for page in self.pages.values())

    @property
    def is_empty(self) -> bool:
        return self.total == 0


def groups(queryset: QuerySet[Obligation], day: dt.date, pages: Mapping[str, str | None]) -> Groups:
    """Overdue, this week (today to Sunday), later and waiting for an event, each paginated
    by its own parameter (GROUP_PARAMS): 1 query counts every group, then 1 query for the
    page of each group that is not empty, so at most 5 whatever the number of rows."""
    end = week_end(day)
    wheres = {
        "overdue": Q(due_date__lt=day),
        "this_week": Q(due_date__gte=day, due_date__lte=end),
        "waiting": Q(due_date__isnull=True),
        "later": Q(due_date__gt=end),
    }
    counts = queryset.order_by().aggregate(
        **{name: Count("pk", filter=where) for name, where in wheres.items()}
    )
    orders = {"waiting": ("waiting_for", "pk")}
    result = Groups(day=day)
    for name, where in wheres.items():
        rows = _with_owner(queryset.filter(where)).order_by(*orders.get(name, ("due_date", "pk")))
        result.pages[name] = _page(rows, counts[name] or 0, pages.get(GROUP_PARAMS[name]))
    result.overdue = list(result.pages["overdue"])
    result.this_week = list(result.pages["this_week"])
    result.waiting = list(result.pages["waiting"])
    result.later = result.pages["later"]
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
