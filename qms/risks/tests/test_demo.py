"""The demo: both seed agencies' context, interested parties and risk registers with
treatments, one effectiveness check due in each, on the agenda."""

from django.urls import reverse

from qms import demo
from qms.agenda.models import Obligation
from qms.organization.models import Agency, User, today
from qms.risks import demo as risks_demo
from qms.risks import services
from qms.risks.models import (
    ContextIssue,
    ContextReview,
    InterestedParty,
    Risk,
    Treatment,
    TreatmentPlan,
)


def test_the_demo_gives_both_agencies_their_context_and_register(transactional_db, client):
    demo.load()  # every step, this app's included (qms/demo STEPS)
    for seed in (risks_demo.HP, risks_demo.BS):
        agency = Agency.objects.get(name=seed.agency)
        risks = Risk.objects.filter(agency=agency, year=seed.year)
        assert risks.count() == len(seed.rows)
        assert risks.filter(kind="opportunity").exists()
        assert ContextIssue.objects.filter(agency=agency, year=seed.year, side="internal").exists()
        assert InterestedParty.objects.filter(agency=agency, year=seed.year).count() >= 3
        assert ContextReview.objects.filter(agency=agency, year=seed.year).exists()
        treatments = list(Treatment.objects.filter(risk__agency=agency))
        assert any(t.checked_on for t in treatments)
        due = [t for t in treatments if services.check_is_due(t, today())]
        assert len(due) == 1
        assert (
            Obligation.objects.filter(
                agency=agency, kind="risks.effectiveness", state="open"
            ).count()
            == 1
        )
        assert any(r.assessments.count() == 2 for r in risks)
        assert TreatmentPlan.objects.filter(agency=agency, year=seed.year).exists()
    hp = Agency.objects.get(name=risks_demo.HP.agency)
    assert Risk.objects.filter(agency=hp, process__isnull=False).exists()
    client.force_login(User.objects.get(username="thuky.hp"))
    for url in (
        reverse("risks:register", args=[hp.pk]) + "?year=2026",
        reverse("risks:heat_map", args=[hp.pk]) + "?year=2026",
        reverse("risks:context", args=[hp.pk]) + "?year=2026",
        Risk.objects.filter(agency=hp).first().get_absolute_url(),
    ):
        assert client.get(url).status_code == 200
    risks_demo.load()  # a second call adds nothing
    assert Risk.objects.filter(agency=hp).count() == len(risks_demo.HP.rows)
