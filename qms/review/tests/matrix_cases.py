"""Write screens of the management review in the permission matrix
(qms/organization/tests/matrix.py): the meeting, its inputs and its decisions are kept by the
ISO secretary (MANAGE_REVIEW); the minutes are signed on the paperwork panel."""

import datetime as dt

from django.urls import reverse

from qms.organization.access import Action
from qms.organization.tests.matrix import Case, World
from qms.review import services
from qms.review.models import ManagementReview


def _review(world: World) -> ManagementReview:
    def make() -> ManagementReview:
        review = ManagementReview(
            agency=world.agency, meeting_on=dt.date(2026, 6, 20), chair=world.cast.users["head"]
        )
        return services.plan_review(review, [])

    return world.once("review", make)


def _new(world: World):
    url = reverse("review:new", args=[world.agency.pk])
    return "post", url, {"meeting_on": "10/12/2026", "chair": world.cast.users["head"].pk}


def _compile(world: World):
    return "post", reverse("review:compile", args=[world.agency.pk, _review(world).pk]), {}


def _output(world: World):
    url = reverse("review:output_new", args=[world.agency.pk, _review(world).pk])
    data = {
        "kind": "improvement",
        "description": "Số hóa hồ sơ lưu trữ",
        "owner_unit": world.unit.pk,
        "due_on": "31/12/2026",
    }
    return "post", url, data


CASES = [
    Case("a management review planned", Action.MANAGE_REVIEW, _new),
    Case("the review's inputs compiled", Action.MANAGE_REVIEW, _compile),
    Case("a decision of the review", Action.MANAGE_REVIEW, _output),
]
