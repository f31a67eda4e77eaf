"""Report pages: the job list, a job's status (htmx-polled), downloads, requests and retries."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import AccessLog, Role
from accounts.permissions import (
    get_visible_or_404,
    has_role,
    role_required,
    visible_municipalities,
)
from accounts.services import log_access, log_people
from billing import dashboards as billing_dashboards
from billing import selectors as billing_selectors
from tugi import workdays
from tugi.forms import month_param

from . import months as month_selectors
from . import schedules, selectors, services
from .forms import JobFilterForm, ReportRequestForm
from .models import Reminder
from .registry import get_kind
from .subjects import person_of, subject_for

PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 20


#: Invoices waiting for review on one page of SKA's start page.
WAITING_PAGE = 25


@role_required(Role.SKA, Role.COORDINATOR, Role.ADMIN)
def home(request):
    """SKA's start page: the invoices waiting for review (longest waiting first), the
    municipalities late with the month just ended, and that month in figures; then the
    invoiced totals and the recent reports (a coordinator sees these last two, of their own
    municipality)."""
    user = request.user
    today = timezone.localdate()
    context = {
        "spend": billing_dashboards.spend_by_municipality_chart(user=user, today=today),
        "recent_jobs": selectors.jobs_for(user)[:5],
        "national": has_role(user, Role.SKA, Role.ADMIN),
        "reminders": {"reminders": month_selectors.recent_reminders(user)},
    }
    if context["national"]:
        month = schedules.previous_month(today)
        due = workdays.due_date(month)
        context.update(
            waiting=Paginator(billing_selectors.invoices_awaiting_review(user), WAITING_PAGE).get_page(
                request.GET.get("page")
            ),
            month=month,
            due=due,
            past_due=today > due,
            not_submitted=schedules.not_submitted(month),
            glance=billing_selectors.month_at_a_glance(user, month, schedules.funded_municipalities(month)),
            municipalities=visible_municipalities(user).order_by("name"),
        )
    return render(request, "reporting/home.html", context)


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
    context["page"] = Paginator(selectors.history_of(job), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
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
    kind = job.report_kind
    if job.subject_id and (subject := job.subject) is not None:
        log_access(
            request=request,
            subject=subject,
            municipality=job.municipality,
            action=AccessLog.Action.DOWNLOAD,
            person=person_of(subject),
        )
    elif not job.subject_id and kind.personal_data:
        # A list of many people (e.g. the month's participants): one row names the report
        # (kind, municipality, month) in the site's language, whoever's UI downloaded it...
        with translation.override(settings.LANGUAGE_CODE):
            log_access(
                request=request,
                subject=job,
                municipality=job.municipality,
                action=AccessLog.Action.DOWNLOAD,
            )
        # ...and one row per person it lists, for each person's access report.
        if kind.listed_people:
            log_people(
                request=request,
                people=((person, job.municipality_id) for person in kind.listed_people(job)),
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
    if kind.scope == "subject":
        return _request_document(request, kind)
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
            _say_queued(request, job, _("Report requested."))
            if target := _safe_next(request):
                return redirect(target)
            return redirect("reporting:job_detail", pk=job.pk)
    return _jobs_page(request, form, status=400)


def _safe_next(request) -> str:
    """The ``next`` page the request came from, if it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _request_document(request, kind):
    """A document about one record (``subject_id``), asked for on that record's page;
    back to that page (``next``) or to the job's page."""
    subject, municipality = subject_for(
        request.user, kind.subject_model, request.POST.get("subject_id")
    )
    try:
        job = services.request_report(
            kind=kind.code, by=request.user, municipality=municipality, subject=subject
        )
    except services.ReportingError as exc:
        messages.error(request, exc.message)
        job = None
    else:
        _say_queued(request, job, _("Document requested."))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    if job is None:
        return redirect("reporting:jobs")
    return redirect("reporting:job_detail", pk=job.pk)


@require_POST
@role_required(*selectors.REPORT_PAGE_ROLES)
def retry(request, pk):
    job = selectors.get_job_for(request.user, pk)
    try:
        job = services.retry_report(job=job, by=request.user)
    except services.ReportingError as exc:
        messages.error(request, exc.message)
    else:
        _say_queued(request, job, _("Report requested again."))
    return redirect("reporting:job_detail", pk=job.pk)


def _say_queued(request, job, text: str) -> None:
    """The success message, or the reason when the job could not even be queued."""
    if job.status == job.Status.FAILED:
        messages.error(request, job.error)
    else:
        messages.success(request, text)


# --- SKA's table of municipalities × months, and reminders --------------------------------

MONTHS_SHOWN = 6


@role_required(Role.SKA, Role.ADMIN)
def months(request):
    """Every municipality's months: the state of each (open … accepted) and its files."""
    last = month_param(
        request.GET.get("month"),
        default=workdays.month_start(workdays.month_start(timezone.localdate()) - date.resolution),
    )
    shown = month_selectors.month_range(last, MONTHS_SHOWN)
    q = request.GET.get("q", "").strip()
    kovs = visible_municipalities(request.user).order_by("name")
    if q:
        kovs = kovs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    page = Paginator(kovs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/months.html",
        {
            "months": shown,
            "last": last,
            "q": q,
            "page": page,
            "query": query.urlencode(),
            "rows": month_selectors.month_table(request.user, page.object_list, shown),
            "consolidated": list(month_selectors.consolidated_files(shown).items()),
        },
    )


@require_POST
@login_required
def reminder_read(request, pk):
    updated = Reminder.objects.filter(pk=pk, user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if not updated and not Reminder.objects.filter(pk=pk, user=request.user).exists():
        raise Http404
    return redirect(_safe_next(request) or "home")
