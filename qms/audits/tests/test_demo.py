"""The demo: Hải Phòng's 2026 programme and audit held with its findings (report waiting for
signature); Bình Sơn's two audits of 2024, held, their reports signed; a second run adds
nothing; the pages open."""

from django.urls import reverse

from qms import demo
from qms.audits import demo as audits_demo
from qms.audits import queries
from qms.audits.models import Audit, AuditProgramme, Finding
from qms.organization.models import Agency, User
from qms.plans.models import PlanEvent


def test_the_demo_holds_both_agencies_audits(transactional_db, client):
    demo.load()  # every step, this app's included (qms/demo STEPS)
    hp = Agency.objects.get(name=audits_demo.HP)
    programme = AuditProgramme.objects.get(agency=hp, year=2026)
    assert programme.paper.is_issued and queries.uncovered_units(programme) == []
    (audit,) = Audit.objects.filter(agency=hp)
    assert audit.status == Audit.Status.HELD and not audit.report.paper.is_issued
    kinds = sorted(audit.findings.values_list("kind", flat=True))
    assert kinds == ["improvement", "minor", "minor", "observation", "strength"]
    assert audit.checklist.exclude(answer="").count() == 5
    assert PlanEvent.objects.filter(plan__agency=hp, event="internal_audit_held").exists()
    bs = Agency.objects.get(name=audits_demo.BS)
    held = Audit.objects.filter(agency=bs, starts_on__year=2024)
    assert held.count() == 2 and all(a.status == Audit.Status.REPORTED for a in held)
    assert all(a.report.paper.is_issued for a in held)
    review = queries.for_review(bs, audits_demo.D(2024, 1, 1), audits_demo.D(2024, 12, 31))
    assert len(review.audits) == 2 and review.nonconformities == 2
    before = (Audit.objects.count(), Finding.objects.count())
    audits_demo.load()
    assert (Audit.objects.count(), Finding.objects.count()) == before
    client.force_login(User.objects.get(username="thuky.hp"))
    finding = audit.findings.filter(kind="minor").first()
    for url in (
        reverse("audits:programme", args=[hp.pk]) + "?year=2026",
        reverse("audits:list", args=[hp.pk]),
        audit.get_absolute_url(),
        finding.get_absolute_url(),
        reverse("audits:auditors", args=[hp.pk]),
        reverse("audits:banks", args=[hp.pk]),
        reverse("audits:plan_docx", args=[hp.pk, audit.pk]),
        reverse("audits:report_docx", args=[hp.pk, audit.pk]),
        reverse("audits:programme_docx", args=[hp.pk, programme.pk]),
        reverse("audits:export", args=[hp.pk, 2026]),
    ):
        assert client.get(url).status_code == 200, url
