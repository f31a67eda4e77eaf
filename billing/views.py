"""Thin views: parse input, call a service or selector, render."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import KOV_ROLES, Role
from accounts.permissions import get_visible_or_404, role_required
from accounts.services import log_cases, log_people
from cases.isikukood import normalise_isikukood
from providers import selectors as provider_selectors
from providers.models import Specialist
from tugi import sections
from tugi.forms import month_param, week_param
from tugi.workdays import add_months, month_start

from . import dashboards, einvoice, imports, month_steps, plans, rules, selectors, services
from .forms import (
    AcceptForm,
    CorrectionForm,
    DeliveryEditForm,
    DeliveryEntryForm,
    FundingAgreementForm,
    ImportForm,
    InterimEvaluationForm,
    ReviewForm,
    WeekGridForm,
)
from .models import Delivery, FundingAgreement, ImportJob, InterimEvaluation, Invoice, MonthState

ENTRY_ROLES = (*KOV_ROLES, Role.PROVIDER)


def _last_month() -> dt.date:
    return add_months(month_start(timezone.localdate()), -1)


# --- Attendance


@role_required(Role.PROVIDER)
def my_attendance(request):
    """The provider specialist's start page: a week grid of their persons' plan lines, paged."""
    monday = week_param(request.GET.get("week") or request.POST.get("week"), default=timezone.localdate())
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    specialist = Specialist.objects.filter(user=request.user).first()
    # One person's lines only, when the specialist's start page sent them here.
    person = _grid_person(request)
    page = Paginator(
        plans.provider_lines(
            provider_id=request.user.provider_id, start=days[0], end=days[-1],
            case_ids=[person.pk] if person else None,
        ),
        settings.GRID_LINES_PER_PAGE,
    ).get_page(request.GET.get("page") or request.POST.get("page"))
    case_query = f"&case={person.pk}" if person else ""
    form = WeekGridForm(request.POST or None, lines=page.object_list, days=days)
    if request.method == "POST" and specialist is None:
        messages.error(request, _("Nothing was saved: your account is not linked to a specialist."))
    elif request.method == "POST" and form.is_valid():
        names, drafts = form.drafts(provider=request.user.provider, specialist=specialist)
        if not drafts:
            messages.info(request, _("No minutes were entered: nothing was saved."))
        else:
            try:
                services.record_deliveries(drafts=drafts, by=request.user, source=Delivery.Source.GRID)
            except services.BillingError as error:
                for index, problems in error.rows:
                    form.add_error(names[index], " ".join(p.message for p in problems))
                if not error.rows:
                    messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    ngettext("%(n)s session recorded.", "%(n)s sessions recorded.", len(drafts)) % {"n": len(drafts)},
                )
                return redirect(
                    f"{reverse('billing:my_attendance')}?week={monday.isoformat()}&page={page.number}{case_query}"
                )
    if form.errors:
        messages.error(request, _("Nothing was saved: correct the marked cells."))
    log_cases(request=request, cases=[line.plan.case for line in page])
    rows = form.rows(selectors.minutes_recorded(request.user, days[0], days[-1]))
    months = sorted({month_start(day) for day in days})
    progress = selectors.plan_progress(provider_id=request.user.provider_id, lines=page.object_list, months=months)
    for row in rows:
        line = row["line"]
        row["progress"] = [progress[(line.plan.case_id, line.component_id, line.form, m)] for m in months]
    return render(request, "billing/my_attendance.html", {
        "days": days, "rows": rows, "months": months,
        "specialist": specialist, "week": monday, "page": page, "week_query": f"week={monday.isoformat()}{case_query}",
        "previous": monday - dt.timedelta(days=7), "next": monday + dt.timedelta(days=7), "person": person,
    })


def _grid_person(request, *, strict: bool = True):
    """The person (case) the page is for (``case``), among those the user may record for; None
    for every person. An unknown one is not found (``strict``) or ignored (a posted form says
    what is wrong with it)."""
    value = request.GET.get("case") or request.POST.get("case")
    if not value or not str(value).isdigit():
        return None
    cases = selectors.cases_for_attendance(request.user)
    if strict:
        return get_visible_or_404(cases, pk=int(value))
    return cases.filter(pk=int(value)).first()


@role_required(Role.PROVIDER)
def specialist_home(request):
    """The provider specialist's start page: this week's persons and their hours against the plan
    this month, each person linked to recording."""
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    sunday = monday + dt.timedelta(days=6)
    page = Paginator(
        plans.provider_lines(provider_id=request.user.provider_id, start=monday, end=sunday),
        settings.GRID_LINES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    month = month_start(today)
    progress = selectors.plan_progress(provider_id=request.user.provider_id, lines=page.object_list, months=[month])
    week = selectors.minutes_recorded(request.user, monday, sunday)
    persons: dict[int, dict] = {}
    for line in page:
        case = line.plan.case
        entry = persons.setdefault(case.pk, {"case": case, "lines": []})
        entry["lines"].append({
            "line": line,
            "progress": progress[(case.pk, line.component_id, line.form, month)],
            "week_minutes": sum(
                minutes for (case_id, component_id, _day), minutes in week.items()
                if (case_id, component_id) == (case.pk, line.component_id)
            ),
        })
    log_cases(request=request, cases=[entry["case"] for entry in persons.values()])
    return render(request, "billing/specialist_home.html", {
        "persons": list(persons.values()), "page": page, "monday": monday, "sunday": sunday, "month": month,
        "specialist": Specialist.objects.filter(user=request.user).first(),
    })


@role_required(*ENTRY_ROLES)
def delivery_list(request):
    month = month_param(request.GET.get("month"), default=month_start(timezone.localdate()))
    qs = selectors.deliveries_for(request.user).filter(date__gte=month, date__lt=add_months(month, 1))
    search = request.GET.get("q", "").strip()
    if search:
        code = normalise_isikukood(search)
        qs = qs.filter(Q(case__person__last_name__icontains=search) | Q(case__person__isikukood__startswith=code))
    page = Paginator(qs.order_by("-date", "-pk"), 50).get_page(request.GET.get("page"))
    log_cases(request=request, cases=[d.case for d in page])
    return render(request, "billing/delivery_list.html", {
        "page": page, "month": month, "search": search,
        "accepted_kovs": selectors.municipalities_with_accepted_month(month),
        "previous": add_months(month, -1), "next": add_months(month, 1),
    })


@role_required(*ENTRY_ROLES)
def delivery_add(request):
    cases = selectors.cases_for_attendance(request.user)
    person = _grid_person(request, strict=False)
    today = timezone.localdate()
    planned = plans.planned_component_ids(
        case_id=person.pk, provider_id=request.user.provider_id,
        start=add_months(month_start(today), -2), end=add_months(today, 1),
    ) if person else set()
    chosen = request.GET.get("component", "")
    form = DeliveryEntryForm(
        request.POST or None, cases=cases, user=request.user, planned_components=planned,
        regroup_url=reverse("billing:delivery_add"),
        initial={"case": person.pk if person else None, "component": int(chosen) if chosen.isdigit() else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.user.provider_id and data["provider"].pk != request.user.provider_id:
            raise Http404
        people = [data["case"], *[c for c in data["participants"] if c != data["case"]]]
        session = uuid.uuid4()
        drafts = [
            rules.Draft(
                municipality=case.municipality, case=case, component=data["component"], provider=data["provider"],
                specialist=data["specialist"], date=data["date"], start_time=data["start_time"],
                minutes=data["minutes"], form=data["form"], recipient_name=data["recipient_name"],
                note=data["note"], session_key=session,
            )
            for case in people
        ]
        try:
            created = services.record_deliveries(drafts=drafts, by=request.user)
        except services.BillingError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            warned = [d for d in created if d.status == "warning"]
            messages.success(request, _("Session recorded."))
            for d in warned:
                for p in d.problems:
                    messages.warning(request, f"{d.case.person}: {p['message']}")
            return redirect(f"{reverse('billing:delivery_list')}?month={data['date']:%Y-%m}")
    # The person pickers list everyone whose sessions the user may record.
    log_cases(request=request, cases=cases)
    return render(request, "billing/form.html", {"form": form, "title": _("Record a session")})


def _delivery(request, pk) -> Delivery:
    delivery = get_visible_or_404(selectors.deliveries_for(request.user), pk=pk)
    log_cases(request=request, cases=[delivery.case])
    return delivery


@role_required(*ENTRY_ROLES)
def delivery_edit(request, pk):
    delivery = _delivery(request, pk)
    initial = {f: getattr(delivery, f) for f in ("date", "start_time", "minutes", "recipient_name", "note")}
    form = DeliveryEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_delivery(delivery=delivery, by=request.user, **form.cleaned_data)
        except services.BillingError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Session saved."))
            return redirect(f"{reverse('billing:delivery_list')}?month={delivery.date:%Y-%m}")
    return render(request, "billing/form.html", {
        "form": form, "title": _("Change the session of %(date)s") % {"date": f"{delivery.date:%d.%m.%Y}"},
        "delivery": delivery,
    })


@role_required(*ENTRY_ROLES)
def delivery_delete(request, pk):
    delivery = _delivery(request, pk)
    if request.method == "POST":
        try:
            services.delete_delivery(delivery=delivery, by=request.user)
        except services.BillingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Session deleted."))
        return redirect(f"{reverse('billing:delivery_list')}?month={delivery.date:%Y-%m}")
    return render(request, "billing/confirm_delete.html", {"delivery": delivery})


@require_POST
@role_required(Role.COORDINATOR)
def warnings_accept(request):
    """Accept the ticked warnings of the month-end page with one reason."""
    month = month_param(request.POST.get("month"), default=_last_month())
    chosen = list(selectors.deliveries_for(request.user).filter(pk__in=request.POST.getlist("delivery")[:500]))
    form = AcceptForm(request.POST)
    if not chosen:
        messages.error(request, _("Tick the warnings to accept."))
    elif not form.is_valid():
        messages.error(request, _("Give the reason for accepting the warning."))
    else:
        try:
            count = services.accept_warnings(deliveries=chosen, reason=form.cleaned_data["reason"], by=request.user)
        except services.BillingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, ngettext("%(n)s warning accepted.", "%(n)s warnings accepted.", count)
                             % {"n": count})
    return _back_to_month(month, "billing:month_check")


@role_required(Role.COORDINATOR)
def warning_accept(request, pk):
    delivery = _delivery(request, pk)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_warning(delivery=delivery, reason=form.cleaned_data["reason"], by=request.user)
        except services.BillingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Warning accepted."))
        return redirect(f"{reverse('billing:month_check')}?month={delivery.date:%Y-%m}")
    return render(request, "billing/form.html", {"form": form, "title": _("Accept the warning"), "delivery": delivery})


@role_required(Role.COORDINATOR)
def delivery_correct(request, pk):
    delivery = _delivery(request, pk)
    form = CorrectionForm(request.POST or None, initial={"new_minutes": delivery.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            adjustment = services.correct_after_acceptance(delivery=delivery, by=request.user, **form.cleaned_data)
        except services.BillingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The correction goes into the invoice of %(month)s.")
                             % {"month": f"{adjustment.month:%m.%Y}"})
            return redirect(f"{reverse('billing:month_closing')}?month={adjustment.month:%Y-%m}")
    return render(request, "billing/form.html", {
        "form": form, "title": _("Correct a session of an accepted month"), "delivery": delivery,
    })


# --- Import


@role_required(Role.COORDINATOR, Role.PROVIDER)
def import_attendance(request):
    """Small files are imported in the request; larger ones by a background job."""
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    refused = None
    if request.method == "POST" and form.is_valid():
        upload, kov = form.cleaned_data["file"], form.cleaned_data["municipality"]
        try:
            imports.check_size(upload.size)
            if imports.runs_in_background(upload.size):
                job = imports.queue_import(content=upload.read(), filename=upload.name, municipality=kov,
                                           by=request.user)
                return redirect("billing:import_job", pk=job.pk)
            result = imports.import_attendance(content=upload.read(), filename=upload.name, municipality=kov,
                                               by=request.user)
        except imports.ImportRefused as error:
            refused = error.lines
        except services.BillingError as error:
            refused = [(0, m) for m in error.messages]
        else:
            return _imported(request, created=result.created, already=result.already, month=result.month)
    return render(request, "billing/import.html", {
        "form": form, "refused": refused, "columns": imports.COLUMNS, "optional": "; ".join(imports.OPTIONAL_COLUMNS),
        "max_size": imports.file_size(imports.max_bytes()), "max_rows": number_format(imports.max_rows(), 0, force_grouping=True),
        "background_size": imports.file_size(settings.IMPORT_BACKGROUND_BYTES),
    })


#: How many "already recorded" lines the result message names.
ALREADY_SHOWN = 20


def _imported(request, *, created: int, already: list, month: dt.date | None):
    """The import's result on the imported month's list of sessions."""
    messages.success(request, ngettext(
        "%(n)s session imported.", "%(n)s sessions imported.", created
    ) % {"n": created})
    if already:
        lines = ", ".join(str(line) for line, _message in already[:ALREADY_SHOWN])
        if len(already) > ALREADY_SHOWN:
            lines += " …"
        messages.info(request, ngettext(
            "%(n)s line was already recorded and was not added again (line %(lines)s). A session that "
            "really took place twice needs its start time (column algusaeg).",
            "%(n)s lines were already recorded and were not added again (lines %(lines)s). A session that "
            "really took place twice needs its start time (column algusaeg).",
            len(already),
        ) % {"n": len(already), "lines": lines})
    target = reverse("billing:delivery_list")
    if month:
        target += f"?month={month:%Y-%m}"
    return redirect(target)


@role_required(Role.COORDINATOR, Role.PROVIDER)
def import_job(request, pk):
    """A background import: its progress (polled by htmx), then the month's result."""
    job = get_visible_or_404(imports.import_jobs_for(request.user), pk=pk)
    if job.status == ImportJob.Status.DONE:
        months = job.result.get("months") or []
        response = _imported(request, created=job.result.get("created", 0),
                             already=job.result.get("already", []),
                             month=dt.date.fromisoformat(months[0]) if months else None)
        if request.htmx:
            return HttpResponse(headers={"HX-Redirect": response.url})
        return response
    context = {"job": job, "refused": job.result.get("lines") if job.status == ImportJob.Status.REFUSED else None}
    if request.htmx:
        return render(request, "billing/_import_job.html", context)
    return render(request, "billing/import_job.html", context)


@role_required(Role.COORDINATOR, Role.PROVIDER)
def import_template(request, fmt):
    if fmt == "xlsx":
        response = HttpResponse(
            imports.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="osalemine.{fmt}"'
    return response


# --- Month end


def _month_page(request, current: str) -> dict:
    """What every month-end page has: the municipality, the chosen month (``?month=YYYY-MM``,
    last month by default) with its neighbours, its state and the step indicator."""
    kov = request.user.municipality
    month = month_param(request.GET.get("month"), default=_last_month())
    state = selectors.month_state(kov, month)
    closable_from = add_months(month, 1)
    return {
        "municipality": kov,
        "month": month,
        "previous": add_months(month, -1),
        "next": add_months(month, 1),
        "state": state,
        "locked": bool(state and state.is_locked),
        "can_reopen": bool(state and state.may_reopen),
        "closable_from": closable_from,
        "has_ended": timezone.localdate() >= closable_from,
        **month_steps.page_links(month, current),
    }


@role_required(Role.COORDINATOR)
def month_end(request):
    """The coordinator's start page: the month as steps, each with its state, what blocks the
    next one and a link to the page where it is done; returned invoices and contracts ending."""
    context = _month_page(request, "billing:month_end")
    kov, today = context["municipality"], timezone.localdate()
    overview = month_steps.month_steps(municipality=kov, month=context["month"], today=today, state=context["state"])
    context.update(
        steps=overview["steps"],
        next_step=overview["next_step"],
        invoice=overview["invoice"],
        returned=selectors.invoices_for(request.user).filter(
            state=Invoice.State.RETURNED, billing_month__state=MonthState.RETURNED
        ).order_by("-month")[:10],
        contracts_ending=provider_selectors.contracts_ending_soon(request.user, today=today).select_related(
            "provider"
        )[:10],
        sections=sections.for_page("billing:month_end", request),
    )
    return render(request, "billing/month_overview.html", context)


@role_required(Role.COORDINATOR)
def month_check(request):
    """Step 1: what blocks the close, each session with an error or a warning, accept, re-check."""
    context = _month_page(request, "billing:month_check")
    kov, month = context["municipality"], context["month"]
    problems = selectors.problem_deliveries(kov, month)[:200]
    context.update(
        blockers=[] if context["locked"] else rules.month_blockers(kov, month),
        problems=problems,
        accept_form=AcceptForm(),
    )
    log_people(request=request, people=[(d.case.person, kov) for d in problems])
    return render(request, "billing/month_check.html", context)


@role_required(Role.COORDINATOR)
def month_closing(request):
    """Step 2: what the close will invoice (preview, adjustments, totals) and the close button."""
    context = _month_page(request, "billing:month_closing")
    kov, month = context["municipality"], context["month"]
    adjustments = selectors.adjustments_invoiced_in(kov, month)
    state = context["state"]
    context.update(
        blockers=[] if context["locked"] else rules.month_blockers(kov, month),
        adjustments=adjustments,
        preview=services.invoice_preview(municipality=kov, month=month),
        participants_in_month=selectors.participants_in_month(kov, month),
        by_component=selectors.totals_by_component(kov, month),
        by_provider=selectors.totals_by_provider(kov, month),
        invoice=month_steps.live_invoice(state),
    )
    log_people(request=request, people=[(a.delivery.case.person, kov) for a in adjustments])
    return render(request, "billing/month_closing.html", context)


@role_required(Role.COORDINATOR)
def month_submission(request):
    """Step 3: the closed month's invoice, its documents and the submission to SKA."""
    context = _month_page(request, "billing:month_submission")
    kov, month, state = context["municipality"], context["month"], context["state"]
    agreement = selectors.agreement_for(kov, month)
    context.update(
        invoice=month_steps.live_invoice(state),
        invoices=state.invoices.order_by("-version") if state else [],
        agreement=agreement,
        missing=agreement.missing_invoicing_details() if agreement else [],
    )
    # The month's documents (reporting's sections of this page; see tugi.sections).
    context["sections"] = sections.for_page(
        "billing:month_submission", request, municipality=kov, month=month, invoice=context["invoice"]
    )
    return render(request, "billing/month_submission.html", context)


@role_required(Role.COORDINATOR)
def month_dashboard(request):
    """The month's figures: the funding agreement, the charts, budgets per person, contracts."""
    context = _month_page(request, "billing:month_dashboard")
    kov, month = context["municipality"], context["month"]
    charts = dashboards.month_end_charts(municipality=kov, month=month)
    person_page = Paginator(charts["person_rows"], 25).get_page(request.GET.get("page"))
    context.update(
        charts=charts,
        person_page=person_page,
        dashboard=selectors.funding_dashboard(kov, today=timezone.localdate()),
        contracts=selectors.contract_usages(kov),
    )
    log_people(request=request, people=[(row["person_record"], kov) for row in person_page])
    return render(request, "billing/month_dashboard.html", context)


def _back_to_month(month: dt.date, page: str = "billing:month_end"):
    return redirect(f"{reverse(page)}?month={month:%Y-%m}")


@require_POST
@role_required(Role.COORDINATOR)
def month_close(request):
    month = month_param(request.POST.get("month"), default=_last_month())
    try:
        invoice = services.close_month(municipality=request.user.municipality, month=month, by=request.user)
    except services.BillingError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back_to_month(month, "billing:month_closing")
    messages.success(request, _("Month closed: invoice %(number)s.") % {"number": invoice.number})
    return redirect("billing:invoice_detail", pk=invoice.pk)


@require_POST
@role_required(Role.COORDINATOR)
def month_recheck(request):
    month = month_param(request.POST.get("month"), default=_last_month())
    try:
        changed = services.recheck_month(municipality=request.user.municipality, month=month)
    except services.BillingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("Checked again; %(n)s delivery changed.", "Checked again; %(n)s deliveries changed.", changed)
            % {"n": changed},
        )
    return _back_to_month(month, "billing:month_check")


@require_POST
@role_required(Role.COORDINATOR)
def month_reopen(request):
    month = month_param(request.POST.get("month"), default=_last_month())
    try:
        services.reopen_month(municipality=request.user.municipality, month=month, by=request.user)
    except services.BillingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Month reopened: correct it and close it again."))
    return _back_to_month(month)


# --- Invoices


@role_required(Role.COORDINATOR, Role.SKA, Role.ADMIN)
def invoice_list(request):
    qs = selectors.invoices_for(request.user)
    state = request.GET.get("state", "")
    if state in Invoice.State.values:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-month", "municipality__name", "-version"), 50).get_page(request.GET.get("page"))
    return render(request, "billing/invoice_list.html", {"page": page, "state": state, "states": Invoice.State.choices})


@role_required(Role.COORDINATOR, Role.SKA, Role.ADMIN)
def invoice_detail(request, pk):
    invoice = get_visible_or_404(selectors.invoices_for(request.user), pk=pk)
    return _invoice_page(request, invoice, ReviewForm())


def _invoice_page(request, invoice, review_form, status=200):
    person_lines = Paginator(
        invoice.person_lines.select_related("case").order_by("case__number"), 50
    ).get_page(request.GET.get("page"))
    context = {
        "invoice": invoice,
        "lines": invoice.lines.select_related("component"),
        "person_lines": person_lines,
        "versions": selectors.invoices_for(request.user).filter(billing_month_id=invoice.billing_month_id).order_by("version"),
        "checks": services.consistency_check(invoice),
        "review_form": review_form,
    }
    context["sections"] = sections.for_page("billing:invoice_detail", request, invoice=invoice)
    return render(request, "billing/invoice_detail.html", context, status=status)


@role_required(Role.COORDINATOR, Role.SKA, Role.ADMIN)
def invoice_einvoice(request, pk):
    """The invoice version as a Peppol BIS Billing 3.0 e-invoice (UBL 2.1 XML)."""
    invoice = get_visible_or_404(selectors.invoices_for(request.user), pk=pk)
    response = HttpResponse(einvoice.build(invoice), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{einvoice.filename(invoice)}"'
    return response


@require_POST
@role_required(Role.COORDINATOR)
def invoice_submit(request, pk):
    invoice = get_visible_or_404(selectors.invoices_for(request.user), pk=pk)
    try:
        services.submit_invoice(invoice=invoice, by=request.user)
    except services.BillingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invoice submitted to SKA."))
    return redirect("billing:invoice_detail", pk=invoice.pk)


@require_POST
@role_required(Role.SKA)
def invoice_review(request, pk):
    invoice = get_visible_or_404(selectors.invoices_for(request.user), pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_invoice(
                invoice=invoice, by=request.user, accept=form.cleaned_data["decision"] == "accept",
                remarks=form.cleaned_data["remarks"],
            )
        except services.BillingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Review saved."))
            return redirect("billing:invoice_detail", pk=invoice.pk)
    # The page again with the chosen decision kept and the field to fix marked.
    return _invoice_page(request, invoice, form, status=400)


# --- Funding agreement and interim evaluations: the coordinator keeps them, SKA reads them

AGREEMENT_READERS = (Role.COORDINATOR, Role.SKA, Role.ADMIN)


def _form_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@role_required(*AGREEMENT_READERS)
def agreement_list(request):
    page = Paginator(selectors.agreements_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "billing/agreement_list.html", {"page": page})


@role_required(*AGREEMENT_READERS)
def agreement_detail(request, pk):
    agreement = get_visible_or_404(selectors.agreements_for(request.user), pk=pk)
    context = {
        "agreement": agreement,
        "evaluations": agreement.evaluations.order_by("-date"),
        "history": selectors.agreement_history(agreement),
        "usage": selectors.funding_usage(agreement),
        "may_edit": request.user.role == Role.COORDINATOR,
    }
    return render(request, "billing/agreement_detail.html", context)


@role_required(Role.COORDINATOR)
def agreement_add(request):
    return _agreement_form(request, FundingAgreement(municipality=request.user.municipality), _("New funding agreement"))


@role_required(Role.COORDINATOR)
def agreement_edit(request, pk):
    agreement = get_visible_or_404(selectors.agreements_for(request.user), pk=pk)
    return _agreement_form(request, agreement, _("Funding agreement %(number)s") % {"number": agreement.number})


def _agreement_form(request, agreement, title):
    form = FundingAgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_funding_agreement(agreement=form.save(commit=False), by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Funding agreement saved."))
            return redirect("billing:agreement_detail", pk=agreement.pk)
    return render(request, "billing/agreement_form.html", {"form": form, "title": title, "agreement": agreement})


@role_required(Role.COORDINATOR)
def evaluation_add(request, pk):
    agreement = get_visible_or_404(selectors.agreements_for(request.user), pk=pk)
    return _evaluation_form(request, InterimEvaluation(agreement=agreement), _("New interim evaluation"))


@role_required(Role.COORDINATOR)
def evaluation_edit(request, pk):
    evaluation = get_visible_or_404(
        InterimEvaluation.objects.filter(agreement__in=selectors.agreements_for(request.user)), pk=pk
    )
    return _evaluation_form(
        request, evaluation, _("Interim evaluation of %(date)s") % {"date": f"{evaluation.date:%d.%m.%Y}"}
    )


def _evaluation_form(request, evaluation, title):
    form = InterimEvaluationForm(request.POST or None, instance=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_interim_evaluation(evaluation=form.save(commit=False), by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Interim evaluation saved."))
            return redirect("billing:agreement_detail", pk=evaluation.agreement_id)
    return render(
        request, "billing/agreement_form.html",
        {"form": form, "title": title, "agreement": evaluation.agreement},
    )
