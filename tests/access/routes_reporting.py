from accounts.models import Role
from tests.access.table import Route

ROUTES = [
    Route("reporting:home", roles=frozenset({Role.SKA, Role.COORDINATOR, Role.ADMIN})),
]
