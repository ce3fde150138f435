"""The demo is one package with an explicit order: `manage.py load_demo` runs every app's
demo module in that order, in one transaction, and a step that fails leaves nothing behind."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from qms import demo
from qms.documents.models import DocumentSet
from qms.organization.models import Agency
from qms.plans.models import Plan


def test_the_order_puts_each_step_after_what_it_reads():
    # plans read the agencies' committee decisions; documents record the plan event of a new
    # document set, so they come after the plans.
    assert demo.STEPS.index("qms.organization.demo") < demo.STEPS.index("qms.plans.demo")
    assert demo.STEPS.index("qms.plans.demo") < demo.STEPS.index("qms.documents.demo")


@pytest.mark.django_db
def test_load_demo_runs_every_step(capsys):
    call_command("load_demo")
    assert Agency.objects.filter(name__icontains="Bình Sơn").exists()
    assert Plan.objects.filter(year=2026).exists()
    assert DocumentSet.objects.exists()


@pytest.mark.django_db
def test_a_failing_step_leaves_nothing(monkeypatch):
    def broken() -> None:
        raise RuntimeError("step failed")

    from qms.documents import demo as documents_demo

    monkeypatch.setattr(documents_demo, "load", broken)
    with pytest.raises(RuntimeError):
        demo.load()
    assert not Agency.objects.filter(name__icontains="Bình Sơn").exists()
    assert not Plan.objects.exists()
