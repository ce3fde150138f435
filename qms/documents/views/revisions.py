"""A revision (lần ban hành): its files, amendment table, signature grid, life, and who
must read it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.documents import forms, queries, services
from qms.documents.models import ReadConfirmation, ReadRequirement, Revision, RevisionFile
from qms.documents.views.common import (
    attempt,
    load_document,
    load_revision,
    may_change,
    require_change,
    user_of,
)
from qms.documents.workflows import REVISION_FLOW
from qms.lib.downloads import stored_attachment
from qms.organization.access import Action, AgencyAccess, Via, agency_access
from qms.organization.models import today


@login_required
@require_POST
def revision_create(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, document = load_document(request, agency_id, pk)
    require_change(access, document, Action.MANAGE_DOCUMENTS)
    form = forms.RevisionForm(request.POST)
    summary = form.cleaned_data["summary"] if form.is_valid() else ""
    try:
        revision = services.new_revision(document, user_of(request), summary)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(document)
    messages.success(
        request, _("Revision %(no)s has been opened as a draft.") % {"no": revision.revision_no}
    )
    return redirect(revision)


def _can_confirm(access: AgencyAccess, revision: Revision) -> bool:
    return access.via == Via.MEMBER and not access.agency.is_dissolved and revision.is_in_force


def _detail_context(access: AgencyAccess, revision: Revision) -> dict[str, Any]:
    """The steps this user may take come from the workflow, through the template tags."""
    user = access.user
    confirmed = ReadConfirmation.objects.filter(revision=revision, user=user).first()
    requirements = list(revision.read_requirements.select_related("unit", "person"))
    can_manage = may_change(access, revision.document, Action.MANAGE_DOCUMENTS)
    return {
        "access": access,
        "agency": access.agency,
        "revision": revision,
        "document": revision.document,
        "files": list(revision.files.select_related("uploaded_by")),
        "amendments": list(revision.amendments.all()),
        "comments": list(revision.comments.select_related("author")),
        "requirements": requirements,
        "reading": queries.reading_by_unit(revision, requirements),
        "postings": list(revision.postings.all()),
        "my_confirmation": confirmed,
        "i_must_read": revision.is_in_force and queries.must_read(revision, user, requirements),
        "can_confirm": _can_confirm(access, revision) and confirmed is None,
        "can_manage": can_manage,
        "can_edit": can_manage and revision.is_editable,
        "can_post": can_manage and revision.is_in_force,
        "upload_form": forms.UploadForm(),
        "reader_form": forms.ReaderForm(agency=access.agency),
        "posting_form": forms.PostingForm(initial={"posted_on": today()}),
    }


@login_required
@require_GET
def revision_detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, revision = load_revision(request, agency_id, pk)
    return render(request, "documents/revision_detail.html", _detail_context(access, revision))


@login_required
@require_http_methods(["GET", "POST"])
def revision_edit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """What changes and the amendment table, while the revision is a draft."""
    access, revision = load_revision(request, agency_id, pk)
    require_change(access, revision.document, Action.MANAGE_DOCUMENTS)
    if not revision.is_editable:
        messages.error(request, _("Only a draft revision can be changed."))
        return redirect(revision)
    data = request.POST or None
    form = forms.RevisionForm(data, instance=revision)
    amendments = forms.AmendmentFormSet(data, instance=revision, prefix="amendments")
    if request.method == "POST" and form.is_valid() and amendments.is_valid():
        attempt(
            request,
            lambda: services.save_revision_draft(
                revision, form.cleaned_data["summary"], amendments
            ),
            _("The revision has been saved."),
        )
        return redirect(revision)
    return render(
        request,
        "documents/revision_form.html",
        {
            "access": access,
            "agency": access.agency,
            "revision": revision,
            "form": form,
            "amendments": amendments,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def revision_upload(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, revision = load_revision(request, agency_id, pk)
    require_change(access, revision.document, Action.MANAGE_DOCUMENTS)
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        context = _detail_context(access, revision) | {"upload_form": form}
        return render(request, "documents/revision_detail.html", context, status=400)
    attempt(
        request,
        lambda: services.add_file(revision, form.cleaned_data["file"], user_of(request)),
        _("The file has been attached; its text is being read for search."),
    )
    return redirect(revision)


@login_required
@require_POST
def revision_action(request: HttpRequest, agency_id: int, pk: int, action: str) -> HttpResponse:
    """One step of the revision's declared workflow, or the reader's confirmation."""
    access, revision = load_revision(request, agency_id, pk)
    if action == "confirm":
        return _confirm(request, access, revision)
    step = REVISION_FLOW.transition(action)
    if step is None:
        raise Http404
    require_change(access, revision.document, Action(step.right))
    attempt(
        request,
        lambda: services.take(revision, action, access, step.read(request.POST)),
        str(step.done),
    )
    return redirect(revision)


def _confirm(request: HttpRequest, access: AgencyAccess, revision: Revision) -> HttpResponse:
    if not _can_confirm(access, revision):
        messages.error(
            request, _("Only a member of the agency confirms reading a revision in force.")
        )
        return redirect(revision)
    attempt(
        request,
        lambda: services.confirm_reading(revision, user_of(request)),
        _("Thank you: your reading has been confirmed."),
    )
    return redirect(revision)


@login_required
@require_POST
def reader_add(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, revision = load_revision(request, agency_id, pk)
    require_change(access, revision.document, Action.MANAGE_DOCUMENTS)
    form = forms.ReaderForm(request.POST, agency=access.agency)
    if not form.is_valid():
        context = _detail_context(access, revision) | {"reader_form": form}
        return render(request, "documents/revision_detail.html", context, status=400)
    services.add_reader(revision, **form.requirement())
    messages.success(request, _("They have been added to those who must read this revision."))
    return redirect(revision)


@login_required
@require_POST
def reader_remove(request: HttpRequest, agency_id: int, pk: int, requirement: int) -> HttpResponse:
    access, revision = load_revision(request, agency_id, pk)
    require_change(access, revision.document, Action.MANAGE_DOCUMENTS)
    services.remove_reader(get_object_or_404(ReadRequirement, pk=requirement, revision=revision))
    messages.success(request, _("They no longer have to read this revision."))
    return redirect(revision)


@login_required
@require_POST
def posting_add(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, revision = load_revision(request, agency_id, pk)
    require_change(access, revision.document, Action.MANAGE_DOCUMENTS)
    form = forms.PostingForm(request.POST)
    if not form.is_valid():
        context = _detail_context(access, revision) | {"posting_form": form}
        return render(request, "documents/revision_detail.html", context, status=400)
    attempt(
        request,
        lambda: services.record_posting(revision, user_of(request), **form.cleaned_data),
        _("The public posting has been recorded."),
    )
    return redirect(revision)


@login_required
@require_GET
def file_download(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    stored = get_object_or_404(RevisionFile, pk=pk, revision__document__agency=access.agency)
    return stored_attachment(stored.file, stored.content_type, stored.original_name)
