"""Production refuses to start while a demo account still has the public demo password: the
deployment check fails and the WSGI application does not load, both naming the accounts and
saying how to fix it."""

import importlib

import pytest
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from qms.accounts.checks import check_demo_passwords
from qms.organization import demo
from qms.organization.models import User


@pytest.fixture
def demo_accounts(db):
    demo.load()
    return [username for username, _who in demo.DEMO_LOGINS]


def test_the_deployment_check_names_the_demo_accounts(demo_accounts, settings):
    settings.PRODUCTION = True
    [error] = check_demo_passwords()
    assert isinstance(error, Error) and error.id == "qms.accounts.E001"
    for username in demo_accounts:
        assert username in error.msg
    assert "changepassword" in error.msg
    with pytest.raises(SystemCheckError, match="thuky.hp"):
        call_command("check", "--deploy")


def test_the_wsgi_application_refuses_to_start(demo_accounts, settings):
    import qms.wsgi

    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match=r"admin, chuyenvien\.hp"):
        importlib.reload(qms.wsgi)


def test_it_starts_once_every_demo_password_is_changed_or_the_account_closed(
    demo_accounts, settings
):
    import qms.wsgi

    settings.PRODUCTION = True
    for user in User.objects.filter(username__in=demo_accounts):
        if user.username == "sokhcn.qn":
            user.is_active = False
        else:
            user.set_password("Mat-khau-rieng-2026")
        user.save()
    assert check_demo_passwords() == []
    importlib.reload(qms.wsgi)  # no error


def test_development_keeps_the_demo_accounts(demo_accounts, settings):
    settings.PRODUCTION = False
    assert check_demo_passwords() == []
