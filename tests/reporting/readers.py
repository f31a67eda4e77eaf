"""Reading generated files back: XLSX with openpyxl, PDF text with pypdf, CSV as text."""

import csv
import io
from decimal import Decimal

import openpyxl
from pypdf import PdfReader


def workbook(job):
    with job.file.open("rb") as handle:
        return openpyxl.load_workbook(io.BytesIO(handle.read()), data_only=True)


def rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def pdf_text(job) -> str:
    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
        return "\n".join(page.extract_text() for page in reader.pages)


def csv_rows(job) -> list[list[str]]:
    with job.file.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def cents(value) -> Decimal:
    """A number read back from XLSX (a double) as euros and cents."""
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))
