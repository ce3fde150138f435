"""The agency's home page shows real figures and what falls due soon."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def test_the_overdue_count_follows_every_change_of_the_obligations(
    cast, login, django_assert_num_queries
):
    """The count is kept between visits, but an obligation added, done or moved, and the
    next day, give the new figure at once."""
    today = timezone.localdate()
    url = reverse("organization:dashboard", args=[cast.a.pk])
    client = login(cast.users["staff"])

    def item(key, due, state="open"):
        return registry.Item(
            key=key, kind="test.dash", title=f"Việc {key}", url="/", due_date=due, state=state
        )

    def overdue():
        return client.get(url).context["overdue_count"]

    late, tomorrow = today - dt.timedelta(days=3), today + dt.timedelta(days=1)
    registry.sync(cast.a, "test.dash", [item("a", late), item("b", tomorrow)])
    assert overdue() == 1
    registry.sync(cast.a, "test.dash", [item("a", late), item("b", late)])
    assert overdue() == 2
    registry.sync(cast.a, "test.dash", [item("a", late, "done"), item("b", late)])
    assert overdue() == 1
    registry.sync(cast.b, "test.dash.b", [item("c", late)])  # another agency's
    assert overdue() == 1
    registry.clear("test.dash")
    assert overdue() == 0
    registry.sync(cast.a, "test.dash", [item("b", today)])
    assert overdue() == 0
    with pytest.MonkeyPatch.context() as patch:  # the next day, nothing changed
        patch.setattr("qms.organization.views.today", lambda: tomorrow)
        assert overdue() == 1


def test_the_dashboard_runs_the_same_queries_at_3_and_300_obligations(cast, login):
    """Read back unchanged, the page counts nothing: the same queries whatever the number of
    obligations (the count after a change is in test_queries)."""
    today = timezone.localdate()
    url = reverse("organization:dashboard", args=[cast.a.pk])
    client = login(cast.users["secretary"])
    client.get(url)

    def queries(n):
        late = today - dt.timedelta(days=30)
        registry.sync(
            cast.a,
            "test.dash",
            [
                registry.Item(key=str(i), kind="test.dash", title="x", url="/", due_date=late)
                for i in range(n)
            ],
        )
        assert client.get(url).context["overdue_count"] == n  # counted once after the change
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).context["overdue_count"] == n
        assert not [
            q for q in ctx.captured_queries if "COUNT" in q["sql"] and "obligation" in q["sql"]
        ]
        return len(ctx.captured_queries)

    assert queries(3) == queries(300)


def test_the_committee_in_force_says_from_which_day_even_without_an_own_effective_date(cast, login):
    """A decision "có hiệu lực kể từ ngày ký" has no effective date of its own: the home page
    gives its signing day, never "có hiệu lực từ ." with nothing."""
    from qms.organization.tests.factories import D, draft_with_members, issue

    issue(draft_with_members(cast.a, ["Nguyễn Văn A"]), 12, D(2025, 3, 1))
    html = login(cast.users["staff"]).get(reverse("organization:dashboard", args=[cast.a.pk]))
    assert "có hiệu lực từ 01/03/2025." in html.content.decode()
