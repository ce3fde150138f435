"""What other pages and apps read about an agency's TTHC: one query function per figure.

Coverage (QĐ 19/2014 Art. 3.1; TT 26/2014 Art. 36): every TTHC in force that the agency
handles is covered by an ISO procedure in force. A TTHC is
- covered: its covering procedure (`AgencyProcedure.document`) is in force;
- not covered: none, or one not (or no longer) in force;
- covered by a procedure whose TTHC has been abolished: the procedure still cites a TTHC the
  province abolished — to revise or withdraw.
Each function reads the agency's TTHC in one query whatever their number.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from qms.documents.models import Document
from qms.organization.models import Agency
from qms.procedures.models import AdminProcedure, AgencyProcedure, CatalogueImport

COVERED = "covered"
UNCOVERED = "uncovered"
ABOLISHED = "abolished"


def handled(agency: Agency) -> QuerySet[AgencyProcedure]:
    """The TTHC the agency handles now, with their catalogue row, unit and procedure."""
    return (
        AgencyProcedure.objects.filter(agency=agency, is_active=True)
        .select_related("procedure", "unit", "document")
        .order_by("procedure__field", "procedure__code", "pk")
    )


def state(handling: AgencyProcedure) -> str:
    """COVERED, UNCOVERED or ABOLISHED (covered by a procedure whose TTHC is abolished;
    an abolished TTHC without a procedure asks nothing more)."""
    abolished = handling.procedure.status == AdminProcedure.Status.ABOLISHED
    if abolished:
        return ABOLISHED if handling.document_id else ""
    document = handling.document
    if document is not None and document.status == Document.Status.IN_FORCE:
        return COVERED
    return UNCOVERED


@dataclass
class Share:
    """Covered among the TTHC in force of one field or unit."""

    name: str
    total: int = 0
    covered: int = 0

    @property
    def percent(self) -> float:
        return round(100 * self.covered / self.total, 1) if self.total else 0.0


@dataclass
class Summary:
    total: int  # TTHC in force handled
    covered: int
    uncovered: list[AgencyProcedure] = field(default_factory=list)
    abolished: list[AgencyProcedure] = field(default_factory=list)
    by_field: list[Share] = field(default_factory=list)
    by_unit: list[Share] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return round(100 * self.covered / self.total, 1) if self.total else 0.0


def coverage_rows(agency: Agency) -> list[tuple[AgencyProcedure, str]]:
    """Each TTHC the agency handles with its state (one query)."""
    return [(h, state(h)) for h in handled(agency)]


def coverage_summary(agency: Agency) -> Summary:
    """Covered, not covered, covered by a procedure citing an abolished TTHC; the share
    covered overall, by field and by unit. One query."""
    rows = coverage_rows(agency)
    fields: dict[str, Share] = {}
    units: dict[str, Share] = defaultdict(lambda: Share(""))
    summary = Summary(total=0, covered=0)
    for handling, found in rows:
        if found == ABOLISHED:
            summary.abolished.append(handling)
        if found not in (COVERED, UNCOVERED):
            continue
        field_name = handling.procedure.field
        unit_name = handling.unit.name if handling.unit else ""
        for share in (
            fields.setdefault(field_name, Share(field_name)),
            units.setdefault(unit_name, Share(unit_name)),
        ):
            share.total += 1
            share.covered += found == COVERED
        summary.total += 1
        summary.covered += found == COVERED
        if found == UNCOVERED:
            summary.uncovered.append(handling)
    summary.by_field = sorted(fields.values(), key=lambda s: s.name)
    summary.by_unit = sorted(units.values(), key=lambda s: (not s.name, s.name))
    return summary


def uncovered(agency: Agency) -> list[AgencyProcedure]:
    """The TTHC in force the agency handles that no procedure in force covers."""
    return [h for h, found in coverage_rows(agency) if found == UNCOVERED]


def covered_abolished(agency: Agency) -> list[AgencyProcedure]:
    """The TTHC abolished by the province that a procedure of the agency still covers."""
    return [h for h, found in coverage_rows(agency) if found == ABOLISHED]


def coverage_percent(agency: Agency) -> float:
    """The share of the TTHC in force the agency handles that are covered (for objectives,
    the management review and the province's dashboard)."""
    return coverage_summary(agency).percent


@dataclass(frozen=True)
class CatalogueChange:
    """One change of the province's catalogue, as an announcement of the scope names it."""

    kind: str  # "new", "amended" or "abolished"
    code: str
    name: str
    decision_number: str
    decision_date: dt.date
    handled: bool  # the agency handles (or handled) this TTHC


def catalogue_changes(agency: Agency, since: dt.date) -> list[CatalogueChange]:
    """What the province's catalogue decisions dated from `since` changed in the agency's
    scope: the amended and abolished TTHC it handles or handled, and every TTHC added (with
    whether the agency has taken it into its subset). Two queries."""
    imports = CatalogueImport.objects.filter(
        province_id=agency.province_id,
        status=CatalogueImport.Status.APPLIED,
        decision_date__gte=since,
    ).order_by("decision_date", "pk")
    codes = set(
        AgencyProcedure.objects.filter(agency=agency).values_list("procedure__code", flat=True)
    )
    found = []
    for each in imports:
        assert each.decision_date is not None
        for kind in ("new", "amended", "abolished"):
            for entry in each.changes.get(kind, []):
                mine = entry["code"] in codes
                if kind != "new" and not mine:
                    continue
                found.append(
                    CatalogueChange(
                        kind,
                        entry["code"],
                        entry["name"],
                        each.decision_number,
                        each.decision_date,
                        mine,
                    )
                )
    return found
