"""The month's participants (XLSX read back with openpyxl) and the questionnaire copies (PDF)."""

import io
import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from cases.models import Case, CaseState, EntryQuestionnaire, ExitQuestionnaire, Person
from reporting import services
from reporting.models import ReportJob
from tests.cases.factories import EnteredCaseFactory, PersonFactory
from tests.reporting.factories import full_case

MARCH = date(2026, 3, 1)


def generate(capture, kind, by, municipality, month=MARCH):
    with capture(execute=True):
        job = services.request_report(kind=kind, by=by, municipality=municipality, month=month)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    return job


def workbook(job):
    with job.file.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read()))


def rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _entry(case, **kwargs):
    return EntryQuestionnaire.objects.create(
        case=case,
        filled_on=case.entry_date,
        employment_status=kwargs.get("employment", EntryQuestionnaire.Employment.STUDYING),
        education_level=EntryQuestionnaire.Education.SECONDARY,
        household_situation=EntryQuestionnaire.Household.ALONE,
        disability_degree=Person.DisabilityDegree.MODERATE,
        work_ability=Person.WorkAbility.FULL,
        has_health_insurance=False,
        consent_given_on=case.entry_date,
        consent_scope="Seire",
        consent_signed_by=EntryQuestionnaire.Signer.PERSON,
        signer_name=str(case.person),
        cooperation_agreement_signed_on=case.entry_date,
    )


@pytest.fixture
def march(kov_a, kov_b, case_manager_a):
    """KOV A in March 2026: Õnne entered on 2.3, Aare on 20.3, Mart left on 31.3; Liis entered
    in February; Beeta's Berta entered in March in KOV B (none of KOV A's report)."""
    onne = full_case(municipality=kov_a, case_manager=case_manager_a)
    aare = EnteredCaseFactory(
        municipality=kov_a,
        case_manager=case_manager_a,
        number="9101-2026-0011",
        entry_date=date(2026, 3, 20),
        person=PersonFactory(first_name="Aare", last_name="Ärmus"),
    )
    _entry(aare)
    liis = EnteredCaseFactory(
        municipality=kov_a,
        case_manager=case_manager_a,
        entry_date=date(2026, 2, 27),
        person=PersonFactory(first_name="Liis", last_name="Veebruar"),
    )
    _entry(liis)
    mart = EnteredCaseFactory(
        municipality=kov_a,
        case_manager=case_manager_a,
        number="9101-2025-0040",
        state=CaseState.EXITED,
        entry_date=date(2025, 6, 2),
        exit_date=date(2026, 3, 31),
        qol_exit_person_on=date(2026, 3, 25),
        person=PersonFactory(first_name="Mart", last_name="Mõisa"),
    )
    ExitQuestionnaire.objects.create(
        case=mart,
        exit_date=date(2026, 3, 31),
        reason=ExitQuestionnaire.Reason.OTHER_SERVICE,
        situation=ExitQuestionnaire.Situation.OTHER_SERVICES,
        notes="Salajane märkus juhtumi kohta",
    )
    berta = EnteredCaseFactory(
        municipality=kov_b,
        entry_date=date(2026, 3, 5),
        person=PersonFactory(first_name="Berta", last_name="Beeta"),
    )
    _entry(berta)
    return {"onne": onne, "aare": aare, "mart": mart}


def test_the_participants_report_lists_who_entered_and_who_left_with_the_monitoring_fields(
    march, kov_a, coordinator_a, django_capture_on_commit_callbacks
):
    job = generate(django_capture_on_commit_callbacks, "participants", coordinator_a, kov_a)
    assert job.filename == "osalejad-9101-2026-03.xlsx"
    book = workbook(job)
    assert book.sheetnames == ["Kokkuvõte", "Sisenenud", "Väljunud"]
    summary = dict(row[:2] for row in rows(book["Kokkuvõte"]))
    assert summary["Omavalitsus"] == "Alfa vald"
    assert summary["Kuu"] == "03.2026"
    assert (summary["Sisenenud"], summary["Väljunud"]) == (2, 1)

    entered = rows(book["Sisenenud"])
    assert entered[0][:9] == [
        "Nr",
        "Isikukood",
        "Perekonnanimi",
        "Eesnimi",
        "Sünniaeg",
        "Sugu",
        "Vanus sisenemisel",
        "Juhtumi number",
        "Sisenemise kuupäev",
    ]
    header = entered[0]
    onne = dict(zip(header, entered[1], strict=True))
    aare = dict(zip(header, entered[2], strict=True))
    assert len(entered) == 3
    assert onne["Isikukood"] == march["onne"].person.isikukood
    assert (onne["Perekonnanimi"], onne["Eesnimi"]) == ("Pärnapuu", "Õnne")
    assert onne["Sünniaeg"].date() == date(1988, 4, 12)
    assert onne["Vanus sisenemisel"] == 37
    assert onne["Sisenemise kuupäev"].date() == date(2026, 3, 2)
    assert onne["Hõiveseisund"] == "töötu"
    assert onne["Haridustase"] == "kutseharidus"
    assert onne["Puude raskusaste"] == "raske"
    assert onne["Ravikindlustus"] == "jah"
    assert onne["Nõusoleku andmise kuupäev"].date() == date(2026, 3, 2)
    assert (aare["Nr"], aare["Eesnimi"], aare["Hõiveseisund"], aare["Ravikindlustus"]) == (
        2,
        "Aare",
        "õpib",
        "ei",
    )
    assert book["Sisenenud"]["E2"].number_format == "dd.mm.yyyy"

    left = rows(book["Väljunud"])
    assert len(left) == 2
    mart = dict(zip(left[0], left[1], strict=True))
    assert (mart["Eesnimi"], mart["Juhtumi number"]) == ("Mart", "9101-2025-0040")
    assert mart["Väljumise kuupäev"].date() == date(2026, 3, 31)
    assert mart["Väljumise põhjus"] == "läks üle teisele teenusele"
    assert mart["Elukvaliteedi küsitlus väljumisel: isik"].date() == date(2026, 3, 25)
    assert mart["Elukvaliteedi küsitlus väljumisel: baastoetuse spetsialist"] is None

    everything = str([rows(book[name]) for name in book.sheetnames])
    for not_for_ska in ("Veebruar", "Berta", "Salajane", "Kolm kuud kodus", "Seire"):
        assert not_for_ska not in everything


def test_a_month_nobody_entered_or_left_gives_headers_and_zero_counts(
    kov_a, coordinator_a, django_capture_on_commit_callbacks
):
    job = generate(django_capture_on_commit_callbacks, "participants", coordinator_a, kov_a)
    book = workbook(job)
    summary = dict(row[:2] for row in rows(book["Kokkuvõte"]))
    assert (summary["Sisenenud"], summary["Väljunud"]) == (0, 0)
    assert len(rows(book["Sisenenud"])) == 1


def test_ska_staff_read_the_participants_report_and_case_managers_do_not(
    march,
    client,
    kov_a,
    ska_user,
    case_manager_a,
    coordinator_b,
    django_capture_on_commit_callbacks,
):
    job = generate(django_capture_on_commit_callbacks, "participants", ska_user, kov_a)
    client.force_login(ska_user)
    assert client.get(reverse("reporting:download", args=[job.pk])).status_code == 200
    client.force_login(coordinator_b)
    assert client.get(reverse("reporting:download", args=[job.pk])).status_code == 404
    client.force_login(case_manager_a)
    assert client.get(reverse("reporting:download", args=[job.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.request_report(
            kind="participants", by=case_manager_a, municipality=kov_a, month=MARCH
        )


def test_the_questionnaire_copies_hold_each_entry_and_exit_questionnaire_with_signature_lines(
    march, kov_a, coordinator_a, django_capture_on_commit_callbacks
):
    job = generate(django_capture_on_commit_callbacks, "questionnaire_copies", coordinator_a, kov_a)
    assert job.filename == "ankeedid-9101-2026-03.pdf"
    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    text = " ".join(pages)
    assert len(pages) == 4  # a summary page and one page per questionnaire
    for expected in (
        "Sisenemis- ja väljumisankeedid 03.2026 (ärakirjad)",
        "Alfa vald",
        "Sisenemisankeedid 2",
        "Väljumisankeedid 1",
    ):
        assert expected in pages[0], expected
    assert "Sisenemisankeet: Õnne Pärnapuu" in pages[1]
    assert pages[1].endswith("Sisenemis- ja väljumisankeedid 03.2026 (ärakirjad) lk 2 / 4")
    assert "Ärakiri" in pages[1]
    assert "Seaduslik esindaja: Ülo Pärnapuu" in pages[1]
    assert "Juhtumikorraldaja: Anu Alfa" in pages[1]
    assert "02.03.2026" in pages[1]
    assert "Sisenemisankeet: Aare Ärmus" in pages[2]
    assert "Väljumisankeet: Mart Mõisa" in pages[3]
    assert "31.03.2026" in pages[3]
    assert "Allkiri ja kuupäev" in pages[3]
    for not_for_ska in ("Veebruar", "Berta", "Salajane märkus"):
        assert not_for_ska not in text


def test_an_exited_case_without_its_questionnaire_is_left_out_of_the_copies(
    kov_a, coordinator_a, case_manager_a, django_capture_on_commit_callbacks
):
    Case.objects.create(
        municipality=kov_a,
        person=PersonFactory(first_name="Ilma", last_name="Ankeedita"),
        case_manager=case_manager_a,
        number="9101-2026-0099",
        state=CaseState.EXITED,
        noticed_on=date(2026, 3, 1),
        entry_date=date(2026, 3, 2),
        exit_date=date(2026, 3, 10),
    )
    job = generate(django_capture_on_commit_callbacks, "questionnaire_copies", coordinator_a, kov_a)
    with job.file.open("rb") as handle:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Ankeedita" not in text
    assert "Sel kuul keegi ei sisenenud ega väljunud." in text
