"""Logging in and out, lock-out, the Estonian UI and the language switch."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from accounts.models import User


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


def test_demo_loads_twice_without_duplicates(db):
    from django.core.management import call_command

    call_command("load_demo")
    call_command("load_demo")
    assert User.objects.filter(username="kj.metsakula").count() == 1
    assert User.objects.count() == 7


def test_an_english_browser_still_gets_estonian_until_the_switch(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="et">' in response.content.decode()
