"""A control character stored in a title years ago (a vertical tab pasted from Word) never
turns an export into a server error: the committee decision, the document set and the plan
download as DOCX, and as PDF where LibreOffice is installed, with every text field of the
record holding one; so does the register of documents."""

import io

import docx
import pytest
from django.db.models import CharField, Model, TextField
from django.urls import reverse

from qms.documents import services, starter
from qms.documents.models import Document, DocumentSet, Kind
from qms.lib.downloads import DOCX_TYPE, PDF_TYPE
from qms.lib.pdf import soffice_available
from qms.organization.models import CommitteeDecision, CommitteeMember, CommitteeRole
from qms.organization.tests.factories import draft_with_members
from qms.plans import services as plan_services
from qms.plans.models import Column, Plan, PlanTask

BAD = "\x0b\x01\x08\x1b\x1f\ufffe"
NOT_TEXT = {"fulfilled_by", "record_type", "record_url", "signed_copy_type", "signed_copy_sha256"}
# registry keys, links and checksums: not text a user typed


def poison(record: Model) -> None:
    """Every free-text field of `record` gets the control characters, empty ones too."""
    for field in record._meta.concrete_fields:
        if not isinstance(field, CharField | TextField) or field.choices:
            continue
        if field.name in NOT_TEXT:
            continue
        value = getattr(record, field.attname) or "Nội dung"
        setattr(record, field.attname, f"{value[:40]}{BAD}")
    record.save()


def committee_decision(agency) -> CommitteeDecision:
    decision = draft_with_members(agency, [])
    for order in (1, 2):
        member = CommitteeMember.objects.create(
            agency=agency,
            decision=decision,
            full_name="Nguyễn Văn A",
            committee_role=CommitteeRole.CHAIR if order == 1 else CommitteeRole.MEMBER,
            order=order,
        )
        poison(member)
    poison(decision)
    poison(decision.paper)
    return decision


def placeholder_docx() -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def document_set(cast) -> DocumentSet:
    users = cast.users
    document_set = services.create_set(cast.a, title="Bộ tài liệu ISO", effective_on=None)
    for code in ("CS.ISO.01", "QT.ISO.01"):
        document = Document.objects.create(
            agency=cast.a, kind=Kind.SYSTEM_PROCEDURE, code=code, title="Quy trình"
        )
        poison(document)
        revision = services.new_revision(document, users["secretary"], summary="Ban hành")
        starter.attach_docx(revision, placeholder_docx(), users["secretary"])
        services.submit(revision, users["secretary"])
        services.mark_reviewed(revision, users["deputy"])
        services.approve(revision, users["head"])
        poison(revision)
        services.add_to_set(document_set, revision)
    poison(document_set)
    poison(document_set.paper)
    return document_set


def plan(agency) -> Plan:
    plan = plan_services.create_plan(agency, year=2026, title="Duy trì HTQLCL năm 2026")
    plan.columns = [str(column) for column in Column]
    plan.column_titles = {str(column): f"Cột{BAD}" for column in [*Column, "order", "content"]}
    task = PlanTask.objects.create(
        plan=plan,
        order=1,
        content="Kiện toàn Ban Chỉ đạo ISO",
        timing={"parts": [{"kind": "month", "month": 1}]},
        lead_kind="committee",
    )
    poison(task)
    poison(plan)
    poison(plan.paper)
    return plan


def assert_downloads(client, url_name: str, args: list[int], formats: dict[str, str]) -> None:
    for what, content_type in formats.items():
        response = client.get(reverse(url_name, args=[*args, what]))
        assert response.status_code == 200, (url_name, what, response.status_code)
        assert response["Content-Type"] == content_type
        if content_type == DOCX_TYPE:
            text = "".join(t.text or "" for t in docx.Document(io.BytesIO(response.content))
                           .element.iter())  # fmt: skip
            assert not set(BAD) & set(text)


@pytest.fixture
def formats() -> dict[str, str]:
    """DOCX always; PDF where LibreOffice is installed (elsewhere the PDF button explains)."""
    return {"docx": DOCX_TYPE, **({"pdf": PDF_TYPE} if soffice_available() else {})}


def test_a_committee_decision_with_control_characters_downloads(cast, login, formats) -> None:
    decision = committee_decision(cast.a)
    client = login(cast.users["secretary"])
    assert_downloads(client, "organization:decision_document", [cast.a.pk, decision.pk], formats)


def test_a_document_set_with_control_characters_downloads(cast, login, formats) -> None:
    each = document_set(cast)
    client = login(cast.users["secretary"])
    assert_downloads(client, "documents:set_export", [cast.a.pk, each.pk], formats)
    register = {"docx": DOCX_TYPE, "xlsx": "application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet"}  # fmt: skip
    assert_downloads(client, "documents:export", [cast.a.pk], register)


def test_a_plan_with_control_characters_downloads(cast, login, formats) -> None:
    each = plan(cast.a)
    client = login(cast.users["secretary"])
    assert_downloads(client, "plans:export", [cast.a.pk, each.pk], formats)
    assert_downloads(client, "plans:export", [cast.a.pk, each.pk], {"progress-docx": DOCX_TYPE})
