"""The sign-in lock-out (django-axes): an account after ``AXES_FAILURE_LIMIT`` failures, and an
address after the higher ``AXES_IP_FAILURE_LIMIT`` failures over any accounts and browsers.

Axes compares the largest failure count of its lockout parameters with one limit. The
address's count is scaled here so that it reaches that limit exactly when it reaches its own."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        address_limit = settings.AXES_IP_FAILURE_LIMIT
        counts = []
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameter == "ip_address":
                failures = failures * limit // address_limit
            counts.append(failures)
        return max(counts, default=0)
