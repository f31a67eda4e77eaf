"""Months, weeks and NUL bytes from the address bar or a form: refused with 400 or a form
error, never a server error, and a close, reopen or recheck never acts on another month."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from billing.models import BillingMonth, Invoice

pytestmark = pytest.mark.django_db

BAD_MONTHS = ["2026-13", "9999-12", "0001-01", "2026-00", "garbage", "2026-04\x00"]


@pytest.mark.parametrize("month", BAD_MONTHS)
@pytest.mark.parametrize("action", ["close", "reopen", "recheck"])
def test_a_month_action_with_a_month_that_does_not_exist_is_refused_and_writes_nothing(
    client, coordinator_a, month, action
):
    client.force_login(coordinator_a)
    response = client.post(f"/billing/month-end/{action}/", {"month": month})
    assert response.status_code == 400
    assert not BillingMonth.objects.exists()
    assert not Invoice.objects.exists()


def test_the_bad_request_page_says_so_in_estonian(client, coordinator_a):
    client.force_login(coordinator_a)
    response = client.get("/billing/month-end/?month=2026-13")
    assert response.status_code == 400
    assert "Vigane päring" in response.content.decode()


@pytest.mark.parametrize("month", BAD_MONTHS)
def test_month_pages_refuse_a_month_that_does_not_exist(client, coordinator_a, ska_user, month):
    client.force_login(coordinator_a)
    assert client.get("/billing/month-end/", {"month": month}).status_code == 400
    assert client.get("/billing/deliveries/", {"month": month}).status_code == 400
    client.force_login(ska_user)
    assert client.get("/reports/months/", {"month": month}).status_code == 400


def test_the_first_and_last_months_of_the_service_are_shown(client, coordinator_a):
    client.force_login(coordinator_a)
    assert client.get("/billing/month-end/", {"month": "2000-01"}).status_code == 200
    assert client.get("/billing/month-end/", {"month": "2099-12"}).status_code == 200


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2026-02-30", "x"])
def test_the_week_grid_refuses_a_week_that_does_not_exist(client, provider_user, week):
    client.force_login(provider_user)
    assert client.get("/billing/attendance/", {"week": week}).status_code == 400
    assert client.post("/billing/attendance/", {"week": week}).status_code == 400


@pytest.mark.parametrize(
    ("url", "persona"),
    [("/billing/deliveries/", "coordinator_a"), ("/assessments/mine/", "provider_user"),
     ("/providers/", "coordinator_a"), ("/reports/months/", "ska_user"), ("/cases/", "case_manager_a")],
)
def test_a_nul_byte_in_a_search_is_a_bad_request(client, request, url, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url, {"q": "Tamm"}).status_code == 200
    assert client.get(url, {"q": "Tamm\x00"}).status_code == 400
    assert client.get(url, {"q\x00": "Tamm"}).status_code == 400


def test_a_nul_byte_in_a_posted_field_is_a_bad_request_and_writes_nothing(client, coordinator_a):
    client.force_login(coordinator_a)
    assert client.post("/billing/month-end/close/", {"month": "2026-04", "note": "a\x00b"}).status_code == 400
    assert not BillingMonth.objects.exists()


def test_close_month_command_refuses_a_month_that_does_not_exist(kov_a):
    for month in ("2026-13", "9999-12", "0001-01"):
        with pytest.raises(CommandError, match="YYYY-MM"):
            call_command("close_month", kov_a.code, month)
    assert not BillingMonth.objects.exists()
    assert date(2026, 4, 1)  # the command's own month format is tested in tests/billing
