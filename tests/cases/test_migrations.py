"""The data migrations of issue 15 run on data: an "exit" without entry becomes a closed
case file (cases 0005), and the person's details and relatives move to the case files of
the municipality that recorded them (cases 0006)."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("cases", "0004_retirement_ages_corrected")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_lifecycle_and_details_migrations_move_the_data_where_it_belongs():
    old = migrate(BEFORE)
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

    new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
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
