"""Importing attendance files: all or nothing, every bad row named, twice adds nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from billing import imports
from billing.models import Delivery
from tests.billing.factories import build_world

pytestmark = pytest.mark.django_db

HEADER = "isikukood;kuupaev;komponent;teenuseosutaja;minutid;vorm;spetsialist;saaja"


@pytest.fixture
def world(kov_a):
    return build_world(kov_a)


def rows(world, *lines):
    code = world.case.person.isikukood
    other = world.other_case.person.isikukood
    reg = world.provider.registry_code
    return "\n".join([HEADER] + [line.format(code=code, other=other, reg=reg) for line in lines]).encode()


def test_a_valid_csv_file_is_imported_and_a_second_import_adds_nothing(world, coordinator_a):
    content = rows(
        world,
        "{code};06.04.2026;L23;{reg};60;I;Pille Pakkuja;",
        "{code};07.04.2026;B1;{reg};20;I;pille pakkuja;",
        "{other};08.04.2026;L23;{reg};45;I;Pille Pakkuja;Ema Test",
    )
    result = imports.import_attendance(content=content, filename="a.csv", municipality=world.kov, by=coordinator_a)
    assert (result.created, result.skipped) == (3, 0)
    assert sorted(Delivery.objects.values_list("amount", flat=True)) == [
        Decimal("16.33"), Decimal("22.50"), Decimal("30.00")
    ]
    assert Delivery.objects.get(case=world.other_case).recipient_name == "Ema Test"
    again = imports.import_attendance(content=content, filename="a.csv", municipality=world.kov, by=coordinator_a)
    assert (again.created, again.skipped) == (0, 3)
    assert Delivery.objects.count() == 3


def test_a_file_with_one_bad_row_is_refused_whole_and_the_row_is_named(world, coordinator_a):
    content = rows(
        world,
        "{code};06.04.2026;L23;{reg};60;I;Pille Pakkuja;",
        "{code};07.04.2026;L99;{reg};60;I;Pille Pakkuja;",
        "{other};08.04.2026;L23;{reg};45;I;Pille Pakkuja;",
    )
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_attendance(content=content, filename="a.csv", municipality=world.kov, by=coordinator_a)
    assert [line for line, _reason in refused.value.lines] == [3]
    assert "L99" in refused.value.lines[0][1]
    assert not Delivery.objects.exists()


def test_every_bad_row_is_listed_with_its_line_number_and_reason(world, coordinator_a):
    content = rows(
        world,
        "{code};31.02.2026;L23;{reg};60;I;Pille Pakkuja;",
        "{code};06.04.2026;L23;{reg};0;I;Pille Pakkuja;",
        "{code};06.04.2026;L23;{reg};60;X;Pille Pakkuja;",
        "{code};06.04.2026;L23;{reg};60;I;Keegi Teine;",
        "{code};05.01.2026;L23;{reg};60;I;Pille Pakkuja;",
        "{code};09.04.2026;L23;{reg};60;I;Pille Pakkuja;",
        "{code};09.04.2026;L23;{reg};60;I;Pille Pakkuja;",
    )
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_attendance(content=content, filename="a.csv", municipality=world.kov, by=coordinator_a)
    reasons = dict(refused.value.lines)
    assert sorted(reasons) == [2, 3, 4, 5, 6, 8]
    assert "31.02.2026 is not a day of the calendar" in reasons[2]
    assert "minutes" in reasons[3]
    assert "I (individual) or G" in reasons[4]
    assert "Keegi Teine" in reasons[5]
    assert "participant" in reasons[6]
    assert "line 7" in reasons[8]
    assert refused.value.codes == {
        2: ["date_impossible"], 3: ["minutes_invalid"], 4: ["form_invalid"], 5: ["specialist_unknown"],
        6: ["not_participant"], 8: ["duplicate_in_file"],
    }


def test_a_file_without_the_right_header_is_refused(world, coordinator_a):
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_attendance(content=b"a,b\n1,2\n", filename="a.csv", municipality=world.kov, by=coordinator_a)
    assert refused.value.lines[0][0] == 1
    assert "isikukood" in refused.value.lines[0][1]


def test_comma_separated_and_xlsx_files_are_read_the_same(world, coordinator_a):
    comma = rows(world, "{code};06.04.2026;L23;{reg};60;I;Pille Pakkuja;").replace(b";", b",")
    imports.import_attendance(content=comma, filename="a.csv", municipality=world.kov, by=coordinator_a)
    book = Workbook()
    book.active.append(imports.COLUMNS)
    book.active.append([world.other_case.person.isikukood, date(2026, 4, 6), "L23", world.provider.registry_code,
                        30, "I", "Pille Pakkuja", None])
    out = io.BytesIO()
    book.save(out)
    result = imports.import_attendance(content=out.getvalue(), filename="a.xlsx", municipality=world.kov,
                                       by=coordinator_a)
    assert result.created == 1
    assert Delivery.objects.count() == 2


def test_the_templates_have_exactly_the_header_names():
    assert imports.template_csv().decode("utf-8-sig").splitlines()[0] == HEADER
    parsed = list(imports.read_rows(imports.template_xlsx(), "t.xlsx"))
    assert list(parsed[0][1]) == imports.COLUMNS


def test_the_management_command_imports_and_fails_loudly(world, coordinator_a, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(rows(world, "{code};06.04.2026;L23;{reg};60;I;Pille Pakkuja;"))
    call_command("import_attendance", str(good), "--user", coordinator_a.username, "--kov", world.kov.code)
    assert "1" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(rows(world, "{code};06.04.2026;L98;{reg};60;I;Pille Pakkuja;"))
    with pytest.raises(CommandError, match="2"):
        call_command("import_attendance", str(bad), "--user", coordinator_a.username)
