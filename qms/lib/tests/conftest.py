"""Every official document the product prints, built once per session from the demo data.

The demo is loaded inside a transaction that is rolled back, so the DOCX bytes are all that
is kept and the tests that read them need no database of their own.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction


@dataclass(frozen=True)
class Printed:
    kind: str  # committee decision, document-set decision, plan, progress report, …
    agency: str  # the abbreviation of the agency that prints it
    label: str
    docx: bytes


def _committee_decisions() -> list[Printed]:
    from qms.lib.officialdoc import build_docx
    from qms.organization.documents import build_document
    from qms.organization.models import CommitteeDecision

    decisions = CommitteeDecision.objects.select_related("agency", "replaces").order_by("pk")
    return [
        Printed("committee decision", d.agency.abbreviation, str(d), build_docx(build_document(d)))
        for d in decisions
    ]


def _document_sets() -> list[Printed]:
    from qms.documents.docx import set_decision_docx
    from qms.documents.models import DocumentSet

    sets = DocumentSet.objects.select_related("agency").order_by("pk")
    return [
        Printed("document-set decision", s.agency.abbreviation, str(s), set_decision_docx(s))
        for s in sets
    ]


def _plans() -> list[Printed]:
    from qms.lib.officialdoc import build_docx
    from qms.plans import documents, services
    from qms.plans.models import Plan

    printed = []
    for plan in Plan.objects.select_related("agency").order_by("pk"):
        rows = services.task_rows(plan, with_notes=True)
        abbr = plan.agency.abbreviation
        plan_docx = build_docx(documents.plan_document(plan, rows))
        report = documents.progress_document(plan, rows, dt.date(plan.year, 6, 20))
        printed.append(Printed("plan", abbr, str(plan), plan_docx))
        printed.append(Printed("progress report", abbr, str(plan), build_docx(report)))
    return printed


def _registers() -> list[Printed]:
    from qms.documents.docx import register_docx
    from qms.documents.models import Document
    from qms.organization.models import Agency

    printed = []
    for agency in Agency.objects.filter(documents__isnull=False).distinct().order_by("pk"):
        documents = Document.objects.filter(agency=agency).select_related(
            "owner_unit", "current_revision"
        )
        content = register_docx(agency, documents, dt.date(2026, 4, 1))
        printed.append(Printed("document register", agency.abbreviation, agency.name, content))
    return printed


def _procedures() -> list[Printed]:
    """The files of the TTHC procedures as the demo generated them (`procedure_docx`)."""
    from qms.documents.models import Kind, RevisionFile

    files = RevisionFile.objects.filter(
        revision__document__kind=Kind.TTHC_PROCEDURE, original_name__endswith=".docx"
    ).select_related("revision__document__agency")
    printed = []
    for each in files.order_by("pk"):
        with each.file.open("rb") as handle:
            content = handle.read()
        agency = each.revision.document.agency.abbreviation
        printed.append(Printed("controlled procedure", agency, each.original_name, content))
    return printed


@pytest.fixture(scope="session")
def demo_printed(django_db_setup, django_db_blocker) -> list[Printed]:
    from qms import demo

    with django_db_blocker.unblock(), transaction.atomic():
        demo.load()
        printed = [
            *_committee_decisions(),
            *_document_sets(),
            *_plans(),
            *_registers(),
            *_procedures(),
        ]
        transaction.set_rollback(True)
    return printed
