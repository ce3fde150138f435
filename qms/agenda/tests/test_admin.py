"""The admin lists every agenda model (for inspection; obligations are not edited there)."""

import pytest
from django.urls import reverse

from qms.agenda.models import CalendarFeed, Notification, Obligation, Reminder
from qms.agenda.tests.conftest import DAY, item, put


@pytest.mark.parametrize(
    "model", ["obligation", "agendasettings", "reminder", "notification", "calendarfeed"]
)
def test_the_admin_lists_each_model(cast, login, model):
    put(cast.a, item("1", DAY))
    obligation = Obligation.objects.get()
    Reminder.objects.create(obligation=obligation, step=3, due_date=DAY)
    Notification.objects.create(user=cast.users["staff"], agency=cast.a, title="x", url="/")
    CalendarFeed.objects.create(user=cast.users["staff"])
    response = login(cast.users["admin"]).get(reverse(f"admin:agenda_{model}_changelist"))
    assert response.status_code == 200


def test_the_admin_does_not_edit_derived_obligations(cast, login):
    put(cast.a, item("1", DAY))
    client = login(cast.users["admin"])
    assert client.get(reverse("admin:agenda_obligation_add")).status_code == 403
    url = reverse("admin:agenda_obligation_change", args=[Obligation.objects.get().pk])
    response = client.post(url, {"title": "changed"})
    assert response.status_code == 403 or Obligation.objects.get().title != "changed"
