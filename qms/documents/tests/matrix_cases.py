"""The documents app's write screens in the permission matrix
(qms/organization/tests/matrix.py). A document, its revisions, who must read it, its citations
and their flags are its owner unit's; the legal register and document sets are the agency's."""

import datetime as dt
import itertools

from django.urls import reverse

from qms.documents import services
from qms.documents.models import Document, Kind, LegalDocument
from qms.organization.access import Action
from qms.organization.tests.matrix import Case, Owner, World

_codes = itertools.count(1)


def _url(name: str, world: World, *args: object) -> str:
    return reverse(f"documents:{name}", args=[world.agency.pk, *args])


def _document(world: World, **extra: object) -> Document:
    """A procedure in force, owned by the world's unit."""
    code = f"QT-M{next(_codes)}"
    fields = {
        "kind": Kind.TTHC_PROCEDURE,
        "title": f"Quy trình {code}",
        "status": Document.Status.IN_FORCE,
        "owner_unit": world.unit,
    }
    return Document.objects.create(agency=world.agency, code=code, **(fields | extra))


def _legal(world: World, number: str = "30/2020/NĐ-CP") -> LegalDocument:
    return LegalDocument.objects.create(
        agency=world.agency,
        number=f"{number}-{next(_codes)}",
        doc_type=LegalDocument.Type.DECREE,
        issuer="Chính phủ",
        title="Về công tác văn thư",
        issued_on=dt.date(2020, 3, 5),
        effective_on=dt.date(2020, 3, 5),
    )


def _draft(world: World):
    return services.new_revision(_document(world), world.secretary)


def _create(world: World):
    data = {
        "kind": Kind.SYSTEM_PROCEDURE,
        "code": f"QT-N{next(_codes)}",
        "title": "Quy trình mới",
        "owner_unit": world.unit.pk,
        "review_interval_months": 12,
    }
    return "post", _url("create", world), data


def _edit(world: World):
    document = _document(world)
    data = {
        "kind": document.kind,
        "code": document.code,
        "title": "Quy trình đã sửa",
        "owner_unit": world.unit.pk,
        "review_interval_months": 12,
        "records-TOTAL_FORMS": 0,
        "records-INITIAL_FORMS": 0,
    }
    return "post", _url("edit", world, document.pk), data


def _review(world: World):
    document = _document(world)
    data = {"reviewed_on": "02/01/2026", "result": "no_change", "note": ""}
    return "post", _url("review", world, document.pk), data


def _revision_action(name: str, world: World):
    revision = _draft(world)
    return "post", _url("revision_action", world, revision.pk, name), {"comment": "Xem lại"}


def _reader_add(world: World):
    revision = _draft(world)
    return "post", _url("reader_add", world, revision.pk), {"unit": world.unit.pk}


def _cite(world: World):
    document = _document(world)
    return "post", _url("citation_add", world, document.pk), {"legal_document": _legal(world).pk}


def _uncite(world: World):
    citation = services.cite(_document(world), _legal(world))
    return "post", _url("citation_remove", world, citation.pk), {}


def _resolve(world: World):
    legal = _legal(world)
    citation = services.cite(_document(world), legal)
    newer = _legal(world, "19/2014/QĐ-TTg")
    services.change_legal_status(legal, LegalDocument.Status.REPLACED, newer, dt.date(2025, 7, 1))
    data = {"resolution": "Đã cập nhật quy trình"}
    return "post", _url("citation_resolve", world, citation.pk), data


def _legal_create(world: World):
    data = {
        "doc_type": "circular",
        "number": f"26/2014/TT-BKHCN-{next(_codes)}",
        "issued_on": "15/10/2014",
        "issuer": "Bộ Khoa học và Công nghệ",
        "title": "Quy định chi tiết",
        "effective_on": "01/12/2014",
    }
    return "post", _url("legal_create", world), data


U = Owner.UNIT
CASES = [
    Case(
        "document create form", Action.MANAGE_DOCUMENTS, lambda w: ("get", _url("create", w), None)
    ),
    Case("document create for a unit", Action.MANAGE_DOCUMENTS, _create, U),
    Case("document edit", Action.MANAGE_DOCUMENTS, _edit, U),
    Case(
        "document edit form",
        Action.MANAGE_DOCUMENTS,
        lambda w: ("get", _url("edit", w, _document(w).pk), None),
        U,
    ),
    Case("document periodic review", Action.MANAGE_DOCUMENTS, _review, U),
    Case(
        "revision open",
        Action.MANAGE_DOCUMENTS,
        lambda w: ("post", _url("revision_create", w, _document(w).pk), {"summary": "Sửa"}),
        U,
    ),
    Case(
        "revision edit form",
        Action.MANAGE_DOCUMENTS,
        lambda w: ("get", _url("revision_edit", w, _draft(w).pk), None),
        U,
    ),
    Case("revision submit", Action.MANAGE_DOCUMENTS, lambda w: _revision_action("submit", w), U),
    Case(
        "revision withdraw", Action.APPROVE_DOCUMENT, lambda w: _revision_action("withdraw", w), U
    ),
    Case("revision readers", Action.MANAGE_DOCUMENTS, _reader_add, U),
    Case("citation add", Action.MANAGE_LEGAL, _cite, U),
    Case("citation remove", Action.MANAGE_LEGAL, _uncite, U),
    Case("legal flag resolve", Action.MANAGE_LEGAL, _resolve, U),
    Case("legal register add", Action.MANAGE_LEGAL, _legal_create),
    Case(
        "starter set (documents of no unit)",
        Action.MANAGE_DOCUMENTS,
        lambda w: ("post", _url("starter", w), {}),
        Owner.ACROSS,
    ),
]
