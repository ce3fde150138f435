"""The working-day calendar: Tết and Giỗ Tổ from the holidays library, the swaps the
administrator records, the page only the system administrator reaches, and the calendar every
computation reads (`working_calendar()`), rebuilt whenever a swap is added, edited or removed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qms.procedures import steps
from qms.procedures.calendar import working_calendar
from qms.procedures.models import WorkdayChange

D = dt.date
SWAPPED_SATURDAY = D(2026, 8, 22)  # worked for Monday 31/08/2026 off (Quốc khánh 2026)


def _worked_saturday() -> WorkdayChange:
    change = WorkdayChange(day=SWAPPED_SATURDAY, working=True, note="Làm bù cho ngày 31/08/2026")
    return steps.save_change(change)


def test_working_days_across_tet(db):
    calendar = working_calendar()
    # Received Friday 13/02/2026, the last working day before Tết Bính Ngọ (16–20/02).
    assert calendar.add(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert calendar.count(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert calendar.add(D(2026, 2, 12), 2) == D(2026, 2, 23)
    assert not calendar.is_working(D(2026, 4, 27))  # Giỗ Tổ falls on Sunday: Monday off
    assert calendar.add(D(2026, 2, 13), "1.5") == D(2026, 2, 24)  # a half day counts whole


def test_a_swapped_saturday_is_worked_once_recorded(db):
    before = working_calendar()
    assert not before.is_working(SWAPPED_SATURDAY)
    assert before.add(D(2026, 8, 21), 1) == D(2026, 8, 24)
    _worked_saturday()
    after = working_calendar()
    assert after.is_working(SWAPPED_SATURDAY)
    assert after.add(D(2026, 8, 21), 1) == SWAPPED_SATURDAY
    # Friday 28/08 + 1: 31/08 off (the library's day off), 01–02/09 Quốc khánh.
    assert after.add(D(2026, 8, 28), 1) == D(2026, 9, 3)
    assert after.count(D(2026, 8, 21), D(2026, 9, 3)) == 7  # 22, 24–28/08 and 03/09
    assert after.count(D(2026, 8, 21), D(2026, 8, 28)) == 6  # 22, 24, 25, 26, 27, 28


def test_the_calendar_is_rebuilt_when_a_change_is_added_edited_or_removed(db):
    first = working_calendar()
    assert working_calendar() is first  # cached while nothing changes
    change = _worked_saturday()
    added = working_calendar()
    assert added is not first and added.is_working(SWAPPED_SATURDAY)
    change.note = "Thông báo số 1234/TB-BNV"
    steps.save_change(change)
    noted = working_calendar()
    assert noted is not added  # any edit changes the key
    change.day, change.working = D(2026, 8, 24), False
    steps.save_change(change)
    moved = working_calendar()
    assert not moved.is_working(D(2026, 8, 24))
    assert not moved.is_working(SWAPPED_SATURDAY)
    pk = change.pk
    steps.remove_change(change)
    removed = working_calendar()
    assert removed.is_working(D(2026, 8, 24))
    assert WorkdayChange.history.filter(id=pk).count() == 4  # +, ~, ~, -


def test_a_change_that_moves_nothing_is_refused(db):
    with pytest.raises(ValidationError, match="vốn là ngày làm việc"):
        steps.save_change(WorkdayChange(day=D(2026, 8, 24), working=True))
    with pytest.raises(ValidationError, match="vốn là ngày nghỉ"):
        steps.save_change(WorkdayChange(day=D(2026, 2, 17), working=False))
    assert not WorkdayChange.objects.exists()


def test_the_library_swaps_are_read_from_its_own_table():
    assert steps.library_swaps(2026) == [steps.Swap(D(2026, 8, 31), D(2026, 8, 22))]
    assert steps.library_swaps(2025) == [steps.Swap(D(2025, 5, 2), D(2025, 4, 26))]
    assert len(steps.library_swaps(2015)) == 3
    assert steps.library_swaps(2018) == [steps.Swap(D(2018, 12, 31), D(2019, 1, 5))]
    assert steps.library_swaps(2027) == []


# --- the page ------------------------------------------------------------------------


def _url(year=2026):
    return reverse("procedures:calendar", args=[year])


@pytest.mark.parametrize("who", ["secretary", "head", "overseer", "staff"])
def test_only_the_system_administrator_reaches_the_calendar(cast, login, who):
    client = login(cast.users[who])
    response = client.get(_url())
    assert response.status_code == 403
    assert "Chỉ quản trị hệ thống được cập nhật lịch ngày làm việc." in response.content.decode()
    data = {"day": "22/08/2026", "working": "on", "note": "x"}
    assert client.post(_url(), data).status_code == 403
    assert not WorkdayChange.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    assert client.get(_url()).status_code == 302


def test_the_page_lists_the_holidays_in_vietnamese(cast, login):
    page = login(cast.users["admin"]).get(_url()).content.decode()
    assert "Lịch ngày làm việc năm 2026" in page
    assert "Tết Nguyên Đán" in page
    assert "17/02/2026" in page
    assert "Ngày Giỗ Tổ Hùng Vương" in page
    assert "Thư viện holidays cho nghỉ ngày 31/08/2026 thay cho ngày 22/08/2026" in page
    assert "Chưa ghi ngày làm bù, nghỉ bù nào cho năm này." in page


def test_the_administrator_adds_edits_and_removes_a_swap(cast, login):
    client = login(cast.users["admin"])
    data = {"day": "22/08/2026", "working": "on", "note": "Làm bù cho ngày 31/08/2026"}
    response = client.post(_url(), data)
    assert response.status_code == 302
    change = WorkdayChange.objects.get()
    assert change.day == SWAPPED_SATURDAY and change.working
    page = client.get(_url()).content.decode()
    assert "Đã ghi ngày làm bù, nghỉ bù." in page
    assert "Làm bù cho ngày 31/08/2026" in page
    edit = reverse("procedures:calendar_change", args=[change.pk])
    assert client.get(edit).status_code == 200
    data["note"] = "Thông báo số 1234/TB-BNV"
    assert client.post(edit, data).status_code == 302
    change.refresh_from_db()
    assert change.note == "Thông báo số 1234/TB-BNV"
    remove = reverse("procedures:calendar_change_remove", args=[change.pk])
    assert client.post(remove).status_code == 302
    assert not WorkdayChange.objects.exists()
    assert WorkdayChange.history.filter(id=change.pk).count() == 3
    assert "Đã xóa ngày làm bù, nghỉ bù." in client.get(_url()).content.decode()


def test_a_bad_swap_is_refused_with_a_reason(cast, login):
    client = login(cast.users["admin"])
    page = client.post(_url(), {"day": "24/08/2026", "working": "on"}).content.decode()
    assert "Ngày 24/08/2026 vốn là ngày làm việc" in page
    page = client.post(_url(), {"day": "32/08/2026"}).content.decode()
    assert "Nhập một ngày hợp lệ." in page
    assert not WorkdayChange.objects.exists()
    _worked_saturday()
    page = client.post(_url(), {"day": "22/08/2026", "working": "on"}).content.decode()
    assert WorkdayChange.objects.count() == 1
    assert "đã tồn tại" in page


def test_a_year_out_of_the_calendar_is_not_found(cast, login):
    client = login(cast.users["admin"])
    assert client.get(_url(1900)).status_code == 404
    assert client.get(_url(2101)).status_code == 404


def test_the_calendar_page_query_count_is_constant(cast, login):
    client = login(cast.users["admin"])
    client.get(_url())
    with CaptureQueriesContext(connection) as few:
        client.get(_url())
    for day in (D(2026, 1, 3), D(2026, 1, 10), D(2026, 1, 17), SWAPPED_SATURDAY):
        steps.save_change(WorkdayChange(day=day, working=True))
    client.get(_url())
    with CaptureQueriesContext(connection) as many:
        client.get(_url())
    assert len(many) == len(few)
