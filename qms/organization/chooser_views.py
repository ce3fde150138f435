"""Search endpoints of the people choosers (qms/lib/chooser.py): the forms that name a person
list nobody; these answer what the user types, at most CHOICES_SHOWN people at a time. The
purpose in the URL decides which people are offered and which right the user needs — the
same people the form accepts (the form and the endpoint share the queryset)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from qms.lib.chooser import ChooserQuery, find, render_choices
from qms.organization.access import Action, AgencyAccess, agency_access
from qms.organization.forms import (
    committee_people,
    current_members,
    delegate_people,
    member_label,
    person_label,
)


@dataclass(frozen=True)
class People:
    action: Action
    rows: Callable[[AgencyAccess], QuerySet[Any]]
    fields: tuple[str, ...]
    label: Callable[[Any], str]


PURPOSES: dict[str, People] = {
    # "One person" who must read a revision (documents.forms.ReaderForm).
    "readers": People(
        Action.MANAGE_DOCUMENTS,
        lambda access: current_members(access.agency),
        ("user__full_name", "position", "unit__name"),
        member_label,
    ),
    # The account of a committee member (forms.MemberForm).
    "committee": People(
        Action.MANAGE_COMMITTEE,
        lambda access: committee_people(access.agency),
        ("full_name", "email"),
        person_label,
    ),
    # The delegate of the head's approval rights (forms.DelegationForm); never the head.
    "delegation": People(
        Action.DELEGATE_APPROVAL,
        lambda access: delegate_people(access.agency, head=access.user),
        ("full_name", "email"),
        person_label,
    ),
}


@login_required
@require_GET
def people_choices(request: HttpRequest, agency_id: int, purpose: str) -> HttpResponse:
    """The people of the agency that match what was typed (name, e-mail; for readers also
    position and unit), diacritics ignored. 2 queries past access."""
    people = PURPOSES.get(purpose)
    if people is None:
        raise Http404
    access = agency_access(request.user, agency_id)
    access.require(people.action)
    query = ChooserQuery.from_request(request)
    found = find(query, people.rows(access), people.fields)
    return render_choices(request, query, found, people.label)
