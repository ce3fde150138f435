"""Real Chromium (issue 14 §1's journey): the ISO secretary drafts the year's programme, plans
an audit and its team (an auditor of an audited unit is refused by name), copies the checklist
from the question banks, the deputy head signs the plan, the secretary records an answer and a
finding, records the audit as held, and the signed report locks it."""

import pytest
from playwright.sync_api import expect

from qms import demo
from qms.audits.models import Audit
from qms.organization.models import Agency, User
from qms.paperwork import services as paperwork

pytestmark = pytest.mark.browser
YEAR = 2025  # a year without a programme in the demo, whose June has passed


def _name_signer(record) -> None:  # type: ignore[no-untyped-def]
    deputy = User.objects.get(username="lanhdao.hp")
    paperwork.save_draft(
        record.paper,
        signer=deputy,
        signer_name=deputy.full_name,
        signer_position="Phó Trưởng ban",
        sign_form="kt",
    )


def _issue(page, section: str, day: str, agency) -> None:  # type: ignore[no-untyped-def]
    number = paperwork.next_number(agency, "agency", YEAR)
    page.locator(f"{section} #issue-form #id_number").fill(str(number))
    page.locator(f"{section} #issue-form #id_issued_on").fill(day)
    page.locator(f"{section} #issue-form button[type=submit]").click()


def test_programme_audit_team_checklist_finding_report(open_as):
    demo.load()
    agency = Agency.objects.get(name="Ban Quản lý Khu kinh tế Hải Phòng")
    base = f"/agencies/{agency.pk}/audits"

    # 1. The year has no programme: the page warns; the secretary drafts one.
    secretary = open_as("thuky.hp")
    secretary.goto(f"{secretary.base_url}{base}/programme/?year={YEAR}")
    expect(secretary.locator("#no-programme")).to_contain_text(
        f"Chưa có chương trình đánh giá nội bộ năm {YEAR}"
    )
    secretary.locator("#create-programme").click()
    expect(secretary.locator("#uncovered")).to_contain_text("Phòng Quản lý đầu tư")
    secretary.locator("#row-form #id_unit").select_option(label="Phòng Quản lý đầu tư")
    secretary.locator("#row-form label", has_text="6").first.click()
    secretary.locator("#row-form button[type=submit]").click()
    expect(secretary.locator("#programme-grid")).to_contain_text("Phòng Quản lý đầu tư")
    expect(secretary.locator("#uncovered")).not_to_contain_text("Phòng Quản lý đầu tư")

    # 2. An audit of the investment division and the office.
    secretary.locator("#new-audit").click()
    secretary.locator("#id_title").fill(f"Đánh giá nội bộ năm {YEAR}")
    secretary.locator("#id_starts_on").fill(f"10/06/{YEAR}")
    secretary.locator("#id_ends_on").fill(f"12/06/{YEAR}")
    secretary.get_by_label("Phòng Quản lý đầu tư").check()
    secretary.get_by_label("Văn phòng Ban Quản lý").check()
    secretary.get_by_label("7.5 Thông tin dạng văn bản").check()
    secretary.get_by_label("8.5 Cung cấp dịch vụ").check()
    secretary.get_by_role("button", name="Lưu").click()
    expect(secretary.locator("#audit-status")).to_have_text("Đang lập kế hoạch")

    # 3. The team: the secretary works in the office, so she may not audit it.
    secretary.locator("#id_person").select_option(label="Phạm Thị Thu Hà")
    secretary.locator("#team-form button[type=submit]").click()
    expect(secretary.locator(".alert-danger")).to_contain_text(
        "Phạm Thị Thu Hà không được đánh giá Văn phòng Ban Quản lý: đây là đơn vị của chính "
        "người đó."
    )
    expect(secretary.locator("#team-list")).to_contain_text("Chưa chọn chuyên gia đánh giá.")
    secretary.locator("#id_person").select_option(label="Hoàng Văn Dũng")
    secretary.locator("#id_is_lead").check()
    secretary.locator("#team-form button[type=submit]").click()
    expect(secretary.locator("#team-list")).to_contain_text("Hoàng Văn Dũng")
    expect(secretary.locator("#team-list")).to_contain_text("Trưởng đoàn đánh giá")

    # 4. The checklist, copied from the question banks of its clauses.
    secretary.locator("#build-checklist").click()
    expect(secretary.locator("#checklist")).to_contain_text(
        "Tài liệu sử dụng tại đơn vị có phải là bản đang có hiệu lực không?"
    )

    # 5. The plan, drafted, submitted, signed by the deputy head before the audit.
    secretary.locator("#draft-plan").click()
    audit = Audit.objects.get(agency=agency, title=f"Đánh giá nội bộ năm {YEAR}")
    _name_signer(audit.plan)
    secretary.reload()
    secretary.locator("#plan #step-submit").click()
    leader = open_as("lanhdao.hp")
    leader.goto(f"{leader.base_url}{base}/{audit.pk}/")
    _issue(leader, "#plan", f"03/06/{YEAR}", agency)
    expect(leader.locator("#audit-status")).to_have_text("Đã ban hành kế hoạch")

    # 6. An answer and a finding recorded during the audit.
    secretary.goto(f"{secretary.base_url}{base}/{audit.pk}/")
    first = secretary.locator(".answer-form").first
    first.locator("select[name=answer]").select_option(label="Không phù hợp")
    first.locator("input[name=evidence]").fill("Hồ sơ số 07 dùng biểu mẫu cũ")
    first.locator("button[type=submit]").click()
    expect(secretary.locator("#checklist")).to_contain_text("Hồ sơ số 07 dùng biểu mẫu cũ")
    secretary.locator("#new-finding").click()
    secretary.locator("#id_kind").select_option(label="Điểm không phù hợp nhẹ")
    secretary.locator("#id_clause").select_option(label="7.5 Thông tin dạng văn bản")
    secretary.locator("#id_unit").select_option(label="Phòng Quản lý đầu tư")
    secretary.locator("#id_description").fill(
        "Hồ sơ số 07 sử dụng biểu mẫu đã hết hiệu lực của quy trình."
    )
    secretary.get_by_role("button", name="Lưu").click()
    expect(secretary.locator("#finding-kind")).to_have_text("Điểm không phù hợp nhẹ")
    expect(secretary.locator("#corrective-action")).to_be_visible()

    # 7. Held, then the report: drafted, submitted, signed; the audit is locked.
    secretary.goto(f"{secretary.base_url}{base}/{audit.pk}/")
    secretary.locator("#step-hold").click()
    expect(secretary.locator("#audit-status")).to_have_text("Đã tiến hành")
    secretary.locator("#draft-report").click()
    audit.refresh_from_db()
    _name_signer(audit.report)
    secretary.reload()
    secretary.locator("#report #step-submit").click()
    leader.goto(f"{leader.base_url}{base}/{audit.pk}/")
    _issue(leader, "#report", f"20/06/{YEAR}", agency)
    expect(leader.locator("#audit-status")).to_have_text("Đã ký báo cáo")
    expect(leader.locator("#locked")).to_be_visible()
    secretary.goto(f"{secretary.base_url}{base}/{audit.pk}/")
    expect(secretary.locator("#new-finding")).to_have_count(0)
