"""The consolidated invoice PDF as an accountant reads it: seller and buyer complete, the fee
basis in words, and the totals printed once, after the last line, on one page and across
pages. Each PDF is rendered to PNG with poppler's pdftoppm (as a person would look at it) and
its text is read per page with pdftotext."""

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from billing.models import Invoice, InvoiceLine
from reporting import services
from reporting.models import ReportJob
from tests.reporting.month_world import MONTH, closed_month

pytestmark = pytest.mark.django_db

GRAND_TOTAL = "Arve kokku"
EXTRA_LINES = 70


@pytest.fixture
def month(kov_a, coordinator_a, django_capture_on_commit_callbacks):
    kov_a.registry_code = "75000006"
    kov_a.save(update_fields=["registry_code"])
    return closed_month(kov_a, coordinator_a, django_capture_on_commit_callbacks)


def _pdf(job: ReportJob, tmp_path: Path) -> Path:
    path = tmp_path / "invoice.pdf"
    with job.file.open("rb") as handle:
        path.write_bytes(handle.read())
    return path


def _generate(kov, by, capture, tmp_path) -> Path:
    with capture(execute=True):
        job = services.request_report(kind="invoice_pdf", by=by, municipality=kov, month=MONTH)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    return _pdf(job, tmp_path)


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.replace("\xa0", " ").split()) for page in text.split("\f") if page.strip()]


def _png(pdf: Path, name: str) -> list[Path]:
    """Render every page to PNG (kept in var/test-output/ to look at) and return the files."""
    out = Path(settings.BASE_DIR) / "var" / "test-output"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / name)], check=True)
    return sorted(out.glob(f"{name}-*.png"))


def _assert_one_totals_block_after_the_last_line(pages: list[str], last_line: str) -> None:
    text = " ".join(pages)
    assert text.count(GRAND_TOTAL) == 1, "the totals block is printed once"
    assert text.index(GRAND_TOTAL) > text.index(last_line), "after the last line"
    last_line_page = max(i for i, page in enumerate(pages) if last_line in page)
    for page in pages[:last_line_page]:
        assert "Komponendid kokku" not in page and GRAND_TOTAL not in page


def test_a_one_page_invoice_has_seller_buyer_and_one_totals_block(
    month, kov_a, coordinator_a, django_capture_on_commit_callbacks, tmp_path
):
    pdf = _generate(kov_a, coordinator_a, django_capture_on_commit_callbacks, tmp_path)
    pages = _pages(pdf)
    pngs = _png(pdf, "invoice-one-page")
    assert len(pages) == len(pngs) == 1
    assert all(p.stat().st_size > 5000 for p in pngs)
    first = pages[0]
    for fact in (
        "Müüja", "Alfa vald", "Registrikood: 75000006", "Keskväljak 1, 61234 Alfa", "EE382200221020145685",
        "Kati Alfa", "Ostja", "Sotsiaalkindlustusamet", "Registrikood: 70001975", "Paldiski mnt 80, 15092 Tallinn",
        month.invoice.number, "01.04.2026–30.04.2026", "12.05.2026", "Juhtumikorralduse tasu alus",
        "Rahastuslepingu I etapp",
    ):
        assert fact in first, fact
    last_line = month.invoice.lines.order_by("-order").first().description
    _assert_one_totals_block_after_the_last_line(pages, last_line)


def test_a_multi_page_invoice_prints_the_totals_once_after_the_last_line(
    month, kov_a, coordinator_a, django_capture_on_commit_callbacks, tmp_path
):
    invoice = month.invoice
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice, kind=InvoiceLine.Kind.ADJUSTMENT, description=f"Parandus nr {n:03d}",
            amount=Decimal("1.00"), original_month=MONTH.replace(month=2), order=100 + n,
        )
        for n in range(EXTRA_LINES)
    )
    Invoice.objects.filter(pk=invoice.pk).update(
        adjustments_total=Decimal(EXTRA_LINES), total=invoice.total + EXTRA_LINES
    )
    pdf = _generate(kov_a, coordinator_a, django_capture_on_commit_callbacks, tmp_path)
    pages = _pages(pdf)
    pngs = _png(pdf, "invoice-pages")
    assert len(pages) == len(pngs) >= 2
    assert "Sotsiaalkindlustusamet" in pages[0] and "Alfa vald" in pages[0]
    _assert_one_totals_block_after_the_last_line(pages, f"Parandus nr {EXTRA_LINES - 1:03d}")
    assert "Kuu 02.2026 korrigeerimised" in " ".join(pages)
