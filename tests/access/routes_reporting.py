from accounts.models import Role
from reporting.models import ReportJob
from tests.access.table import Route
from tests.reporting.factories import ReportJobFactory, done_job

CASE_STAFF = frozenset({Role.CASE_MANAGER, Role.COORDINATOR})
REPORT_PAGES = frozenset({Role.CASE_MANAGER, Role.COORDINATOR, Role.SKA, Role.ADMIN})
#: A KOV A access-log job: its kind is for coordinators and administrators only, so a case
#: manager of KOV A and SKA staff get 403, the personas of KOV B 404.
KIND_REFUSES = {"case_manager_a": 403, "ska_user": 403}


def _queued(world):
    return {"pk": ReportJobFactory(municipality=world.kov_a).pk}


def _failed(world):
    return {"pk": ReportJobFactory(municipality=world.kov_a, status=ReportJob.Status.FAILED).pk}


def _case_of_kov_a(world):
    from tests.cases.factories import CaseFactory

    return CaseFactory(municipality=world.kov_a, case_manager=world.users["case_manager_a"])


def _case_document(world):
    """A generated case documentation form of a KOV A case file."""
    case = _case_of_kov_a(world)
    return {
        "pk": done_job(
            kind="case_documentation_form", municipality=world.kov_a, month=None, subject=case
        ).pk
    }


def _plan_of_kov_a(world):
    from tests.billing.factories import plan_line
    from tests.providers.factories import ContractFactory

    case = _case_of_kov_a(world)
    case.entry_date = case.noticed_on
    case.save(update_fields=["entry_date"])
    return plan_line(case, ContractFactory(municipality=world.kov_a).provider).plan


def _reminder_of_coordinator_a(world):
    from reporting.models import Reminder

    reminder = Reminder.objects.create(
        user=world.users["coordinator_a"], key="due:2026-04", text="Esitage koondarve."
    )
    return {"pk": reminder.pk}


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
    # Documents about a case file: KOV staff of the case's municipality only.
    Route(
        "reporting:request",
        roles=CASE_STAFF,
        method="post",
        scoped=True,
        ok=302,
        data=lambda w: {"kind": "case_documentation_form", "subject_id": _case_of_kov_a(w).pk},
    ),
    Route("reporting:download", roles=CASE_STAFF, kwargs=_case_document, scoped=True),
    Route("reporting:job_detail", roles=CASE_STAFF, kwargs=_case_document, scoped=True),
    # Monthly SKA reports (billing and assessments), SKA's month table and reminders.
    Route("reporting:months", roles=frozenset({Role.SKA, Role.ADMIN})),
    Route(
        "reporting:request",
        roles=REPORT_PAGES,
        method="post",
        scoped=True,
        ok=302,
        data=lambda w: {"kind": "cost_report", "municipality": w.kov_a.pk, "month": "2026-04"},
        # Case managers may download their own municipality's cost report too.
        expect={"admin_user": 403},
    ),
    Route(
        "reporting:request",
        roles=REPORT_PAGES,
        method="post",
        ok=302,
        data=lambda w: {"kind": "all_kov_costs", "month": "2026-04"},
        expect={p: 403 for p in ("case_manager_a", "coordinator_a", "case_manager_b", "coordinator_b")},
    ),
    Route(
        "reporting:request",
        roles=CASE_STAFF,
        method="post",
        scoped=True,
        ok=302,
        data=lambda w: {"kind": "plan_pdf", "subject_id": _plan_of_kov_a(w).pk},
    ),
    # SKA downloads a municipality's quality-of-life summary; the case manager may not.
    Route(
        "reporting:download",
        roles=REPORT_PAGES,
        kwargs=lambda w: {"pk": done_job(kind="qol_summary", municipality=w.kov_a).pk},
        scoped=True,
        expect={"case_manager_a": 403, "admin_user": 403},
    ),
    Route(
        "reporting:download",
        roles=CASE_STAFF,
        kwargs=lambda w: {
            "pk": done_job(
                kind="plan_pdf", municipality=w.kov_a, month=None, subject=_plan_of_kov_a(w)
            ).pk
        },
        scoped=True,
    ),
    Route(
        "reporting:reminder_read",
        roles=frozenset(Role),
        kwargs=_reminder_of_coordinator_a,
        method="post",
        ok=302,
        expect={
            p: 404
            for p in (
                "case_manager_a",
                "case_manager_b",
                "coordinator_b",
                "provider_user",
                "provider_user_2",
                "provider_user_b",
                "ska_user",
                "admin_user",
            )
        },
    ),
]
