"""The event catalogue and the record kinds that fulfil a task are registries the owning apps
fill (qms.plans.events, qms.plans.fulfilment); plans names no other app's model."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qms.documents import services as documents
from qms.documents.rules import DOCUMENT_SET_EFFECTIVE
from qms.documents.tests.test_revision_life import (
    _issue_set,
    _new_set,
    approved_revision,
    make_document,
)
from qms.organization.tests.factories import D, issued
from qms.paperwork.models import Paper
from qms.plans import events, forms, fulfilment, services
from qms.plans import timing as tm
from qms.plans.models import PlanEvent
from qms.plans.tests.conftest import issue

# ------------------------------------------------------------------------------ events


def test_each_event_is_registered_by_the_app_that_owns_it():
    catalogue = events.registered()
    # documents owns the document set taking effect: its wording is the one documents gives.
    assert catalogue["document_set_effective"] is DOCUMENT_SET_EFFECTIVE
    # The four others wait for their apps; plans registers them meanwhile.
    assert {e.key for e in events.UNTIL_THEIR_APPS_EXIST} == set(catalogue) - {
        "document_set_effective"
    }


def test_registering_refuses_a_bad_key_and_a_second_wording():
    with pytest.raises(ValueError, match="lower-case"):
        events.register(tm.Event("Khác", "x", "x", "x", "x", "x"))
    with pytest.raises(ValueError, match="lower-case"):
        events.register(tm.Event("agency:3", "x", "x", "x", "x", "x"))
    with pytest.raises(ValueError, match="already registered"):
        events.register(tm.Event("inspection_notice", "x", "x", "x", "x", "x"))
    events.register(events.UNTIL_THEIR_APPS_EXIST[0])  # the same event again changes nothing


def test_the_timing_engine_words_an_event_from_the_catalogue_it_is_given():
    mine = tm.Event("agency:7", "Khai trương", "ngày khai trương", "ngày khai trương", "x", "y")
    rule = tm.Timing((tm.Part(tm.Kind.EVENT, event="agency:7", offset_days=5),))
    assert tm.describe(rule, 2026, {"agency:7": mine}) == "05 ngày kể từ ngày khai trương"
    assert tm.parse_vietnamese("05 ngày kể từ ngày khai trương", 2026, {"agency:7": mine}) == rule
    # Not in the catalogue given: a clear message, not a wrong wording.
    with pytest.raises(tm.TimingError, match="Sự kiện không có trong danh mục: agency:7."):
        tm.describe(rule, 2026)


def test_built_in_events_are_looked_up_without_a_query(cast, django_assert_num_queries):
    catalogue = events.catalogue(cast.a)
    with django_assert_num_queries(0):
        assert "inspection_notice" in catalogue
        assert catalogue["document_set_effective"].label == "Bộ tài liệu ISO mới có hiệu lực"
        assert events.label(cast.a, "internal_audit_held") == "Kết thúc đánh giá nội bộ"
    assert events.catalogue(cast.a) is catalogue  # kept for the page: read once


def test_recording_an_event_outside_the_catalogue_is_refused(plan, cast):
    with pytest.raises(ValidationError):
        services.record_event(plan, "khai_truong", dt.date(2026, 3, 1), cast.users["secretary"])
    with pytest.raises(ValidationError):
        services.record_event(plan, "agency:999", dt.date(2026, 3, 1), cast.users["secretary"])
    assert not PlanEvent.objects.exists()
    form = forms.EventForm(
        {"event": "khai_truong", "occurred_on": "01/03/2026"},
        catalogue=events.catalogue(cast.a),
    )
    assert not form.is_valid() and "event" in form.errors


def test_a_recorded_event_is_named_from_the_catalogue(plan, cast):
    services.record_event(plan, "inspection_notice", dt.date(2026, 10, 20), cast.users["secretary"])
    event = plan.events.get()
    assert str(event) == "Thông báo kiểm tra của cơ quan có thẩm quyền 20/10/2026"


def test_the_event_chooser_offers_the_registered_events(plan, login, cast):
    page = login(cast.users["secretary"]).get(
        reverse("plans:detail", args=[plan.agency_id, plan.pk])
    )
    choices = dict(page.context["event_form"].fields["event"].choices)
    assert choices["document_set_effective"] == "Bộ tài liệu ISO mới có hiệu lực"
    assert choices["tthc_catalogue_approved"] == (
        "UBND cấp tỉnh phê duyệt danh mục thủ tục hành chính"
    )


# ---------------------------------------------------------------- the record that fulfils


def _issued_set(cast, title, number):
    document_set = _new_set(cast.a, title)
    documents.add_to_set(document_set, approved_revision(cast, make_document(cast.a, "QT-09")))
    _issue_set(cast, document_set, number=number)
    return document_set


def _their_set(cast):
    """Agency B's issued set (B has no head in the cast to sign it: its paper says issued)."""
    document_set = _new_set(cast.b, "Bộ tài liệu của B")
    Paper.objects.filter(pk=document_set.paper_id).update(
        status=Paper.Status.ISSUED, number=46, year=2026, issued_on=dt.date(2026, 11, 3)
    )
    return document_set


def test_decisions_and_document_sets_are_the_kinds_offered(cast):
    keys = {kind.key for kind in fulfilment.kinds()}
    assert {"organization.committeedecision", "documents.documentset"} <= keys


def test_the_decision_issuing_a_document_set_fulfils_a_task(plan, login, cast):
    issue(plan)
    mine = _issued_set(cast, "Bộ tài liệu 2026", 45)
    theirs = _their_set(cast)
    task = plan.tasks.get(order=1)
    client = login(cast.users["secretary"])
    page = client.get(reverse("plans:task", args=[plan.agency_id, task.pk]))
    offered = [
        value
        for _group, options in page.context["link_form"].fields["record"].widget.choices[1:]
        for value, _text in options
    ]
    assert f"documents.documentset:{mine.pk}" in offered
    assert f"documents.documentset:{theirs.pk}" not in offered
    target = reverse("plans:task_progress", args=[plan.agency_id, task.pk, "link"])
    client.post(target, {"record": f"documents.documentset:{theirs.pk}"})
    task.refresh_from_db()
    assert task.fulfilled_by == ""
    client.post(target, {"record": f"documents.documentset:{mine.pk}"})
    task.refresh_from_db()
    assert task.fulfilled_by == f"documents.documentset:{mine.pk}"
    page = client.get(reverse("plans:task", args=[plan.agency_id, task.pk])).content.decode()
    linked = page.split('id="linked-record"')[1][:400]
    assert mine.get_absolute_url() in linked
    assert "Quyết định ban hành bộ tài liệu" in linked


def test_a_record_of_another_agency_is_never_resolved(plan, cast):
    theirs = issued(cast.b, ["Bảo"], 4, D(2026, 2, 1))
    task = plan.tasks.get(order=1)
    task.fulfilled_by = f"organization.committeedecision:{theirs.pk}"
    assert forms.linked_record(task) is None
    assert fulfilment.resolve(cast.a, "nothing.here:1") is None
    assert fulfilment.resolve(cast.a, "organization.committeedecision:x") is None
    mine = issued(cast.a, ["An"], 3, D(2026, 2, 1))
    task.fulfilled_by = f"organization.committeedecision:{mine.pk}"
    label, url = forms.linked_record(task) or ("", "")
    assert url == mine.get_absolute_url() and str(mine) in label


def test_the_chooser_costs_one_query_per_kind_whatever_the_records(cast, django_assert_num_queries):
    def choices_count():
        with django_assert_num_queries(len(fulfilment.kinds())):
            return sum(len(options) for _label, options in fulfilment.choices(cast.a))

    before = choices_count()
    for number in range(5, 9):
        issued(cast.a, [f"Người {number}"], number, D(2026, 2, number))
    assert choices_count() == before + 4


def test_a_linked_record_older_than_the_latest_is_still_shown_in_the_chooser(cast, monkeypatch):
    old = issued(cast.a, ["An"], 3, D(2026, 1, 5))
    issued(cast.a, ["Bình"], 4, D(2026, 2, 5))
    value = f"organization.committeedecision:{old.pk}"
    monkeypatch.setattr(fulfilment, "CANDIDATES", 1)  # only the newest is offered
    form = forms.LinkForm(initial={"record": value}, agency=cast.a)
    assert value in [value for value, _label in form.fields["record"].widget.choices[:2]]
