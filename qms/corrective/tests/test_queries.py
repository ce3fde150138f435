"""What the management review and the quality objectives read: `for_review` in a constant
number of queries, ageing, days to close and closed on time computed in one place, and the
objective source "corrective actions closed on time"."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from qms.corrective import queries, services
from qms.corrective.models import Nonconformity, ageing_days, closed_on_time, days_to_close
from qms.corrective.tests.builders import action, analysed, nonconformity, walk
from qms.objectives import services as objective_services
from qms.objectives import sources
from qms.objectives.tests.builders import objective
from qms.organization.models import Unit

D = dt.date
S = Nonconformity.Status


def _closed(cast, *, due, closed, unit=None, origin="daily_work"):
    """A nonconformity closed on `closed` whose only action was due on `due`."""
    users = cast.users
    nc = nonconformity(cast.a, users["staff"], owner=users["unit_head"], unit=unit,
                       origin=origin, raised_on=D(2026, 1, 5))  # fmt: skip
    walk(nc, cast.a, [("accept", users["secretary"])])
    analysed(nc, users["unit_head"])
    walk(nc, cast.a, [("analyse", users["unit_head"])])
    done = action(nc, users["staff"], due=due)
    walk(nc, cast.a, [("start", users["unit_head"])])
    services.mark_done(done, users["staff"], D(2026, 1, 20), "Xong")
    walk(nc, cast.a, [("request_verification", users["unit_head"])])
    walk(nc, cast.a, [("close", users["secretary"])], verified_on=closed, note="Có hiệu lực")
    return nc


def test_ageing_days_to_close_and_on_time_are_computed_in_one_place():
    assert ageing_days(D(2026, 1, 1), None, D(2026, 1, 31)) == 30
    assert ageing_days(D(2026, 1, 1), D(2026, 1, 11), D(2026, 3, 1)) == 10
    assert days_to_close(D(2026, 1, 1), None) is None
    assert days_to_close(D(2026, 1, 1), D(2026, 2, 1)) == 31
    assert closed_on_time(None, D(2026, 1, 1)) is None
    assert closed_on_time(D(2026, 1, 31), D(2026, 1, 31)) is True
    assert closed_on_time(D(2026, 2, 1), D(2026, 1, 31)) is False
    assert closed_on_time(D(2026, 2, 1), None) is True


def test_the_closed_on_time_rate(cast):
    year = (D(2026, 1, 1), D(2026, 12, 31))
    assert queries.closed_on_time_rate(cast.a, *year) is None
    _closed(cast, due=D(2026, 3, 31), closed=D(2026, 3, 1))
    _closed(cast, due=D(2026, 1, 31), closed=D(2026, 3, 1))
    _closed(cast, due=D(2026, 4, 30), closed=D(2026, 4, 30))
    assert queries.closed_on_time_rate(cast.a, *year) == 66.67
    assert queries.closed_on_time_rate(cast.a, D(2026, 4, 1), D(2026, 4, 30)) == 100.0
    assert queries.closed_on_time_rate(cast.b, *year) is None


def test_for_review_in_a_constant_number_of_queries(cast):
    other = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    start, end = D(2026, 1, 1), D(2026, 12, 31)
    _closed(cast, due=D(2026, 3, 31), closed=D(2026, 3, 1))
    with CaptureQueriesContext(connection) as few:
        queries.for_review(cast.a, start, end)
    _closed(cast, due=D(2026, 1, 31), closed=D(2026, 3, 1), origin="feedback", unit=other)
    for _ in range(3):
        nc = nonconformity(cast.a, cast.users["staff"], owner=cast.users["unit_head"],
                           origin="feedback", unit=other)  # fmt: skip
        walk(nc, cast.a, [("accept", cast.users["secretary"])])
        action(nc, cast.users["staff"], due=D(2026, 2, 1))  # overdue today
    nonconformity(cast.a, cast.users["staff"], raised_on=D(2025, 6, 1))  # not in the period
    with CaptureQueriesContext(connection) as many:
        review = queries.for_review(cast.a, start, end)
    assert len(many) == len(few) == 5
    assert (review.opened, review.closed, review.open_now) == (5, 2, 4)
    assert (review.closed_on_time, review.on_time_rate, review.overdue_actions) == (1, 50.0, 3)
    statuses = {line.key: line.count for line in review.by_status}
    assert statuses["analysis"] == 3 and statuses["draft"] == 1 and "closed" not in statuses
    assert [(line.key, line.count) for line in review.by_origin] == [
        ("feedback", 4),
        ("daily_work", 1),
    ]
    assert review.by_unit[0].label == "Phòng Quản lý xây dựng" and review.by_unit[0].count == 4
    assert review.by_origin[0].url.endswith("?origin=feedback")
    assert review.overdue_url.endswith("?overdue=1")


def test_an_objective_computes_the_rate_of_corrective_actions_closed_on_time(cast):
    assert "corrective_on_time" in sources.COMPUTED
    _closed(cast, due=D(2026, 3, 31), closed=D(2026, 3, 1))
    _closed(cast, due=D(2026, 1, 31), closed=D(2026, 3, 10))
    target = objective(cast.a, year=2026, source="corrective_on_time", status="issued",
                       target=Decimal("90"), statement="Khắc phục đúng hạn")  # fmt: skip
    assert objective_services.measure_due(cast.a, D(2026, 7, 1)) == 1  # Q1 only: Q2 has none
    measured = target.measurements.get()
    assert (measured.period_key, measured.value, measured.achieved) == (
        "2026-Q1",
        Decimal("50.00"),
        False,
    )
