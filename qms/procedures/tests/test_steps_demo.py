"""The demo's steps: the first active TTHC of each demo agency, by national code, get a
one-stop sequence within their time; the 2026 Saturday worked is recorded; a second run
changes nothing."""

import datetime as dt
from decimal import Decimal

from conftest import _agency
from qms.organization.models import Unit
from qms.procedures import demo_steps, steps
from qms.procedures.models import DayKind, ProcessStep, WorkdayChange
from qms.procedures.tests.matrix_steps import handling_for


def test_nothing_to_do_without_the_demo_agencies(cast):
    demo_steps.load()
    assert not ProcessStep.objects.exists()
    change = WorkdayChange.objects.get()
    assert change.day == dt.date(2026, 8, 22) and change.working
    assert "31/08/2026" in change.note


def test_the_first_active_tthc_get_one_stop_steps_within_their_time(cast):
    agency = _agency(cast.a.province, "Ban Quản lý Khu kinh tế Hải Phòng")
    Unit.objects.create(agency=agency, name="Bộ phận Một cửa", kind=Unit.Kind.ONE_STOP_UNIT)
    division = Unit.objects.create(agency=agency, name="Phòng Quản lý đầu tư")
    made = [
        handling_for(agency, division, statutory="15", committed="10"),
        handling_for(agency, division, statutory="3", committed="2.5"),
        handling_for(agency, division, statutory="1", committed=None),  # too short: skipped
        handling_for(agency, division, statutory="30", committed=None, day_kind=DayKind.CALENDAR),
        handling_for(agency, None, statutory=None, committed=None),  # no time: skipped
        handling_for(agency, division, statutory="20", committed="12"),  # made inactive
        handling_for(agency, division, statutory="20", committed="12"),
        handling_for(agency, division, statutory="20", committed="12"),  # a fifth: left
    ]
    made[5].is_active = False
    made[5].save()
    demo_steps.load()
    demo_steps.load()  # a second run adds nothing
    with_steps = [h for h in made if h.steps.exists()]
    assert with_steps == [made[0], made[1], made[3], made[6]]
    for handling in with_steps:
        rows = list(handling.steps.all())
        total = sum(s.days for s in rows)
        limits = steps.Limits.of(handling)
        assert total <= min(d for d in (limits.committed, limits.statutory_working) if d)
        assert rows[0].action.startswith("Tiếp nhận hồ sơ tại Bộ phận Một cửa")
        assert rows[0].responsible == "Bộ phận Một cửa"
        assert rows[-1].action.startswith("Trả kết quả")
        assert all(s.days > 0 and s.days % Decimal("0.5") == 0 for s in rows)
    assert sum(s.days for s in made[0].steps.all()) == 10
    assert sum(s.days for s in made[3].steps.all()) == 20  # 30 calendar days hold 20
    assert [s.order for s in made[0].steps.all()] == [1, 2, 3, 4, 5, 6]
    assert WorkdayChange.objects.count() == 1
