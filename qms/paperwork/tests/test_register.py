"""One register of outgoing documents per issuer and year, shared by every kind: a number is
taken once, whatever the kind, restarts at 01 on 1 January, and belongs to its issuer (the
agency, or its steering committee when it issues in its own name)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from qms.documents import services as documents
from qms.organization.models import Agency
from qms.organization.tests.factories import draft_with_members, issue, issued
from qms.paperwork import services
from qms.paperwork.kinds import Issuer
from qms.paperwork.models import Paper
from qms.plans import services as plans

D = dt.date


def refused(change, *args, **kwargs):
    with pytest.raises(ValidationError) as caught:
        change(*args, **kwargs)
    return " ".join(caught.value.messages)


def test_a_number_is_taken_once_per_issuer_and_year_whatever_the_kind(cast):
    issued(cast.a, ["An"], 8, D(2026, 2, 1))
    plan = plans.create_plan(cast.a, year=2026, title="Duy trì HTQLCL năm 2026", signer_name="A")
    march = {"parts": [{"kind": "month", "month": 3}]}
    plan.tasks.create(order=1, content="Kiện toàn", timing=march)
    plans.submit(plan)
    message = refused(plans.issue, plan, number=8, issued_on=D(2026, 2, 3))
    # The refusal names the document that holds the number.
    assert "08/QĐ-SXD" in message and "01/02/2026" in message
    plans.issue(plan, number=9, issued_on=D(2026, 2, 3))
    assert plan.paper.symbol == "KH-SXD" and plan.paper.number_text == "09"


def test_numbers_restart_on_the_first_of_january_and_each_agency_keeps_its_own(cast):
    issued(cast.a, ["An"], 1, D(2025, 12, 30))
    issued(cast.a, ["Bình"], 1, D(2026, 1, 2))  # a new year: 01 again
    issued(cast.b, ["Cường"], 1, D(2026, 1, 2))  # another agency: its own register
    taken = Paper.objects.filter(agency=cast.a, number=1).values_list("year", flat=True)
    assert sorted(taken) == [2025, 2026]
    assert services.next_number(cast.a, Issuer.AGENCY, 2026) == 2
    assert services.next_number(cast.a, Issuer.AGENCY, 2027) == 1


def test_the_steering_committee_numbers_its_own_documents(cast):
    issued(cast.a, ["An"], 3, D(2026, 3, 1))
    committee = draft_with_members(cast.a, ["Bình"], issuer=Issuer.COMMITTEE)
    issue(committee, 3, D(2026, 3, 2))  # 03/QĐ-BCĐISO beside 03/QĐ-SXD
    committee.paper.refresh_from_db()
    assert committee.paper.symbol == "QĐ-BCĐISO" and committee.paper.number == 3


def test_the_database_refuses_a_second_holder_of_a_number(cast):
    issued(cast.a, ["An"], 5, D(2026, 3, 1))
    other = draft_with_members(cast.a, ["Bình"]).paper
    other.status, other.number, other.year, other.issued_on = "issued", 5, 2026, D(2026, 3, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_numbers_below_ten_carry_a_leading_zero_everywhere(cast):
    decision = issued(cast.a, ["An"], 8, D(2026, 3, 1))
    assert str(decision).startswith("08/QĐ-SXD")
    assert decision.paper.reference == "Quyết định số 08/QĐ-SXD ngày 01/03/2026"


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (timezone.localdate() + dt.timedelta(days=1), "after today"),
        (D(2024, 1, 1), "before the decision it replaces"),
    ],
)
def test_dates_that_do_not_agree_are_refused_and_change_nothing(cast, day, why):
    issued(cast.a, ["An"], 10, D(2025, 3, 1))
    draft = draft_with_members(cast.a, ["Bình"])
    refused(issue, draft, 11, day)
    draft.paper.refresh_from_db()
    assert not draft.paper.is_issued and draft.paper.number is None, why


def test_a_dissolved_agency_issues_nothing_after_its_end(cast):
    Agency.objects.filter(pk=cast.a2.pk).update(valid_to=D(2025, 6, 30))
    cast.a2.refresh_from_db()
    draft = draft_with_members(cast.a2, ["An"])
    assert "giải thể" in refused(issue, draft, 1, D(2025, 7, 1))


def test_a_set_is_not_dated_before_its_revisions_are_approved(cast):
    from qms.documents.models import Document, Kind
    from qms.documents.tests.test_set_decision_scope import approved

    document = Document.objects.create(
        agency=cast.a, kind=Kind.SYSTEM_PROCEDURE, code="QT.ISO.01", title="Quy trình"
    )
    document_set = documents.create_set(cast.a, title="Bộ", effective_on=None, signer_name="A")
    documents.add_to_set(document_set, approved(cast, document))
    message = refused(documents.issue_set, document_set, number=4, signed_on=D(2026, 1, 5), by=None)
    assert "phê duyệt" in message


def test_the_register_lists_the_year_and_exports_it(cast, login, django_assert_num_queries):
    for number in range(1, 4):
        issued(cast.a, [f"Người {number}"], number, D(2026, 1, number))
    issued(cast.b, ["Khác"], 7, D(2026, 1, 5))
    client = login(cast.users["staff"])
    url = reverse("paperwork:register", args=[cast.a.pk])
    # session, user, access grants, the agency's header, count, page, drafts: fixed.
    with django_assert_num_queries(_register_queries(client, url)):
        page = client.get(url, {"year": 2026}).content.decode()
    assert "01/QĐ-SXD" in page and "03/QĐ-SXD" in page and "07/QĐ" not in page
    for number in range(4, 12):
        issued(cast.a, [f"Người {number}"], number, D(2026, 1, number))
    with django_assert_num_queries(_register_queries(client, url)):
        client.get(url, {"year": 2026})
    sheet = client.get(url, {"year": 2026, "format": "xlsx"})
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "so-dang-ky-van-ban-di" in sheet["Content-Disposition"]


def _register_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url, {"year": 2026})
    return len(captured.captured_queries)


def test_another_agency_sees_nothing_of_the_register(cast, login):
    decision = issued(cast.a, ["An"], 1, D(2026, 1, 2))
    client = login(cast.users["secretary_b"])
    assert client.get(reverse("paperwork:register", args=[cast.a.pk])).status_code == 404
    paper = decision.paper_id
    for name in ("edit", "signed_copy"):
        assert client.get(reverse(f"paperwork:{name}", args=[cast.a.pk, paper])).status_code == 404
    assert client.post(reverse("paperwork:issue", args=[cast.b.pk, paper])).status_code == 404


def test_only_the_record_rights_may_edit_or_issue_and_get_is_refused(cast, login):
    draft = draft_with_members(cast.a, ["An"])
    issue_url = reverse("paperwork:issue", args=[cast.a.pk, draft.paper_id])
    edit_url = reverse("paperwork:edit", args=[cast.a.pk, draft.paper_id])
    assert login(cast.users["staff"]).post(issue_url, {"number": 1}).status_code == 403
    assert login(cast.users["staff"]).get(edit_url).status_code == 403
    assert login(cast.users["secretary"]).get(issue_url).status_code == 405
    assert login(cast.users["secretary"]).get(edit_url).status_code == 200
