from tests.access.table import KOV_STAFF, Route

ROUTES = [
    Route("cases:home", roles=KOV_STAFF),
]
