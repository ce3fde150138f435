"""The agency's home page shows real figures and what falls due soon."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from qms.agenda import registry


def test_it_lists_overdue_and_soon_due_obligations_but_not_later_ones(cast, login):
    today = timezone.localdate()
    registry.register_kind("test.dash", "Việc thử")
    registry.sync(
        cast.a,
        "test.dash",
        [
            registry.Item(
                key="late",
                kind="test.dash",
                title="Việc đã quá hạn",
                url="/",
                due_date=today - dt.timedelta(days=3),
            ),
            registry.Item(
                key="soon",
                kind="test.dash",
                title="Việc sắp đến hạn",
                url="/",
                due_date=today + dt.timedelta(days=5),
            ),
            registry.Item(
                key="far",
                kind="test.dash",
                title="Việc còn xa",
                url="/",
                due_date=today + dt.timedelta(days=60),
            ),
        ],
    )
    response = login(cast.users["staff"]).get(reverse("organization:dashboard", args=[cast.a.pk]))
    due = response.content.decode().split('id="due-soon"')[1].split("</table>")[0]
    assert "Việc đã quá hạn" in due and "Việc sắp đến hạn" in due
    assert "Việc còn xa" not in due
    assert response.context["overdue_count"] == 1
    assert (
        response.context["unit_count"] == 1 and response.context["people_count"] == 7
    )  # the expired expert is not counted
