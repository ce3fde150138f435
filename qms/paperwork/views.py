"""The register of outgoing documents, and the steps every official document shares: edit
the draft's signing details, record it as signed under its number, attach the signed copy.
The record's own page shows these through paperwork/_panel.html."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms.lib.downloads import XLSX_TYPE, attachment, stored_attachment
from qms.lib.forms import keep_refused
from qms.lib.uploads import check_upload
from qms.organization.access import Action, AgencyAccess, agency_access, get_scoped
from qms.organization.models import today
from qms.paperwork import exports, services
from qms.paperwork.forms import IssueForm, PaperForm, RegisterFilterForm, SignedCopyForm
from qms.paperwork.models import OfficialRecord, Paper
from qms.paperwork.panel import issue_key, may_keep_copy, require_right
from qms.paperwork.workflows import ISSUE, MANAGE, PAPER_FLOW

PAGE_SIZE = 50


def _papers(access: AgencyAccess) -> QuerySet[Paper]:
    return Paper.objects.filter(agency=access.agency).select_related("agency", "drafting_unit")


def _filtered(access: AgencyAccess, form: RegisterFilterForm) -> tuple[QuerySet[Paper], int]:
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or today().year
    papers = _papers(access).filter(status=Paper.Status.ISSUED, year=year)
    if data.get("kind"):
        papers = papers.filter(kind=data["kind"])
    if data.get("issuer"):
        papers = papers.filter(issuer=data["issuer"])
    if data.get("signed_copy") == "yes":
        papers = papers.exclude(signed_copy_sha256="")
    elif data.get("signed_copy") == "no":
        papers = papers.filter(signed_copy_sha256="")
    return papers.order_by("issuer", "number", "pk"), year


@login_required
@require_GET
def register(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Sổ đăng ký văn bản đi: every document issued in the year, by issuer and number; 3
    queries (access, count, page) whatever the number of documents."""
    access = agency_access(request.user, agency_id)
    form = RegisterFilterForm(request.GET or None)
    papers, year = _filtered(access, form)
    if request.GET.get("format") == "xlsx":
        content = exports.register_xlsx(access.agency, year, papers)
        name = f"so-dang-ky-van-ban-di-{access.agency.abbreviation}-{year}.xlsx"
        return attachment(content, XLSX_TYPE, name)
    page = Paginator(papers, PAGE_SIZE).get_page(request.GET.get("page"))
    drafts = _papers(access).exclude(status=Paper.Status.ISSUED).order_by("-created_at")[:20]
    context = {"access": access, "agency": access.agency, "form": form, "year": year}
    context |= {"page": page, "drafts": drafts}
    return render(request, "paperwork/register.html", context)


def _load(
    request: HttpRequest, agency_id: int, pk: int
) -> tuple[AgencyAccess, Paper, OfficialRecord]:
    access = agency_access(request.user, agency_id)
    paper = get_scoped(access, _papers(access), pk=pk)
    try:
        record = services.record_of(paper)
    except (LookupError, ObjectDoesNotExist) as error:  # a record type gone, or a row
        raise Http404 from error
    return access, paper, record


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, paper, record = _load(request, agency_id, pk)
    require_right(access, record.manage_action)
    if paper.is_issued:
        messages.error(request, _("An issued document cannot be changed."))
        return redirect(paper)
    if paper.is_awaiting_signature:
        messages.error(
            request, _("The draft has been submitted for signature: send it back to change it.")
        )
        return redirect(paper)
    form = PaperForm(request.POST or None, instance=paper)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft(paper, **{f: form.cleaned_data[f] for f in form.fields})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The signing details have been saved."))
            return redirect(paper)
    context = {"access": access, "agency": access.agency, "paper": paper, "record": record}
    return render(request, "paperwork/paper_form.html", context | {"form": form})


@login_required
@require_POST
def issue(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, paper, record = _load(request, agency_id, pk)
    require_right(access, record.issue_action)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            services.issue(
                paper,
                number=form.cleaned_data["number"],
                issued_on=form.cleaned_data["issued_on"],
                by=access.user,
            )
        except ValidationError as error:
            _refused(request, paper, form, error)
        else:
            messages.success(request, _("The document has been recorded as issued."))
    else:
        _refused(request, paper, form)
    return redirect(paper)


def _refused(
    request: HttpRequest, paper: Paper, form: IssueForm, error: ValidationError | None = None
) -> None:
    # The record's page shows the form again as typed, each reason next to its field.
    for problem in keep_refused(request, issue_key(paper), form, error):
        messages.error(request, problem)


@login_required
@require_POST
def attach(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    access, paper, record = _load(request, agency_id, pk)
    if not may_keep_copy(access, record):
        access.require(Action.KEEP_REGISTER)  # refuses, with the reason
    form = SignedCopyForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["file"]))
        checked = check_upload(form.cleaned_data["file"], services.SIGNED_COPY_FILES)
        services.attach_signed_copy(paper, checked, access.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The signed copy has been attached."))
    return redirect(paper)


@login_required
@require_GET
def signed_copy(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    _access, paper, _record = _load(request, agency_id, pk)
    if not paper.has_signed_copy:
        raise Http404
    return stored_attachment(paper.signed_copy, paper.signed_copy_type, paper.signed_copy_name)


@login_required
@require_POST
def step(request: HttpRequest, agency_id: int, pk: int, name: str) -> HttpResponse:
    """One step of the paper's declared workflow (submit for signature, send back)."""
    access, paper, record = _load(request, agency_id, pk)
    transition = PAPER_FLOW.transition(name)
    if transition is None or not record.has_paper_flow():
        raise Http404
    own = {MANAGE: record.manage_action, ISSUE: record.issue_action}
    require_right(access, own[transition.right])
    try:
        services.take(record, name, access, transition.read(request.POST))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(transition.done))
    return redirect(paper)
