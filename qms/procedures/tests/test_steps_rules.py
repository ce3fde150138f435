"""The rules on a TTHC's steps, as the ISO secretary meets them on the steps page: halves,
nothing at or below zero, the total within the committed and the statutory time (working or
calendar days), and nothing saved when anything is refused."""

from decimal import Decimal

import pytest
from django.urls import reverse

from qms.organization.models import Unit
from qms.procedures import steps
from qms.procedures.models import DayKind, ProcessStep
from qms.procedures.tests.matrix_steps import handling_for


def _office(cast):
    return Unit.objects.get(agency=cast.a, name="Văn phòng Sở")


def _url(handling):
    return reverse("procedures:steps", args=[handling.agency_id, handling.pk])


def _post(rows, initial=0, existing=()):
    """Formset data: `existing` are (pk, order, action, days[, delete]) rows shown first."""
    data = {
        "steps-TOTAL_FORMS": str(len(existing) + len(rows)),
        "steps-INITIAL_FORMS": str(initial or len(existing)),
    }
    for index, (pk, order, action, days, *delete) in enumerate(existing):
        data.update(_row(index, order, action, days))
        data[f"steps-{index}-id"] = str(pk)
        if delete:
            data[f"steps-{index}-DELETE"] = "on"
    for offset, (order, action, days) in enumerate(rows):
        data.update(_row(len(existing) + offset, order, action, days))
    return data


def _row(index, order, action, days):
    return {
        f"steps-{index}-order": str(order),
        f"steps-{index}-action": action,
        f"steps-{index}-responsible": "Phòng Quản lý xây dựng",
        f"steps-{index}-days": days,
        f"steps-{index}-result": "Dự thảo kết quả",
    }


ONE_STOP = [
    (1, "Tiếp nhận hồ sơ tại Bộ phận Một cửa", "0,5"),
    (2, "Chuyển hồ sơ đến phòng chuyên môn", "0.5"),
    (3, "Thẩm định hồ sơ", "6"),
    (4, "Lãnh đạo phê duyệt", "1,5"),
    (5, "Trả kết quả", "0,5"),
]


def test_halves_written_with_a_comma_or_a_dot_are_saved(cast, login):
    handling = handling_for(cast.a, _office(cast))
    response = login(cast.users["secretary"]).post(_url(handling), _post(ONE_STOP))
    assert response.status_code == 302
    saved = list(handling.steps.values_list("order", "days"))
    assert saved == [
        (1, Decimal("0.5")),
        (2, Decimal("0.5")),
        (3, Decimal(6)),
        (4, Decimal("1.5")),
        (5, Decimal("0.5")),
    ]
    page = login(cast.users["secretary"]).get(_url(handling)).content.decode()
    assert "Đã lưu các bước xử lý." in page
    # 15 by law, 9 in the steps: 6 days cut, 40 %.
    assert "6 ngày làm việc (40%)" in page
    assert 'value="1,5"' in page  # shown as typed in Vietnamese


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("0", "Thời gian của mỗi bước phải lớn hơn 0 ngày làm việc."),
        ("-1", "Thời gian của mỗi bước phải lớn hơn 0 ngày làm việc."),
        ("0,3", "Thời gian tính theo ngày hoặc nửa ngày làm việc (ví dụ: 0,5; 1; 1,5)."),
        ("1.25", "Thời gian tính theo ngày hoặc nửa ngày làm việc (ví dụ: 0,5; 1; 1,5)."),
        ("một ngày", "Nhập một số."),
    ],
)
def test_a_bad_time_is_refused_and_nothing_is_saved(cast, login, days, message):
    handling = handling_for(cast.a, _office(cast))
    rows = [*ONE_STOP[:2], (3, "Thẩm định hồ sơ", days)]
    response = login(cast.users["secretary"]).post(_url(handling), _post(rows))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not handling.steps.exists()  # the good rows were not saved either


def test_a_total_over_the_committed_time_is_refused_naming_both(cast, login):
    handling = handling_for(cast.a, _office(cast), statutory="20", committed="15")
    rows = [(1, "Tiếp nhận hồ sơ", "1"), (2, "Thẩm định hồ sơ", "14"), (3, "Trả kết quả", "1")]
    response = login(cast.users["secretary"]).post(_url(handling), _post(rows))
    page = response.content.decode()
    assert (
        "Tổng thời gian các bước là 16 ngày làm việc, vượt thời gian cam kết 15 ngày làm việc."
        in page
    )
    assert not handling.steps.exists()


def test_a_total_over_the_statutory_time_is_refused(cast, login):
    handling = handling_for(cast.a, _office(cast), statutory="10", committed=None)
    rows = [(1, "Thẩm định hồ sơ", "10"), (2, "Trả kết quả", "0,5")]
    page = login(cast.users["secretary"]).post(_url(handling), _post(rows)).content.decode()
    assert (
        "Tổng thời gian các bước là 10,5 ngày làm việc, vượt thời gian theo quy định "
        "10 ngày làm việc." in page
    )
    assert not handling.steps.exists()


def test_a_committed_time_longer_than_the_law_still_keeps_to_the_law(cast, login):
    handling = handling_for(cast.a, _office(cast), statutory="5", committed="7")
    rows = [(1, "Thẩm định hồ sơ", "6")]
    page = login(cast.users["secretary"]).post(_url(handling), _post(rows)).content.decode()
    assert "vượt thời gian theo quy định 5 ngày làm việc" in page
    assert not handling.steps.exists()


def test_calendar_days_are_held_to_the_working_days_they_surely_hold(cast, login):
    """15 calendar days hold 10 working days when the count starts on a Saturday: steps of
    10 working days are on time whatever the day the dossier comes, 10,5 are not."""
    handling = handling_for(
        cast.a, _office(cast), statutory="15", committed=None, day_kind=DayKind.CALENDAR
    )
    client = login(cast.users["secretary"])
    too_long = [(1, "Thẩm định hồ sơ", "10"), (2, "Trả kết quả", "0,5")]
    page = client.post(_url(handling), _post(too_long)).content.decode()
    assert (
        "Tổng thời gian các bước là 10,5 ngày làm việc, vượt thời gian theo quy định 15 ngày "
        "(tính theo ngày lịch): 15 ngày lịch chỉ chắc chắn có 10 ngày làm việc" in page
    )
    assert not handling.steps.exists()
    fitting = [(1, "Thẩm định hồ sơ", "9,5"), (2, "Trả kết quả", "0,5")]
    assert client.post(_url(handling), _post(fitting)).status_code == 302
    page = client.get(_url(handling)).content.decode()
    assert "15 ngày, tính theo ngày lịch (ít nhất 10 ngày làm việc" in page


def test_the_fewest_working_days_of_calendar_days():
    assert steps.working_days_in(Decimal(15)) == 10  # Sat..Sun two weeks later
    assert steps.working_days_in(Decimal(7)) == 5
    assert steps.working_days_in(Decimal(30)) == 20
    assert steps.working_days_in(Decimal(2)) == 0  # a weekend


def test_an_order_number_twice_is_refused(cast, login):
    handling = handling_for(cast.a, _office(cast))
    rows = [(1, "Tiếp nhận hồ sơ", "0,5"), (1, "Thẩm định hồ sơ", "2")]
    page = login(cast.users["secretary"]).post(_url(handling), _post(rows)).content.decode()
    assert "Số thứ tự bước 1 bị trùng." in page
    assert not handling.steps.exists()


def _saved(handling, client):
    client.post(_url(handling), _post(ONE_STOP))
    return list(handling.steps.order_by("order"))


def test_a_formset_posted_short_clears_nothing(cast, login):
    handling = handling_for(cast.a, _office(cast))
    client = login(cast.users["secretary"])
    before = _saved(handling, client)
    response = client.post(_url(handling), _post([]))
    assert response.status_code == 302
    assert list(handling.steps.order_by("order")) == before


def test_steps_not_posted_still_count_in_the_total(cast, login):
    handling = handling_for(cast.a, _office(cast))  # committed 10; 9 saved
    client = login(cast.users["secretary"])
    _saved(handling, client)
    page = client.post(_url(handling), _post([(6, "Lưu hồ sơ", "1,5")])).content.decode()
    assert "Tổng thời gian các bước là 10,5 ngày làm việc" in page
    assert handling.steps.count() == 5


def test_removing_a_step_is_explicit_and_kept_in_history(cast, login):
    handling = handling_for(cast.a, _office(cast))
    client = login(cast.users["secretary"])
    saved = _saved(handling, client)
    existing = [(s.pk, s.order, s.action, steps.days_text(s.days)) for s in saved]
    existing[3] = (*existing[3], "delete")
    existing[2] = (saved[2].pk, 3, "Thẩm định hồ sơ, lấy ý kiến", "5")
    assert client.post(_url(handling), _post([], existing=existing)).status_code == 302
    assert [s.order for s in handling.steps.all()] == [1, 2, 3, 5]
    assert handling.steps.get(order=3).days == 5
    removed = ProcessStep.history.filter(id=saved[3].pk, history_type="-")
    assert removed.exists()
    assert ProcessStep.history.filter(id=saved[2].pk, history_type="~").exists()


def test_set_steps_applies_the_same_rules(cast):
    handling = handling_for(cast.a, _office(cast))
    rows = [steps.StepRow("Thẩm định hồ sơ", "Phòng", Decimal(11))]
    with pytest.raises(Exception, match="vượt thời gian cam kết 10 ngày làm việc"):
        steps.set_steps(handling, rows)
    assert not handling.steps.exists()


def test_a_removed_row_with_bad_values_does_not_skip_the_total(cast, login):
    handling = handling_for(cast.a, _office(cast))  # committed 10; 9 saved
    client = login(cast.users["secretary"])
    saved = _saved(handling, client)
    existing = [(s.pk, s.order, s.action, steps.days_text(s.days)) for s in saved]
    existing[0] = (saved[0].pk, 1, "", "", "delete")  # emptied and ticked for removal
    existing[2] = (saved[2].pk, 3, "Thẩm định hồ sơ", "9")  # 0,5 + 9 + 1,5 + 0,5 = 11,5
    page = client.post(_url(handling), _post([], existing=existing)).content.decode()
    assert "Tổng thời gian các bước là 11,5 ngày làm việc" in page
    assert list(handling.steps.order_by("order")) == saved
    assert handling.steps.get(order=3).days == 6
