"""Treatments: on the agenda for their owners, done, their effectiveness check due after
the due date and done by someone else, and the risk's workflow around them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import make_person
from qms.agenda.models import Obligation
from qms.organization.models import Role, Unit
from qms.risks import services
from qms.risks.models import Risk, Treatment
from qms.risks.tests import factories as f


def test_the_check_is_due_from_its_date_once_done_until_checked(cast):
    risk = f.risk(cast.a)
    t = f.treatment(risk, due=dt.date(2026, 3, 31))
    assert t.check_on == dt.date(2026, 4, 30)  # the due date + 30 days of the default scale
    assert services.effectiveness_due_on(t) is None  # not done yet
    t.done_on = dt.date(2026, 3, 20)
    assert services.effectiveness_due_on(t) == dt.date(2026, 4, 30)
    assert not services.check_is_due(t, dt.date(2026, 4, 29))
    assert services.check_is_due(t, dt.date(2026, 4, 30))
    t.checked_on = dt.date(2026, 5, 2)
    assert services.effectiveness_due_on(t) is None


def test_a_check_date_before_the_due_date_is_refused(cast):
    risk = f.risk(cast.a)
    with pytest.raises(ValidationError):
        f.treatment(risk, due=dt.date(2026, 3, 31), check_on=dt.date(2026, 3, 1))
    assert not Treatment.objects.exists()


def test_treatments_and_checks_reach_the_agenda(cast):
    risk = f.risk(cast.a)
    staff = cast.users["staff"]
    t = f.treatment(risk, person=staff, due=dt.date(2026, 3, 31))
    item = Obligation.objects.get(source=f"risks.risk:{risk.pk}:{t.pk}:treatment")
    assert (item.kind, item.owner_person_id, item.due_date, item.state) == (
        "risks.treatment",
        staff.pk,
        dt.date(2026, 3, 31),
        "open",
    )
    assert item.title.startswith("Thực hiện biện pháp: ")
    services.mark_done(t, staff, dt.date(2026, 3, 20), "Đã bổ sung 02 công chức")
    item.refresh_from_db()
    assert item.state == "done"
    check = Obligation.objects.get(source=f"risks.risk:{risk.pk}:{t.pk}:check")
    assert (check.kind, check.due_date, check.state) == ("risks.effectiveness", t.check_on, "open")
    assert check.owner_text == "Thư ký ISO"
    services.record_check(
        t, cast.users["secretary"], "effective", "Không còn hồ sơ trễ hạn", dt.date(2026, 3, 25)
    )
    check.refresh_from_db()
    assert check.state == "done"


def test_the_owner_does_not_check_their_own_treatment(cast, login):
    risk = f.risk(cast.a)
    head = cast.users["unit_head"]
    t = f.treatment(risk, person=head)
    services.mark_done(t, head, dt.date(2026, 3, 20), "Đã thực hiện")
    client = login(head)
    url = reverse("risks:treatment_check", args=[cast.a.pk, risk.pk, t.pk])
    response = client.post(url, {"result": "effective", "note": "Tốt", "checked_on": "21/03/2026"})
    assert response.status_code == 200
    assert "Người thực hiện biện pháp không được tự đánh giá hiệu lực" in response.content.decode()
    t.refresh_from_db()
    assert t.checked_on is None


def test_a_treatment_is_added_and_done_through_the_pages(cast, login):
    risk = f.risk(cast.a)
    client = login(cast.users["secretary"])
    url = reverse("risks:treatment_new", args=[cast.a.pk, risk.pk])
    response = client.post(
        url,
        {
            "action": "Rà soát quy trình",
            "owner_person": cast.users["staff"].pk,
            "due_on": "15/04/2026",
        },
    )
    assert response.status_code == 302
    t = Treatment.objects.get(risk=risk)
    assert t.check_on == dt.date(2026, 5, 15)
    # Neither a unit nor a person: refused with a message, nothing saved.
    response = client.post(url, {"action": "X", "due_on": "15/04/2026"})
    assert "Chọn đơn vị hoặc người thực hiện." in response.content.decode()
    assert Treatment.objects.filter(risk=risk).count() == 1
    done = reverse("risks:treatment_done", args=[cast.a.pk, risk.pk, t.pk])
    assert client.post(done, {"done_on": "01/01/2100", "note": "x"}).status_code == 200
    assert client.post(done, {"done_on": "01/03/2026", "note": "Đã rà soát"}).status_code == 302
    t.refresh_from_db()
    assert t.done_on == dt.date(2026, 3, 1)


def test_the_workflow_starts_and_closes_a_risk(cast, login):
    risk = f.risk(cast.a)
    client = login(cast.users["secretary"])

    def step(name, **data):
        return client.post(reverse("risks:step", args=[cast.a.pk, risk.pk, name]), data)

    response = client.get(step("treat").url)
    assert "Hãy thêm ít nhất một biện pháp xử lý trước khi bắt đầu." in response.content.decode()
    t = f.treatment(risk, person=cast.users["staff"])
    step("treat")
    risk.refresh_from_db()
    assert risk.status == Risk.Status.TREATING
    step("close")
    risk.refresh_from_db()
    assert risk.status == Risk.Status.TREATING  # the treatment is not checked yet
    services.mark_done(t, cast.users["staff"], dt.date(2026, 3, 1), "Xong")
    services.record_check(t, cast.users["secretary"], "effective", "Tốt", dt.date(2026, 3, 2))
    step("close")
    risk.refresh_from_db()
    assert risk.status == Risk.Status.CLOSED
    assert step("reopen").status_code == 302
    risk.refresh_from_db()
    assert risk.status == Risk.Status.CLOSED  # a reason is required
    step("reopen", comment="Phát sinh hồ sơ trễ hạn mới")
    risk.refresh_from_db()
    assert risk.status == Risk.Status.IDENTIFIED
    assert (
        client.post(reverse("risks:step", args=[cast.a.pk, risk.pk, "nonsense"])).status_code == 404
    )


def test_staff_see_no_step_and_cannot_take_one(cast, login):
    risk = f.risk(cast.a)
    f.treatment(risk)
    client = login(cast.users["staff"])
    page = client.get(risk.get_absolute_url()).content.decode()
    assert "Bắt đầu xử lý" not in page
    assert client.post(reverse("risks:step", args=[cast.a.pk, risk.pk, "treat"])).status_code == 403
    assert (
        login(cast.users["secretary"])
        .get(risk.get_absolute_url())
        .content.decode()
        .count("Bắt đầu xử lý")
        == 1
    )


def test_who_records_a_treatment_as_done_sees_the_button_and_no_one_else(cast, login):
    """The person a treatment was given to and the heads of the risk's or the treatment's unit
    record it as done; the head of an unrelated unit neither sees the button nor gets through."""
    other = Unit.objects.create(agency=cast.a, name="Phòng Quản lý đầu tư", kind=Unit.Kind.DIVISION)
    outsider = make_person(cast.a, "outsider", [Role.UNIT_HEAD], unit=other)
    doer = make_person(cast.a, "doer", [Role.STAFF], unit=other)
    risk = f.risk(cast.a)  # owned by the office
    t = f.treatment(risk, person=doer)
    page = risk.get_absolute_url()
    done = reverse("risks:treatment_done", args=[cast.a.pk, risk.pk, t.pk])

    assert done not in login(outsider).get(page).content.decode()
    assert login(outsider).post(done, {"done_on": "01/03/2026", "note": "x"}).status_code == 403
    t.refresh_from_db()
    assert t.done_on is None

    assert done in login(doer).get(page).content.decode()
    response = login(doer).post(done, {"done_on": "01/03/2026", "note": "Đã bổ sung"})
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.done_on == dt.date(2026, 3, 1) and t.done_by == doer

    given = f.treatment(risk, unit=other, action="Rà soát hồ sơ tồn đọng")
    mark = reverse("risks:treatment_done", args=[cast.a.pk, risk.pk, given.pk])
    assert mark in login(outsider).get(page).content.decode()  # now their unit's work
