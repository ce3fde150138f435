"""The province's TTHC catalogue, kept once by its Sở KH&CN, and each agency's subset of it.

An import reads the province's export (XLSX or CSV; the columns are documented in
docs/tthc-catalogue-import.md), checks every row and lists every error by row, column, value
and why — a file with an error imports nothing. A clean file becomes a preview
(`CatalogueImport`, status PREVIEW) of what is new, amended and abolished; applying it with
its publishing decision writes exactly that preview in one transaction, then tells every
agency of the province whose scope it touches: the plan event "tthc_catalogue_approved" on
its plans in force, and an obligation to revise each covering procedure within the months
the law gives for a legal change (`qms.documents.rules.LEGAL_CHANGE_MONTHS`).

Nothing is ever deleted: an abolished TTHC keeps its row with status ABOLISHED and the date,
and simple_history keeps every earlier state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from qms.lib import sheets
from qms.lib.search import fold
from qms.organization.models import Agency, Province, Unit, User
from qms.procedures.models import (
    CODE_SHAPE,
    AdminProcedure,
    AgencyProcedure,
    CatalogueImport,
    DayKind,
    Level,
    Online,
)

# Luật Tổ chức chính quyền địa phương 2025: local government has two levels from 01/07/2025;
# a catalogue published from that day has no district-level TTHC.
NO_DISTRICT_FROM = dt.date(2025, 7, 1)
# Rows a province's export holds at most: about 2,000 TTHC; more is not a catalogue.
MAX_ROWS = 10_000
# The header is looked for in the first rows (the export puts a title above it).
HEADER_SEARCH_ROWS = 10

# Column → the folded headers that name it (case and diacritics do not matter).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("ma tthc", "ma thu tuc", "ma thu tuc hanh chinh", "ma so tthc", "ma so"),
    "name": ("ten thu tuc hanh chinh", "ten tthc", "ten thu tuc", "thu tuc hanh chinh"),
    "field": ("linh vuc", "ten linh vuc"),
    "level": ("cap thuc hien", "cap giai quyet", "cap"),
    "time": ("thoi han giai quyet", "thoi gian giai quyet", "thoi han"),
    "unit": ("don vi tinh", "don vi thoi gian"),
    "online": ("muc do dvc truc tuyen", "dvc truc tuyen", "dich vu cong truc tuyen", "muc do dvc"),
    "status": ("tinh trang", "trang thai"),
}
REQUIRED = ("code", "name", "field", "level", "time")
# The column names the error report uses: the documented headers.
HEADERS = {
    "code": "Mã TTHC",
    "name": "Tên thủ tục hành chính",
    "field": "Lĩnh vực",
    "level": "Cấp thực hiện",
    "time": "Thời hạn giải quyết",
    "unit": "Đơn vị tính",
    "online": "Mức độ DVC trực tuyến",
    "status": "Tình trạng",
}
LEVELS = {
    "tinh": Level.PROVINCE,
    "cap tinh": Level.PROVINCE,
    "tinh thanh pho": Level.PROVINCE,
    "cap tinh thanh pho": Level.PROVINCE,
    "huyen": Level.DISTRICT,
    "cap huyen": Level.DISTRICT,
    "xa": Level.COMMUNE,
    "cap xa": Level.COMMUNE,
}
UNITS = {"": DayKind.WORKING, "ngay lam viec": DayKind.WORKING, "ngay": DayKind.CALENDAR}
UNITS |= {"ngay le": DayKind.CALENDAR, "ngay theo lich": DayKind.CALENDAR}
ONLINE = {
    "toan trinh": Online.FULL,
    "muc do 4": Online.FULL,
    "mot phan": Online.PARTIAL,
    "muc do 3": Online.PARTIAL,
    "": Online.NONE,
    "khong": Online.NONE,
    "muc do 2": Online.NONE,
}
ABOLISHED_WORDS = ("bai bo", "het hieu luc")
KEPT_STATUS = {"", "con hieu luc", "dang ap dung", "dang thuc hien", "moi", "moi ban hanh"}
KEPT_STATUS |= {"sua doi", "sua doi bo sung", "bo sung", "thay the"}
# The fields an import sets, compared to tell an amended TTHC.
COMPARED = ("name", "field", "level", "time_days", "day_kind", "online")
FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "field": gettext_lazy("Field"),
    "level": gettext_lazy("Level"),
    "time_days": gettext_lazy("Statutory time"),
    "day_kind": gettext_lazy("Counted in"),
    "online": gettext_lazy("Online service"),
    "status": gettext_lazy("Status"),
}


@dataclass(frozen=True)
class RowError:
    """One thing wrong in the file, as the report shows it."""

    row: int
    column: str
    value: str
    why: str


class CatalogueFileError(Exception):
    """The file has errors: nothing is imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


# --- reading the file -------------------------------------------------------------------


def _cell_text(value: Any, column: str) -> str:
    """A cell as text. A code typed into a number cell (1.000940 → 1.00094) gets back its six
    decimals; whole numbers lose Excel's ".0"."""
    if isinstance(value, float):
        if column == "code":
            return f"{value:.6f}"
        return f"{value:g}" if value == int(value) else str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value if value is not None else "").split())


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    """(index of the header row, column → position) from the first rows of the file."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = sheets.header_positions(row, COLUMNS)
        if "code" in found and "name" in found:
            missing = [HEADERS[c] for c in REQUIRED if c not in found]
            if missing:
                raise ValidationError(
                    _("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
                )
            return index, found
    raise ValidationError(
        _("No header row with “Mã TTHC” and “Tên thủ tục hành chính” in the first %(n)s rows.")
        % {"n": HEADER_SEARCH_ROWS}
    )


def _time(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > 9999 or (value * 2) % 1:
        return None
    return value.normalize() if value else Decimal(0)


class _RowReader:
    """Checks one data row, collecting its errors."""

    def __init__(self, number: int, cells: dict[str, str], decided_on: dt.date | None) -> None:
        self.number, self.cells, self.decided_on = number, cells, decided_on
        self.errors: list[RowError] = []

    def error(self, column: str, why: str) -> None:
        self.errors.append(RowError(self.number, HEADERS[column], self.cells.get(column, ""), why))

    def choice(self, column: str, known: Mapping[str, str], why: str) -> str:
        value = known.get(fold(self.cells.get(column, "")).removeprefix("cap "))
        value = value or known.get(fold(self.cells.get(column, "")))
        if value is None:
            self.error(column, why)
            return ""
        return value

    def read(self) -> dict[str, Any]:
        cells = self.cells
        code = cells.get("code", "").upper()
        if not CODE_SHAPE.match(code):
            self.error("code", _("not the shape of a national code (e.g. 1.000948.H38)"))
        for column in ("name", "field"):
            if not cells.get(column):
                self.error(column, _("required"))
        level = self.choice("level", LEVELS, _("not a known level (tỉnh, huyện, xã)"))
        if level == Level.DISTRICT and self.decided_on and self.decided_on >= NO_DISTRICT_FROM:
            self.error("level", _("no district level in a catalogue published from 01/07/2025"))
        time = _time(cells.get("time", ""))
        if time is None:
            self.error("time", _("not a number of days ≥ 0 (halves allowed)"))
        day_kind = self.choice("unit", UNITS, _("not “ngày làm việc” or “ngày”"))
        online = self.choice("online", ONLINE, _("not “Toàn trình”, “Một phần” or blank"))
        status = fold(cells.get("status", ""))
        abolish = any(word in status for word in ABOLISHED_WORDS)
        if not abolish and status not in KEPT_STATUS:
            self.error("status", _("not a known status (blank, còn hiệu lực, bãi bỏ)"))
        return {
            "row": self.number,
            "code": code,
            "name": cells.get("name", "")[:1000],
            "field": cells.get("field", "")[:300],
            "level": level,
            "time_days": str(time) if time is not None else "",
            "day_kind": day_kind,
            "online": online,
            "abolish": abolish,
        }


def parse(
    content: bytes, extension: str, decided_on: dt.date | None = None
) -> list[dict[str, Any]]:
    """The checked rows of a catalogue file. Raises ValidationError when the file itself
    cannot be read, CatalogueFileError listing every bad cell otherwise."""
    try:
        rows = list(sheets.read_rows(content, extension))
    except sheets.SheetUnreadable as unreadable:
        raise ValidationError(str(unreadable)) from None
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
    start, columns = _header(rows)
    parsed: list[dict[str, Any]] = []
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    for index, row in enumerate(rows[start + 1 :], start=start + 2):
        cells = {c: _cell_text(row[p], c) if p < len(row) else "" for c, p in columns.items()}
        if not any(cells.values()):
            continue  # a blank line
        reader = _RowReader(index, cells, decided_on)
        found = reader.read()
        code = found["code"]
        if code in first_row:
            reader.error("code", _("appears twice (also row %(row)s)") % {"row": first_row[code]})
        first_row.setdefault(code, index)
        errors += reader.errors
        parsed.append(found)
    if errors:
        raise CatalogueFileError(errors)
    if not parsed:
        raise ValidationError(_("The file has no TTHC row."))
    return parsed


# --- writing it ------------------------------------------------------------------------

# The words the export writes: each is read back by the import above (LEVELS, UNITS, ONLINE,
# KEPT_STATUS and ABOLISHED_WORDS), so an exported file re-imported changes nothing.
LEVEL_WORDS = {Level.PROVINCE: "Cấp tỉnh", Level.DISTRICT: "Cấp huyện", Level.COMMUNE: "Cấp xã"}
UNIT_WORDS = {DayKind.WORKING: "ngày làm việc", DayKind.CALENDAR: "ngày"}
ONLINE_WORDS = {Online.FULL: "Toàn trình", Online.PARTIAL: "Một phần", Online.NONE: ""}
STATUS_WORDS = {
    AdminProcedure.Status.IN_FORCE: "Còn hiệu lực",
    AdminProcedure.Status.AMENDED: "Sửa đổi, bổ sung",
    AdminProcedure.Status.ABOLISHED: "Bãi bỏ",
}
EXPORT_HEADERS = (
    "STT",
    *HEADERS.values(),
    "Quyết định công bố",
    "Ngày quyết định",
    "Hiệu lực từ",
    "Ngày sửa đổi",
    "Ngày bãi bỏ",
)


def export_rows(procedures: Iterable[AdminProcedure]) -> Iterator[list[Any]]:
    """The catalogue as the import reads it (the documented columns, in their order), then
    the publishing decision and the dates of the TTHC's status."""
    for number, p in enumerate(procedures, start=1):
        time = p.time_days.normalize() if p.time_days is not None else None
        yield [
            number,
            p.code,
            p.name,
            p.field,
            LEVEL_WORDS.get(Level(p.level), ""),
            float(time) if time is not None else None,
            UNIT_WORDS.get(DayKind(p.day_kind), ""),
            ONLINE_WORDS.get(Online(p.online), ""),
            STATUS_WORDS.get(AdminProcedure.Status(p.status), ""),
            p.decision_number,
            p.decision_date,
            p.in_force_from,
            p.amended_on,
            p.abolished_on,
        ]


# --- what changes -----------------------------------------------------------------------


def _stored(procedure: AdminProcedure) -> dict[str, str]:
    time = procedure.time_days
    return {
        "name": procedure.name,
        "field": procedure.field,
        "level": procedure.level,
        "time_days": str(time.normalize() if time else Decimal(0)) if time is not None else "",
        "day_kind": procedure.day_kind,
        "online": procedure.online,
    }


def _same(name: str, old: str, new: str) -> bool:
    if name == "time_days" and old and new:
        return Decimal(old) == Decimal(new)
    return old == new


def diff(province: Province, rows: list[dict[str, Any]], whole: bool) -> dict[str, Any]:
    """What applying `rows` would change in the province's catalogue: new rows, amended ones
    (each field old → new), abolished ones (marked "bãi bỏ", or in force but absent from a
    file that is the whole catalogue), and how many stay as they are. One query."""
    existing = {p.code: p for p in AdminProcedure.objects.filter(province=province)}
    new, amended, abolished, unchanged = [], [], [], 0
    for row in rows:
        known = existing.get(row["code"])
        if row["abolish"]:
            if known is not None and known.status != AdminProcedure.Status.ABOLISHED:
                abolished.append({"code": known.code, "name": known.name, "field": known.field})
            else:
                unchanged += 1
            continue
        if known is None:
            new.append({k: row[k] for k in ("code", *COMPARED)})
            continue
        old = _stored(known)
        changes = {n: [old[n], row[n]] for n in COMPARED if not _same(n, old[n], row[n])}
        if known.status == AdminProcedure.Status.ABOLISHED:
            changes["status"] = [known.status, AdminProcedure.Status.IN_FORCE]
        if changes:
            amended.append({"code": known.code, "name": row["name"], "changes": changes})
        else:
            unchanged += 1
    if whole:
        listed = {row["code"] for row in rows}
        abolished += [
            {"code": p.code, "name": p.name, "field": p.field}
            for p in existing.values()
            if p.code not in listed and p.status != AdminProcedure.Status.ABOLISHED
        ]
    return {"new": new, "amended": amended, "abolished": abolished, "unchanged": unchanged}


def has_changes(changes: dict[str, Any]) -> bool:
    return bool(changes.get("new") or changes.get("amended") or changes.get("abolished"))


@transaction.atomic
def preview(
    province: Province,
    content: bytes,
    extension: str,
    file_name: str,
    *,
    whole: bool,
    by: User,
    decided_on: dt.date | None = None,
) -> CatalogueImport:
    """Read the file and keep what it would change, to be applied later. Raises
    CatalogueFileError (every bad cell) or ValidationError; nothing is kept then."""
    rows = parse(content, extension, decided_on)
    changes = diff(province, rows, whole) | {"whole": whole}
    return CatalogueImport.objects.create(
        province=province, file_name=file_name[:255], rows=rows, changes=changes, by=by
    )


# --- applying it ------------------------------------------------------------------------


def _decided(procedure: AdminProcedure, number: str, day: dt.date) -> None:
    procedure.decision_number, procedure.decision_date = number, day


def _check_decision(catalogue_import: CatalogueImport, day: dt.date) -> None:
    if day < NO_DISTRICT_FROM:
        return
    district = [
        r for r in catalogue_import.rows if r["level"] == Level.DISTRICT and not r["abolish"]
    ]
    if district:
        rows = ", ".join(str(r["row"]) for r in district[:20])
        raise ValidationError(
            _(
                "A catalogue published from 01/07/2025 has no district level; rows %(rows)s "
                "are at district level."
            )
            % {"rows": rows}
        )


def _write(
    province: Province, catalogue_import: CatalogueImport, number: str, day: dt.date
) -> None:
    changes = catalogue_import.changes
    rows = {r["code"]: r for r in catalogue_import.rows}
    codes = [a["code"] for a in changes["amended"]] + [a["code"] for a in changes["abolished"]]
    known = {p.code: p for p in AdminProcedure.objects.filter(province=province, code__in=codes)}
    created = []
    for entry in changes["new"]:
        procedure = AdminProcedure(province=province, code=entry["code"], in_force_from=day)
        _set(procedure, rows[entry["code"]])
        _decided(procedure, number, day)
        created.append(procedure)
    updated = []
    for entry in changes["amended"]:
        procedure = known[entry["code"]]
        _set(procedure, rows[entry["code"]])
        _decided(procedure, number, day)
        procedure.status, procedure.amended_on = AdminProcedure.Status.AMENDED, day
        procedure.abolished_on = None
        updated.append(procedure)
    for entry in changes["abolished"]:
        procedure = known[entry["code"]]
        _decided(procedure, number, day)
        procedure.status, procedure.abolished_on = AdminProcedure.Status.ABOLISHED, day
        updated.append(procedure)
    if created:
        bulk_create_with_history(created, AdminProcedure, batch_size=500)
    if updated:
        fields = [*COMPARED, "status", "decision_number", "decision_date", "amended_on"]
        bulk_update_with_history(updated, AdminProcedure, [*fields, "abolished_on"], batch_size=500)


def _set(procedure: AdminProcedure, row: dict[str, Any]) -> None:
    for name in ("name", "field", "level", "day_kind", "online"):
        setattr(procedure, name, row[name])
    procedure.time_days = Decimal(row["time_days"]) if row["time_days"] != "" else None


@transaction.atomic
def apply(catalogue_import: CatalogueImport, number: str, day: dt.date, by: User) -> None:
    """Write exactly the preview, with the decision that publishes it, then tell the agencies
    whose scope it touches. Refused when the catalogue changed since the preview."""
    locked = CatalogueImport.objects.select_for_update().get(pk=catalogue_import.pk)
    if locked.status != CatalogueImport.Status.PREVIEW:
        raise ValidationError(_("This import has already been applied or discarded."))
    if not has_changes(locked.changes):
        raise ValidationError(_("The file changes nothing in the catalogue: nothing to apply."))
    number = " ".join(number.split())
    if not number:
        raise ValidationError({"decision_number": _("Give the number of the decision.")})
    _check_decision(locked, day)
    province = locked.province
    now = diff(province, locked.rows, bool(locked.changes.get("whole")))
    if {k: now[k] for k in ("new", "amended", "abolished")} != {
        k: locked.changes[k] for k in ("new", "amended", "abolished")
    }:
        raise ValidationError(
            _("The catalogue has changed since this preview: upload the file again.")
        )
    _write(province, locked, number, day)
    locked.status, locked.decision_number, locked.decision_date = (
        CatalogueImport.Status.APPLIED,
        number,
        day,
    )
    locked.changes = locked.changes | {"affected": _affected(locked)}
    locked.save(update_fields=["status", "decision_number", "decision_date", "changes"])
    _tell_agencies(locked, by)
    catalogue_import.refresh_from_db()


@transaction.atomic
def discard(catalogue_import: CatalogueImport) -> None:
    if catalogue_import.status != CatalogueImport.Status.PREVIEW:
        raise ValidationError(_("This import has already been applied or discarded."))
    catalogue_import.status = CatalogueImport.Status.DISCARDED
    catalogue_import.save(update_fields=["status"])


# --- the agency's subset ----------------------------------------------------------------


def _check_unit(agency: Agency, unit: Unit | None) -> None:
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError({"unit": _("Choose a unit of this agency.")})


@transaction.atomic
def add_procedures(
    agency: Agency, procedures: Iterable[AdminProcedure], unit: Unit | None = None
) -> int:
    """The agency handles these TTHC of its province's catalogue (again, if it had
    stopped). Returns how many were added."""
    _check_unit(agency, unit)
    chosen = [p for p in procedures if p.status != AdminProcedure.Status.ABOLISHED]
    if any(p.province_id != agency.province_id for p in chosen):
        raise ValidationError(_("A TTHC of another province cannot be added."))
    held = {
        h.procedure_id: h
        for h in AgencyProcedure.objects.filter(agency=agency, procedure__in=chosen)
    }
    added = 0
    for procedure in chosen:
        handling = held.get(procedure.pk)
        if handling is None:
            handling = AgencyProcedure(agency=agency, procedure=procedure, unit=unit)
        elif handling.is_active:
            continue
        handling.is_active = True
        handling.unit = unit or handling.unit
        handling.save()
        added += 1
    return added


def check_committed(procedure: AdminProcedure, committed: Decimal | None) -> None:
    if committed is None:
        return
    if committed <= 0 or (committed * 2) % 1:
        raise ValidationError(
            {"committed_days": _("A time in working days above 0, halves allowed.")}
        )
    statutory = procedure.time_days
    if statutory is not None and committed > statutory:
        raise ValidationError(
            {
                "committed_days": _(
                    "The committed time (%(committed)s days) cannot exceed the statutory time "
                    "(%(statutory)s days)."
                )
                % {
                    "committed": f"{committed.normalize():f}",
                    "statutory": f"{statutory.normalize():f}",
                }
            }
        )


@transaction.atomic
def update_handling(
    handling: AgencyProcedure,
    *,
    committed_days: Decimal | None,
    unit: Unit | None,
    document: Any,
) -> None:
    """The agency's committed time, handling unit and covering procedure for one TTHC."""
    from qms.documents.models import Kind

    agency = handling.agency
    _check_unit(agency, unit)
    check_committed(handling.procedure, committed_days)
    if document is not None and (
        document.agency_id != agency.pk or document.kind != Kind.TTHC_PROCEDURE
    ):
        raise ValidationError({"document": _("Choose a TTHC procedure of this agency.")})
    handling.committed_days, handling.unit, handling.document = committed_days, unit, document
    handling.save(update_fields=["committed_days", "unit", "document"])


@transaction.atomic
def stop_handling(handling: AgencyProcedure) -> None:
    """The agency no longer handles this TTHC; its row and history stay."""
    if not handling.is_active:
        raise ValidationError(_("The agency already no longer handles this TTHC."))
    handling.is_active = False
    handling.save(update_fields=["is_active"])


# --- what an applied change asks of the agencies ----------------------------------------

REVISE_KIND = "procedures.revise"
CATALOGUE_EVENT = "tthc_catalogue_approved"


def revise_prefix(agency: Agency) -> str:
    return f"{REVISE_KIND}:{agency.pk}"


def _changed_codes(changes: dict[str, Any]) -> set[str]:
    return {e["code"] for e in changes.get("amended", [])} | {
        e["code"] for e in changes.get("abolished", [])
    }


def _affected(catalogue_import: CatalogueImport) -> dict[str, list[list[Any]]]:
    """Agency id → [document id, unit id, [codes]] of each covering procedure that handles an
    amended or abolished TTHC now: the revisions this decision asks for, fixed when it is
    applied (an agency that adds the TTHC later owes nothing for it). One query."""
    handlings = AgencyProcedure.objects.filter(
        agency__province_id=catalogue_import.province_id,
        is_active=True,
        procedure__province_id=catalogue_import.province_id,
        procedure__code__in=_changed_codes(catalogue_import.changes),
    ).values_list("agency_id", "document_id", "unit_id", "procedure__code")
    found: dict[str, dict[int | None, list[Any]]] = {}
    for agency_id, document_id, unit_id, code in handlings.order_by("procedure__code"):
        entry = found.setdefault(str(agency_id), {}).setdefault(
            document_id, [document_id, unit_id, []]
        )
        entry[2].append(code)
        entry[1] = entry[1] or unit_id
    return {agency: list(documents.values()) for agency, documents in found.items()}


def _touched(catalogue_import: CatalogueImport) -> list[Agency]:
    """Agencies of the province on the decision's date: all of them when TTHC are added,
    else those that handle an amended or abolished one."""
    day = catalogue_import.decision_date
    assert day is not None
    agencies = Agency.objects.filter(province_id=catalogue_import.province_id).active_on(day)
    if not catalogue_import.changes.get("new"):
        ids = [int(pk) for pk in catalogue_import.changes.get("affected", {})]
        agencies = agencies.filter(pk__in=ids)
    return list(agencies.order_by("pk"))


def _tell_agencies(catalogue_import: CatalogueImport, by: User) -> None:
    from qms.plans import services as plans
    from qms.plans.models import Plan, covers_q, in_force_q

    day = catalogue_import.decision_date
    assert day is not None
    note = _("Decision %(number)s of %(date)s publishing the TTHC catalogue") % {
        "number": catalogue_import.decision_number,
        "date": f"{day:%d/%m/%Y}",
    }
    for agency in _touched(catalogue_import):
        for plan in Plan.objects.filter(in_force_q(), covers_q(day.year), agency=agency):
            plans.record_event(plan, CATALOGUE_EVENT, day, by, note)
        if str(agency.pk) in catalogue_import.changes.get("affected", {}):
            sync_revisions(agency)


@dataclass(frozen=True)
class OwedRevision:
    """A covering procedure to revise after a catalogue decision."""

    catalogue_import: CatalogueImport
    document: Any
    unit_id: int | None
    codes: list[str]
    due: dt.date
    done: bool


def revisions(agency: Agency) -> list[OwedRevision]:
    """Every revision the applied catalogue decisions asked of `agency`; one is done once the
    procedure has a revision issued on or after the decision's date. Two queries."""
    from qms.documents import rules
    from qms.documents.models import Document
    from qms.lib.dates import months_later

    imports = CatalogueImport.objects.filter(
        province_id=agency.province_id, status=CatalogueImport.Status.APPLIED
    ).order_by("decision_date", "pk")
    wanted = [
        (each, entry)
        for each in imports
        for entry in each.changes.get("affected", {}).get(str(agency.pk), [])
        if entry[0] is not None
    ]
    documents = Document.objects.filter(
        agency=agency, pk__in={entry[0] for _each, entry in wanted}
    ).select_related("current_revision")
    by_pk = {d.pk: d for d in documents}
    found = []
    for each, (document_id, unit_id, codes) in wanted:
        document = by_pk.get(document_id)
        if document is None or each.decision_date is None:
            continue
        revision = document.current_revision
        issued = revision.issued_on if revision is not None else None
        done = issued is not None and issued >= each.decision_date
        due = months_later(each.decision_date, rules.LEGAL_CHANGE_MONTHS)
        found.append(
            OwedRevision(each, document, unit_id or document.owner_unit_id, codes, due, done)
        )
    return found


def sync_revisions(agency: Agency) -> None:
    """The agenda and the inbox hold the revisions still owed: owner the handling unit, in
    the inbox of its head and of the ISO secretaries (who are notified)."""
    from django.conf import settings
    from django.utils import translation

    from qms.agenda import inbox, people, registry
    from qms.agenda.models import Obligation
    from qms.organization.models import Role

    owed = revisions(agency)
    prefix = revise_prefix(agency)
    with translation.override(settings.LANGUAGE_CODE):
        items = [
            registry.Item(
                key=f"{r.catalogue_import.pk}:{r.document.pk}",
                kind=REVISE_KIND,
                title=_(
                    "Revise %(code)s %(title)s after decision %(decision)s on the TTHC catalogue "
                    "(%(codes)s)"
                )
                % {
                    "code": r.document.code,
                    "title": r.document.title,
                    "decision": r.catalogue_import.decision_number,
                    "codes": ", ".join(r.codes),
                },
                url=r.document.get_absolute_url(),
                due_date=r.due,
                state=Obligation.State.DONE if r.done else Obligation.State.OPEN,
                owner_unit_id=r.unit_id,
            )
            for r in owed
        ]
    registry.sync(agency, prefix, items)
    open_items = [i for i in items if i.state == Obligation.State.OPEN]
    secretaries = people.with_roles(agency, [Role.ISO_SECRETARY]) if open_items else []
    heads = people.unit_heads(agency, {i.owner_unit_id for i in open_items if i.owner_unit_id})
    works = [
        inbox.Work(
            i.key,
            REVISE_KIND,
            i.title,
            i.url,
            [*heads.get(i.owner_unit_id or 0, []), *secretaries],
            i.due_date,
        )
        for i in open_items
    ]
    inbox.sync(agency, prefix, works)
