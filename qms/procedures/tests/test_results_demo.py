"""The demo's year of results: monthly figures for every TTHC handled, on-time rates of a
real agency (95–100 %), a few late dossiers, a survey per quarter; fast."""

import datetime as dt
import time

from qms.procedures import demo_results, queries
from qms.procedures.models import LateDossier, ResultImport
from qms.procedures.tests.test_results_import import handle


def test_the_demo_fills_a_year_of_results(cast):
    for n in range(30):
        handle(cast.a, code=f"1.{n:06d}.H38", committed=5 + n % 10)
    started = time.perf_counter()
    demo_results.load()
    assert time.perf_counter() - started < 2
    assert ResultImport.objects.filter(agency=cast.a).count() == 11
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert 95 <= queries.on_time_rate(cast.a, *year) < 100
    assert all(95 <= (m.on_time_rate or 100) <= 100 for m in queries.trend(cast.a, *year))
    assert LateDossier.objects.filter(agency=cast.a).exists()
    assert queries.satisfaction_rate(cast.a, *year) > 80
    demo_results.load()  # a second call adds nothing
    assert ResultImport.objects.filter(agency=cast.a).count() == 11
