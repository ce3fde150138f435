"""Screens of the courses and of a person's competence: the list of courses (by kind,
paginated), a course with its sessions and who needs re-training, the course form, and the
page of one person's courses, certificates and competences."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped
from qms.organization.models import Membership
from qms.training import queries, services
from qms.training.forms import CourseForm
from qms.training.models import Certificate, Course, Nominee
from qms.training.pages import PAGE_SIZE, kind_of


def form_page(request: HttpRequest, access: AgencyAccess, **context: Any) -> HttpResponse:
    return render(
        request, "training/form_page.html", {"access": access, "agency": access.agency, **context}
    )


@login_required
@require_GET
def course_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The courses, ?kind=…, paginated: 3 queries whatever the rows (the access helper's,
    the count, the page with its number of sessions)."""
    access = agency_access(request.user, agency_id)
    kind = kind_of(request)
    rows = Course.objects.filter(agency=access.agency).annotate(session_count=Count("sessions"))
    if kind:
        rows = rows.filter(kind=kind)
    page = Paginator(rows.order_by("title", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "access": access,
        "agency": access.agency,
        "page": page,
        "kind": kind,
        "kinds": Course.Kind.choices,
        "query": f"kind={kind}" if kind else "",
        "may_manage": access.can(Action.MANAGE_TRAINING),
    }
    return render(request, "training/course_list.html", context)


@login_required
@require_GET
def course_detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """A course: its sessions (paginated) and the people who need re-training on the
    procedures it covered — 5 queries whatever the rows."""
    access = agency_access(request.user, agency_id)
    course = get_scoped(access, Course.objects.all(), pk=pk)
    sessions = course.sessions.annotate(
        nominee_count=Count("nominees"),
        attended_count=Count(
            "nominees", filter=Q(nominees__attendance=Nominee.Attendance.ATTENDED)
        ),
    ).order_by("-starts_on", "-pk")
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "access": access,
        "agency": access.agency,
        "course": course,
        "page": page,
        "retraining": queries.retraining(access.agency, course=course),
        "may_manage": access.can(Action.MANAGE_TRAINING),
    }
    return render(request, "training/course_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def course_form(request: HttpRequest, agency_id: int, pk: int | None = None) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    access.require(Action.MANAGE_TRAINING)
    if pk is None:
        course = Course(agency=access.agency)
    else:
        course = get_scoped(access, Course.objects.all(), pk=pk)
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        saved = services.save_course(form.instance)
        messages.success(request, _("The course has been saved."))
        return redirect(saved.get_absolute_url())
    back = course.get_absolute_url() if pk else reverse("training:courses", args=[agency_id])
    title = str(course) if pk else _("New course")
    return form_page(request, access, form=form, title=title, back=back, form_id="course-form")


@login_required
@require_GET
def person(request: HttpRequest, agency_id: int, user_id: int) -> HttpResponse:
    """One person's competence: courses attended with results and certificates, the
    internal auditor qualification, the procedure revisions trained on and those needing
    re-training. 5 queries whatever the rows."""
    access = agency_access(request.user, agency_id)
    membership = (
        Membership.objects.filter(agency=access.agency, user_id=user_id)
        .select_related("user", "unit")
        .first()
    )
    if membership is None:
        raise Http404
    who = membership.user
    nominations = list(
        Nominee.objects.filter(session__agency=access.agency, person=who)
        .select_related("session__course", "unit")
        .prefetch_related(Prefetch("certificates", queryset=Certificate.objects.order_by("pk")))
        .order_by("-session__starts_on", "-pk")
    )
    auditor = any(
        n.attended
        and n.result == Nominee.Result.PASSED
        and n.session.course.kind == Course.Kind.INTERNAL_AUDITOR
        and n.session.is_held
        and list(n.certificates.all())
        for n in nominations
    )
    context = {
        "access": access,
        "agency": access.agency,
        "membership": membership,
        "who": who,
        "nominations": nominations,
        "internal_auditor": auditor,
        "revisions": queries.trained_revisions(access.agency, who),
    }
    return render(request, "training/person_page.html", context)
