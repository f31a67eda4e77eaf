"""Report pages: the list, the polled status, downloads only through rights-checking views."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from reporting import services
from reporting.models import ReportJob
from tests.reporting.factories import ReportJobFactory, done_job

OCTOBER = date(2026, 10, 1)


@pytest.fixture
def october_job(kov_a):
    return done_job(municipality=kov_a, month=OCTOBER)


def test_a_coordinator_downloads_their_municipalitys_file(client, coordinator_a, october_job):
    client.force_login(coordinator_a)
    response = client.get(reverse("reporting:download", args=[october_job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ligipaasud-9101-2026-10.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.startswith("Aeg;Kasutaja;Roll")


def test_another_municipalitys_file_is_not_found(client, coordinator_b, october_job):
    client.force_login(coordinator_b)
    assert client.get(reverse("reporting:download", args=[october_job.pk])).status_code == 404
    assert client.get(reverse("reporting:job_detail", args=[october_job.pk])).status_code == 404


def test_a_role_the_kind_does_not_allow_is_refused(client, case_manager_a, ska_user, october_job):
    for user in (case_manager_a, ska_user):
        client.force_login(user)
        assert client.get(reverse("reporting:download", args=[october_job.pk])).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, october_job):
    response = client.get(reverse("reporting:download", args=[october_job.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_generated_files_are_not_served_by_any_public_url(client, coordinator_a, october_job):
    client.force_login(coordinator_a)
    for url in (f"/{october_job.file.name}", f"/media/{october_job.file.name}"):
        assert client.get(url).status_code == 404


def test_downloading_a_document_about_a_person_is_logged(
    client, case_manager_a, coordinator_a, kov_a, subject_kind
):
    job = done_job(kind=subject_kind, municipality=kov_a, month=None, subject=coordinator_a)
    client.force_login(case_manager_a)
    response = client.get(reverse("reporting:download", args=[job.pk]))
    assert response.status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.user, entry.subject_id, entry.action, entry.municipality) == (
        case_manager_a,
        coordinator_a.pk,
        AccessLog.Action.DOWNLOAD,
        kov_a,
    )


def test_the_status_fragment_polls_only_while_the_job_is_unfinished(client, admin_user, kov_a):
    job = ReportJobFactory(kind="access_log", municipality=kov_a, status=ReportJob.Status.RUNNING)
    ReportJob.objects.filter(pk=job.pk).update(progress=40, progress_message="Loen logi")
    client.force_login(admin_user)
    url = reverse("reporting:job_detail", args=[job.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in fragment
    assert 'max="100" value="40"' in fragment
    assert "Loen logi" in fragment
    assert "<html" not in fragment
    services.run_job(job_id=job.pk)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment
    assert reverse("reporting:download", args=[job.pk]) in fragment
    assert "Fail on valmis." in fragment


def test_the_job_page_speaks_plainly(client, coordinator_a, kov_a, django_capture_on_commit_callbacks):
    """No checksum or attempt count for users, and no "being generated" under "done"."""
    client.force_login(coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:request"), {"kind": "access_log", "municipality": kov_a.pk, "month": "2026-10"}
        )
    page = client.get(response["Location"]).content.decode()
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.DONE and job.checksum and job.attempts == 1
    assert "Valmis" in page and "Aruanne on tellitud." in page
    for internal in ("SHA-256", job.checksum, "Katse", "koostatakse"):
        assert internal not in page


def test_a_failed_job_page_shows_the_error_and_a_retry_button(
    client, coordinator_a, kov_a, scripted_kind, django_capture_on_commit_callbacks
):
    job = ReportJobFactory(kind="test_scripted", municipality=kov_a)
    services.fail_job(job_id=job.pk, error="Oktoobri arve on veel koostamata.")
    client.force_login(coordinator_a)
    page = client.get(reverse("reporting:job_detail", args=[job.pk])).content.decode()
    assert "Oktoobri arve on veel koostamata." in page
    assert reverse("reporting:retry", args=[job.pk]) in page
    assert "data-confirm=\"Kas koostada see aruanne uuesti?\"" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE


def test_requesting_a_report_queues_it_and_shows_its_page(client, coordinator_a, kov_a):
    client.force_login(coordinator_a)
    response = client.post(
        reverse("reporting:request"),
        {"kind": "access_log", "municipality": kov_a.pk, "month": "2026-10"},
    )
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("reporting:job_detail", args=[job.pk])
    assert (job.kind, job.municipality, job.month, job.requested_by) == (
        "access_log",
        kov_a,
        OCTOBER,
        coordinator_a,
    )


def test_a_request_without_a_month_changes_nothing_and_says_why(client, coordinator_a, kov_a):
    client.force_login(coordinator_a)
    response = client.post(
        reverse("reporting:request"), {"kind": "access_log", "municipality": kov_a.pk}
    )
    assert response.status_code == 400
    assert "Valige aruande kuu." in response.content.decode()
    assert not ReportJob.objects.exists()


def test_the_job_list_filters_and_needs_the_same_queries_for_many_rows(
    client, coordinator_a, kov_a, django_assert_max_num_queries
):
    for month in range(1, 13):
        ReportJobFactory(municipality=kov_a, month=date(2025, month, 1), requested_by=coordinator_a)
    client.force_login(coordinator_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reporting:jobs"))
    assert response.content.decode().count("Kuu juurdepääsulogi") >= 12
    filtered = client.get(reverse("reporting:jobs"), {"month": "2025-03"}).content.decode()
    assert "03.2025" in filtered
    assert "04.2025" not in filtered


def test_the_job_list_is_paginated(client, coordinator_a, kov_a):
    for month in range(1, 13):
        for year in (2023, 2024, 2025):
            ReportJobFactory(municipality=kov_a, month=date(year, month, 1))
    client.force_login(coordinator_a)
    page_two = client.get(reverse("reporting:jobs"), {"page": 2}).content.decode()
    assert "Lehekülg 2 / 2" in page_two


def test_a_coordinator_does_not_see_the_administrators_diagnostics(
    client, coordinator_a, admin_user
):
    job = done_job(kind="diagnostics", municipality=None, month=None, requested_by=admin_user)
    client.force_login(coordinator_a)
    assert "Paigalduse diagnostika" not in client.get(reverse("reporting:jobs")).content.decode()
    assert client.get(reverse("reporting:job_detail", args=[job.pk])).status_code == 403
    client.force_login(admin_user)
    assert "Paigalduse diagnostika" in client.get(reverse("reporting:jobs")).content.decode()


def test_downloading_the_participants_list_is_logged_with_who_which_municipality_and_report(
    client, coordinator_a, ska_user, kov_a
):
    job = done_job(kind="participants", municipality=kov_a, month=date(2026, 3, 1))
    url = reverse("reporting:download", args=[job.pk])
    client.force_login(ska_user)
    assert client.get(url).status_code == 200
    client.force_login(coordinator_a)
    client.cookies["django_language"] = "en"
    assert client.get(url).status_code == 200
    entries = list(AccessLog.objects.order_by("pk"))
    assert [(e.user, e.role, e.municipality, e.action) for e in entries] == [
        (ska_user, "ska", kov_a, AccessLog.Action.DOWNLOAD),
        (coordinator_a, "coordinator", kov_a, AccessLog.Action.DOWNLOAD),
    ]
    assert {(e.subject, e.subject_label) for e in entries} == {
        (job, "Kuu osalejad · Alfa vald · 03.2026")
    }
    assert all(e.at and e.path == url for e in entries)


@pytest.mark.parametrize(
    "kind",
    ["questionnaire_copies", "qol_summary", "star_export_csv", "attendance_sheets", "access_log"],
)
def test_every_month_report_about_people_logs_its_download(client, coordinator_a, kov_a, kind):
    job = done_job(kind=kind, municipality=kov_a, month=date(2026, 3, 1))
    client.force_login(coordinator_a)
    assert client.get(reverse("reporting:download", args=[job.pk])).status_code == 200
    assert AccessLog.objects.get().subject == job


def test_a_download_refused_to_another_municipality_writes_no_log_row(client, coordinator_b, kov_a):
    job = done_job(kind="participants", municipality=kov_a, month=date(2026, 3, 1))
    client.force_login(coordinator_b)
    assert client.get(reverse("reporting:download", args=[job.pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_the_months_access_log_shows_who_downloaded_the_participants_list(
    client, coordinator_a, ska_user, kov_a
):
    participants = done_job(kind="participants", municipality=kov_a, month=date(2026, 3, 1))
    client.force_login(ska_user)
    client.get(reverse("reporting:download", args=[participants.pk]))
    today = timezone.localdate()
    log = done_job(kind="access_log", municipality=kov_a, month=today.replace(day=1))
    body = log.file.open("rb").read().decode("utf-8-sig")
    row = body.splitlines()[1].split(";")
    assert row[1:5] == [str(ska_user), "SKA koordinaator", "laadis alla", str(participants)]


def test_a_jobs_earlier_files_are_paginated_so_none_is_out_of_reach(client, coordinator_a, kov_a):
    earlier = [
        ReportJobFactory(municipality=kov_a, status=ReportJob.Status.FAILED, error=f"viga {n}")
        for n in range(22)
    ]
    job = done_job(municipality=kov_a)
    client.force_login(coordinator_a)
    url = reverse("reporting:job_detail", args=[job.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert "Lehekülg 1 / 2" in first and "Lehekülg 2 / 2" in second
    shown = {e.pk for e in earlier if f'{reverse("reporting:job_detail", args=[e.pk])}"' in first + second}
    assert shown == {e.pk for e in earlier}


@pytest.mark.parametrize(
    "kind",
    ["participants", "questionnaire_copies", "qol_summary", "star_export_csv", "attendance_sheets"],
)
def test_a_downloaded_month_file_logs_one_row_per_person_it_lists(
    client, coordinator_a, kov_a, kind
):
    from tests.billing.factories import build_world

    world = build_world(kov_a)
    # Entered in March: in the participants files; with sessions in March: on the sheets.
    for case in (world.case, world.other_case):
        case.entry_date = date(2026, 3, 2)
        case.save(update_fields=["entry_date"])
    from billing import services as billing

    drafts = [world.draft(case=case, date=date(2026, 3, 9)) for case in (world.case, world.other_case)]
    billing.record_deliveries(drafts=drafts, by=coordinator_a)
    job = done_job(kind=kind, municipality=kov_a, month=date(2026, 3, 1))
    client.force_login(coordinator_a)
    assert client.get(reverse("reporting:download", args=[job.pk])).status_code == 200
    rows = AccessLog.objects.filter(person_id__isnull=False)
    assert sorted(rows.values_list("person_id", flat=True)) == sorted(
        [world.case.person_id, world.other_case.person_id]
    )
    assert {(r.user, r.action, r.municipality) for r in rows} == {
        (coordinator_a, AccessLog.Action.DOWNLOAD, kov_a)
    }
    assert AccessLog.objects.filter(person_id__isnull=True).get().subject == job
