"""A person's access report (data-subject request): who viewed, downloaded or changed the
record, when and in what role, with the legal basis and consent on the first page."""

import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import AccessLog, Role
from reporting.models import ReportJob
from tests.cases.factories import CaseFactory
from tests.reporting.factories import done_job, full_case


def pages_of(job):
    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def ask(client, case, capture):
    with capture(execute=True):
        response = client.post(
            reverse("reporting:request"),
            {"kind": "person_access_report", "subject_id": case.pk},
        )
    job = ReportJob.objects.get(kind="person_access_report")
    assert response["Location"] == reverse("reporting:job_detail", args=[job.pk])
    assert job.status == ReportJob.Status.DONE, job.error
    return job


@pytest.fixture
def case(kov_a, case_manager_a):
    return full_case(municipality=kov_a, case_manager=case_manager_a)


def test_the_access_report_lists_views_downloads_and_changes_with_roles_and_times(
    client,
    case,
    kov_b,
    case_manager_a,
    coordinator_a,
    case_manager_b,
    django_capture_on_commit_callbacks,
):
    client.force_login(coordinator_a)
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    viewed = AccessLog.objects.get(user=coordinator_a)
    person = case.person
    person._history_user = case_manager_a
    # The identity is the person's own record (details such as the phone are the case file's).
    person.birth_date = person.birth_date.replace(day=13)
    person.save()
    # The same person's record seen in another municipality is not this municipality's to report.
    AccessLog.objects.create(
        user=case_manager_b,
        role=Role.CASE_MANAGER,
        municipality=kov_b,
        subject_type=ContentType.objects.get_for_model(person),
        subject_id=person.pk,
        subject_label=str(person),
        path="/cases/1/",
    )
    client.force_login(case_manager_a)
    job = ask(client, case, django_capture_on_commit_callbacks)
    assert job.filename.startswith("juurdepaasuaruanne-9101-2026-0007-")
    pages = pages_of(job)
    first = pages[0]
    for expected in (
        "Isiku andmetele juurdepääsu aruanne",
        "Alfa vald",
        "9101-2026-0007",
        "Õnne Pärnapuu",
        person.isikukood,
        "Õiguslik alus",
        "Isiku nõusolek isikuandmete",
        "Nõusoleku andmise kuupäev 02.03.2026",
        "seaduslik esindaja: Ülo Pärnapuu",
        "Andmed juhtumikorralduseks ja SKA seireks.",
        "Koostöölepe allkirjastatud 02.03.2026",
    ):
        assert expected in first, expected
    text = " ".join(pages)
    at = timezone.localtime(viewed.at).strftime("%d.%m.%Y %H:%M")
    assert f"{at} Kati Alfa Teenuste koordinaator vaatas Õnne Pärnapuu" in text, text
    assert "Anu Alfa Juhtumikorraldaja Isik muudetud: sünniaeg" in text
    assert "Sisenemisankeet lisatud" in text
    assert "Berit Beeta" not in text
    assert "Koostaja: Anu Alfa" in text


def test_the_report_says_so_when_no_consent_is_recorded_yet(
    client, kov_a, case_manager_a, django_capture_on_commit_callbacks
):
    case = CaseFactory(municipality=kov_a, case_manager=case_manager_a)
    client.force_login(case_manager_a)
    job = ask(client, case, django_capture_on_commit_callbacks)
    first = pages_of(job)[0]
    assert "Nõusolekut ei ole veel märgitud" in first
    assert "Keegi ei ole andmeid vaadanud." in " ".join(pages_of(job))


def test_the_access_report_is_offered_on_the_case_file_and_only_to_its_municipality(
    client, case, case_manager_a, case_manager_b, ska_user
):
    client.force_login(case_manager_a)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Isiku andmetele juurdepääsu aruanne" in page
    data = {"kind": "person_access_report", "subject_id": case.pk}
    client.force_login(case_manager_b)
    assert client.post(reverse("reporting:request"), data).status_code == 404
    client.force_login(ska_user)
    assert client.post(reverse("reporting:request"), data).status_code == 403
    assert not ReportJob.objects.exists()


def test_the_change_column_is_headed_with_a_noun_not_the_verb_of_edit_buttons(
    client, case, case_manager_a, django_capture_on_commit_callbacks
):
    # "Change" is also the edit button of other apps ("Muuda"), whose catalogue wins.
    client.force_login(case_manager_a)
    text = " ".join(pages_of(ask(client, case, django_capture_on_commit_callbacks)))
    assert "Aeg Kasutaja Roll Andmed Muudatus" in text
    assert "Muuda " not in text


def test_the_access_report_covers_lists_files_and_plan_and_assessment_downloads(
    client, case, kov_a, case_manager_a, coordinator_a, django_capture_on_commit_callbacks
):
    from datetime import date

    from assessments.models import Assessment, InstrumentKind
    from assessments.selectors import current_instrument
    from tests.billing.factories import plan_line
    from tests.providers.factories import ContractFactory

    plan = plan_line(case, ContractFactory(municipality=kov_a).provider).plan
    assessment = Assessment.objects.create(
        case=case,
        instrument=current_instrument(InstrumentKind.NEEDS),
        assessed_on=date(2026, 3, 20),
        assessor=case_manager_a,
        status="finished",
        summary="Kokkuvõte",
    )
    plan_job = done_job(kind="plan_pdf", municipality=kov_a, month=None, subject=plan)
    assessment_job = done_job(
        kind="assessment_pdf", municipality=kov_a, month=None, subject=assessment
    )
    listing = done_job(kind="participants", municipality=kov_a, month=date(2026, 3, 1))
    client.force_login(coordinator_a)
    assert client.get(reverse("cases:persons")).status_code == 200
    for job in (plan_job, assessment_job, listing):
        assert client.get(reverse("reporting:download", args=[job.pk])).status_code == 200
    downloads = AccessLog.objects.filter(
        user=coordinator_a, action=AccessLog.Action.DOWNLOAD, person_id__isnull=False
    )
    assert sorted(downloads.values_list("subject_label", flat=True)) == sorted(
        [str(plan), str(assessment), str(case.person)]
    )
    assert set(downloads.values_list("person_id", flat=True)) == {case.person_id}

    client.force_login(case_manager_a)
    text = " ".join(pages_of(ask(client, case, django_capture_on_commit_callbacks)))
    assert text.count("Kati Alfa Teenuste koordinaator laadis alla") == 3
    assert text.count("Kati Alfa Teenuste koordinaator vaatas Õnne Pärnapuu") == 1
    assert str(plan) in text


def test_the_access_report_leaves_out_another_municipalitys_changes_before_this_case(
    client, kov_a, kov_b, case_manager_a, case_manager_b, django_capture_on_commit_callbacks
):
    from datetime import date

    from cases.models import CaseState
    from tests.cases.factories import EnteredCaseFactory, PersonFactory

    person = PersonFactory(first_name="Olev", last_name="Kolija")
    earlier = EnteredCaseFactory(municipality=kov_b, person=person, case_manager=case_manager_b)
    person._history_user = case_manager_b
    person.last_name = "Beetanimi"
    person.save()
    earlier.state = CaseState.EXITED
    earlier.exit_date = date(2026, 2, 1)
    earlier.save()
    case = CaseFactory(municipality=kov_a, person=person, case_manager=case_manager_a)
    person._history_user = case_manager_a
    person.last_name = "Alfanimi"
    person.save()

    client.force_login(case_manager_a)
    text = " ".join(pages_of(ask(client, case, django_capture_on_commit_callbacks)))
    assert "Anu Alfa Juhtumikorraldaja Isik muudetud: perekonnanimi" in text
    assert "Berit Beeta" not in text
