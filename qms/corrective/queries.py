"""Reads of the nonconformity register: the filtered register, the rows of its export, and
what the management review and the quality objectives read (`for_review`,
`closed_on_time_rate`) — each a fixed number of queries whatever the number of rows.

An action is overdue when its obligation on the agenda is (qms.agenda: open and past its
due date, `Obligation.is_overdue`); the register counts those obligations, it has no rule of
its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import (
    CharField,
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse

from qms.agenda.models import Obligation
from qms.corrective.models import (
    CorrectiveAction,
    Nonconformity,
    Origin,
    closed_on_time,
)
from qms.organization.models import Agency, today

S = Nonconformity.Status
ACTION_KIND = "corrective.action"  # qms.corrective.services.ACTION_KIND


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    status: str = ""
    unit: int | None = None
    origin: str = ""
    overdue: bool = False

    def query(self) -> str:
        pairs = {
            "year": self.year or "",
            "status": self.status,
            "unit": self.unit or "",
            "origin": self.origin,
            "overdue": "1" if self.overdue else "",
        }
        return urlencode({k: v for k, v in pairs.items() if v != ""})


def overdue_obligations(day: dt.date) -> QuerySet[Obligation]:
    """The actions' obligations overdue on `day` (qms.agenda's rule: open, due before)."""
    return Obligation.objects.open().filter(kind=ACTION_KIND, due_date__lt=day)


def _of_this_nonconformity() -> Concat:
    return Concat(
        Value("corrective.nonconformity:"),
        Cast(OuterRef("pk"), output_field=CharField()),
        Value(":"),
        output_field=CharField(),
    )


def _overdue_count(day: dt.date) -> Coalesce:
    per_row = (
        overdue_obligations(day)
        .filter(agency=OuterRef("agency"), source__startswith=_of_this_nonconformity())
        .order_by()
        .values("agency")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_row, output_field=IntegerField()), Value(0))


def _last_due() -> Subquery:
    latest = (
        CorrectiveAction.objects.filter(nonconformity=OuterRef("pk"))
        .order_by()
        .values("nonconformity")
        .annotate(d=Max("due_date"))
        .values("d")
    )
    return Subquery(latest)


def register_rows(agency: Agency, filters: Filters, day: dt.date) -> QuerySet[Nonconformity]:
    """The register as filtered, newest first, each row with its number of overdue actions
    (`overdue_actions`) and the due date of its last action (`last_due`)."""
    rows = Nonconformity.objects.filter(agency=agency)
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.unit:
        rows = rows.filter(unit_id=filters.unit)
    if filters.origin:
        rows = rows.filter(origin=filters.origin)
    rows = rows.annotate(overdue_actions=_overdue_count(day), last_due=_last_due())
    if filters.overdue:
        rows = rows.filter(overdue_actions__gt=0)
    return rows.select_related("unit", "owner").order_by("-year", "-seq")


def export_rows(agency: Agency, filters: Filters, day: dt.date) -> list[Nonconformity]:
    """The register's rows with their actions (2 queries)."""
    return list(
        register_rows(agency, filters, day)
        .select_related("procedure", "raised_by", "verified_by")
        .prefetch_related("actions__owner")
    )


# --- for the management review and the quality objectives ------------------------------


def closed_on_time_rate(agency: Agency, start: dt.date, end: dt.date) -> float | None:
    """Per cent of the nonconformities closed from `start` to `end` that were closed on time
    (`models.closed_on_time`); None when none was closed (1 query)."""
    rows = list(
        Nonconformity.objects.filter(agency=agency, closed_on__range=(start, end))
        .annotate(last_due=_last_due())
        .values_list("closed_on", "last_due")
    )
    if not rows:
        return None
    on_time = sum(1 for closed, last in rows if closed_on_time(closed, last))
    return round(100 * on_time / len(rows), 2)


@dataclass
class Line:
    key: str
    label: str
    count: int
    url: str


@dataclass
class Review:
    """Nonconformities and corrective actions, an input of the management review (9.3.2)."""

    start: dt.date
    end: dt.date
    opened: int = 0
    closed: int = 0
    open_now: int = 0
    closed_on_time: int = 0
    overdue_actions: int = 0
    on_time_rate: float | None = None
    by_status: list[Line] = field(default_factory=list)
    by_origin: list[Line] = field(default_factory=list)
    by_unit: list[Line] = field(default_factory=list)
    url: str = ""
    overdue_url: str = ""


def for_review(agency: Agency, start: dt.date, end: dt.date) -> Review:
    """Opened and closed in the period, what is open by status, the actions overdue today,
    the on-time rate of closing, and the period's nonconformities by origin and by unit,
    each with the link to the register filtered — 5 queries whatever the rows."""
    register = reverse("corrective:register", args=[agency.pk])
    rows = Nonconformity.objects.filter(agency=agency)
    opened_q = Q(raised_on__range=(start, end))
    counts = rows.aggregate(
        opened=Count("pk", filter=opened_q),
        closed=Count("pk", filter=Q(closed_on__range=(start, end))),
        open_now=Count("pk", filter=~Q(status=S.CLOSED)),
        **{f"s_{code}": Count("pk", filter=Q(status=code)) for code in S.values},
    )
    review = Review(start, end, opened=counts["opened"], closed=counts["closed"],
                    open_now=counts["open_now"], url=register)  # fmt: skip
    review.by_status = [
        Line(code, str(label), counts[f"s_{code}"], f"{register}?{Filters(status=code).query()}")
        for code, label in S.choices
        if code != S.CLOSED
    ]
    closed = list(
        rows.filter(closed_on__range=(start, end))
        .annotate(last_due=_last_due())
        .values_list("closed_on", "last_due")
    )
    review.closed_on_time = sum(1 for c, last in closed if closed_on_time(c, last))
    if closed:
        review.on_time_rate = round(100 * review.closed_on_time / len(closed), 2)
    review.overdue_actions = overdue_obligations(today()).filter(agency=agency).count()
    review.overdue_url = f"{register}?{Filters(overdue=True).query()}"
    in_period = rows.filter(opened_q).order_by()
    origins = dict(Origin.choices)
    review.by_origin = [
        Line(
            r["origin"],
            str(origins.get(r["origin"], r["origin"])),
            r["n"],
            f"{register}?{Filters(origin=r['origin']).query()}",
        )  # fmt: skip
        for r in in_period.values("origin").annotate(n=Count("pk")).order_by("-n", "origin")
    ]
    review.by_unit = [
        Line(
            str(r["unit"]), r["unit__name"], r["n"], f"{register}?{Filters(unit=r['unit']).query()}"
        )  # fmt: skip
        for r in in_period.values("unit", "unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__name")
    ]
    return review
