"""Selectors of the cases app: what a user may see, already scoped and with its joins chosen."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.permissions import CASE_ROLES, get_visible_or_404, scope

from .isikukood import normalise_isikukood
from .models import Case, NetworkMeeting, Person


def cases_for(user) -> QuerySet[Case]:
    """Case files of the user's municipality; only case managers and coordinators see any."""
    return scope(Case.objects.all(), user, roles=CASE_ROLES).select_related(
        "person", "case_manager", "municipality"
    )


def persons_for(user) -> QuerySet[Person]:
    """Persons who have a case file in a municipality the user may see."""
    visible = cases_for(user).values("person_id")
    return Person.objects.filter(pk__in=visible)


def case_for(user, pk) -> Case:
    """One case the user may see, or 404."""
    return get_visible_or_404(cases_for(user), pk=pk)


def meeting_for(user, case: Case, pk) -> NetworkMeeting:
    return get_visible_or_404(NetworkMeeting.objects.filter(case=case), pk=pk)


def search_cases(qs: QuerySet[Case], text: str) -> QuerySet[Case]:
    """By isikukood (digits) or by name, each word matching the first or last name."""
    text = text.strip()
    if not text:
        return qs
    code = normalise_isikukood(text)
    if code.isascii() and code.isdigit():
        return qs.filter(person__isikukood__startswith=code)
    for word in text.split():
        qs = qs.filter(Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word))
    return qs
