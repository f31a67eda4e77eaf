from accounts.models import Role
from tests.access.table import Route

ROUTES = [
    Route("home", roles=frozenset(Role), ok=302),
    Route("health", public=True),
    Route("accounts:login", public=True),
    Route("accounts:logout", method="post", public=True),
    Route("accounts:password_change", roles=frozenset(Role)),
    Route(
        "set_language", method="post", public=True, data=lambda w: {"language": "en", "next": "/"}
    ),
]
