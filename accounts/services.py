"""Services of the accounts app: writing the access log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from .models import AccessLog, Municipality


def client_ip(request) -> str | None:
    """The client's address, for the lock-out (axes) and the access log alike.

    Behind ``TRUSTED_PROXY_COUNT`` proxies each proxy appends the address it was reached from
    to ``X-Forwarded-For``, so the client is the entry that many places from the right; the
    entries to its left are whatever the client sent and are never trusted. With no trusted
    proxy, or a header shorter than the proxy chain, the connection's own address is used."""
    import ipaddress

    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote


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
