"""SKA's table of municipalities × months, the reports section of the month-end page and the
documents section of the assessment and plan pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import Plan
from billing.models import MonthState
from billing.services import review_invoice, submit_invoice
from reporting.models import ReportJob
from tests.assessments.factories import assess
from tests.reporting.month_world import MONTH, closed_month

pytestmark = pytest.mark.django_db
TALLINN = ZoneInfo("Europe/Tallinn")


@pytest.fixture
def month(kov_a, coordinator_a, django_capture_on_commit_callbacks):
    return closed_month(kov_a, coordinator_a, django_capture_on_commit_callbacks)


def test_ska_sees_each_municipalitys_month_state_and_its_files(
    client, month, kov_a, kov_b, ska_user
):
    client.force_login(ska_user)
    page = client.get(reverse("reporting:months"), {"month": "2026-05"}).content.decode()
    assert "05.2026" in page and "12.2025" in page
    cell = page.split(f'data-testid="cell-{kov_a.code}-2026-04"')[1].split("</td>")[0]
    # closed but not submitted: SKA does not count it, so the cell names no invoice
    assert "suletud" in cell and month.invoice.number not in cell
    cost = ReportJob.objects.get(kind="cost_report", municipality=kov_a, is_current=True)
    assert reverse("reporting:download", args=[cost.pk]) in cell
    other = page.split(f'data-testid="cell-{kov_b.code}-2026-04"')[1].split("</td>")[0]
    assert "avatud" in other and "download" not in other


def test_the_month_table_runs_newest_month_first(client, month, kov_a, ska_user):
    client.force_login(ska_user)
    page = client.get(reverse("reporting:months"), {"month": "2026-05"}).content.decode()
    heads = page.split('data-testid="months-table"')[1].split("</tr>")[0]
    assert heads.index("05.2026") < heads.index("04.2026") < heads.index("12.2025")
    row = page.split(f'data-testid="cell-{kov_a.code}-2026-05"')[1]
    assert f'data-testid="cell-{kov_a.code}-2026-04"' in row


@pytest.mark.parametrize(
    ("on_time", "accept", "label"),
    [
        (True, None, "esitatud tähtaegselt"),
        (False, None, "esitatud hilinenult"),
        (True, False, None),
        (True, True, None),
    ],
)
def test_the_state_says_on_time_late_returned_or_accepted(
    client, month, kov_a, coordinator_a, ska_user, on_time, accept, label
):
    day = 8 if on_time else 20
    invoice = submit_invoice(
        invoice=month.invoice, by=coordinator_a, now=datetime(2026, 5, day, 9, tzinfo=TALLINN)
    )
    if accept is not None:
        review_invoice(
            invoice=invoice, by=ska_user, accept=accept, remarks="" if accept else "Paranda"
        )
    client.force_login(ska_user)
    page = client.get(reverse("reporting:months"), {"month": "2026-04"}).content.decode()
    cell = page.split(f'data-testid="cell-{kov_a.code}-2026-04"')[1].split("</td>")[0]
    expected = label
    if accept is not None:
        with translation.override("et"):
            expected = str(
                dict(MonthState.choices)[MonthState.ACCEPTED if accept else MonthState.RETURNED]
            )
    assert expected in cell


def test_the_table_searches_and_pages_municipalities(client, kov_a, kov_b, ska_user):
    client.force_login(ska_user)
    page = client.get(reverse("reporting:months"), {"q": kov_b.name[:4]}).content.decode()
    assert kov_b.name in page and kov_a.name not in page
    # A month that is not one is refused (tugi.workdays.parse_month), not replaced by another.
    assert client.get(reverse("reporting:months"), {"month": "vale"}).status_code == 400


def test_ska_requests_the_consolidated_xlsx_from_the_table_and_returns_to_it(
    client, month, ska_user, django_capture_on_commit_callbacks
):
    client.force_login(ska_user)
    back = reverse("reporting:months") + "?month=2026-04"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:request"),
            {"kind": "all_kov_costs", "month": "2026-04", "next": back},
        )
    assert response.status_code == 302 and response["Location"] == back
    job = ReportJob.objects.get(kind="all_kov_costs", month=MONTH)
    assert job.status == ReportJob.Status.DONE
    assert reverse("reporting:download", args=[job.pk]) in client.get(back).content.decode()


def test_the_navigation_links_ska_to_the_table(client, ska_user, coordinator_a):
    client.force_login(ska_user)
    assert reverse("reporting:months") in client.get(reverse("reporting:home")).content.decode()
    client.force_login(coordinator_a)
    assert reverse("reporting:months") not in client.get(reverse("reporting:home")).content.decode()


def test_the_month_end_page_lists_the_months_reports_with_their_files(client, month, coordinator_a):
    client.force_login(coordinator_a)
    page = client.get(reverse("billing:month_submission"), {"month": "2026-04"}).content.decode()
    section = page.split('id="month-reports"')[1]
    for kind in (
        "cost_report",
        "invoice_pdf",
        "attendance_sheets",
        "qol_summary",
        "star_export_csv",
    ):
        assert f'data-testid="report-{kind}"' in section
    cost = ReportJob.objects.get(kind="cost_report", is_current=True)
    assert reverse("reporting:download", args=[cost.pk]) in section


def test_generating_from_the_month_page_returns_to_it(
    client, month, kov_a, coordinator_a, django_capture_on_commit_callbacks
):
    client.force_login(coordinator_a)
    back = reverse("billing:month_submission") + "?month=2026-04#month-reports"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:request"),
            {
                "kind": "attendance_sheets",
                "municipality": kov_a.pk,
                "month": "2026-04",
                "next": back,
            },
        )
    assert response["Location"] == back
    assert ReportJob.objects.get(kind="attendance_sheets").status == ReportJob.Status.DONE


def test_the_assessment_and_plan_pages_offer_their_pdf(
    client, month, case_manager_a, django_capture_on_commit_callbacks
):
    assessment = assess(month.world.case, by=case_manager_a)
    plan = Plan.objects.get(case=month.world.case)
    client.force_login(case_manager_a)
    page = client.get(
        reverse("assessments:assessment_detail", args=[assessment.pk])
    ).content.decode()
    assert 'data-testid="report-assessment_pdf"' in page and f'value="{assessment.pk}"' in page
    page = client.get(reverse("assessments:plan_detail", args=[plan.pk])).content.decode()
    assert 'data-testid="report-plan_pdf"' in page
    back = reverse("assessments:plan_detail", args=[plan.pk]) + "#documents"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:request"), {"kind": "plan_pdf", "subject_id": plan.pk, "next": back}
        )
    assert response["Location"] == back
    job = ReportJob.objects.get(kind="plan_pdf")
    assert job.subject == plan and job.status == ReportJob.Status.DONE
    assert reverse("reporting:download", args=[job.pk]) in client.get(back).content.decode()


def test_another_municipality_gets_404_for_a_plan_document(client, month, case_manager_b):
    plan = Plan.objects.get(case=month.world.case)
    client.force_login(case_manager_b)
    response = client.post(
        reverse("reporting:request"), {"kind": "plan_pdf", "subject_id": plan.pk}
    )
    assert response.status_code == 404
    assert not ReportJob.objects.filter(kind="plan_pdf").exists()


def test_ska_gets_no_plan_documents(client, month, ska_user):
    plan = Plan.objects.get(case=month.world.case)
    client.force_login(ska_user)
    response = client.post(
        reverse("reporting:request"), {"kind": "plan_pdf", "subject_id": plan.pk}
    )
    assert response.status_code == 403
