"""Services of the accounts app: writing the access log.

Every page, download or file that shows a person's data writes through here:
:func:`log_access` for one record, :func:`log_people` for a page or file that
lists many people (one row per person, one batched insert)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from .models import PERSON_MODEL, AccessLog, Municipality


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


def _request_fields(request) -> dict:
    return {
        "user": request.user,
        "role": request.user.role,
        "path": request.get_full_path()[:500],
        "ip_address": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
    }


def _is_person(obj: Model) -> bool:
    return obj._meta.label == PERSON_MODEL


def log_access(
    *,
    request,
    subject: Model,
    municipality: Municipality | None,
    action: str = AccessLog.Action.VIEW,
    person: Model | None = None,
) -> AccessLog:
    """Record that ``request.user`` looked at (or downloaded) ``subject``'s data.

    ``person`` is whose data it is when ``subject`` is not the person themselves (a plan,
    an attachment): the person's access report finds the row through it."""
    if person is None and _is_person(subject):
        person = subject
    return AccessLog.objects.create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        subject_label=str(subject)[:200],
        person_id=person.pk if person is not None else None,
        municipality=municipality,
        action=action,
        **_request_fields(request),
    )


def log_people(
    *,
    request,
    people: Iterable[tuple[Model, Municipality | int | None]],
    action: str = AccessLog.Action.VIEW,
) -> list[AccessLog]:
    """Record that a page or file showed each of ``people`` (pairs of a person and the
    municipality whose record it is): one row per person, written in one insert so that
    list pages stay fast. A person shown twice gets one row."""
    rows, seen = [], set()
    fields = None
    person_type = None
    for person, municipality in people:
        if person is None or person.pk in seen:
            continue
        seen.add(person.pk)
        if fields is None:
            fields = _request_fields(request)
            person_type = ContentType.objects.get_for_model(person)
        municipality_id = municipality.pk if isinstance(municipality, Municipality) else municipality
        rows.append(
            AccessLog(
                subject_type=person_type,
                subject_id=person.pk,
                subject_label=str(person)[:200],
                person_id=person.pk,
                municipality_id=municipality_id,
                action=action,
                **fields,
            )
        )
    return AccessLog.objects.bulk_create(rows) if rows else []


def log_cases(*, request, cases: Iterable, action: str = AccessLog.Action.VIEW) -> list[AccessLog]:
    """:func:`log_people` for a page listing case files (or rows with a ``case``): the
    person of each, in the case's municipality. The cases need ``person`` loaded."""
    return log_people(
        request=request,
        people=((case.person, case.municipality_id) for case in cases),
        action=action,
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
