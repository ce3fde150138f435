"""Screens of the organisation: dashboard, units, people, steering committee, history.

Every view loads the agency through `agency_access` and single objects through
`get_scoped`, so nothing of another agency can be read or changed by editing an id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.accounts import services as accounts
from qms.lib.converters import int_param, parse_id
from qms.organization import figures, history, services
from qms.organization.access import (
    Action,
    AgencyAccess,
    agency_access,
    get_scoped,
    overseen_province_ids,
)
from qms.organization.forms import (
    CommitteeDateForm,
    DecisionForm,
    DelegationForm,
    ExistingPersonForm,
    MemberFormSet,
    MembershipForm,
    NewPersonForm,
    PersonForm,
    UnitForm,
)
from qms.organization.models import (
    Agency,
    CommitteeDecision,
    CommitteeMember,
    Delegation,
    Membership,
    RoleGrant,
    Unit,
    User,
    today,
)
from qms.paperwork.panel import panel as paper_panel

PAGE_SIZE = 25


def _remember(request: HttpRequest, access: AgencyAccess) -> None:
    """The agency a member works in becomes the current one in the header."""
    if not access.is_overseer and request.session.get("agency_id") != access.agency.pk:
        request.session["agency_id"] = access.agency.pk


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    agency_id = request.session.get("agency_id")
    membership = (
        Membership.objects.current()
        .filter(user_id=cast(int, request.user.pk))  # login_required: never anonymous
        .select_related("agency")
        .order_by("agency__valid_to", "pk")
    )
    if agency_id and membership.filter(agency_id=agency_id).exists():
        return redirect("organization:dashboard", agency_id)
    if overseen_province_ids(request.user) or request.user.is_superuser:
        return redirect("organization:province_home")
    first = membership.first()
    if first is not None:
        return redirect("organization:dashboard", first.agency_id)
    return render(request, "organization/no_agency.html")


@login_required
@require_GET
def province_home(request: HttpRequest) -> HttpResponse:
    """The overseer's home: every agency of the provinces they oversee, with figures."""
    province_ids = overseen_province_ids(request.user)
    if request.user.is_superuser:
        agencies = Agency.objects.all()
    elif province_ids:
        agencies = Agency.objects.filter(province_id__in=province_ids)
    else:
        raise Http404
    rows = figures.agency_rows(agencies.select_related("province", "successor"))
    return render(request, "organization/province_home.html", {"rows": rows})


@login_required
@require_GET
def dashboard(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    _remember(request, access)
    context = {"access": access, "agency": access.agency}
    context.update(figures.dashboard(access.agency, today()))
    from qms.objectives.queries import policy_card  # the quality policy in force (cached)

    context["policy_card"] = policy_card(access.agency)
    return render(request, "organization/dashboard.html", context)


@login_required
@require_GET
def unit_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    units = figures.units_with_counts(access.agency)
    return render(
        request,
        "organization/unit_list.html",
        {
            "access": access,
            "agency": access.agency,
            "units": units,
            "can_manage_people": access.can(Action.MANAGE_PEOPLE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, agency_id: int, pk: int | None = None) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_PEOPLE)
    unit = get_scoped(access, Unit.objects.all(), pk=pk) if pk else None
    form = UnitForm(request.POST or None, instance=unit, agency=access.agency)
    if request.method == "POST" and form.is_valid():
        services.save_unit(form.instance)
        messages.success(request, _("The unit has been saved."))
        return redirect("organization:unit_list", agency_id)
    return render(
        request,
        "organization/unit_form.html",
        {"access": access, "agency": access.agency, "form": form, "unit": unit},
    )


@login_required
@require_GET
def person_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    memberships = (
        Membership.objects.filter(agency=access.agency)
        .select_related("user", "unit")
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")))
        .order_by("-is_active", "user__full_name", "pk")
    )
    chosen = int_param(request, "unit")
    if chosen is not None:
        memberships = memberships.filter(unit_id=chosen)
    unit_id = "" if chosen is None else str(chosen)
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    units = Unit.objects.filter(agency=access.agency, is_active=True)
    return render(
        request,
        "organization/person_list.html",
        {
            "access": access,
            "agency": access.agency,
            "page": page,
            "units": units,
            "unit_id": unit_id,
            "query": f"unit={unit_id}" if unit_id else "",
            "can_manage_people": access.can(Action.MANAGE_PEOPLE),
            "can_attach": access.can(Action.MANAGE_PEOPLE) and request.user.is_superuser,
            "delegations": list(services.open_delegations(access.agency)),
            "can_delegate": access.can(Action.DELEGATE_APPROVAL),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegation_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The head delegates approval (ủy quyền) to another member for a period."""
    access = agency_access(request.user, agency_id)
    access.require(Action.DELEGATE_APPROVAL)
    form = DelegationForm(request.POST or None, agency=access.agency, head=access.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.delegate_approval(
                agency=access.agency, delegator=access.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The delegation has been recorded."))
            return redirect("organization:person_list", access.agency.pk)
    return render(
        request,
        "organization/delegation_form.html",
        {"access": access, "agency": access.agency, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def delegation_end(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """The head ends a delegation before its end date."""
    access = agency_access(request.user, agency_id)
    access.require(Action.DELEGATE_APPROVAL)
    delegation = get_scoped(access, Delegation.objects.all(), pk=pk)
    try:
        services.end_delegation(delegation, by=access.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The delegation has been ended."))
    return redirect("organization:person_list", access.agency.pk)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_PEOPLE)
    form = NewPersonForm(
        request.POST or None, agency=access.agency, allow_overseer=request.user.is_superuser
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.create_person(
            agency=access.agency,
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            membership=form.instance,
            roles=data["roles"],
            by=access.user,
        )
        messages.success(
            request,
            _(
                "The account has been created and an invitation sent to %(email)s: the person "
                "chooses their own password through the link in it."
            )
            % {"email": data["email"]},
        )
        return redirect("organization:person_list", agency_id)
    return render(
        request,
        "organization/person_form.html",
        {"access": access, "agency": access.agency, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_attach(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_PEOPLE)
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only the system administrator adds an existing account."))
    form = ExistingPersonForm(
        request.POST or None, agency=access.agency, allow_overseer=True, editor=access.user
    )
    if request.method == "POST" and form.is_valid():
        form.instance.user = form.cleaned_data["username"]
        services.add_membership(form.instance, form.cleaned_data["roles"], by=access.user)
        messages.success(request, _("The person has been added to the agency."))
        return redirect("organization:person_list", agency_id)
    return render(
        request,
        "organization/person_form.html",
        {"access": access, "agency": access.agency, "form": form, "attach": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_PEOPLE)
    membership = get_scoped(access, Membership.objects.select_related("user"), pk=pk)
    person: User = membership.user
    data = request.POST or None
    # A person who belongs to another agency too is theirs alone to rename (Tài khoản của tôi).
    shared = services.belongs_elsewhere(person, access.agency)
    person_form = None if shared else PersonForm(data, person=person, prefix="person")
    own = person.pk == access.user.pk
    form = MembershipForm(
        data,
        instance=membership,
        agency=access.agency,
        allow_overseer=request.user.is_superuser,
        own=own,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (person_form is None or person_form.is_valid())
    ):
        details = (
            person_form.cleaned_data
            if person_form is not None and person_form.has_changed()
            else None
        )
        try:
            services.save_person(
                form.instance,
                agency=access.agency,
                details=details,
                changed=form.changed_data,
                roles=form.roles_to_save(),
                by=access.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("organization:person_list", agency_id)
    return render(
        request,
        "organization/person_form.html",
        {
            "access": access,
            "agency": access.agency,
            "form": form,
            "person_form": person_form,
            "membership": membership,
            "shared": shared,
            "own": own,
            "invited": accounts.is_invited(person),
        },
    )


@login_required
@require_POST
def person_invite(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """Send the invitation again (lost, expired, or the address was corrected)."""
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_PEOPLE)
    membership = get_scoped(access, Membership.objects.select_related("user"), pk=pk)
    try:
        accounts.send_invitation(membership.user, agency=access.agency, by=access.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The invitation has been sent again to %(email)s.")
            % {"email": membership.user.email},
        )
    return redirect("organization:person_edit", agency_id, pk)


@login_required
@require_GET
def committee(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    date_form = CommitteeDateForm(request.GET or None)
    day = today()
    if date_form.is_valid() and date_form.cleaned_data["on"]:
        day = date_form.cleaned_data["on"]
    context = {
        "access": access,
        "agency": access.agency,
        "date_form": date_form,
        "day": day,
        "members": list(services.members_on(access.agency, day)),
        "decisions": CommitteeDecision.objects.filter(agency=access.agency)
        .select_related("agency", "paper__agency", "paper__drafting_unit")
        .order_by("paper__status", "-paper__issued_on", "-pk"),
        "can_manage": access.can(Action.MANAGE_COMMITTEE),
    }
    return render(request, "organization/committee.html", context)


@login_required
@require_POST
def decision_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_COMMITTEE)
    decision = services.draft_reconstitution(access.agency, today())
    messages.success(
        request,
        _(
            "A draft decision has been prepared from the committee in "
            "force. Edit the members, then record it once signed."
        ),
    )
    return redirect(decision)


@login_required
@require_GET
def decision_detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    decision = get_scoped(
        access,
        CommitteeDecision.objects.select_related(
            "agency", "paper__agency", "paper__drafting_unit", "replaces__paper__agency"
        ),
        pk=pk,
    )
    context = {
        "access": access,
        "agency": access.agency,
        "decision": decision,
        "members": decision.members.select_related("user"),
        "can_manage": decision.is_draft and access.can(Action.MANAGE_COMMITTEE),
        "panel": paper_panel(request, access, decision),
    }
    return render(request, "organization/decision_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_COMMITTEE)
    decision = get_scoped(access, CommitteeDecision.objects.select_related("paper"), pk=pk)
    if not decision.is_editable:
        messages.error(request, _("Only a draft not yet submitted for signature can be changed."))
        return redirect(decision)
    data = request.POST or None
    form = DecisionForm(data, instance=decision)
    formset = MemberFormSet(data, instance=decision, form_kwargs={"agency": access.agency})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        services.save_decision_draft(decision, form, formset)
        messages.success(request, _("The draft has been saved."))
        return redirect(decision)
    return render(
        request,
        "organization/decision_form.html",
        {
            "access": access,
            "agency": access.agency,
            "decision": decision,
            "form": form,
            "formset": formset,
        },
    )


@login_required
@require_GET
def decision_document(request: HttpRequest, agency_id: int, pk: int, fmt: str) -> HttpResponse:
    from qms.organization.documents import decision_response

    access = agency_access(request.user, agency_id)
    decision = get_scoped(
        access,
        CommitteeDecision.objects.select_related(
            "agency", "paper__agency", "paper__drafting_unit", "replaces__paper__agency"
        ),
        pk=pk,
    )
    return decision_response(request, decision, fmt)


# kind in the URL → how its history reads (model, path from it to its agency, the rows whose
# history joins its own). Other apps add theirs with register_history() in their
# AppConfig.ready(), so this app imports none of them.
HISTORY_MODELS: dict[str, history.Source] = {
    "unit": history.Source(Unit),
    "membership": history.Source(Membership),
    "decision": history.Source(CommitteeDecision),
    "member": history.Source(CommitteeMember),
    "delegation": history.Source(Delegation, formats=lambda _d: {"rights": _delegation_rights}),
}


def _delegation_rights(codes: list[str]) -> str:
    labels = dict(Delegation.Right.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes)


def register_history(
    kind: str,
    model: type[Model],
    agency_path: str = "agency",
    *,
    children: tuple[history.Child, ...] = (),
    formats: Callable[[Any], history.Formats] | None = None,
) -> None:
    HISTORY_MODELS[kind] = history.Source(model, agency_path, children, formats)


def _history_back(kind: str, obj: Model, access: AgencyAccess) -> tuple[str, str]:
    """The way back from a history page: the record's own page and its link text."""
    agency_id = access.agency.pk
    manages = access.can(Action.MANAGE_PEOPLE)
    if kind == "agency":
        return reverse("organization:dashboard", args=[agency_id]), _("Back to the agency")
    if kind == "membership":
        if manages:
            url = reverse("organization:person_edit", args=[agency_id, obj.pk])
            return url, _("Back to the person")
        return reverse("organization:person_list", args=[agency_id]), _("Back to the people")
    if kind == "unit":
        if manages:
            url = reverse("organization:unit_edit", args=[agency_id, obj.pk])
            return url, _("Back to the unit")
        return reverse("organization:unit_list", args=[agency_id]), _("Back to the units")
    if kind == "member":
        url = reverse("organization:committee", args=[agency_id])
        return url, _("Back to the ISO steering committee")
    if kind == "delegation":
        return reverse("organization:person_list", args=[agency_id]), _("Back to the people")
    address = getattr(obj, "get_absolute_url", None)
    if address is None:
        return reverse("organization:dashboard", args=[agency_id]), _("Back to the agency")
    return address(), _("Back to the %(what)s") % {"what": str(obj._meta.verbose_name)}


@login_required
@require_GET
def history_page(request: HttpRequest, agency_id: int, kind: str, pk: int) -> HttpResponse:
    """The "Lịch sử thay đổi" page: who changed what and when, newest first, with the way
    back to the record."""
    access = agency_access(request.user, agency_id)
    obj: Model
    if kind == "agency":
        if pk != access.agency.pk:
            raise Http404
        obj, source = access.agency, history.Source(Agency)
    elif kind in HISTORY_MODELS:
        source = HISTORY_MODELS[kind]
        scoped = source.model._default_manager.filter(**{source.agency_path: access.agency})
        # what its name (the title) and its page's address read, in the same query
        joins = [*history.NAME_JOINS.get(source.model._meta.label, ())]
        if "__" in source.agency_path:
            joins.append(source.agency_path)
        if joins:
            scoped = scoped.select_related(*joins)
        obj = get_object_or_404(scoped, pk=pk)
    else:
        raise Http404
    entries = history.entries(obj, source)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    back_url, back_label = _history_back(kind, obj, access)
    return render(
        request,
        "organization/history.html",
        {
            "access": access,
            "agency": access.agency,
            "object": obj,
            "page": page,
            "back_url": back_url,
            "back_label": back_label,
        },
    )


@login_required
@require_POST
def switch_agency(request: HttpRequest) -> HttpResponse:
    agency_id = parse_id(request.POST.get("agency"))
    if agency_id is None:
        raise Http404
    access = agency_access(request.user, agency_id)
    _remember(request, access)
    return redirect("organization:dashboard", access.agency.pk)
