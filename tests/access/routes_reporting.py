from accounts.models import Role
from reporting.models import ReportJob
from tests.access.table import Route
from tests.reporting.factories import ReportJobFactory, done_job

REPORT_PAGES = frozenset({Role.CASE_MANAGER, Role.COORDINATOR, Role.SKA, Role.ADMIN})
#: A KOV A access-log job: its kind is for coordinators and administrators only, so a case
#: manager of KOV A and SKA staff get 403, the personas of KOV B 404.
KIND_REFUSES = {"case_manager_a": 403, "ska_user": 403}


def _queued(world):
    return {"pk": ReportJobFactory(municipality=world.kov_a).pk}


def _failed(world):
    return {"pk": ReportJobFactory(municipality=world.kov_a, status=ReportJob.Status.FAILED).pk}


def _done(world):
    return {"pk": done_job(municipality=world.kov_a).pk}


ROUTES = [
    Route("reporting:home", roles=frozenset({Role.SKA, Role.COORDINATOR, Role.ADMIN})),
    Route("reporting:jobs", roles=REPORT_PAGES),
    Route(
        "reporting:job_detail",
        roles=REPORT_PAGES,
        kwargs=_queued,
        scoped=True,
        expect=KIND_REFUSES,
    ),
    Route(
        "reporting:download",
        roles=REPORT_PAGES,
        kwargs=_done,
        scoped=True,
        expect=KIND_REFUSES,
    ),
    Route(
        "reporting:retry",
        roles=REPORT_PAGES,
        kwargs=_failed,
        method="post",
        scoped=True,
        ok=302,
        expect=KIND_REFUSES,
    ),
    Route(
        "reporting:request",
        roles=REPORT_PAGES,
        method="post",
        scoped=True,
        ok=302,
        data=lambda w: {"kind": "access_log", "municipality": w.kov_a.pk, "month": "2026-10"},
        expect=KIND_REFUSES,
    ),
]
