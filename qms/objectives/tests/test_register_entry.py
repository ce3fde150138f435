"""The register's "Chính sách chất lượng" and "Mục tiêu chất lượng" are the records' own
documents: each signed decision brings a revision into force there, and no second copy."""

import datetime as dt

from django.urls import reverse

from qms.documents.models import Document, Kind, Revision
from qms.objectives import services
from qms.objectives.models import QualityObjective
from qms.objectives.tests.builders import objective
from qms.objectives.tests.test_rules import _issue
from qms.paperwork import services as paperwork


def test_each_signed_policy_is_the_revision_in_force_of_the_register_entry(cast, login):
    existing = Document.objects.create(
        agency=cast.a, kind=Kind.QUALITY_POLICY, code="CS.01", title="Chính sách chất lượng"
    )
    first = services.draft_policy(cast.a, "Chính sách lần 1")
    _issue(first, cast, dt.date(2026, 1, 5))
    first.refresh_from_db()
    existing.refresh_from_db()
    # The agency's own entry, not a new one; in force from the decision's date, signed by it.
    assert Document.objects.filter(agency=cast.a, kind=Kind.QUALITY_POLICY).count() == 1
    assert existing.current_revision == first.revision
    revision = first.revision
    assert revision.status == Revision.Status.ISSUED and revision.revision_no == 1
    assert revision.effective_on == dt.date(2026, 1, 5)
    assert revision.approved_by == cast.users["head"]
    assert (
        "Quyết định số 03/" in revision.summary and revision.record_url == first.get_absolute_url()
    )

    second = services.draft_policy(cast.a, "Chính sách lần 2")
    paperwork.save_draft(second.paper, signer=cast.users["head"], signer_name="Head")
    paperwork.offer_for_signature(second, cast.users["secretary"])
    paperwork.issue(second.paper, number=9, issued_on=dt.date(2026, 2, 5), by=cast.users["head"])
    second.refresh_from_db()
    revision.refresh_from_db()
    assert revision.status == Revision.Status.SUPERSEDED
    assert second.revision.revision_no == 2 and second.revision.status == Revision.Status.ISSUED

    client = login(cast.users["staff"])
    page = client.get(second.get_absolute_url()).content.decode()
    assert reverse("documents:revision", args=[cast.a.pk, second.revision.pk]) in page
    page = client.get(reverse("documents:revision", args=[cast.a.pk, second.revision.pk]))
    assert second.get_absolute_url() in page.content.decode()


def test_the_year_objectives_get_an_entry_when_the_agency_has_none(cast):
    objective(cast.a, status=QualityObjective.Status.ACCEPTED)
    objective_set = services.year_set(cast.a, 2026)
    _issue(objective_set, cast)
    objective_set.refresh_from_db()
    entry = objective_set.revision.document
    assert (entry.kind, entry.code, entry.status) == (
        Kind.QUALITY_OBJECTIVES,
        "MT.ISO.01",
        "in_force",
    )
    assert "Mục tiêu chất lượng năm 2026" in objective_set.revision.summary
