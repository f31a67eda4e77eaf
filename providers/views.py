"""Coordinator pages (providers, contracts, prices) and SKA's provider register."""

from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role
from accounts.permissions import can_edit_provider, get_visible_or_404, role_required
from tugi.money import format_money as money

from . import selectors, services
from .export import register_workbook
from .filters import ProviderRegisterFilter
from .forms import ChangePriceForm, ContractForm, PriceForm, ProviderForm, SpecialistForm
from .models import ContractPrice, Provider
from .services import ProviderError


def _say_repriced(request, saved) -> None:
    """What the price change did to recorded sessions (billing answers the prices_changed signal)."""
    for answer in getattr(saved, "repriced", []):
        if answer.count:
            messages.info(request, ngettext(
                "%(n)s recorded session got the price now valid on its date; the amounts changed by %(amount)s in all.",
                "%(n)s recorded sessions got the price now valid on their date; the amounts changed by %(amount)s "
                "in all.",
                answer.count,
            ) % {"n": answer.count, "amount": money(answer.change)})
        if answer.closed_months:
            messages.warning(request, _(
                "Closed months keep the prices they were invoiced with (%(months)s); correct them with "
                "adjustments in an open month."
            ) % {"months": ", ".join(f"{m:%m.%Y}" for m in answer.closed_months)})

PAGE_SIZE = 25


def _apply_errors(form, error: ProviderError) -> None:
    if not error.errors:
        form.add_error(None, error.message)
        return
    for field, msgs in error.errors.items():
        target = field if field in form.fields else None
        for msg in msgs:
            form.add_error(target, msg)


@role_required(Role.COORDINATOR)
def home(request):
    """Providers and contracts of the coordinator's KOV, with warnings."""
    today = timezone.localdate()
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.providers_for(request.user, search=search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "q": search,
        "contracts": selectors.contracts_for(request.user),
        "ending_soon": selectors.contracts_ending_soon(request.user, today=today),
        "uncovered": selectors.components_without_provider(request.user.municipality, today=today),
        "municipality": request.user.municipality,
    }
    return render(request, "providers/home.html", context)


@role_required(Role.COORDINATOR, Role.ADMIN)
def provider_add(request):
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.save_provider(
                provider=form.save(commit=False), added_by=request.user.municipality
            )
        except ProviderError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Provider saved."))
            return redirect("providers:provider_detail", pk=provider.pk)
    return render(request, "providers/provider_form.html", {"form": form})


@role_required(Role.COORDINATOR, Role.ADMIN)
def provider_detail(request, pk):
    provider = get_object_or_404(Provider, pk=pk)
    context = {
        "provider": provider,
        "can_edit": can_edit_provider(request.user, provider),
        "contracts": selectors.contracts_for(request.user).filter(provider=provider),
        "specialists": provider.specialists.prefetch_related("qualifications"),
        "today": timezone.localdate(),
    }
    return render(request, "providers/provider_detail.html", context)


def _editable_provider(request, pk) -> Provider:
    provider = get_object_or_404(Provider, pk=pk)
    if not can_edit_provider(request.user, provider):
        raise PermissionDenied
    return provider


@role_required(Role.COORDINATOR, Role.ADMIN)
def provider_edit(request, pk):
    provider = _editable_provider(request, pk)
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_provider(provider=form.save(commit=False))
        except ProviderError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Provider saved."))
            return redirect("providers:provider_detail", pk=provider.pk)
    return render(request, "providers/provider_form.html", {"form": form, "provider": provider})


@role_required(Role.COORDINATOR, Role.ADMIN)
def specialist_add(request, pk):
    provider = _editable_provider(request, pk)
    form = SpecialistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_specialist(provider=provider, **form.cleaned_data)
        except ProviderError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Specialist added."))
            return redirect("providers:provider_detail", pk=provider.pk)
    return render(
        request,
        "providers/simple_form.html",
        {"form": form, "title": _("Add a specialist"), "back": provider},
    )


@role_required(Role.COORDINATOR)
def contract_add(request, pk):
    provider = get_object_or_404(Provider, pk=pk)
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.create_contract(
                municipality=request.user.municipality, provider=provider, **form.cleaned_data
            )
        except ProviderError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Contract saved."))
            return redirect("providers:contract_detail", pk=contract.pk)
    return render(
        request,
        "providers/simple_form.html",
        {
            "form": form,
            "title": _("New contract with %(provider)s") % {"provider": provider},
            "back": provider,
        },
    )


@role_required(Role.COORDINATOR)
def contract_detail(request, pk):
    contract = get_visible_or_404(selectors.contracts_for(request.user), pk=pk)
    used = selectors.contract_usage(contract)
    context = {
        "contract": contract,
        "prices": selectors.prices_of(contract),
        "used": used,
        "remaining": contract.maximum_amount - used,
        "history": selectors.contract_history(contract),
    }
    return render(request, "providers/contract_detail.html", context)


@role_required(Role.COORDINATOR)
def contract_edit(request, pk):
    contract = get_visible_or_404(selectors.contracts_for(request.user), pk=pk)
    form = ContractForm(request.POST or None, instance=contract)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.update_contract(contract=contract, **form.cleaned_data)
        except ProviderError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Contract saved."))
            _say_repriced(request, saved)
            return redirect("providers:contract_detail", pk=contract.pk)
    return render(
        request,
        "providers/simple_form.html",
        {
            "form": form,
            "title": _("Edit contract %(number)s") % {"number": contract.number},
            "back_contract": contract,
        },
    )


@role_required(Role.COORDINATOR)
def price_add(request, pk):
    contract = get_visible_or_404(selectors.contracts_for(request.user), pk=pk)
    form = PriceForm(
        request.POST or None, on=contract.start, initial={"valid_from": contract.start}
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.add_price(contract=contract, **form.cleaned_data)
        except ProviderError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Price added."))
            _say_repriced(request, saved)
            return redirect("providers:contract_detail", pk=contract.pk)
    return render(
        request,
        "providers/simple_form.html",
        {
            "form": form,
            "title": _("Add a price to contract %(number)s") % {"number": contract.number},
            "back_contract": contract,
            "defaults": selectors.default_prices_for(contract.municipality),
        },
    )


@role_required(Role.COORDINATOR)
def price_change(request, pk):
    price = get_visible_or_404(
        ContractPrice.objects.select_related("contract", "component").filter(
            contract__in=selectors.contracts_for(request.user)
        ),
        pk=pk,
    )
    form = ChangePriceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.change_price_from(price=price, **form.cleaned_data)
        except ProviderError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Price changed."))
            _say_repriced(request, saved)
            return redirect("providers:contract_detail", pk=price.contract_id)
    return render(
        request,
        "providers/simple_form.html",
        {
            "form": form,
            "title": _("Change the price of %(component)s") % {"component": price.component},
            "back_contract": price.contract,
            "current": price,
        },
    )


@role_required(Role.SKA, Role.ADMIN)
def register(request):
    """SKA's provider register across all KOVs."""
    filterset = ProviderRegisterFilter(request.GET or None, queryset=selectors.provider_register())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [selectors.register_row(p) for p in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "providers/register.html",
        {"filter": filterset, "page": page, "rows": rows, "query": query.urlencode()},
    )


@role_required(Role.SKA, Role.ADMIN)
def register_xlsx(request):
    filterset = ProviderRegisterFilter(request.GET or None, queryset=selectors.provider_register())
    buffer = BytesIO()
    register_workbook([selectors.register_row(p) for p in filterset.qs]).save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="teenuseosutajad.xlsx"'
    return response
