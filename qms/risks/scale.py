"""The agency's risk scale: its levels, the level bands and the action threshold. `band_of`
is the one function that says which band a score falls in."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qms.organization.models import Agency
from qms.risks.models import BAND_BADGES, DEFAULT_BANDS, Band, Risk, RiskScale

# Words for the levels of a 3- and a 5-level scale (the same words read for both axes).
LEVEL_WORDS: dict[int, tuple[Promise, ...]] = {
    3: (_("Low"), _("Medium"), _("High")),
    5: (_("Very low"), _("Low"), _("Medium"), _("High"), _("Very high")),
}


def default_scale(agency: Agency, levels: int = 5) -> RiskScale:
    low, medium, high, threshold = DEFAULT_BANDS[levels]
    return RiskScale(
        agency=agency,
        levels=levels,
        low_max=low,
        medium_max=medium,
        high_max=high,
        threshold=threshold,
    )


def scale_of(agency: Agency) -> RiskScale:
    """The agency's scale (one query), or the 5-level default when none has been saved."""
    found = RiskScale.objects.filter(agency=agency).first()
    return found if found is not None else default_scale(agency)


def band_of(scale: RiskScale, score: int) -> Band:
    """The band of `score` on `scale`: the one rule."""
    if score <= scale.low_max:
        return Band.LOW
    if score <= scale.medium_max:
        return Band.MEDIUM
    if score <= scale.high_max:
        return Band.HIGH
    return Band.VERY_HIGH


def band_range(scale: RiskScale, band: str) -> tuple[int, int]:
    """The lowest and highest score of `band` (for filters on the stored level)."""
    top = scale.levels * scale.levels
    bounds = {
        Band.LOW: (1, scale.low_max),
        Band.MEDIUM: (scale.low_max + 1, scale.medium_max),
        Band.HIGH: (scale.medium_max + 1, scale.high_max),
        Band.VERY_HIGH: (scale.high_max + 1, top),
    }
    return bounds[Band(band)]


def needs_action(scale: RiskScale, score: int) -> bool:
    return score >= scale.threshold


# An opportunity is first-class, not a negative risk: a high score is good news, so its
# bands read in blues and greens and crossing the threshold means "worth pursuing".
OPPORTUNITY_BADGES = {
    Band.LOW: "secondary",
    Band.MEDIUM: "info",
    Band.HIGH: "primary",
    Band.VERY_HIGH: "success",
}


@dataclass(frozen=True)
class Call:
    """What crossing the action threshold asks for, as the pages show it."""

    text: Promise
    below: Promise
    icon: str  # a Bootstrap icon name
    colour: str  # a Bootstrap text colour


CALLS = {
    Risk.Kind.RISK: Call(
        _("Action needed"), _("Below the action threshold"), "exclamation-triangle", "danger"
    ),
    Risk.Kind.OPPORTUNITY: Call(
        _("Worth pursuing"), _("Below the threshold for pursuing"), "lightbulb", "success"
    ),
}


@dataclass(frozen=True)
class Scored:
    """A score as the pages show it, in the colours of its kind."""

    score: int
    band: Band
    badge: str
    needs_action: bool
    call: Call

    @property
    def label(self) -> str:
        return str(self.band.label)


def badges_of(kind: str) -> dict[Band, str]:
    return OPPORTUNITY_BADGES if kind == Risk.Kind.OPPORTUNITY else BAND_BADGES


def scored(scale: RiskScale, score: int, kind: str = Risk.Kind.RISK) -> Scored:
    found = band_of(scale, score)
    return Scored(
        score, found, badges_of(kind)[found], needs_action(scale, score), CALLS[Risk.Kind(kind)]
    )


def axis_labels(kind: str) -> tuple[Promise, Promise]:
    """What the two axes read for a risk, and for an opportunity (benefit × feasibility)."""
    if kind == Risk.Kind.OPPORTUNITY:
        return _("Feasibility"), _("Benefit")
    return _("Likelihood"), _("Impact")


def level_choices(scale: RiskScale) -> list[tuple[int, str]]:
    words = LEVEL_WORDS[scale.levels]
    return [(n, f"{n} – {words[n - 1]}") for n in range(1, scale.levels + 1)]
