"""What every documents screen shares: loading through the access helper, and turning a
service's refusal into a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from qms.documents.models import Document, Revision
from qms.lib.forms import named_errors
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped
from qms.organization.models import User

PAGE_SIZE = 25


def user_of(request: HttpRequest) -> User:
    return cast(User, request.user)  # every view here is login_required


def load_document(request: HttpRequest, agency_id: int, pk: int) -> tuple[AgencyAccess, Document]:
    access = agency_access(request.user, agency_id)
    document = get_scoped(
        access,
        Document.objects.select_related("agency", "owner_unit", "procedure", "current_revision"),
        pk=pk,
    )
    return access, document


def load_revision(request: HttpRequest, agency_id: int, pk: int) -> tuple[AgencyAccess, Revision]:
    access = agency_access(request.user, agency_id)
    revision = get_object_or_404(
        Revision.objects.select_related(
            "document__agency",
            "document__owner_unit",
            "drafted_by",
            "reviewed_by",
            "approved_by",
            "document_set",
        ),
        pk=pk,
        document__agency=access.agency,
    )
    return access, revision


def may_change(access: AgencyAccess, document: Document, action: Action) -> bool:
    """A document, its revisions and citations are its owner unit's to change (and the ISO
    secretary's and the leadership's); a document without an owner unit only theirs."""
    return access.can_on(action, [document.owner_unit_id])


def require_change(access: AgencyAccess, document: Document, action: Action) -> None:
    access.require_on(action, [document.owner_unit_id])


def attempt(request: HttpRequest, change: Callable[[], Any], done: str) -> bool:
    """Run a service call; its refusal becomes an error message and changes nothing."""
    try:
        change()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, done)
    return True


def form_errors(form: Any) -> None:
    """Raise a form's errors as one ValidationError, for forms posted from a detail page."""
    raise ValidationError(named_errors(form))
