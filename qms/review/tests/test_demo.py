"""The demo's management reviews: Hải Phòng's 2026 review compiled and still to be held,
Bình Sơn's two of 2024 held with their minutes signed and decisions carried out; loading again
changes nothing."""

import datetime as dt

from qms import demo
from qms.organization.models import Agency
from qms.review.models import ManagementReview, ReviewOutput

S = ManagementReview.Status


def test_the_demo_reviews(transactional_db):
    demo.load()
    hp = Agency.objects.get(name="Ban Quản lý Khu kinh tế Hải Phòng")
    bs = Agency.objects.get(name="Ủy ban nhân dân huyện Bình Sơn")
    pending = ManagementReview.objects.get(agency=hp)
    assert pending.status == S.COMPILED and pending.inputs.count() >= 10
    assert pending.paper.status == "draft"
    held = list(ManagementReview.objects.filter(agency=bs).order_by("meeting_on"))
    assert [r.held_on for r in held] == [dt.date(2024, 6, 25), dt.date(2024, 12, 20)]
    assert all(r.status == S.HELD and r.paper.is_issued for r in held)
    assert not ReviewOutput.objects.filter(review__agency=bs, done_on=None).exists()
    # The December review looks back on the June one and finds its decisions carried out.
    previous = held[1].inputs.get(key="previous_actions")
    assert ["Đã hoàn thành", "2"] in previous.figures
    count = ManagementReview.objects.count(), ReviewOutput.objects.count()
    demo.load()
    assert (ManagementReview.objects.count(), ReviewOutput.objects.count()) == count
