"""Selectors of the cases app: what a user may see, already scoped and with its joins chosen."""

from __future__ import annotations

from django.db.models import Min, Q, QuerySet

from accounts.permissions import CASE_ROLES, get_visible_or_404, scope

from .isikukood import normalise_isikukood
from .models import ENDED_STATES, Case, NetworkMeeting, Person


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


def person_history_window(case: Case) -> dict:
    """History filters for the person's own records (personal data, relatives): only the
    changes made while this was the person's current case file. Earlier and later changes
    belong to their other case files, maybe in another municipality, and are not shown."""
    exits = dict(
        Case.history.filter(person_id=case.person_id, state__in=ENDED_STATES)
        .order_by()
        .values_list("id")
        .annotate(at=Min("history_date"))
    )
    opened = case.history.aggregate(at=Min("history_date"))["at"]
    window = {}
    before = [at for pk, at in exits.items() if pk != case.pk and opened and at <= opened]
    if before:
        window["history_date__gt"] = max(before)
    if case.pk in exits:
        window["history_date__lte"] = exits[case.pk]
    return window
