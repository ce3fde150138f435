"""A missed quality objective: "Open a corrective action" on its follow-up creates the
nonconformity (origin: missed objective, text from the objective and the measurement) and
the follow-up's obligation on the agenda is done."""

import datetime as dt

from django.urls import reverse

from qms.agenda.models import Obligation
from qms.corrective.models import Nonconformity
from qms.objectives import services as objectives
from qms.objectives.tests.builders import measured, objective
from qms.organization.models import Unit


def _missed(cast):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    target = objective(cast.a, year=2025, status="issued", owner_unit=office)
    missed = measured(target, "2025-Q1", "91,5".replace(",", "."))
    follow_up = objectives.record_follow_up(
        missed, "Hồ sơ chờ ý kiến các sở quá hạn", dt.date(2025, 5, 15), cast.users["secretary"]
    )
    return target, follow_up


def _duty(follow_up):
    return Obligation.objects.get(source__endswith=f":follow_up:{follow_up.pk}")


def test_the_button_opens_the_nonconformity_and_closes_the_follow_ups_obligation(cast, login):
    target, follow_up = _missed(cast)
    assert _duty(follow_up).state == "open"
    client = login(cast.users["unit_head"])
    page = client.get(target.get_absolute_url()).content.decode()
    assert f'id="open-corrective-{follow_up.pk}"' in page
    url = reverse("corrective:from_follow_up", args=[cast.a.pk, follow_up.pk])
    response = client.post(url)
    nc = Nonconformity.objects.get(follow_up=follow_up)
    assert response.status_code == 302 and response.url == nc.get_absolute_url()
    assert nc.origin == "missed_objective" and nc.unit.name == "Văn phòng Sở"
    assert target.statement in nc.title and "91,5" in nc.description
    assert "Hồ sơ chờ ý kiến các sở quá hạn" in nc.description
    assert _duty(follow_up).state == "done"
    page = client.get(target.get_absolute_url()).content.decode()
    assert nc.number in page and f'id="open-corrective-{follow_up.pk}"' not in page
    client.post(url)  # twice: refused with a message, nothing more
    assert Nonconformity.objects.filter(follow_up=follow_up).count() == 1


def test_staff_and_another_agency_cannot_open_it(cast, login):
    target, follow_up = _missed(cast)
    url = reverse("corrective:from_follow_up", args=[cast.a.pk, follow_up.pk])
    assert login(cast.users["staff"]).post(url).status_code == 403
    assert (
        'id="open-corrective-'
        not in login(cast.users["staff"]).get(target.get_absolute_url()).content.decode()
    )
    other = reverse("corrective:from_follow_up", args=[cast.b.pk, follow_up.pk])
    assert login(cast.users["secretary_b"]).post(other).status_code == 404
    assert login(cast.users["secretary"]).get(url).status_code == 405
    assert not Nonconformity.objects.exists()
    assert _duty(follow_up).state == "open"
