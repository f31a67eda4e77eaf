"""The export helper neutralises what a spreadsheet would evaluate, and nothing else."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tugi.exports import append_row, csv_writer, neutralise, text, xlsx_workbook


@pytest.mark.parametrize("value", ["=1+1", "+372 555", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_beginning_like_a_formula_gets_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Mari", "", " =1", "1-2", Decimal("-5.00"), -5, None])
def test_anything_else_is_left_as_it_is(value):
    assert neutralise(value) == value


def test_the_csv_writer_neutralises_every_cell():
    out = io.StringIO()
    csv_writer(out).writerow(["=1+1", "Mari", -3])
    assert next(csv.reader(io.StringIO(out.getvalue()), delimiter=";")) == ["'=1+1", "Mari", "-3"]


def test_xlsxwriter_and_openpyxl_write_strings_never_formulas():
    out = io.BytesIO()
    book = xlsx_workbook(out)
    sheet = book.add_worksheet("a")
    sheet.write(0, 0, "=1+1")  # even the generic write keeps it a string
    sheet.write_string(0, 1, text("=2+2"))
    book.close()
    cells = list(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())[0]
    assert [(c.value, c.data_type) for c in cells] == [("=1+1", "s"), ("'=2+2", "s")]

    wb = Workbook()
    append_row(wb.active, ["=3+3", 4])
    saved = io.BytesIO()
    wb.save(saved)
    cells = list(load_workbook(io.BytesIO(saved.getvalue())).active.iter_rows())[0]
    assert [(c.value, c.data_type) for c in cells] == [("'=3+3", "s"), (4, "n")]
