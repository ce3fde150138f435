"""Real Chromium (issue 13's journey): a head of unit proposes a unit objective serving an
agency objective; the ISO secretary accepts it into the year's objectives; the deputy head
records the year's decision as signed on the paperwork panel; a quarter's result arrives and
misses the target; the follow-up "needs corrective action" is recorded."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from qms import demo
from qms.objectives.models import ObjectiveSet, QualityObjective
from qms.organization.models import Agency, User
from qms.paperwork import services as paperwork

pytestmark = pytest.mark.browser
YEAR = 2025  # a year whose quarters have all ended, with no decision in the demo


def test_a_unit_objective_from_proposal_to_its_follow_up(open_as):
    demo.load()
    agency = Agency.objects.get(name="Ban Quản lý Khu kinh tế Hải Phòng")
    QualityObjective.objects.create(
        agency=agency,
        year=YEAR,
        statement="Giải quyết hồ sơ TTHC đúng và trước hạn",
        indicator="Tỷ lệ hồ sơ đúng hạn",
        target=Decimal("98"),
        status=QualityObjective.Status.ACCEPTED,
    )

    # 1. The head of the investment division proposes the unit's objective.
    head_of_unit = open_as("truongphong.hp")
    head_of_unit.goto(f"{head_of_unit.base_url}/agencies/{agency.pk}/objectives/?year={YEAR}")
    head_of_unit.locator("#new-objective").click()
    head_of_unit.locator("#id_unit").select_option(label="Phòng Quản lý đầu tư")
    head_of_unit.locator("#id_parent").select_option(
        label="Giải quyết hồ sơ TTHC đúng và trước hạn"
    )
    head_of_unit.locator("#id_statement").fill("Giải quyết 100% hồ sơ đầu tư đúng hạn")
    head_of_unit.locator("#id_indicator").fill("Tỷ lệ hồ sơ của phòng giải quyết đúng hạn")
    head_of_unit.locator("#id_target").fill("100")
    head_of_unit.get_by_role("button", name="Lưu").click()
    expect(head_of_unit.locator("#objective-status")).to_have_text("Dự thảo")
    head_of_unit.locator("#step-propose").click()
    expect(head_of_unit.locator("#objective-status")).to_have_text("Đã đề xuất")
    detail = head_of_unit.url

    # 2. The ISO secretary accepts it into the year's objectives.
    secretary = open_as("thuky.hp")
    secretary.goto(detail)
    secretary.locator("#step-accept").click()
    expect(secretary.locator("#objective-status")).to_have_text("Đã tổng hợp vào mục tiêu năm")
    objective_set = ObjectiveSet.objects.get(agency=agency, year=YEAR)
    deputy = User.objects.get(username="lanhdao.hp")
    paperwork.save_draft(
        objective_set.paper,
        signer=deputy,
        signer_name=deputy.full_name,
        signer_position="Phó Trưởng ban",
        sign_form="kt",
    )
    secretary.goto(f"{secretary.base_url}/agencies/{agency.pk}/objectives/?year={YEAR}")
    secretary.locator("#paper-steps #step-submit").click()
    expect(secretary.locator("#paper-status")).to_have_text("Đã trình ký")

    # 3. The deputy head records the decision as signed: the objectives are issued.
    leader = open_as("lanhdao.hp")
    leader.goto(f"{leader.base_url}/agencies/{agency.pk}/objectives/?year={YEAR}")
    leader.locator("#issue-form button[type=submit]").click()
    expect(leader.locator("#paper-status")).to_have_text("Đã ban hành")
    expect(leader.locator("#objectives-table")).to_contain_text("Giải quyết 100% hồ sơ đầu tư")
    expect(leader.locator("#objectives-table .badge", has_text="Đã ban hành")).to_have_count(2)

    # 4. A quarter's result arrives and misses the target.
    head_of_unit.goto(detail)
    head_of_unit.locator("#id_measure-period").select_option(label=f"Quý I/{YEAR}")
    head_of_unit.locator("#id_measure-value").fill("97,5")
    head_of_unit.get_by_role("button", name="Ghi nhận kết quả").click()
    expect(head_of_unit.locator(f"#period-{YEAR}-Q1")).to_contain_text("Không đạt")

    # 5. The follow-up is recorded: the corrective action it needs, by a date.
    missed = head_of_unit.locator(f"#missed-{YEAR}-Q1")
    missed.get_by_label(re.compile("^Nguyên nhân và nội dung cần khắc phục")).fill(
        "Hồ sơ chờ ý kiến thẩm định của các sở quá hạn"
    )
    missed.get_by_label(re.compile("^Hạn mở hành động khắc phục")).fill(
        (dt.date.today() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    )
    missed.get_by_role("button", name="Ghi nhận: cần hành động khắc phục").click()
    expect(head_of_unit.locator(f"#missed-{YEAR}-Q1")).to_contain_text("Cần hành động khắc phục")
    head_of_unit.goto(f"{head_of_unit.base_url}/agencies/{agency.pk}/objectives/?year={YEAR}")
    expect(head_of_unit.locator("#missed-table")).to_contain_text("Hồ sơ chờ ý kiến thẩm định")
