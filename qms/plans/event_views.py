"""The agency's own events ("Sự kiện của cơ quan"): the ISO secretary names what the agency's
plans may wait for beyond the events the apps register, and the words that name it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qms.organization.access import Action, agency_access, get_scoped
from qms.plans import events, forms, services
from qms.plans.models import AgencyEvent


@login_required
@require_http_methods(["GET", "POST"])
def event_list(request: HttpRequest, agency_id: int, pk: int | None = None) -> HttpResponse:
    """The catalogue (built-in events, then the agency's own) with the form that defines a
    new event, or rewords the one `pk` names."""
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_PLAN)
    event = AgencyEvent(agency=access.agency)
    if pk is not None:
        event = get_scoped(access, AgencyEvent.objects.all(), pk=pk)
    form = forms.AgencyEventForm(request.POST or None, instance=event, agency=access.agency)
    if request.method == "POST" and form.is_valid():
        services.save_agency_event(form.instance)  # is_valid() filled it in
        messages.success(request, _("The event has been saved; plans may now wait for it."))
        return redirect(reverse("plans:events", args=[access.agency.pk]))
    return render(
        request,
        "plans/agencyevent_list.html",
        {
            "access": access,
            "agency": access.agency,
            "registered": list(events.registered().values()),
            "own": AgencyEvent.objects.filter(agency=access.agency),
            "form": form,
            "editing": event if pk is not None else None,
        },
        status=400 if request.method == "POST" else 200,
    )
