"""The demo: the agencies of the two seed plans (Sở Xây dựng Hải Phòng, UBND xã Bình Sơn) with
their people, committees, plans, documents and the work waiting in every role's inbox.

Each app keeps its demo content in its own `demo` module with a `load()`; this package says
in which order they run, because each step reads what the earlier ones made (plans need the
agencies and their committee decisions; documents record the plan event "Bộ tài liệu ISO mới
có hiệu lực" and fulfil plan tasks). A new app adds its module to STEPS after what it reads.
"""

from __future__ import annotations

from importlib import import_module

from django.db import transaction

STEPS: tuple[str, ...] = (
    "qms.organization.demo",  # provinces, agencies, units, people, logins, committees
    "qms.plans.demo",  # both seed plans, issued, with progress and events
    "qms.documents.demo",  # document sets, procedures, legal register, reading, reviews
    "qms.procedures.demo",  # TTHC catalogue, each agency's subset, steps, a year of results
    "qms.objectives.demo",  # quality policy, objectives of the agency and units, measurements
    "qms.risks.demo",  # context, interested parties, risk registers with their treatments
    "qms.audits.demo",  # audit programmes, audits with teams, checklists, findings, reports
    "qms.corrective.demo",  # nonconformities: Hải Phòng's open ones, Bình Sơn's closed
    "qms.review.demo",  # management reviews: Hải Phòng's to come, Bình Sơn's two of 2024
    "qms.training.demo",  # Hải Phòng's Q3/2026 ISO update course, an internal auditor course
)


def is_loaded() -> bool:
    """Whether the database already holds agencies (the demo's or real ones)."""
    from qms.organization import demo

    return demo.is_loaded()


@transaction.atomic
def load() -> None:
    """Every step in order, in one transaction: a failure leaves the database as it was."""
    for name in STEPS:
        import_module(name).load()
