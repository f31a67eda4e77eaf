"""Passwords: Argon2id with the tuned parameters in production settings, and older hashes
rehashed at the next login (the test settings use a fast hasher, so these switch back)."""

import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings

import config.settings as production
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TUNED = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
def test_a_new_password_is_hashed_with_the_tuned_argon2id():
    user = UserFactory(username="argon")
    assert user.password.startswith(TUNED)
    assert user.check_password("test-password-123")
    assert not user.check_password("wrong")


@override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
@pytest.mark.parametrize("old", ["pbkdf2_sha256", "argon2"])
def test_an_older_hash_is_rehashed_with_the_tuned_parameters_at_login(client, old):
    user = UserFactory(username="vana")
    if old == "argon2":  # Django's own, heavier Argon2 settings
        from django.contrib.auth.hashers import Argon2PasswordHasher

        user.password = Argon2PasswordHasher().encode("vana-parool-123", Argon2PasswordHasher().salt())
    else:
        user.password = make_password("vana-parool-123", hasher=old)
    user.save()
    assert not user.password.startswith(TUNED)
    response = client.post("/accounts/login/", {"username": "vana", "password": "vana-parool-123"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith(TUNED)
