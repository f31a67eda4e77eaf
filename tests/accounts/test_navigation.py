"""The menu and the start pages are registered by the apps that own the pages (``<app>/navigation.py``),
so accounts names no other app's page."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from tugi import navigation

ACCOUNTS = Path(settings.BASE_DIR) / "accounts"
URL_NAME = re.compile(r"""["'](\w+):[\w-]+["']""")


def test_accounts_names_no_other_apps_url():
    others = set(settings.LOCAL_APPS) - {"accounts"}
    named = {
        (path.relative_to(ACCOUNTS).as_posix(), match.group(0))
        for path in ACCOUNTS.rglob("*.py")
        if "tests" not in path.parts
        for match in URL_NAME.finditer(path.read_text())
        if match.group(1) in others
    }
    assert named == set()


def test_the_check_would_catch_a_name():
    assert URL_NAME.search('reverse("cases:home")').group(1) == "cases"


@pytest.mark.parametrize("role", Role.values)
def test_every_role_has_a_registered_start_page_that_resolves(role):
    name = navigation._start_pages[role]
    assert reverse(name)


def test_a_second_start_page_for_a_role_is_refused():
    with pytest.raises(ValueError):
        navigation.start_page(Role.SKA, "cases:home")


@pytest.mark.django_db
def test_the_menu_of_each_role(case_manager_a, coordinator_a, ska_user, provider_user, admin_user):
    assert [item["url"] for item in navigation.items_for(coordinator_a)] == [
        reverse("cases:home"),
        reverse("billing:month_end"),
        reverse("providers:home"),
        reverse("reporting:home"),
    ]
    # The case manager may generate the STAR export and the month's attendance sheets there.
    assert [item["url"] for item in navigation.items_for(case_manager_a)] == [
        reverse("cases:home"),
        reverse("reporting:jobs"),
    ]
    assert [item["url"] for item in navigation.items_for(ska_user)] == [
        reverse("providers:register"),
        reverse("billing:invoice_list"),
        reverse("billing:agreement_list"),
        reverse("reporting:home"),
        reverse("reporting:months"),
    ]
    assert [item["url"] for item in navigation.items_for(provider_user)] == [
        reverse("billing:specialist_home"),
        reverse("assessments:my_persons"),
        reverse("billing:my_attendance"),
        reverse("archive:attendance"),
    ]
    assert [item["url"] for item in navigation.items_for(admin_user)] == [reverse("admin:index")]
