"""Working days as the one-stop desk counts them: weekends and public holidays (Tết and Giỗ
Tổ from the lunar calendar) are not worked, an announced swap moves a day either way."""

from datetime import date

import pytest

from qms.lib.workdays import Calendar, Change

CALENDAR = Calendar.build()


def test_a_dossier_received_before_tet_is_due_after_it():
    # Tết Bính Ngọ: 16/02/2026 (eve) to 20/02/2026 are days off.
    assert CALENDAR.add(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert CALENDAR.add(date(2026, 2, 12), 3) == date(2026, 2, 24)
    assert CALENDAR.count(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_gio_to_hung_vuong_follows_the_lunar_calendar():
    # 10/3 âm lịch: 26/04/2026 (a Sunday, made up on Monday 27/04), 16/04/2027 (a Friday).
    assert not CALENDAR.is_working(date(2026, 4, 27))
    assert not CALENDAR.is_working(date(2027, 4, 16))
    assert CALENDAR.add(date(2027, 4, 15), 1) == date(2027, 4, 19)


def test_an_announced_swap_moves_a_day_either_way():
    worked = date(2026, 8, 22)  # a Saturday worked for the bridge day of 31/08/2026
    assert not CALENDAR.is_working(worked)
    swapped = Calendar.build([Change(worked, working=True), Change(date(2026, 12, 31), False)])
    assert swapped.is_working(worked)
    assert swapped.add(date(2026, 8, 21), 1) == worked
    assert not swapped.is_working(date(2026, 12, 31))
    assert swapped.add(date(2026, 12, 30), 1) == date(2027, 1, 4)  # 01/01 off, then a weekend


HALVES = [(0, date(2026, 3, 2)), (0.5, date(2026, 3, 3)), (1.5, date(2026, 3, 4))]


@pytest.mark.parametrize(("days", "due"), [*HALVES, (15, date(2026, 3, 23))])
def test_half_days_reach_the_end_of_the_day_they_start(days, due):
    assert CALENDAR.add(date(2026, 3, 2), days) == due


def test_a_date_outside_the_kept_span_is_still_counted():
    assert Calendar.build(years=[2200]).add(date(2200, 1, 2), 1) == date(2200, 1, 3)
    assert CALENDAR.count(date(2026, 3, 9), date(2026, 3, 2)) == 0
