"""Timing rules of plan tasks: computing due dates, the generated wording, storage.

The two real plans (/work/shared/seeds: Ban Quản lý Khu kinh tế Hải Phòng 2026 and UBND
huyện Bình Sơn 2024) are encoded row by row in SEED_ROWS; their wording is the reference
for what `describe` must write.
"""

import json
import re
from datetime import date
from typing import Any, NamedTuple

import pytest

from qms.plans.events import registered
from qms.plans.timing import (
    ALTERNATIVE_INDEX,
    Alternative,
    Kind,
    Occurrence,
    Part,
    Timing,
    TimingError,
    describe,
    occurrences,
    parse_vietnamese,
)

NO_EVENTS: dict[str, date] = {}


def one(part: Part, **extra: Any) -> Timing:
    return Timing(parts=(part,), **extra)


def month(m: int, **extra: Any) -> Timing:
    return one(Part(Kind.MONTH, month=m), **extra)


def event(key: str, offset: int, label: str = "") -> Part:
    return Part(Kind.EVENT, event=key, offset_days=offset, label=label)


def windows(timing: Timing, year: int, events: dict[str, date] = NO_EVENTS) -> list[Any]:
    """(start, due) per occurrence, or the awaited event key."""
    return [
        o.waiting_for if o.due is None else (o.start, o.due)
        for o in occurrences(timing, year, events)
    ]


def dues(timing: Timing, year: int, events: dict[str, date] = NO_EVENTS) -> list[Any]:
    return [o.waiting_for if o.due is None else o.due for o in occurrences(timing, year, events)]


# ------------------------------------------------------------------------ the two plans


class SeedRow(NamedTuple):
    plan: str
    number: int
    year: int
    timing: Timing
    text: str


ROW4_REVIEW = "đối với việc rà soát căn cứ pháp lý của các quy trình ISO"
ROW4_OVERHAUL = "thực hiện việc tổng rà soát, sửa đổi, bổ sung các quy trình ISO"
DOC_SET = "document_set_effective"

SEED_ROWS: list[SeedRow] = [
    # Hải Phòng 2026, column "Thời gian dự kiến".
    SeedRow("haiphong", 1, 2026, one(Part(Kind.YEAR)), "Cả năm 2026"),
    SeedRow("haiphong", 2, 2026, month(6), "Tháng 6/2026"),
    SeedRow(
        "haiphong",
        3,
        2026,
        one(Part(Kind.QUARTER, quarter=3), note="Thời gian đào tạo: 01 ngày tại Ban Quản lý"),
        "Quý III/2026\nThời gian đào tạo: 01 ngày tại Ban Quản lý",
    ),
    SeedRow(
        "haiphong",
        4,
        2026,
        Timing(
            parts=(
                Part(Kind.RECURRING, every=3, label=ROW4_REVIEW),
                event("tthc_catalogue_approved", 0, ROW4_OVERHAUL),
            )
        ),
        "+ Định kỳ 03 tháng/lần đối với việc rà soát căn cứ pháp lý của các quy trình ISO\n"
        "+ Thực hiện việc tổng rà soát, sửa đổi, bổ sung các quy trình ISO ngay sau khi"
        " có văn bản của UBND cấp tỉnh về việc phê duyệt danh mục thủ tục hành chính"
        " thuộc thẩm quyền của cơ quan",
    ),
    SeedRow(
        "haiphong",
        5,
        2026,
        month(7, alternative=Alternative(DOC_SET, 30, "tổ chức đánh giá nội bộ")),
        "Tháng 7/2026 (Trường hợp ban hành Bộ tài liệu ISO mới thì tổ chức đánh giá nội bộ"
        " tại thời điểm 30 ngày kể từ ngày Quyết định ban hành Bộ tài liệu ISO có hiệu lực)",
    ),
    SeedRow(
        "haiphong",
        6,
        2026,
        month(7, alternative=Alternative(DOC_SET, 35, "tổ chức họp xem xét của lãnh đạo")),
        "Tháng 7/2026 (Trường hợp ban hành Bộ tài liệu ISO mới thì tổ chức họp xem xét"
        " của lãnh đạo tại thời điểm 35 ngày kể từ ngày Quyết định ban hành Bộ tài liệu ISO"
        " có hiệu lực)",
    ),
    SeedRow(
        "haiphong",
        7,
        2026,
        one(event("management_review_held", 10)),
        "10 ngày kể từ ngày họp xem xét của lãnh đạo",
    ),
    SeedRow(
        "haiphong",
        8,
        2026,
        one(event("inspection_notice", -15)),
        "15 ngày trước khi có thông báo kiểm tra của cơ quan có thẩm quyền",
    ),
    # Bình Sơn 2024, column "Thời gian thực hiện".
    SeedRow("binhson", 1, 2024, month(1), "Tháng 1/2024"),
    SeedRow("binhson", 2, 2024, month(1), "Tháng 1/2024"),
    SeedRow("binhson", 3, 2024, one(Part(Kind.CONTINUOUS)), "Thường xuyên"),
    SeedRow(
        "binhson",
        4,
        2024,
        one(Part(Kind.MONTHS, months=(6, 11))),
        "Tháng 6/2024 và tháng 11/2024",
    ),
    SeedRow(
        "binhson",
        5,
        2024,
        one(Part(Kind.MONTHS, months=(7, 11))),
        "Tháng 7/2024 và tháng 11/2024",
    ),
    SeedRow(
        "binhson",
        6,
        2024,
        one(Part(Kind.MONTHS, months=(7, 12)), note="(hoặc khi có thay đổi danh mục TTHC)"),
        "Tháng 7/2024 và tháng 12/2024 (hoặc khi có thay đổi danh mục TTHC)",
    ),
    SeedRow(
        "binhson",
        7,
        2024,
        month(11, note="(hoặc khi có yêu cầu của cấp trên)"),
        "Tháng 11/2024 (hoặc khi có yêu cầu của cấp trên)",
    ),
]
SEED_IDS = [f"{row.plan}-{row.number}" for row in SEED_ROWS]


def seed(plan: str, number: int) -> SeedRow:
    return next(row for row in SEED_ROWS if (row.plan, row.number) == (plan, number))


def test_it_encodes_every_task_row_of_both_plans() -> None:
    assert [row.number for row in SEED_ROWS if row.plan == "haiphong"] == list(range(1, 9))
    assert [row.number for row in SEED_ROWS if row.plan == "binhson"] == list(range(1, 8))


@pytest.mark.parametrize("row", SEED_ROWS, ids=SEED_IDS)
def test_it_words_every_seed_row_like_the_plan(row: SeedRow) -> None:
    assert describe(row.timing, row.year) == row.text


@pytest.mark.parametrize("row", SEED_ROWS, ids=SEED_IDS)
def test_it_round_trips_every_seed_row_through_json(row: SeedRow) -> None:
    stored = json.loads(json.dumps(row.timing.to_dict()))
    assert Timing.from_dict(stored) == row.timing


@pytest.mark.parametrize("row", SEED_ROWS, ids=SEED_IDS)
def test_it_reads_its_own_wording_back_for_every_seed_row(row: SeedRow) -> None:
    assert parse_vietnamese(row.text, row.year) == row.timing


def test_it_computes_the_haiphong_due_dates_before_any_event() -> None:
    expected = {
        1: [date(2026, 12, 31)],
        2: [date(2026, 6, 30)],
        3: [date(2026, 9, 30)],
        4: [
            date(2026, 3, 31),
            date(2026, 6, 30),
            date(2026, 9, 30),
            date(2026, 12, 31),
            "tthc_catalogue_approved",
        ],
        5: [date(2026, 7, 31)],
        6: [date(2026, 7, 31)],
        7: ["management_review_held"],
        8: ["inspection_notice"],
    }
    got = {n: dues(seed("haiphong", n).timing, 2026) for n in expected}
    assert got == expected


def test_it_computes_the_binhson_due_dates() -> None:
    expected = {
        1: [date(2024, 1, 31)],
        2: [date(2024, 1, 31)],
        3: [date(2024, 12, 31)],
        4: [date(2024, 6, 30), date(2024, 11, 30)],
        5: [date(2024, 7, 31), date(2024, 11, 30)],
        6: [date(2024, 7, 31), date(2024, 12, 31)],
        7: [date(2024, 11, 30)],
    }
    assert {n: dues(seed("binhson", n).timing, 2024) for n in expected} == expected


def test_it_brings_audit_and_review_forward_when_a_new_document_set_takes_effect() -> None:
    events = {DOC_SET: date(2026, 3, 10)}
    assert dues(seed("haiphong", 5).timing, 2026, events) == [date(2026, 4, 9)]
    assert dues(seed("haiphong", 6).timing, 2026, events) == [date(2026, 4, 14)]
    # Rows without that alternative keep their own dates.
    assert dues(seed("haiphong", 2).timing, 2026, events) == [date(2026, 6, 30)]


def test_it_dates_the_reannouncement_from_the_review_meeting() -> None:
    events = {"management_review_held": date(2026, 4, 14)}
    assert dues(seed("haiphong", 7).timing, 2026, events) == [date(2026, 4, 24)]


def test_it_dates_the_mock_audit_before_the_inspection_notice() -> None:
    events = {"inspection_notice": date(2026, 10, 20)}
    assert dues(seed("haiphong", 8).timing, 2026, events) == [date(2026, 10, 5)]


def test_it_dates_the_overhaul_when_the_tthc_catalogue_is_approved() -> None:
    events = {"tthc_catalogue_approved": date(2026, 5, 15)}
    assert dues(seed("haiphong", 4).timing, 2026, events) == [
        date(2026, 3, 31),
        date(2026, 5, 15),
        date(2026, 6, 30),
        date(2026, 9, 30),
        date(2026, 12, 31),
    ]


# ----------------------------------------------------------------------------- computing


def test_it_puts_a_date_on_that_very_day() -> None:
    day = date(2026, 3, 5)
    assert windows(one(Part(Kind.DATE, day=day)), 2026) == [(day, day)]


def test_it_gives_a_month_from_its_first_to_its_last_day() -> None:
    assert windows(month(4), 2026) == [(date(2026, 4, 1), date(2026, 4, 30))]


@pytest.mark.parametrize(("year", "last"), [(2028, 29), (2026, 28), (2100, 28), (2000, 29)])
def test_it_ends_february_on_its_real_last_day(year: int, last: int) -> None:
    assert dues(month(2), year) == [date(year, 2, last)]


@pytest.mark.parametrize(
    ("quarter", "start", "due"),
    [
        (1, date(2026, 1, 1), date(2026, 3, 31)),
        (2, date(2026, 4, 1), date(2026, 6, 30)),
        (3, date(2026, 7, 1), date(2026, 9, 30)),
        (4, date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_it_ends_each_quarter_on_its_last_day(quarter: int, start: date, due: date) -> None:
    assert windows(one(Part(Kind.QUARTER, quarter=quarter)), 2026) == [(start, due)]


@pytest.mark.parametrize("kind", [Kind.YEAR, Kind.CONTINUOUS])
def test_it_checks_whole_year_work_at_year_end(kind: Kind) -> None:
    assert windows(one(Part(kind)), 2026) == [(date(2026, 1, 1), date(2026, 12, 31))]


def test_it_gives_one_occurrence_per_listed_month_in_order() -> None:
    timing = one(Part(Kind.MONTHS, months=(2, 6, 11)))
    assert windows(timing, 2024) == [
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2024, 6, 1), date(2024, 6, 30)),
        (date(2024, 11, 1), date(2024, 11, 30)),
    ]
    assert [o.part_index for o in occurrences(timing, 2024, NO_EVENTS)] == [0, 0, 0]


@pytest.mark.parametrize(
    ("every", "expected"),
    [
        (
            3,
            [
                (date(2026, 1, 1), date(2026, 3, 31)),
                (date(2026, 4, 1), date(2026, 6, 30)),
                (date(2026, 7, 1), date(2026, 9, 30)),
                (date(2026, 10, 1), date(2026, 12, 31)),
            ],
        ),
        (
            5,
            [
                (date(2026, 1, 1), date(2026, 5, 31)),
                (date(2026, 6, 1), date(2026, 10, 31)),
                (date(2026, 11, 1), date(2026, 12, 31)),
            ],
        ),
        (12, [(date(2026, 1, 1), date(2026, 12, 31))]),
    ],
)
def test_it_cuts_the_year_into_recurring_periods(every: int, expected: list[Any]) -> None:
    assert windows(one(Part(Kind.RECURRING, every=every)), 2026) == expected


def test_it_makes_twelve_monthly_periods_for_every_month() -> None:
    found = dues(one(Part(Kind.RECURRING, every=1)), 2028)
    assert len(found) == 12
    assert found[1] == date(2028, 2, 29)
    assert found[-1] == date(2028, 12, 31)


def test_it_counts_days_after_an_event() -> None:
    timing = one(event("management_review_held", 10))
    events = {"management_review_held": date(2026, 4, 14)}
    assert windows(timing, 2026, events) == [(date(2026, 4, 24), date(2026, 4, 24))]


def test_it_counts_days_before_an_event() -> None:
    events = {"inspection_notice": date(2026, 10, 20)}
    assert dues(one(event("inspection_notice", -15)), 2026, events) == [date(2026, 10, 5)]


def test_it_is_due_on_the_event_day_right_after_it() -> None:
    events = {"tthc_catalogue_approved": date(2026, 8, 3)}
    assert dues(one(event("tthc_catalogue_approved", 0)), 2026, events) == [date(2026, 8, 3)]


def test_it_crosses_into_the_previous_year_counting_back() -> None:
    events = {"inspection_notice": date(2026, 1, 10)}
    assert dues(one(event("inspection_notice", -15)), 2026, events) == [date(2025, 12, 26)]


def test_it_crosses_into_the_next_year_counting_forward() -> None:
    events = {"management_review_held": date(2026, 12, 28)}
    assert dues(one(event("management_review_held", 10)), 2026, events) == [date(2027, 1, 7)]


def test_it_waits_for_an_event_not_yet_recorded() -> None:
    found = occurrences(one(event("inspection_notice", -15)), 2026, {DOC_SET: date(2026, 1, 5)})
    assert found == [Occurrence(None, None, waiting_for="inspection_notice", part_index=0)]


def test_it_lets_a_recorded_alternative_replace_every_part() -> None:
    timing = Timing(
        parts=(Part(Kind.MONTHS, months=(6, 11)), Part(Kind.RECURRING, every=3)),
        alternative=Alternative(DOC_SET, 30),
    )
    found = occurrences(timing, 2026, {DOC_SET: date(2026, 3, 10)})
    assert found == [Occurrence(date(2026, 4, 9), date(2026, 4, 9), None, ALTERNATIVE_INDEX)]


def test_it_lets_an_alternative_recorded_late_replace_a_month_already_past() -> None:
    timing = month(7, alternative=Alternative(DOC_SET, 30))
    assert dues(timing, 2026, {DOC_SET: date(2026, 11, 2)}) == [date(2026, 12, 2)]


def test_it_keeps_the_parts_while_the_alternative_has_not_happened() -> None:
    timing = month(7, alternative=Alternative(DOC_SET, 30))
    assert windows(timing, 2026, {"inspection_notice": date(2026, 3, 1)}) == [
        (date(2026, 7, 1), date(2026, 7, 31))
    ]


def test_it_sorts_several_parts_by_due_date_with_waits_last() -> None:
    timing = Timing(
        parts=(
            event("inspection_notice", -15),
            Part(Kind.RECURRING, every=6),
            event("management_review_held", 10),
            Part(Kind.DATE, day=date(2026, 2, 1)),
        )
    )
    found = occurrences(timing, 2026, {"management_review_held": date(2026, 8, 1)})
    assert [(o.due, o.waiting_for, o.part_index) for o in found] == [
        (date(2026, 2, 1), None, 3),
        (date(2026, 6, 30), None, 1),
        (date(2026, 8, 11), None, 2),
        (date(2026, 12, 31), None, 1),
        (None, "inspection_notice", 0),
    ]


# ------------------------------------------------------------------------------- wording


@pytest.mark.parametrize(
    ("timing", "year", "text"),
    [
        (month(6), 2026, "Tháng 6/2026"),
        (one(Part(Kind.DATE, day=date(2026, 3, 5))), 2026, "Ngày 05/3/2026"),
        (one(Part(Kind.DATE, day=date(2026, 12, 25))), 2026, "Ngày 25/12/2026"),
        (one(Part(Kind.QUARTER, quarter=1)), 2026, "Quý I/2026"),
        (one(Part(Kind.QUARTER, quarter=3)), 2026, "Quý III/2026"),
        (one(Part(Kind.QUARTER, quarter=4)), 2026, "Quý IV/2026"),
        (one(Part(Kind.YEAR)), 2026, "Cả năm 2026"),
        (one(Part(Kind.CONTINUOUS)), 2026, "Thường xuyên"),
        (one(Part(Kind.MONTHS, months=(6, 11))), 2024, "Tháng 6/2024 và tháng 11/2024"),
        (
            one(Part(Kind.MONTHS, months=(3, 6, 9))),
            2024,
            "Tháng 3/2024, tháng 6/2024 và tháng 9/2024",
        ),
        (one(Part(Kind.RECURRING, every=3)), 2026, "Định kỳ 03 tháng/lần"),
        (one(Part(Kind.RECURRING, every=1)), 2026, "Hằng tháng"),
        (one(Part(Kind.RECURRING, every=6)), 2026, "Định kỳ 06 tháng/lần"),
        (one(Part(Kind.RECURRING, every=12)), 2026, "Hằng năm"),
        (
            one(Part(Kind.RECURRING, every=3, label=ROW4_REVIEW)),
            2026,
            "Định kỳ 03 tháng/lần đối với việc rà soát căn cứ pháp lý của các quy trình ISO",
        ),
        (
            one(event("management_review_held", 10)),
            2026,
            "10 ngày kể từ ngày họp xem xét của lãnh đạo",
        ),
        (
            one(event("inspection_notice", -15)),
            2026,
            "15 ngày trước khi có thông báo kiểm tra của cơ quan có thẩm quyền",
        ),
        (
            one(event("internal_audit_held", 5)),
            2026,
            "05 ngày kể từ ngày kết thúc đánh giá nội bộ",
        ),
        (
            one(event("tthc_catalogue_approved", 0)),
            2026,
            "Ngay sau khi có văn bản của UBND cấp tỉnh về việc phê duyệt danh mục thủ tục"
            " hành chính thuộc thẩm quyền của cơ quan",
        ),
    ],
)
def test_it_words_each_kind_like_the_plans(timing: Timing, year: int, text: str) -> None:
    assert describe(timing, year) == text


def test_it_puts_the_label_of_a_right_after_event_first_and_capitalised() -> None:
    text = describe(one(event("management_review_held", 0, "ban hành báo cáo")), 2026)
    assert text == "Ban hành báo cáo ngay sau khi họp xem xét của lãnh đạo"


def test_it_appends_the_label_after_a_counted_event_phrase() -> None:
    text = describe(one(event("management_review_held", 10, "đối với các phòng")), 2026)
    assert text == "10 ngày kể từ ngày họp xem xét của lãnh đạo đối với các phòng"


def test_it_keeps_acronyms_when_capitalising_a_label() -> None:
    timing = one(event(DOC_SET, 0, "UBND cấp xã rà soát quy trình"))
    assert describe(timing, 2026) == (
        "UBND cấp xã rà soát quy trình ngay sau khi Quyết định ban hành Bộ tài liệu ISO có hiệu lực"
    )
    assert parse_vietnamese(describe(timing, 2026), 2026) == timing


def test_it_writes_plan_year_not_date_year_only_for_relative_kinds() -> None:
    timing = Timing(parts=(Part(Kind.DATE, day=date(2025, 12, 15)), Part(Kind.MONTH, month=2)))
    assert describe(timing, 2026) == "+ Ngày 15/12/2025\n+ Tháng 2/2026"


def test_it_says_thuc_hien_when_the_alternative_names_no_action() -> None:
    timing = month(7, alternative=Alternative(DOC_SET, 30))
    assert describe(timing, 2026) == (
        "Tháng 7/2026 (Trường hợp ban hành Bộ tài liệu ISO mới thì thực hiện tại thời điểm"
        " 30 ngày kể từ ngày Quyết định ban hành Bộ tài liệu ISO có hiệu lực)"
    )


def test_it_words_alternatives_before_and_right_after_their_event() -> None:
    before = month(10, alternative=Alternative("inspection_notice", -15, "đánh giá thử"))
    right_after = month(7, alternative=Alternative("internal_audit_held", 0, "họp"))
    assert describe(before, 2026) == (
        "Tháng 10/2026 (Trường hợp có thông báo kiểm tra của cơ quan có thẩm quyền thì đánh giá"
        " thử tại thời điểm 15 ngày trước khi có thông báo kiểm tra của cơ quan có thẩm quyền)"
    )
    assert describe(right_after, 2026) == (
        "Tháng 7/2026 (Trường hợp tổ chức đánh giá nội bộ thì họp ngay sau khi kết thúc"
        " đánh giá nội bộ)"
    )


def test_it_puts_the_alternative_and_note_after_the_last_clause() -> None:
    timing = Timing(
        parts=(Part(Kind.MONTH, month=3), Part(Kind.MONTH, month=9)),
        alternative=Alternative(DOC_SET, 30),
        note="(nếu có)",
    )
    lines = describe(timing, 2026).split("\n")
    assert lines[0] == "+ Tháng 3/2026"
    assert lines[1].startswith("+ Tháng 9/2026 (Trường hợp ban hành")
    assert lines[1].endswith("có hiệu lực) (nếu có)")


@pytest.mark.parametrize(
    ("note", "text"),
    [
        ("(hoặc khi có yêu cầu của cấp trên)", "Tháng 11/2024 (hoặc khi có yêu cầu của cấp trên)"),
        ("Thời gian: 01 ngày", "Tháng 11/2024\nThời gian: 01 ngày"),
    ],
)
def test_it_places_a_note_by_how_it_starts(note: str, text: str) -> None:
    assert describe(month(11, note=note), 2024) == text


def test_it_has_wording_for_every_catalogue_event_in_every_position() -> None:
    # Registered by their apps (documents) or, until those apps exist, by plans.
    EVENTS = registered()
    assert set(EVENTS) == {
        "document_set_effective",
        "management_review_held",
        "inspection_notice",
        "tthc_catalogue_approved",
        "internal_audit_held",
    }
    for key, entry in EVENTS.items():
        assert entry.key == key
        for phrase in (entry.label, entry.since, entry.before, entry.when, entry.condition):
            assert phrase == phrase.strip()
            assert phrase


# ------------------------------------------------------------------------- stored form


def test_it_stores_only_what_differs_from_the_defaults() -> None:
    timing = Timing(
        parts=(
            Part(Kind.RECURRING, every=3, label="đối với việc rà soát"),
            event("tthc_catalogue_approved", 0),
            Part(Kind.DATE, day=date(2026, 3, 5)),
            Part(Kind.MONTHS, months=(6, 11)),
        ),
        alternative=Alternative(DOC_SET, 30),
        note="(nếu có)",
    )
    assert timing.to_dict() == {
        "parts": [
            {"kind": "recurring", "every": 3, "label": "đối với việc rà soát"},
            {"kind": "event", "event": "tthc_catalogue_approved"},
            {"kind": "date", "day": "2026-03-05"},
            {"kind": "months", "months": [6, 11]},
        ],
        "alternative": {"event": DOC_SET, "offset_days": 30},
        "note": "(nếu có)",
    }
    assert list(timing.to_dict()["parts"][0]) == ["kind", "every", "label"]


def test_it_keeps_the_action_and_a_negative_offset_in_the_dict() -> None:
    timing = one(event("inspection_notice", -15), alternative=Alternative(DOC_SET, 0, "họp"))
    data = timing.to_dict()
    assert data["parts"] == [{"kind": "event", "event": "inspection_notice", "offset_days": -15}]
    assert data["alternative"] == {"event": DOC_SET, "offset_days": 0, "action": "họp"}
    assert Timing.from_dict(data) == timing


def test_it_reads_months_given_as_a_tuple() -> None:
    data = {"parts": [{"kind": "months", "months": (6, 11)}]}
    assert Timing.from_dict(data) == one(Part(Kind.MONTHS, months=(6, 11)))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"parts": [{"kind": "month", "month": 13}]}, "Tháng phải từ 1 đến 12."),
        ({"parts": [{"kind": "month", "month": 0}]}, "Tháng phải từ 1 đến 12."),
        ({"parts": [{"kind": "months", "months": [6, 13]}]}, "Tháng phải từ 1 đến 12."),
        ({"parts": [{"kind": "quarter", "quarter": 5}]}, "Quý phải từ 1 đến 4."),
        (
            {"parts": [{"kind": "event", "event": "party"}]},
            "Sự kiện không có trong danh mục: party.",
        ),
        (
            {"parts": [{"kind": "year"}], "alternative": {"event": "party", "offset_days": 3}},
            "Sự kiện không có trong danh mục: party.",
        ),
        ({"parts": [{"kind": "recurring", "every": 0}]}, "Chu kỳ phải từ 1 đến 12 tháng."),
        ({"parts": [{"kind": "recurring", "every": 13}]}, "Chu kỳ phải từ 1 đến 12 tháng."),
        ({"parts": []}, "Cần ít nhất một mốc thời gian."),
        ({}, "Cần ít nhất một mốc thời gian."),
        ({"parts": [{"kind": "month"}]}, "Mốc thời gian loại «Tháng» cần có tháng."),
        ({"parts": [{"kind": "recurring"}]}, "Mốc thời gian loại «Định kỳ» cần có chu kỳ."),
        ({"parts": [{"kind": "event"}]}, "Mốc thời gian loại «Theo sự kiện» cần có sự kiện."),
        ({"parts": [{"kind": "months", "months": []}]}, "cần có các tháng."),
        ({"parts": [{"kind": "date"}]}, "Mốc thời gian loại «Ngày cụ thể» cần có ngày."),
        (
            {"parts": [{"kind": "date", "day": "2026-02-30"}]},
            "Ngày không hợp lệ: '2026-02-30' (cần dạng YYYY-MM-DD).",
        ),
        ({"parts": [{"kind": "date", "day": "05/03/2026"}]}, "Ngày không hợp lệ: '05/03/2026'"),
        ({"parts": [{"kind": "date", "day": "20260305"}]}, "Ngày không hợp lệ: '20260305'"),
        ({"parts": [{"kind": "week"}]}, "Loại mốc thời gian không hợp lệ: 'week'."),
        ({"parts": [{"month": 3}]}, "Loại mốc thời gian không hợp lệ: None."),
        ({"parts": [{"kind": "month", "month": True}]}, "Tháng phải là số nguyên."),
        ({"parts": [{"kind": "month", "month": "6"}]}, "Tháng phải là số nguyên."),
        ({"parts": [{"kind": "months", "months": [11, 6]}]}, "theo thứ tự tăng dần"),
        ({"parts": [{"kind": "months", "months": [6, 6]}]}, "Các tháng phải khác nhau"),
        ({"parts": [{"kind": "month", "month": 6, "x": 1}]}, "Trường không hợp lệ: x."),
        ({"parts": [{"kind": "year"}], "due": "soon"}, "Trường không hợp lệ: due."),
        (
            {"parts": [{"kind": "event", "event": DOC_SET, "offset_days": 400}]},
            "Số ngày không được vượt quá 366.",
        ),
        (
            {"parts": [{"kind": "year"}], "alternative": {"event": DOC_SET}},
            "Phương án thay thế cần có sự kiện và số ngày.",
        ),
        ({"parts": [{"kind": "year", "label": 5}]}, "Nhãn phải là chuỗi ký tự."),
        ({"parts": [{"kind": "year"}], "note": None}, "Ghi chú phải là chuỗi ký tự."),
        ({"parts": {"kind": "year"}}, "Danh sách mốc thời gian phải là một mảng."),
        ({"parts": ["month 6"]}, "Mỗi mốc thời gian phải là một đối tượng."),
        ([], "Thời gian thực hiện phải là một đối tượng."),
    ],
)
def test_it_refuses_a_bad_dict_with_a_vietnamese_message(data: Any, message: str) -> None:
    with pytest.raises(TimingError, match=re.escape(message)):
        Timing.from_dict(data)


def test_it_freezes_lists_given_in_code() -> None:
    timing = Timing(parts=[Part(Kind.MONTHS, months=[6, 11])])  # type: ignore[arg-type]
    assert timing == one(Part(Kind.MONTHS, months=(6, 11)))
    assert hash(timing) == hash(one(Part(Kind.MONTHS, months=(6, 11))))


def test_it_raises_errors_that_are_value_errors() -> None:
    assert issubclass(TimingError, ValueError)
    with pytest.raises(ValueError, match="Cần ít nhất một mốc thời gian."):
        Timing(parts=())


def test_it_ignores_fields_that_only_another_kind_uses() -> None:
    # What a form posts when the month and quarter selects keep a value for any kind.
    data = {
        "parts": [
            {"kind": "year", "month": 1, "quarter": 1, "offset_days": 0, "label": "x"},
            {"kind": "quarter", "quarter": 2, "month": 99, "day": "not a date"},
        ]
    }
    timing = Timing.from_dict(data)
    assert timing == Timing(parts=(Part(Kind.YEAR, label="x"), Part(Kind.QUARTER, quarter=2)))
    assert timing.to_dict() == {
        "parts": [{"kind": "year", "label": "x"}, {"kind": "quarter", "quarter": 2}]
    }


def test_it_refuses_a_bad_part_built_in_code_too() -> None:
    with pytest.raises(TimingError, match="Tháng phải từ 1 đến 12."):
        Part(Kind.MONTH, month=13)
    with pytest.raises(TimingError, match="Mốc thời gian loại «Quý» không dùng tháng."):
        Part(Kind.QUARTER, quarter=2, month=4)
    with pytest.raises(TimingError, match="Mốc thời gian loại «Tháng» không dùng số ngày."):
        Part(Kind.MONTH, month=4, offset_days=3)
    with pytest.raises(TimingError, match="Mốc thời gian loại «Tháng» cần có tháng."):
        Part(Kind.MONTH)
    with pytest.raises(TimingError, match="Sự kiện không có trong danh mục: x."):
        Alternative("x", 3)


# ------------------------------------------------------------------------------ next year


def test_it_moves_fixed_dates_to_the_next_year() -> None:
    timing = Timing(parts=(Part(Kind.DATE, day=date(2026, 3, 5), label="x"), Part(Kind.YEAR)))
    assert timing.shifted(1) == Timing(
        parts=(Part(Kind.DATE, day=date(2027, 3, 5), label="x"), Part(Kind.YEAR))
    )


def test_it_turns_29_february_into_28_february_in_a_common_year() -> None:
    timing = one(Part(Kind.DATE, day=date(2028, 2, 29)))
    assert timing.shifted(1) == one(Part(Kind.DATE, day=date(2029, 2, 28)))
    assert timing.shifted(4) == one(Part(Kind.DATE, day=date(2032, 2, 29)))


@pytest.mark.parametrize("row", SEED_ROWS, ids=SEED_IDS)
def test_it_leaves_year_relative_rules_unchanged_for_next_year(row: SeedRow) -> None:
    shifted = row.timing.shifted(1)
    assert shifted == row.timing
    # ...and the wording follows the plan's year.
    assert describe(shifted, row.year + 1) == row.text.replace(
        f"/{row.year}", f"/{row.year + 1}"
    ).replace(f"năm {row.year}", f"năm {row.year + 1}")


# -------------------------------------------------------------------------------- reading


@pytest.mark.parametrize(
    ("text", "year", "timing"),
    [
        ("01/2024", 2024, month(1)),
        ("Tháng 06/2026", 2026, month(6)),
        ("tháng 6", 2026, month(6)),
        ("Quý 3/2026", 2026, one(Part(Kind.QUARTER, quarter=3))),
        ("Quý II năm 2026", 2026, one(Part(Kind.QUARTER, quarter=2))),
        ("Cả năm", 2026, one(Part(Kind.YEAR))),
        ("Hàng tháng", 2026, one(Part(Kind.RECURRING, every=1))),
        ("Hằng quý", 2026, one(Part(Kind.RECURRING, every=3))),
        ("05/3/2026", 2026, one(Part(Kind.DATE, day=date(2026, 3, 5)))),
        ("Tháng 11 và tháng 6/2024", 2024, one(Part(Kind.MONTHS, months=(6, 11)))),
        (
            "Tháng 7 và tháng 12/2024 (hoặc khi có thay đổi danh mục TTHC)",
            2024,
            seed("binhson", 6).timing,
        ),
        ("10 ngày kể từ ngày họp xem xét lãnh đạo", 2026, seed("haiphong", 7).timing),
        (
            "Tháng 07/2026 (Trường hợp ban hành Bộ tài liệu ISO mới thì tổ chức đánh giá nội bộ"
            " tại thời điểm 30 ngày kể từ ngày Quyết định có hiệu lực)",
            2026,
            seed("haiphong", 5).timing,
        ),
        (
            "+ Định kỳ 03 tháng/lần đối với việc rà soát căn cứ pháp lý của các quy trình ISO"
            " + Thực hiện việc tổng rà soát, sửa đổi, bổ sung các quy trình ISO ngay sau khi có"
            " văn bản của UBND thành phố về việc phê duyệt danh mục thủ tục hành chính thuộc"
            " thẩm quyền của Ban Quản lý",
            2026,
            seed("haiphong", 4).timing,
        ),
    ],
)
def test_it_reads_timing_as_real_plans_write_it(text: str, year: int, timing: Timing) -> None:
    assert parse_vietnamese(text, year) == timing


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Chưa nhập thời gian thực hiện."),
        ("sớm nhất có thể", "Không nhận dạng được thời gian thực hiện: «sớm nhất có thể»."),
        ("6 tháng đầu năm", "Không nhận dạng được thời gian thực hiện"),
        ("Tháng 6/2025", "Năm 2025 không khớp với năm kế hoạch 2024"),
        ("Ngày 31/2/2024", "Ngày không hợp lệ: «Ngày 31/2/2024»."),
        ("Tháng 13/2024", "Tháng phải từ 1 đến 12."),
        ("10 ngày kể từ ngày khai trương", "Sự kiện không có trong danh mục: «ngày khai trương»."),
    ],
)
def test_it_refuses_timing_text_it_cannot_read(text: str, message: str) -> None:
    with pytest.raises(TimingError, match=re.escape(message)):
        parse_vietnamese(text, 2024)
