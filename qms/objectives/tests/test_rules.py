"""The rules of the quality objectives: achievement for each direction and period, the flow
from proposal to issue, computed results, follow-ups, the plan on the agenda, copy to next
year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from qms.agenda.models import InboxItem, Obligation
from qms.objectives import periods, queries, services
from qms.objectives.models import FollowUp, ObjectiveAction, QualityObjective
from qms.objectives.tests.builders import measured, objective, results
from qms.organization.access import access_for
from qms.organization.models import Unit
from qms.paperwork import services as paperwork

S = QualityObjective.Status
D = Decimal


@pytest.mark.parametrize(
    ("direction", "value", "expected"),
    [
        ("ge", "98", True),
        ("ge", "97.99", False),
        ("ge", "100", True),
        ("le", "5", True),
        ("le", "5.01", False),
        ("le", "0", True),
        ("eq", "100", False),
        ("eq", "98", True),
    ],
)
def test_it_decides_achievement_for_each_direction(direction, value, expected):
    target = D("98") if direction != "le" else D("5")
    if direction == "eq":
        target = D("98")
    assert periods.achieved(direction, target, D(value)) is expected


def test_it_refuses_an_unknown_direction():
    with pytest.raises(ValueError):
        periods.achieved("gt", D(1), D(2))


@pytest.mark.parametrize(
    ("period", "count", "first", "last_end"),
    [
        ("month", 12, "Tháng 01/2026", dt.date(2026, 12, 31)),
        ("quarter", 4, "Quý I/2026", dt.date(2026, 12, 31)),
        ("half", 2, "6 tháng đầu năm 2026", dt.date(2026, 12, 31)),
        ("year", 1, "Năm 2026", dt.date(2026, 12, 31)),
    ],
)
def test_it_cuts_the_year_into_periods(period, count, first, last_end):
    found = periods.spans(2026, period)
    assert len(found) == count
    assert found[0].label == first and found[0].start == dt.date(2026, 1, 1)
    assert found[-1].end == last_end
    assert [s.start for s in found] == sorted(s.start for s in found)


def test_february_ends_on_its_last_day():
    assert periods.spans(2028, "month")[1].end == dt.date(2028, 2, 29)


def _unit(cast, name="Phòng Quản lý đầu tư"):
    return Unit.objects.create(agency=cast.a, name=name)


def test_a_unit_head_proposes_and_the_secretary_compiles(cast):
    users = cast.users
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    agency_objective = objective(cast.a, status=S.ACCEPTED)
    mine = objective(cast.a, unit=office, parent=agency_objective)
    head = access_for(users["unit_head"], cast.a)
    services.take(mine, "propose", head, {})
    assert mine.status == S.PROPOSED and mine.proposed_by == users["unit_head"]
    waiting = InboxItem.objects.get(source=f"objectives.objective:{mine.pk}:accept")
    assert waiting.user == users["secretary"]
    with pytest.raises(ValidationError):
        services.take(mine, "accept", head, {})  # the unit head does not compile
    secretary = access_for(users["secretary"], cast.a)
    with pytest.raises(ValidationError, match="ý kiến|comment"):
        services.take(mine, "send_back", secretary, {"comment": ""})
    services.take(mine, "send_back", secretary, {"comment": "Chỉ tiêu phải ≥ 99 %"})
    assert mine.status == S.DRAFT
    back = InboxItem.objects.get(source=f"objectives.objective:{mine.pk}:propose")
    assert back.user == users["unit_head"] and "99 %" in back.title
    assert InboxItem.objects.get(pk=waiting.pk).done_at is not None
    services.take(mine, "propose", head, {})
    services.take(mine, "accept", secretary, {})
    assert mine.status == S.ACCEPTED
    assert cast.a.objective_sets.filter(year=2026).exists()


def test_a_unit_objective_names_the_agency_objective_it_serves(cast):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    lone = QualityObjective(
        agency=cast.a, year=2026, unit=office, statement="x", indicator="y", target=D(1)
    )
    with pytest.raises(ValidationError) as refused:
        services.validate(lone)
    assert "phục vụ" in str(refused.value) or "serves" in str(refused.value)
    other_year = objective(cast.a, year=2025)
    lone.parent = other_year
    with pytest.raises(ValidationError):
        services.validate(lone)


def _issue(record, cast, day=dt.date(2026, 1, 15)):
    paper = record.paper
    paper.refresh_from_db()
    if paper.status == "draft":
        paperwork.save_draft(paper, signer=cast.users["head"], signer_name="Head")
        paperwork.offer_for_signature(record, cast.users["secretary"])
    return paperwork.issue(paper, number=3, issued_on=day, by=cast.users["head"])


def test_issuing_the_decision_issues_the_accepted_objectives(cast):
    accepted = objective(cast.a, status=S.ACCEPTED)
    pending = objective(cast.a, status=S.PROPOSED)
    objective_set = services.year_set(cast.a, 2026)
    with pytest.raises(ValidationError, match="đề xuất|proposed"):
        _issue(objective_set, cast)
    pending.status = S.DRAFT
    pending.save()
    objective_set.refresh_from_db()
    _issue(objective_set, cast)
    accepted.refresh_from_db()
    pending.refresh_from_db()
    assert accepted.status == S.ISSUED and pending.status == S.DRAFT
    assert not services.year_is_open(cast.a, 2026)
    with pytest.raises(ValidationError, match="2026"):
        services.save_objective(pending, cast.users["secretary"])


def test_computed_results_come_from_the_tthc_results(cast):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    on_time = objective(cast.a, status=S.ISSUED, source="tthc_on_time", target=D("95"))
    unit_rate = objective(
        cast.a, unit=office, status=S.ISSUED, source="tthc_on_time_unit", target=D("99")
    )
    online = objective(cast.a, status=S.ISSUED, source="online_share", target=D("50"))
    results(cast.a, cast.users["secretary"], dt.date(2026, 2, 10), on_time=96, late=4)
    results(cast.a, cast.users["secretary"], dt.date(2026, 2, 11), on_time=9, late=1, unit=office)
    recorded = services.measure_due(cast.a, dt.date(2026, 4, 2))
    # Q1 of each: the other quarters have not ended; the parents of unit_rate are entered.
    assert recorded == 3
    q1 = on_time.measurements.get(period_key="2026-Q1")
    assert q1.value == D("95.45") and q1.achieved and q1.computed
    unit_q1 = unit_rate.measurements.get(period_key="2026-Q1")
    assert unit_q1.value == D("90.00") and not unit_q1.achieved
    assert online.measurements.get().value == D("95.45")
    # Run again: nothing twice, and a period without data records nothing.
    assert services.measure_due(cast.a, dt.date(2026, 7, 2)) == 0
    missed_item = InboxItem.objects.filter(source__startswith="objectives.measurement:")
    assert missed_item.filter(user=cast.users["secretary"]).count() == 1


def test_sources_without_data_in_the_product_are_not_offered():
    from qms.objectives import sources

    # the training app exists (qms.training): the share of staff trained is offered
    assert "staff_trained" in sources.COMPUTED
    # the corrective-action register exists (qms.corrective): its on-time rate is offered
    assert "corrective_on_time" in sources.COMPUTED


def test_an_entered_result_needs_an_ended_period(cast):
    target = objective(cast.a, status=S.ISSUED, period="year", year=2099)
    with pytest.raises(ValidationError, match="kết thúc|ended"):
        services.enter_measurement(target, "2099", D(99), cast.users["secretary"])
    draft = objective(cast.a, year=2025)
    with pytest.raises(ValidationError):
        services.enter_measurement(draft, "2025-Q1", D(99), cast.users["secretary"])


def test_a_missed_period_records_its_follow_up(cast):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    target = objective(cast.a, unit=office, status=S.ISSUED, year=2025)
    measurement = services.enter_measurement(target, "2025-Q2", D("91.5"), cast.users["unit_head"])
    assert not measurement.achieved
    source = f"objectives.measurement:{measurement.pk}:follow_up"
    assert InboxItem.objects.filter(source=source, done_at__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.record_follow_up(measurement, "  ", dt.date(2025, 8, 1), cast.users["unit_head"])
    follow_up = services.record_follow_up(
        measurement, "Thiếu nhân lực Một cửa", dt.date(2025, 8, 1), cast.users["unit_head"]
    )
    assert not InboxItem.objects.filter(source=source, done_at__isnull=True).exists()
    obligation = Obligation.objects.get(
        source=f"objectives.objective:{target.pk}:follow_up:{follow_up.pk}"
    )
    assert obligation.owner_unit == office and obligation.due_date == dt.date(2025, 8, 1)
    with pytest.raises(ValidationError):
        services.record_follow_up(
            measurement, "lần hai", dt.date(2025, 8, 1), cast.users["secretary"]
        )
    assert [m.pk for m in queries.missed(cast.a, 2025)] == [measurement.pk]
    assert FollowUp.objects.count() == 1


def test_an_achieved_period_needs_no_follow_up(cast):
    target = objective(cast.a, status=S.ISSUED, year=2025)
    good = measured(target, "2025-Q1", "99")
    with pytest.raises(ValidationError):
        services.record_follow_up(good, "x", dt.date(2025, 5, 1), cast.users["secretary"])


def test_a_changed_target_decides_again(cast):
    target = objective(cast.a, status=S.ACCEPTED, year=2025)
    result = measured(target, "2025-Q1", "97")
    assert not result.achieved
    target.target = D("95")
    services.save_objective(target, cast.users["secretary"])
    result.refresh_from_db()
    assert result.achieved


def test_the_plan_goes_on_the_agenda_of_its_owner(cast):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    target = objective(cast.a, unit=office, status=S.ISSUED)
    action = services.add_action(
        target,
        ObjectiveAction(description="Rà soát quy trình Một cửa", due_date=dt.date(2026, 3, 31)),
    )
    found = Obligation.objects.get(source=f"objectives.objective:{target.pk}:action:{action.pk}")
    assert found.owner_unit == office and found.kind == "objectives.action"
    services.set_action_done(action, True)
    found.refresh_from_db()
    assert found.state == Obligation.State.DONE


def test_copy_to_next_year_makes_drafts_once(cast):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    parent = objective(cast.a, status=S.ISSUED, year=2025)
    objective(cast.a, unit=office, parent=parent, status=S.ISSUED, year=2025)
    assert services.copy_to_next_year(cast.a, 2025, cast.users["secretary"]) == 2
    copies = QualityObjective.objects.filter(agency=cast.a, year=2026)
    assert {c.status for c in copies} == {S.DRAFT}
    child = copies.get(unit=office)
    assert child.parent.year == 2026 and child.parent.copied_from == parent
    assert services.copy_to_next_year(cast.a, 2025, cast.users["secretary"]) == 0


def test_the_policy_in_force_is_the_latest_issued(cast):
    first = services.draft_policy(cast.a, "Chính sách lần 1")
    with pytest.raises(ValidationError):
        services.draft_policy(cast.a, "Một bản nháp nữa")
    _issue(first, cast, dt.date(2026, 1, 5))
    assert services.policy_in_force(cast.a) == first
    second = services.draft_policy(cast.a, "Chính sách lần 2")
    assert second.version == 2 and services.policy_in_force(cast.a) == first
    paper = second.paper
    paperwork.save_draft(paper, signer=cast.users["head"], signer_name="Head")
    paperwork.offer_for_signature(second, cast.users["secretary"])
    paperwork.issue(paper, number=9, issued_on=dt.date(2026, 2, 5), by=cast.users["head"])
    assert services.policy_in_force(cast.a) == second
    with pytest.raises(ValidationError):
        services.change_policy_text(second, "đổi")
