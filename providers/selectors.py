"""Reading providers, contracts and prices for a user (scoped through accounts.permissions)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality, Role
from accounts.permissions import MONEY_ROLES, scope
from components.models import Component
from tugi.money import format_money as money

from .models import Contract, ContractPrice, DefaultPrice, Provider

ENDING_SOON_DAYS = 30


def contracts_for(user) -> QuerySet[Contract]:
    """Contracts of the municipalities the user manages money for (coordinators: their own)."""
    return scope(
        Contract.objects.select_related("provider", "municipality"), user, roles=MONEY_ROLES
    )


def providers_for(user, *, search: str = "") -> QuerySet[Provider]:
    """Providers a coordinator may look at: every provider (they are deployment-wide)."""
    qs = Provider.objects.all()
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(registry_code__icontains=search)
            | Q(address__icontains=search)
        )
    if user.role == Role.COORDINATOR:
        ours = Contract.objects.filter(
            provider=OuterRef("pk"), municipality_id=user.municipality_id
        )
        qs = qs.annotate(contracted_with_us=Exists(ours))
    return qs.order_by("name")


def prices_of(contract: Contract) -> QuerySet[ContractPrice]:
    return contract.prices.select_related("component").order_by("component__order", "valid_from")


#: Who computes a contract's usage: billing registers its function in its AppConfig.ready()
#: (providers may not import billing). Empty while billing is not installed.
USAGE_SOURCES: list = []


def contract_usage(contract: Contract) -> Decimal:
    """The amount used so far under ``contract``: the invoiced delivery lines under it
    (and their adjustments), as the billing app computes them; zero without billing."""
    for source in USAGE_SOURCES:
        return source(contract)
    return Decimal("0.00")


def contracts_ending_soon(user, *, today: date) -> QuerySet[Contract]:
    return contracts_for(user).filter(
        end__gte=today, end__lte=today + timedelta(days=ENDING_SOON_DAYS)
    )


def components_without_provider(municipality: Municipality, *, today: date) -> QuerySet[Component]:
    """Catalogue components in use that no contract of the KOV in force today covers."""
    covered = ContractPrice.objects.filter(
        component=OuterRef("pk"),
        contract__municipality=municipality,
        contract__start__lte=today,
        contract__end__gte=today,
    )
    return Component.objects.in_use_on(today).exclude(Exists(covered))


def default_prices_for(municipality: Municipality) -> QuerySet[DefaultPrice]:
    return municipality.default_prices.select_related("component")


def provider_register() -> QuerySet[Provider]:
    """SKA's register: every provider with its contracts (KOVs served) and components."""
    return Provider.objects.prefetch_related(
        Prefetch("contracts", queryset=Contract.objects.select_related("municipality")),
        Prefetch(
            "contracts__prices",
            queryset=ContractPrice.objects.select_related("component"),
        ),
    ).order_by("name")


def served_municipalities(provider: Provider) -> list[Municipality]:
    return sorted({c.municipality for c in provider.contracts.all()}, key=lambda m: m.name)


def offered_components(provider: Provider) -> list[Component]:
    components = {p.component for c in provider.contracts.all() for p in c.prices.all()}
    return sorted(components, key=lambda c: (c.order, c.code))


#: simple-history's own labels of a history record are English only ("Created", …).
HISTORY_ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def _changes(record) -> list[str]:
    previous = record.prev_record
    if record.history_type == "+" or previous is None:
        return []
    delta = record.diff_against(previous)
    model = record.instance_type
    lines = []
    for change in delta.changes:
        label = capfirst(model._meta.get_field(change.field).verbose_name)
        lines.append(f"{label}: {_show(change.old)} → {_show(change.new)}")
    return lines


def _show(value) -> str:
    """A field value in the active locale: dates dd.mm.yyyy, amounts as money, none as “—”."""
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, Decimal):
        return money(value)
    return str(value)


def contract_history(contract: Contract) -> list[dict]:
    """Who changed what and when in the contract and its prices, newest first."""
    codes = dict(Component.objects.values_list("pk", "code"))
    records = [(r, None) for r in contract.history.select_related("history_user")] + [
        (r, codes.get(r.component_id))
        for r in ContractPrice.history.filter(contract_id=contract.pk).select_related(
            "history_user"
        )
    ]
    entries = []
    for record, code in records:
        entries.append(
            {
                "at": record.history_date,
                "user": record.history_user,
                "action": HISTORY_ACTIONS[record.history_type],
                "subject": code,
                "changes": _changes(record),
                "summary": "" if code is None else _price_summary(record),
            }
        )
    return sorted(entries, key=lambda e: e["at"], reverse=True)


def _price_summary(record) -> str:
    """E.g. “01.12.2026–31.12.2027, individual 27,50 €” or “from 01.12.2026, group 11,00 €”."""
    if record.valid_to is None:
        period = gettext("from %(date)s") % {"date": _show(record.valid_from)}
    else:
        period = f"{_show(record.valid_from)}–{_show(record.valid_to)}"
    parts = [period]
    if record.unit_price_individual is not None:
        parts.append(f"{gettext('individual')} {money(record.unit_price_individual)}")
    if record.unit_price_group is not None:
        parts.append(f"{gettext('group')} {money(record.unit_price_group)}")
    return ", ".join(parts)


def register_row(provider: Provider) -> dict:
    """One provider of SKA's register (uses the prefetches of :func:`provider_register`)."""
    return {
        "provider": provider,
        "type": provider.get_type_display(),
        "roles": provider.roles_display,
        "target_groups": provider.target_groups,
        "exclusions": provider.exclusions,
        "works": ", ".join(provider.works_offered),
        "components": ", ".join(c.code for c in offered_components(provider)),
        "municipalities": ", ".join(m.name for m in served_municipalities(provider)),
    }
