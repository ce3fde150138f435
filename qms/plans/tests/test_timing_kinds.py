"""The timings plans write beyond the seeds: windows of months, after or before a month, the
start or end of a year, half or quarter, "khi có yêu cầu" / "khi phát sinh" with an optional
latest date, and a timing the plan leaves open (printed as nothing).

Each kind is checked the way test_timing checks the seeds' kinds: the wording `describe`
writes, `parse_vietnamese` reading that wording back into the same rule, the JSON form, and
the windows (first day, due date) the rule computes.
"""

import json
import re
from datetime import date
from typing import Any, NamedTuple

import pytest

from qms.plans.timing import (
    Kind,
    Occurrence,
    Part,
    Timing,
    TimingError,
    describe,
    occurrences,
    parse_vietnamese,
)


def one(part: Part, **extra: Any) -> Timing:
    return Timing(parts=(part,), **extra)


def windows(timing: Timing, year: int) -> list[tuple[date | None, date | None]]:
    """(start, due) of each occurrence; (None, None) for one without a date."""
    found = occurrences(timing, year, {})
    assert all(o.waiting_for is None for o in found)  # these kinds never wait for an event
    return [(o.start, o.due) for o in found]


class Example(NamedTuple):
    text: str
    timing: Timing
    windows: list[tuple[date | None, date | None]]


UNDATED: list[tuple[date | None, date | None]] = [(None, None)]

EXAMPLES = [
    Example(
        "Từ tháng 3 đến tháng 5/2026",
        one(Part(Kind.WINDOW, month=3, to_month=5)),
        [(date(2026, 3, 1), date(2026, 5, 31))],
    ),
    Example(
        "Từ tháng 6 đến tháng 8/2026",
        one(Part(Kind.WINDOW, month=6, to_month=8)),
        [(date(2026, 6, 1), date(2026, 8, 31))],
    ),
    Example(
        "Từ tháng 1 đến tháng 2/2026 đối với các phòng chuyên môn",
        one(Part(Kind.WINDOW, month=1, to_month=2, label="đối với các phòng chuyên môn")),
        [(date(2026, 1, 1), date(2026, 2, 28))],
    ),
    # "Sau tháng 9": from October on, by the year's end; "Trước tháng 9": by 31/8.
    Example(
        "Sau tháng 9/2026",
        one(Part(Kind.AFTER, month=9)),
        [(date(2026, 10, 1), date(2026, 12, 31))],
    ),
    Example(
        "Trước tháng 9/2026",
        one(Part(Kind.BEFORE, month=9)),
        [(date(2026, 1, 1), date(2026, 8, 31))],
    ),
    # "Đầu năm": January-February; "Cuối năm": November-December.
    Example("Đầu năm 2026", one(Part(Kind.START)), [(date(2026, 1, 1), date(2026, 2, 28))]),
    Example("Cuối năm 2026", one(Part(Kind.END)), [(date(2026, 11, 1), date(2026, 12, 31))]),
    Example(
        "Đầu Quý II/2026",
        one(Part(Kind.START, quarter=2)),
        [(date(2026, 4, 1), date(2026, 4, 30))],
    ),
    Example(
        "Cuối Quý II/2026",
        one(Part(Kind.END, quarter=2)),
        [(date(2026, 6, 1), date(2026, 6, 30))],
    ),
    Example(
        "Cuối Quý IV/2026",
        one(Part(Kind.END, quarter=4)),
        [(date(2026, 12, 1), date(2026, 12, 31))],
    ),
    Example(
        "6 tháng đầu năm 2026",
        one(Part(Kind.HALF, half=1)),
        [(date(2026, 1, 1), date(2026, 6, 30))],
    ),
    Example(
        "6 tháng cuối năm 2026",
        one(Part(Kind.HALF, half=2)),
        [(date(2026, 7, 1), date(2026, 12, 31))],
    ),
    Example("Khi có yêu cầu", one(Part(Kind.ON_REQUEST)), UNDATED),
    Example("Khi phát sinh", one(Part(Kind.AS_NEEDED)), UNDATED),
    Example(
        "Khi có yêu cầu của UBND tỉnh",
        one(Part(Kind.ON_REQUEST, label="của UBND tỉnh")),
        UNDATED,
    ),
    # A latest date is the due date: a deadline on one day, not a window.
    Example(
        "Khi có yêu cầu, chậm nhất ngày 30/9/2026",
        one(Part(Kind.ON_REQUEST, day=date(2026, 9, 30))),
        [(date(2026, 9, 30), date(2026, 9, 30))],
    ),
    Example(
        "Khi phát sinh hồ sơ, chậm nhất ngày 15/12/2026",
        one(Part(Kind.AS_NEEDED, day=date(2026, 12, 15), label="hồ sơ")),
        [(date(2026, 12, 15), date(2026, 12, 15))],
    ),
    Example(
        "+ Sau tháng 9/2026 đối với các phòng\n+ Khi có yêu cầu",
        Timing(parts=(Part(Kind.AFTER, month=9, label="đối với các phòng"), Part(Kind.ON_REQUEST))),
        [(date(2026, 10, 1), date(2026, 12, 31)), (None, None)],
    ),
    Example(
        "Cuối năm 2026 (hoặc khi có yêu cầu của cấp trên)",
        one(Part(Kind.END), note="(hoặc khi có yêu cầu của cấp trên)"),
        [(date(2026, 11, 1), date(2026, 12, 31))],
    ),
]
IDS = [example.text.split("\n")[0] for example in EXAMPLES]


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_it_words_each_new_kind_as_a_secretary_writes_it(example: Example) -> None:
    assert describe(example.timing, 2026) == example.text


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_it_reads_its_own_wording_of_each_new_kind_back(example: Example) -> None:
    assert parse_vietnamese(example.text, 2026) == example.timing


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_it_round_trips_each_new_kind_through_json(example: Example) -> None:
    stored = json.loads(json.dumps(example.timing.to_dict()))
    assert Timing.from_dict(stored) == example.timing


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_it_computes_the_window_and_deadline_of_each_new_kind(example: Example) -> None:
    assert windows(example.timing, 2026) == example.windows


def test_it_stores_the_new_kinds_with_their_own_fields_only() -> None:
    timing = Timing(
        parts=(
            Part(Kind.WINDOW, month=6, to_month=8),
            Part(Kind.END, quarter=2),
            Part(Kind.HALF, half=1),
            Part(Kind.ON_REQUEST, day=date(2026, 9, 30)),
        )
    )
    assert timing.to_dict() == {
        "parts": [
            {"kind": "window", "month": 6, "to_month": 8},
            {"kind": "end", "quarter": 2},
            {"kind": "half", "half": 1},
            {"kind": "on_request", "day": "2026-09-30"},
        ]
    }


def test_it_ends_early_year_on_the_real_last_day_of_february() -> None:
    assert windows(one(Part(Kind.START)), 2028) == [(date(2028, 1, 1), date(2028, 2, 29))]


@pytest.mark.parametrize(
    ("text", "timing"),
    [
        ("Tháng 6 - tháng 8/2026", one(Part(Kind.WINDOW, month=6, to_month=8))),
        ("Tháng 6 – 8/2026", one(Part(Kind.WINDOW, month=6, to_month=8))),
        ("từ tháng 06/2026 đến hết tháng 08/2026", one(Part(Kind.WINDOW, month=6, to_month=8))),
        ("Sau tháng 9 năm 2026", one(Part(Kind.AFTER, month=9))),
        ("trước tháng 9", one(Part(Kind.BEFORE, month=9))),
        ("Cuối năm", one(Part(Kind.END))),
        ("Cuối quý 2 năm 2026", one(Part(Kind.END, quarter=2))),
        ("đầu quý III", one(Part(Kind.START, quarter=3))),
        ("06 tháng cuối năm 2026", one(Part(Kind.HALF, half=2))),
        ("Theo yêu cầu", one(Part(Kind.ON_REQUEST))),
        ("Khi có phát sinh", one(Part(Kind.AS_NEEDED))),
        (
            "Khi có yêu cầu, chậm nhất ngày 30/09/2026",
            one(Part(Kind.ON_REQUEST, day=date(2026, 9, 30))),
        ),
        (
            "Khi có yêu cầu chậm nhất là 30/9/2026",
            one(Part(Kind.ON_REQUEST, day=date(2026, 9, 30))),
        ),
    ],
)
def test_it_reads_the_new_kinds_as_plans_write_them(text: str, timing: Timing) -> None:
    assert parse_vietnamese(text, 2026) == timing


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Từ tháng 8 đến tháng 6/2026",
            "Tháng kết thúc (tháng 6) phải sau tháng bắt đầu (tháng 8).",
        ),
        ("Từ tháng 6 đến tháng 6/2026", "Từ tháng 6 đến tháng 6 là một tháng: chọn loại «Tháng»."),
        ("Từ tháng 11/2025 đến tháng 2/2026", "Năm 2025 không khớp với năm kế hoạch 2026"),
        ("Sau tháng 12/2026", "Sau tháng 12 không còn tháng nào trong năm kế hoạch."),
        ("Trước tháng 1/2026", "Trước tháng 1 không còn tháng nào trong năm kế hoạch."),
        ("Đầu năm 2027", "Năm 2027 không khớp với năm kế hoạch 2026"),
        ("Đầu Quý V/2026", "Không nhận dạng được thời gian thực hiện: «Đầu Quý V/2026»."),
        ("6 tháng đầu năm", "(ghi cả năm, ví dụ «6 tháng đầu năm 2026»)"),
        (
            "Khi có yêu cầu, chậm nhất ngày 31/9/2026",
            "Ngày không hợp lệ: «chậm nhất ngày 31/9/2026».",
        ),
        ("Khi có yêu cầu, chậm nhất tháng 9", "Không đọc được hạn chậm nhất"),
    ],
)
def test_it_refuses_what_the_new_kinds_cannot_say(text: str, message: str) -> None:
    with pytest.raises(TimingError, match=re.escape(message)):
        parse_vietnamese(text, 2026)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"parts": [{"kind": "window", "month": 6}]},
            "«Từ tháng … đến tháng …» cần có tháng kết thúc.",
        ),
        ({"parts": [{"kind": "window", "month": 6, "to_month": 13}]}, "Tháng phải từ 1 đến 12."),
        ({"parts": [{"kind": "after"}]}, "Mốc thời gian loại «Sau tháng» cần có tháng."),
        ({"parts": [{"kind": "half"}]}, "Mốc thời gian loại «6 tháng» cần có nửa năm."),
        ({"parts": [{"kind": "half", "half": 3}]}, "Nửa năm phải là 1 (6 tháng đầu năm) hoặc 2"),
        ({"parts": [{"kind": "start", "quarter": 5}]}, "Quý phải từ 1 đến 4."),
        ({"parts": [{"kind": "on_request", "day": "30/9/2026"}]}, "Ngày không hợp lệ: '30/9/2026'"),
        (
            {"parts": [{"kind": "unstated"}, {"kind": "year"}]},
            "«Không nêu thời gian» không đi cùng mốc thời gian khác.",
        ),
        (
            {"parts": [{"kind": "unstated"}], "note": "Theo chỉ đạo"},
            "Thời gian không nêu thì không kèm phương án thay thế hay ghi chú",
        ),
        (
            {
                "parts": [{"kind": "unstated"}],
                "alternative": {"event": "document_set_effective", "offset_days": 30},
            },
            "Thời gian không nêu thì không kèm phương án thay thế hay ghi chú",
        ),
        (
            {"parts": [{"kind": "unstated", "label": "x"}]},
            "Thời gian không nêu thì không có lời văn kèm theo.",
        ),
    ],
)
def test_it_refuses_a_bad_new_rule_with_a_vietnamese_message(data: Any, message: str) -> None:
    with pytest.raises(TimingError, match=re.escape(message)):
        Timing.from_dict(data)


def test_it_refuses_a_window_ending_before_it_starts_built_in_code() -> None:
    with pytest.raises(TimingError, match="phải sau tháng bắt đầu"):
        Part(Kind.WINDOW, month=8, to_month=6)
    with pytest.raises(TimingError, match="«Đầu năm, đầu quý» không dùng tháng"):
        Part(Kind.START, month=1)


# ------------------------------------------------------------------- a timing left open


UNSTATED = one(Part(Kind.UNSTATED))


def test_it_prints_a_timing_left_open_as_nothing() -> None:
    assert describe(UNSTATED, 2026) == ""


def test_it_round_trips_a_timing_left_open_through_json() -> None:
    assert UNSTATED.to_dict() == {"parts": [{"kind": "unstated"}]}
    assert Timing.from_dict(json.loads(json.dumps(UNSTATED.to_dict()))) == UNSTATED


def test_it_gives_a_timing_left_open_one_occurrence_without_date_or_wait() -> None:
    assert occurrences(UNSTATED, 2026, {}) == [Occurrence(None, None, None, 0)]


def test_it_still_calls_an_empty_cell_a_typing_mistake_when_reading_text() -> None:
    # Reading a pasted cell: nothing typed is refused (test_timing); a timing the plan
    # leaves open is chosen in the form (no clause at all) and stored as its own kind.
    with pytest.raises(TimingError, match="Chưa nhập thời gian thực hiện."):
        parse_vietnamese("  \n ", 2026)


# ------------------------------------------------------------------------- next year


def test_it_moves_a_latest_date_to_the_next_year_and_keeps_relative_kinds() -> None:
    timing = Timing(
        parts=(Part(Kind.ON_REQUEST, day=date(2026, 9, 30)), Part(Kind.WINDOW, month=6, to_month=8))
    )
    shifted = timing.shifted(1)
    assert shifted.parts == (
        Part(Kind.ON_REQUEST, day=date(2027, 9, 30)),
        Part(Kind.WINDOW, month=6, to_month=8),
    )
    assert describe(shifted, 2027) == (
        "+ Khi có yêu cầu, chậm nhất ngày 30/9/2027\n+ Từ tháng 6 đến tháng 8/2027"
    )


# --------------------------------------------------------------- a window of two dates

DATE_WINDOW = one(Part(Kind.DATE_WINDOW, day=date(2026, 3, 5), to_day=date(2026, 4, 20)))


def test_it_words_a_window_of_two_dates_as_the_date_kind_writes_dates() -> None:
    assert describe(DATE_WINDOW, 2026) == "Từ ngày 05/3/2026 đến ngày 20/4/2026"
    labelled = one(
        Part(Kind.DATE_WINDOW, day=date(2026, 3, 5), to_day=date(2026, 4, 20), label="tại xã")
    )
    assert describe(labelled, 2026) == "Từ ngày 05/3/2026 đến ngày 20/4/2026 tại xã"
    assert parse_vietnamese(describe(labelled, 2026), 2026) == labelled


@pytest.mark.parametrize(
    "text",
    [
        "Từ ngày 05/3/2026 đến ngày 20/4/2026",
        "từ 05/3/2026 đến 20/4/2026",
        "Từ ngày 05/03/2026 đến hết ngày 20/04/2026",
        "05/3/2026 - 20/4/2026",
        "Từ ngày 05/3 đến ngày 20/4/2026",
    ],
)
def test_it_reads_a_window_of_two_dates_not_as_one_date_or_months(text: str) -> None:
    assert parse_vietnamese(text, 2026) == DATE_WINDOW


def test_it_reads_a_window_of_dates_among_other_clauses() -> None:
    text = (
        "+ Từ ngày 05/3/2026 đến ngày 20/4/2026\n+ Ngày 15/10/2026\n+ Từ tháng 6 đến tháng 8/2026"
    )
    assert parse_vietnamese(text, 2026).parts == (
        DATE_WINDOW.parts[0],
        Part(Kind.DATE, day=date(2026, 10, 15)),
        Part(Kind.WINDOW, month=6, to_month=8),
    )


def test_it_round_trips_a_window_of_two_dates_through_json() -> None:
    assert DATE_WINDOW.to_dict() == {
        "parts": [{"kind": "date_window", "day": "2026-03-05", "to_day": "2026-04-20"}]
    }
    assert Timing.from_dict(json.loads(json.dumps(DATE_WINDOW.to_dict()))) == DATE_WINDOW


def test_it_gives_a_window_of_two_dates_one_occurrence_due_on_its_last_day() -> None:
    assert windows(DATE_WINDOW, 2026) == [(date(2026, 3, 5), date(2026, 4, 20))]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"parts": [{"kind": "date_window", "day": "2026-04-20", "to_day": "2026-03-05"}]},
            "Ngày kết thúc (05/3/2026) phải sau ngày bắt đầu (20/4/2026).",
        ),
        (
            {"parts": [{"kind": "date_window", "day": "2026-03-05", "to_day": "2026-03-05"}]},
            "Từ ngày 05/3/2026 đến ngày 05/3/2026 là một ngày: chọn loại «Ngày cụ thể».",
        ),
        (
            {"parts": [{"kind": "date_window", "day": "2026-03-05"}]},
            "Mốc thời gian loại «Từ ngày … đến ngày …» cần có ngày kết thúc.",
        ),
        (
            {"parts": [{"kind": "date_window", "day": "2026-03-05", "to_day": "20/4/2026"}]},
            "Ngày không hợp lệ: '20/4/2026'",
        ),
    ],
)
def test_it_refuses_a_reversed_or_empty_window_of_dates(data: Any, message: str) -> None:
    with pytest.raises(TimingError, match=re.escape(message)):
        Timing.from_dict(data)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Từ ngày 20/4/2026 đến ngày 05/3/2026",
            "Ngày kết thúc (05/3/2026) phải sau ngày bắt đầu (20/4/2026).",
        ),
        ("Từ ngày 31/4/2026 đến ngày 20/5/2026", "Ngày không hợp lệ: «31/4/2026»."),
        ("Từ ngày 05/3 đến ngày 31/4/2026", "Ngày không hợp lệ: «31/4/2026»."),
    ],
)
def test_it_refuses_a_reversed_window_of_dates_typed_in(text: str, message: str) -> None:
    with pytest.raises(TimingError, match=re.escape(message)):
        parse_vietnamese(text, 2026)


def test_it_refuses_the_window_of_dates_fields_on_another_kind_in_code() -> None:
    with pytest.raises(TimingError, match="«Ngày cụ thể» không dùng ngày kết thúc"):
        Part(Kind.DATE, day=date(2026, 3, 5), to_day=date(2026, 4, 20))
    with pytest.raises(TimingError, match="phải sau ngày bắt đầu"):
        Part(Kind.DATE_WINDOW, day=date(2026, 4, 20), to_day=date(2026, 3, 5))


def test_it_moves_both_dates_of_a_window_to_the_next_year() -> None:
    shifted = DATE_WINDOW.shifted(1)
    assert shifted == one(Part(Kind.DATE_WINDOW, day=date(2027, 3, 5), to_day=date(2027, 4, 20)))
    assert describe(shifted, 2027) == "Từ ngày 05/3/2027 đến ngày 20/4/2027"
    assert windows(shifted, 2027) == [(date(2027, 3, 5), date(2027, 4, 20))]


def test_it_keeps_a_window_ending_on_29_february_a_window_in_a_common_year() -> None:
    leap = one(Part(Kind.DATE_WINDOW, day=date(2028, 2, 28), to_day=date(2028, 2, 29)))
    assert leap.shifted(1).parts[0] == Part(
        Kind.DATE_WINDOW, day=date(2029, 2, 28), to_day=date(2029, 3, 1)
    )
