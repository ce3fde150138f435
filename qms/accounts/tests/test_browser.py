"""Real Chromium under the Content-Security-Policy: the main pages load with no violation
(no inline script, style or on…= handler anywhere), and Bootstrap, htmx and the site's own
script still work. Also the lockout page and the invitation, as a person meets them."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from conftest import log_in
from qms.organization import demo
from qms.organization.models import Agency, CommitteeDecision, Membership
from qms.plans import demo as plans_demo

pytestmark = pytest.mark.browser

# Every violation is reported to the page as an event; the init script runs outside the
# page's policy and keeps them for the test.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' +
                    (e.sourceFile || '') + ':' + e.lineNumber);
});
"""


@pytest.fixture
def open_as(browser, live_server, transactional_db):
    demo.load()
    plans_demo.load()  # the plan pages carry the richest tables
    contexts = []

    def _open(username=None):
        context = browser.new_context(locale="vi-VN")
        contexts.append(context)
        context.add_init_script(WATCH)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        page.console_errors = []
        page.on(
            "console",
            lambda m: m.type == "error" and page.console_errors.append(m.text),
        )
        if username:
            log_in(page, username)
            page.wait_for_load_state()
        return page

    yield _open
    for context in contexts:
        context.close()


def visit(page, path):
    page.goto(f"{page.base_url}{path}")
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__csp")
    console = [text for text in page.console_errors if "Content Security Policy" in text]
    page.console_errors.clear()
    return violations + console


def secretary_pages():
    agency = Agency.objects.get(name="Ban Quản lý Khu kinh tế Hải Phòng")
    a = agency.pk
    me = Membership.objects.get(user__username="thuky.hp", agency=agency)
    paths = [
        reverse("organization:dashboard", args=[a]),
        reverse("organization:unit_list", args=[a]),
        reverse("organization:person_list", args=[a]),
        reverse("organization:person_create", args=[a]),
        reverse("organization:person_edit", args=[a, me.pk]),
        reverse("organization:history", args=[a, "membership", me.pk]),
        reverse("organization:committee", args=[a]),
        reverse("plans:list", args=[a]),
        reverse("documents:list", args=[a]),
        reverse("documents:sets", args=[a]),
        reverse("documents:legal_list", args=[a]),
        reverse("documents:legal_reviews", args=[a]),
        reverse("agenda:mine", args=[a]),
        reverse("agenda:calendar", args=[a]),
        reverse("agenda:feed"),
        reverse("agenda:notifications"),
        reverse("accounts:me"),
        reverse("accounts:password_change"),
    ]
    decision = CommitteeDecision.objects.filter(agency=agency).first()
    if decision is not None:
        paths.append(decision.get_absolute_url())
        paths.append(reverse("organization:decision_edit", args=[a, decision.pk]))
    from qms.plans.models import Plan

    plan = Plan.objects.filter(agency=agency).first()
    if plan is not None:
        paths.append(plan.get_absolute_url())
    return paths


def test_the_main_pages_load_without_a_policy_violation(open_as):
    anonymous = open_as()
    found = {}
    for path in (reverse("login"), reverse("accounts:password_reset")):
        found[path] = visit(anonymous, path)
    page = open_as("thuky.hp")
    for path in secretary_pages():
        found[path] = visit(page, path)
    admin = open_as("admin")
    for path in ("/admin/", "/admin/organization/user/", "/admin/axes/accessattempt/"):
        found[path] = visit(admin, path)
    bad = {path: v for path, v in found.items() if v}
    for path, v in bad.items():
        print("VIOLATION", path, v)
    assert bad == {}


def test_bootstrap_htmx_and_the_site_script_work_under_the_policy(open_as):
    page = open_as("thuky.hp")
    visit(page, reverse("accounts:me"))
    # Bootstrap: the user menu opens and leads to the password change
    page.locator("#user-menu > button").click()
    page.locator("#user-menu").get_by_role("link", name="Đổi mật khẩu").click()
    page.wait_for_url("**/accounts/password/")
    # htmx: the notification bell replaced its placeholder with the fragment it loaded
    page.wait_for_selector("#notification-bell [data-bs-toggle]", state="attached")
    assert page.evaluate("window.__csp") == []
    # the site script: a form with data-confirm asks before it is sent
    visit(page, reverse("agenda:feed"))
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.locator("form[data-confirm] button").click()
    assert questions and "Tạo địa chỉ mới?" in questions[0]
    assert page.url.endswith(reverse("agenda:feed"))


def test_a_person_is_locked_out_and_reads_why(open_as):
    page = open_as()
    for _ in range(5):
        log_in(page, "thuky.hp", password="sai-mat-khau")
    log_in(page, "thuky.hp")  # the right password, too late
    assert page.get_by_role("heading", name="Tạm khóa đăng nhập").is_visible()
    assert "30 phút" in page.locator("#locked-out").inner_text()


def test_a_new_person_accepts_the_invitation_and_logs_in(open_as, live_server, settings):
    settings.SITE_URL = live_server.url
    secretary = open_as("thuky.hp")
    agency = Agency.objects.get(name="Ban Quản lý Khu kinh tế Hải Phòng")
    secretary.goto(f"{live_server.url}{reverse('organization:person_create', args=[agency.pk])}")
    secretary.fill("#id_username", "nguyen.van.moi")
    secretary.fill("#id_full_name", "Nguyễn Văn Mới")
    secretary.fill("#id_email", "moi@example.vn")
    secretary.locator("input[name=roles][value=staff]").check()
    secretary.get_by_role("button", name="Lưu").click()
    secretary.wait_for_url("**/people/")
    assert "chưa kích hoạt" in secretary.locator("table").inner_text()
    link = re.search(r"http\S+/accounts/invitation/\S+/", mail.outbox[-1].body).group(0)
    person = open_as()
    person.goto(link)
    person.fill("#id_new_password1", "Hoa-Sen-Ho-Tay-2026")
    person.fill("#id_new_password2", "Hoa-Sen-Ho-Tay-2026")
    person.get_by_role("button", name="Lưu mật khẩu").click()
    assert person.get_by_role("heading", name="Tài khoản đã sẵn sàng").is_visible()
    log_in(person, "nguyen.van.moi", password="Hoa-Sen-Ho-Tay-2026")
    person.wait_for_url("**/agencies/*/")
    assert person.evaluate("window.__csp") == []
