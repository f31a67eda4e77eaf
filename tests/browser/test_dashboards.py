"""The coordinator's month-end page draws its charts with Chart.js, and the tables beside
them show the same figures (in Estonian)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.dashboards.factories import dashboard_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("chart-fill", "chart-budgets", "chart-components")


def test_the_coordinator_sees_the_month_end_charts_and_their_tables(page, kov_a, coordinator_a):
    from components import catalogue
    from components.models import Component

    catalogue.load(Component)  # transactional tests flush every table, the migrated catalogue too
    dashboard_world(kov_a, coordinator_a)
    log_in(page, coordinator_a.username)
    page.goto("/billing/month-end/dashboard/?month=2026-04")

    for chart_id in CHARTS:
        canvas = page.locator(f"#{chart_id}-canvas")
        expect(canvas).to_be_visible()
        drawn = page.evaluate(
            """id => { const c = Chart.getChart(document.getElementById(id + "-canvas"));
                       return c ? {type: c.config.type, labels: c.data.labels.length,
                                   sets: c.data.datasets.length, width: c.width} : null; }""",
            chart_id,
        )
        assert drawn is not None, f"{chart_id} was not drawn"
        assert drawn["labels"] == 12 and drawn["sets"] >= 2 and drawn["width"] > 0

    components = page.evaluate(
        'Chart.getChart(document.getElementById("chart-components-canvas")).data.datasets'
        '.map(d => [d.label.split(" ")[0], d.data[d.data.length - 1], d.data[d.data.length - 2]])'
    )
    assert ["L23", 75, 30] in components and ["B1", 0, 73.5] in components

    table = page.get_by_role("table", name="Isikustatud eelarved ja tegelik kulu kuude kaupa, kõik isikud")
    expect(table.get_by_role("row", name="04.2026")).to_contain_text("1 580,00 €")
    expect(table.get_by_role("row", name="03.2026")).to_contain_text("103,50 €")
    fill = page.locator("#table-fill")
    expect(fill.get_by_role("row", name="04.2026")).to_contain_text("30,0 %")
