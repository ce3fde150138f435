"""A search chooser in real Chromium: the secretary types a few letters of a name, without
diacritics, picks the person among the matches and adds them as a reader of a revision."""

import pytest
from playwright.sync_api import expect

from qms.documents import services
from qms.documents.tests.test_revision_life import make_document
from qms.organization import demo
from qms.organization.models import User

pytestmark = pytest.mark.browser


def test_the_secretary_finds_a_person_by_typing_and_adds_them_as_a_reader(open_as):
    demo.load()
    secretary = User.objects.get(username="thuky.hp")
    agency = secretary.memberships.get().agency
    revision = services.new_revision(make_document(agency, "QT-CHON"), secretary)
    page = open_as("thuky.hp")
    page.goto(page.base_url + revision.get_absolute_url())
    person = page.locator("#id_person")
    assert "Nguyễn Văn Chuẩn" not in page.locator("#id_person-choices").inner_text()
    # Focusing the box asks for the first rows ("focus once"): let that answer arrive before
    # typing, so a late answer to it cannot replace the matches the test then ticks.
    person.click()
    page.wait_for_load_state("networkidle")
    person.fill("nguyen van ch")
    chosen = page.locator("#id_person-choices label", has_text="Nguyễn Văn Chuẩn")
    chosen.locator("input").check()
    page.wait_for_load_state("networkidle")
    # Typing again keeps the person chosen, still checked, among the new matches.
    person.fill("pham")
    # The matches arrive after a short typing pause: wait for them, then for the tick.
    page.locator("#id_person-choices").get_by_text("Phạm").first.wait_for()
    expect(chosen.locator("input")).to_be_checked()
    page.get_by_role("button", name="Thêm", exact=True).click()
    assert "Nguyễn Văn Chuẩn" in page.locator("main").inner_text()
    assert revision.read_requirements.filter(person__full_name="Nguyễn Văn Chuẩn").exists()
