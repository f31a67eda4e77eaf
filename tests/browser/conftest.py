"""Headless Chromium from Debian (/usr/bin/chromium) driven by Playwright for Python.

Playwright's own browser download is never used; the tests fail (not skip) when
Chromium is missing, since `make test` and CI install it."""

import contextlib
import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in
# fixtures are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM) or os.path.exists(CHROMIUM), (
        f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="et-EE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, username: str, password: str = "test-password-123") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Kasutajanimi").fill(username)
    page.get_by_label("Parool").fill(password)
    page.get_by_role("button", name="Logi sisse").click()


@contextlib.contextmanager
def demo_live_server(django_db_blocker, media, *, prepare=None):
    """The demo of every app, loaded and committed, behind one live server: for a module whose
    tests only read it (loading the demo takes long; a transactional test would flush it after
    each test). ``prepare`` adds to it before the server starts. The database is flushed at the
    end, as after any transactional test, and the migrated reference data put back."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings
    from django.utils import translation
    from pytest_django.live_server_helper import LiveServer

    from tests.conftest import reload_reference_data

    storages = {**settings.STORAGES}
    storages["default"] = {**storages["default"], "OPTIONS": {**storages["default"]["OPTIONS"], "location": media}}
    with override_settings(MEDIA_ROOT=media, STORAGES=storages), django_db_blocker.unblock():
        # From an empty database with the migrated reference data, as a transactional test
        # starts (and whatever a run stopped half-way left behind).
        call_command("flush", interactive=False, verbosity=0)
        reload_reference_data()
        with translation.override("et"):
            for app in settings.LOCAL_APPS:
                if find_spec(f"{app}.demo"):
                    import_module(f"{app}.demo").load()
            if prepare:
                prepare()
        live = LiveServer("localhost")
        live._live_server_modified_settings.enable()
        try:
            yield live.url
        finally:
            live.stop()
            live._live_server_modified_settings.disable()
            call_command("flush", interactive=False, verbosity=0)
            reload_reference_data()  # as migrated, for the tests that follow

