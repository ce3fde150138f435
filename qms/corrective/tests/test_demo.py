"""The demo: Hải Phòng's three open nonconformities at different stages, with the work in
the right inboxes and an overdue action on the agenda; Bình Sơn's three of 2024, closed and
verified by someone other than the person responsible; a second run adds nothing."""

import datetime as dt
from importlib import import_module

from qms import demo
from qms.agenda.models import InboxItem, Obligation
from qms.corrective import demo as corrective_demo
from qms.corrective import queries
from qms.corrective.models import Nonconformity
from qms.organization.models import Agency, User, today


def test_the_demo_gives_both_agencies_their_nonconformities(transactional_db):
    # every step before this app's, in order; the audits' demo is not read by this one
    for name in demo.STEPS[: demo.STEPS.index("qms.corrective.demo") + 1]:
        if name != "qms.audits.demo":
            import_module(name).load()
    hai_phong = Agency.objects.get(name=corrective_demo.HP)
    open_ones = Nonconformity.objects.filter(agency=hai_phong, year=2026)
    assert {nc.status for nc in open_ones} == {"in_progress", "draft", "verification"}
    assert {nc.origin for nc in open_ones} == {"feedback", "daily_work", "missed_objective"}
    from_objective = open_ones.get(origin="missed_objective")
    assert from_objective.follow_up is not None
    secretary = User.objects.get(username="thuky.hp")
    waiting = InboxItem.objects.filter(user=secretary).waiting(today())
    assert waiting.filter(source=f"corrective.nonconformity:{from_objective.pk}:close").exists()
    assert waiting.filter(kind="corrective.nonconformity.accept").count() == 1
    overdue = queries.overdue_obligations(today()).filter(agency=hai_phong)
    assert overdue.count() == 1
    follow_up_duty = Obligation.objects.get(
        source__endswith=f":follow_up:{from_objective.follow_up_id}"
    )
    assert follow_up_duty.state == "done"

    binh_son = Agency.objects.get(name=corrective_demo.BS)
    closed = Nonconformity.objects.filter(agency=binh_son, year=2024)
    assert closed.count() == 3 and {nc.status for nc in closed} == {"closed"}
    for nc in closed:
        assert nc.verified_by_id not in {
            nc.owner_id,
            *nc.actions.values_list("owner_id", flat=True),
        }
    rate = queries.closed_on_time_rate(binh_son, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert rate == 66.67

    counts = Nonconformity.objects.count(), InboxItem.objects.count()
    corrective_demo.load()
    assert (Nonconformity.objects.count(), InboxItem.objects.count()) == counts
