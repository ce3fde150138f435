"""Periods of measurement and the one rule for "achieved".

Keys: "2026-03" (a month), "2026-Q1" (a quarter), "2026-H1" (a half), "2026" (the year)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

ROMAN = ("I", "II", "III", "IV")


def achieved(direction: str, target: Decimal, value: Decimal) -> bool:
    """Whether `value` reaches `target` in `direction` ("ge" ≥, "le" ≤, "eq" =): the only
    place this is decided."""
    if direction == "ge":
        return value >= target
    if direction == "le":
        return value <= target
    if direction == "eq":
        return value == target
    raise ValueError(f"Unknown direction {direction!r}")


@dataclass(frozen=True)
class Span:
    key: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return period_label(self.key)


def _span(key: str, year: int, first_month: int, months: int) -> Span:
    last = first_month + months - 1
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    return Span(key, dt.date(year, first_month, 1), end)


def spans(year: int, period: str) -> list[Span]:
    """The periods of `year` for a period of measurement (month, quarter, half, year)."""
    if period == "month":
        return [_span(f"{year}-{m:02d}", year, m, 1) for m in range(1, 13)]
    if period == "quarter":
        return [_span(f"{year}-Q{q}", year, 3 * q - 2, 3) for q in range(1, 5)]
    if period == "half":
        return [_span(f"{year}-H{h}", year, 6 * h - 5, 6) for h in (1, 2)]
    if period == "year":
        return [_span(str(year), year, 1, 12)]
    raise ValueError(f"Unknown period {period!r}")


def span_of(year: int, period: str, key: str) -> Span | None:
    return next((s for s in spans(year, period) if s.key == key), None)


def period_label(key: str) -> str:
    """ "2026-03" → "Tháng 03/2026", "2026-Q1" → "Quý I/2026", "2026-H2" → "6 tháng cuối
    năm 2026", "2026" → "Năm 2026"."""
    year = key[:4]
    if "-Q" in key:
        return f"Quý {ROMAN[int(key[-1]) - 1]}/{year}"
    if "-H" in key:
        return f"6 tháng đầu năm {year}" if key.endswith("1") else f"6 tháng cuối năm {year}"
    if len(key) == 7:
        return f"Tháng {key[5:]}/{year}"
    return f"Năm {year}"


def ended(spans_: list[Span], today: dt.date) -> list[Span]:
    """The periods over before `today`."""
    return [s for s in spans_ if s.end < today]
