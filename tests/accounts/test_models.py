import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Municipality, Role, User


def test_a_case_manager_must_belong_to_a_municipality_in_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nobody", role=Role.CASE_MANAGER, municipality=None)


def test_ska_staff_cannot_be_bound_to_a_municipality(kov_a):
    user = User(username="ska2", role=Role.SKA, municipality=kov_a)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "municipality" in error.value.message_dict


def test_an_administrator_gets_the_admin_site(db):
    user = User.objects.create(username="root2", role=Role.ADMIN)
    assert user.is_staff and user.is_superuser


@pytest.mark.parametrize("code", ["77000017", "1234567", "abcdefgh"])
def test_invalid_registry_codes_are_refused_in_estonian(db, code):
    municipality = Municipality(name="Vigane vald", code="9999", registry_code=code)
    with pytest.raises(ValidationError) as error:
        municipality.full_clean()
    assert "ei ole korrektne registrikood" in " ".join(error.value.message_dict["registry_code"])


def test_municipality_changes_are_kept_in_history(kov_a):
    kov_a.name = "Alfa vald (uus)"
    kov_a.save()
    assert [h.name for h in kov_a.history.all()] == ["Alfa vald (uus)", "Alfa vald"]
