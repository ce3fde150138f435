"""Findings of an audit: recorded and changed by the ISO secretary or a member of the audit's
team (Action.RECORD_FINDINGS through qms.audits.rights), with evidence files; read by every
member of the agency. A signed report locks them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.audits import services
from qms.audits.forms import FileForm, FindingForm
from qms.audits.models import Audit, Finding, FindingFile
from qms.audits.views_audit import actor_of, load
from qms.corrective.models import Nonconformity
from qms.lib.downloads import stored_attachment
from qms.lib.forms import named_errors
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped


def _finding(request: HttpRequest, agency_id: int, pk: int) -> tuple[AgencyAccess, Finding]:
    access = agency_access(request.user, agency_id)
    rows = Finding.objects.select_related(
        "agency", "audit", "audit__agency", "unit", "procedure", "recorded_by"
    )
    return access, get_scoped(access, rows, pk=pk)


def _locked_message(audit: Audit) -> str | None:
    """Why findings of `audit` cannot be recorded now (not under way, or locked), or None."""
    try:
        services.require_under_way(audit)
    except ValidationError as refusal:
        return " ".join(refusal.messages)
    return None


def _form(
    request: HttpRequest, access: AgencyAccess, audit: Audit, finding: Finding
) -> HttpResponse:
    actor_of(access, audit).require(Action.RECORD_FINDINGS)
    refusal = _locked_message(audit)
    if refusal:
        messages.error(request, refusal)
        return redirect(finding if finding.pk else audit)
    unit_ids = services.audited_unit_ids(audit)
    form = FindingForm(
        request.POST or None,
        request.FILES or None,
        instance=finding,
        audit=audit,
        unit_ids=unit_ids,
    )
    if request.method == "POST" and form.is_valid():
        evidence = form.cleaned_data.get("evidence")
        try:
            saved = services.save_finding(
                form.instance, access.user, [evidence] if evidence else []
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The finding has been recorded."))
            return redirect(saved)
    title = str(finding) if finding.pk else _("New finding: %(audit)s") % {"audit": audit}
    context = {
        "access": access,
        "agency": access.agency,
        "audit": audit,
        "form": form,
        "title": title,
        "back": finding.get_absolute_url() if finding.pk else audit.get_absolute_url(),
        "form_id": "finding-form",
        "multipart": True,
    }
    return render(request, "audits/form_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def finding_new(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, audit = load(request, agency_id, pk)
    return _form(request, access, audit, Finding(audit=audit, agency=access.agency))


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, finding = _finding(request, agency_id, pk)
    return _form(request, access, finding.audit, finding)


@login_required
@require_GET
def finding_detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """A fixed number of queries: access, finding, team, files."""
    access, finding = _finding(request, agency_id, pk)
    audit = finding.audit
    actor = actor_of(access, audit)
    may_record = actor.can(Action.RECORD_FINDINGS) and _locked_message(audit) is None
    context = {
        "access": access,
        "agency": access.agency,
        "finding": finding,
        "audit": audit,
        "files": list(finding.files.select_related("uploaded_by")),
        "may_record": may_record,
        "file_form": FileForm() if may_record else None,
        # The corrective action this nonconformity opened (qms.corrective), if any.
        "nonconformity": Nonconformity.objects.filter(finding=finding).first()
        if finding.is_nonconformity
        else None,
        "may_raise": finding.is_nonconformity and access.can(Action.RAISE_NONCONFORMITY),
    }
    return render(request, "audits/finding_detail.html", context)


@login_required
@require_POST
def file_add(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, finding = _finding(request, agency_id, pk)
    actor_of(access, finding.audit).require(Action.RECORD_FINDINGS)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in named_errors(form):
            messages.error(request, error)
        return redirect(finding)
    try:
        services.add_file(finding, form.cleaned_data["file"], access.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The evidence file has been attached."))
    return redirect(finding)


@login_required
@require_GET
def file_download(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access = agency_access(request.user, agency_id)
    kept = FindingFile.objects.filter(finding__agency=access.agency, pk=pk).first()
    if kept is None:
        raise Http404
    return stored_attachment(kept.file, kept.content_type, kept.name)
