"""A nonconformity found by an internal audit opens its corrective action once, with the
finding's facts; the management review reads audits and corrective actions among its inputs."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qms.audits.tests import builders as audits
from qms.corrective import services
from qms.corrective.models import Nonconformity, Origin, Severity
from qms.review import services as review
from qms.review.models import ManagementReview


def test_a_nonconformity_finding_opens_its_corrective_action_once(cast, login):
    audit = audits.planned(cast)
    found = audits.finding(audit, cast.users["auditor"], kind="major", clause="9.2")
    page = login(cast.users["staff"]).get(found.get_absolute_url()).content.decode()
    url = reverse("corrective:from_finding", args=[cast.a.pk, found.pk])
    assert url in page  # staff may report a nonconformity
    response = login(cast.users["staff"]).post(url)
    nc = Nonconformity.objects.get(finding=found)
    assert response.status_code == 302 and response.url == nc.get_absolute_url()
    assert (nc.origin, nc.severity, nc.clause, nc.unit_id) == (
        Origin.INTERNAL_AUDIT,
        Severity.MAJOR,
        "9.2",
        found.unit_id,
    )
    assert nc.description == found.description and nc.raised_by == cast.users["staff"]
    page = login(cast.users["staff"]).get(found.get_absolute_url()).content.decode()
    assert nc.get_absolute_url() in page and url not in page
    login(cast.users["staff"]).post(url)  # a second press opens nothing
    assert Nonconformity.objects.filter(finding=found).count() == 1


def test_only_a_nonconformity_opens_one_and_only_for_the_agency(cast, login):
    audit = audits.planned(cast)
    strength = audits.finding(audit, cast.users["auditor"], kind="strength")
    with pytest.raises(ValidationError):
        services.open_from_finding(strength, cast.users["secretary"])
    minor = audits.finding(audit, cast.users["auditor"], kind="minor")
    other = reverse("corrective:from_finding", args=[cast.b.pk, minor.pk])
    assert login(cast.users["secretary_b"]).post(other).status_code == 404
    expert = reverse("corrective:from_finding", args=[cast.a.pk, minor.pk])
    assert login(cast.users["expert"]).post(expert).status_code == 403
    assert not Nonconformity.objects.exists()


def test_the_review_reads_audits_and_corrective_actions(cast):
    held = audits.held(cast)
    audits.finding(held, cast.users["auditor"], kind="minor")
    found = audits.finding(held, cast.users["auditor"], kind="observation")
    services.open_from_finding(
        audits.finding(held, cast.users["auditor"], kind="major"), cast.users["secretary"]
    )
    meeting = ManagementReview(agency=cast.a, meeting_on=dt.date.today(), chair=cast.users["head"])
    meeting = review.plan_review(meeting, [])
    review.compile_inputs(meeting)
    audit_input = meeting.inputs.get(key="audits")
    assert ["Cuộc đánh giá", "1"] in audit_input.figures
    assert "2 điểm không phù hợp" in audit_input.text and found.audit.title in str(
        audit_input.links
    )
    corrective = meeting.inputs.get(key="corrective")
    assert ["Phát sinh trong kỳ", "1"] in corrective.figures
    assert [i.key for i in meeting.inputs.order_by("order")].index("corrective") == 5
