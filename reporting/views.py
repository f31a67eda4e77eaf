"""Report pages: the job list, a job's status (htmx-polled), downloads, requests and retries."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import AccessLog, Role
from accounts.permissions import (
    get_visible_or_404,
    has_role,
    role_required,
    visible_municipalities,
)
from accounts.services import log_access

from . import selectors, services
from .forms import JobFilterForm, ReportRequestForm
from .registry import get_kind

PAGE_SIZE = 25


@role_required(Role.SKA, Role.COORDINATOR, Role.ADMIN)
def home(request):
    """SKA staff's start page: the monthly reports of every municipality they may see."""
    return render(
        request,
        "reporting/home.html",
        {
            "municipalities": visible_municipalities(request.user),
            "recent_jobs": selectors.jobs_for(request.user)[:5],
        },
    )


def _request_form(request, data=None):
    return ReportRequestForm(
        data,
        kinds=selectors.kinds_for(request.user),
        municipalities=visible_municipalities(request.user),
    )


def _jobs_page(request, request_form, status=200):
    kinds = selectors.kinds_for(request.user)
    filter_form = JobFilterForm(request.GET or None, kinds=kinds)
    jobs = filter_form.filter(selectors.jobs_for(request.user))
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/jobs.html",
        {
            "page": page,
            "filter_form": filter_form,
            "request_form": request_form,
            "query": query.urlencode(),
        },
        status=status,
    )


@role_required(*selectors.REPORT_PAGE_ROLES)
def jobs(request):
    return _jobs_page(request, _request_form(request))


@role_required(*selectors.REPORT_PAGE_ROLES)
def job_detail(request, pk):
    job = selectors.get_job_for(request.user, pk)
    context = {"job": job}
    if request.htmx:
        return render(request, "reporting/_job_status.html", context)
    context["history"] = selectors.history_of(job)[:20]
    return render(request, "reporting/job_detail.html", context)


@role_required(*selectors.REPORT_PAGE_ROLES)
def download(request, pk):
    job = selectors.get_job_for(request.user, pk)
    if not job.is_downloadable:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    if job.subject_id and (subject := job.subject) is not None:
        log_access(
            request=request,
            subject=subject,
            municipality=job.municipality,
            action=AccessLog.Action.DOWNLOAD,
        )
    return FileResponse(
        handle, as_attachment=True, filename=job.filename, content_type=job.content_type
    )


@require_POST
@role_required(*selectors.REPORT_PAGE_ROLES)
def request_report(request):
    if request.POST.get("municipality"):
        get_visible_or_404(visible_municipalities(request.user), pk=request.POST["municipality"])
    try:
        kind = get_kind(request.POST.get("kind", ""))
    except KeyError as exc:
        raise Http404 from exc
    if not has_role(request.user, *kind.roles):
        raise PermissionDenied
    form = _request_form(request, request.POST)
    if form.is_valid():
        try:
            job = services.request_report(
                kind=kind.code,
                by=request.user,
                municipality=form.cleaned_data["municipality"],
                month=form.cleaned_data["month"],
            )
        except services.ReportingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The report is being generated."))
            return redirect("reporting:job_detail", pk=job.pk)
    return _jobs_page(request, form, status=400)


@require_POST
@role_required(*selectors.REPORT_PAGE_ROLES)
def retry(request, pk):
    job = selectors.get_job_for(request.user, pk)
    try:
        job = services.retry_report(job=job, by=request.user)
    except services.ReportingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The report is being generated again."))
    return redirect("reporting:job_detail", pk=job.pk)
