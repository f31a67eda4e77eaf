"""The one way Tugi writes XLSX and CSV files, so that nothing a user typed becomes a live
spreadsheet formula (CSV/formula injection).

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
*neutralised*: it gets a leading apostrophe, so Excel and LibreOffice show it as text and
never evaluate it, even after the cell is edited. In XLSX, text is moreover always written
as a string cell, never as a formula or a URL. Numbers and dates are written as numbers and
dates and are not touched (a negative amount stays a negative number).

Use :func:`csv_writer` for CSV, :func:`xlsx_workbook` with :func:`text` for xlsxwriter,
and :func:`append_row` for openpyxl."""

from __future__ import annotations

import csv
from typing import Any

import xlsxwriter

#: The first characters a spreadsheet reads as the start of a formula or a command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` unchanged unless it is text that a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text(value: Any) -> str:
    """``value`` as safe text for a string cell (``None`` is the empty string)."""
    return neutralise("" if value is None else str(value))


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row) -> None:
        self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream, *, delimiter: str = ";") -> _SafeWriter:
    """A ``csv.writer`` (semicolons, as Estonian Excel expects) whose cells are neutralised."""
    return _SafeWriter(csv.writer(stream, delimiter=delimiter))


def xlsx_workbook(out, *, constant_memory: bool = True) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook that never turns a string into a formula, URL or number; write
    user text with ``sheet.write_string(row, col, text(value))``."""
    return xlsxwriter.Workbook(
        out,
        {
            "constant_memory": constant_memory,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )


def append_row(sheet, values) -> None:
    """openpyxl's ``sheet.append`` with text neutralised and kept a string cell (openpyxl
    otherwise stores any string that begins with ``=`` as a formula)."""
    sheet.append([neutralise(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
