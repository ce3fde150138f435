"""Copy to the next year: open risks with their latest assessment, issues and parties as
drafts, in one go; a part the next year already has is left alone."""

from django.urls import reverse

from qms.risks import services
from qms.risks.models import ContextIssue, InterestedParty, Risk
from qms.risks.tests import factories as f


def test_it_copies_open_rows_with_their_latest_assessment(cast, login):
    secretary = cast.users["secretary"]
    open_risk = f.risk(cast.a, year=2025, likelihood=4, impact=4)
    services.reassess(open_risk, secretary, 2, 3, "Sau xử lý")
    closed = f.risk(cast.a, year=2025, description="Rủi ro đã đóng")
    Risk.objects.filter(pk=closed.pk).update(status=Risk.Status.CLOSED)
    f.issue(cast.a, year=2025)
    f.party(cast.a, year=2025)
    response = login(secretary).post(
        reverse("risks:copy_year", args=[cast.a.pk, 2025]), follow=True
    )
    page = response.content.decode()
    assert (
        "Đã chép sang năm 2026 làm bản nháp: 1 rủi ro, cơ hội, "
        "1 vấn đề nội bộ và bên ngoài, 1 bên quan tâm." in page
    )
    copy = Risk.objects.get(year=2026)
    assert (copy.likelihood, copy.impact, copy.level, copy.is_draft) == (2, 3, 6, True)
    assert copy.status == Risk.Status.IDENTIFIED and copy.copied_from == open_risk
    assert copy.assessments.get().note == "Chuyển tiếp từ năm 2025"
    assert ContextIssue.objects.get(year=2026).is_draft
    assert InterestedParty.objects.get(year=2026).is_draft


def test_it_copies_only_the_parts_the_next_year_lacks(cast, login):
    f.risk(cast.a, year=2025)
    f.issue(cast.a, year=2025)
    f.risk(cast.a, year=2026, description="Đã có")
    client = login(cast.users["secretary"])
    page = client.post(
        reverse("risks:copy_year", args=[cast.a.pk, 2025]), follow=True
    ).content.decode()
    assert "Không chép vì năm 2026 đã có: 1 rủi ro, cơ hội." in page
    assert Risk.objects.filter(year=2026).count() == 1
    assert ContextIssue.objects.filter(year=2026).count() == 1
    # Again: everything is there now, so nothing is copied and it says so.
    page = client.post(
        reverse("risks:copy_year", args=[cast.a.pk, 2025]), follow=True
    ).content.decode()
    assert "Không có nội dung nào được chép" in page
    assert ContextIssue.objects.filter(year=2026).count() == 1
