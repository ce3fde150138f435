"""Where an objective's measurements come from: "entered" by people with evidence, or one of
the sources the product computes from its own records. One registry: a source offered here
has a function that answers; a source without data in the product is not offered until its
app exists.

A source function takes (objective, start, end) and returns the figure in per cent, or None
when the period has no data (nothing is then recorded)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qms.documents.queries import legal_updates_on_time
from qms.procedures import queries

if TYPE_CHECKING:
    from qms.objectives.models import QualityObjective

ENTERED = "entered"
Compute = Callable[["QualityObjective", dt.date, dt.date], float | None]


@dataclass(frozen=True)
class Source:
    code: str
    label: str | Promise
    compute: Compute | None  # None: entered by people
    needs_unit: bool = False
    needs_field: bool = False


def _on_time_agency(objective: QualityObjective, start: dt.date, end: dt.date) -> float | None:
    return queries.totals(objective.agency, start, end).on_time_rate


def _on_time_unit(objective: QualityObjective, start: dt.date, end: dt.date) -> float | None:
    unit = objective.unit or objective.owner_unit
    if unit is None:
        return None
    return queries.totals(objective.agency, start, end, unit=unit).on_time_rate


def _on_time_field(objective: QualityObjective, start: dt.date, end: dt.date) -> float | None:
    rows = queries.breakdown(objective.agency, start, end, "field")
    found = next((f for f in rows if f.key == objective.source_field), None)
    return found.on_time_rate if found is not None else None


def _satisfaction(objective: QualityObjective, start: dt.date, end: dt.date) -> float | None:
    return queries.satisfaction_rate(objective.agency, start, end)


def _legal_updates(objective: QualityObjective, start: dt.date, end: dt.date) -> float | None:
    return legal_updates_on_time(objective.agency, start, end)


def _online(objective: QualityObjective, start: dt.date, end: dt.date) -> float | None:
    return queries.totals(objective.agency, start, end).online_share


def _corrective_on_time(objective: QualityObjective, start: dt.date, end: dt.date) -> float | None:
    from qms.corrective.queries import closed_on_time_rate

    return closed_on_time_rate(objective.agency, start, end)


def _staff_trained(objective: QualityObjective, start: dt.date, end: dt.date) -> float | None:
    from qms.training.queries import staff_trained

    return staff_trained(objective.agency, start, end)


SOURCES: dict[str, Source] = {
    s.code: s
    for s in (
        Source(ENTERED, _("Entered with evidence"), None),
        Source(
            "tthc_on_time", _("Computed: on-time rate of TTHC dossiers (agency)"), _on_time_agency
        ),
        Source(
            "tthc_on_time_unit",
            _("Computed: on-time rate of TTHC dossiers of the unit"),
            _on_time_unit,
            needs_unit=True,
        ),
        Source(
            "tthc_on_time_field",
            _("Computed: on-time rate of TTHC dossiers of a field"),
            _on_time_field,
            needs_field=True,
        ),
        Source(
            "satisfaction",
            _("Computed: satisfaction rate of citizens and businesses"),
            _satisfaction,
        ),
        Source("online_share", _("Computed: share of dossiers received online"), _online),
        Source(
            "legal_updates",
            _("Computed: documents updated within 3 months of a change in their legal basis"),
            _legal_updates,
        ),
        Source(
            "corrective_on_time",
            _("Computed: corrective actions closed on time"),
            _corrective_on_time,
        ),
        Source("staff_trained", _("Computed: share of staff trained"), _staff_trained),
    )
}
COMPUTED = [code for code, s in SOURCES.items() if s.compute is not None]


def choices() -> list[tuple[str, str | Promise]]:
    return [(code, source.label) for code, source in SOURCES.items()]


def label_of(code: str) -> str:
    source = SOURCES.get(code)
    return str(source.label) if source else code


def compute(objective: QualityObjective, start: dt.date, end: dt.date) -> Decimal | None:
    """The computed figure of the period, rounded to 2 decimals; None without data."""
    source = SOURCES.get(objective.source)
    if source is None or source.compute is None:
        return None
    value = source.compute(objective, start, end)
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))
