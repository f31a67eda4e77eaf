"""Request guards with no domain."""

from __future__ import annotations

from django.core.exceptions import BadRequest


class RefuseNulBytesMiddleware:
    """A NUL byte in the path, a query parameter or a posted field is refused with 400.

    PostgreSQL cannot store or compare text holding NUL (psycopg2 raises before the query
    is sent), so a ``?q=%00`` used to reach a search filter and end in a server error.
    Forms already refuse NUL per field (Django's ``ProhibitNullCharactersValidator``);
    this guard covers the parameters a view reads itself, in one place."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _holds_nul(request.GET) or (
            request.method == "POST" and _holds_nul(request.POST)
        ):
            raise BadRequest("NUL byte in the request")
        return self.get_response(request)


def _holds_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())
