"""The life of a nonconformity: every gate refused with its message, the effectiveness
verified by someone other than the person responsible and whoever carried out an action, a
"not effective" verification back to the analysis, and the inbox at every hand-over."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from conftest import make_person
from qms.agenda.models import InboxItem, Obligation
from qms.corrective import services
from qms.corrective.models import Nonconformity, Verification
from qms.corrective.tests.builders import action, actor, analysed, nonconformity, office, walk
from qms.organization.models import Role

S = Nonconformity.Status
D = dt.date


def inbox_of(user):
    return sorted(
        InboxItem.objects.filter(user=user)
        .waiting(timezone.localdate())
        .values_list("kind", flat=True)
    )


def refused(nc, name, user, agency, **values):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.take(nc, name, actor(user, agency, nc), values)
    nc.refresh_from_db()
    return " ".join(error.value.messages)


@pytest.fixture
def people(cast):
    users = dict(cast.users)
    users["secretary2"] = make_person(
        cast.a, "secretary2", [Role.ISO_SECRETARY], unit=office(cast.a)
    )
    return users


def test_it_is_numbered_per_agency_and_year(cast):
    by = cast.users["staff"]
    first = nonconformity(cast.a, by)
    second = nonconformity(cast.a, by)
    other_year = nonconformity(cast.a, by, raised_on=D(2025, 12, 30))
    other_agency = nonconformity(cast.b, cast.users["secretary_b"],
                                 unit=cast.b.units.get())  # fmt: skip
    assert [first.number, second.number] == ["KPH-2026-001", "KPH-2026-002"]
    assert other_year.number == "KPH-2025-001"
    assert other_agency.number == "KPH-2026-001"


def test_a_reported_one_waits_for_the_managers_of_its_unit(cast):
    nc = nonconformity(cast.a, cast.users["staff"])
    kind = ["corrective.nonconformity.accept"]
    assert inbox_of(cast.users["secretary"]) == inbox_of(cast.users["unit_head"]) == kind
    assert inbox_of(cast.users["staff"]) == inbox_of(cast.users["head"]) == []
    assert nc.status == S.DRAFT


def test_no_analysis_without_a_person_responsible(cast):
    nc = nonconformity(cast.a, cast.users["staff"])
    message = refused(nc, "accept", cast.users["secretary"], cast.a)
    assert message == "Name the person responsible before starting the analysis."
    assert nc.status == S.DRAFT


def test_no_analysis_finished_without_a_root_cause(cast):
    users = cast.users
    nc = nonconformity(cast.a, users["staff"], owner=users["unit_head"])
    walk(nc, cast.a, [("accept", users["secretary"])])
    message = refused(nc, "analyse", users["unit_head"], cast.a)
    assert message.startswith("Record the root cause")
    assert nc.status == S.ANALYSIS


def test_no_work_without_an_action_and_no_verification_until_every_action_is_done(cast):
    users = cast.users
    nc = nonconformity(cast.a, users["staff"], owner=users["unit_head"])
    walk(nc, cast.a, [("accept", users["secretary"])])
    analysed(nc, users["unit_head"])
    walk(nc, cast.a, [("analyse", users["unit_head"])])
    message = refused(nc, "start", users["unit_head"], cast.a)
    assert message == "Add at least one action before starting the work."
    todo = action(nc, users["staff"])
    walk(nc, cast.a, [("start", users["unit_head"])])
    message = refused(nc, "request_verification", users["unit_head"], cast.a)
    assert message == "Every action must be done before the effectiveness is verified."
    assert nc.status == S.IN_PROGRESS
    services.mark_done(todo, users["staff"], D(2026, 2, 20), "Đã sửa quy trình")
    walk(nc, cast.a, [("request_verification", users["unit_head"])])
    assert nc.status == S.VERIFICATION


def _in_verification(cast, doer, owner):
    users = cast.users
    nc = nonconformity(cast.a, users["staff"], owner=owner)
    walk(nc, cast.a, [("accept", users["secretary"])])
    analysed(nc, owner)
    walk(nc, cast.a, [("analyse", owner)])
    done = action(nc, doer)
    walk(nc, cast.a, [("start", owner)])
    services.mark_done(done, doer, D(2026, 2, 20), "Đã thực hiện")
    walk(nc, cast.a, [("request_verification", owner)])
    return nc


def test_nobody_verifies_their_own_work(cast, people):
    nc = _in_verification(cast, doer=people["secretary"], owner=people["unit_head"])
    values = {"verified_on": D(2026, 3, 10), "note": "Không còn hồ sơ trễ"}
    message = refused(nc, "close", people["unit_head"], cast.a, **values)
    assert message == "The person responsible for a nonconformity cannot verify its effectiveness."
    message = refused(nc, "close", people["secretary"], cast.a, **values)
    assert message == (
        "Whoever carried out an action cannot verify the effectiveness of the actions."
    )
    message = refused(nc, "close", people["staff"], cast.a, **values)
    assert message == "You do not have the right to take this step."
    assert nc.status == S.VERIFICATION and not Verification.objects.exists()
    walk(nc, cast.a, [("close", people["secretary2"])], **values)
    nc.refresh_from_db()
    assert nc.status == S.CLOSED and nc.closed_on == D(2026, 3, 10)
    assert nc.verified_by == people["secretary2"] and nc.effectiveness == "effective"


def test_the_verifiers_inbox_leaves_out_the_owner_and_the_doers(cast, people):
    nc = _in_verification(cast, doer=people["secretary"], owner=people["unit_head"])
    kind = ["corrective.nonconformity.close"]
    assert inbox_of(people["secretary2"]) == kind
    assert inbox_of(people["secretary"]) == inbox_of(people["unit_head"]) == []
    walk(nc, cast.a, [("close", people["secretary2"])], verified_on=D(2026, 3, 1), note="Tốt")
    assert inbox_of(people["secretary2"]) == []


def test_not_effective_sends_it_back_to_the_analysis_with_the_comment(cast, people):
    nc = _in_verification(cast, doer=people["staff"], owner=people["unit_head"])
    message = refused(nc, "reopen", people["secretary"], cast.a, comment="  ")
    assert message == "Write a comment: this step needs one."
    walk(nc, cast.a, [("reopen", people["secretary"])], comment="Tháng 3 vẫn còn hồ sơ trễ")
    nc.refresh_from_db()
    assert nc.status == S.ANALYSIS and nc.closed_on is None
    back = Verification.objects.get(nonconformity=nc)
    assert back.rating == "not_effective" and back.note == "Tháng 3 vẫn còn hồ sơ trễ"
    assert inbox_of(people["unit_head"]) == ["corrective.nonconformity.analyse"]
    assert nc.history.first().history_change_reason == "Tháng 3 vẫn còn hồ sơ trễ"


def test_every_hand_over_moves_the_work_and_an_action_is_on_the_agenda_until_done(cast):
    users = cast.users
    owner, doer = users["unit_head"], users["staff"]
    nc = nonconformity(cast.a, users["staff"], owner=owner)
    walk(nc, cast.a, [("accept", users["secretary"])])
    assert inbox_of(users["secretary"]) == []
    assert inbox_of(owner) == ["corrective.nonconformity.analyse"]
    analysed(nc, owner)
    walk(nc, cast.a, [("analyse", owner)])
    assert inbox_of(owner) == ["corrective.nonconformity.start"]
    todo = action(nc, doer, due=D(2026, 12, 31))
    assert inbox_of(doer) == ["corrective.action.do"]
    duty = Obligation.objects.get(source=f"corrective.nonconformity:{nc.pk}:action:{todo.pk}")
    assert (duty.state, duty.owner_person, duty.due_date) == ("open", doer, D(2026, 12, 31))
    walk(nc, cast.a, [("start", owner)])
    assert inbox_of(owner) == ["corrective.nonconformity.request_verification"]
    services.mark_done(todo, doer, D(2026, 3, 1), "Đã thực hiện")
    duty.refresh_from_db()
    assert duty.state == "done" and inbox_of(doer) == []


def test_bad_dates_and_a_done_action_are_refused(cast):
    users = cast.users
    nc = nonconformity(cast.a, users["staff"], owner=users["unit_head"])
    walk(nc, cast.a, [("accept", users["secretary"])])
    todo = action(nc, users["staff"])
    with pytest.raises(ValidationError):
        services.mark_done(todo, users["staff"], D(2025, 1, 1), "Trước khi phát hiện")
    with pytest.raises(ValidationError):
        services.mark_done(todo, users["staff"], D(2099, 1, 1), "Tương lai")
    with pytest.raises(ValidationError):
        services.mark_done(todo, users["staff"], D(2026, 2, 1), "   ")
    services.mark_done(todo, users["staff"], D(2026, 2, 1), "Xong")
    with pytest.raises(ValidationError):
        services.mark_done(todo, users["staff"], D(2026, 2, 2), "Lần hai")
    with pytest.raises(ValidationError):
        services.record_analysis(nc, users["unit_head"], {"root_cause": "Thiếu", "method": ""})


def test_a_person_of_another_agency_is_refused_as_owner_or_doer(cast):
    from qms.corrective.models import CorrectiveAction

    stranger = cast.users["secretary_b"]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        nonconformity(cast.a, cast.users["staff"], owner=stranger)
    assert error.value.messages == ["Choose a person of this agency."]
    nc = nonconformity(cast.a, cast.users["staff"], owner=cast.users["unit_head"])
    walk(nc, cast.a, [("accept", cast.users["secretary"])])
    foreign = CorrectiveAction(
        nonconformity=nc, description="x", owner=stranger, due_date=D(2026, 3, 1)
    )
    with pytest.raises(ValidationError):
        services.save_action(foreign, cast.users["unit_head"])
    assert not nc.actions.exists() and Nonconformity.objects.filter(agency=cast.a).count() == 1
