"""The steps of a TTHC the agency handles, in working days, and the working-day calendar.

Rules a civil servant checks before the steps are recorded (issue 12 §3):
- each step takes more than 0 working days, in whole or half days (0,5; 1; 1,5);
- the steps add up to no more than the committed time, nor than the statutory time.

A statutory time in calendar days (ngày, tính theo ngày lịch) cannot be compared with working
days as such: how many working days N calendar days hold depends on the weekday the dossier
arrives. The steps are then held to the fewest working days N calendar days hold whatever the
weekday the count starts (an ordinary week, public holidays aside since they move from year to
year): 15 calendar days hold at least 10 working days. Steps that fit this are on time for
every dossier outside a holiday season, which is what a civil servant signing the procedure
promises; the message says so, in those words.

The working-day calendar (public holidays of the `holidays` library with the swaps the
administrator records) is read through `qms.procedures.calendar.working_calendar()`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import docx as python_docx
import holidays
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qms.documents import docx as dd
from qms.lib import officialdoc as od
from qms.lib.workdays import FIRST_YEAR, LAST_YEAR
from qms.procedures.calendar import working_calendar
from qms.procedures.models import AgencyProcedure, DayKind, ProcessStep, WorkdayChange

HALF = Decimal("0.5")
WEEK_DAYS, WEEKEND_DAYS, WORKING_PER_WEEK = 7, 2, 5
WEEKDAY_WORDS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


# --- numbers as Vietnamese write them -------------------------------------------------


def days_text(days: Decimal | int | float) -> str:
    """16 -> "16", 0.5 -> "0,5", 15.50 -> "15,5": a decimal comma, no trailing zero."""
    value = Decimal(str(days))
    whole = value.to_integral_value()
    text = str(whole) if value == whole else f"{value.normalize():f}"
    return text.replace(".", ",")


def parse_days(text: object) -> Decimal | None:
    """ "1,5" or "1.5" as typed; None when it is no number. Vietnamese write a decimal
    comma; a dot is taken as one too, since a time in days has no thousands."""
    if isinstance(text, Decimal | int):
        return Decimal(text)
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def check_step_days(days: Decimal) -> None:
    """One step's time: more than 0, in whole or half working days."""
    if days <= 0:
        raise ValidationError(_("Each step takes more than 0 working days."), code="not_positive")
    if days % HALF:
        raise ValidationError(
            _("Enter the time in whole or half working days (e.g. 0,5; 1; 1,5)."), code="halves"
        )


# --- limits ------------------------------------------------------------------------------


def working_days_in(calendar_days: Decimal) -> Decimal:
    """The fewest working days `calendar_days` consecutive calendar days hold, whatever the
    weekday they start on, in an ordinary week (module docstring): the count that starts on
    a Saturday loses both weekend days first. A half calendar day counts for nothing."""
    whole = int(calendar_days)
    weeks, rest = divmod(whole, WEEK_DAYS)
    return Decimal(weeks * WORKING_PER_WEEK + max(0, rest - WEEKEND_DAYS))


@dataclass(frozen=True)
class Limits:
    """What the steps of `handling` must fit, in working days."""

    committed: Decimal | None
    statutory: Decimal | None  # as written, in its own kind of days
    statutory_calendar: bool
    statutory_working: Decimal | None  # in working days (converted when calendar)

    @classmethod
    def of(cls, handling: AgencyProcedure) -> Limits:
        procedure = handling.procedure
        statutory = procedure.time_days
        calendar = procedure.day_kind == DayKind.CALENDAR
        working = None
        if statutory is not None:
            working = working_days_in(statutory) if calendar else statutory
        return cls(handling.committed_days, statutory, calendar, working)


def limit_problems(limits: Limits, total: Decimal) -> list[str]:
    """Why a total of `total` working days is too long, in the words of the page."""
    problems = []
    numbers = {"total": days_text(total)}
    if limits.committed is not None and total > limits.committed:
        problems.append(
            _(
                "The steps add up to %(total)s working days, more than the committed time "
                "of %(limit)s working days."
            )
            % {**numbers, "limit": days_text(limits.committed)}
        )
    working = limits.statutory_working
    if working is None or total <= working or limits.statutory is None:
        return problems
    if limits.statutory_calendar:
        problems.append(
            _(
                "The steps add up to %(total)s working days, more than the statutory time "
                "of %(days)s calendar days allows: %(limit)s working days, the fewest "
                "working days %(days)s calendar days hold whatever the weekday the dossier "
                "arrives."
            )
            % {**numbers, "days": days_text(limits.statutory), "limit": days_text(working)}
        )
    else:
        problems.append(
            _(
                "The steps add up to %(total)s working days, more than the statutory time "
                "of %(limit)s working days."
            )
            % {**numbers, "limit": days_text(working)}
        )
    return problems


# --- what the page shows ---------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    total: Decimal
    limits: Limits
    cut_days: Decimal | None  # statutory (in working days) minus the steps' total
    cut_percent: Decimal | None
    problems: list[str]
    received: dt.date
    due: dt.date | None  # a dossier received on `received` is due then (the committed time)

    @property
    def total_text(self) -> str:
        return days_text(self.total)

    @property
    def statutory_text(self) -> str:
        return _words(self.limits.statutory)

    @property
    def statutory_working_text(self) -> str:
        return _words(self.limits.statutory_working)

    @property
    def committed_text(self) -> str:
        return _words(self.limits.committed)

    @property
    def cut_text(self) -> str:
        return days_text(self.cut_days) if self.cut_days is not None else ""

    @property
    def percent_text(self) -> str:
        return days_text(self.cut_percent) if self.cut_percent is not None else ""


def _words(days: Decimal | None) -> str:
    return days_text(days) if days is not None else ""


def summary(handling: AgencyProcedure, steps: Iterable[ProcessStep], today: dt.date) -> Summary:
    """The steps' total, what it cuts from the statutory time, and the appointment date a
    dossier received today gets (counted on the working-day calendar)."""
    total = sum((step.days for step in steps), Decimal(0))
    limits = Limits.of(handling)
    cut_days = cut_percent = None
    statutory = limits.statutory_working
    if statutory and total:
        cut_days = statutory - total
        cut_percent = (cut_days * 100 / statutory).quantize(Decimal("0.1"))
    # The appointment follows the committed time, else a statutory one in working days.
    time = limits.committed if limits.committed is not None else None
    if time is None and not limits.statutory_calendar:
        time = limits.statutory
    due = working_calendar().add(today, time) if time else None
    return Summary(total, limits, cut_days, cut_percent, limit_problems(limits, total), today, due)


# --- saving ------------------------------------------------------------------------------


@transaction.atomic
def save_steps(formset: Any) -> list[ProcessStep]:
    """The steps of a valid `StepFormSet` (forms_steps), in one transaction: rows changed,
    added and those whose DELETE is ticked removed; nothing else is touched. Each save and
    removal is kept in the steps' history."""
    saved: list[ProcessStep] = formset.save()
    return saved


@dataclass(frozen=True)
class StepRow:
    action: str
    responsible: str
    days: Decimal
    result: str = ""


@transaction.atomic
def set_steps(handling: AgencyProcedure, rows: Sequence[StepRow]) -> list[ProcessStep]:
    """Replace the steps of `handling` with `rows`, checked by the same rules as the page
    (raises ValidationError, nothing saved). Used to load steps written elsewhere."""
    for row in rows:
        check_step_days(row.days)
    problems = limit_problems(Limits.of(handling), sum((r.days for r in rows), Decimal(0)))
    if problems:
        raise ValidationError(problems)
    for old in handling.steps.all():
        old.delete()  # one by one, so the history keeps each removal
    return [
        ProcessStep.objects.create(
            handling=handling,
            order=number,
            action=row.action,
            responsible=row.responsible,
            days=row.days,
            result=row.result,
        )
        for number, row in enumerate(rows, start=1)
    ]


# --- the steps table as DOCX -----------------------------------------------------------


def step_rows(steps: Iterable[ProcessStep]) -> list[dd.Step]:
    """The rows of the procedure's work table, as the ISO procedure prints them."""
    return [
        dd.Step(who=s.responsible, what=s.action, result=s.result, time=f"{days_text(s.days)} ngày")
        for s in steps
    ]


def steps_docx(handling: AgencyProcedure, steps: Sequence[ProcessStep]) -> bytes:
    """ "Quy trình xử lý công việc" of the TTHC: the section 5 sub-heading and work table
    of the ISO procedure layout (qms.documents.docx), under the agency and the TTHC."""
    agency, procedure = handling.agency, handling.procedure
    limits = Limits.of(handling)
    out = python_docx.Document()
    od.setup_styles(out)
    od.setup_page(out.sections[0])
    od.para(out, agency.name.upper(), bold=True, align="left")
    od.para(out, "QUY TRÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", bold=True, before=12)
    od.para(out, procedure.name, bold=True, after=6)
    lines = [f"Mã thủ tục: {procedure.code}"]
    if limits.statutory is not None:
        kind = "ngày (tính theo ngày lịch)" if limits.statutory_calendar else "ngày làm việc"
        lines.append(f"Thời gian giải quyết theo quy định: {days_text(limits.statutory)} {kind}")
    if limits.committed is not None:
        lines.append(f"Thời gian cam kết: {days_text(limits.committed)} ngày làm việc")
    if handling.unit is not None:
        lines.append(f"Đơn vị giải quyết: {handling.unit.name}")
    blocks: list[od.Block] = [od.Paragraph(line) for line in lines]
    section = dd.Section("Nội dung", "5.7 Quy trình xử lý công việc", step_rows(steps))
    blocks += dd.text_blocks(section.text)
    if section.steps:
        blocks.append(dd.steps_table(section.steps))  # the procedure's own work table
    total = sum((s.days for s in steps), Decimal(0))
    blocks.append(od.Paragraph(f"Tổng thời gian giải quyết: {days_text(total)} ngày làm việc."))
    od.add_blocks(out, blocks)
    props = out.core_properties
    props.title = od.xml_text(f"{procedure.code} {procedure.name}")
    props.author = od.xml_text(agency.name)
    props.language = "vi-VN"
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def steps_filename(handling: AgencyProcedure) -> str:
    return f"quy-trinh-{handling.procedure.code}.docx"


# --- the working-day calendar ----------------------------------------------------------


def year_in_span(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


@dataclass(frozen=True)
class Holiday:
    day: dt.date
    name: str

    @property
    def weekday(self) -> str:
        return WEEKDAY_WORDS[self.day.weekday()]


def year_holidays(year: int) -> list[Holiday]:
    """The public holidays of `year` as the holidays library names them in Vietnamese."""
    found = holidays.country_holidays("VN", years=year, language="vi")
    return [Holiday(day, name) for day, name in sorted(found.items())]


@dataclass(frozen=True)
class Swap:
    """A swap the holidays library itself records: `day_off` given for `worked` (làm bù)."""

    day_off: dt.date
    worked: dt.date


def library_swaps(year: int) -> list[Swap]:
    """The days off of `year` the library gives in exchange for a worked weekend day, read
    from its own table of them ((month, day, from month, from day[, from year])): the
    library counts the day off, not the Saturday worked, which the calendar must be told."""
    table = holidays.country_holidays("VN").special_public_holidays.get(year, ())
    entries = table if table and isinstance(table[0], tuple) else (table,) if table else ()
    swaps = []
    for entry in entries:
        month, day, from_month, from_day, *rest = entry
        from_year = rest[0] if rest else year
        swaps.append(Swap(dt.date(year, month, day), dt.date(from_year, from_month, from_day)))
    return swaps


def check_change(day: dt.date, working: bool) -> None:
    """A change moves a day: a day worked must be one that would otherwise be off (a
    weekend day or a holiday), a day off one that would otherwise be worked."""
    plain = day.weekday() < WEEK_DAYS - WEEKEND_DAYS and day not in holidays.country_holidays(
        "VN", years=day.year
    )
    if working and plain:
        raise ValidationError(
            _("%(day)s is already a working day: a day worked replaces a weekend day or a holiday.")
            % {"day": f"{day:%d/%m/%Y}"},
            code="already_working",
        )
    if not working and not plain:
        raise ValidationError(
            _("%(day)s is already a day off: a day off replaces a working day.")
            % {"day": f"{day:%d/%m/%Y}"},
            code="already_off",
        )


@transaction.atomic
def save_change(change: WorkdayChange) -> WorkdayChange:
    """Record or correct a swap; its history is kept and the calendar is rebuilt on its
    next use (`updated_at` is the calendar's cache key)."""
    check_change(change.day, change.working)
    change.save()
    return change


@transaction.atomic
def remove_change(change: WorkdayChange) -> None:
    """Remove a swap recorded by mistake (its history keeps it; the count of changes, part
    of the calendar's cache key, drops)."""
    change.delete()


def changes_of(year: int) -> list[WorkdayChange]:
    return list(WorkdayChange.objects.filter(day__year=year))


def working_days_of(year: int) -> int:
    """How many working days `year` holds on the calendar as it stands."""
    return working_calendar().count(dt.date(year - 1, 12, 31), dt.date(year, 12, 31))
