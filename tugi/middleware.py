"""Request guards with no domain."""

from __future__ import annotations

from django.conf import settings
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


class PrivateResponsesMiddleware:
    """Every answer to a signed-in user is ``Cache-Control: no-store`` (pages and downloads of
    personal data must not stay in a browser's or a proxy's cache; the simplest honest rule is
    all of them), and every answer carries the Permissions-Policy of the settings.

    Static files are answered by WhiteNoise before this runs and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
