"""The import's caps and hostile files: never a server error, never the whole sheet in memory."""

import io
import re
import tracemalloc
import zipfile

import pytest
from django.test import override_settings
from openpyxl import Workbook

from billing import imports
from billing.models import Delivery
from tests.billing.factories import build_world

pytestmark = pytest.mark.django_db

HEADER = "isikukood;kuupaev;komponent;teenuseosutaja;minutid;vorm;spetsialist;saaja"


@pytest.fixture
def world(kov_a):
    return build_world(kov_a)


def csv_of(world, *lines) -> bytes:
    code = world.case.person.isikukood
    reg = world.provider.registry_code
    return "\n".join([HEADER] + [line.format(code=code, reg=reg) for line in lines]).encode()


def xlsx_declaring(ref: str, *rows) -> bytes:
    """A small workbook whose sheet claims the dimension ``ref``."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{ref}"/>'.encode(), data)
                assert ref.encode() in data
            target.writestr(item.filename, data)
    return bomb.getvalue()


def test_an_xlsx_declaring_a_million_rows_and_all_columns_is_read_as_the_rows_it_holds(world, coordinator_a):
    content = xlsx_declaring(
        "A1:XFD1048576", imports.COLUMNS,
        [world.case.person.isikukood, "06.04.2026", "L23", world.provider.registry_code, 60, "I", "Pille Pakkuja"],
    )
    assert len(content) < 6000
    tracemalloc.start()
    rows = list(imports.read_rows(content, "pomm.xlsx"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [line for line, _row in rows] == [2]
    assert peak < 20 * 1024 * 1024, peak
    result = imports.import_attendance(content=content, filename="pomm.xlsx", municipality=world.kov,
                                       by=coordinator_a)
    assert result.created == 1


def test_the_16_kb_bomb_is_read_as_the_header_it_holds_and_a_row_at_the_sheets_end_is_refused(
    world, coordinator_a
):
    from benchmarks.bench_import import bomb

    declared = bomb(far_cell=False)
    assert len(declared) < 1700
    tracemalloc.start()
    assert list(imports.read_rows(declared, "pomm.xlsx")) == []
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, peak
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_attendance(content=bomb(far_cell=True), filename="pomm.xlsx", municipality=world.kov,
                                  by=coordinator_a)
    assert refused.value.codes == {0: ["too_many_rows"]}


def test_a_file_over_the_byte_cap_is_refused_before_it_is_read(world, coordinator_a):
    content = csv_of(world, *["{code};06.04.2026;L23;{reg};60;I;Pille Pakkuja;"] * 50)
    with override_settings(IMPORT_MAX_BYTES=1000), pytest.raises(imports.ImportRefused) as refused:
        imports.import_attendance(content=content, filename="a.csv", municipality=world.kov, by=coordinator_a)
    assert refused.value.codes == {0: ["file_too_large"]}
    assert "1 kB" in refused.value.lines[0][1]
    assert not Delivery.objects.exists()


def test_an_xlsx_that_unpacks_to_far_more_than_the_cap_is_refused(world, coordinator_a):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 3_000_000)
    with override_settings(IMPORT_MAX_BYTES=100_000), pytest.raises(imports.ImportRefused) as refused:
        imports.import_attendance(content=out.getvalue(), filename="a.xlsx", municipality=world.kov,
                                  by=coordinator_a)
    assert refused.value.codes == {0: ["file_too_large"]}


def test_a_file_with_more_rows_than_the_cap_is_refused(world, coordinator_a):
    lines = [f"{{code}};{day:02d}.04.2026;L23;{{reg}};10;I;Pille Pakkuja;" for day in range(1, 6)]
    with override_settings(IMPORT_MAX_ROWS=4), pytest.raises(imports.ImportRefused) as refused:
        imports.import_attendance(content=csv_of(world, *lines), filename="a.csv", municipality=world.kov,
                                  by=coordinator_a)
    assert refused.value.codes == {0: ["too_many_rows"]}
    assert "4" in refused.value.lines[0][1]
    with override_settings(IMPORT_MAX_ROWS=5):
        assert imports.import_attendance(content=csv_of(world, *lines), filename="a.csv",
                                         municipality=world.kov, by=coordinator_a).created == 5


def test_nul_bytes_long_names_huge_minutes_and_impossible_dates_are_row_errors(world, coordinator_a):
    content = csv_of(
        world,
        "{code};06.04.2026;L23;{reg};60;I;Pille Pakkuja;Ema\x00Test",
        "{code};07.04.2026;L23;{reg};60;I;Pille Pakkuja;" + "N" * 201,
        "{code};08.04.2026;L23;{reg};2147483648;I;Pille Pakkuja;",
        "{code};31.04.2026;L23;{reg};60;I;Pille Pakkuja;",
        "{code};09.04.2026;L23;{reg};60;I;Pille\x00Pakkuja;",
        "{code};10.04.2026;L23;{reg};60;I;Pille Pakkuja;",
        "{code};11.04.2026;L2\x003;8000\x000008;60;I;Pille Pakkuja;",
        "{code}\x00;12.04.2026;L23;{reg};60\x00;I\x00;Pille Pakkuja;",
    )
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_attendance(content=content, filename="a.csv", municipality=world.kov, by=coordinator_a)
    assert refused.value.codes == {
        2: ["text_nul"], 3: ["text_too_long"], 4: ["minutes_invalid"], 5: ["date_impossible"],
        6: ["specialist_unknown"], 8: ["component_unknown", "provider_unknown"],
        9: ["isikukood_invalid", "minutes_invalid", "form_invalid"],
    }
    assert "31.04.2026" in refused.value.lines[3][1]
    assert not Delivery.objects.exists()


def test_the_same_hostile_rows_in_an_xlsx_are_row_errors_too(world, coordinator_a):
    book = Workbook()
    book.active.append(imports.COLUMNS)
    code, reg = world.case.person.isikukood, world.provider.registry_code
    book.active.append([code, "06.04.2026", "L23", reg, 2**40, "I", "Pille Pakkuja", None])
    book.active.append([code, "31.04.2026", "L23", reg, 60, "I", "Pille Pakkuja", "N" * 300])
    book.active.append([code, 45000.5, "L23", reg, 60.5, "I", "Pille Pakkuja", None])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_attendance(content=out.getvalue(), filename="a.xlsx", municipality=world.kov,
                                  by=coordinator_a)
    assert refused.value.codes == {
        2: ["minutes_invalid"], 3: ["date_impossible", "text_too_long"], 4: ["date_invalid", "minutes_invalid"],
    }


def test_a_damaged_or_binary_file_is_refused_as_unreadable(world, coordinator_a):
    for content, name in ((b"PK\x03\x04 not really a zip", "a.xlsx"), (b"\xff\xfe\x00\x00", "a.csv")):
        with pytest.raises(imports.ImportRefused) as refused:
            imports.import_attendance(content=content, filename=name, municipality=world.kov, by=coordinator_a)
        assert refused.value.lines[0][0] == 1
    assert not Delivery.objects.exists()
