"""The headers every answer carries: a Content-Security-Policy without inline script, a
Permissions-Policy, and ``Cache-Control: no-store`` on everything a signed-in user gets."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from tests.reporting.factories import done_job

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_pages_and_downloads_of_a_signed_in_user_are_not_stored(client, coordinator_a, kov_a):
    client.force_login(coordinator_a)
    page = client.get(reverse("billing:month_end"))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    job = done_job(municipality=kov_a, month=date(2026, 10, 1))
    download = client.get(reverse("reporting:download", args=[job.pk]))
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]


def test_anonymous_pages_carry_the_permissions_policy(client, db):
    response = client.get(reverse("accounts:login"))
    assert "camera=()" in response["Permissions-Policy"]


def test_the_content_security_policy_allows_only_our_own_scripts(client, case_manager_a):
    client.force_login(case_manager_a)
    policy = client.get(reverse("cases:home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def _templates():
    return [
        path for path in BASE_DIR.rglob("*.html")
        if ".venv" not in path.parts and "var" not in path.parts and "vendor" not in path.parts
        and "node_modules" not in path.parts
    ]


def test_no_template_has_inline_script_or_event_handler_attributes():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    offenders = []
    for path in _templates():
        text = path.read_text()
        if inline_script.search(text) or handler.search(text):
            offenders.append(str(path.relative_to(BASE_DIR)))
    assert len(_templates()) > 50
    assert not offenders, f"move these scripts to static/js: {offenders}"
