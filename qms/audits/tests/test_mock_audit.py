"""The mock audit (đánh giá thử, issue 14 § 4): proposed 15 days before the province's
inspection notice; invited experts on its team record findings and nothing else, until their
access ends; holding it is not the year's internal audit but fulfils the plan's task."""

import datetime as dt

from django.urls import reverse

from qms.audits import services
from qms.audits.models import Audit, Finding
from qms.audits.tests import builders as b
from qms.audits.tests.test_pages import _finding_data
from qms.organization.access import access_for
from qms.organization.models import Membership
from qms.plans import fulfilment
from qms.plans import services as plans
from qms.plans.models import Plan

D = dt.date


def _plan_with_notice(cast, notice: dt.date) -> Plan:
    plan = plans.create_plan(cast.a, year=notice.year, title="Kế hoạch ISO")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ISSUED)
    plans.record_event(plan, "inspection_notice", notice, cast.users["secretary"])
    return plan


def test_the_mock_audit_is_proposed_15_days_before_the_inspection_notice(cast, login):
    programme = b.programme(cast.a, 2026)
    url = reverse("audits:new", args=[cast.a.pk, programme.pk]) + "?kind=mock"
    client = login(cast.users["secretary"])
    assert 'value="mock" selected' in client.get(url).content.decode()
    assert services.mock_audit_day(cast.a, 2026) is None  # no notice yet
    _plan_with_notice(cast, D(2026, 11, 20))
    page = client.get(url).content.decode()
    assert services.mock_audit_day(cast.a, 2026) == D(2026, 11, 5)
    assert 'value="05/11/2026"' in page


def test_an_invited_expert_on_the_team_records_findings_until_the_access_ends(cast, login):
    expert = cast.users["expert"]
    b.qualify(cast.a, expert, number="CG-07/2026")
    audit = b.planned(cast, lead=expert, kind=Audit.Kind.MOCK, title="Đánh giá thử")
    url = reverse("audits:finding_new", args=[cast.a.pk, audit.pk])
    assert login(expert).post(url, _finding_data(audit)).status_code == 302
    assert Finding.objects.filter(audit=audit, recorded_by=expert).count() == 1
    # Reading and recording findings only: nothing else of the agency changes.
    raise_one = reverse("corrective:new", args=[cast.a.pk])
    assert login(expert).post(raise_one, {"title": "x"}).status_code == 403
    # The access ends on its date: then nothing of the agency is even visible.
    Membership.objects.filter(user=expert, agency=cast.a).update(expires_on=D(2020, 1, 1))
    assert login(expert).post(url, _finding_data(audit)).status_code == 404
    assert login(expert).get(audit.get_absolute_url()).status_code == 404
    assert Finding.objects.filter(audit=audit, recorded_by=expert).count() == 1


def test_holding_a_mock_audit_is_not_the_internal_audit_but_fulfils_its_task(cast):
    plan = _plan_with_notice(cast, D(2026, 11, 20))
    audit = b.planned(cast, kind=Audit.Kind.MOCK, title="Đánh giá thử")
    services.hold(audit, access_for(cast.users["secretary"], cast.a))
    assert not plan.events.filter(event="internal_audit_held").exists()
    assert "audits.audit" in [kind.key for kind in fulfilment.kinds()]
    found = fulfilment.resolve(cast.a, f"audits.audit:{audit.pk}")
    assert found is not None and found[1] == audit.get_absolute_url()
    assert found[0].endswith(str(audit))
    assert fulfilment.resolve(cast.b, f"audits.audit:{audit.pk}") is None
