"""The data migrations of issue 15 run on data: an "exit" without entry becomes a closed
case file (cases 0005), and the person's details and relatives move to the case files of
the municipality that recorded them (cases 0006).

They run in a scratch database of their own, migrated from empty up to cases 0004 and then
forward to the newest cases migration: only the cases app and what it depends on (auth,
accounts, providers, components). Taking the whole test database back to cases 0004 meant
unapplying everything built on cases 0005 (billing, assessments, archive) and computing the
historical state of every app at each step (about 100 s). Here the cost is mostly cases
0005 to 0007 themselves (re-rendering the historical models after each of their operations,
about 15 s); the migrations that move the rows, and the historical models they get, are the
same."""

from contextlib import contextmanager
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("cases", "0004_retirement_ages_corrected")]


@contextmanager
def scratch_database():
    """Point Django's default connection at a new, empty database next to the test database
    (the migrations' own code writes through the default connection), and drop it after."""
    settings = connection.settings_dict
    test_name, scratch = settings["NAME"], f"{settings['NAME']}_migrations"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    connection.close()
    settings["NAME"] = scratch
    try:
        yield
    finally:
        connection.close()
        settings["NAME"] = test_name
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def migrate(executor, targets):
    """Migrate to ``targets`` and return the historical apps there. The loader is read again
    first: it keeps the applied migrations it saw when it was built."""
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_lifecycle_and_details_migrations_move_the_data_where_it_belongs():
    with scratch_database():
        check_the_lifecycle_and_details_migrations()


def check_the_lifecycle_and_details_migrations():
    executor = MigrationExecutor(connection)
    assert not executor.loader.applied_migrations, "the scratch database starts empty"
    old = migrate(executor, BEFORE)
    Municipality = old.get_model("accounts", "Municipality")
    User = old.get_model("accounts", "User")
    Person = old.get_model("cases", "Person")
    Case = old.get_model("cases", "Case")
    Relative = old.get_model("cases", "Relative")
    ExitQuestionnaire = old.get_model("cases", "ExitQuestionnaire")
    kov_a = Municipality.objects.create(name="Alfa", code="9181")
    kov_b = Municipality.objects.create(name="Beeta", code="9182")
    manager = User.objects.create(username="kj_migr", municipality=kov_a, role="case_manager")
    person = Person.objects.create(
        isikukood=None,
        no_code_reason="välismaalane",
        birth_date=date(1990, 1, 1),
        first_name="Mari",
        last_name="Migratsioon",
        phone="5550 1234",
        notes="Beeta märkus",
    )
    never_entered = Case.objects.create(
        municipality=kov_a,
        person=person,
        case_manager=manager,
        number="A-1",
        state="exited",
        noticed_on=date(2025, 1, 5),
        exit_date=date(2025, 2, 1),
    )
    ExitQuestionnaire.objects.create(
        case=never_entered,
        exit_date=date(2025, 2, 1),
        reason="own_wish",
        situation="at_home",
        notes="Ei soovinud",
    )
    Case.objects.create(
        municipality=kov_b,
        person=person,
        case_manager=manager,
        number="B-1",
        state="entered",
        noticed_on=date(2026, 1, 5),
        entry_date=date(2026, 1, 10),
    )
    Relative.objects.create(person=person, kind="household_member", name="Ema")

    new = migrate(executor, [node for node in executor.loader.graph.leaf_nodes() if node[0] == "cases"])
    Case = new.get_model("cases", "Case")
    closed, open_case = Case.objects.get(number="A-1"), Case.objects.get(number="B-1")
    assert (closed.state, closed.exit_date, closed.closed_on) == ("closed", None, date(2025, 2, 1))
    assert closed.closure_reason == "other" and "Ei soovinud" in closed.closure_note
    assert not new.get_model("cases", "ExitQuestionnaire").objects.filter(case=closed).exists()
    # The details belong to KOV B, which kept them last; KOV A's closed case gets none.
    assert (open_case.phone, open_case.notes) == ("5550 1234", "Beeta märkus")
    assert (closed.phone, closed.notes) == ("", "")
    [relative] = new.get_model("cases", "Relative").objects.all()
    assert relative.case_id == open_case.pk
