"""The demo: both seed agencies' policy and objectives, with results and follow-ups."""

from qms import demo
from qms.objectives import demo as objectives_demo
from qms.objectives import queries, services
from qms.objectives.models import QualityObjective
from qms.organization.models import Agency


def test_the_demo_gives_both_agencies_their_policy_and_objectives(transactional_db):
    demo.load()  # every step, this app's included (qms/demo STEPS)
    hp = Agency.objects.get(name=objectives_demo.HP)
    bs = Agency.objects.get(name=objectives_demo.BS)
    assert services.policy_in_force(hp) is not None and services.policy_in_force(bs) is not None
    year = QualityObjective.objects.filter(agency=hp, year=2026)
    assert year.count() == 4 and {o.status for o in year} == {"issued"}
    assert year.filter(unit__isnull=False, parent__isnull=False).count() == 2
    computed = year.get(source="tthc_on_time").measurements.all()
    assert [m.period_key for m in computed] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert all(m.computed for m in computed)
    assert any(m.follow_up for m in queries.missed(hp, 2026) if m.followed)
    assert queries.missed(bs, 2024).count() == 1
    assert QualityObjective.objects.filter(agency=bs, year=2024, status="issued").count() == 3
    objectives_demo.load()  # a second call adds nothing
    assert QualityObjective.objects.filter(agency=hp).count() == 4
