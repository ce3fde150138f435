"""Shared test cast: two provinces, an agency in each, a cast per role, and the DOST overseers.

Province P1 holds agency A (the one most tests act in), a second agency A2, and its DOST.
Province P2 holds agency B and its DOST. Everyone's password is PASSWORD.

The cast is written once per session, when the test database is created, and every test
sees it inside its own transaction (rolled back afterwards); `cast` hands each test its own
copy of the rows, so changes to the Python objects do not leak either. Tests that run as a
TransactionTestCase (`transactional_db`, `live_server`, browser tests) start, as before, from
an empty database that they empty again afterwards; the cast is then written anew."""

import copy
import datetime as dt
import os
import shutil
from dataclasses import dataclass

import pytest
from django.utils import timezone

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM
# calls from it in live-server tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Test@2026"


@dataclass
class Cast:
    a: object
    a2: object
    b: object
    dost1: object
    dost2: object
    users: dict


def _agency(province, name, **extra):
    from qms.organization.models import Agency

    defaults = {
        "kind": Agency.Kind.SPECIALISED_DEPARTMENT,
        "abbreviation": "SXD",
        "place_name": province.name,
        "head_title": "Giám đốc",
        "deputy_title": "Phó Giám đốc",
        "parent_agency_name": f"Ủy ban nhân dân tỉnh {province.name}",
    }
    defaults.update(extra)
    return Agency.objects.create(province=province, name=name, **defaults)


def make_person(agency, username, roles, *, unit=None, position="Chuyên viên", **membership):
    from qms.organization.models import Membership, User
    from qms.organization.services import set_roles

    user = User.objects.create_user(username, password=PASSWORD, full_name=username.title())
    m = Membership.objects.create(
        user=user, agency=agency, unit=unit, position=position, **membership
    )
    set_roles(m, roles)
    return user


def build_cast():
    from qms.organization.models import Province, Role, Unit, User

    p1 = Province.objects.create(name="Tỉnh Một")
    p2 = Province.objects.create(name="Tỉnh Hai")
    a = _agency(p1, "Sở Xây dựng Tỉnh Một")
    a2 = _agency(p1, "Sở Tư pháp Tỉnh Một", abbreviation="STP")
    b = _agency(p2, "Sở Xây dựng Tỉnh Hai")
    dost1 = _agency(p1, "Sở Khoa học và Công nghệ Tỉnh Một", abbreviation="SKHCN", is_dost=True)
    dost2 = _agency(p2, "Sở Khoa học và Công nghệ Tỉnh Hai", abbreviation="SKHCN", is_dost=True)
    office = Unit.objects.create(agency=a, name="Văn phòng Sở", kind=Unit.Kind.OFFICE)
    Unit.objects.create(agency=b, name="Văn phòng Sở", kind=Unit.Kind.OFFICE)
    users = {
        "head": make_person(a, "head", [Role.HEAD], position="Giám đốc"),
        "deputy": make_person(a, "deputy", [Role.DEPUTY_HEAD], position="Phó Giám đốc"),
        "secretary": make_person(a, "secretary", [Role.ISO_SECRETARY], unit=office),
        "unit_head": make_person(a, "unit_head", [Role.UNIT_HEAD], unit=office),
        "staff": make_person(a, "staff", [Role.STAFF], unit=office),
        "auditor": make_person(a, "auditor", [Role.INTERNAL_AUDITOR]),
        "expert": make_person(
            a,
            "expert",
            [Role.INVITED_EXPERT],
            expires_on=timezone.localdate() + dt.timedelta(days=30),
        ),
        "expired_expert": make_person(
            a,
            "expired_expert",
            [Role.INVITED_EXPERT],
            expires_on=timezone.localdate() - dt.timedelta(days=1),
        ),
        "overseer": make_person(dost1, "overseer", [Role.PROVINCE_OVERSEER]),
        "overseer2": make_person(dost2, "overseer2", [Role.PROVINCE_OVERSEER]),
        "secretary_b": make_person(b, "secretary_b", [Role.ISO_SECRETARY]),
    }
    users["admin"] = User.objects.create_superuser("admin", password=PASSWORD, full_name="Quản trị")
    return Cast(a=a, a2=a2, b=b, dost1=dost1, dost2=dost2, users=users)


class _Session:
    """The cast as written in the test database, while that database exists.

    `rows` is None when the database does not hold the cast: before it is created, and
    between a test that empties the database and the rewrite after it."""

    rows: Cast | None = None
    blocker = None


def _empty_database():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def _empties_the_database(item) -> bool:
    """Whether pytest-django runs this test as a TransactionTestCase (tables flushed after)."""
    from django.test import TestCase, TransactionTestCase
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    names = getattr(item, "fixturenames", ())
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names):
        return True
    cls = getattr(item, "cls", None)
    return (
        isinstance(cls, type)
        and issubclass(cls, TransactionTestCase)
        and not issubclass(cls, TestCase)
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, holding the cast for the whole session."""
    with django_db_blocker.unblock():
        from qms.organization.models import Province

        if Province.objects.exists():  # --reuse-db kept an earlier session's rows
            _empty_database()
        _Session.rows = build_cast()
    _Session.blocker = django_db_blocker
    yield
    _Session.rows = _Session.blocker = None


@pytest.fixture(autouse=True)
def _empty_database_for_transaction_tests(request):
    """A test that commits (live server, browser) starts from an empty database, as it
    always has; it flushes every table when it ends, and the cast is written again after."""
    if _empties_the_database(request.node):
        request.getfixturevalue("django_db_setup")
        if _Session.rows is not None:
            with _Session.blocker.unblock():
                _empty_database()
            _Session.rows = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        # Rewrite the cast once the flushing test's fixtures are all torn down; not after the
        # last test (the database is gone) nor before another test that empties it anyway.
        if (
            _Session.rows is None
            and _Session.blocker is not None
            and nextitem is not None
            and not _empties_the_database(nextitem)
        ):
            with _Session.blocker.unblock():
                _Session.rows = build_cast()


@pytest.fixture
def cast(db):
    if _Session.rows is None:  # a test that empties the database writes its own cast
        return build_cast()
    return copy.deepcopy(_Session.rows)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


# Real Chromium for browser tests: Debian's package, driven by Playwright.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Chromium must not reach for Google's services on this closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# One Chromium per module, not per session: Playwright's sync API keeps an asyncio loop running
# in the test thread while it is open, and every later asyncio.run() in that thread (pyHanko
# signing and validating PDFs) would fail with "cannot be called from a running event loop".
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium")
    if path is None:
        pytest.fail("Chromium is not installed: run `make test`, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


DEMO_PASSWORD = "Demo@2026"


def log_in(page, username, password=DEMO_PASSWORD):
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.fixture
def open_as(browser, live_server, transactional_db):
    """`open_as("thuky.hp")`: a page of its own in real Chromium, logged in as that demo
    person on the page they land on (their agency's overview; the province's for the Sở
    KH&CN); every context is closed after the test. The test loads the demo it needs first."""
    contexts = []

    def _open(username):
        context = browser.new_context(locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        log_in(page, username)
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield _open
    for context in contexts:
        context.close()
