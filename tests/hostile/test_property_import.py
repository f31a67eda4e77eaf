"""The attendance import parser under arbitrary bytes and arbitrary rows (hypothesis): every
file is either imported or refused with its reasons (ImportRefused), never another error, and a
refused file records nothing."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing import imports
from billing.models import Delivery

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=25, deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["49005170012", "06.04.2026", "31.02.2026", "01.01.9999", "00.00.0000", "L23",
                     "80000008", "9" * 40, "-60", "0", "I", "G", "Pille Pakkuja", "\x00", "ä" * 5000]),
)


def _refused_or_imported(content: bytes, filename: str, municipality, by) -> None:
    try:
        imports.import_attendance(content=content, filename=filename, municipality=municipality, by=by)
    except imports.ImportRefused as refused:
        assert refused.lines and all(reason for _, reason in refused.lines)
        assert not Delivery.objects.exists()


@SETTINGS
@given(content=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".CSV", ""]))
def test_arbitrary_bytes_are_refused_with_a_reason(kov_a, coordinator_a, content, suffix):
    _refused_or_imported(content, "osalemine" + suffix, kov_a, coordinator_a)


@SETTINGS
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=10), max_size=8),
       delimiter=st.sampled_from([";", ","]))
def test_arbitrary_rows_under_the_real_header_are_refused_or_imported(kov_a, coordinator_a, rows, delimiter):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(imports.COLUMNS)
    writer.writerows(rows)
    _refused_or_imported(out.getvalue().encode("utf-8"), "osalemine.csv", kov_a, coordinator_a)


@SETTINGS
@given(rows=st.lists(st.lists(cell, min_size=8, max_size=8), min_size=1, max_size=5))
def test_arbitrary_rows_in_a_workbook_are_refused_or_imported(kov_a, coordinator_a, rows):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    book.active.append(imports.COLUMNS)
    for row in rows:
        # openpyxl refuses control characters in a cell; a real workbook cannot hold them.
        book.active.append([ILLEGAL_CHARACTERS_RE.sub("", value) for value in row])
    out = io.BytesIO()
    book.save(out)
    _refused_or_imported(out.getvalue(), "osalemine.xlsx", kov_a, coordinator_a)


@pytest.mark.parametrize("column", imports.COLUMNS)
def test_a_nul_byte_in_any_column_is_refused_with_a_reason(kov_a, coordinator_a, column):
    row = dict(zip(imports.COLUMNS, imports.EXAMPLE, strict=True))
    row[column] = row[column] + "\x00"
    content = (";".join(imports.COLUMNS) + "\n" + ";".join(row.values()) + "\n").encode()
    with pytest.raises(imports.ImportRefused):
        imports.import_attendance(content=content, filename="osalemine.csv", municipality=kov_a, by=coordinator_a)
    assert not Delivery.objects.exists()
