"""Date arithmetic never raises on the extreme dates old rows may hold."""

import datetime as dt

from qms.lib.dates import EARLIEST, LATEST, add_days, months_later, quarter_end

D = dt.date


def test_months_later_clamps_to_the_end_of_the_month():
    assert months_later(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert months_later(D(2024, 11, 30), 3) == D(2025, 2, 28)
    assert months_later(D(2026, 5, 15), -5) == D(2025, 12, 15)


def test_months_later_stays_inside_the_calendar():
    assert months_later(D(9999, 12, 31), 3) == dt.date.max
    assert months_later(D(9999, 10, 31), 3) == dt.date.max
    assert months_later(D(1, 2, 1), -3) == dt.date.min


def test_add_days_stays_inside_the_calendar():
    assert add_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
    assert add_days(D(9999, 12, 31), 30) == dt.date.max
    assert add_days(D(1, 1, 1), -15) == dt.date.min


def test_quarter_end_and_the_sane_range():
    assert quarter_end(D(9999, 12, 31)) == D(9999, 12, 31)
    assert quarter_end(D(2026, 8, 2)) == D(2026, 9, 30)
    assert D(1990, 1, 1) == EARLIEST
    assert D(2100, 12, 31) == LATEST
