from accounts.models import Role
from tests.access.table import Route

COORDINATOR = frozenset({Role.COORDINATOR})
EDITORS = frozenset({Role.COORDINATOR, Role.ADMIN})
NATIONAL = frozenset({Role.SKA, Role.ADMIN})


def provider(world):
    """The provider_user persona's provider: it has a contract with KOV A only."""
    return world.users["provider_user"].provider


def contract(world):
    return provider(world).contracts.get(municipality=world.kov_a)


def price(world):
    from tests.providers.factories import ContractPriceFactory

    c = contract(world)
    return c.prices.first() or ContractPriceFactory(contract=c)


ROUTES = [
    Route("providers:home", roles=COORDINATOR),
    Route("providers:provider_add", roles=EDITORS),
    # Providers are deployment-wide: every coordinator may look at one.
    Route("providers:provider_detail", roles=EDITORS, kwargs=lambda w: {"pk": provider(w).pk}),
    # Only coordinators of a KOV with a contract (or that entered it) may edit it.
    Route(
        "providers:provider_edit",
        roles=EDITORS,
        kwargs=lambda w: {"pk": provider(w).pk},
        expect={"coordinator_b": 403},
    ),
    Route(
        "providers:specialist_add",
        roles=EDITORS,
        kwargs=lambda w: {"pk": provider(w).pk},
        expect={"coordinator_b": 403},
    ),
    Route("providers:contract_add", roles=COORDINATOR, kwargs=lambda w: {"pk": provider(w).pk}),
    Route(
        "providers:contract_detail",
        roles=COORDINATOR,
        kwargs=lambda w: {"pk": contract(w).pk},
        scoped=True,
    ),
    Route(
        "providers:contract_edit",
        roles=COORDINATOR,
        kwargs=lambda w: {"pk": contract(w).pk},
        scoped=True,
    ),
    Route(
        "providers:price_add",
        roles=COORDINATOR,
        kwargs=lambda w: {"pk": contract(w).pk},
        scoped=True,
    ),
    Route(
        "providers:price_change",
        roles=COORDINATOR,
        kwargs=lambda w: {"pk": price(w).pk},
        scoped=True,
    ),
    Route("providers:register", roles=NATIONAL),
    Route("providers:register_xlsx", roles=NATIONAL),
]
