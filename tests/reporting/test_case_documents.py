"""PDF documents of a case file, generated through the job mechanism and read back with pypdf."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import AccessLog
from cases.models import Case, ExitQuestionnaire
from reporting import services
from reporting.models import ReportJob
from tests.reporting.factories import full_case


def pdf_text(job: ReportJob) -> str:
    """The PDF's text with runs of whitespace made single spaces."""
    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def generate(capture, kind, by, subject):
    with capture(execute=True):
        job = services.request_report(
            kind=kind, by=by, municipality=subject_municipality(subject), subject=subject
        )
    job.refresh_from_db()
    return job


def subject_municipality(subject):
    return subject.municipality if isinstance(subject, Case) else subject.case.municipality


@pytest.fixture
def case(kov_a, case_manager_a):
    return full_case(municipality=kov_a, case_manager=case_manager_a)


def test_the_case_documentation_form_prints_sections_a_to_d_from_the_case_file(
    case, case_manager_a, django_capture_on_commit_callbacks
):
    job = generate(
        django_capture_on_commit_callbacks, "case_documentation_form", case_manager_a, case
    )
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.filename == "juhtumi-dokumenteerimise-vorm-9101-2026-0007.pdf"
    text = pdf_text(job)
    for expected in (
        "Juhtumi dokumenteerimise vorm",
        "Alfa vald",
        "9101-2026-0007",
        "Õnne Pärnapuu",
        case.person.isikukood,
        "12.04.1988",
        "Täitja: Anu Alfa",
        "A. Esmase info kaardistamine",
        "Alfa haigla",
        "Kolm kuud kodus",
        "Ene Pärnapuu",
        "Töötukassa",
        "A1. Esmase hindamise otsus",
        "sobib",
        "A2. Koostöölepe ja nõusolek",
        "Annan nõusoleku koostööks juhtumikorraldajaga.",
        "Seaduslik esindaja: Ülo Pärnapuu",
        "B. Juhtumiplaan",
        "Juhtumiplaani veel ei ole",
        "B1. Juhtumiplaani vahehindamine või järelhindamine",
        "C. Juhtumikorraldaja tegevusplaan",
        "Toetusvajaduse hindamine",
        "C1. Juhtumikorraldaja läbiviidud tegevused",
        "05.03.2026 Kodukülastus",
        "D. Võrgustiku koosolekud",
        "Tööle naasmise kokkulepe",
        "16.03.2026 10:00",
        "Registreeruda töötukassas",
        "01.04.2026",
        "Juhtumikorraldaja: Anu Alfa",
        "Allkiri ja kuupäev",
    ):
        assert expected in text, expected


def test_the_entry_questionnaire_has_the_monitoring_fields_and_both_signature_lines(
    case, case_manager_a, django_capture_on_commit_callbacks
):
    job = generate(django_capture_on_commit_callbacks, "entry_questionnaire", case_manager_a, case)
    text = pdf_text(job)
    for expected in (
        "Sisenemisankeet",
        "Alfa vald",
        "9101-2026-0007",
        "Kuupäev 02.03.2026",
        "töötu",
        "kutseharidus",
        "elab perega",
        "raske",
        "osaline töövõime",
        "Andmed juhtumikorralduseks ja SKA seireks.",
        "Isik või seaduslik esindaja: Õnne Pärnapuu",
        "Juhtumikorraldaja: Anu Alfa",
        "Allkiri ja kuupäev",
    ):
        assert expected in text, expected


def test_an_exit_questionnaire_is_only_made_once_the_person_has_exited(
    case, case_manager_a, django_capture_on_commit_callbacks
):
    job = generate(django_capture_on_commit_callbacks, "exit_questionnaire", case_manager_a, case)
    assert job.status == ReportJob.Status.FAILED
    assert job.error == "Isik ei ole väljunud: väljumisankeeti ei ole."
    ExitQuestionnaire.objects.create(
        case=case,
        exit_date=date(2026, 9, 30),
        reason=ExitQuestionnaire.Reason.GOALS_REACHED,
        situation=ExitQuestionnaire.Situation.WORKING,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_report(job=job, by=case_manager_a)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    text = pdf_text(job)
    for expected in (
        "Väljumisankeet",
        "30.09.2026",
        "eesmärgid saavutatud",
        "töötab",
        "Juhtumikorraldaja: Anu Alfa",
    ):
        assert expected in text, expected


def test_the_meeting_minutes_list_participants_decisions_and_signature_lines(
    case, case_manager_a, django_capture_on_commit_callbacks
):
    meeting = case.meetings.get()
    job = generate(django_capture_on_commit_callbacks, "meeting_minutes", case_manager_a, meeting)
    assert job.filename == "vorgustiku-koosolek-9101-2026-0007-2026-03-16.pdf"
    text = pdf_text(job)
    for expected in (
        "Võrgustiku koosoleku protokoll",
        "Alfa vald",
        "Õnne Pärnapuu",
        "Kuupäev 17.03.2026",
        "Alfa vallamaja",
        "Osalejad Ene Pärnapuu",
        "Ei osalenud Tiit Töö",
        "Registreeruda töötukassas",
        "Protokollija: Anu Alfa",
        "Osaleja: Ene Pärnapuu",
    ):
        assert expected in text, expected


# --- Requesting from the case file and downloading -----------------------------------------


def _post(client, case, kind="case_documentation_form", subject_id=None):
    return client.post(
        reverse("reporting:request"),
        {
            "kind": kind,
            "subject_id": subject_id or case.pk,
            "next": reverse("cases:case_detail", args=[case.pk]) + "#documents",
        },
    )


def test_the_case_manager_generates_a_document_from_the_case_file_and_downloads_it(
    client, case, case_manager_a, django_capture_on_commit_callbacks
):
    client.force_login(case_manager_a)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'id="documents"' in page
    assert "Juhtumi dokumenteerimise vorm" in page
    assert "Võrgustiku koosoleku protokoll" in page
    assert "Pole veel koostatud." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, case)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk]) + "#documents"
    job = ReportJob.objects.get()
    assert (job.kind, job.subject, job.municipality, job.requested_by, job.status) == (
        "case_documentation_form",
        case,
        case.municipality,
        case_manager_a,
        ReportJob.Status.DONE,
    )
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    download = reverse("reporting:download", args=[job.pk])
    assert download in page
    AccessLog.objects.all().delete()
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = AccessLog.objects.get()
    assert (entry.user, entry.subject, entry.action, entry.municipality) == (
        case_manager_a,
        case,
        AccessLog.Action.DOWNLOAD,
        case.municipality,
    )


def test_a_document_still_being_generated_polls_its_status_on_the_case_file(
    client, case, coordinator_a
):
    client.force_login(coordinator_a)
    _post(client, case)  # the on-commit callback never runs: the job stays queued
    job = ReportJob.objects.get()
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert f'hx-get="{reverse("reporting:job_detail", args=[job.pk])}"' in page
    assert 'hx-trigger="every 2s"' in page


def test_the_entry_questionnaire_cannot_be_asked_for_before_it_is_filled_in(
    client, kov_a, case_manager_a
):
    from tests.cases.factories import CaseFactory

    case = CaseFactory(municipality=kov_a, case_manager=case_manager_a)
    client.force_login(case_manager_a)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Kui sisenemisankeet on täidetud." in page


def test_another_municipality_gets_404_and_changes_nothing(
    client, case, case_manager_b, coordinator_b
):
    for user in (case_manager_b, coordinator_b):
        client.force_login(user)
        assert _post(client, case).status_code == 404
        meeting = case.meetings.get()
        assert _post(client, case, "meeting_minutes", meeting.pk).status_code == 404
    assert not ReportJob.objects.exists()


def test_ska_staff_and_providers_may_not_ask_for_case_documents(
    client, case, ska_user, provider_user, admin_user
):
    for user in (ska_user, admin_user):
        client.force_login(user)
        assert _post(client, case).status_code == 403
    client.force_login(provider_user)
    assert _post(client, case).status_code == 403
    assert not ReportJob.objects.exists()


def test_a_subject_of_the_wrong_kind_is_not_found(client, case, case_manager_a):
    client.force_login(case_manager_a)
    # A meeting's document with the case's id: no meeting of that id in the user's cases.
    meeting = case.meetings.get()
    assert _post(client, case, "meeting_minutes", meeting.pk + 1000).status_code == 404
    assert _post(client, case, "case_documentation_form", "x").status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, case):
    response = _post(client, case)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_only_the_cases_municipality_downloads_its_documents(
    client, case, case_manager_a, case_manager_b, ska_user, django_capture_on_commit_callbacks
):
    job = generate(
        django_capture_on_commit_callbacks, "case_documentation_form", case_manager_a, case
    )
    url = reverse("reporting:download", args=[job.pk])
    client.force_login(case_manager_b)
    assert client.get(url).status_code == 404
    client.force_login(ska_user)
    assert client.get(url).status_code == 403
    assert not AccessLog.objects.filter(action=AccessLog.Action.DOWNLOAD).exists()


def test_an_unsafe_next_address_is_ignored(client, case, case_manager_a):
    client.force_login(case_manager_a)
    response = client.post(
        reverse("reporting:request"),
        {"kind": "case_documentation_form", "subject_id": case.pk, "next": "https://evil.example/"},
    )
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("reporting:job_detail", args=[job.pk])


def test_sections_b_and_b1_print_the_agreed_plan_and_its_review(
    case, case_manager_a, kov_a, django_capture_on_commit_callbacks
):
    from assessments import services as plan_services
    from tests.assessments.factories import (
        assess,
        base_provider_for,
        draft_plan,
        link,
        specialist_of,
    )

    provider = base_provider_for(kov_a)
    specialist = specialist_of(provider)
    assess(case, by=case_manager_a, on=date(2026, 3, 10), summary="Vajab toetust igapäevaelus.")
    link(case, provider, by=case_manager_a, on=date(2026, 3, 11))
    plan = draft_plan(case, by=specialist, valid_from=date(2026, 3, 15), goal="Tuleb ise poes käimisega toime")
    goal = plan.goals.get()
    plan_services.add_activity(goal=goal, text="Poeskäigu harjutamine", schedule="teisipäeviti", responsible="MTÜ Baastugi")
    plan_services.agree_plan(plan=plan, agreed_on=date(2026, 3, 20))
    plan_services.add_review(
        plan=plan, kind="interim", period_start=date(2026, 3, 15), period_end=date(2026, 6, 15),
        overall="Eesmärgid on osaliselt täidetud.", recommendations="Jätkata harjutamist.",
        reviewed_on=date(2026, 6, 16), progress={goal.pk: ("partly", "")}, by=specialist,
    )

    job = generate(django_capture_on_commit_callbacks, "case_documentation_form", case_manager_a, case)

    assert job.status == ReportJob.Status.DONE, job.error
    text = pdf_text(job)
    for expected in (
        "20.03.2026",
        "Vajab toetust igapäevaelus.",
        "Tuleb ise poes käimisega toime",
        "Poeskäigu harjutamine",
        "teisipäeviti",
        "15.03.2026–15.06.2026",
        "Eesmärgid on osaliselt täidetud.",
        "Jätkata harjutamist.",
        "16.06.2026",
    ):
        assert expected in text, expected
    assert "Juhtumiplaani veel ei ole" not in text
