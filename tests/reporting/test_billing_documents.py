"""PDFs of a closed month (the consolidated invoice, attendance sheets), of the assessments
app (assessment, plan with budget), the quality-of-life summary and the STAR export: each
generated in-process through request_report and read back."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext

from assessments import services as assessment_services
from assessments.models import InstrumentKind, Plan, QolOccasion, QolRespondent
from assessments.selectors import current_instrument
from billing.models import InvoiceLine
from reporting import services
from reporting.models import ReportJob
from tests.assessments.factories import assess
from tests.reporting.month_world import MONTH, closed_month
from tests.reporting.readers import cents, csv_rows, pdf_text, rows, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(kov_a, coordinator_a, django_capture_on_commit_callbacks):
    return closed_month(kov_a, coordinator_a, django_capture_on_commit_callbacks)


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    def run(kind, by, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.request_report(kind=kind, by=by, **kwargs)
        job.refresh_from_db()
        assert job.status == ReportJob.Status.DONE, job.error
        return job

    return run


def et(msgid: str) -> str:
    """A column title as the report writes it (the Estonian catalogues decide the wording)."""
    with translation.override("et"):
        return gettext(msgid)


def _flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def test_the_invoice_pdf_has_every_line_and_the_total_of_the_invoice(
    month, kov_a, coordinator_a, generate
):
    text = _flat(pdf_text(generate("invoice_pdf", coordinator_a, municipality=kov_a, month=MONTH)))
    invoice = month.invoice
    assert f"Koondarve {invoice.number}" in text
    assert "Alfa vald" in text
    for line in invoice.lines.all():
        assert line.description in text
    assert "5 000,00 €" in text  # the case-management fee
    assert "Arve kokku " + f"{invoice.total:,.2f} €".replace(",", " ").replace(".", ",") in text
    assert sum(line.amount for line in invoice.lines.all()) == invoice.total
    components = invoice.lines.filter(kind=InvoiceLine.Kind.COMPONENT)
    assert sum(line.amount for line in components) == invoice.components_total


def test_the_attendance_sheets_have_a_page_per_person_with_signature_lines(
    month, kov_a, case_manager_a, generate
):
    job = generate("attendance_sheets", case_manager_a, municipality=kov_a, month=MONTH)
    text = _flat(pdf_text(job))
    assert "Osalemise lehed 04.2026" in text
    assert "Õie Ärmpalu" in text and "Šarlota Zõbrova" in text
    assert "06.04.2026" in text and "10.04.2026" in text
    assert "Spetsialist (" in text and "Pille Pakkuja" in text
    assert "Isik või seaduslik esindaja" in text
    assert text.count("Allkiri ja kuupäev") == 4  # per person: the person and one specialist


def test_the_assessment_pdf_has_the_levels_and_the_signature_lines(month, case_manager_a, generate):
    assessment = assess(month.world.case, by=case_manager_a, level=3, summary="Vajab palju tuge.")
    text = _flat(
        pdf_text(
            generate(
                "assessment_pdf", case_manager_a, subject=assessment, municipality=month.world.kov
            )
        )
    )
    assert "Toetusvajaduse hindamine" in text
    assert month.world.case.number in text and "Õie Ärmpalu" in text
    assert "Vajab palju tuge." in text
    for item in assessment.instrument.items.all():
        assert item.name in text
    assert "Hindaja" in text


def test_the_plan_pdf_has_the_components_and_the_budget(month, case_manager_a, generate):
    plan = Plan.objects.get(case=month.world.case)
    text = _flat(
        pdf_text(generate("plan_pdf", case_manager_a, subject=plan, municipality=month.world.kov))
    )
    assert "Tegevusplaan v1" in text
    assert "B1" in text and "L23" in text
    assert "300,00 €" in text and "490,00 €" in text and "790,00 €" in text
    assert "Selle versiooni isikustatud eelarve" in text
    assert "04.2026 790,00 €" in text


def _survey(case, occasion, respondent, value, by, on):
    instrument = current_instrument(InstrumentKind.QOL)
    level = instrument.levels.get(value=value)
    return assessment_services.record_survey(
        case=case,
        occasion=occasion,
        respondent=respondent,
        answered_on=on,
        answers={item.pk: level.pk for item in instrument.items.all()},
        notes="",
        by=by,
    )


def test_the_quality_of_life_summary_has_both_ratings_per_occasion(
    month, kov_a, coordinator_a, ska_user, generate
):
    case = month.world.case
    instrument = current_instrument(InstrumentKind.QOL)
    low, high = (
        instrument.levels.order_by("value")[0].value,
        instrument.levels.order_by("-value")[0].value,
    )
    _survey(case, QolOccasion.ENTRY, QolRespondent.PERSON, low, coordinator_a, date(2026, 1, 12))
    _survey(
        case, QolOccasion.ENTRY, QolRespondent.SPECIALIST, high, coordinator_a, date(2026, 1, 14)
    )
    data = rows(
        workbook(generate("qol_summary", ska_user, municipality=kov_a, month=MONTH)).worksheets[0]
    )
    assert data[0][0] == "Isikukood"
    assert data[0][7].lower() == "sisenemisel, isik ise: vastuste keskmine"
    row = next(r for r in data if r[1] == "Ärmpalu")
    assert row[6].date() == date(2026, 1, 12) and cents(row[7]) == Decimal(low)
    assert row[8].date() == date(2026, 1, 14) and cents(row[9]) == Decimal(high)
    assert row[10:] == (None,) * 8
    other = next(r for r in data if r[1] == "Zõbrova")
    assert other[6:] == (None,) * 12


def test_the_star_export_lists_assessment_levels_and_plan_lines_in_csv_and_xlsx(
    month, kov_a, coordinator_a, case_manager_a, generate
):
    assess(month.world.case, by=case_manager_a, level=2)
    data = rows(
        workbook(
            generate("star_export_xlsx", coordinator_a, municipality=kov_a, month=MONTH)
        ).worksheets[0]
    )
    header = data[0]
    lines = [r for r in data[1:] if r[1] == "Ärmpalu"]
    assert sorted(r[header.index("Komponendi kood")] for r in lines) == ["B1", "L23"]
    b1 = next(r for r in lines if r[header.index("Komponendi kood")] == "B1")
    assert cents(b1[header.index(et("Unit price"))]) == Decimal("49.00")
    assert cents(b1[header.index("Tunde kuus")]) == Decimal("10.00")
    assert cents(b1[header.index("Kulu kuus")]) == Decimal("490.00")
    assert b1[header.index("Teenuseosutaja")] == month.world.provider.name
    assert b1[header.index("Hindamise kuupäev")].date() == date(2026, 1, 20)
    domain_columns = header[5 : header.index("Komponendi kood")]
    assert domain_columns and all(b1[header.index(name)] == 2 for name in domain_columns)
    other = [r for r in data[1:] if r[1] == "Zõbrova"]
    assert other and all(r[4] is None for r in other)  # no assessment yet

    table = csv_rows(generate("star_export_csv", coordinator_a, municipality=kov_a, month=MONTH))
    assert table[0] == [str(h) for h in header]
    csv_b1 = next(
        r for r in table if r[1] == "Ärmpalu" and r[header.index("Komponendi kood")] == "B1"
    )
    assert csv_b1[header.index("Kulu kuus")] == "490,00"
    assert csv_b1[header.index("Hindamise kuupäev")] == "20.01.2026"


# --- Rights -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["cost_report", "invoice_pdf", "qol_summary"])
def test_ska_may_request_the_monthly_reports(month, kov_a, ska_user, kind, generate):
    assert generate(kind, ska_user, municipality=kov_a, month=MONTH).is_current


@pytest.mark.parametrize("kind", ["attendance_sheets", "star_export_xlsx", "star_export_csv"])
def test_ska_may_not_request_what_holds_case_data(kov_a, ska_user, kind):
    with pytest.raises(PermissionDenied):
        services.request_report(kind=kind, by=ska_user, municipality=kov_a, month=MONTH)


@pytest.mark.parametrize(
    "kind",
    [
        "cost_report",
        "invoice_pdf",
        "qol_summary",
        "attendance_sheets",
        "star_export_csv",
        "all_kov_costs",
    ],
)
def test_provider_specialists_may_request_none_of_these(kov_a, provider_user, kind):
    with pytest.raises(PermissionDenied):
        services.request_report(
            kind=kind,
            by=provider_user,
            municipality=None if kind == "all_kov_costs" else kov_a,
            month=MONTH,
        )


def test_another_municipality_may_not_request_kov_as_reports(kov_a, coordinator_b):
    with pytest.raises(PermissionDenied):
        services.request_report(
            kind="cost_report", by=coordinator_b, municipality=kov_a, month=MONTH
        )
