"""Screens of the agenda: "Việc của tôi", a unit's and the agency's obligations, the month
calendar, the ICS feed, the inbox ("Chờ tôi xử lý"), the notification centre with each
person's e-mail preference, and the reminder settings.

Agency pages load the agency through `agency_access` (404 for strangers) and single objects
through `get_scoped`; the feed and notifications belong to the logged-in person only."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re
from typing import Any, cast
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.agenda import ics, inbox, queries, services
from qms.agenda.forms import AgendaSettingsForm, PreferenceForm
from qms.agenda.models import (
    AgendaSettings,
    AgendaStamp,
    CalendarFeed,
    InboxItem,
    Notification,
    NotificationPreference,
    Obligation,
    groups_of,
)
from qms.lib.converters import int_param
from qms.organization.access import AgencyAccess, Via, agency_access, get_scoped
from qms.organization.models import (
    CommitteeMember,
    Membership,
    Role,
    Unit,
    User,
    seat_held_q,
    today,
)

NOTIFICATION_PAGE_SIZE = 25
ALL_STATES = "all"
WEEKDAYS = [
    pgettext_lazy("weekday", "Mon"),
    pgettext_lazy("weekday", "Tue"),
    pgettext_lazy("weekday", "Wed"),
    pgettext_lazy("weekday", "Thu"),
    pgettext_lazy("weekday", "Fri"),
    pgettext_lazy("weekday", "Sat"),
    pgettext_lazy("weekday", "Sun"),
]


def _membership(access: AgencyAccess) -> Membership | None:
    """The user's own membership here (for its unit), with whether they sit on the steering
    committee now; none for overseers and admins."""
    if access.via != Via.MEMBER:
        return None
    seat = CommitteeMember.objects.filter(
        seat_held_q(today()), user_id=OuterRef("user_id"), agency_id=OuterRef("agency_id")
    )
    return (
        Membership.objects.current()
        .filter(user=access.user, agency=access.agency)
        .annotate(on_committee=Exists(seat))
        .select_related("unit")
        .first()
    )


def _is_secretary(access: AgencyAccess) -> bool:
    return Role.ISO_SECRETARY in access.roles


def _mine(access: AgencyAccess, membership: Membership | None) -> QuerySet[Obligation]:
    """What the member owns by name, through their unit, as one of the leadership or of the
    steering committee, or as ISO secretary."""
    if membership is None:
        return Obligation.objects.none()
    groups = groups_of(access.roles, bool(getattr(membership, "on_committee", False)))
    return Obligation.objects.for_member(
        access.user, access.agency, membership.unit_id, _is_secretary(access), groups
    )


def _state(request: HttpRequest) -> str:
    state = request.GET.get("state", Obligation.State.OPEN)
    return state if state in {*Obligation.State.values, ALL_STATES} else Obligation.State.OPEN


def _listing(
    request: HttpRequest,
    access: AgencyAccess,
    queryset: QuerySet[Obligation],
    context: dict[str, Any],
) -> HttpResponse:
    """Open obligations in groups; other states as one list, latest due first."""
    state = _state(request)
    page = request.GET.get("page")
    if state == Obligation.State.OPEN:
        context["groups"] = queries.groups(queryset.filter(state=state), today(), request.GET)
    else:
        chosen = queryset if state == ALL_STATES else queryset.filter(state=state)
        context["page"] = queries.flat_page(chosen, page)
    filters = {"state": state} | ({"unit": context["unit_id"]} if context.get("unit_id") else {})
    context |= {
        "access": access,
        "agency": access.agency,
        "day": today(),
        "state": state,
        "states": [*Obligation.State.choices, (ALL_STATES, _("All"))],
        "query": urlencode(filters),
        "is_secretary": _is_secretary(access) and not access.agency.is_dissolved,
    }
    return render(request, "agenda/obligation_list.html", context)


@login_required
@require_GET
def mine(request: HttpRequest, agency_id: int) -> HttpResponse:
    """ "Việc của tôi": what I own by name, through my unit, or as ISO secretary."""
    access = agency_access(request.user, agency_id)
    membership = _membership(access)
    context = {
        "mode": "mine",
        "my_unit": membership.unit if membership is not None else None,
        "is_member": access.via == Via.MEMBER,
    }
    return _listing(request, access, _mine(access, membership), context)


@login_required
@require_GET
def unit(request: HttpRequest, agency_id: int, unit_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    owner = get_scoped(access, Unit.objects.all(), pk=unit_id)
    queryset = Obligation.objects.filter(agency=access.agency, owner_unit=owner)
    return _listing(request, access, queryset, {"mode": "unit", "unit": owner})


@login_required
@require_GET
def agency(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    units = list(Unit.objects.filter(agency=access.agency).order_by("-is_active", "order", "name"))
    queryset = Obligation.objects.filter(agency=access.agency)
    chosen = int_param(request, "unit")
    unit_id = chosen if chosen in {u.pk for u in units} else None
    if unit_id is not None:
        queryset = queryset.filter(owner_unit_id=unit_id)
    context = {"mode": "agency", "units": units, "unit_id": unit_id}
    return _listing(request, access, queryset, context)


@login_required
@require_GET
def month(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The month calendar: my obligations (members) or the agency's, on their due dates."""
    access = agency_access(request.user, agency_id)
    day = today()
    first = queries.parse_month(request.GET.get("month"), day)
    scope = request.GET.get("scope", "")
    if scope not in {"mine", "all"}:
        scope = "mine" if access.via == Via.MEMBER else "all"
    if scope == "mine":
        queryset = _mine(access, _membership(access))
    else:
        queryset = Obligation.objects.filter(agency=access.agency)
    queryset = queryset.exclude(state=Obligation.State.CANCELLED)
    weeks = queries.month_grid(queryset, first, day)
    context = {
        "access": access,
        "agency": access.agency,
        "first": first,
        "weeks": weeks,
        # The phone's list view: the days of the month that have something due, in order.
        "busy_days": [c for week in weeks for c in week if c.in_month and c.obligations],
        "weekdays": WEEKDAYS,
        "scope": scope,
        "previous": f"{queries.shift_month(first, -1):%Y-%m}",
        "next": f"{queries.shift_month(first, 1):%Y-%m}",
        "current": f"{day:%Y-%m}",
        "day": day,
        "is_secretary": _is_secretary(access) and not access.agency.is_dissolved,
    }
    return render(request, "agenda/obligation_calendar.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_settings(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Reminder days of the agency: its ISO secretary only, never in a dissolved agency."""
    access = agency_access(request.user, agency_id)
    if access.agency.is_dissolved:
        raise PermissionDenied(_("This agency has been dissolved; its records are read-only."))
    if not _is_secretary(access):
        raise PermissionDenied(_("Only the ISO secretary of the agency changes the reminders."))
    instance = AgendaSettings.objects.filter(agency=access.agency).first()
    form = AgendaSettingsForm(
        request.POST or None, instance=instance or AgendaSettings(agency=access.agency)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.save_settings(access.agency, data["reminder_days"], data["reading_days"])
        messages.success(request, _("The reminder settings have been saved."))
        return redirect("agenda:mine", agency_id)
    return render(
        request,
        "agenda/agendasettings_form.html",
        {"access": access, "agency": access.agency, "form": form},
    )


@login_required
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """The person's secret calendar address and how to subscribe to it."""
    user = cast(User, request.user)  # login_required: never anonymous
    token = services.feed_of(user).token
    url = request.build_absolute_uri(reverse("agenda:ics", args=[token]))
    return render(request, "agenda/calendar_feed.html", {"feed_url": url})


@login_required
@require_POST
def feed_renew(request: HttpRequest) -> HttpResponse:
    """A new secret address; calendars subscribed to the old one stop receiving."""
    user = cast(User, request.user)
    services.renew_feed(user)
    messages.success(request, _("A new address has been created; the old one no longer works."))
    return redirect("agenda:feed")


def _site_host(request: HttpRequest) -> str:
    return urlsplit(settings.SITE_URL).hostname or request.get_host()


def _events(request: HttpRequest, obligations: QuerySet[Obligation]) -> list[ics.Event]:
    host = _site_host(request)
    return [
        ics.Event(
            uid=f"{o.source}@{host}",
            day=o.due_date,
            summary=o.title,
            url=request.build_absolute_uri(o.url),
            description="\n".join(
                [
                    _("Owner: %(owner)s") % {"owner": o.owner_display or "—"},
                    _("Agency: %(agency)s") % {"agency": o.agency},
                    _("Kind: %(kind)s") % {"kind": o.kind_label},
                ]
            ),
            categories=o.kind_label,
            modified=o.updated_at,
        )
        for o in obligations
        if o.due_date is not None
    ]


FEED_CACHE_SECONDS = 24 * 3600
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _feed_version(
    request: HttpRequest, owner: User, memberships: list[Membership], committees: set[int]
) -> tuple[str, dt.datetime | None]:
    """What the rendered feed depends on, as a short digest (the ETag and cache key), and
    when the obligations of the person's agencies last changed (Last-Modified). No query of
    its own: each membership carries its agency's agenda version (`AgendaStamp`, renewed by
    the registry with every change of the agency's obligations: one added, changed, done or
    gone). A membership, a role, a committee seat, the person's name, the address or the
    language change the digest too."""
    parts = [
        owner.pk,
        str(owner),
        sorted(
            (m.pk, m.agency_id, m.unit_id, sorted(m.role_codes), getattr(m, "agenda_token", ""))
            for m in memberships
        ),
        sorted(committees),
        translation.get_language(),
        request.build_absolute_uri("/"),
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    changes = [getattr(m, "agenda_changed", None) for m in memberships]
    return digest, max((c for c in changes if c is not None), default=None)


def _memberships(owner: User) -> list[Membership]:
    """The person's current memberships with their roles, each with the version of its
    agency's obligations (`agenda_token`, `agenda_changed`; None before any) and whether
    the person sits on its steering committee now (`on_committee`): 2 queries."""
    stamp = AgendaStamp.objects.filter(agency_id=OuterRef("agency_id"))
    seat = CommitteeMember.objects.filter(
        seat_held_q(today()), user_id=OuterRef("user_id"), agency_id=OuterRef("agency_id")
    )
    return list(
        Membership.objects.current()
        .filter(user=owner)
        .annotate(
            agenda_token=Subquery(stamp.values("token")[:1]),
            agenda_changed=Subquery(stamp.values("changed_at")[:1]),
            on_committee=Exists(seat),
        )
        .prefetch_related("role_grants")
    )


@require_GET
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The ICS feed: no login, the token is the key. Open obligations with a due date that
    the person sees in "Việc của tôi" in every agency they currently belong to.

    A calendar polls it every hour: the rendered feed is kept in the cache under its version
    (see `_feed_version`), and a poll that sends the ETag or the date back gets 304. A poll
    runs 3 queries whatever the number of obligations (the feed with its person, the
    memberships with their agencies' versions and committee seats, their roles) and, for an
    unchanged feed, renders nothing; a changed one reads the rows (a fourth)."""
    owner = get_object_or_404(
        CalendarFeed.objects.select_related("user"), token=token, user__is_active=True
    ).user
    memberships = _memberships(owner)
    committees = {m.agency_id for m in memberships if getattr(m, "on_committee", False)}
    version, latest = _feed_version(request, owner, memberships, committees)
    etag = f'"{version}"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=_stamp(latest))
    if not_modified is not None:
        return _feed_headers(not_modified)
    key = f"agenda:ics:{token}:{version}"
    packed = cache.get(key)
    if packed is None:
        rows = (
            Obligation.objects.for_memberships(owner, memberships, committees)
            .filter(state=Obligation.State.OPEN, due_date__isnull=False)
            .select_related("agency", "owner_person", "owner_unit")
            .order_by("due_date", "pk")
        )
        name = _("e-ISO – %(name)s") % {"name": owner}
        body = ics.calendar(name, _events(request, rows), timezone.now())
        packed = gzip.compress(body.encode("utf-8"), compresslevel=6, mtime=0)
        cache.set(key, packed, FEED_CACHE_SECONDS)
    return _feed_response(request, packed, etag, latest)


def _feed_response(
    request: HttpRequest, packed: bytes, etag: str, latest: dt.datetime | None
) -> HttpResponse:
    """The feed, kept compressed: sent as it is to a calendar that accepts gzip (they all
    do; the feed of 5,000 obligations: 2.4 MB → 75 KB), unpacked for one that does not.
    Compressed, the ETag is weak, as Django's GZipMiddleware makes it."""
    if ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")):
        response = HttpResponse(packed, content_type="text/calendar; charset=utf-8")
        response["Content-Encoding"] = "gzip"
        response["ETag"] = f"W/{etag}"
    else:
        response = HttpResponse(
            gzip.decompress(packed), content_type="text/calendar; charset=utf-8"
        )
        response["ETag"] = etag
    patch_vary_headers(response, ["Accept-Encoding"])
    response["Content-Disposition"] = 'inline; filename="iso-agenda.ics"'
    if latest is not None:
        response["Last-Modified"] = http_date(_stamp(latest))
    return _feed_headers(response)


def _stamp(moment: dt.datetime | None) -> int | None:
    return int(moment.timestamp()) if moment is not None else None


def _feed_headers(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    notifications = Notification.objects.filter(user=user).select_related("agency")
    page = Paginator(notifications, NOTIFICATION_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "agenda/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    services.mark_all_read(user)
    messages.success(request, _("All notifications have been marked as read."))
    return redirect("agenda:notifications")


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of my notifications read and go where it points."""
    user = cast(User, request.user)
    notification = get_object_or_404(Notification, pk=pk, user=user)
    notification.mark_read()
    if url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("agenda:notifications")


@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The header bell, loaded by HTMX after the page (so pages keep their query count).
    Nothing for a visitor whose session ended: HTMX swaps nothing on 204."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    return render(request, "agenda/_notification_bell.html")


INBOX_PAGE_SIZE = 25


@login_required
@require_GET
def inbox_list(request: HttpRequest) -> HttpResponse:
    """ "Chờ tôi xử lý": everything waiting for me now, in every agency I belong to, oldest
    first, with its age and a link to where it is done. 3 queries whatever the number of
    items (session and user aside): the count per kind, the page, and the header's."""
    user = cast(User, request.user)
    day = today()
    waiting = InboxItem.objects.filter(user=user).waiting(day)
    counts = dict(
        waiting.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    # A registered kind filters, even when none of it waits; anything else shows all.
    kind = request.GET.get("kind", "")
    kind = kind if kind in counts or kind in inbox.kinds() else ""
    chosen = waiting.filter(kind=kind) if kind else waiting
    paginator = Paginator(
        chosen.select_related("agency").order_by("assigned_at", "pk"), INBOX_PAGE_SIZE
    )
    # The count is known from the counts per kind: no second COUNT query.
    paginator.count = counts.get(kind, 0) if kind else sum(counts.values())  # type: ignore[misc]
    page = paginator.get_page(request.GET.get("page"))
    shown = counts | ({kind: 0} if kind and kind not in counts else {})
    tabs = sorted(
        ((k, inbox.kind_label(k), n) for k, n in shown.items()), key=lambda tab: str(tab[1])
    )
    agencies = {item.agency_id for item in page}
    for item in page:
        item.age = item.age_days(day)  # type: ignore[attr-defined]
        item.overdue = item.is_overdue(day)  # type: ignore[attr-defined]
    context = {
        "page": page,
        "day": day,
        "kind": kind,
        "tabs": tabs,
        "total": sum(counts.values()),
        "several_agencies": len(agencies) > 1,
        "query": urlencode({"kind": kind}) if kind else "",
    }
    return render(request, "agenda/inbox_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """The person's own choice of e-mails about new work: at once, a daily digest, never."""
    user = cast(User, request.user)
    instance = NotificationPreference.objects.filter(user=user).first()
    form = PreferenceForm(
        request.POST or None, instance=instance or NotificationPreference(user=user)
    )
    if request.method == "POST" and form.is_valid():
        services.set_email_choice(user, form.cleaned_data["email"])
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("agenda:preferences")
    return render(
        request,
        "agenda/preferences_form.html",
        {"form": form, "has_email": bool(user.email)},
        status=400 if request.method == "POST" else 200,
    )
