"""The charts on the pages: each has its figures in a table, the pages stay within their
municipality, and the month-end page's queries do not grow with the persons."""

import re
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import QolOccasion, QolRespondent
from assessments.selectors import qol_instrument
from assessments.services import record_survey
from billing.models import Invoice
from tests.dashboards.factories import dashboard_world, invoice, more_persons, qol_answers

pytestmark = pytest.mark.django_db
MAY = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def world(kov_a, coordinator_a):
    return dashboard_world(kov_a, coordinator_a)


def _table(html: str, table_id: str) -> str:
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert match, f"no table {table_id}"
    return match.group(0)


def _rows(table: str) -> list[list[str]]:
    """Each body row's cells (th and td) as text."""
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def _month_end(client, user, month="2026-04"):
    client.force_login(user)
    response = client.get(f"/billing/month-end/dashboard/?month={month}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_month_end_page_draws_each_chart_from_the_figures_of_its_table(client, world, coordinator_a):
    html = _month_end(client, coordinator_a)
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/charts.js" in html
    for chart_id, table_id in [
        ("chart-fill", "table-fill"), ("chart-budgets", "table-budgets"), ("chart-components", "table-components"),
    ]:
        assert re.search(
            rf'<canvas id="{chart_id}-canvas" data-chart="{chart_id}" role="img" aria-label="[^"]+" '
            rf'aria-describedby="{table_id}"', html
        )
        assert f'<script id="{chart_id}" type="application/json">' in html
        table = _table(html, table_id)
        assert "<caption" in table and 'scope="col"' in table and 'scope="row"' in table
    fill = _rows(_table(html, "table-fill"))
    assert len(fill) == 12 and fill[0][0] == "05.2025"
    assert fill[-2:] == [["03.2026", "3", "10", "9,0", "30,0 %"], ["04.2026", "3", "10", "9,0", "30,0 %"]]
    budgets = _rows(_table(html, "table-budgets"))
    assert budgets[-3:] == [
        ["02.2026", "1\xa0580,00\xa0€", "0,00\xa0€"],
        ["03.2026", "1\xa0580,00\xa0€", "103,50\xa0€"],
        ["04.2026", "1\xa0580,00\xa0€", "75,00\xa0€"],
    ]
    components = {row[0].split()[0]: row for row in _rows(_table(html, "table-components"))}
    assert components["L23"][-3:] == ["30,00\xa0€", "75,00\xa0€", "105,00\xa0€"]
    assert components["B1"][-3:] == ["73,50\xa0€", "0,00\xa0€", "73,50\xa0€"]


def test_the_month_end_page_lists_each_persons_budget_of_the_month(client, world, coordinator_a):
    html = _month_end(client, coordinator_a)
    persons = re.search(r'<table[^>]*data-testid="table-persons".*?</table>', html, re.S).group(0)
    rows = {row[0]: row[1:] for row in _rows(persons)}
    assert rows[str(world.case.person)] == [world.case.number, "790,00\xa0€", "15,00\xa0€", "-775,00\xa0€"]
    assert rows[str(world.other_case.person)] == [world.other_case.number, "790,00\xa0€", "60,00\xa0€", "-730,00\xa0€"]


def test_the_chart_data_carries_the_same_figures_as_the_table(client, world, coordinator_a):
    import json

    html = _month_end(client, coordinator_a)
    data = json.loads(re.search(r'<script id="chart-budgets" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert data["labels"][-1] == "04.2026" and data["money"] is True
    assert data["datasets"][0]["data"][-1] == "1580.00" and data["datasets"][1]["data"][-1] == "75.00"


def test_another_municipalitys_coordinator_sees_none_of_its_figures(client, world, coordinator_b):
    html = _month_end(client, coordinator_b)
    assert str(world.case.person) not in html
    assert 'id="table-components"' not in html and "103,50" not in html and "1\xa0580,00" not in html
    assert "table-fill" not in html  # KOV B has no funding agreement


def test_the_case_file_shows_the_persons_budget_by_month(client, world, case_manager_a):
    client.force_login(case_manager_a)
    with time_machine.travel(MAY):
        response = client.get(f"/cases/{world.case.pk}/")
    html = response.content.decode()
    assert 'aria-describedby="table-case-budget"' in html and "vendor/chartjs/chart.umd.min.js" in html
    rows = _rows(_table(html, "table-case-budget"))
    assert [r[0] for r in rows] == ["01.2026", "02.2026", "03.2026", "04.2026", "05.2026"]
    assert rows[0] == ["01.2026", "560,64\xa0€", "0,00\xa0€", "-560,64\xa0€"]
    assert rows[2] == ["03.2026", "790,00\xa0€", "103,50\xa0€", "-686,50\xa0€"]
    assert 'data-testid="qol-change"' in html


def test_the_case_file_shows_each_surveys_quality_of_life_ratings(client, world, case_manager_a):
    instrument = qol_instrument()
    first = instrument.items.order_by("order", "code").first()
    for respondent, occasion, on, value in [
        (QolRespondent.PERSON, QolOccasion.ENTRY, date(2026, 1, 15), 1),
        (QolRespondent.SPECIALIST, QolOccasion.ENTRY, date(2026, 1, 20), 2),
        (QolRespondent.PERSON, QolOccasion.YEAR, date(2027, 1, 12), 3),
    ]:
        record_survey(
            case=world.case, occasion=occasion, respondent=respondent, answered_on=on,
            answers=qol_answers(lambda i, v=value: v), notes="", by=case_manager_a,
        )
    client.force_login(case_manager_a)
    html = client.get(f"/cases/{world.case.pk}/").content.decode()
    assert 'aria-describedby="table-qol"' in html and '<script id="chart-qol" type="application/json">' in html
    table = _table(html, "table-qol")
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)
    assert headers[1:] == [
        "isik ise, sisenemisel (15.01.2026)", "isik ise, 12 kuu möödudes (12.01.2027)",
        "baastoetuse spetsialist, sisenemisel (20.01.2026)",
    ]
    assert _rows(table)[0] == [first.name, "1", "3", "2"]


def test_another_municipality_cannot_open_the_case_files_chart(client, world, case_manager_b):
    client.force_login(case_manager_b)
    assert client.get(f"/cases/{world.case.pk}/").status_code == 404


def test_ska_sees_spend_per_municipality_and_no_person(client, world, kov_b, ska_user):
    invoice(world.kov, date(2026, 3, 1), "1000.00")
    invoice(kov_b, date(2026, 3, 1), "900.00", state=Invoice.State.ACCEPTED)
    invoice(kov_b, date(2026, 4, 1), "400.00", state=Invoice.State.CLOSED)
    client.force_login(ska_user)
    with time_machine.travel(MAY):
        html = client.get("/reports/").content.decode()
    assert 'aria-describedby="table-spend"' in html and "vendor/chartjs/chart.umd.min.js" in html
    rows = {row[0]: row for row in _rows(_table(html, "table-spend"))}
    assert set(rows) == {"Alfa vald", "Beeta linn"}
    assert rows["Alfa vald"][-3:-1] == ["1\xa0000,00\xa0€", "0,00\xa0€"]  # March, April
    assert rows["Beeta linn"][-3:] == ["900,00\xa0€", "0,00\xa0€", "900,00\xa0€"]  # the closed April is not sent
    assert str(world.case.person) not in html and world.case.person.isikukood not in html


def test_ska_cannot_open_the_coordinators_month_end_page(client, ska_user):
    client.force_login(ska_user)
    for step in MONTH_PAGES:
        assert client.get(f"/billing/month-end/{step}?month=2026-04").status_code == 403


def test_a_coordinator_sees_only_their_own_municipality_on_the_overview(client, world, kov_b, coordinator_b):
    invoice(world.kov, date(2026, 3, 1), "1000.00")
    client.force_login(coordinator_b)
    with time_machine.travel(MAY):
        html = client.get("/reports/").content.decode()
    assert "1\xa0000,00" not in html and "table-spend" not in html


def test_a_coordinators_overview_counts_what_ska_counts_and_says_so(client, world, kov_b, coordinator_b):
    invoice(kov_b, date(2026, 3, 1), "300.00", state=Invoice.State.SUBMITTED)
    invoice(kov_b, date(2026, 4, 1), "400.00", state=Invoice.State.CLOSED)
    client.force_login(coordinator_b)
    with time_machine.travel(MAY):
        html = client.get("/reports/").content.decode()
    table = _table(html, "table-spend")
    assert "ainult esitatud ja aktsepteeritud arved" in table
    assert _rows(table)[0][-1] == "300,00\xa0€"  # the closed, unsubmitted April is not counted


MONTH_PAGES = ("", "check/", "closing/", "submission/", "dashboard/")


def _page_queries(client, user) -> list[int]:
    client.force_login(user)
    counts = []
    for step in MONTH_PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/billing/month-end/{step}?month=2026-04").status_code == 200
        counts.append(len(queries))
    return counts


def test_the_month_end_pages_queries_do_not_grow_with_the_persons(client, world, coordinator_a):
    before = _page_queries(client, coordinator_a)
    more_persons(world, coordinator_a, 8)
    assert _page_queries(client, coordinator_a) == before


def test_the_case_files_chart_queries_do_not_grow_with_the_months(client, world, case_manager_a):
    client.force_login(case_manager_a)
    february = datetime(2026, 2, 4, 9, 0, tzinfo=timezone.get_default_timezone())
    with time_machine.travel(february), CaptureQueriesContext(connection) as short:
        client.get(f"/cases/{world.case.pk}/")
    with time_machine.travel(MAY), CaptureQueriesContext(connection) as long:
        client.get(f"/cases/{world.case.pk}/")
    assert len(long) == len(short)
