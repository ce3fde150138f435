"""The context page, its forms, the yearly review and what changed since last year."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qms.risks import services
from qms.risks.models import ContextIssue, ContextReview, InterestedParty
from qms.risks.queries import context_changes
from qms.risks.tests import factories as f


def _page(client, cast, year=2026):
    return client.get(reverse("risks:context", args=[cast.a.pk]) + f"?year={year}")


def test_it_shows_the_year_context_to_everyone_of_the_agency(cast, login):
    f.issue(cast.a, description="Văn bản pháp luật thay đổi nhanh")
    f.issue(cast.a, side="internal", category="people", description="Thiếu công chức thẩm định")
    f.party(cast.a, name="Doanh nghiệp")
    page = _page(login(cast.users["staff"]), cast).content.decode()
    assert "Văn bản pháp luật thay đổi nhanh" in page and "Thiếu công chức thẩm định" in page
    assert "Doanh nghiệp" in page and "Con người" in page and "Chính trị, pháp lý" in page
    assert 'id="issue-new"' not in page  # staff read, the secretary changes
    assert "Bối cảnh của năm này chưa được xem xét." in page


def test_the_secretary_adds_an_issue_and_a_category_of_the_other_side_is_refused(cast, login):
    client = login(cast.users["secretary"])
    url = reverse("risks:issue_new", args=[cast.a.pk, 2026])
    data = {"side": "external", "category": "culture", "description": "X", "effect": "Y"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Nhóm này thuộc loại vấn đề còn lại" in response.content.decode()
    assert not ContextIssue.objects.exists()
    data["category"] = "technological"
    assert client.post(url, data).status_code == 302
    assert ContextIssue.objects.get().year == 2026


def test_the_head_of_unit_does_not_change_the_context(cast, login):
    client = login(cast.users["unit_head"])
    url = reverse("risks:party_new", args=[cast.a.pk, 2026])
    assert client.post(url, {"name": "Người dân", "needs": "a", "response": "b"}).status_code == 403
    assert not InterestedParty.objects.exists()


def test_the_review_is_recorded_once_a_year(cast, login):
    f.issue(cast.a)
    client = login(cast.users["secretary"])
    url = reverse("risks:review", args=[cast.a.pk, 2026])
    client.post(url, {"reviewed_on": "15/01/2026", "note": "Bối cảnh không thay đổi lớn"})
    client.post(url, {"reviewed_on": "20/01/2026", "note": "Bổ sung sau họp"})
    review = ContextReview.objects.get(agency=cast.a, year=2026)
    assert review.reviewed_on == dt.date(2026, 1, 20)
    assert review.history.count() == 2
    assert ContextIssue.objects.get().reviewed_on == dt.date(2026, 1, 20)
    page = _page(client, cast).content.decode()
    assert "Đã xem xét ngày 20/01/2026" in page
    response = client.post(url, {"reviewed_on": "xx", "note": ""}, follow=True)
    assert ContextReview.objects.get().reviewed_on == dt.date(2026, 1, 20)
    assert response.status_code == 200


def test_a_review_without_issues_is_refused(cast, login):
    client = login(cast.users["secretary"])
    url = reverse("risks:review", args=[cast.a.pk, 2027])
    response = client.post(url, {"reviewed_on": "15/01/2026"}, follow=True)
    assert "Hãy ghi nhận các vấn đề của năm" in response.content.decode()
    assert not ContextReview.objects.exists()


def test_context_changes_tell_new_changed_and_dropped(cast):
    kept = f.issue(cast.a, year=2025, description="Văn bản pháp luật thay đổi nhanh")
    f.issue(cast.a, year=2025, description="Dịch bệnh")
    changed = f.issue(cast.a, year=2025, description="Thiếu nhân lực", effect="Trễ hạn")
    f.issue(cast.a, year=2026, description=kept.description, effect=kept.effect, copied_from=kept)
    f.issue(
        cast.a,
        year=2026,
        description="Thiếu nhân lực thẩm định",
        effect="Trễ hạn",
        copied_from=changed,
    )
    f.issue(cast.a, year=2026, description="Chuyển đổi số")
    f.party(cast.a, year=2025, name="Người dân")
    f.party(cast.a, year=2026, name="Người dân", needs="Nộp hồ sơ trực tuyến")
    result = context_changes(cast.a, 2026)
    assert [i.description for i in result.new_issues] == ["Chuyển đổi số"]
    assert [i.description for i in result.changed_issues] == ["Thiếu nhân lực thẩm định"]
    assert [i.description for i in result.dropped_issues] == ["Dịch bệnh"]
    assert [p.name for p in result.changed_parties] == ["Người dân"]
    assert not result.new_parties and not result.dropped_parties


def test_the_context_page_costs_the_same_whatever_the_rows(cast, login):
    client = login(cast.users["secretary"])
    f.issue(cast.a)
    f.party(cast.a)
    _page(client, cast)
    with CaptureQueriesContext(connection) as few:
        _page(client, cast)
    for n in range(15):
        f.issue(cast.a, description=f"Vấn đề {n}")
        f.issue(cast.a, year=2025, description=f"Vấn đề cũ {n}")
        f.party(cast.a, name=f"Bên {n}")
    with CaptureQueriesContext(connection) as many:
        assert _page(client, cast).status_code == 200
    assert len(many) == len(few)


def test_another_agency_cannot_change_the_context(cast, login):
    issue = f.issue(cast.a)
    client = login(cast.users["secretary_b"])
    url = reverse("risks:issue_edit", args=[cast.a.pk, issue.pk])
    assert (
        client.post(
            url, {"side": "external", "category": "social", "description": "Z", "effect": "Z"}
        ).status_code
        == 404
    )
    url = reverse("risks:issue_edit", args=[cast.b.pk, issue.pk])
    assert (
        client.post(
            url, {"side": "external", "category": "social", "description": "Z", "effect": "Z"}
        ).status_code
        == 404
    )
    issue.refresh_from_db()
    assert issue.description != "Z"


def test_without_a_previous_year_the_page_says_there_is_nothing_to_compare(cast, login):
    f.issue(cast.a)
    page = _page(login(cast.users["staff"]), cast).content.decode()
    assert "Năm 2025 chưa có dữ liệu để so sánh." in page
    f.issue(cast.a, year=2025, description="Dịch bệnh")
    page = _page(login(cast.users["staff"]), cast).content.decode()
    assert "Vấn đề không còn: Dịch bệnh" in page


def test_an_issue_no_longer_kept_is_withdrawn_with_its_reason_and_can_come_back(cast, login):
    last = f.issue(cast.a, year=2025, description="Thiếu trụ sở làm việc")
    kept = f.issue(cast.a, description="Thiếu trụ sở làm việc")
    party = f.party(cast.a, name="Hiệp hội doanh nghiệp")
    client = login(cast.users["secretary"])
    withdraw = reverse("risks:withdraw", args=[cast.a.pk, "issues", kept.pk])
    # No reason: refused with a message, nothing changed.
    response = client.post(withdraw, {"reason": "  "})
    assert response.status_code == 200 and "Trường này là bắt buộc" in response.content.decode()
    kept.refresh_from_db()
    assert not kept.is_withdrawn
    assert client.post(withdraw, {"reason": "Đã có trụ sở mới"}).status_code == 302
    client.post(
        reverse("risks:withdraw", args=[cast.a.pk, "parties", party.pk]),
        {"reason": "Hiệp hội đã giải thể"},
    )
    kept.refresh_from_db()
    assert kept.withdrawn_by == cast.users["secretary"] and kept.history.count() == 2
    page = _page(client, cast).content.decode()
    assert (
        'id="withdrawn"' in page and "Đã có trụ sở mới" in page and "Hiệp hội đã giải thể" in page
    )
    # The review reads it as no longer kept since last year, and it is not copied on.
    changes = context_changes(cast.a, 2026)
    assert changes.dropped_issues == [last]
    with pytest.raises(ValidationError):  # nothing left to copy
        services.copy_to_next_year(cast.a, 2026, cast.users["secretary"])
    assert not ContextIssue.objects.filter(year=2027).exists()
    assert not InterestedParty.objects.filter(year=2027).exists()
    # Kept again: back in the year's list; the head of a unit may not do either.
    restore = reverse("risks:restore", args=[cast.a.pk, "issues", kept.pk])
    assert login(cast.users["unit_head"]).post(restore).status_code == 403
    login(cast.users["secretary"]).post(restore)
    kept.refresh_from_db()
    assert not kept.is_withdrawn and context_changes(cast.a, 2026).dropped_issues == []
    assert (
        client.post(reverse("risks:withdraw", args=[cast.a.pk, "nonsense", 1])).status_code == 404
    )


def test_another_agency_cannot_withdraw_an_issue(cast, login):
    issue = f.issue(cast.a)
    url = reverse("risks:withdraw", args=[cast.b.pk, "issues", issue.pk])
    assert login(cast.users["secretary_b"]).post(url, {"reason": "x"}).status_code == 404
    url = reverse("risks:withdraw", args=[cast.a.pk, "issues", issue.pk])
    assert login(cast.users["secretary_b"]).post(url, {"reason": "x"}).status_code in (403, 404)
    issue.refresh_from_db()
    assert not issue.is_withdrawn
