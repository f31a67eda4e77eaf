"""Every page that shows a person's code or name writes an access-log row about that person.

Driven from the access table: every GET row of ``tests/access/routes_*.py`` is requested
by each persona who may see KOV A's people, in a world where KOV A has case files with
plans, deliveries and an invoice. Wherever a person's isikukood is in the page, the same
request must have written a row about that person for that user (names count too: a
name followed by a digit is another person, Test1 is not Test12). Pages with a query
(searches, another month) are added below the table's rows."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import AccessLog
from cases.models import Case, Person
from tests.access.table import PERSONAS, ROUTES, World
from tests.cases.factories import DecisionFactory, MeetingFactory, NoticingFactory

#: Pages with a query string that the table's rows do not request.
WITH_QUERY = [
    ("cases:home", "?scope=kov"),
    ("cases:deadlines", "?scope=kov"),
    ("cases:persons", "?q=Test"),
    ("billing:delivery_list", "?month=2026-04"),
    ("billing:delivery_list", "?month=2026-04&q=Test"),
    ("billing:month_end", "?month=2026-04"),
    ("billing:month_check", "?month=2026-04"),
    ("billing:month_closing", "?month=2026-04"),
    ("billing:month_submission", "?month=2026-04"),
    ("billing:month_dashboard", "?month=2026-04"),
]

#: Pages that must show a code in this world: if the world stops showing one, the test
#: would prove nothing, so it fails instead.
MUST_SHOW = {
    "case_manager_a": {
        "cases:home?scope=kov",
        "cases:deadlines?scope=kov",
        "cases:persons",
        "cases:persons?q=Test",
        "cases:case_detail",
        "archive:case_documents",
        "billing:delivery_list?month=2026-04",
        "billing:delivery_list?month=2026-04&q=Test",
    },
    "coordinator_a": {
        "cases:persons",
        "billing:month_dashboard?month=2026-04",
        "billing:delivery_list?month=2026-04",
    },
    # SKA staff and administrators see no person on any page; should one ever show, it logs.
    "ska_user": set(),
    "admin_user": set(),
    "provider_user": {
        "billing:my_attendance",
        "billing:specialist_home",
        "assessments:my_persons",
        "archive:attendance",
        "billing:delivery_list?month=2026-04",
    },
}


@pytest.fixture
def world(kov_a, kov_b, case_manager_a, coordinator_a, provider_user, ska_user, admin_user):
    users = {
        "case_manager_a": case_manager_a,
        "coordinator_a": coordinator_a,
        "provider_user": provider_user,
        "ska_user": ska_user,
        "admin_user": admin_user,
    }
    from tests.access import routes_assessments, routes_billing, routes_cases

    built = World(kov_a=kov_a, kov_b=kov_b, users=users)
    routes_cases._case(built)
    routes_billing._world(built)
    routes_assessments._world_case(built)
    # The case pages take KOV A's first case file, whichever it is: each gets what they need.
    for case in Case.objects.filter(noticing__isnull=True):
        NoticingFactory(case=case)
    for case in Case.objects.filter(meetings__isnull=True):
        DecisionFactory(meeting=MeetingFactory(case=case))
    return built


def _pages(world, persona):
    role, _kov = PERSONAS[persona]
    for route in ROUTES:
        if route.method != "get" or route.public or role not in route.roles:
            continue
        try:
            with transaction.atomic():
                kwargs = route.kwargs(world) if route.kwargs else {}
        except IntegrityError:
            # A second queued report job of the same kind: such pages list no person.
            continue
        yield route.name, reverse(route.name, kwargs=kwargs)
    for name, query in WITH_QUERY:
        yield name + query, reverse(name) + query


@pytest.mark.parametrize("persona", list(MUST_SHOW))
def test_every_page_that_shows_a_person_logs_the_view(client, world, persona):
    user = world.users[persona]
    client.force_login(user)
    people = [
        (p.pk, re.compile(rf"{re.escape(p.isikukood)}|{re.escape(str(p))}(?!\d)"))
        for p in Person.objects.exclude(isikukood="")
    ]
    assert len(people) >= 3
    shown, unlogged = set(), []
    for label, url in _pages(world, persona):
        last = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        visible = {pk for pk, shows in people if shows.search(page)}
        if not visible:
            continue
        shown.add(label)
        logged = set(
            AccessLog.objects.filter(pk__gt=last, user=user).values_list("person_id", flat=True)
        )
        if visible - logged:
            unlogged.append((label, sorted(visible - logged)))
    assert not unlogged, f"these pages show a person's code without logging it: {unlogged}"
    assert MUST_SHOW[persona] <= shown, sorted(MUST_SHOW[persona] - shown)


def test_persons_and_case_files_are_not_in_the_django_admin(client, admin_user):
    from django.contrib import admin

    from cases.models import Case, Person

    assert not admin.site.is_registered(Person)
    assert not admin.site.is_registered(Case)
    client.force_login(admin_user)
    assert client.get("/admin/cases/person/").status_code == 404
    assert client.get("/admin/cases/case/").status_code == 404
    assert client.get("/admin/cases/retirementage/").status_code == 200
