"""Thin views: parse input, call a service or selector, render."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import KOV_ROLES, Role
from accounts.permissions import get_visible_or_404, role_required
from accounts.services import log_cases, log_people
from providers.models import Specialist
from tugi.forms import month_param, week_param
from tugi.workdays import add_months, month_start

from . import dashboards, einvoice, imports, plans, selectors, services, validation
from .forms import (
    AcceptForm,
    CorrectionForm,
    DeliveryEditForm,
    DeliveryEntryForm,
    FundingAgreementForm,
    ImportForm,
    InterimEvaluationForm,
    ReviewForm,
)
from .models import Delivery, FundingAgreement, InterimEvaluation, Invoice

ENTRY_ROLES = (*KOV_ROLES, Role.PROVIDER)


def _last_month() -> dt.date:
    return add_months(month_start(timezone.localdate()), -1)


# --- Attendance


@role_required(Role.PROVIDER)
def my_attendance(request):
    """The provider specialist's start page: a week grid of their persons' plan lines."""
    today = timezone.localdate()
    monday = week_param(request.GET.get("week") or request.POST.get("week"), default=today)
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    specialist = Specialist.objects.filter(user=request.user).first()
    lines = list(plans.provider_lines(provider_id=request.user.provider_id, start=days[0], end=days[-1]))
    recorded = {}
    for d in selectors.deliveries_for(request.user).filter(date__gte=days[0], date__lte=days[-1]):
        key = (d.case_id, d.component_id, d.date)
        recorded[key] = recorded.get(key, 0) + d.minutes
    errors = {}
    if request.method == "POST" and specialist is None:
        messages.error(request, _("Nothing was saved: your account is not linked to a specialist."))
    if request.method == "POST" and specialist is not None:
        drafts, cells = [], []
        for line in lines:
            for day in days:
                value = request.POST.get(f"c-{line.pk}-{day.isoformat()}", "").strip()
                if not value:
                    continue
                try:
                    minutes = int(value)
                except ValueError:
                    errors[(line.pk, day)] = _("Enter whole minutes.")
                    continue
                case = line.plan.case
                drafts.append(
                    validation.Draft(
                        municipality=case.municipality, case=case, component=line.component,
                        provider=request.user.provider, specialist=specialist, date=day,
                        minutes=minutes, form=line.form,
                    )
                )
                cells.append((line.pk, day))
        if not errors and drafts:
            try:
                services.record_deliveries(drafts=drafts, by=request.user, source=Delivery.Source.GRID)
            except services.BillingError as error:
                for index, problems in error.rows:
                    errors[cells[index]] = " ".join(p.message for p in problems)
                if not error.rows:
                    messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    ngettext("%(n)s session recorded.", "%(n)s sessions recorded.", len(drafts)) % {"n": len(drafts)},
                )
                return redirect(f"{reverse('billing:my_attendance')}?week={monday.isoformat()}")
        if errors:
            messages.error(request, _("Nothing was saved: correct the marked cells."))
    rows = []
    for line in lines:
        cells_of_row = []
        for day in days:
            name = f"c-{line.pk}-{day.isoformat()}"
            in_force = line.valid_from <= day and (line.valid_to is None or day <= line.valid_to)
            cells_of_row.append({
                "name": name, "day": day, "in_force": in_force,
                "recorded": recorded.get((line.plan.case_id, line.component_id, day), 0),
                "value": request.POST.get(name, "") if errors else "",
                "error": errors.get((line.pk, day)),
            })
        rows.append({"line": line, "cells": cells_of_row})
    log_cases(request=request, cases=[line.plan.case for line in lines])
    context = {
        "days": days, "rows": rows, "specialist": specialist, "week": monday,
        "previous": monday - dt.timedelta(days=7), "next": monday + dt.timedelta(days=7),
    }
    return render(request, "billing/my_attendance.html", context)


@role_required(*ENTRY_ROLES)
def delivery_list(request):
    month = month_param(request.GET.get("month"), default=month_start(timezone.localdate()))
    qs = selectors.deliveries_for(request.user).filter(date__gte=month, date__lt=add_months(month, 1))
    search = request.GET.get("q", "").strip()
    if search:
        qs = qs.filter(Q(case__person__last_name__icontains=search) | Q(case__person__isikukood__startswith=search))
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
    form = DeliveryEntryForm(request.POST or None, cases=cases, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.user.provider_id and data["provider"].pk != request.user.provider_id:
            raise Http404
        people = [data["case"], *[c for c in data["participants"] if c != data["case"]]]
        session = uuid.uuid4()
        drafts = [
            validation.Draft(
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
        return redirect(f"{reverse('billing:month_end')}?month={delivery.date:%Y-%m}")
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
            return redirect(f"{reverse('billing:month_end')}?month={adjustment.month:%Y-%m}")
    return render(request, "billing/form.html", {
        "form": form, "title": _("Correct a session of an accepted month"), "delivery": delivery,
    })


# --- Import


@role_required(Role.COORDINATOR, Role.PROVIDER)
def import_attendance(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    refused = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = imports.import_attendance(
                content=upload.read(), filename=upload.name, municipality=form.cleaned_data["municipality"],
                by=request.user, only_provider=request.user.provider if request.user.provider_id else None,
            )
        except imports.ImportRefused as error:
            refused = error.lines
        else:
            imported = ngettext(
                "%(n)s session imported.", "%(n)s sessions imported.", result.created
            ) % {"n": result.created}
            skipped = ngettext(
                "%(n)s was already recorded.", "%(n)s were already recorded.", result.skipped
            ) % {"n": result.skipped}
            messages.success(request, f"{imported} {skipped}")
            return redirect("billing:delivery_list")
    return render(request, "billing/import.html", {"form": form, "refused": refused, "columns": imports.COLUMNS})


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


@role_required(Role.COORDINATOR)
def month_end(request):
    """The KOV coordinator's start page: the month's check, totals, budgets and the close."""
    kov = request.user.municipality
    month = month_param(request.GET.get("month"), default=_last_month())
    today = timezone.localdate()
    state = selectors.month_state(kov, month)
    charts = dashboards.month_end_charts(municipality=kov, month=month)
    person_page = Paginator(charts["person_rows"], 25).get_page(request.GET.get("page"))
    problems = selectors.problem_deliveries(kov, month)[:200]
    adjustments = selectors.adjustments_invoiced_in(kov, month)
    closable_from = add_months(month, 1)
    context = {
        "municipality": kov,
        "month": month,
        "previous": add_months(month, -1),
        "next": add_months(month, 1),
        "state": state,
        "locked": bool(state and state.is_locked),
        "can_reopen": bool(state and state.may_reopen),
        "closable_from": closable_from,
        "has_ended": today >= closable_from,
        "blockers": validation.month_blockers(kov, month),
        "problems": problems,
        "by_component": selectors.totals_by_component(kov, month),
        "by_provider": selectors.totals_by_provider(kov, month),
        "adjustments": adjustments,
        "preview": services.invoice_preview(municipality=kov, month=month),
        "participants_in_month": selectors.participants_in_month(kov, month),
        "charts": charts,
        "person_page": person_page,
        "invoices": state.invoices.order_by("-version") if state else [],
        "dashboard": selectors.funding_dashboard(kov, today=today),
        "contracts": selectors.contract_usages(kov),
        "accept_form": AcceptForm(),
    }
    log_people(
        request=request,
        people=[
            *((d.case.person, kov) for d in problems),
            *((a.delivery.case.person, kov) for a in adjustments),
            *((row["person_record"], kov) for row in person_page),
        ],
    )
    return render(request, "billing/month_end.html", context)


def _back_to_month(month: dt.date):
    return redirect(f"{reverse('billing:month_end')}?month={month:%Y-%m}")


@require_POST
@role_required(Role.COORDINATOR)
def month_close(request):
    month = month_param(request.POST.get("month"), default=_last_month())
    try:
        invoice = services.close_month(municipality=request.user.municipality, month=month, by=request.user)
    except services.BillingError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back_to_month(month)
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
    return _back_to_month(month)


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
