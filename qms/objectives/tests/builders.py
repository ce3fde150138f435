"""Builders of quality objectives for the tests of this app and of others."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from qms.objectives import services
from qms.objectives.models import Measurement, ObjectiveSet, QualityObjective
from qms.objectives.periods import achieved, spans
from qms.organization.models import Agency, Unit
from qms.procedures.models import AdminProcedure, DailyResult, ResultImport

S = QualityObjective.Status


def objective(
    agency: Agency,
    *,
    year: int = 2026,
    unit: Unit | None = None,
    parent: QualityObjective | None = None,
    status: str = S.DRAFT,
    **fields: Any,
) -> QualityObjective:
    values: dict[str, Any] = {
        "statement": "Giải quyết hồ sơ TTHC đúng hạn",
        "indicator": "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "unit_of_measure": "%",
        "direction": "ge",
        "target": Decimal("98"),
        "period": "quarter",
        "source": "entered",
    }
    values.update(fields)
    if unit is not None and parent is None:
        parent = objective(agency, year=year, status=status)
    return QualityObjective.objects.create(
        agency=agency, year=year, unit=unit, parent=parent, status=status, **values
    )


def measured(
    target: QualityObjective, key: str, value: str, *, computed: bool = False
) -> Measurement:
    span = next(s for s in spans(target.year, target.period) if s.key == key)
    number = Decimal(value)
    return Measurement.objects.create(
        objective=target,
        period_key=key,
        period_start=span.start,
        period_end=span.end,
        value=number,
        achieved=achieved(target.direction, target.target, number),
        computed=computed,
    )


def year_set(agency: Agency, year: int = 2026) -> ObjectiveSet:
    return services.year_set(agency, year)


def results(
    agency: Agency,
    by: Any,
    day: dt.date,
    *,
    on_time: int,
    late: int,
    unit: Unit | None = None,
) -> None:
    """Dossier results of one day: `on_time` resolved on time, `late` resolved late."""
    procedure, _created = AdminProcedure.objects.get_or_create(
        province=agency.province,
        code="1.000948.H38",
        defaults={"name": "Thủ tục thử", "field": "Đầu tư", "level": "province"},
    )
    source = ResultImport.objects.create(
        agency=agency,
        period_start=day,
        period_end=day,
        file_name="ket-qua.xlsx",
        shape=ResultImport.Shape.AGGREGATED,
        status=ResultImport.Status.DONE,
        by=by,
    )
    DailyResult.objects.create(
        agency=agency,
        procedure=procedure,
        unit=unit,
        day=day,
        source=source,
        resolved_on_time=on_time,
        resolved_late=late,
        received_online=on_time,
        received_direct=late,
    )
