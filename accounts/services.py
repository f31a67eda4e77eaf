"""Services of the accounts app: writing the access log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from .models import AccessLog, Municipality


def client_ip(request) -> str | None:
    """The client's address; behind a trusted proxy the first X-Forwarded-For hop."""
    from django.conf import settings

    if getattr(settings, "USE_X_FORWARDED_HOST", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def log_access(
    *,
    request,
    subject: Model,
    municipality: Municipality | None,
    action: str = AccessLog.Action.VIEW,
) -> AccessLog:
    """Record that ``request.user`` looked at (or downloaded) ``subject``'s data."""
    return AccessLog.objects.create(
        user=request.user,
        role=request.user.role,
        municipality=municipality,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        subject_label=str(subject)[:200],
        action=action,
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


class AccessLoggedMixin:
    """For detail views of personal data: every GET writes one access-log row.

    The view names the subject's municipality with ``access_log_municipality``."""

    access_log_action = AccessLog.Action.VIEW

    def access_log_municipality(self, obj) -> Municipality | None:
        return getattr(obj, "municipality", None)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        obj = getattr(self, "object", None)
        if obj is not None:
            log_access(
                request=request,
                subject=obj,
                municipality=self.access_log_municipality(obj),
                action=self.access_log_action,
            )
        return response
