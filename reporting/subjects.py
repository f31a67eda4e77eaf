"""The records a document can be about, fetched for a user through their app's scoped selectors.

A kind with ``scope="subject"`` names its ``subject_model``; :func:`subject_for` answers
with the record and its municipality, or 404 when the user may not see it."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model
from django.http import Http404

from accounts.models import Municipality


def _case(user, pk) -> tuple[Model, Municipality]:
    from cases.selectors import case_for

    case = case_for(user, pk)
    return case, case.municipality


def _meeting(user, pk) -> tuple[Model, Municipality]:
    from cases.models import NetworkMeeting
    from cases.selectors import cases_for

    meeting = (
        NetworkMeeting.objects.filter(case__in=cases_for(user), pk=pk)
        .select_related("case__municipality")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting, meeting.case.municipality


LOADERS: dict[str, Callable[..., tuple[Model, Municipality]]] = {
    "cases.Case": _case,
    "cases.NetworkMeeting": _meeting,
}


def subject_for(user, subject_model: str, pk) -> tuple[Model, Municipality]:
    """The record ``pk`` of ``subject_model`` if ``user`` may see it, and its municipality."""
    loader = LOADERS.get(subject_model)
    if loader is None or not str(pk or "").isdigit():
        raise Http404
    return loader(user, int(pk))


def person_of(subject: Model) -> Model | None:
    """Whose data a document about ``subject`` holds: the person, or the person of the case
    file that the subject (a case file, meeting, assessment, plan, attachment) belongs to."""
    if subject._meta.label == "cases.Person":
        return subject
    case = subject if subject._meta.label == "cases.Case" else getattr(subject, "case", None)
    return getattr(case, "person", None)
