from accounts.models import Role
from tests.access.table import Route

ROUTES = [
    Route("billing:month_end", roles=frozenset({Role.COORDINATOR})),
    Route("billing:my_attendance", roles=frozenset({Role.PROVIDER})),
]
