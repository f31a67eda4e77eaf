"""The job page speaks plainly and shows live progress while a real worker runs the job
(issue 16): the page polls a small partial (htmx, no inline script), the partial's progress
grows while the worker works, and once the job is done the partial says the file is ready,
stops polling and never says "being generated". No checksum and no attempt count."""

import re

import pytest
from celery import Celery
from django.urls import reverse

from reporting.models import ReportJob
from reporting.tasks import generate_report
from tests.reporting.factories import ReportJobFactory
from tests.reporting.test_worker import wait_for
from tests.workers import REDIS_URL, flush_redis, require_redis, start_worker, stop_worker

ET = {"HTTP_ACCEPT_LANGUAGE": "et"}
HTMX = {"HTTP_HX_REQUEST": "true", **ET}


def _progress(html: str) -> int | None:
    found = re.search(r'<progress[^>]*value="(\d+)"', html)
    return int(found.group(1)) if found else None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_job_page_shows_the_workers_progress_without_reloading(client, admin_user, media_root, tmp_path):
    require_redis()
    flush_redis()
    log = tmp_path / "worker.log"
    job = ReportJobFactory(kind="diagnostics", municipality=None, month=None, requested_by=admin_user)
    url = reverse("reporting:job_detail", args=[job.pk])
    client.force_login(admin_user)

    page = client.get(url, **ET).content.decode()
    status = page.split(f'id="job-status-{job.pk}"')[1].split(">")[0]
    assert f'hx-get="{url}"' in status and 'hx-trigger="every 2s"' in status
    assert "<script>" not in page  # the polling is htmx's attributes; CSP allows no inline script

    seen = []
    worker = start_worker(env={"DJANGO_MEDIA_ROOT": str(media_root), "REPORTING_STEP_DELAY_SECONDS": "1"},
                          log_path=log)
    try:
        Celery("tugi-test-client", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False).send_task(
            generate_report.name, args=[job.pk]
        )

        def partial_shows_progress():
            html = client.get(url, **HTMX).content.decode()
            value = _progress(html)
            if value:
                seen.append((value, html))
            return value is not None and value > 0

        wait_for(partial_shows_progress, timeout=90, what="the partial shows the running job's progress", log=log)
        value, html = seen[-1]
        assert "<html" not in html and 'hx-trigger="every 2s"' in html  # the partial, still polling
        assert 'data-testid="job-status">Koostamisel<' in html
        assert f"{value}%" in html and "Leht värskendab end ise." in html

        wait_for(lambda: ReportJob.objects.get(pk=job.pk).status in ("done", "failed"), timeout=120,
                 what="the worker finishes the job", log=log)
    finally:
        stop_worker(worker)

    done = ReportJob.objects.get(pk=job.pk)
    assert done.status == "done", done.error
    partial = client.get(url, **HTMX).content.decode()
    assert 'data-testid="job-status">Valmis<' in partial and "Fail on valmis." in partial
    assert "hx-get" not in partial and "Koostamisel" not in partial  # polling stops, "done" says done
    assert reverse("reporting:download", args=[job.pk]) in partial
    page = client.get(url, **ET).content.decode()
    main = page.split("<main")[1]
    assert done.checksum not in main and "SHA-256" not in main and "kontrollsumma" not in main
    assert "katse" not in main.lower()
