"""Events an agency defines itself (issue 11 §1): "Khi có thay đổi thành viên Ban Chỉ đạo" is
named once, a task counts 30 days from it, and recording it gives the task its date — in
that agency only."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qms.agenda.models import Obligation
from qms.plans import events, services
from qms.plans import timing as tm
from qms.plans.models import AgencyEvent
from qms.plans.tests.conftest import issue

TEXT = "30 ngày kể từ ngày có thay đổi thành viên Ban Chỉ đạo"
NEW_EVENT = {
    "label": "Thay đổi thành viên Ban Chỉ đạo",
    "since": "ngày có thay đổi thành viên Ban Chỉ đạo",
    "before": "",
    "when": "có  thay đổi thành viên Ban Chỉ đạo ",
    "condition": "",
}


def _task_post(key: str) -> dict[str, str]:
    return {
        "order": "4",
        "content": "Cập nhật danh sách Ban Chỉ đạo trong Sổ tay chất lượng",
        "lead_kind": "committee",
        "lead_unit": "",
        "lead_text": "",
        "approver": "",
        "expected_result": "",
        "note": "",
        "part0-kind": "event",
        "part0-event": key,
        "part0-offset_days": "30",
        "part1-kind": "",
        "timing-alt_event": "",
        "coordinations-TOTAL_FORMS": "0",
        "coordinations-INITIAL_FORMS": "0",
        "coordinations-MIN_NUM_FORMS": "0",
        "coordinations-MAX_NUM_FORMS": "1000",
    }


def _define(client, agency_id: int) -> AgencyEvent:
    response = client.post(reverse("plans:events", args=[agency_id]), NEW_EVENT)
    assert response.status_code == 302
    return AgencyEvent.objects.get(agency_id=agency_id)


def test_a_task_waits_for_an_event_the_agency_defined_until_it_is_recorded(plan, login, cast):
    client = login(cast.users["secretary"])
    event = _define(client, cast.a.pk)
    # The words after "trước" and the case default to those after "kể từ" and "khi".
    assert event.before == event.since == "ngày có thay đổi thành viên Ban Chỉ đạo"
    assert event.condition == event.when == "có thay đổi thành viên Ban Chỉ đạo"
    # Typed as the plan writes it, the timing is read with the agency's catalogue.
    rule = tm.parse_vietnamese(TEXT, 2026, events.catalogue(cast.a))
    assert rule == tm.Timing((tm.Part(tm.Kind.EVENT, event=event.key, offset_days=30),))

    response = client.post(
        reverse("plans:task_create", args=[cast.a.pk, plan.pk]), _task_post(event.key)
    )
    assert response.status_code == 302
    task = plan.tasks.get(order=4)
    assert task.rule() == rule
    issue(plan)
    row = services.task_row(task)
    assert row.wording == TEXT
    assert (row.next_due, row.waiting_for) == (None, event.key)
    obligation = Obligation.objects.get(source=f"plans.plan:{plan.pk}:{task.pk}:0")
    assert obligation.due_date is None
    assert obligation.waiting_for == "Thay đổi thành viên Ban Chỉ đạo"

    page = client.get(reverse("plans:detail", args=[cast.a.pk, plan.pk]))
    assert event.key in dict(page.context["event_form"].fields["event"].choices)
    response = client.post(
        reverse("plans:event", args=[cast.a.pk, plan.pk]),
        {"event": event.key, "occurred_on": "05/03/2026", "note": "Quyết định số 12/QĐ-BQL"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert services.task_row(task).next_due == dt.date(2026, 4, 4)
    obligation.refresh_from_db()
    assert (obligation.due_date, obligation.waiting_for) == (dt.date(2026, 4, 4), "")
    page = client.get(reverse("plans:detail", args=[cast.a.pk, plan.pk])).content.decode()
    assert "Thay đổi thành viên Ban Chỉ đạo: <strong>05/03/2026</strong>" in page


def test_another_agency_neither_sees_nor_uses_the_event(plan, login, cast):
    event = _define(login(cast.users["secretary"]), cast.a.pk)
    assert event.key in events.catalogue(cast.a)
    assert event.key not in events.catalogue(cast.b)
    with pytest.raises(tm.TimingError, match="Sự kiện không có trong danh mục"):
        tm.parse_vietnamese(TEXT, 2026, events.catalogue(cast.b))
    theirs = login(cast.users["secretary_b"])
    page = theirs.get(reverse("plans:events", args=[cast.b.pk]))
    assert page.status_code == 200
    own = page.content.decode().split('id="own-events"')[1].split("</table>")[0]
    assert "Thay đổi thành viên Ban Chỉ đạo" not in own
    assert "The agency has defined no event" in own or "chưa" in own.lower()
    assert theirs.get(reverse("plans:event_edit", args=[cast.b.pk, event.pk])).status_code == 404
    assert theirs.get(reverse("plans:events", args=[cast.a.pk])).status_code == 404
    # A's own key posted into a task of A by the secretary of A works; into A's plan by B: 404.
    response = theirs.post(
        reverse("plans:task_create", args=[cast.a.pk, plan.pk]), _task_post(event.key)
    )
    assert response.status_code == 404


def test_a_task_form_refuses_another_agencys_event(plan, login, cast):
    mine = login(cast.users["secretary"])
    other = AgencyEvent.objects.create(agency=cast.b, **(NEW_EVENT | {"before": "x"}))
    response = mine.post(
        reverse("plans:task_create", args=[cast.a.pk, plan.pk]), _task_post(other.key)
    )
    assert response.status_code == 200  # the form again, with its error
    assert not plan.tasks.filter(order=4).exists()
    with pytest.raises(ValidationError):
        services.record_event(plan, other.key, dt.date(2026, 3, 5), cast.users["secretary"])


def test_only_the_plan_manager_defines_events(login, cast):
    target = reverse("plans:events", args=[cast.a.pk])
    assert login(cast.users["staff"]).get(target).status_code == 403
    assert login(cast.users["staff"]).post(target, NEW_EVENT).status_code == 403
    assert not AgencyEvent.objects.exists()
    assert login(cast.users["secretary"]).put(target).status_code == 405


def test_an_event_is_reworded_and_names_stay_unique(plan, login, cast):
    client = login(cast.users["secretary"])
    event = _define(client, cast.a.pk)
    again = client.post(reverse("plans:events", args=[cast.a.pk]), NEW_EVENT)
    assert again.status_code == 400 and AgencyEvent.objects.count() == 1
    builtin = client.post(
        reverse("plans:events", args=[cast.a.pk]),
        NEW_EVENT | {"label": "Họp xem xét của lãnh đạo"},
    )
    assert builtin.status_code == 400
    # A task waits for it in an issued plan: renaming it renames what the agenda waits for.
    client.post(reverse("plans:task_create", args=[cast.a.pk, plan.pk]), _task_post(event.key))
    task = plan.tasks.get(order=4)
    issue(plan)
    edit = reverse("plans:event_edit", args=[cast.a.pk, event.pk])
    assert client.get(edit).status_code == 200
    renamed = NEW_EVENT | {"label": "Kiện toàn Ban Chỉ đạo"}
    assert client.post(edit, renamed).status_code == 302
    obligation = Obligation.objects.get(source=f"plans.plan:{plan.pk}:{task.pk}:0")
    assert obligation.waiting_for == "Kiện toàn Ban Chỉ đạo"
    assert AgencyEvent.objects.get().label == "Kiện toàn Ban Chỉ đạo"
