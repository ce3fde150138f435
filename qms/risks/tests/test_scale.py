"""The level bands and the action threshold, on each size of scale."""

import pytest
from django.core.exceptions import ValidationError

from qms.risks import services
from qms.risks.models import Band, RiskScale
from qms.risks.scale import band_of, band_range, default_scale, needs_action, scale_of
from qms.risks.tests import factories as f


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, Band.LOW),
        (4, Band.LOW),
        (5, Band.MEDIUM),
        (9, Band.MEDIUM),
        (10, Band.HIGH),
        (16, Band.HIGH),
        (17, Band.VERY_HIGH),
        (25, Band.VERY_HIGH),
    ],
)
def test_it_bands_a_five_level_score(score, band):
    assert band_of(default_scale(None, 5), score) == band


@pytest.mark.parametrize(
    ("score", "band"),
    [(2, Band.LOW), (3, Band.MEDIUM), (4, Band.MEDIUM), (6, Band.HIGH), (9, Band.VERY_HIGH)],
)
def test_it_bands_a_three_level_score(score, band):
    assert band_of(default_scale(None, 3), score) == band


def test_it_needs_action_from_the_threshold():
    scale = default_scale(None, 5)
    assert not needs_action(scale, 9)
    assert needs_action(scale, 10)
    assert band_range(scale, Band.HIGH) == (10, 16)
    assert band_range(scale, Band.VERY_HIGH) == (17, 25)


def test_it_reads_the_agency_scale_or_the_default(cast):
    assert scale_of(cast.a).levels == 5
    RiskScale.objects.create(
        agency=cast.a, levels=3, low_max=2, medium_max=4, high_max=6, threshold=5
    )
    assert scale_of(cast.a).threshold == 5


def test_it_refuses_a_smaller_scale_than_the_scores_in_use(cast):
    f.risk(cast.a, likelihood=5, impact=2)
    with pytest.raises(ValidationError, match="5"):
        services.save_scale(default_scale(cast.a, 3))
    assert not RiskScale.objects.filter(agency=cast.a).exists()


def test_the_scale_page_refuses_bands_that_do_not_rise(cast, login):
    client = login(cast.users["secretary"])
    data = {
        "levels": "5",
        "low_max": "9",
        "medium_max": "4",
        "high_max": "16",
        "threshold": "10",
        "check_after_days": "30",
    }
    from django.urls import reverse

    response = client.post(reverse("risks:scale", args=[cast.a.pk]), data)
    assert response.status_code == 200
    assert "Các mức phải tăng dần" in response.content.decode()
    assert not RiskScale.objects.filter(agency=cast.a).exists()


def test_the_secretary_chooses_a_three_level_scale(cast, login):
    from django.urls import reverse

    client = login(cast.users["secretary"])
    url = reverse("risks:scale", args=[cast.a.pk])
    assert client.get(url).status_code == 200
    data = {
        "levels": "3",
        "low_max": "2",
        "medium_max": "4",
        "high_max": "6",
        "threshold": "5",
        "check_after_days": "15",
    }
    assert client.post(url, data).status_code == 302
    scale = scale_of(cast.a)
    assert (scale.levels, scale.threshold, band_of(scale, 6)) == (3, 5, Band.HIGH)
    risk = f.risk(cast.a, likelihood=3, impact=2)
    page = client.get(risk.get_absolute_url()).content.decode()
    assert "6 – Cao" in page and "Cần có biện pháp xử lý" in page
    form = client.get(reverse("risks:reassess", args=[cast.a.pk, risk.pk])).content.decode()
    assert "3 – Cao" in form and "4 –" not in form
