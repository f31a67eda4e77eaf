"""The isikukood is 11 ASCII digits everywhere: look-alike digits (full-width, Arabic-Indic)
and spaces are read as the digits they show, before lookup and before storage, so that a code
typed in full-width digits finds the person already on record instead of creating a second."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from cases.isikukood import make_isikukood, normalise_isikukood
from cases.models import Case, Person
from tests.cases.factories import CaseFactory, PersonFactory
from tests.cases.test_views import notice_data

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_look_alike_digits_and_spaces_become_ascii_digits():
    code = make_isikukood(date(1990, 1, 2), "F", 7)
    assert normalise_isikukood(code.translate(FULL_WIDTH)) == code
    assert normalise_isikukood(" ".join(code)) == code
    assert normalise_isikukood("٤٩٠٠٥١٧٠٠١٢") == "49005170012"  # Arabic-Indic
    assert normalise_isikukood(code[:5] + "\u00a0\u200b" + code[5:]) == code  # no-break and zero-width space
    assert normalise_isikukood("4900517001X") == "4900517001X"  # a letter stays, and validation refuses it
    assert normalise_isikukood(None) == ""


def test_a_code_in_full_width_digits_finds_the_person_with_an_open_case(client, case_manager_a, kov_a):
    existing = CaseFactory(municipality=kov_a, person__isikukood=make_isikukood(date(1990, 1, 2), "F", 7))
    client.force_login(case_manager_a)
    data = notice_data(isikukood=existing.person.isikukood.translate(FULL_WIDTH))
    response = client.post(reverse("cases:notice"), data | {"noticing-case_manager": case_manager_a.pk})
    assert "Sellel isikul on juba avatud toimik." in response.content.decode()
    assert Person.objects.count() == 1 and Case.objects.count() == 1


def test_a_code_in_full_width_digits_is_refused_across_municipalities_like_the_ascii_one(
    client, case_manager_a, kov_b
):
    elsewhere = CaseFactory(municipality=kov_b, person__isikukood=make_isikukood(date(1990, 1, 2), "F", 7))
    client.force_login(case_manager_a)
    data = notice_data(isikukood=elsewhere.person.isikukood.translate(FULL_WIDTH))
    response = client.post(reverse("cases:notice"), data | {"noticing-case_manager": case_manager_a.pk})
    assert "Sellele isikule ei saa praegu toimikut avada." in response.content.decode()
    assert Person.objects.count() == 1 and Case.objects.count() == 1


def test_a_new_person_typed_in_full_width_digits_is_stored_in_ascii(client, case_manager_a):
    code = make_isikukood(date(1990, 1, 2), "F", 7)
    client.force_login(case_manager_a)
    data = notice_data(isikukood=code.translate(FULL_WIDTH))
    client.post(reverse("cases:notice"), data | {"noticing-case_manager": case_manager_a.pk})
    assert list(Person.objects.values_list("isikukood", flat=True)) == [code]


def test_the_persons_list_finds_a_code_typed_in_full_width_digits(client, case_manager_a, kov_a):
    case = CaseFactory(municipality=kov_a, person__isikukood=make_isikukood(date(1985, 7, 3), "M", 42))
    client.force_login(case_manager_a)
    rows = client.get(reverse("cases:persons"), {"q": case.person.isikukood[:6].translate(FULL_WIDTH)}).context["rows"]
    assert [c.pk for c, _ in rows] == [case.pk]


def test_the_database_refuses_a_code_that_is_not_11_ascii_digits():
    person = PersonFactory(isikukood=make_isikukood(date(1985, 7, 3), "M", 42))
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(isikukood=person.isikukood.translate(FULL_WIDTH))


def test_the_data_migration_mends_codes_stored_with_look_alike_digits():
    code = make_isikukood(date(1985, 7, 3), "M", 42)
    person = PersonFactory(isikukood=make_isikukood(date(1990, 1, 2), "F", 7))
    with connection.cursor() as cursor:  # as rows stored before the constraint existed
        cursor.execute("ALTER TABLE cases_person DROP CONSTRAINT person_code_is_11_ascii_digits")
        cursor.execute("UPDATE cases_person SET isikukood = %s WHERE id = %s", [code.translate(FULL_WIDTH), person.pk])
    migration = importlib.import_module("cases.migrations.0008_isikukood_ascii_digits")
    migration.mend_codes(apps, None)
    person.refresh_from_db()
    assert person.isikukood == code
