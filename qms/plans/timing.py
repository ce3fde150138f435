"""When a task of a QMS maintenance plan is due ("Thời gian thực hiện").

A plan row's timing is stored as a rule (`Timing`) so the system can compute due dates
(`occurrences`), and the Vietnamese wording printed on screen and in the exported plan is
generated from that rule (`describe`), so the text can never disagree with what is tracked.
The wording follows the real plans: "Tháng 6/2024 và tháng 11/2024", "Quý III/2026",
"Định kỳ 03 tháng/lần", "10 ngày kể từ ngày họp xem xét của lãnh đạo", "(Trường hợp ban
hành Bộ tài liệu ISO mới thì ... tại thời điểm 30 ngày kể từ ...)", and what other agencies'
plans write: "Từ tháng 6 đến tháng 8/2026", "Từ ngày 05/3/2026 đến ngày 20/4/2026", "Sau
tháng 9/2026", "Đầu năm 2026", "Cuối Quý II/2026", "6 tháng đầu năm 2026", "Khi có yêu cầu,
chậm nhất ngày 30/9/2026", and a timing the plan leaves open (printed as nothing, never due).

Pure standard library: no Django import, so forms, exports and scripts can all use it. The
events a relative rule waits for, and their wording, come from a catalogue (`qms.plans.events`:
what the apps registered, and for one agency its own events too); `describe` and
`parse_vietnamese` take the catalogue to use, the registered one by default.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import MAXYEAR, MINYEAR, date
from enum import StrEnum
from typing import Any

from qms.lib.dates import add_days
from qms.plans.events import Event, is_agency_key, registered

__all__ = [
    "ALTERNATIVE_INDEX",
    "KIND_LABELS",
    "MAX_OFFSET_DAYS",
    "Alternative",
    "Catalogue",
    "Event",
    "Kind",
    "Occurrence",
    "Part",
    "Timing",
    "TimingError",
    "describe",
    "occurrences",
    "parse_vietnamese",
]


class TimingError(ValueError):
    """A timing rule that cannot be computed; the message is Vietnamese, shown to users."""


class Kind(StrEnum):
    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CONTINUOUS = "continuous"
    MONTHS = "months"
    RECURRING = "recurring"
    EVENT = "event"
    WINDOW = "window"  # "Từ tháng 6 đến tháng 8/2026"
    DATE_WINDOW = "date_window"  # "Từ ngày 05/3/2026 đến ngày 20/4/2026"
    AFTER = "after"  # "Sau tháng 9/2026"
    BEFORE = "before"  # "Trước tháng 9/2026"
    START = "start"  # "Đầu năm 2026", "Đầu Quý II/2026"
    END = "end"  # "Cuối năm 2026", "Cuối Quý II/2026"
    HALF = "half"  # "6 tháng đầu năm 2026", "6 tháng cuối năm 2026"
    ON_REQUEST = "on_request"  # "Khi có yêu cầu[, chậm nhất ngày 30/9/2026]"
    AS_NEEDED = "as_needed"  # "Khi phát sinh[, chậm nhất ngày 30/9/2026]"
    UNSTATED = "unstated"  # the source leaves the timing open: printed as nothing
    PERIOD = "period"  # "Giai đoạn 2026–2030": a programme's whole period, due at its end


# Names of the kinds for choosers and error messages.
KIND_LABELS: dict[Kind, str] = {
    Kind.DATE: "Ngày cụ thể",
    Kind.MONTH: "Tháng",
    Kind.QUARTER: "Quý",
    Kind.YEAR: "Cả năm",
    Kind.CONTINUOUS: "Thường xuyên",
    Kind.MONTHS: "Một số tháng",
    Kind.RECURRING: "Định kỳ",
    Kind.EVENT: "Theo sự kiện",
    Kind.WINDOW: "Từ tháng … đến tháng …",
    Kind.DATE_WINDOW: "Từ ngày … đến ngày …",
    Kind.AFTER: "Sau tháng",
    Kind.BEFORE: "Trước tháng",
    Kind.START: "Đầu năm, đầu quý",
    Kind.END: "Cuối năm, cuối quý",
    Kind.HALF: "6 tháng",
    Kind.ON_REQUEST: "Khi có yêu cầu",
    Kind.AS_NEEDED: "Khi phát sinh",
    Kind.UNSTATED: "Không nêu thời gian",
    Kind.PERIOD: "Cả giai đoạn",
}

# Kinds with no date of their own: one occurrence without a due date (never overdue)
# unless a latest date ("chậm nhất ngày ...") is given, which is then the due date.
_ON_CALL_KINDS = (Kind.ON_REQUEST, Kind.AS_NEEDED, Kind.UNSTATED)

# Programmes run five years, sometimes ten ("giai đoạn 2021–2030"); more is a typing mistake.
MAX_PERIOD_YEARS = 10

# A plan covers one year; an offset beyond that is certainly a typing mistake, and the
# bound also keeps date arithmetic away from OverflowError.
MAX_OFFSET_DAYS = 366

# `Occurrence.part_index` of the single occurrence produced by a recorded alternative.
ALTERNATIVE_INDEX = -1

# Event key -> wording: `qms.plans.events.registered()` or `events.catalogue(agency)`.
Catalogue = Mapping[str, Event]


# Which fields each kind uses; every other field must keep its default so that one rule
# has exactly one stored form (and `to_dict` round-trips).
_OWN_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.DATE: ("day",),
    Kind.MONTH: ("month",),
    Kind.QUARTER: ("quarter",),
    Kind.YEAR: (),
    Kind.CONTINUOUS: (),
    Kind.MONTHS: ("months",),
    Kind.RECURRING: ("every",),
    Kind.EVENT: ("event", "offset_days"),
    Kind.WINDOW: ("month", "to_month"),
    Kind.DATE_WINDOW: ("day", "to_day"),
    Kind.AFTER: ("month",),
    Kind.BEFORE: ("month",),
    Kind.START: ("quarter",),
    Kind.END: ("quarter",),
    Kind.HALF: ("half",),
    Kind.ON_REQUEST: ("day",),
    Kind.AS_NEEDED: ("day",),
    Kind.UNSTATED: (),
    Kind.PERIOD: ("years",),
}
# Own fields a kind may leave at their default: an event's offset (0: "ngay sau khi"), the
# quarter of a start or end (none: of the year), the latest date of an on-call kind.
_OPTIONAL_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.EVENT: ("offset_days",),
    Kind.START: ("quarter",),
    Kind.END: ("quarter",),
    Kind.ON_REQUEST: ("day",),
    Kind.AS_NEEDED: ("day",),
}
_FIELD_NAMES = {
    "day": "ngày",
    "to_day": "ngày kết thúc",
    "month": "tháng",
    "to_month": "tháng kết thúc",
    "quarter": "quý",
    "half": "nửa năm",
    "months": "các tháng",
    "every": "chu kỳ",
    "event": "sự kiện",
    "offset_days": "số ngày",
    "years": "số năm",
}


@dataclass(frozen=True)
class Part:
    """One clause of a timing; which fields matter depends on `kind`."""

    kind: Kind
    day: date | None = None  # DATE; ON_REQUEST, AS_NEEDED: the latest date, if any;
    # DATE_WINDOW: its first day
    to_day: date | None = None  # DATE_WINDOW: its last day (the due date), after `day`
    month: int | None = None  # MONTH, AFTER, BEFORE (1-12); WINDOW: its first month
    to_month: int | None = None  # WINDOW: its last month, after `month`
    quarter: int | None = None  # QUARTER (1-4); START, END: of that quarter, else of the year
    half: int | None = None  # HALF: 1 (tháng 1-6) or 2 (tháng 7-12)
    months: tuple[int, ...] = ()  # MONTHS, increasing
    every: int | None = None  # RECURRING: every N months, periods start in January
    event: str | None = None  # EVENT: key of a catalogue event
    offset_days: int = 0  # EVENT: >0 after, <0 before, 0 "ngay sau khi"
    years: int | None = None  # PERIOD: how many years, the row's year the first (2026–2030: 5)
    label: str = ""  # object phrase, e.g. "đối với việc rà soát ..."

    def __post_init__(self) -> None:
        object.__setattr__(self, "months", tuple(self.months))  # a list would be mutable
        # Validated on construction so a bad rule fails where it is made, not at export.
        _check_fields(self)
        _check_values(self)


@dataclass(frozen=True)
class Alternative:
    """A possibility that, once its event is recorded, replaces the parts' due dates."""

    event: str
    offset_days: int
    action: str = ""  # e.g. "tổ chức đánh giá nội bộ"

    def __post_init__(self) -> None:
        _check_event(self.event)
        _check_offset(self.offset_days)


@dataclass(frozen=True)
class Timing:
    """A task's "Thời gian thực hiện": one or more clauses, an alternative and a note."""

    parts: tuple[Part, ...]
    alternative: Alternative | None = None
    note: str = ""  # free text after the wording, e.g. "(hoặc khi có yêu cầu của cấp trên)"

    def __post_init__(self) -> None:
        # A list passed by a caller would make the rule unhashable and mutable: freeze it.
        object.__setattr__(self, "parts", tuple(self.parts))
        if not self.parts:
            raise TimingError("Cần ít nhất một mốc thời gian.")
        _check_unstated(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form with stable keys; fields at their default are left out."""
        data: dict[str, Any] = {"parts": [_part_to_dict(part) for part in self.parts]}
        if self.alternative is not None:
            data["alternative"] = _alternative_to_dict(self.alternative)
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Timing:
        """Rebuild from `to_dict` output (or a form/JSON payload); raises TimingError."""
        obj = _mapping(data, "Thời gian thực hiện phải là một đối tượng.")
        _reject_unknown(obj, ("parts", "alternative", "note"))
        raw_parts = obj.get("parts")
        if raw_parts is None or raw_parts == []:
            raise TimingError("Cần ít nhất một mốc thời gian.")
        if not isinstance(raw_parts, list):
            raise TimingError("Danh sách mốc thời gian phải là một mảng.")
        raw_alternative = obj.get("alternative")
        alternative = None if raw_alternative is None else _alternative_from_dict(raw_alternative)
        return cls(
            parts=tuple(_part_from_dict(raw) for raw in raw_parts),
            alternative=alternative,
            note=_text(obj.get("note", ""), "Ghi chú"),
        )

    def shifted(self, years: int) -> Timing:
        """The same rule for a plan `years` later: only fixed dates carry a year."""
        return replace(self, parts=tuple(_shift_part(part, years) for part in self.parts))


@dataclass(frozen=True)
class Occurrence:
    """One due date of a task in a year, or a wait for an event not yet recorded."""

    due: date | None  # None while waiting for an event, or for an on-call kind without date
    start: date | None  # first day of the window (equal to `due` for a single day)
    waiting_for: str | None  # event key while waiting ("chờ sự kiện")
    part_index: int  # index into Timing.parts, or ALTERNATIVE_INDEX


# ---------------------------------------------------------------------------- validation

_DEFAULTS = {spec.name: spec.default for spec in fields(Part)}


def _check_fields(part: Part) -> None:
    own = _OWN_FIELDS[part.kind]
    kind_name = KIND_LABELS[part.kind]
    for name in _FIELD_NAMES:
        # Compared with the declared default, so month=0 is "out of range", not "missing".
        is_default = getattr(part, name) == _DEFAULTS[name]
        if name in own and is_default and name not in _OPTIONAL_FIELDS.get(part.kind, ()):
            field_name = _FIELD_NAMES[name]
            raise TimingError(f"Mốc thời gian loại «{kind_name}» cần có {field_name}.")
        if name not in own and not is_default:
            field_name = _FIELD_NAMES[name]
            raise TimingError(f"Mốc thời gian loại «{kind_name}» không dùng {field_name}.")


def _check_values(part: Part) -> None:
    for month in (part.month, part.to_month):
        if month is not None:
            _check_month(month)
    if part.half is not None and part.half not in (1, 2):
        raise TimingError("Nửa năm phải là 1 (6 tháng đầu năm) hoặc 2 (6 tháng cuối năm).")
    if part.quarter is not None and not 1 <= part.quarter <= 4:
        raise TimingError("Quý phải từ 1 đến 4.")
    for month in part.months:
        _check_month(month)
    if list(part.months) != sorted(set(part.months)):
        raise TimingError("Các tháng phải khác nhau và theo thứ tự tăng dần.")
    if part.every is not None and not 1 <= part.every <= 12:
        raise TimingError("Chu kỳ phải từ 1 đến 12 tháng.")
    if part.years is not None and not 2 <= part.years <= MAX_PERIOD_YEARS:
        raise TimingError(f"Một giai đoạn gồm từ 2 đến {MAX_PERIOD_YEARS} năm.")
    if part.event is not None:
        _check_event(part.event)
    _check_offset(part.offset_days)
    _check_span(part)


def _check_span(part: Part) -> None:
    """What a month- or date-based kind cannot say: an empty or reversed window."""
    if part.kind is Kind.DATE_WINDOW and part.day is not None and part.to_day is not None:
        first_day, last_day = _day_text(part.day), _day_text(part.to_day)
        if part.to_day == part.day:
            raise TimingError(
                f"Từ ngày {first_day} đến ngày {last_day} là một ngày: chọn loại «Ngày cụ thể»."
            )
        if part.to_day < part.day:
            raise TimingError(f"Ngày kết thúc ({last_day}) phải sau ngày bắt đầu ({first_day}).")
    first, last = part.month or 0, part.to_month or 0
    if part.kind is Kind.WINDOW and last == first:
        raise TimingError(f"Từ tháng {first} đến tháng {last} là một tháng: chọn loại «Tháng».")
    if part.kind is Kind.WINDOW and last < first:
        raise TimingError(f"Tháng kết thúc (tháng {last}) phải sau tháng bắt đầu (tháng {first}).")
    if part.kind is Kind.AFTER and first == 12:
        raise TimingError("Sau tháng 12 không còn tháng nào trong năm kế hoạch.")
    if part.kind is Kind.BEFORE and first == 1:
        raise TimingError("Trước tháng 1 không còn tháng nào trong năm kế hoạch.")
    if part.kind is Kind.UNSTATED and part.label:
        raise TimingError("Thời gian không nêu thì không có lời văn kèm theo.")


def _check_unstated(timing: Timing) -> None:
    # Printed as nothing: anything beside it would print without a timing to go with.
    if not any(part.kind is Kind.UNSTATED for part in timing.parts):
        return
    if len(timing.parts) > 1:
        raise TimingError("«Không nêu thời gian» không đi cùng mốc thời gian khác.")
    if timing.alternative is not None or timing.note:
        raise TimingError(
            "Thời gian không nêu thì không kèm phương án thay thế hay ghi chú:"
            " hãy chọn một mốc thời gian."
        )


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise TimingError("Tháng phải từ 1 đến 12.")


def _check_event(key: str) -> None:
    # An agency's own event is checked against its catalogue where the agency is known (the
    # forms, the services); here only its key's form.
    if key not in registered() and not is_agency_key(key):
        raise TimingError(f"Sự kiện không có trong danh mục: {key}.")


def _event(catalogue: Catalogue, key: str) -> Event:
    try:
        return catalogue[key]
    except KeyError:
        raise TimingError(f"Sự kiện không có trong danh mục: {key}.") from None


def _check_offset(days: int) -> None:
    if abs(days) > MAX_OFFSET_DAYS:
        raise TimingError(f"Số ngày không được vượt quá {MAX_OFFSET_DAYS}.")


# -------------------------------------------------------------------- dict (JSON) form


def _part_to_dict(part: Part) -> dict[str, Any]:
    # Driven by the dataclass fields so the key order is the declaration order (stable).
    data: dict[str, Any] = {"kind": part.kind.value}
    for spec in fields(part):
        value = getattr(part, spec.name)
        if spec.name == "kind" or value == spec.default:
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        data[spec.name] = value
    return data


def _alternative_to_dict(alternative: Alternative) -> dict[str, Any]:
    data: dict[str, Any] = {"event": alternative.event, "offset_days": alternative.offset_days}
    if alternative.action:
        data["action"] = alternative.action
    return data


_PART_KEYS = tuple(spec.name for spec in fields(Part))


def _part_from_dict(raw: Any) -> Part:
    obj = _mapping(raw, "Mỗi mốc thời gian phải là một đối tượng.")
    _reject_unknown(obj, _PART_KEYS)
    kind = _kind(obj.get("kind"))
    # Fields that only another kind uses are ignored rather than refused: a form posts
    # every widget (a month <select> always has a value), and the rule rebuilt here keeps
    # only what this kind means. Building a Part in code stays strict.
    values = {
        name: _FIELD_READERS[name](obj[name])
        for name in _OWN_FIELDS[kind]
        if obj.get(name) is not None
    }
    return Part(kind=kind, label=_text(obj.get("label", ""), "Nhãn"), **values)


def _alternative_from_dict(raw: Any) -> Alternative:
    obj = _mapping(raw, "Phương án thay thế phải là một đối tượng.")
    _reject_unknown(obj, ("event", "offset_days", "action"))
    if "event" not in obj or "offset_days" not in obj:
        raise TimingError("Phương án thay thế cần có sự kiện và số ngày.")
    return Alternative(
        event=_text(obj["event"], "Sự kiện"),
        offset_days=_integer(obj["offset_days"], "Số ngày"),
        action=_text(obj.get("action", ""), "Công việc thay thế"),
    )


def _mapping(raw: Any, message: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise TimingError(message)
    return raw


def _reject_unknown(obj: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    # A misspelt key would otherwise be dropped silently and the rule would mean less.
    unknown = sorted(str(key) for key in obj if key not in allowed)
    if unknown:
        raise TimingError(f"Trường không hợp lệ: {', '.join(unknown)}.")


def _kind(raw: Any) -> Kind:
    try:
        return Kind(raw)
    except ValueError:
        raise TimingError(f"Loại mốc thời gian không hợp lệ: {raw!r}.") from None


def _integer(raw: Any, name: str) -> int:
    # bool is an int in Python; JSON `true` must not become month 1.
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise TimingError(f"{name} phải là số nguyên.")
    return raw


def _text(raw: Any, name: str) -> str:
    if not isinstance(raw, str):
        raise TimingError(f"{name} phải là chuỗi ký tự.")
    return raw


def _months(raw: Any) -> tuple[int, ...]:
    if not isinstance(raw, list | tuple):
        raise TimingError("Các tháng phải là một danh sách.")
    return tuple(_integer(month, "Tháng") for month in raw)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(raw: Any) -> date:
    # fromisoformat alone would also take "20260305" or week dates; store one form only.
    if isinstance(raw, str) and _ISO_DAY.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise TimingError(f"Ngày không hợp lệ: {raw!r} (cần dạng YYYY-MM-DD).")


_FIELD_READERS: dict[str, Callable[[Any], Any]] = {
    "day": _iso_day,
    "to_day": _iso_day,
    "month": lambda raw: _integer(raw, "Tháng"),
    "to_month": lambda raw: _integer(raw, "Tháng kết thúc"),
    "quarter": lambda raw: _integer(raw, "Quý"),
    "half": lambda raw: _integer(raw, "Nửa năm"),
    "months": _months,
    "every": lambda raw: _integer(raw, "Chu kỳ"),
    "event": lambda raw: _text(raw, "Sự kiện"),
    "offset_days": lambda raw: _integer(raw, "Số ngày"),
    "years": lambda raw: _integer(raw, "Số năm"),
}


def _shift_part(part: Part, years: int) -> Part:
    if part.day is None:
        return part
    if part.kind is Kind.DATE_WINDOW and part.to_day is not None:
        first, last = _shift_day(part.day, years), _shift_day(part.to_day, years)
        if last <= first:
            # 28/2-29/2 into a common year, or both dates past the calendar's bounds: keep
            # a window of at least two days rather than an empty one.
            if first == date.max:
                first = date.fromordinal(first.toordinal() - 1)
            else:
                last = date.fromordinal(first.toordinal() + 1)
        return replace(part, day=first, to_day=last)
    return replace(part, day=_shift_day(part.day, years))


def _shift_day(day: date, years: int) -> date:
    year = day.year + years
    if not MINYEAR <= year <= MAXYEAR:  # a date stored before dates were bounded (9999)
        return date.max if years > 0 else date.min
    try:
        return day.replace(year=year)
    except ValueError:  # 29/2 into a common year: the last day of February instead
        return date(year, 2, 28)


# ----------------------------------------------------------------------------- computing


def occurrences(timing: Timing, year: int, events: Mapping[str, date]) -> list[Occurrence]:
    """Due dates of `timing` in `year`, given the dates of the events recorded so far.

    `events` are the plan's recorded events; a relative date may fall outside `year`
    (e.g. 15 days before a notice of 10/01). Results are sorted, waits last.
    """
    alternative = timing.alternative
    if alternative is not None and alternative.event in events:
        # Recorded even after the fixed month has passed: the plan says the alternative
        # applies "in that case", so the fixed months no longer do.
        due = add_days(events[alternative.event], alternative.offset_days)
        return [Occurrence(due, due, None, ALTERNATIVE_INDEX)]
    found = [
        occurrence
        for index, part in enumerate(timing.parts)
        for occurrence in _part_occurrences(part, index, year, events)
    ]
    return sorted(found, key=lambda o: (o.due is None, o.due or date.min, o.part_index))


def _part_occurrences(
    part: Part, index: int, year: int, events: Mapping[str, date]
) -> list[Occurrence]:
    if part.kind is Kind.DATE and part.day is not None:
        return [Occurrence(part.day, part.day, None, index)]
    if part.kind is Kind.DATE_WINDOW and part.day is not None:
        # One occurrence, due on the last day; shaded on the timeline from the first.
        return [Occurrence(part.to_day, part.day, None, index)]
    if part.kind is Kind.EVENT and part.event is not None:
        return [_event_occurrence(part.event, part.offset_days, index, events)]
    if part.kind is Kind.PERIOD and part.years is not None:
        # One occurrence over the whole programme, due on the last day of its last year.
        return [Occurrence(date(year + part.years - 1, 12, 31), date(year, 1, 1), None, index)]
    if part.kind in _ON_CALL_KINDS:
        # Nothing to wait for either: never overdue until a latest date, if any, passes.
        # That date is a deadline, not a window: the work comes when it is asked for.
        return [Occurrence(part.day, part.day, None, index)]
    spans = _SPANS[part.kind](part) if part.kind in _SPANS else _month_spans(part)
    return [_span(year, first, last, index) for first, last in spans]


def _month_spans(part: Part) -> list[tuple[int, int]]:
    """(first month, last month) of each window of a calendar-based part."""
    if part.kind is Kind.MONTH and part.month is not None:
        return [(part.month, part.month)]
    if part.kind is Kind.QUARTER and part.quarter is not None:
        return [(part.quarter * 3 - 2, part.quarter * 3)]
    if part.kind is Kind.MONTHS:
        return [(month, month) for month in part.months]
    if part.kind is Kind.RECURRING and part.every is not None:
        # Periods start in January; a last short period (every 5: Nov-Dec) ends the year.
        return [(first, min(first + part.every - 1, 12)) for first in range(1, 13, part.every)]
    # YEAR and CONTINUOUS: the whole year, checked at its end.
    return [(1, 12)]


def _edge(quarter: int | None, *, start: bool) -> tuple[int, int]:
    """The months "đầu"/"cuối" of a quarter or the year mean (START, END)."""
    if quarter is not None:
        # "Đầu Quý II" is its first month (April), "Cuối Quý II" its last (June).
        month = quarter * 3 - 2 if start else quarter * 3
        return (month, month)
    # As a secretary reads her plan: "đầu năm" is January-February (what is still open in
    # March is no longer "đầu năm"; the first quarter would be written "Quý I"), "cuối
    # năm" November-December, due at the year's end ("by the end of the year").
    return (1, 2) if start else (11, 12)


# (first month, last month) of the one window of the newer month-based kinds.
_SPANS: dict[Kind, Callable[[Part], list[tuple[int, int]]]] = {
    Kind.WINDOW: lambda part: [(part.month or 1, part.to_month or 12)],
    # "Sau tháng 9": from October to the year's end; "Trước tháng 9": done by the end of
    # August (before September begins), active from January. Both stay in the plan's year.
    # A secretary who means "by the end of September" writes "Tháng 9" or "Chậm nhất
    # ngày 30/9"; "trước tháng 9" is read literally, the stricter deadline.
    Kind.AFTER: lambda part: [((part.month or 0) + 1, 12)],
    Kind.BEFORE: lambda part: [(1, (part.month or 13) - 1)],
    Kind.START: lambda part: [_edge(part.quarter, start=True)],
    Kind.END: lambda part: [_edge(part.quarter, start=False)],
    Kind.HALF: lambda part: [(1, 6) if part.half == 1 else (7, 12)],
}


def _span(year: int, first_month: int, last_month: int, index: int) -> Occurrence:
    last_day = calendar.monthrange(year, last_month)[1]
    return Occurrence(date(year, last_month, last_day), date(year, first_month, 1), None, index)


def _event_occurrence(
    key: str, offset_days: int, index: int, events: Mapping[str, date]
) -> Occurrence:
    if key not in events:
        return Occurrence(None, None, key, index)
    due = add_days(events[key], offset_days)
    return Occurrence(due, due, None, index)


# ------------------------------------------------------------------------------- wording

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def describe(timing: Timing, year: int, catalogue: Catalogue | None = None) -> str:
    """The Vietnamese "Thời gian thực hiện" cell for `timing` in a plan of `year`; events are
    worded as `catalogue` (the registered events by default) words them."""
    events = registered() if catalogue is None else catalogue
    lines = [_part_text(part, year, events) for part in timing.parts]
    # The Hải Phòng plan writes each clause of a multi-clause cell on its own "+ " line.
    text = lines[0] if len(lines) == 1 else "\n".join(f"+ {line}" for line in lines)
    if timing.alternative is not None:
        text += f" {_alternative_text(timing.alternative, events)}"
    if timing.note:
        # A parenthesised remark continues the sentence; anything else is its own line.
        text += (" " if timing.note.startswith("(") else "\n") + timing.note
    return text


def _part_text(part: Part, year: int, catalogue: Catalogue) -> str:
    if part.kind is Kind.EVENT and part.event is not None:
        event = _event(catalogue, part.event)
        if part.offset_days == 0:
            # "Thực hiện việc ... ngay sau khi ...": the action reads first, as in the plans.
            when = event.when
            return (
                f"{_cap(part.label)} ngay sau khi {when}" if part.label else f"Ngay sau khi {when}"
            )
        text = _offset_phrase(event, part.offset_days)
    elif part.kind in _ON_CALL_KINDS:
        return _on_call_text(part)
    else:
        text = _FIXED_TEXT[part.kind](part, year)
    return f"{text} {part.label}" if part.label else text


def _offset_phrase(event: Event, offset_days: int) -> str:
    if offset_days > 0:
        return f"{_count(offset_days)} ngày kể từ {event.since}"
    if offset_days < 0:
        return f"{_count(-offset_days)} ngày trước {event.before}"
    return f"ngay sau khi {event.when}"


_ON_CALL_WORDS = {Kind.ON_REQUEST: "Khi có yêu cầu", Kind.AS_NEEDED: "Khi phát sinh"}


def _on_call_text(part: Part) -> str:
    """ "Khi có yêu cầu của UBND tỉnh, chậm nhất ngày 30/9/2026": the label continues the
    phrase, the latest date closes it; a timing not stated is printed as nothing."""
    if part.kind is Kind.UNSTATED:
        return ""
    text = _ON_CALL_WORDS[part.kind]
    if part.label:
        text = f"{text} {part.label}"
    if part.day is not None:
        text = f"{text}, chậm nhất {_decap(_date_text(part, part.day.year))}"
    return text


def _edge_text(word: str) -> Callable[[Part, int], str]:
    def text(part: Part, year: int) -> str:
        if part.quarter is None:
            return f"{word} năm {year}"
        return f"{word} Quý {_ROMAN[part.quarter]}/{year}"

    return text


def _months_text(part: Part, year: int) -> str:
    items = [f"tháng {month}/{year}" for month in part.months]
    joined = items[0] if len(items) == 1 else f"{', '.join(items[:-1])} và {items[-1]}"
    return _cap(joined)


def _recurring_text(part: Part, year: int) -> str:
    every = part.every or 0
    if every == 1:
        return "Hằng tháng"
    if every == 12:
        return "Hằng năm"
    return f"Định kỳ {_count(every)} tháng/lần"


def _date_text(part: Part, year: int) -> str:
    return f"Ngày {_day_text(part.day or date(year, 1, 1))}"


def _day_text(day: date) -> str:
    # Day zero-padded, month not: the plans write dates like 09/5/2017 and 05/3/2014.
    return f"{day.day:02d}/{day.month}/{day.year}"


def _date_window_text(part: Part, year: int) -> str:
    first, last = part.day or date(year, 1, 1), part.to_day or date(year, 12, 31)
    return f"Từ ngày {_day_text(first)} đến ngày {_day_text(last)}"


_FIXED_TEXT: dict[Kind, Callable[[Part, int], str]] = {
    Kind.DATE: _date_text,
    Kind.MONTH: lambda part, year: f"Tháng {part.month}/{year}",
    Kind.QUARTER: lambda part, year: f"Quý {_ROMAN[part.quarter or 1]}/{year}",
    Kind.YEAR: lambda part, year: f"Cả năm {year}",
    Kind.CONTINUOUS: lambda part, year: "Thường xuyên",
    Kind.MONTHS: _months_text,
    Kind.RECURRING: _recurring_text,
    Kind.WINDOW: lambda part, year: f"Từ tháng {part.month} đến tháng {part.to_month}/{year}",
    Kind.DATE_WINDOW: _date_window_text,
    Kind.AFTER: lambda part, year: f"Sau tháng {part.month}/{year}",
    Kind.BEFORE: lambda part, year: f"Trước tháng {part.month}/{year}",
    Kind.START: _edge_text("Đầu"),
    Kind.END: _edge_text("Cuối"),
    Kind.HALF: lambda part, year: f"6 tháng {'đầu' if part.half == 1 else 'cuối'} năm {year}",
    Kind.PERIOD: lambda part, year: f"Giai đoạn {year}–{year + (part.years or 2) - 1}",
}


def _alternative_text(alternative: Alternative, catalogue: Catalogue) -> str:
    event = _event(catalogue, alternative.event)
    action = alternative.action or "thực hiện"
    timing = _offset_phrase(event, alternative.offset_days)
    if alternative.offset_days != 0:
        timing = f"tại thời điểm {timing}"
    return f"(Trường hợp {event.condition} thì {action} {timing})"


def _count(number: int) -> str:
    # Administrative style pads small counts: "03 tháng/lần", "01 ngày".
    return f"{number:02d}"


def _cap(text: str) -> str:
    # Not str.capitalize(): that would lower-case "ISO" and "UBND".
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------------------- reading


def parse_vietnamese(text: str, year: int, catalogue: Catalogue | None = None) -> Timing:
    """Read a typed or pasted "Thời gian thực hiện" cell back into a rule (data entry).

    Understands everything `describe` writes, plus common variants from real plans
    ("01/2024", "Tháng 06/2026", "Tháng 7 và tháng 12/2024", "Hàng tháng", "10 ngày kể
    từ ngày họp xem xét lãnh đạo"). Events are those of `catalogue` (the registered ones by
    default). Raises TimingError when a clause is not understood, so nothing is guessed
    silently.
    """
    events = registered() if catalogue is None else catalogue
    lines = [line.strip() for line in unicodedata.normalize("NFC", text).splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise TimingError("Chưa nhập thời gian thực hiện.")
    part_lines, note_lines = _split_lines(lines)
    last, alternative, tail_note = _split_tail(part_lines[-1], events)
    part_lines[-1] = last
    return Timing(
        parts=tuple(_parse_part(line, year, events) for line in part_lines),
        alternative=alternative,
        note="\n".join(note for note in (tail_note, *note_lines) if note),
    )


def _split_lines(lines: list[str]) -> tuple[list[str], list[str]]:
    """Clause lines and note lines: "+ " clauses first, or one clause line then notes."""
    if not lines[0].startswith("+"):
        return lines[:1], lines[1:]
    clauses: list[str] = []
    index = 0
    while index < len(lines) and lines[index].startswith("+"):
        # Pasted cells often lose their line breaks: "+ a + b" on one line.
        clauses += [c for c in re.split(r"(?:^|\s)\+\s+", lines[index]) if c.strip()]
        index += 1
    return [clause.strip() for clause in clauses], lines[index:]


_TAIL = re.compile(r"\s*\(([^()]*)\)\s*$")


def _split_tail(line: str, catalogue: Catalogue) -> tuple[str, Alternative | None, str]:
    """Take "(Trường hợp ...)" and a parenthesised note off the end of the last clause."""
    alternative: Alternative | None = None
    note = ""
    while (match := _TAIL.search(line)) and match.start() > 0:
        content = match.group(1).strip()
        if alternative is None and re.match(r"trường hợp\s", content, re.IGNORECASE):
            alternative = _parse_alternative(content, catalogue)
        elif not note and alternative is None:
            note = f"({content})"
        else:
            break
        line = line[: match.start()]
    return line.strip(), alternative, note


_ALTERNATIVE = re.compile(r"trường hợp\s+(?P<condition>.+?)\s+thì\s+(?P<rest>.+)", re.I | re.S)
_RELATIVE_START = re.compile(
    r"(?:^|\s)(?:tại thời điểm\s+)?(?P<phrase>\d+\s+ngày\s+(?:kể từ|trước)\s|ngay sau khi\s)",
    re.IGNORECASE,
)


def _parse_alternative(content: str, catalogue: Catalogue) -> Alternative:
    match = _ALTERNATIVE.fullmatch(content)
    relative = _RELATIVE_START.search(match.group("rest")) if match else None
    if match is None or relative is None:
        raise TimingError(f"Không đọc được phương án thay thế: «({content})».")
    rest = match.group("rest")
    event, offset_days, _label = _parse_relative(rest[relative.start("phrase") :], catalogue)
    action = rest[: relative.start()].strip()
    return Alternative(event, offset_days, "" if action == "thực hiện" else action)


_OFFSET = re.compile(r"(\d+)\s+ngày\s+(kể từ|trước)\s+(.+)", re.IGNORECASE | re.S)
_RIGHT_AFTER = re.compile(r"ngay sau khi\s+(.+)", re.IGNORECASE | re.S)


def _parse_relative(phrase: str, catalogue: Catalogue) -> tuple[str, int, str]:
    """(event key, offset days, label) of "N ngày kể từ/trước ..." or "ngay sau khi ..."."""
    if match := _OFFSET.fullmatch(phrase):
        after = match.group(2).lower() == "kể từ"
        key, label = _resolve_event(match.group(3), "since" if after else "before", catalogue)
        days = int(match.group(1))
        return key, days if after else -days, label
    if match := _RIGHT_AFTER.fullmatch(phrase):
        key, label = _resolve_event(match.group(1), "when", catalogue)
        return key, 0, label
    raise TimingError(f"Không đọc được mốc theo sự kiện: «{phrase}».")


def _resolve_event(rest: str, attribute: str, catalogue: Catalogue) -> tuple[str, str]:
    """The event named at the start of `rest`, and what follows it (a label)."""
    lowered = rest.lower()
    by_length = sorted(catalogue.values(), key=lambda e: -len(getattr(e, attribute)))
    for event in by_length:
        phrase = getattr(event, attribute).lower()
        if lowered.startswith(phrase) and lowered[len(phrase) : len(phrase) + 1] in ("", " "):
            return event.key, rest[len(phrase) :].strip()
    # Not the catalogue's wording: recognise the event by its words; the whole remainder
    # is then the event phrase, and the generated wording will be the catalogue's. Several
    # events' words may appear ("đánh giá nội bộ" next to another event): the one named
    # first is the one counted from.
    found = [
        (lowered.find(word), -len(word), event.key)
        for event in catalogue.values()
        for word in event.words
        if word in lowered
    ]
    if found:
        return min(found)[2], ""
    raise TimingError(f"Sự kiện không có trong danh mục: «{rest}».")


def _parse_part(line: str, year: int, catalogue: Catalogue) -> Part:
    event = _read_event(line, catalogue)
    if event is not None:
        return event
    for reader in _READERS:
        part = reader(line, year)
        if part is not None:
            return part
    raise TimingError(f"Không nhận dạng được thời gian thực hiện: «{line}».")


def _read_event(line: str, catalogue: Catalogue) -> Part | None:
    if _OFFSET.fullmatch(line) or _RIGHT_AFTER.fullmatch(line):
        key, offset_days, label = _parse_relative(line, catalogue)
        return Part(Kind.EVENT, event=key, offset_days=offset_days, label=label)
    # "<Công việc> ngay sau khi <sự kiện>": the action written first.
    match = re.search(r"\s+ngay sau khi\s+", line, re.IGNORECASE)
    if match is None:
        return None
    key, _offset, _label = _parse_relative(line[match.start() :].strip(), catalogue)
    return Part(Kind.EVENT, event=key, label=_decap(line[: match.start()].strip()))


def _head(pattern: str, line: str) -> tuple[re.Match[str], str] | None:
    """Match `pattern` at the start of a whole word run; the rest is the clause's label."""
    match = re.match(pattern, line, re.IGNORECASE)
    if match is None or line[match.end() : match.end() + 1] not in ("", " "):
        return None
    return match, line[match.end() :].strip()


def _check_year(found: str | None, year: int, line: str) -> None:
    # Months and quarters are relative to the plan's year; another year is a mistake.
    if found is not None and int(found) != year:
        raise TimingError(f"Năm {found} không khớp với năm kế hoạch {year}: «{line}».")


_DAY = r"(\d{1,2})/(\d{1,2})"


def _read_date_window(line: str, year: int) -> Part | None:
    # "Từ ngày 05/3/2026 đến ngày 20/4/2026", "từ 05/3/2026 đến 20/4/2026", "05/3/2026 -
    # 20/4/2026", "Từ ngày 05/3 đến ngày 20/4/2026" (the first date in the last one's year).
    pattern = (
        rf"(?:từ\s+)?(?:ngày\s+)?{_DAY}(?:/(\d{{4}}))?\s*(?:\s(?:đến|tới)\s|-|–)\s*"
        rf"(?:hết\s+)?(?:ngày\s+)?{_DAY}/(\d{{4}})"
    )
    head = _head(pattern, line)
    if head is None:
        return None
    match, label = head
    first_day, first_month, first_year, last_day, last_month, last_year = match.groups()
    try:
        last = date(int(last_year), int(last_month), int(last_day))
    except ValueError:
        raise TimingError(f"Ngày không hợp lệ: «{last_day}/{last_month}/{last_year}».") from None
    written = f"{first_day}/{first_month}" + (f"/{first_year}" if first_year else "")
    try:
        first = date(int(first_year or last_year), int(first_month), int(first_day))
    except ValueError:
        raise TimingError(f"Ngày không hợp lệ: «{written}».") from None
    return Part(Kind.DATE_WINDOW, day=first, to_day=last, label=label)


def _read_date(line: str, year: int) -> Part | None:
    head = _head(r"(?:ngày\s+)?(\d{1,2})/(\d{1,2})/(\d{4})", line)
    if head is None:
        return None
    match, label = head
    day, month, full_year = (int(group) for group in match.groups())
    try:
        return Part(Kind.DATE, day=date(full_year, month, day), label=label)
    except ValueError:
        raise TimingError(f"Ngày không hợp lệ: «{match.group(0)}».") from None


_ROMAN_VALUES = {roman: number for number, roman in _ROMAN.items()}


def _read_quarter(line: str, year: int) -> Part | None:
    head = _head(r"quý\s+(IV|I{1,3}|[1-4])(?:\s*/\s*(\d{4})|\s+năm\s+(\d{4}))?", line)
    if head is None:
        return None
    match, label = head
    _check_year(match.group(2) or match.group(3), year, line)
    return Part(Kind.QUARTER, quarter=_quarter_number(match.group(1)), label=label)


def _quarter_number(written: str) -> int:
    number = written.upper()
    return _ROMAN_VALUES[number] if number in _ROMAN_VALUES else int(number)


def _read_year(line: str, year: int) -> Part | None:
    if head := _head(r"cả\s+năm(?:\s+(\d{4}))?", line):
        _check_year(head[0].group(1), year, line)
        return Part(Kind.YEAR, label=head[1])
    if head := _head(r"thường\s+xuyên", line):
        return Part(Kind.CONTINUOUS, label=head[1])
    return None


_EVERY_WORD = {"tháng": 1, "quý": 3, "năm": 12}


def _read_recurring(line: str, year: int) -> Part | None:
    if head := _head(r"định\s+kỳ\s+(\d{1,2})\s+tháng\s*/\s*lần", line):
        return Part(Kind.RECURRING, every=int(head[0].group(1)), label=head[1])
    if head := _head(r"h[ằà]ng\s+(tháng|quý|năm)", line):
        every = _EVERY_WORD[head[0].group(1).lower()]
        return Part(Kind.RECURRING, every=every, label=head[1])
    return None


_MONTH_ITEM = r"(?:tháng\s+)?\d{1,2}(?:\s*/\s*\d{4})?"
_MONTH_LIST = rf"{_MONTH_ITEM}(?:(?:\s*,\s*|\s+và\s+){_MONTH_ITEM})*"


def _read_months(line: str, year: int) -> Part | None:
    head = _head(_MONTH_LIST, line)
    if head is None:
        return None
    match, label = head
    items = re.findall(r"(\d{1,2})(?:\s*/\s*(\d{4}))?", match.group(0))
    # A bare number is a month only when written "tháng 6" or "06/2024".
    if not match.group(0).lower().startswith("tháng") and not items[0][1]:
        return None
    for _month, found in items:
        _check_year(found or None, year, line)
    months = tuple(sorted({int(month) for month, _found in items}))
    if len(months) == 1:
        return Part(Kind.MONTH, month=months[0], label=label)
    return Part(Kind.MONTHS, months=months, label=label)


_YEAR_SUFFIX = r"(?:\s*/\s*(\d{4})|\s+năm\s+(\d{4}))?"


def _read_window(line: str, year: int) -> Part | None:
    # "Từ tháng 6 đến tháng 8/2026", also "Tháng 6 - tháng 8/2026", "đến hết tháng 8".
    pattern = (
        r"(?:từ\s+)?tháng\s+(\d{1,2})(?:\s*/\s*(\d{4}))?\s*(?:\s(?:đến|tới)\s|-|–)\s*"
        rf"(?:hết\s+)?(?:tháng\s+)?(\d{{1,2}}){_YEAR_SUFFIX}"
    )
    head = _head(pattern, line)
    if head is None:
        return None
    match, label = head
    first, first_year, last, *last_year = match.groups()
    for found in (first_year, *last_year):
        _check_year(found, year, line)
    return Part(Kind.WINDOW, month=int(first), to_month=int(last), label=label)


def _read_around(line: str, year: int) -> Part | None:
    # "Sau tháng 9/2026", "Trước tháng 9/2026".
    head = _head(rf"(sau|trước)\s+tháng\s+(\d{{1,2}}){_YEAR_SUFFIX}", line)
    if head is None:
        return None
    match, label = head
    _check_year(match.group(3) or match.group(4), year, line)
    kind = Kind.AFTER if match.group(1).lower() == "sau" else Kind.BEFORE
    return Part(kind, month=int(match.group(2)), label=label)


def _read_edge(line: str, year: int) -> Part | None:
    # "Đầu năm 2026", "Cuối năm", "Đầu Quý II/2026", "Cuối quý 2 năm 2026".
    pattern = rf"(đầu|cuối)\s+(?:năm(?:\s+(\d{{4}}))?|quý\s+(IV|I{{1,3}}|[1-4]){_YEAR_SUFFIX})"
    head = _head(pattern, line)
    if head is None:
        return None
    match, label = head
    word, year_of_year, number, *quarter_year = match.groups()
    for found in (year_of_year, *quarter_year):
        _check_year(found, year, line)
    kind = Kind.START if word.lower() == "đầu" else Kind.END
    quarter = None if number is None else _quarter_number(number)
    return Part(kind, quarter=quarter, label=label)


def _read_half(line: str, year: int) -> Part | None:
    # "6 tháng đầu năm 2026". Written with its year, as `describe` writes it: a bare
    # "6 tháng đầu năm" is refused with a hint (and was refused before halves existed).
    head = _head(r"0?6\s+tháng\s+(đầu|cuối)\s+năm(?:\s+(\d{4}))?", line)
    if head is None:
        return None
    match, label = head
    if match.group(2) is None:
        raise TimingError(
            f"Không nhận dạng được thời gian thực hiện: «{line}» (ghi cả năm, ví dụ"
            f" «6 tháng {match.group(1).lower()} năm {year}»)."
        )
    _check_year(match.group(2), year, line)
    return Part(Kind.HALF, half=1 if match.group(1).lower() == "đầu" else 2, label=label)


_ON_CALL_HEADS = (
    (r"(?:khi\s+có|theo)\s+yêu\s+cầu", Kind.ON_REQUEST),
    (r"khi\s+(?:có\s+)?phát\s+sinh", Kind.AS_NEEDED),
)
_LATEST = re.compile(
    r",?\s*chậm\s+nhất\s+(?:là\s+)?(?:ngày\s+)?(\d{1,2})/(\d{1,2})/(\d{4})\s*$", re.I
)


def _read_period(line: str, year: int) -> Part | None:
    # "Giai đoạn 2026–2030", "Giai đoạn 2026 - 2030", "Từ năm 2026 đến năm 2030": the row's
    # year first; the last year gives the length, so the rule moves with a copied programme.
    pattern = (
        r"(?:giai\s+đoạn|(?:từ\s+)?năm)\s+(\d{4})\s*(?:-|–|—|\s(?:đến|tới)\s+(?:năm\s+)?)\s*(\d{4})"
    )
    head = _head(pattern, line)
    if head is None:
        return None
    match, label = head
    first, last = int(match.group(1)), int(match.group(2))
    _check_year(match.group(1), year, line)
    if last <= first:
        raise TimingError(f"Năm cuối giai đoạn ({last}) phải sau năm đầu ({first}): «{line}».")
    return Part(Kind.PERIOD, years=last - first + 1, label=label)


def _read_on_call(line: str, year: int) -> Part | None:
    # "Khi có yêu cầu", "Khi phát sinh", with words and a latest date: "Khi có yêu cầu của
    # UBND tỉnh, chậm nhất ngày 30/9/2026".
    for pattern, kind in _ON_CALL_HEADS:
        # Not `_head`: a comma may follow at once ("Khi có yêu cầu, chậm nhất ...").
        if head := re.match(rf"{pattern}(?=$|[\s,])", line, re.IGNORECASE):
            rest = line[head.end() :].strip()
            latest = _LATEST.search(rest)
            if latest is None and re.search(r"chậm\s+nhất", rest, re.I):
                raise TimingError(f"Không đọc được hạn chậm nhất: «{line}» (cần dạng dd/mm/yyyy).")
            if latest is None:
                return Part(kind, label=rest)
            day, month, full_year = (int(group) for group in latest.groups())
            try:
                return Part(kind, day=date(full_year, month, day), label=rest[: latest.start()])
            except ValueError:
                raise TimingError(f"Ngày không hợp lệ: «{latest.group(0).strip(' ,')}».") from None
    return None


# Order matters (events are read first): windows of dates before single dates, which would
# read "05/3/2026 - 20/4/2026" as 05/3 with a label; full dates before month lists, which
# would read "05/3" as May; windows before month lists too, which would read "Tháng 6 đến
# ..." as June.
_READERS: tuple[Callable[[str, int], Part | None], ...] = (
    _read_period,
    _read_date_window,
    _read_date,
    _read_window,
    _read_around,
    _read_edge,
    _read_half,
    _read_on_call,
    _read_quarter,
    _read_year,
    _read_recurring,
    _read_months,
)


def _decap(text: str) -> str:
    # Keep acronyms ("ISO ...", "UBND ..."): only a capitalised ordinary word is lowered.
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]
