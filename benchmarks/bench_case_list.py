"""The persons list with 20 000 case files: search, filter and page in a constant number of queries."""

from __future__ import annotations

from datetime import date, timedelta

TITLE = "Persons list with 20 000 case files"
PERSONS = 20_000


def _load() -> tuple:
    from accounts.models import Municipality, Role, User
    from cases.isikukood import make_isikukood
    from cases.models import Case, CaseState, Person

    kov = Municipality.objects.create(name="Pingivald", code="9990")
    manager = User.objects.create_user(
        "bench_kj", role=Role.CASE_MANAGER, municipality=kov, password="x"
    )
    today = date(2026, 6, 1)
    people = [
        Person(
            isikukood=make_isikukood(date(1960, 1, 1) + timedelta(days=i), "MF"[i % 2], i % 1000),
            birth_date=date(1960, 1, 1) + timedelta(days=i),
            first_name=f"Eesnimi{i % 500}",
            last_name=f"Perenimi{i}",
        )
        for i in range(PERSONS)
    ]
    Person.objects.bulk_create(people, batch_size=2000)
    states = [CaseState.NOTICED, CaseState.ENTERED, CaseState.PLANNED, CaseState.EXITED]
    cases = []
    for i, person in enumerate(Person.objects.order_by("pk")):
        state = states[i % 4]
        entered = state != CaseState.NOTICED
        cases.append(
            Case(
                municipality=kov,
                person=person,
                case_manager=manager,
                number=f"9990-2026-{i:05d}",
                state=state,
                noticed_on=today - timedelta(days=400),
                entry_date=today - timedelta(days=i % 500) if entered else None,
                exit_date=today if state == CaseState.EXITED else None,
                latest_assessment_date=today - timedelta(days=i % 300)
                if state == CaseState.PLANNED
                else None,
                latest_plan_date=today - timedelta(days=i % 200) if state == CaseState.PLANNED else None,
            )
        )
    Case.objects.bulk_create(cases, batch_size=2000)
    return manager


def run() -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.harness import timer

    with timer() as load_time:
        manager = _load()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(manager)
    rows = [("persons loaded", PERSONS), ("load time (s)", round(load_time(), 2))]
    for label, params in [
        ("first page", {}),
        ("page 400", {"page": 400}),
        ("search by name", {"q": "perenimi1234"}),
        ("search by code prefix", {"q": "3600"}),
        ("only overdue", {"overdue": "on"}),
        ("state planned, page 50", {"state": "planned", "page": 50}),
    ]:
        with CaptureQueriesContext(connection) as queries, timer() as took:
            response = client.get("/cases/persons/", params)
        assert response.status_code == 200, response.status_code
        rows.append((f"{label}: ms / queries", f"{took() * 1000:.0f} / {len(queries)}"))
    return {
        "rows": rows,
        "notes": "One GET of /cases/persons/ by the case manager; the query count is the same "
        "for every page and filter.",
    }
