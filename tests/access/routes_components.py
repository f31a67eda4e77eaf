from accounts.models import Role
from tests.access.table import Route

ROUTES = [
    Route(
        "components:catalogue",
        roles=frozenset({Role.CASE_MANAGER, Role.COORDINATOR, Role.PROVIDER, Role.SKA, Role.ADMIN}),
    ),
]
