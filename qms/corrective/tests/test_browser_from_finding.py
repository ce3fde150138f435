"""Real Chromium: the link between issue 14's audit and corrective-action journeys — a minor
nonconformity found by Hải Phòng's 2026 internal audit (demo) opens its corrective action from
the finding's page, and each page then points to the other."""

import pytest
from playwright.sync_api import expect

from qms import demo
from qms.audits.models import Finding
from qms.corrective.models import Nonconformity

pytestmark = pytest.mark.browser


def test_a_finding_opens_its_corrective_action(open_as):
    demo.load()
    finding = Finding.objects.filter(
        agency__name="Ban Quản lý Khu kinh tế Hải Phòng", kind=Finding.Kind.MINOR
    ).first()
    assert finding is not None and not Nonconformity.objects.filter(finding=finding).exists()
    head = open_as("truongphong.hp")
    head.goto(head.base_url + finding.get_absolute_url())
    head.locator("#open-corrective").click()
    expect(head.locator("#nc-status")).to_have_text("Mới báo cáo")
    nc = Nonconformity.objects.get(finding=finding)
    expect(head.locator("#nc-number")).to_have_text(nc.number)
    expect(head.locator("body")).to_contain_text("Đánh giá nội bộ")
    head.goto(head.base_url + finding.get_absolute_url())
    expect(head.locator("#finding-nc")).to_have_text(nc.number)
    expect(head.locator("#open-corrective")).to_have_count(0)
