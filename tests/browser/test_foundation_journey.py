"""Each role logs in, sees its own start page in Estonian, switches to English and logs out."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START_PAGES = [
    # persona, path, Estonian heading, English heading
    ("case_manager_a", "/cases/", "Minu isikud ja tähtajad", "My persons and deadlines"),
    ("coordinator_a", "/billing/month-end/", "Kuu lõpetamine", "Month end"),
    ("provider_user", "/billing/start/", "See nädal", "This week"),
    ("ska_user", "/reports/", "Aruanded", "Reports"),
    ("admin_user", "/admin/", "Administreerimine", "Administration"),
]


@pytest.mark.parametrize(("persona", "path", "heading_et", "heading_en"), START_PAGES)
def test_each_role_logs_in_to_its_own_start_page_in_estonian_and_english(
    request, page, persona, path, heading_et, heading_en
):
    user = request.getfixturevalue(persona)
    log_in(page, user.username)
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "et")
    expect(page.get_by_role("heading", level=1).first).to_contain_text(heading_et)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1).first).to_contain_text(heading_en)

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(path)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
