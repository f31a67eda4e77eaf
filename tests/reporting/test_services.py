"""The life of a report job, in-process (tasks run eagerly when the transaction commits)."""

import hashlib
import io
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError
from django.utils import translation
from pypdf import PdfReader

from accounts.models import AccessLog, Role
from reporting import services
from reporting.models import ReportJob
from reporting.services import ReportingError
from tests.factories import UserFactory
from tests.reporting.factories import ReportJobFactory, done_job

OCTOBER = date(2026, 10, 1)


def request(kind, by, capture, **kwargs):
    with capture(execute=True):
        job = services.request_report(kind=kind, by=by, **kwargs)
    job.refresh_from_db()
    return job


def test_a_requested_report_is_generated_and_becomes_the_current_file(
    coordinator_a, kov_a, scripted_kind, django_capture_on_commit_callbacks
):
    job = request(
        "test_scripted",
        coordinator_a,
        django_capture_on_commit_callbacks,
        municipality=kov_a,
        month=date(2026, 10, 17),
    )
    assert job.status == ReportJob.Status.DONE
    assert job.month == OCTOBER
    assert (job.progress, job.attempts, job.is_current) == (100, 1, True)
    assert job.filename == "test-2026-10.csv"
    assert job.content_type == "text/csv; charset=utf-8"
    with default_storage.open(job.file.name, "rb") as handle:
        content = handle.read()
    assert content.decode() == "Õie; Ärni; Šarlota; Žanna\n"
    assert job.size == len(content)
    assert job.checksum == hashlib.sha256(content).hexdigest()
    assert job.started_at <= job.finished_at


def test_the_same_request_twice_gives_one_job(coordinator_a, kov_a, scripted_kind):
    first = services.request_report(
        kind="test_scripted", by=coordinator_a, municipality=kov_a, month=OCTOBER
    )
    second = services.request_report(
        kind="test_scripted", by=coordinator_a, municipality=kov_a, month=date(2026, 10, 31)
    )
    assert first.pk == second.pk
    assert ReportJob.objects.count() == 1


def test_the_database_refuses_a_second_active_identical_request(kov_a):
    ReportJobFactory(municipality=kov_a)
    with pytest.raises(IntegrityError):
        ReportJobFactory(municipality=kov_a, status=ReportJob.Status.RUNNING)


def test_generating_again_keeps_the_old_file_as_history(
    coordinator_a, kov_a, scripted_kind, django_capture_on_commit_callbacks
):
    old = request(
        "test_scripted",
        coordinator_a,
        django_capture_on_commit_callbacks,
        municipality=kov_a,
        month=OCTOBER,
    )
    scripted_kind.text = "uus\n"
    new = request(
        "test_scripted",
        coordinator_a,
        django_capture_on_commit_callbacks,
        municipality=kov_a,
        month=OCTOBER,
    )
    old.refresh_from_db()
    assert old.pk != new.pk
    assert (old.is_current, new.is_current) == (False, True)
    assert ReportJob.objects.filter(is_current=True).count() == 1
    assert default_storage.open(old.file.name).read() == "Õie; Ärni; Šarlota; Žanna\n".encode()
    assert default_storage.open(new.file.name).read() == b"uus\n"


def test_the_database_allows_one_current_file_per_report(kov_a):
    first = done_job(municipality=kov_a)
    second = done_job(municipality=kov_a)
    first.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    with pytest.raises(IntegrityError):
        ReportJob.objects.filter(pk=first.pk).update(is_current=True)


def test_running_a_done_job_again_does_nothing(kov_a, scripted_kind):
    job = ReportJobFactory(kind="test_scripted", municipality=kov_a)
    services.run_job(job_id=job.pk)
    job.refresh_from_db()
    assert services.run_job(job_id=job.pk) is None
    again = ReportJob.objects.get(pk=job.pk)
    assert (again.attempts, again.checksum, again.finished_at) == (
        1,
        job.checksum,
        job.finished_at,
    )
    assert scripted_kind.runs == 1


def test_a_failed_job_shows_its_error_and_a_retry_succeeds(
    coordinator_a, kov_a, scripted_kind, django_capture_on_commit_callbacks
):
    scripted_kind.errors.append(ReportingError("Oktoobri arve on veel koostamata."))
    job = request(
        "test_scripted",
        coordinator_a,
        django_capture_on_commit_callbacks,
        municipality=kov_a,
        month=OCTOBER,
    )
    assert job.status == ReportJob.Status.FAILED
    assert job.error == "Oktoobri arve on veel koostamata."
    assert not job.file
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_report(job=job, by=coordinator_a)
    job.refresh_from_db()
    assert (job.status, job.error, job.attempts, job.is_current) == ("done", "", 2, True)


def test_an_unexpected_error_is_shown_in_neutral_words(
    coordinator_a, kov_a, scripted_kind, django_capture_on_commit_callbacks
):
    scripted_kind.errors.append(KeyError("secret internals"))
    with translation.override("et"):
        job = request(
            "test_scripted",
            coordinator_a,
            django_capture_on_commit_callbacks,
            municipality=kov_a,
            month=OCTOBER,
        )
    assert job.status == ReportJob.Status.FAILED
    assert "ootamatu vea tõttu (KeyError)" in job.error
    assert "secret internals" not in job.error


def test_a_transient_error_is_retried_until_the_job_is_done(
    coordinator_a, kov_a, scripted_kind, django_capture_on_commit_callbacks
):
    scripted_kind.errors += [OSError("disk busy"), OperationalError("connection lost")]
    job = request(
        "test_scripted",
        coordinator_a,
        django_capture_on_commit_callbacks,
        municipality=kov_a,
        month=OCTOBER,
    )
    assert job.status == ReportJob.Status.DONE
    assert job.attempts == 3


def test_only_a_failed_job_can_be_retried(coordinator_a, kov_a):
    job = done_job(municipality=kov_a)
    with pytest.raises(ReportingError):
        services.retry_report(job=job, by=coordinator_a)


def test_a_role_the_kind_does_not_allow_cannot_request_it(case_manager_a, kov_a):
    with pytest.raises(PermissionDenied):
        services.request_report(
            kind="access_log", by=case_manager_a, municipality=kov_a, month=OCTOBER
        )


def test_another_municipalitys_report_cannot_be_requested(coordinator_b, kov_a):
    with pytest.raises(PermissionDenied):
        services.request_report(
            kind="access_log", by=coordinator_b, municipality=kov_a, month=OCTOBER
        )


def test_a_monthly_report_needs_its_municipality_and_month(coordinator_a, kov_a):
    with pytest.raises(ReportingError):
        services.request_report(kind="access_log", by=coordinator_a, municipality=kov_a)
    with pytest.raises(ReportingError):
        services.request_report(kind="no_such_report", by=coordinator_a)


def test_the_access_log_report_lists_the_months_entries_of_its_municipality(
    coordinator_a, kov_a, kov_b, case_manager_a, time_machine
):
    person = UserFactory(
        first_name="Õnne", last_name="Ülevi", role=Role.CASE_MANAGER, municipality=kov_a
    )
    time_machine.move_to("2026-10-15 12:00+03:00")
    for municipality in (kov_a, kov_b):
        AccessLog.objects.create(
            user=case_manager_a,
            role=case_manager_a.role,
            municipality=municipality,
            subject_type=ContentType.objects.get_for_model(person),
            subject_id=person.pk,
            subject_label=f"{person} {municipality}",
            path="/x/",
        )
    time_machine.move_to("2026-11-01 12:00+02:00")
    job = done_job(municipality=kov_a, month=OCTOBER)
    text = default_storage.open(job.file.name).read().decode("utf-8-sig")
    assert "Õnne Ülevi Alfa vald" in text
    assert "Beeta linn" not in text
    assert text.count("\n") == 2


def test_the_diagnostics_pdf_shows_versions_fonts_and_counts(
    admin_user, coordinator_a, coordinator_b, django_capture_on_commit_callbacks
):
    with translation.override("et"):
        job = request("diagnostics", admin_user, django_capture_on_commit_callbacks)
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.filename.startswith("diagnostika-") and job.filename.endswith(".pdf")
    with default_storage.open(job.file.name, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Paigalduse diagnostika" in text
    assert "PostgreSQL-i versioon" in text
    assert "plpgsql" in text
    assert "DejaVu Sans jah" in text
    assert "Omavalitsused 2" in text
    assert "Redis seadistamata" in text
    assert "Administraator: Aadu Admin" in text


def test_a_job_whose_transient_errors_outlast_the_retries_fails(
    coordinator_a, kov_a, scripted_kind, django_capture_on_commit_callbacks
):
    scripted_kind.errors += [OSError("disk full")] * 10
    job = request(
        "test_scripted",
        coordinator_a,
        django_capture_on_commit_callbacks,
        municipality=kov_a,
        month=OCTOBER,
    )
    assert job.status == ReportJob.Status.FAILED
    assert "OSError" in job.error
    assert scripted_kind.runs == 6


def test_a_part_file_left_by_a_killed_publish_is_removed_by_the_next_run(kov_a, media_root):
    job = ReportJobFactory(municipality=kov_a, status=ReportJob.Status.RUNNING, attempts=1)
    leftover = media_root / services.job_directory(job) / "1" / ".ligipaasud.csv.abc.part"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half a fi")
    job = services.run_job(job_id=job.pk)
    assert not leftover.exists()
    assert (job.status, job.attempts, job.file.name) == (
        "done",
        2,
        f"reports/access_log/{job.pk}/2/ligipaasud-9101-2026-10.csv",
    )
