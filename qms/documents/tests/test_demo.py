"""The demo documents tell the 2023–2026 story through the services, and load only once."""

import datetime as dt
import io

import docx
import pytest
from django.core.management import call_command
from django.utils import timezone

from qms.agenda.models import InboxItem, Obligation
from qms.documents import demo, services
from qms.documents import docx as dd
from qms.documents.models import (
    Citation,
    Document,
    DocumentSet,
    LegalBasisReview,
    LegalDocument,
    ReadConfirmation,
    Revision,
    RevisionFile,
)
from qms.organization import demo as organization_demo
from qms.organization.models import Agency
from qms.plans import demo as plans_demo
from qms.plans.models import Plan, PlanEvent

D = dt.date


@pytest.fixture
def agencies(db):
    organization_demo.load()
    plans_demo.load()
    demo.load()
    return (
        Agency.objects.get(name=demo.HP_NAME),
        Agency.objects.get(name=demo.BS_NAME),
    )


def test_hai_phong_tells_the_story_up_to_the_draft_set_of_2026(agencies):
    hp, _bs = agencies
    replaced = LegalDocument.objects.get(agency=hp, number="61/2018/NĐ-CP")
    assert replaced.status == LegalDocument.Status.REPLACED
    assert replaced.changed_by.number == "118/2025/NĐ-CP"
    flagged = Citation.objects.filter(legal_document=replaced, resolved_on__isnull=True)
    assert {c.document.code for c in flagged} == {
        "QT.DT.01",
        "QT.DT.02",
        "QT.LD.01",
        "QT.XD.01",
        "QT.VP.01",
    }
    assert {(c.flagged_on, c.due_on) for c in flagged} == {(D(2025, 7, 3), D(2025, 10, 1))}
    # The obligation to update them within 3 months shows in the agenda, overdue.
    updates = Obligation.objects.filter(agency=hp, kind=services.LEGAL_CHANGE_KIND)
    assert set(updates.values_list("due_date", flat=True)) == {D(2025, 10, 1)}
    assert updates.count() == 5

    issued = DocumentSet.objects.get(agency=hp, paper__status="issued")
    assert (issued.number, issued.signed_on, issued.effective_on) == (
        85,
        D(2024, 3, 18),
        D(2024, 4, 1),
    )
    assert (issued.paper.signer_name, issued.paper.sign_form) == ("Nguyễn Văn Chuẩn", "kt")
    draft = DocumentSet.objects.get(agency=hp, paper__status="draft")
    assert draft.title == "Bộ tài liệu ISO năm 2026" and draft.number is None
    states = sorted(draft.revisions.values_list("document__code", "revision_no", "status"))
    assert states == [
        ("QT.DT.01", 2, "approved"),
        ("QT.DT.02", 2, "approved"),
        ("QT.LD.01", 2, "reviewed"),
        ("QT.VP.01", 2, "approved"),
    ]
    plan = Plan.objects.get(agency=hp, year=2026, last_year=None)
    assert not PlanEvent.objects.filter(plan=plan, event="document_set_effective").exists()

    decision = "\n".join(
        p.text for p in docx.Document(io.BytesIO(dd.set_decision_docx(draft))).paragraphs
    )
    # Four of the documents of Decision 85 change: the draft amends part of the set, and the
    # register's entry for the draft says the same.
    assert "sửa đổi, bổ sung 04 tài liệu của Bộ tài liệu" in decision
    assert "ban hành kèm theo Quyết định số 85/QĐ-BQL ngày 18/03/2024" in decision
    assert "thay thế các phiên bản" in decision
    assert draft.paper.subject.startswith("Về việc sửa đổi, bổ sung 04 tài liệu")


def test_every_revision_has_its_file_and_the_records_of_distribution(agencies):
    hp, bs = agencies
    revisions = Revision.objects.filter(document__agency__in=agencies)
    assert not revisions.filter(files__isnull=True).exists()
    building = Document.objects.get(agency=hp, code="QT.XD.01").current_revision
    assert (building.issued_on, building.document_set_id) == (D(2025, 1, 10), None)
    first = Revision.objects.get(document__agency=hp, document__code="QT.DT.01", revision_no=1)
    assert (first.drafted_on, first.reviewed_on, first.approved_on) == (
        D(2024, 1, 15),
        D(2024, 2, 26),
        D(2024, 3, 11),
    )
    assert first.postings.filter(place="one_stop").exists()
    assert ReadConfirmation.objects.filter(revision=first).count() == 2
    reviews = LegalBasisReview.objects.filter(agency=hp)
    assert reviews.filter(result=LegalBasisReview.Result.CHANGES_FOUND).count() == 1
    assert Document.objects.get(agency=hp, code="QT.ISO.02").reviews.exists()
    second = Revision.objects.get(document__agency=hp, document__code="QT.DT.01", revision_no=2)
    stored = second.files.get()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(stored.file.read())).paragraphs)
    assert "118/2025/NĐ-CP" in text and "61/2018/NĐ-CP ngày" not in text
    assert "cam kết giải quyết trong 08 ngày làm việc" in text

    bs_set = DocumentSet.objects.get(agency=bs)
    assert (bs_set.paper.status, bs_set.number, bs_set.signed_on) == (
        "issued",
        1702,
        D(2023, 10, 10),
    )
    assert not Revision.objects.filter(document__agency=bs).exclude(status="issued").exists()
    assert Document.objects.filter(agency=bs).count() < Document.objects.filter(agency=hp).count()


def test_loading_again_changes_nothing(agencies):
    call_command("load_demo")  # every step: the later apps' demo hands work to inboxes too
    counts = (
        Document.objects.count(),
        Revision.objects.count(),
        RevisionFile.objects.count(),
        DocumentSet.objects.count(),
        LegalDocument.objects.count(),
        InboxItem.objects.count(),
    )
    call_command("load_demo")
    assert counts == (
        Document.objects.count(),
        Revision.objects.count(),
        RevisionFile.objects.count(),
        DocumentSet.objects.count(),
        LegalDocument.objects.count(),
        InboxItem.objects.count(),
    )


def _inbox(username):
    waiting = InboxItem.objects.filter(user__username=username).waiting(timezone.localdate())
    return {(i.kind, i.title.split(" ")[0]) for i in waiting}


def test_every_role_has_work_waiting(agencies):
    """End of November 2026: the secretary and the deputy head review the building permit
    procedure; the deputy head approves the work-permit one and issues the approved ones;
    heads of unit and staff read the new mail procedure; flagged procedures wait for their
    unit's head and the secretary."""
    secretary, deputy = _inbox("thuky.hp"), _inbox("lanhdao.hp")
    assert ("documents.revision.review", "QT.XD.01") in secretary & deputy
    assert ("documents.legal_change", "Cập") in secretary
    assert ("documents.revision.approve", "QT.LD.01") in deputy
    assert ("documents.revision.issue", "QT.DT.01") in deputy
    for reader in ("truongphong.hp", "chuyenvien.hp"):
        assert ("documents.reading", "QT.VP.02") in _inbox(reader)
    assert ("documents.legal_change", "Cập") in _inbox("truongphong.hp")
    # The drafter does not review what they drafted; a dissolved agency hands out nothing.
    assert ("documents.revision.review", "QT.XD.01") not in _inbox("qhxd.hp")
    assert _inbox("thuky.bs") == set()
    mail = Revision.objects.get(document__code="QT.VP.02", revision_no=2)
    due = Obligation.objects.get(
        source=f"documents.reading:{mail.pk}:{mail.confirmations.get().user_id}"
    )
    assert due.state == "done" and due.due_date == D(2026, 12, 4)
