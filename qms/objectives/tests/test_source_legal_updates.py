"""The computed source "documents updated within 3 months of a change in their legal basis":
read from the legal register's flagged citations, by the date each update fell due."""

import datetime as dt
from decimal import Decimal as D

from qms.agenda.models import InboxItem
from qms.documents.models import Citation, LegalDocument
from qms.documents.tests.test_search import make_document
from qms.objectives import services
from qms.objectives.models import QualityObjective
from qms.objectives.tests.builders import objective

S = QualityObjective.Status


def _citation(cast, code, due, resolved=None):
    legal = LegalDocument.objects.create(
        agency=cast.a,
        doc_type=LegalDocument.Type.DECREE,
        number=f"{code}/2026/NĐ-CP",
        issuer="Chính phủ",
        title=f"Nghị định số {code}",
    )
    return Citation.objects.create(
        agency=cast.a,
        document=make_document(cast, f"QT-{code}", f"Quy trình {code}"),
        legal_document=legal,
        flagged_on=due - dt.timedelta(days=90),
        due_on=due,
        resolved_on=resolved,
    )


def test_the_share_updated_by_the_due_date_is_measured_per_period(cast):
    target = objective(cast.a, status=S.ISSUED, source="legal_updates", target=D("100"))
    _citation(cast, "10", dt.date(2026, 2, 1), resolved=dt.date(2026, 1, 20))  # on time
    _citation(cast, "11", dt.date(2026, 3, 1), resolved=dt.date(2026, 3, 10))  # late
    _citation(cast, "12", dt.date(2026, 3, 15))  # never updated: late
    _citation(cast, "13", dt.date(2026, 3, 31), resolved=dt.date(2026, 3, 31))  # on the day
    _citation(cast, "14", dt.date(2026, 5, 1), resolved=dt.date(2026, 4, 1))  # Q2, not Q1
    services.measure_due(cast.a, dt.date(2026, 4, 2))
    q1 = target.measurements.get(period_key="2026-Q1")
    assert q1.value == D("50.00") and q1.computed and not q1.achieved


def test_a_period_where_nothing_fell_due_records_nothing(cast):
    target = objective(cast.a, status=S.ISSUED, source="legal_updates", target=D("100"))
    _citation(cast, "20", dt.date(2026, 5, 1), resolved=dt.date(2026, 4, 1))
    services.measure_due(cast.a, dt.date(2026, 4, 2))
    assert not target.measurements.exists()


def test_a_computed_result_is_corrected_when_its_data_changes_and_the_inbox_follows(cast):
    target = objective(cast.a, status=S.ISSUED, source="legal_updates", target=D("100"))
    late = _citation(cast, "30", dt.date(2026, 3, 1))
    services.measure_due(cast.a, dt.date(2026, 4, 2))
    q1 = target.measurements.get()
    assert q1.value == D("0.00") and not q1.achieved
    missed = InboxItem.objects.filter(source__startswith="objectives.measurement:")
    assert missed.filter(done_at=None).exists()
    # The update was in fact made on time and recorded late in the register: corrected.
    late.resolved_on = dt.date(2026, 2, 20)
    late.save()
    assert services.measure_due(cast.a, dt.date(2026, 4, 3)) == 1
    q1.refresh_from_db()
    assert q1.value == D("100.00") and q1.achieved and q1.history.count() == 2
    assert not missed.filter(done_at=None).exists()
    assert services.measure_due(cast.a, dt.date(2026, 4, 4)) == 0  # nothing to correct


def test_a_result_entered_by_a_person_is_never_overwritten(cast):
    target = objective(cast.a, status=S.ISSUED, source="legal_updates", target=D("100"))
    _citation(cast, "40", dt.date(2026, 3, 1))
    services.measure_due(cast.a, dt.date(2026, 4, 2))
    q1 = target.measurements.get()
    q1.computed, q1.value = False, D("80")
    q1.save()
    assert services.measure_due(cast.a, dt.date(2026, 4, 3)) == 0
    q1.refresh_from_db()
    assert q1.value == D("80")
