"""Dossier results of a period, imported from the one-stop system's exports (issue 12 §4).

Two shapes of file, CSV or XLSX (docs/tthc-results-import.md):
- figures per TTHC for the period (`Shape.AGGREGATED`), kept on the period's last day;
- one row per dossier (`Shape.DOSSIERS`), from which the buckets are computed in working
  days on `working_calendar()`: the deadline is the appointment date moved by the working
  days the dossier was paused for supplements; resolved before it is early, on it on time,
  after it late; still open at the period's end it is pending within or past the deadline;
  received before the period started it is carried over. Late dossiers are also kept one by
  one (`LateDossier`) for their apology letters.

The file is read as a stream (csv module; python-calamine row by row) and summed into
counters per TTHC, unit and day: besides a hash of each dossier code (to find repeated
ones) and the late dossiers, memory grows with the TTHC and days, not the dossiers. Each
distinct cell value is parsed and checked once (`Known`), so a row whose cells are all known
goes straight to the counters. A file with any error imports nothing; every error is
listed by row, column, value and why. A file without error replaces, in one transaction,
whatever was imported for a period inside its own (`replace`). Large files run in the
worker (`qms.procedures.tasks.import_results`).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.lib import sheets
from qms.lib.search import fold
from qms.lib.workdays import Calendar
from qms.organization.models import Agency, Unit, User
from qms.procedures.calendar import working_calendar
from qms.procedures.models import (
    BUCKETS,
    AdminProcedure,
    AgencyProcedure,
    DailyResult,
    LateDossier,
    ResultImport,
)

# Files with more rows than this are imported by the worker, with a progress bar.
WORKER_ROWS_DEFAULT = 5_000
MAX_ERRORS_KEPT = 1_000  # stored on the import; the count of the rest is kept with them
PROGRESS_EVERY = 20_000  # rows between two progress updates
BATCH = 2_000
HEADER_SEARCH_ROWS = 10  # title rows the export may put above its header row

Row = sheets.Row
Key = tuple[int, int | None, dt.date]  # (AdminProcedure id, Unit id or None, day)

# Column keys → accepted headers, folded (no accents, lower case): the first is the one
# documented, the others the variants seen in the one-stop systems' exports.
AGGREGATED_COLUMNS: dict[str, tuple[str, ...]] = {
    "procedure": ("ma tthc", "ma thu tuc", "ma thu tuc hanh chinh", "ma so tthc"),
    "unit": ("don vi", "don vi xu ly", "don vi giai quyet", "phong ban"),
    "received_online": ("tiep nhan truc tuyen", "truc tuyen", "nhan truc tuyen"),
    "received_direct": ("tiep nhan truc tiep", "truc tiep", "nhan truc tiep"),
    "received_post": (
        "tiep nhan qua buu chinh",
        "tiep nhan buu chinh",
        "buu chinh",
        "qua buu chinh",
        "buu chinh cong ich",
    ),
    "carried_over": ("ky truoc chuyen sang", "ky truoc chuyen qua", "ton ky truoc", "ky truoc"),
    "resolved_early": ("giai quyet truoc han", "da giai quyet truoc han", "truoc han"),
    "resolved_on_time": ("giai quyet dung han", "da giai quyet dung han", "dung han"),
    "resolved_late": ("giai quyet qua han", "da giai quyet qua han", "tra qua han"),
    "pending_within": (
        "dang giai quyet trong han",
        "dang xu ly trong han",
        "trong han",
        "chua den han",
    ),
    "pending_late": (
        "dang giai quyet qua han",
        "dang xu ly qua han",
        "chua giai quyet qua han",
    ),
    "returned": ("tra lai", "tra lai ho so", "ho so tra lai"),
    "withdrawn": ("rut ho so", "rut", "cong dan rut ho so", "ho so rut"),
}
DOSSIER_COLUMNS: dict[str, tuple[str, ...]] = {
    "dossier": ("ma ho so", "so ho so", "ma so ho so", "so bien nhan"),
    "procedure": AGGREGATED_COLUMNS["procedure"],
    "unit": AGGREGATED_COLUMNS["unit"],
    "received": ("ngay tiep nhan", "ngay nhan", "ngay nop", "ngay nhan ho so"),
    "due": ("ngay hen tra", "ngay hen tra ket qua", "han tra ket qua", "han giai quyet"),
    "resolved": (
        "ngay tra ket qua",
        "ngay giai quyet",
        "ngay hoan thanh",
        "ngay co ket qua",
        "ngay ket thuc",
    ),
    "status": ("trang thai", "tinh trang", "trang thai ho so"),
    "channel": ("hinh thuc tiep nhan", "kenh tiep nhan", "hinh thuc nop", "nguon tiep nhan"),
    "pauses": (
        "tam dung bo sung",
        "tam dung",
        "thoi gian tam dung",
        "cac lan tam dung",
        "tam dung de bo sung",
    ),
}
OPTIONAL = frozenset({"unit", "pauses", "resolved"})

# Dossier statuses and channels as the exports write them, folded.
RESOLVED, PENDING, RETURNED, WITHDRAWN = "resolved", "pending", "returned", "withdrawn"
STATUSES = {
    "da tra ket qua": RESOLVED,
    "da giai quyet": RESOLVED,
    "hoan thanh": RESOLVED,
    "da hoan thanh": RESOLVED,
    "da co ket qua": RESOLVED,
    "dang xu ly": PENDING,
    "dang giai quyet": PENDING,
    "cho bo sung": PENDING,
    "tam dung": PENDING,
    "cho tra ket qua": PENDING,
    "tra lai": RETURNED,
    "tra lai ho so": RETURNED,
    "tu choi": RETURNED,
    "khong giai quyet": RETURNED,
    "rut": WITHDRAWN,
    "rut ho so": WITHDRAWN,
    "da rut": WITHDRAWN,
    "cong dan rut ho so": WITHDRAWN,
}
CHANNELS = {
    "truc tuyen": "received_online",
    "online": "received_online",
    "dich vu cong truc tuyen": "received_online",
    "qua mang": "received_online",
    "truc tiep": "received_direct",
    "tai bo phan mot cua": "received_direct",
    "buu chinh": "received_post",
    "qua buu chinh": "received_post",
    "buu chinh cong ich": "received_post",
    "bcci": "received_post",
}
INDEX = {name: i for i, name in enumerate(BUCKETS)}
BUCKET_COUNT = len(BUCKETS)
CARRIED_OVER, PENDING_WITHIN, PENDING_LATE = (
    INDEX["carried_over"],
    INDEX["pending_within"],
    INDEX["pending_late"],
)
RESOLVED_EARLY, RESOLVED_ON_TIME, RESOLVED_LATE = (
    INDEX["resolved_early"],
    INDEX["resolved_on_time"],
    INDEX["resolved_late"],
)
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s.*)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T\s].*)?$")
_PAUSE = re.compile(r"^\s*(\S+)\s*(?:-|–|đến|den)\s*(\S+)\s*$")


def worker_rows() -> int:
    """Files with more rows than this go to the worker (setting QMS_RESULTS_WORKER_ROWS)."""
    return int(getattr(settings, "QMS_RESULTS_WORKER_ROWS", WORKER_ROWS_DEFAULT))


class ImportRefused(Exception):
    """The file cannot be read at all (no header, not text): nothing is imported."""


# --- errors --------------------------------------------------------------------------------


@dataclass
class Errors:
    """Every error of a file by row, column, value and why; the first MAX_ERRORS_KEPT are
    kept, the rest only counted."""

    kept: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0

    def add(self, row: int, column: str, value: Any, why: str) -> None:
        self.count += 1
        if len(self.kept) < MAX_ERRORS_KEPT:
            text = "" if value is None else str(value)[:200]
            self.kept.append({"row": row, "column": column, "value": text, "why": why})

    def as_json(self) -> list[dict[str, Any]]:
        more = self.count - len(self.kept)
        return [*self.kept, {"more": more}] if more else list(self.kept)

    def __bool__(self) -> bool:
        return self.count > 0


def shown_errors(errors: list[dict[str, Any]], limit: int = 100) -> tuple[list[dict], int]:
    """The errors a page lists and how many more there are."""
    rows = [e for e in errors if "more" not in e]
    more = sum(int(e["more"]) for e in errors if "more" in e)
    return rows[:limit], more + max(0, len(rows) - limit)


# --- reading the file ----------------------------------------------------------------------


def extension_of(name: str) -> str:
    return Path(name).suffix.lower()


def read_rows(path: Path, extension: str) -> Iterator[Row]:
    """The rows of the file, as lists of cells, one at a time."""
    try:
        yield from sheets.read_rows(path, extension)
    except sheets.SheetUnreadable as unreadable:
        raise ImportRefused(str(unreadable)) from None


def count_rows(path: Path, extension: str) -> int:
    """Rows of the file, cheaply and without parsing: lines of a CSV; the sheet's declared
    dimension in an XLSX (or an estimate from its size). It decides whether the worker runs
    the import and is the progress bar's first total."""
    if extension == ".csv":
        lines = 0
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                lines += chunk.count(b"\n")
        return lines
    return _xlsx_dimension(path)


def _xlsx_dimension(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
            if not sheets:
                return 0
            with archive.open(sheets[0]) as member:
                head = member.read(4096).decode("utf-8", "replace")
            found = re.search(r'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
            if found:
                return int(found.group(1))
            return archive.getinfo(sheets[0]).file_size // 300  # about 300 bytes a row
    except (zipfile.BadZipFile, OSError, KeyError):
        return 0


# --- cell values ---------------------------------------------------------------------------


def plain_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class Cells:
    """Parsers of the cell values, each remembering what it parsed: a million dossiers
    carry a few hundred distinct dates, statuses and channels."""

    def __init__(self) -> None:
        self._dates: dict[Any, dt.date | None] = {}
        self._folded: dict[Any, str] = {}

    def date(self, value: Any) -> dt.date | None:
        """A date, None when blank; ValueError when it is not one."""
        try:
            return self._dates[value]
        except KeyError:
            parsed = self._dates[value] = _parse_date(value)
            return parsed
        except TypeError:  # an unhashable cell: never from csv or calamine
            return _parse_date(value)

    def folded(self, value: Any) -> str:
        try:
            return self._folded[value]
        except KeyError:
            self._folded[value] = folded = fold(plain_text(value))
            return folded
        except TypeError:  # an unhashable cell: never from csv or calamine
            return fold(plain_text(value))


def _parse_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = plain_text(value)
    if not text:
        return None
    if found := _DATE.match(text):
        day, month, year = (int(g) for g in found.groups())
        return dt.date(year, month, day)
    if found := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in found.groups())
        return dt.date(year, month, day)
    raise ValueError(text)


def parse_count(value: Any) -> int:
    """A count of dossiers: blank is 0; "1.234" and "1,234" are 1234; ValueError otherwise."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        number = int(value)
    else:
        text = re.sub(r"[\s.,]", "", str(value))
        if not text:
            return 0
        number = int(text)
    if number < 0:
        raise ValueError(value)
    return number


# --- what the agency handles ---------------------------------------------------------------


@dataclass
class Handled:
    """The agency's TTHC by code (with the unit that handles each) and its units by name."""

    agency: Agency
    by_code: dict[str, tuple[int, int | None]]
    units: dict[str, int]
    _in_province: set[str] | None = None

    @classmethod
    def load(cls, agency: Agency) -> Handled:
        rows = AgencyProcedure.objects.filter(agency=agency).values_list(
            "procedure__code", "procedure_id", "unit_id"
        )
        units: dict[str, int] = {}
        for pk, name, short in Unit.objects.filter(agency=agency).values_list(
            "pk", "name", "short_name"
        ):
            units[fold(name)] = pk
            if short:
                units.setdefault(fold(short), pk)
        by_code: dict[str, tuple[int, int | None]] = {
            code.upper(): (pk, unit) for code, pk, unit in rows
        }
        return cls(agency, by_code, units)

    def why_unknown(self, code: str) -> str:
        """Why a code is refused: not the province's, or not this agency's."""
        if self._in_province is None:
            codes = AdminProcedure.objects.filter(province_id=self.agency.province_id)
            self._in_province = {c.upper() for c in codes.values_list("code", flat=True)}
        if code in self._in_province:
            return _(
                "This TTHC is in the province's catalogue but not among those the agency handles."
            )
        return _("This TTHC code is not in the province's catalogue.")


# --- the sums ------------------------------------------------------------------------------


class Grids:
    """The buckets of the dossiers per (TTHC, unit), one flat list each with a slot per
    bucket and day of the period. A million dossiers land on ~100,000 (TTHC, unit, day)
    cells: indexing a list costs a quarter of finding the cell in a dict that large."""

    __slots__ = ("base", "by_pair", "carried_over", "size")

    def __init__(self, period: Period) -> None:
        # Every day counted lies in the period; spanning both ends also covers one given
        # upside down (check_period refuses it before any file is read).
        self.base = min(period.start, period.end).toordinal()
        self.size = (abs((period.end - period.start).days) + 1) * BUCKET_COUNT
        self.carried_over = (period.start.toordinal() - self.base) * BUCKET_COUNT + CARRIED_OVER
        self.by_pair: dict[tuple[int, int | None], list[int]] = {}

    def add(self, procedure: int, unit: int | None) -> list[int]:
        grid = self.by_pair[procedure, unit] = [0] * self.size
        return grid

    def cells(self) -> Iterator[tuple[Key, list[int]]]:
        """The (TTHC, unit, day) cells that count any dossier, with their counters, made
        as they are written (never a hundred thousand small lists at once)."""
        days = [dt.date.fromordinal(self.base + n) for n in range(self.size // BUCKET_COUNT)]
        for (procedure, unit), grid in self.by_pair.items():
            for n, day in enumerate(days):
                counters = grid[n * BUCKET_COUNT : (n + 1) * BUCKET_COUNT]
                if any(counters):
                    yield (procedure, unit, day), counters


@dataclass
class Parsed:
    """What a file adds up to: counters per (TTHC, unit, day) (`cells`: the figures per
    TTHC in `sums`, the dossiers in `grids`), the late dossiers, errors."""

    sums: dict[Key, list[int]] = field(default_factory=dict)
    late: list[tuple[int, str, dt.date, dt.date, dt.date | None, int]] = field(default_factory=list)
    errors: Errors = field(default_factory=Errors)
    rows: int = 0
    skipped: int = 0  # dossiers closed before the period began
    grids: Grids | None = None

    def add(self, key: Key, bucket: int, count: int = 1) -> None:
        counters = self.sums.get(key)
        if counters is None:
            counters = self.sums[key] = [0] * len(BUCKETS)
        counters[bucket] += count

    def cells(self) -> Iterator[tuple[Key, list[int]]]:
        yield from self.sums.items()
        if self.grids is not None:
            yield from self.grids.cells()


def _header_map(row: Row, columns: dict[str, tuple[str, ...]]) -> dict[str, int] | None:
    """Column key → index in `row`, when `row` is the header (it names the TTHC code)."""
    found = sheets.header_positions(row, columns)
    return found if "procedure" in found else None


def detect(rows: Iterator[Row]) -> tuple[str, dict[str, int], int]:
    """The file's shape, its columns and the header's row number: a header naming a dossier
    code is the per-dossier shape, else the figures per TTHC."""
    for number, row in enumerate(rows, start=1):
        if number > HEADER_SEARCH_ROWS:
            break
        dossiers = _header_map(row, DOSSIER_COLUMNS)
        if dossiers is not None and "dossier" in dossiers:
            return ResultImport.Shape.DOSSIERS, dossiers, number
        aggregated = _header_map(row, AGGREGATED_COLUMNS)
        if aggregated is not None:
            return ResultImport.Shape.AGGREGATED, aggregated, number
    raise ImportRefused(
        _(
            "No header row naming the column “Mã TTHC” was found in the first %(n)s rows: "
            "see the accepted columns below."
        )
        % {"n": HEADER_SEARCH_ROWS}
    )


def missing_columns(shape: str, header: dict[str, int]) -> list[str]:
    """The documented names of the required columns the header lacks."""
    columns = DOSSIER_COLUMNS if shape == ResultImport.Shape.DOSSIERS else AGGREGATED_COLUMNS
    return [COLUMN_LABELS[key] for key in columns if key not in header and key not in OPTIONAL]


# The documented header of each column, as the error list names it.
COLUMN_LABELS = {
    "procedure": "Mã TTHC",
    "unit": "Đơn vị",
    "received_online": "Tiếp nhận trực tuyến",
    "received_direct": "Tiếp nhận trực tiếp",
    "received_post": "Tiếp nhận qua bưu chính",
    "carried_over": "Kỳ trước chuyển sang",
    "resolved_early": "Giải quyết trước hạn",
    "resolved_on_time": "Giải quyết đúng hạn",
    "resolved_late": "Giải quyết quá hạn",
    "pending_within": "Đang giải quyết trong hạn",
    "pending_late": "Đang giải quyết quá hạn",
    "returned": "Trả lại",
    "withdrawn": "Rút hồ sơ",
    "dossier": "Mã hồ sơ",
    "received": "Ngày tiếp nhận",
    "due": "Ngày hẹn trả",
    "resolved": "Ngày trả kết quả",
    "status": "Trạng thái",
    "channel": "Hình thức tiếp nhận",
    "pauses": "Tạm dừng bổ sung",
}


@dataclass
class Period:
    start: dt.date
    end: dt.date


# The cells of a dossier row, in the order the reading loop takes them.
DOSSIER_FIELDS = tuple(DOSSIER_COLUMNS)
# Cell values remembered by value: a bool would meet the number it equals (True == 1) in a
# dict although it reads differently ("True", "1"); other types are read every time.
REMEMBERED_TYPES = frozenset({str, dt.date, dt.datetime, type(None)})
PROCEDURE_UNIT = -1  # a blank unit cell: the unit that handles the TTHC (no Unit has this id)


def _remember(known: dict[Any, Any], value: Any, parsed: Any) -> None:
    if value.__class__ in REMEMBERED_TYPES:
        known[value] = parsed


@dataclass
class Known:
    """Cell values already read without error, by raw value, and the working days already
    counted. A million dossiers carry a few hundred distinct TTHC codes, units, dates,
    statuses, channels and pauses: the reading loop looks every cell up here, and a row
    with a value not met yet (or in error) goes through the checking path, which reports
    the errors and fills these."""

    procedures: dict[Any, tuple[int, int | None]] = field(default_factory=dict)
    units: dict[Any, int | None] = field(default_factory=dict)  # PROCEDURE_UNIT when blank
    dates: dict[Any, dt.date] = field(default_factory=dict)  # received and appointment
    resolved: dict[Any, dt.date | None] = field(default_factory=dict)  # None when blank
    statuses: dict[Any, str] = field(default_factory=dict)
    channels: dict[Any, int] = field(default_factory=dict)  # the bucket's index
    pauses: dict[Any, int] = field(default_factory=dict)  # working days paused
    deadlines: dict[tuple[dt.date, int], dt.date] = field(default_factory=dict)
    late_days: dict[tuple[dt.date, dt.date], int] = field(default_factory=dict)


def _fetcher(header: dict[str, int]) -> tuple[Callable[[Row], tuple[Any, ...]], int]:
    """What takes a row's DOSSIER_FIELDS cells in one call (None for a column the file
    lacks), and the length a row needs for it: a shorter one is padded with blanks."""
    width = max(header.values()) + 1
    if all(key in header for key in DOSSIER_FIELDS):
        return itemgetter(*(header[key] for key in DOSSIER_FIELDS)), width
    # A column the file lacks reads the blank put after the row's last cell.
    take = itemgetter(*(header.get(key, -1) for key in DOSSIER_FIELDS))

    def fetch(row: Row) -> tuple[Any, ...]:
        return take([*row, None])

    return fetch, width


def _blank(row: Row) -> bool:
    return not any(value not in (None, "") for value in row)


class Reader:
    """Reads one file's rows into `Parsed` for one agency and period."""

    def __init__(
        self,
        handled: Handled,
        period: Period,
        calendar: Calendar,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.handled = handled
        self.period = period
        self.calendar = calendar
        self.cells = Cells()
        self.known = Known()
        self.grids = Grids(period)
        self.parsed = Parsed(grids=self.grids)
        self.progress = progress
        self._pauses: dict[str, int] = {}
        self._seen: set[int] = set()
        self._pairs: set[tuple[int, int | None]] = set()

    def read(self, rows: Iterator[Row]) -> Parsed:
        shape, header, header_row = detect(rows)
        self.shape = shape
        missing = missing_columns(shape, header)
        if missing:
            for name in missing:
                self.parsed.errors.add(header_row, name, "", _("This required column is missing."))
            return self.parsed
        if shape == ResultImport.Shape.DOSSIERS:
            self._dossiers(rows, header, header_row)
            return self.parsed
        number = header_row
        for number, row in enumerate(rows, start=header_row + 1):
            if _blank(row):
                continue
            self.parsed.rows += 1
            self._aggregated(number, row, header)
            if self.progress is not None and self.parsed.rows % PROGRESS_EVERY == 0:
                self.progress(self.parsed.rows)
        return self.parsed

    # -- shared cells --

    def _cell(self, row: Row, header: dict[str, int], key: str) -> Any:
        index = header.get(key)
        if index is None or index >= len(row):
            return None
        return row[index]

    def _procedure(self, number: int, value: Any) -> tuple[int, int | None] | None:
        code = plain_text(value).upper()
        found = self.handled.by_code.get(code)
        if found is None:
            why = self.handled.why_unknown(code) if code else _("The TTHC code is empty.")
            self.parsed.errors.add(number, COLUMN_LABELS["procedure"], value, why)
        else:
            _remember(self.known.procedures, value, found)
        return found

    def _unit(self, number: int, value: Any, default: int | None) -> tuple[bool, int | None]:
        name = self.cells.folded(value)
        if not name:
            _remember(self.known.units, value, PROCEDURE_UNIT)
            return True, default
        unit = self.handled.units.get(name)
        if unit is None:
            why = _("No unit of the agency has this name.")
            self.parsed.errors.add(number, COLUMN_LABELS["unit"], value, why)
            return False, None
        _remember(self.known.units, value, unit)
        return True, unit

    # -- figures per TTHC --

    def _aggregated(self, number: int, row: Row, header: dict[str, int]) -> None:
        found = self._procedure(number, self._cell(row, header, "procedure"))
        ok, unit = self._unit(number, self._cell(row, header, "unit"), found and found[1])
        if found is None or not ok:
            return
        if (found[0], unit) in self._pairs:
            why = _("This TTHC (and unit) already has a row above: each appears once.")
            self.parsed.errors.add(
                number, COLUMN_LABELS["procedure"], row[header["procedure"]], why
            )
            return
        self._pairs.add((found[0], unit))
        counts = []
        for bucket in BUCKETS:
            value = self._cell(row, header, bucket)
            try:
                counts.append(parse_count(value))
            except ValueError:
                why = _("Not a whole number of dossiers (0 or more).")
                self.parsed.errors.add(number, COLUMN_LABELS[bucket], value, why)
                return
        key = (found[0], unit, self.period.end)
        for index, count in enumerate(counts):
            if count:
                self.parsed.add(key, index, count)

    # -- one row per dossier --

    def _dossiers(self, rows: Iterator[Row], header: dict[str, int], header_row: int) -> None:
        """The per-dossier rows. A row whose cells are all known (`Known`) and agree with
        each other is counted at once; any other goes through `_dossier`, which checks it
        cell by cell and lists its errors in order."""
        fetch, width = _fetcher(header)
        padding = [None] * width
        known, seen, tally, check = self.known, self._seen, self._tally, self._dossier
        procedures, units, dates, resolved_dates = (
            known.procedures,
            known.units,
            known.dates,
            known.resolved,
        )
        statuses, channels, pauses = known.statuses, known.channels, known.pauses
        start, end = self.period.start, self.period.end
        parsed, progress = self.parsed, self.progress
        for number, row in enumerate(rows, start=header_row + 1):
            # any() settles most rows at C speed; a falsy first look (0, False) is checked.
            if not any(row) and _blank(row):
                continue
            parsed.rows += 1
            if progress is not None and parsed.rows % PROGRESS_EVERY == 0:
                progress(parsed.rows)  # as the row starts: the same counts, one row early
            try:
                cells = fetch(row)
            except IndexError:  # shorter than the header: the cells it lacks are blank
                cells = fetch([*row, *padding])
            (
                code,
                procedure_cell,
                unit_cell,
                received_cell,
                due_cell,
                resolved_cell,
                status_cell,
                channel_cell,
                pause_cell,
            ) = cells
            try:
                procedure, handling_unit = procedures[procedure_cell]
                unit = units[unit_cell]
                received, due = dates[received_cell], dates[due_cell]
                resolved = resolved_dates[resolved_cell]
                status = statuses[status_cell]
                paused = pauses[pause_cell]
            except (KeyError, TypeError):  # a value not met yet, or in error
                check(number, row, header)
                continue
            dossier = code.strip() if code.__class__ is str else plain_text(code)
            hashed = hash(dossier)
            if (
                not dossier
                or hashed in seen
                or due < received
                or received > end
                or (status == RESOLVED and resolved is None)
                or (
                    resolved is not None
                    and (resolved < received or (status == PENDING and resolved <= end))
                )
            ):
                check(number, row, header)  # it names what is wrong
                continue
            seen.add(hashed)
            if resolved is not None and resolved < start:
                parsed.skipped += 1  # closed before the period: another period's dossier
                continue
            channel = None
            if received >= start:
                try:
                    channel = channels[channel_cell]
                except (KeyError, TypeError):
                    channel = self._channel(number, row, header)
                    if channel is None:
                        continue
            if unit == PROCEDURE_UNIT:
                unit = handling_unit
            tally(procedure, unit, dossier, received, due, resolved, status, paused, channel)

    def _dossier(self, number: int, row: Row, header: dict[str, int]) -> None:
        dossier = plain_text(self._cell(row, header, "dossier"))
        found = self._procedure(number, self._cell(row, header, "procedure"))
        ok, unit = self._unit(number, self._cell(row, header, "unit"), found and found[1])
        dates = self._dates(number, row, header)
        status = self._status(number, row, header)
        paused = self._paused(number, row, header)
        if not dossier:
            self.parsed.errors.add(
                number, COLUMN_LABELS["dossier"], "", _("The dossier code is empty.")
            )
        elif hash(dossier) in self._seen:
            why = _("This dossier code already appears above.")
            self.parsed.errors.add(number, COLUMN_LABELS["dossier"], dossier, why)
        else:
            self._seen.add(hash(dossier))
        if found is None or not ok or dates is None or status is None or paused is None:
            return
        received, due, resolved = dates
        if not self._consistent(number, row, header, status, received, resolved):
            return
        self._count(number, row, header, dossier, (found[0], unit), dates, status, paused)

    def _dates(
        self, number: int, row: Row, header: dict[str, int]
    ) -> tuple[dt.date, dt.date, dt.date | None] | None:
        values = {}
        for key in ("received", "due", "resolved"):
            value = self._cell(row, header, key)
            try:
                values[key] = self.cells.date(value)
            except ValueError:
                why = _("Not a date (dd/mm/yyyy).")
                self.parsed.errors.add(number, COLUMN_LABELS[key], value, why)
                return None
            if values[key] is None and key not in OPTIONAL:
                self.parsed.errors.add(number, COLUMN_LABELS[key], "", _("This date is required."))
                return None
            known = self.known.resolved if key == "resolved" else self.known.dates
            _remember(known, value, values[key])
        received, due, resolved = values["received"], values["due"], values["resolved"]
        assert received is not None and due is not None
        if due < received:
            why = _("The appointment date comes before the date received.")
            self.parsed.errors.add(
                number, COLUMN_LABELS["due"], _cell_text(row, header, "due"), why
            )
            return None
        if resolved is not None and resolved < received:
            why = _("The date resolved comes before the date received.")
            self.parsed.errors.add(
                number, COLUMN_LABELS["resolved"], _cell_text(row, header, "resolved"), why
            )
            return None
        if received > self.period.end:
            why = _("Received after the end of the period being imported.")
            self.parsed.errors.add(
                number, COLUMN_LABELS["received"], _cell_text(row, header, "received"), why
            )
            return None
        return received, due, resolved

    def _status(self, number: int, row: Row, header: dict[str, int]) -> str | None:
        value = self._cell(row, header, "status")
        status = STATUSES.get(self.cells.folded(value))
        if status is None:
            why = _("Unknown status (accepted: đã trả kết quả, đang xử lý, trả lại, rút hồ sơ).")
            self.parsed.errors.add(number, COLUMN_LABELS["status"], value, why)
        else:
            _remember(self.known.statuses, value, status)
        return status

    def _paused(self, number: int, row: Row, header: dict[str, int]) -> int | None:
        """Working days the dossier was paused for supplements, each interval counted from
        its first day to its last, both included."""
        cell = self._cell(row, header, "pauses")
        value = plain_text(cell)
        if not value:
            _remember(self.known.pauses, cell, 0)
            return 0
        known = self._pauses.get(value)
        if known is not None:
            _remember(self.known.pauses, cell, known)
            return known
        total = 0
        for part in re.split(r"[;\n]", value):
            if not part.strip():
                continue
            found = _PAUSE.match(part)
            try:
                first, last = self.cells.date(found.group(1)), self.cells.date(found.group(2))  # type: ignore[union-attr]
            except (ValueError, AttributeError):
                first = last = None
            if first is None or last is None or last < first:
                why = _("Write each pause as dd/mm/yyyy-dd/mm/yyyy, separated by “;”.")
                self.parsed.errors.add(number, COLUMN_LABELS["pauses"], value, why)
                return None
            total += self.calendar.count(first - dt.timedelta(days=1), last)
        self._pauses[value] = total
        _remember(self.known.pauses, cell, total)
        return total

    def _consistent(
        self,
        number: int,
        row: Row,
        header: dict[str, int],
        status: str,
        received: dt.date,
        resolved: dt.date | None,
    ) -> bool:
        if status == RESOLVED and resolved is None:
            why = _("A dossier whose result was returned needs the date resolved.")
            self.parsed.errors.add(number, COLUMN_LABELS["resolved"], "", why)
            return False
        if status == PENDING and resolved is not None and resolved <= self.period.end:
            why = _("A dossier still being handled has no date resolved.")
            value = _cell_text(row, header, "resolved")
            self.parsed.errors.add(number, COLUMN_LABELS["resolved"], value, why)
            return False
        return True

    def _channel(self, number: int, row: Row, header: dict[str, int]) -> int | None:
        value = self._cell(row, header, "channel")
        bucket = CHANNELS.get(self.cells.folded(value))
        if bucket is None:
            why = _("Unknown channel (accepted: trực tuyến, trực tiếp, bưu chính).")
            self.parsed.errors.add(number, COLUMN_LABELS["channel"], value, why)
            return None
        _remember(self.known.channels, value, INDEX[bucket])
        return INDEX[bucket]

    def _count(
        self,
        number: int,
        row: Row,
        header: dict[str, int],
        dossier: str,
        where: tuple[int, int | None],
        dates: tuple[dt.date, dt.date, dt.date | None],
        status: str,
        paused: int,
    ) -> None:
        received, due, resolved = dates
        if resolved is not None and resolved < self.period.start:
            self.parsed.skipped += 1  # closed before the period: another period's dossier
            return
        channel = None
        if received >= self.period.start:
            channel = self._channel(number, row, header)
            if channel is None:
                return
        procedure, unit = where
        self._tally(procedure, unit, dossier, received, due, resolved, status, paused, channel)

    def _tally(
        self,
        procedure: int,
        unit: int | None,
        dossier: str,
        received: dt.date,
        due: dt.date,
        resolved: dt.date | None,
        status: str,
        paused: int,
        channel: int | None,
    ) -> None:
        """Count a checked dossier of the period: received through `channel` (None: carried
        over from before the period), then returned, withdrawn, resolved early, on time or
        late, or still pending at the end within or past its deadline."""
        end = self.period.end
        deadline = self._deadline(due, paused) if paused else due
        if resolved is None or resolved > end:
            day, bucket = end, PENDING_WITHIN if end <= deadline else PENDING_LATE
        elif status in (RETURNED, WITHDRAWN):
            day, bucket = resolved, INDEX[status]
        elif resolved < deadline:
            day, bucket = resolved, RESOLVED_EARLY
        elif resolved == deadline:
            day, bucket = resolved, RESOLVED_ON_TIME
        else:
            day, bucket = resolved, RESOLVED_LATE
        if bucket in (PENDING_LATE, RESOLVED_LATE):
            finished = resolved if bucket == RESOLVED_LATE else None
            days = self._late_days(deadline, day)
            self.parsed.late.append((procedure, dossier, received, deadline, finished, days))
        grids = self.grids
        grid = grids.by_pair.get((procedure, unit))
        if grid is None:
            grid = grids.add(procedure, unit)
        if channel is None:
            grid[grids.carried_over] += 1
        else:
            grid[(received.toordinal() - grids.base) * BUCKET_COUNT + channel] += 1
        grid[(day.toordinal() - grids.base) * BUCKET_COUNT + bucket] += 1

    def _deadline(self, due: dt.date, paused: int) -> dt.date:
        """The appointment date moved by the working days paused (once per pair)."""
        deadline = self.known.deadlines.get((due, paused))
        if deadline is None:
            deadline = self.known.deadlines[due, paused] = self.calendar.add(due, paused)
        return deadline

    def _late_days(self, deadline: dt.date, day: dt.date) -> int:
        """Working days from the deadline to `day` (once per pair)."""
        days = self.known.late_days.get((deadline, day))
        if days is None:
            days = self.known.late_days[deadline, day] = self.calendar.count(deadline, day)
        return days


def _cell_text(row: Row, header: dict[str, int], key: str) -> str:
    index = header.get(key)
    return plain_text(row[index]) if index is not None and index < len(row) else ""


# --- the import as a whole -----------------------------------------------------------------


def overlapping(agency: Agency, start: dt.date, end: dt.date) -> ResultImport | None:
    """An imported period that overlaps [start, end] without lying inside it: re-importing
    replaces whole periods, never a part of one."""
    return (
        ResultImport.objects.filter(
            agency=agency,
            status=ResultImport.Status.DONE,
            period_start__lte=end,
            period_end__gte=start,
        )
        .exclude(period_start__gte=start, period_end__lte=end)
        .first()
    )


def check_period(agency: Agency, start: dt.date, end: dt.date) -> None:
    """Refuse a period that is upside down, longer than a year, or cuts an imported one."""
    if end < start:
        raise ValidationError(_("The period ends before it starts."))
    if (end - start).days > 366:
        raise ValidationError(_("A period is at most one year: import longer spans year by year."))
    other = overlapping(agency, start, end)
    if other is not None:
        raise ValidationError(
            _(
                "This period overlaps the imported period %(start)s–%(end)s without "
                "covering it: import that period again, or a period that covers it whole."
            )
            % {"start": f"{other.period_start:%d/%m/%Y}", "end": f"{other.period_end:%d/%m/%Y}"}
        )


@transaction.atomic
def create_import(
    agency: Agency, by: User, upload: UploadedFile, start: dt.date, end: dt.date
) -> ResultImport:
    """Keep the uploaded file and its import, queued; `start_import` then runs it here or
    hands it to the worker. The period is checked first (ValidationError)."""
    check_period(agency, start, end)
    result_import = ResultImport(
        agency=agency,
        period_start=start,
        period_end=end,
        shape=ResultImport.Shape.DOSSIERS,  # until the header says otherwise
        file_name=(upload.name or "")[:255],
        by=by,
    )
    result_import.file.save(upload.name or "ket-qua.csv", upload, save=False)
    result_import.rows_total = count_rows(
        Path(result_import.file.path), extension_of(upload.name or "")
    )
    result_import.save()
    return result_import


def start_import(result_import: ResultImport) -> bool:
    """Run the import now, or queue it for the worker when the file is large; True when it
    was queued."""
    if result_import.rows_total > worker_rows():
        from qms.procedures.tasks import import_results

        pk = result_import.pk
        transaction.on_commit(lambda: import_results.enqueue(pk))
        return True
    run_import(result_import)
    return False


def _progress(pk: int) -> Callable[[int], None]:
    def record(done: int) -> None:
        ResultImport.objects.filter(pk=pk).update(rows_done=done)

    return record


def parse(
    result_import: ResultImport, progress: Callable[[int], None] | None = None
) -> tuple[str, Parsed]:
    """Read the import's file: its shape and what it adds up to (errors included)."""
    path = Path(result_import.file.path)
    reader = Reader(
        Handled.load(result_import.agency),
        Period(result_import.period_start, result_import.period_end),
        working_calendar(),
        progress,
    )
    parsed = reader.read(read_rows(path, extension_of(result_import.file_name)))
    return getattr(reader, "shape", result_import.shape), parsed


def run_import(result_import: ResultImport) -> ResultImport:
    """Read the file and, when it has no error, replace the period's results with it; with
    errors, keep only the list of them. Never raises on a bad file."""
    ResultImport.objects.filter(pk=result_import.pk).update(status=ResultImport.Status.RUNNING)
    try:
        shape, parsed = parse(result_import, _progress(result_import.pk))
    except ImportRefused as refused:
        _refuse(result_import, [{"row": 1, "column": "", "value": "", "why": str(refused)}], 0)
        return result_import
    result_import.shape = shape
    if not parsed.rows and not parsed.errors:
        parsed.errors.add(1, "", "", _("The file has a header but no rows."))
    if parsed.errors:
        _refuse(result_import, parsed.errors.as_json(), parsed.rows)
        return result_import
    replace(result_import, parsed)
    return result_import


def _refuse(result_import: ResultImport, errors: list[dict[str, Any]], rows: int) -> None:
    result_import.status = ResultImport.Status.FAILED
    result_import.errors = errors
    result_import.rows_done = result_import.rows_total = rows
    result_import.finished_at = timezone.now()
    result_import.save(
        update_fields=["status", "errors", "shape", "rows_done", "rows_total", "finished_at"]
    )


@transaction.atomic
def replace(result_import: ResultImport, parsed: Parsed) -> None:
    """The period's results become the file's, in one transaction: every earlier import of a
    period inside this one goes (its figures and late dossiers with it); the apology letters
    already sent stay recorded on the same dossiers."""
    agency = result_import.agency
    earlier = ResultImport.objects.filter(
        agency=agency,
        period_start__gte=result_import.period_start,
        period_end__lte=result_import.period_end,
    ).exclude(pk=result_import.pk)
    sent = set(
        LateDossier.objects.filter(source__in=earlier, apology_sent=True).values_list(
            "dossier_code", flat=True
        )
    )
    DailyResult.objects.filter(source__in=earlier).delete()
    LateDossier.objects.filter(source__in=earlier).delete()
    files = [f for f in earlier.values_list("file", flat=True) if f]
    earlier.delete()
    _write_sums(result_import, parsed.cells())
    _write_late(result_import, parsed.late, sent)
    result_import.status = ResultImport.Status.DONE
    result_import.errors = []
    result_import.rows_done = result_import.rows_total = parsed.rows
    result_import.finished_at = timezone.now()
    result_import.save(
        update_fields=["status", "errors", "shape", "rows_done", "rows_total", "finished_at"]
    )
    storage = result_import.file.storage

    def delete_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


def _write_sums(result_import: ResultImport, cells: Iterable[tuple[Key, list[int]]]) -> None:
    """A year of a province-sized export is ~100,000 (TTHC, unit, day) cells."""
    agency, source = result_import.agency_id, result_import.pk
    columns = ["agency_id", "procedure_id", "unit_id", "day", "source_id", *BUCKETS]
    _insert(
        DailyResult,
        columns,
        (
            (agency, procedure, unit, day, source, *counts)
            for (procedure, unit, day), counts in cells
        ),
    )


def _write_late(
    result_import: ResultImport,
    late: list[tuple[int, str, dt.date, dt.date, dt.date | None, int]],
    sent: set[str],
) -> None:
    """A million dossiers have a hundred thousand or more late ones."""
    agency, source = result_import.agency_id, result_import.pk
    columns = [
        "agency_id",
        "procedure_id",
        "source_id",
        "dossier_code",
        "received_on",
        "due_on",
        "resolved_on",
        "days_late",
        "apology_sent",
    ]
    _insert(
        LateDossier,
        columns,
        (
            (agency, procedure, source, code[:60], received, due, resolved, days, code in sent)
            for procedure, code, received, due, resolved, days in late
        ),
    )


def _insert(model: type[Model], columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert the rows without building model instances (bulk_create costs more than
    reading the file): PostgreSQL's COPY, else batches of executemany."""
    quote = connection.ops.quote_name
    # Table and column names come from the model, never from the file.
    table = quote(model._meta.db_table)
    names = ", ".join(quote(_column(model, name)) for name in columns)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {table} ({names}) FROM STDIN"  # noqa: S608
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
    pending = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(pending, BATCH * 5)):
            cursor.executemany(sql, batch)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name.removesuffix("_id"))
    return str(getattr(field, "column", name))


@transaction.atomic
def set_apology_sent(dossier: LateDossier, sent: bool) -> LateDossier:
    """Record whether the apology letter (Phiếu xin lỗi và hẹn lại ngày trả kết quả) went to
    the applicant of a late dossier."""
    dossier.apology_sent = sent
    dossier.save(update_fields=["apology_sent"])
    return dossier
