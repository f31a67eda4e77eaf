"""Every XLSX and CSV export keeps a formula-looking value as text (tugi.exports): the provider
register, the access log, the STAR export (CSV and XLSX), the cost report, the all-KOV
workbook, the participants report and the quality-of-life summary."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from openpyxl import load_workbook

from accounts.models import AccessLog
from billing.services import submit_invoice
from reporting import services
from reporting.models import ReportJob
from tests.cases.factories import EnteredCaseFactory, PersonFactory
from tests.providers.factories import ProviderFactory
from tests.reporting.month_world import MONTH, closed_month

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.invalid","klõps")'
LAST_NAME = "=1+1"
SAFE_LAST_NAME = "'=1+1"


@pytest.fixture
def month(kov_a, coordinator_a, django_capture_on_commit_callbacks):
    closed = closed_month(kov_a, coordinator_a, django_capture_on_commit_callbacks)
    person = closed.world.case.person
    person.last_name = LAST_NAME
    person.save(update_fields=["last_name"])
    return closed


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    def run(kind, by, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.request_report(kind=kind, by=by, **kwargs)
        job.refresh_from_db()
        assert job.status == ReportJob.Status.DONE, job.error
        with job.file.open("rb") as handle:
            return handle.read()

    return run


def _xlsx_cells(content: bytes):
    book = load_workbook(BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_text_cell(content: bytes, expected: str) -> None:
    cells = [c for c in _xlsx_cells(content) if isinstance(c.value, str) and c.value.lstrip("'") == expected]
    assert cells, f"{expected!r} not in the workbook"
    for cell in cells:
        assert cell.data_type == "s" and cell.value == "'" + expected


def _csv_text(content: bytes) -> str:
    return content.decode("utf-8-sig")


def test_the_provider_register_keeps_a_hyperlink_formula_as_text(client, ska_user):
    ProviderFactory(name=FORMULA, address="+372 5555 5555", email="@kiri@example.invalid")
    client.force_login(ska_user)
    content = client.get("/providers/register.xlsx").content
    _assert_text_cell(content, FORMULA)
    _assert_text_cell(content, "+372 5555 5555")
    _assert_text_cell(content, "@kiri@example.invalid")


def test_the_access_log_csv_neutralises_a_formula_in_a_name(kov_a, coordinator_a, generate):
    entry = AccessLog.objects.create(
        user=coordinator_a, role=coordinator_a.role, municipality=kov_a,
        subject_type=ContentType.objects.get_for_model(kov_a), subject_id=kov_a.pk,
        subject_label=LAST_NAME, path="/cases/1/",
    )
    AccessLog.objects.filter(pk=entry.pk).update(at=datetime(2026, 4, 10, 12, tzinfo=ZoneInfo("Europe/Tallinn")))
    text = _csv_text(generate("access_log", coordinator_a, municipality=kov_a, month=MONTH))
    assert f";{SAFE_LAST_NAME};" in text
    assert f";{LAST_NAME};" not in text


def test_the_star_export_keeps_a_formula_in_a_last_name_as_text(month, kov_a, coordinator_a, generate):
    text = _csv_text(generate("star_export_csv", coordinator_a, municipality=kov_a, month=MONTH))
    assert f";{SAFE_LAST_NAME};" in text and f";{LAST_NAME};" not in text
    _assert_text_cell(generate("star_export_xlsx", coordinator_a, municipality=kov_a, month=MONTH), LAST_NAME)


def test_the_cost_report_and_the_qol_summary_keep_a_formula_as_text(month, kov_a, coordinator_a, generate):
    _assert_text_cell(generate("cost_report", coordinator_a, municipality=kov_a, month=MONTH), LAST_NAME)
    _assert_text_cell(generate("qol_summary", coordinator_a, municipality=kov_a, month=MONTH), LAST_NAME)


def test_the_all_kov_workbook_keeps_a_formula_in_a_municipality_name_as_text(
    month, kov_a, coordinator_a, ska_user, generate
):
    kov_a.name = "-Alfa vald"
    kov_a.save(update_fields=["name"])
    submit_invoice(invoice=month.invoice, by=coordinator_a)
    _assert_text_cell(generate("all_kov_costs", ska_user, month=MONTH), "-Alfa vald")


def test_the_participants_report_keeps_a_formula_as_text(kov_a, coordinator_a, generate):
    EnteredCaseFactory(
        municipality=kov_a, entry_date=date(2026, 4, 2), person=PersonFactory(last_name=LAST_NAME)
    )
    _assert_text_cell(generate("participants", coordinator_a, municipality=kov_a, month=MONTH), LAST_NAME)
