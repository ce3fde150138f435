"""registry.sync: upsert by source, delete the stale ones, leave other prefixes alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qms.agenda import registry
from qms.agenda.models import Obligation, Reminder
from qms.agenda.tests.conftest import DAY, PREFIX, item, office, put


def test_it_inserts_updates_and_deletes_under_one_prefix(cast):
    put(cast.a, item("1", DAY), item("2", DAY), item("3", None, waiting_for="Ban hành"))
    first = {o.source: o.pk for o in Obligation.objects.all()}
    assert set(first) == {f"{PREFIX}:1", f"{PREFIX}:2", f"{PREFIX}:3"}

    put(cast.a, item("1", DAY, title="Đổi tên", state="done"), item("4", DAY))

    rows = {o.source: o for o in Obligation.objects.all()}
    assert set(rows) == {f"{PREFIX}:1", f"{PREFIX}:4"}
    assert rows[f"{PREFIX}:1"].pk == first[f"{PREFIX}:1"]  # updated in place, not recreated
    assert rows[f"{PREFIX}:1"].title == "Đổi tên"
    assert rows[f"{PREFIX}:1"].state == Obligation.State.DONE


def test_it_leaves_other_prefixes_and_agencies_untouched(cast):
    put(cast.a, item("1", DAY), prefix="plans.plan:1")
    put(cast.a, item("1", DAY), prefix="plans.plan:12")  # a prefix that starts alike
    put(cast.b, item("1", DAY), prefix="plans.plan:2")
    registry.sync(cast.a, "plans.plan:1", [])
    assert set(Obligation.objects.values_list("source", flat=True)) == {
        "plans.plan:12:1",
        "plans.plan:2:1",
    }


def test_it_clears_a_prefix_in_every_agency(cast):
    put(cast.a, item("1", DAY), prefix="audits.audit:5")
    put(cast.a, item("1", DAY), prefix="audits.audit:50")
    registry.clear("audits.audit:5")
    assert list(Obligation.objects.values_list("source", flat=True)) == ["audits.audit:50:1"]


def test_it_deletes_the_reminders_of_a_stale_obligation(cast):
    put(cast.a, item("1", DAY))
    Reminder.objects.create(obligation=Obligation.objects.get(), step=3, due_date=DAY)
    put(cast.a)
    assert not Reminder.objects.exists()


def test_it_refuses_bad_items_and_changes_nothing(cast):
    put(cast.a, item("1", DAY))
    unit_b = office(cast.b)
    for bad in (
        [item("2", DAY), item("2", DAY)],  # duplicate key
        [item("", DAY)],  # no key
        [item("2", DAY, state="finished")],  # unknown state
        [item("2", DAY, owner_unit_id=unit_b.pk)],  # a unit of another agency
    ):
        with pytest.raises(ValueError):
            put(cast.a, *bad)
    assert list(Obligation.objects.values_list("source", flat=True)) == [f"{PREFIX}:1"]


def test_it_refuses_a_source_that_belongs_to_another_agency(cast):
    put(cast.b, item("1", DAY))
    with pytest.raises(ValueError):
        put(cast.a, item("1", DAY))
    assert Obligation.objects.get().agency == cast.b


def test_it_shortens_a_long_title(cast):
    put(cast.a, item("1", DAY, title="Đ" * 700))
    title = Obligation.objects.get().title
    assert len(title) == 500 and title.endswith("…")


def test_it_runs_a_fixed_number_of_queries_whatever_the_number_of_items(cast):
    """Up to SQLite's batch of 999 parameters (76 rows) per INSERT; PostgreSQL: one."""

    def run(n):
        items = [item(str(i), DAY, owner_unit_id=office(cast.a).pk) for i in range(n)]
        changed = [item(str(i), DAY, title="khác") for i in range(n // 2)]
        with CaptureQueriesContext(connection) as ctx:
            # units check, read, the agency's agenda version, collision check, insert
            put(cast.a, *items, prefix=f"p{n}")
            # read, collect stale + delete their reminders + unlink notifications + delete,
            # update, the agency's agenda version
            put(cast.a, *changed, prefix=f"p{n}")
        return len(ctx.captured_queries)

    assert run(4) == run(60) == 16


def test_it_renews_the_agencys_version_only_when_its_obligations_change(cast):
    """The version (what the ICS feeds and the dashboard's overdue count are kept under)
    moves with every change of the agency's obligations, and only then."""

    def version(agency):
        return registry.stamps([agency.pk]).get(agency.pk)

    assert version(cast.a) is None
    put(cast.a, item("x", DAY))
    first = version(cast.a)
    put(cast.a, item("x", DAY))  # the same: nothing written
    assert version(cast.a) == first and version(cast.a).token == first.token
    put(cast.a, item("x", DAY, title="Đổi tên"))
    second = version(cast.a)
    assert second.token != first.token and second.changed_at >= first.changed_at
    assert version(cast.b) is None  # another agency's version is its own
    registry.clear(PREFIX)
    assert version(cast.a).token != second.token
    cleared = version(cast.a).token
    registry.clear(PREFIX)  # nothing left to clear
    assert version(cast.a).token == cleared


def test_it_stores_lazy_texts_in_the_site_language_whoever_syncs(cast):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    with translation.override("en"):
        put(cast.a, item("1", DAY, owner_text=gettext_lazy("Head of agency")))
    with translation.override("vi"):
        expected = str(gettext_lazy("Head of agency"))
    assert Obligation.objects.get().owner_text == expected
