"""Real Chromium, the whole demo: every main page fits the screen of a 1366 px laptop and of a
390 px phone, without a horizontal scrollbar on the page itself (a wide table scrolls inside
its own box). On the laptop the header stays on one line; on the phone it folds behind the
menu button, the plan's tasks read as cards and the calendar lists the month's days.

With QMS_SHOTS set, every page is also saved as /tmp/shots/<page>-<width>.png (full page)."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from conftest import log_in
from qms import demo
from qms.agenda.models import Obligation
from qms.documents.models import Document, DocumentSet, LegalDocument, Revision
from qms.organization.models import Agency
from qms.paperwork.models import Paper
from qms.plans.models import Plan, PlanTask

pytestmark = pytest.mark.browser

HAI_PHONG = "Ban Quản lý Khu kinh tế Hải Phòng"
LAPTOP = (1366, 768)
PHONE = (390, 844)
SHOTS = Path("/tmp/shots")


@pytest.fixture
def demo_site(browser, live_server, transactional_db):
    demo.load()
    return live_server.url


def main_pages():
    """(who, [(page name, address)]) for every main page of the product, in the demo."""
    agency = Agency.objects.get(name=HAI_PHONG)
    a = agency.pk
    plan = Plan.objects.filter(agency=agency).order_by("-year").first()
    task = PlanTask.objects.filter(plan=plan).order_by("order").first()
    document = Document.objects.filter(agency=agency).order_by("code").first()
    revision = Revision.objects.filter(document__agency=agency).order_by("pk").first()
    legal = LegalDocument.objects.filter(agency=agency).order_by("pk").first()
    document_set = DocumentSet.objects.filter(agency=agency).order_by("pk").first()
    paper = Paper.objects.filter(agency=agency, status=Paper.Status.ISSUED).order_by("pk").first()
    assert all((plan, task, document, revision, legal, document_set, paper))
    secretary = [
        ("dashboard", reverse("organization:dashboard", args=[a])),
        ("units", reverse("organization:unit_list", args=[a])),
        ("people", reverse("organization:person_list", args=[a])),
        ("committee", reverse("organization:committee", args=[a])),
        ("documents", reverse("documents:list", args=[a])),
        ("document", document.get_absolute_url()),
        ("revision", revision.get_absolute_url()),
        ("search", reverse("documents:list", args=[a]) + "?q=quy+trinh+cap+giay+phep"),
        ("document-sets", reverse("documents:sets", args=[a])),
        ("document-set", document_set.get_absolute_url()),
        ("unread", reverse("documents:unread", args=[a])),
        ("legal", reverse("documents:legal_list", args=[a])),
        ("legal-text", legal.get_absolute_url()),
        ("legal-reviews", reverse("documents:legal_reviews", args=[a])),
        ("plans", reverse("plans:list", args=[a])),
        ("plan", plan.get_absolute_url()),
        ("timeline", reverse("plans:timeline", args=[a, plan.pk])),
        ("task", task.get_absolute_url()),
        ("plan-events", reverse("plans:events", args=[a])),
        ("calendar", reverse("agenda:calendar", args=[a]) + "?scope=all"),
        ("my-work", reverse("agenda:mine", args=[a])),
        ("agency-work", reverse("agenda:agency", args=[a])),
        ("inbox", reverse("agenda:inbox")),
        ("notifications", reverse("agenda:notifications")),
        ("paperwork", reverse("paperwork:register", args=[a])),
        ("paper", paper.get_absolute_url()),
        ("history", reverse("organization:history", args=[a, "agency", a])),
        ("my-account", reverse("accounts:me")),
    ]
    overseer = [("province", reverse("organization:province_home"))]
    admin = [
        ("administration", reverse("organization:agency_admin")),
        ("agency-form", reverse("organization:agency_edit", args=[a])),
        ("province-form", reverse("organization:province_edit", args=[agency.province_id])),
    ]
    return [("thuky.hp", secretary), ("sokhcn.hp", overseer), ("admin", admin)]


def open_page(browser, base_url, size):
    width, height = size
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = base_url
    return page


def visit(page, address):
    page.goto(f"{page.base_url}{address}")
    # The bell fills in after the page (htmx): measure the header as the user sees it.
    if page.locator("#notification-bell").count():
        page.wait_for_selector("#notification-bell [data-bs-toggle]", state="attached")


def overflow(page):
    """How many pixels the page is wider than the window (0 when it fits)."""
    width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return width - window


def shoot(page, name, width):
    if os.environ.get("QMS_SHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def measure_every_page(browser, base_url, size):
    """The pages that are wider than the window, as "name (width px): N px too wide"."""
    width = size[0]
    problems = []
    page = open_page(browser, base_url, size)
    visit(page, reverse("login"))
    if overflow(page) > 0:
        problems.append(f"login ({width} px): {overflow(page)} px too wide")
    shoot(page, "login", width)
    page.context.close()
    for username, pages in main_pages():
        page = open_page(browser, base_url, size)
        log_in(page, username)
        page.wait_for_load_state()
        for name, address in pages:
            visit(page, address)
            assert page.locator("main").count() == 1, f"{name}: {page.url} is not a page"
            if overflow(page) > 0:
                problems.append(f"{name} ({width} px): {overflow(page)} px too wide")
            if width >= 1200:
                header = page.locator("#site-header").bounding_box()
                if header["height"] > 70:
                    problems.append(f"{name} ({width} px): header on more than one line")
            shoot(page, name, width)
        page.context.close()
    return problems


def test_every_main_page_fits_a_laptop_screen_and_the_header_stays_on_one_line(browser, demo_site):
    assert measure_every_page(browser, demo_site, LAPTOP) == []
    page = open_page(browser, demo_site, LAPTOP)
    log_in(page, "thuky.hp")
    page.wait_for_url("**/agencies/*/")
    assert page.locator(".navbar-toggler").is_hidden()
    page.locator("#user-menu > button").click()
    log_out = page.locator("#user-menu").get_by_role("button", name="Đăng xuất")
    box = log_out.bounding_box()
    assert box["x"] + box["width"] <= LAPTOP[0]  # the menu opens inside the window
    assert box["height"] < 40  # "Đăng xuất" on one line
    page.context.close()


def test_every_main_page_fits_a_phone_screen(browser, demo_site):
    assert measure_every_page(browser, demo_site, PHONE) == []


def test_on_a_phone_the_menu_folds_and_plan_and_calendar_read_down_the_screen(browser, demo_site):
    agency = Agency.objects.get(name=HAI_PHONG)
    plan = Plan.objects.filter(agency=agency).order_by("-year").first()
    page = open_page(browser, demo_site, PHONE)
    log_in(page, "thuky.hp")
    page.wait_for_url("**/agencies/*/")

    # The header: the links wait behind the menu button, which opens them (Bootstrap's script
    # under the Content-Security-Policy).
    plans_menu = page.locator("#mainnav").get_by_role("button", name="Kế hoạch", exact=True)
    assert plans_menu.is_hidden()
    page.get_by_role("button", name="Trình đơn").click()
    plans_menu.wait_for(state="visible")
    assert page.locator("#inbox-link").is_visible()
    plans_menu.click()  # the plans and the planning of the quality (policy, objectives, risks)
    page.locator("#mainnav").get_by_role("link", name="Kế hoạch, chương trình ISO").click()
    page.wait_for_url(f"**{reverse('plans:list', args=[agency.pk])}")

    # The plan's tasks: one card a task, its due date named and whole, nothing cut off.
    visit(page, plan.get_absolute_url())
    task = page.locator("#tasks tbody tr").first
    due = task.locator(".due")
    assert due.is_visible()
    assert page.evaluate(
        "getComputedStyle(document.querySelector('#tasks .due'), '::before').content"
    ).startswith('"Thời hạn gần nhất')
    content_box = task.locator("td").nth(1).bounding_box()
    assert content_box["width"] > PHONE[0] / 2  # the text runs across the screen
    due_box = due.bounding_box()
    assert due_box["x"] + due_box["width"] <= PHONE[0]
    assert due_box["height"] < 40  # 31/12/2026 on one line

    # The calendar: no seven columns, the month's days with something due one under another.
    dated = Obligation.objects.filter(agency=agency, due_date__isnull=False).exclude(
        state=Obligation.State.CANCELLED
    )
    month = dated.order_by("due_date").first().due_date
    visit(page, reverse("agenda:calendar", args=[agency.pk]) + f"?scope=all&month={month:%Y-%m}")
    assert page.locator("#calendar-grid").is_hidden()
    days = page.locator("#calendar-list section")
    assert days.count() >= 1
    first = days.first
    assert first.get_attribute("data-date").startswith(f"{month:%Y-%m}")
    heading = first.locator("h2").inner_text()
    assert heading.startswith("Thứ ") or heading.startswith("Chủ nhật"), heading
    assert f"/{month:%m/%Y}" in heading
    item = first.locator("li").first
    assert item.get_by_role("link").is_visible()
    assert item.locator(".badge").inner_text() in {"chưa hoàn thành", "quá hạn", "hoàn thành"}
    page.context.close()
