"""Logging in and out, lock-out, the Estonian UI and the language switch."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation


def test_the_login_page_is_in_estonian(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="et">' in content
    assert "Logi sisse" in content and "Kasutajanimi" in content


def test_login_sends_each_role_to_its_start_page(client, coordinator_a):
    response = client.post(
        reverse("accounts:login"),
        {"username": "koord_a", "password": "test-password-123"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("billing:month_end")
    assert "Kuu lõpetamine" in response.content.decode()


def test_a_wrong_password_gets_an_estonian_message(client, case_manager_a):
    response = client.post(
        reverse("accounts:login"), {"username": "kj_a", "password": "vale-parool"}
    )
    assert response.status_code == 200
    assert "Vale kasutajanimi või parool" in response.content.decode()


def test_five_failed_logins_lock_the_account(client, case_manager_a, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "kj_a", "password": "vale-parool"})
    response = client.post(
        reverse("accounts:login"), {"username": "kj_a", "password": "test-password-123"}
    )
    assert response.status_code == 429
    assert "Konto on lukustatud" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(client, case_manager_a):
    client.force_login(case_manager_a)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("cases:home")).status_code == 302


def test_the_language_switch_turns_the_page_english(client, case_manager_a):
    client.force_login(case_manager_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/cases/"})
    content = client.get(reverse("cases:home")).content.decode()
    assert '<html lang="en">' in content and "My persons and deadlines" in content


def test_session_cookie_is_http_only_and_ends_with_the_browser(settings):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.parametrize(
    ("language", "expected"),
    [("et", "1\xa0234\xa0567,89\xa0€"), ("en", "1,234,567.89\xa0€")],
)
def test_money_is_shown_in_the_locale_rounded_half_up(language, expected):
    with translation.override(language):
        rendered = Template("{{ amount|money }}").render(
            Context({"amount": Decimal("1234567.885")})
        )
    assert rendered == expected


def test_dates_are_dd_mm_yyyy_in_estonian():
    from datetime import date

    with translation.override("et"):
        assert Template("{{ day|date }}").render(Context({"day": date(2026, 4, 5)})) == "05.04.2026"


def test_every_estonian_message_is_translated():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    catalogues = [
        p for p in root.glob("**/locale/et/LC_MESSAGES/django.po") if ".venv" not in p.parts
    ]
    assert len(catalogues) >= 8
    for po in catalogues:
        result = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, (
            f"{po}: {result.stderr}"
        )


def test_an_english_browser_still_gets_estonian_until_the_switch(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="et">' in response.content.decode()


def _fail(client, username, *, agent="Mozilla/5.0", **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": "vale-parool"},
        HTTP_USER_AGENT=agent, **extra,
    )


def test_an_address_trying_many_accounts_is_locked_whatever_browser_string_it_sends(client, db, settings):
    from tests.factories import UserFactory

    names = [UserFactory(username=f"kasutaja{n}").username for n in range(4)]
    attempts = 0
    for round_ in range(settings.AXES_FAILURE_LIMIT - 1):
        for name in names:
            response = _fail(client, name, agent=f"Browser/{round_}.{name}")
            attempts += 1
            if attempts < settings.AXES_IP_FAILURE_LIMIT:
                assert response.status_code == 200, attempts
    assert attempts >= settings.AXES_IP_FAILURE_LIMIT
    assert response.status_code == 429
    # The address is locked, so even a right password of a fresh account does not get in.
    UserFactory(username="uus")
    response = client.post(reverse("accounts:login"), {"username": "uus", "password": "test-password-123"})
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_another_address_is_not_locked_by_one_address_failures(client, case_manager_a, settings):
    for n in range(settings.AXES_IP_FAILURE_LIMIT):
        _fail(client, f"keegi{n}", REMOTE_ADDR="10.0.0.1")
    response = client.post(
        reverse("accounts:login"), {"username": "kj_a", "password": "test-password-123"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.9.9.9"),  # no proxy trusted: the header is the client's own words
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # the left-most entry is forged by the client
        (2, "6.6.6.6, 1.1.1.1, 172.16.0.5", "1.1.1.1"),
        (2, "1.1.1.1", "10.9.9.9"),  # shorter than the proxy chain: not trusted
        (1, "garbage", "10.9.9.9"),
    ],
)
def test_the_client_address_comes_from_the_trusted_proxies_only(rf, settings, proxies, forwarded, expected):
    from accounts.services import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_lockout_and_access_log_take_the_same_address_behind_a_proxy(client, case_manager_a, settings):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    _fail(client, "kj_a", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.1.1.1")
    assert AccessAttempt.objects.get().ip_address == "1.1.1.1"


def test_a_user_changes_their_own_password_in_estonian_and_stays_signed_in(client, case_manager_a):
    client.force_login(case_manager_a)
    start = client.get(reverse("cases:home")).content.decode()
    assert reverse("accounts:password_change") in start and "Muuda parooli" in start
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "Praegune parool" in page and "Uus parool uuesti" in page
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "test-password-123", "new_password1": "Roheline-Kask-42", "new_password2": "Roheline-Kask-42"},
        follow=True,
    )
    assert "Teie parool on muudetud" in response.content.decode()
    case_manager_a.refresh_from_db()
    assert case_manager_a.check_password("Roheline-Kask-42")
    assert client.get(reverse("cases:home")).status_code == 200


def test_a_wrong_old_password_or_a_weak_new_one_changes_nothing(client, case_manager_a):
    client.force_login(case_manager_a)
    for old, new in (("vale-parool", "Roheline-Kask-42"), ("test-password-123", "12345")):
        response = client.post(
            reverse("accounts:password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 200 and "is-invalid" in response.content.decode()
    case_manager_a.refresh_from_db()
    assert case_manager_a.check_password("test-password-123")
