"""Who may see what: the one place that answers it.

Every list and every object a view shows comes from a queryset passed through
:func:`scope` (or a selector built on it), so no view can forget the municipality
boundary. Roles are :class:`accounts.models.Role`; nothing checks group names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from tugi import navigation

from .models import KOV_ROLES, Municipality, Role

#: Roles that may see a person's case file (never SKA: no case narratives for them).
CASE_ROLES = frozenset(KOV_ROLES)
#: Roles that run a municipality's money: contracts, prices, month end.
MONEY_ROLES = frozenset({Role.COORDINATOR})
#: Roles that read every municipality's invoices and reports.
NATIONAL_ROLES = frozenset({Role.SKA, Role.ADMIN})


def has_role(user, *roles: Role) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def visible_municipalities(user) -> QuerySet[Municipality]:
    """The municipalities whose records this user may see at all.

    KOV staff: their own. SKA and administrators: every one. Provider
    specialists: the municipalities their provider has contracts with (the
    providers app supplies that binding; until a user is bound, none)."""
    if not (user and user.is_authenticated and user.is_active):
        return Municipality.objects.none()
    if user.role in NATIONAL_ROLES:
        return Municipality.objects.all()
    if user.role in KOV_ROLES:
        return Municipality.objects.filter(pk=user.municipality_id)
    if user.role == Role.PROVIDER:
        return provider_municipalities(user)
    return Municipality.objects.none()


def provider_municipalities(user) -> QuerySet[Municipality]:
    """Municipalities a provider specialist works for: those with a contract (current
    or past) with the user's provider."""
    if not getattr(user, "provider_id", None):
        return Municipality.objects.none()
    return Municipality.objects.filter(contracts__provider_id=user.provider_id).distinct()


def can_edit_provider(user, provider) -> bool:
    """Providers are deployment-wide records. Administrators edit any; a coordinator edits
    one that their municipality has a contract with or entered itself."""
    if has_role(user, Role.ADMIN):
        return True
    if not has_role(user, Role.COORDINATOR):
        return False
    return provider.added_by_id == user.municipality_id or provider.contracts.filter(
        municipality_id=user.municipality_id
    ).exists()


def scope(
    queryset: QuerySet, user, *, field: str = "municipality", roles: Iterable[Role] | None = None
) -> QuerySet:
    """Narrow ``queryset`` to the records of the municipalities ``user`` may see.

    ``field`` is the lookup path from the model to its Municipality (e.g.
    ``"case__municipality"``); ``roles``, when given, are the only roles that see
    these records at all (others get an empty queryset)."""
    if roles is not None and not has_role(user, *roles):
        return queryset.none()
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    if user.role in NATIONAL_ROLES:
        return queryset
    return queryset.filter(**{f"{field}__in": visible_municipalities(user)})


def get_visible_or_404(queryset: QuerySet, **lookup) -> Model:
    """One object out of an already scoped queryset; 404 (not 403) so that another
    municipality's records are not even confirmed to exist."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def can_see_municipality(user, municipality: Municipality | int) -> bool:
    pk = municipality.pk if isinstance(municipality, Municipality) else municipality
    if user and user.is_authenticated and user.is_active and user.role in KOV_ROLES:
        return pk == user.municipality_id  # visible_municipalities' answer for them, without a query
    return visible_municipalities(user).filter(pk=pk).exists()


def start_url(user) -> str:
    """Each role's own start page, as the app that provides it registered it
    (``<app>/navigation.py``)."""
    return navigation.start_url(user)


def role_required(*roles: Role) -> Callable:
    """View decorator: anonymous users go to the login page, other roles get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Class-based views: set ``allowed_roles``; anonymous → login, other roles → 403."""

    allowed_roles: frozenset[Role] = frozenset()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, *self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def deliverable_cases_for(user, *, start, end) -> QuerySet:
    """The case files whose person ``user`` may record deliveries for at some time in
    ``start``..``end`` (every way in: week grid, session form, import, admin).

    A provider's specialist: persons their provider serves in that period, through a
    base-support link or a line of an agreed plan buying from the provider, in force at some
    time in the period. Coordinators and case managers: their municipality's cases. Nobody
    else. Anything outside gets one neutral refusal (``person_not_reachable`` in
    :mod:`billing.rules`) that tells nothing about whether the person exists or participates.

    Cases and plans live in higher apps; they are looked up by name so that this module keeps
    its place at the bottom of the app order."""
    from django.apps import apps
    from django.db.models import Exists, OuterRef

    Case = apps.get_model("cases", "Case")
    if not (user and user.is_authenticated and user.is_active):
        return Case.objects.none()
    if user.role in KOV_ROLES:
        return Case.objects.filter(municipality_id=user.municipality_id)
    if user.role != Role.PROVIDER or not getattr(user, "provider_id", None):
        return Case.objects.none()
    link = apps.get_model("assessments", "BaseProviderLink").objects.in_force_between(start, end).filter(
        case=OuterRef("pk"), provider_id=user.provider_id
    )
    line = apps.get_model("assessments", "PlanLine").objects.in_force_between(start, end).filter(
        plan__case=OuterRef("pk"), provider_id=user.provider_id
    )
    return Case.objects.filter(municipality__in=provider_municipalities(user)).filter(Exists(link) | Exists(line))


def can_record_for(user, case, day) -> bool:
    """May ``user`` record a delivery for ``case`` dated ``day``? (Served in that month.)"""
    from tugi.workdays import month_end, month_start

    return deliverable_cases_for(user, start=month_start(day), end=month_end(day)).filter(pk=case.pk).exists()
