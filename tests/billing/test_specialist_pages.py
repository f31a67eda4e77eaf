"""The specialist's start page, the week grid's plan hours against recorded hours, and the session
form's plan components first."""

import re
from datetime import date
from fractions import Fraction

import pytest
import time_machine
from django.urls import reverse

from accounts.permissions import start_url
from billing import plans, selectors, services
from billing.models import Delivery
from tests.billing.factories import build_world, plan_line
from tests.providers.factories import component

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(kov_a, provider_user):
    return build_world(kov_a, provider_user=provider_user)


def _record(world, by, *, case=None, code="L23", on=date(2026, 4, 6), minutes=60, form="I"):
    services.record_deliveries(
        drafts=[world.draft(case=case or world.case, component=component(code), date=on, minutes=minutes, form=form)],
        by=by,
    )


def _progress_cells(page: str) -> list[str]:
    """The text of each line's "recorded / plan" cell, in the grid's order."""
    cells = re.findall(r'data-testid="plan-progress">(.*?)</td>', page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def _row(page: str, person, code: str) -> str:
    rows = re.findall(r'<tr data-testid="grid-line">(.*?)</tr>', page, re.S)
    return next(r for r in rows if str(person) in r and f"{code} (" in r)


def test_the_grid_shows_each_lines_recorded_hours_against_the_plan_this_month(client, world, provider_user):
    _record(world, provider_user, minutes=60, on=date(2026, 4, 1))
    _record(world, provider_user, minutes=30, on=date(2026, 4, 7))
    _record(world, provider_user, minutes=45, on=date(2026, 3, 31))  # March: not April's
    client.force_login(provider_user)
    page = client.get("/billing/attendance/?week=2026-04-06").content.decode()
    row = _row(page, world.case.person, "L23")
    assert _progress_cells(row) == ["1,50 / 10,00"]
    total = re.search(r"<div[^>]*data-grid-total[^>]*>", row).group(0)
    assert 'data-month="2026-04"' in total and 'data-recorded-minutes="90"' in total
    assert 'data-planned-minutes="600"' in total
    assert 'data-grid-month="2026-04"' in row  # each cell says its month, for the running total
    assert "js/grid-totals.js" in page
    assert _progress_cells(_row(page, world.other_case.person, "L23")) == ["0,00 / 10,00"]


def test_a_line_in_force_for_part_of_the_month_is_planned_pro_rata_as_the_rule_counts_it(
    client, world, provider_user
):
    # 6 h a month of group L23 from 16.04: 15 of April's 30 days.
    line = plan_line(world.other_case, world.provider, "L23", form="G", hours="6", start=date(2026, 4, 16))
    client.force_login(provider_user)
    page = client.get("/billing/attendance/?week=2026-04-13").content.decode()
    cells = _progress_cells(page)
    assert "0,00 / 3,00" in cells
    april = date(2026, 4, 1)
    progress = selectors.plan_progress(provider_id=world.provider.pk, lines=[line], months=[april])
    key = (world.other_case.pk, line.component_id, "G", april)
    assert progress[key].planned_hours == Fraction(3) == plans.planned_hours(
        case=world.other_case, month=april, component_id=line.component_id, provider_id=world.provider.pk,
        form="G",
    )


def test_past_the_plan_the_total_is_marked(client, world, provider_user):
    for day in (1, 2):
        _record(world, provider_user, minutes=330, on=date(2026, 4, day))  # 11 h against 10 h
    client.force_login(provider_user)
    page = client.get("/billing/attendance/?week=2026-04-06").content.decode()
    row = _row(page, world.case.person, "L23")
    assert _progress_cells(row) == ["11,00 / 10,00"]
    assert re.search(r'<div class="text-danger fw-semibold" data-grid-total', row)


def test_a_week_across_two_months_shows_both_months(client, world, provider_user):
    _record(world, provider_user, minutes=60, on=date(2026, 3, 30))
    _record(world, provider_user, minutes=120, on=date(2026, 4, 2))
    client.force_login(provider_user)
    page = client.get("/billing/attendance/?week=2026-03-30").content.decode()
    assert _progress_cells(_row(page, world.case.person, "L23")) == ["03.2026: 1,00 / 10,00 04.2026: 2,00 / 10,00"]


def test_the_grid_for_one_person_lists_only_their_lines_and_keeps_to_them_after_saving(client, world, provider_user):
    client.force_login(provider_user)
    url = f"/billing/attendance/?week=2026-04-06&case={world.case.pk}"
    page = client.get(url).content.decode()
    assert str(world.case.person) in page and str(world.other_case.person) not in page.split("<main", 1)[1]
    line = world.case.plans.first().lines.get(component__code="L23")
    response = client.post("/billing/attendance/", {
        "week": "2026-04-06", "case": world.case.pk, f"c-{line.pk}-2026-04-06": "60",
    })
    assert response.status_code == 302 and f"case={world.case.pk}" in response.url
    assert Delivery.objects.get().minutes == 60
    # A person the specialist may not record for is not found.
    assert client.get("/billing/attendance/?week=2026-04-06&case=999999").status_code == 404


@time_machine.travel(date(2026, 4, 8))
def test_the_specialists_start_page_lists_this_weeks_persons_and_hours_against_the_plan(
    client, world, provider_user
):
    assert start_url(provider_user) == reverse("billing:specialist_home")
    _record(world, provider_user, minutes=60, on=date(2026, 4, 6))  # this week
    _record(world, provider_user, minutes=30, on=date(2026, 4, 2))  # this month, last week
    _record(world, provider_user, minutes=45, on=date(2026, 3, 31))  # last month
    client.force_login(provider_user)
    page = client.get(reverse("billing:specialist_home")).content.decode()
    assert "06.04.2026–12.04.2026" in page
    persons = re.findall(r'data-testid="specialist-person">(.*?)</li>', page, re.S)
    assert len(persons) == 2
    mine = next(p for p in persons if str(world.case.person) in p)
    l23 = next(r for r in re.findall(r'<tr data-testid="specialist-line">(.*?)</tr>', mine, re.S) if "L23" in r)
    assert re.findall(r'<td class="text-end[^"]*">([^<]*)</td>', l23) == ["1,00", "1,50", "10,00"]
    grid = f'{reverse("billing:my_attendance")}?week=2026-04-06&amp;case={world.case.pk}'
    assert f'href="{grid}"' in mine
    assert f'href="{reverse("billing:delivery_add")}?case={world.case.pk}"' in mine


def test_the_session_form_offers_the_persons_plan_components_first(client, world, provider_user):
    client.force_login(provider_user)
    page = client.get(f"{reverse('billing:delivery_add')}?case={world.case.pk}").content.decode()
    select = re.search(r'<select name="component".*?</select>', page, re.S).group(0)
    in_plan = re.search(r'<optgroup label="Plaanis">(.*?)</optgroup>', select, re.S).group(1)
    other = re.search(r'<optgroup label="Muud">(.*?)</optgroup>', select, re.S).group(1)
    assert {"L23", "B1"} == set(re.findall(r">(\w+)\b", in_plan)) & {"L23", "B1", "L13", "L01"}
    assert "L01" in other and "L23" not in other
    assert re.search(rf'<option value="{world.case.pk}" selected>', page)
    # Without a person, every component in one list; a component off the plan is still possible
    # and the rule catalogue warns of it.
    plain = client.get(reverse("billing:delivery_add")).content.decode()
    assert "<optgroup" not in re.search(r'<select name="component".*?</select>', plain, re.S).group(0)


def test_choosing_another_person_on_the_session_form_regroups_its_components(client, world, provider_user):
    """The person list asks (htmx) for the form of the person chosen and swaps in only its
    component list, keeping the component already chosen."""
    client.force_login(provider_user)
    page = client.get(reverse("billing:delivery_add")).content.decode()
    case_select = re.search(r'<select name="case"[^>]*>', page).group(0)
    assert f'hx-get="{reverse("billing:delivery_add")}"' in case_select
    assert 'hx-select="#div_id_component"' in case_select and 'hx-target="#div_id_component"' in case_select
    l01 = component("L01")
    swapped = client.get(reverse("billing:delivery_add"), {"case": world.case.pk, "component": l01.pk}).content.decode()
    part = re.search(r'<div id="div_id_component".*?</select>', swapped, re.S).group(0)
    assert '<optgroup label="Plaanis">' in part
    assert re.search(rf'<option value="{l01.pk}" selected>', part)
