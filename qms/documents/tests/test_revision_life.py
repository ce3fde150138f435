"""The life of a revision: draft → in review → approved → issued → superseded / withdrawn,
every illegal step refused, one revision in force, and document sets giving the plan its
event date."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation
from docx import Document as Docx

from qms.agenda.models import Obligation
from qms.documents import services
from qms.documents.models import Document, DocumentSet, Kind, Revision
from qms.lib.uploads import OFFICE_FILES, check_upload
from qms.organization.tests.factories import issued
from qms.plans import services as plan_services

S = Revision.Status
D = dt.date


def docx_upload(text="Quy trình đánh giá nội bộ", name="QT-02.docx"):
    document = Docx()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return check_upload(SimpleUploadedFile(name, buffer.getvalue()), OFFICE_FILES)


def make_document(agency, code="QT-02", kind=Kind.SYSTEM_PROCEDURE, **extra):
    extra.setdefault("title", f"Quy trình {code}")
    return Document.objects.create(agency=agency, kind=kind, code=code, **extra)


def approved_revision(cast, document):
    """A revision of `document` drafted by the secretary, reviewed by the deputy and
    approved by the head."""
    users = cast.users
    revision = services.new_revision(document, users["secretary"])
    services.add_file(revision, docx_upload(), users["secretary"])
    services.submit(revision, users["secretary"])
    services.mark_reviewed(revision, users["deputy"])
    services.approve(revision, users["head"])
    revision.refresh_from_db()
    return revision


def refused(change, *args, **kwargs):
    """The change is refused with a message (read in English, the msgids)."""
    with translation.override("en"), pytest.raises(ValidationError) as error:
        change(*args, **kwargs)
    return " ".join(error.value.messages)


@pytest.fixture
def document(cast):
    return make_document(cast.a)


def test_it_walks_the_whole_life_and_signs_the_grid(cast, document):
    users = cast.users
    revision = approved_revision(cast, document)
    assert revision.status == S.APPROVED
    assert revision.drafted_by == users["secretary"]
    assert revision.reviewed_by == users["deputy"]
    assert revision.approved_by == users["head"]
    services.issue(revision, D(2026, 3, 1), D(2026, 3, 15))
    document.refresh_from_db()
    revision.refresh_from_db()
    assert revision.status == S.ISSUED
    assert document.status == Document.Status.IN_FORCE
    assert document.current_revision == revision
    # The next periodic review falls 12 months after it takes effect, on the agenda.
    assert document.next_review_on == D(2027, 3, 15)
    review = Obligation.objects.get(source=f"documents.reviews:{cast.a.pk}:{document.pk}")
    assert review.due_date == D(2027, 3, 15)


def test_it_refuses_every_illegal_transition(cast, document):
    users = cast.users
    revision = services.new_revision(document, users["secretary"])
    # Draft: no review, approval or issue; no submission without a file.
    refused(services.mark_reviewed, revision, users["deputy"])
    refused(services.approve, revision, users["head"])
    refused(services.issue, revision, D(2026, 1, 1), D(2026, 1, 1))
    refused(services.send_back, revision, users["deputy"], "Sửa lại")
    assert "file" in refused(services.submit, revision, users["secretary"])
    assert Revision.objects.get(pk=revision.pk).status == S.DRAFT
    services.add_file(revision, docx_upload(), users["secretary"])
    services.submit(revision, users["secretary"])
    # In review: no second submission, no upload, no approval before the review, no issue,
    # and the drafter does not review their own work.
    refused(services.submit, revision, users["secretary"])
    refused(services.add_file, revision, docx_upload(), users["secretary"])
    refused(services.approve, revision, users["head"])
    refused(services.issue, revision, D(2026, 1, 1), D(2026, 1, 1))
    refused(services.mark_reviewed, revision, users["secretary"])
    services.mark_reviewed(revision, users["deputy"])
    refused(services.mark_reviewed, revision, users["head"])
    services.approve(revision, users["head"])
    # Approved: not approved twice; it cannot take effect before it is issued.
    refused(services.approve, revision, users["head"])
    refused(services.issue, revision, D(2026, 2, 1), D(2026, 1, 31))
    services.issue(revision, D(2026, 2, 1), D(2026, 2, 1))
    # Issued: no going back, no second issue, no new submission.
    refused(services.send_back, revision, users["deputy"], "Sửa lại")
    refused(services.issue, revision, D(2026, 3, 1), D(2026, 3, 1))
    refused(services.submit, revision, users["secretary"])
    refused(services.withdraw, revision, users["head"], "  ")
    services.withdraw(revision, users["head"], "Không còn áp dụng")
    # Withdrawn: final.
    refused(services.withdraw, revision, users["head"], "Lần nữa")
    refused(services.issue, revision, D(2026, 3, 1), D(2026, 3, 1))
    document.refresh_from_db()
    assert document.status == Document.Status.WITHDRAWN
    assert document.current_revision is None


def test_sending_back_needs_comments_and_clears_the_signatures(cast, document):
    users = cast.users
    revision = services.new_revision(document, users["secretary"])
    services.add_file(revision, docx_upload(), users["secretary"])
    services.submit(revision, users["secretary"])
    services.mark_reviewed(revision, users["deputy"])
    assert "changed" in refused(services.send_back, revision, users["head"], " ")
    services.send_back(revision, users["head"], "Bổ sung căn cứ Nghị định 118/2025/NĐ-CP")
    revision.refresh_from_db()
    assert revision.status == S.DRAFT
    assert revision.reviewed_by is None and revision.approved_by is None
    comment = revision.comments.get()
    assert comment.sent_back and "118/2025" in comment.text


def test_only_one_revision_is_in_force(cast, document):
    first = approved_revision(cast, document)
    services.issue(first, D(2025, 1, 1), D(2025, 1, 1))
    second = approved_revision(cast, document)
    assert second.revision_no == 2
    services.issue(second, D(2026, 5, 1), D(2026, 5, 10))
    first.refresh_from_db()
    second.refresh_from_db()
    document.refresh_from_db()
    assert first.status == S.SUPERSEDED and first.ended_on == D(2026, 5, 10)
    assert second.status == S.ISSUED
    assert document.current_revision == second
    assert document.revisions.filter(status=S.ISSUED).count() == 1
    # The database refuses a second issued revision even if code forgot the rule.
    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.filter(pk=first.pk).update(status=S.ISSUED)


def test_one_revision_is_prepared_at_a_time(cast, document):
    services.new_revision(document, cast.users["secretary"])
    assert "already" in refused(services.new_revision, document, cast.users["secretary"])


@pytest.fixture
def plan(cast):
    from qms.plans.models import PlanTask

    plan = plan_services.create_plan(cast.a, year=2026, title="Kế hoạch duy trì ISO 2026")
    PlanTask.objects.create(
        plan=plan,
        order=5,
        content="Tổ chức đánh giá nội bộ",
        timing={
            "parts": [{"kind": "month", "month": 7}],
            "alternative": {"event": "document_set_effective", "offset_days": 30},
        },
    )
    return plan


SET_EFFECTIVE, SET_SIGNED = dt.date(2026, 11, 10), dt.date(2026, 11, 3)


def _new_set(agency, title, effective_on=SET_EFFECTIVE):
    return services.create_set(
        agency, title=title, effective_on=effective_on, signer_name="Nguyễn Văn A"
    )


def _issue_set(cast, document_set, number=45, signed_on=SET_SIGNED):
    document_set.revisions.update(approved_on=D(2026, 11, 1))  # approved before signing
    services.issue_set(document_set, number=number, signed_on=signed_on, by=cast.users["head"])


def test_a_document_set_brings_its_revisions_into_force_and_dates_the_plan(cast, plan):
    from qms.plans import services as plans

    old = make_document(cast.a, "QT-01")
    first = approved_revision(cast, old)
    services.issue(first, D(2024, 1, 1), D(2024, 1, 1))
    second = approved_revision(cast, old)
    fresh = approved_revision(cast, make_document(cast.a, "QT-03"))
    document_set = _new_set(cast.a, "Bộ tài liệu 2026")
    services.add_to_set(document_set, second)
    services.add_to_set(document_set, fresh)
    _issue_set(cast, document_set)
    for revision in (first, second, fresh):
        revision.refresh_from_db()
    assert first.status == S.SUPERSEDED
    assert second.status == fresh.status == S.ISSUED
    assert second.effective_on == D(2026, 11, 10) and second.document_set == document_set
    # The plan's internal audit now falls 30 days after the set takes effect.
    (row,) = plans.task_rows(plan, D(2026, 11, 22))
    assert row.next_due == D(2026, 12, 10)
    assert plan.events.get().occurred_on == D(2026, 11, 10)


def test_a_document_set_refuses_what_is_not_ready(cast, plan):
    document_set = _new_set(cast.a, "Bộ tài liệu 2026")
    assert "at least one" in refused(_issue_set, cast, document_set)
    draft = services.new_revision(make_document(cast.a, "QT-04"), cast.users["secretary"])
    services.add_to_set(document_set, draft)
    assert "QT-04" in refused(_issue_set, cast, document_set)
    services.remove_from_set(document_set, draft)
    services.add_to_set(document_set, approved_revision(cast, make_document(cast.a, "QT-05")))
    refused(_issue_set, cast, document_set, signed_on=D(2026, 11, 11))  # after taking effect
    # The number is taken by a committee decision of the same year: one numbering.
    issued(cast.a, ["An"], 45, D(2026, 2, 1))
    assert "45" in refused(_issue_set, cast, document_set)
    _issue_set(cast, document_set, number=46)
    document_set = DocumentSet.objects.get(pk=document_set.pk)
    assert document_set.paper.is_issued
    assert "already" in refused(_issue_set, cast, document_set, number=47)
    other = _new_set(cast.a, "Khác")
    late = approved_revision(cast, make_document(cast.a, "QT-06"))
    refused(services.add_to_set, document_set, late)  # an issued set is closed
    # Another agency's revision never joins.
    foreign = services.new_revision(make_document(cast.b, "QT-01"), cast.users["secretary_b"])
    refused(services.add_to_set, other, foreign)


def test_confirming_reading_is_for_a_revision_in_force_and_counts_once(cast, document):
    revision = approved_revision(cast, document)
    refused(services.confirm_reading, revision, cast.users["staff"])
    services.issue(revision, D(2026, 1, 5), D(2026, 1, 5))
    assert services.confirm_reading(revision, cast.users["staff"]) is True
    assert services.confirm_reading(revision, cast.users["staff"]) is False
    assert revision.confirmations.count() == 1
