"""Retention: a dry run lists the case files past the retention period and changes nothing;
a later run removes what the dry run listed, leaves what an unaccepted invoice needs, and
logs each removal without the removed data."""

import json
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import AccessLog
from archive import retention, services, tasks
from archive.models import Attachment, RemovalRecord, RetentionRun, evidence_storage
from billing.models import BillingMonth, MonthState
from cases.models import Case, CaseState, Noticing, Person, Relative
from tests.archive.files import pdf
from tests.cases.factories import EnteredCaseFactory, NoticingFactory, PersonFactory
from tugi.workdays import add_months, month_start

TODAY = timezone.localdate()
PHONE = "+372 5555 0000"


def _has(model, name):
    return any(f.name == name for f in model._meta.fields)


def ended_case(kov, manager, *, years, first_name="Olev"):
    person = PersonFactory(first_name=first_name, **({} if _has(Case, "phone") else {"phone": PHONE}))
    exit_date = add_months(TODAY, -12 * years)
    case = EnteredCaseFactory(
        municipality=kov,
        person=person,
        case_manager=manager,
        entry_date=exit_date - timedelta(days=400),
        noticed_on=exit_date - timedelta(days=420),
        **({"phone": PHONE} if _has(Case, "phone") else {}),
    )
    NoticingFactory(case=case)
    owner = {"case": case} if _has(Relative, "case") else {"person": person}
    Relative.objects.create(kind=Relative.Kind.choices[0][0], name="Ülo Esindaja", **owner)
    services.add_attachment(
        case=case, kind="consent", document_date=case.entry_date, upload=pdf(), by=manager
    )
    Case.objects.filter(pk=case.pk).update(state=CaseState.EXITED, exit_date=exit_date)
    case.refresh_from_db()
    case.state, case.exit_date = CaseState.EXITED, exit_date
    case.save()
    return case


@pytest.fixture
def old(kov_a, case_manager_a):
    from assessments.models import Assessment, InstrumentKind
    from assessments.selectors import current_instrument

    case = ended_case(kov_a, case_manager_a, years=8)
    Assessment.objects.create(
        case=case,
        instrument=current_instrument(InstrumentKind.NEEDS),
        assessed_on=case.entry_date,
        assessor=case_manager_a,
        status="finished",
        background="Olev elab üksi ja kardab poodi minna.",
        summary="Vajab tuge igapäevaelus.",
    )
    return case


@pytest.fixture
def waiting(kov_a, case_manager_a, coordinator_a, provider_user):
    """Ended 8 years ago, but with a session in a month SKA has not accepted."""
    from billing.models import Delivery

    case = ended_case(kov_a, case_manager_a, years=8, first_name="Ootav")
    month = month_start(case.exit_date)
    from tests.billing.factories import build_world

    world = build_world(kov_a, provider_user=provider_user)
    draft = world.draft(case=case, date=month)
    Delivery.objects.bulk_create(
        [
            Delivery(
                municipality=kov_a,
                case=case,
                component=draft.component,
                provider=draft.provider,
                specialist=draft.specialist,
                date=month,
                minutes=60,
                form="I",
                created_by=coordinator_a,
            )
        ]
    )
    BillingMonth.objects.create(municipality=kov_a, month=month, state=MonthState.SUBMITTED)
    return case


@pytest.fixture
def recent(kov_a, case_manager_a):
    return ended_case(kov_a, case_manager_a, years=2, first_name="Värske")


def test_the_dry_run_lists_what_is_past_the_period_and_changes_nothing(old, waiting, recent):
    before = (Person.history.count(), Case.history.count(), Attachment.objects.count())
    run = retention.dry_run(today=TODAY)
    assert run.dry_run and run.cutoff == add_months(TODAY, -84)
    assert sorted((row["case_id"], row["waits_for_invoice"]) for row in run.report) == sorted(
        [(old.pk, False), (waiting.pk, True)]
    )
    assert (run.case_count, run.skipped_count) == (1, 1)
    assert (Person.history.count(), Case.history.count(), Attachment.objects.count()) == before
    assert Person.objects.get(pk=old.person_id).first_name == "Olev"
    assert not RemovalRecord.objects.exists()
    # A run without an earlier dry run's notice removes nothing either.
    outcome, _listed = retention.run(today=TODAY)
    assert outcome.removed == []
    assert Person.objects.get(pk=old.person_id).first_name == "Olev"


def test_the_real_run_removes_what_the_dry_run_listed_and_logs_it_without_the_data(
    old, waiting, recent, coordinator_a, django_capture_on_commit_callbacks
):
    person = old.person
    code, file_name = person.isikukood, old.attachments.get().file.name
    AccessLog.objects.create(
        user=coordinator_a,
        role=coordinator_a.role,
        municipality=old.municipality,
        subject_type=ContentType.objects.get_for_model(person),
        subject_id=person.pk,
        subject_label=str(person),
        person_id=person.pk,
        path="/cases/",
    )
    notice = retention.dry_run(today=TODAY)
    RetentionRun.objects.filter(pk=notice.pk).update(
        started_at=timezone.now() - timedelta(days=30)
    )

    with django_capture_on_commit_callbacks(execute=True):
        outcome = tasks.retention_monthly.delay().get()
    assert outcome == {"removed": 1, "skipped": 1, "due": 0}

    person.refresh_from_db()
    assert (person.first_name, person.isikukood) == ("Pseudonüüm", None)
    holder = Case.objects.get(pk=old.pk) if _has(Case, "phone") else person
    assert holder.phone == ""
    assert person.birth_date.month == 1 and person.birth_date.day == 1
    assert not Person.history.filter(id=person.pk).exists()
    assert not Case.history.filter(id=old.pk).exists()
    assert not Noticing.objects.filter(case=old).exists()
    assert Relative.objects.count() == 2  # the two other case files' representatives
    assert not Attachment.objects.filter(case=old).exists()
    assert not Attachment.history.filter(case_id=old.pk).exists()
    assert not evidence_storage.exists(file_name)
    assert Case.objects.filter(pk=old.pk, number=old.number, exit_date=old.exit_date).exists()
    assessment = old.assessments.get()
    assert (assessment.background, assessment.summary, assessment.status) == ("—", "—", "finished")
    assert not assessment.history.exists()
    assert AccessLog.objects.get(person_id=person.pk).subject_label == f"Pseudonüüm {person.pk}"

    # Left alone: the case an unaccepted invoice needs, and the recent one.
    for kept in (waiting, recent):
        assert Person.objects.get(pk=kept.person_id).isikukood == kept.person.isikukood
        assert kept.attachments.exists()

    record = RemovalRecord.objects.get()
    assert (record.case_id, record.case_number, record.municipality) == (
        old.pk,
        old.number,
        old.municipality,
    )
    assert record.counts["attachments"] == 1 and record.counts["person"] == 1
    logged = json.dumps([record.counts, *RetentionRun.objects.values_list("report", flat=True)])
    for removed in (code, "Olev", "Ülo Esindaja", PHONE, "nousolek.pdf", "poodi"):
        assert removed not in logged
    # The run ended with a new dry run listing what is due now: the waiting case file.
    latest = RetentionRun.objects.filter(dry_run=True).order_by("-pk").first()
    assert [row["case_id"] for row in latest.report] == [waiting.pk]


def test_once_the_month_is_accepted_the_waiting_case_file_is_due(waiting):
    BillingMonth.objects.filter(municipality=waiting.municipality).update(
        state=MonthState.ACCEPTED
    )
    run = retention.dry_run(today=TODAY)
    assert [(row["case_id"], row["waits_for_invoice"]) for row in run.report] == [
        (waiting.pk, False)
    ]


def test_the_administrator_reads_the_dry_run_in_the_admin(client, admin_user, old, settings):
    from django.urls import reverse

    run = retention.dry_run(today=TODAY)
    client.force_login(admin_user)
    listing = client.get(reverse("admin:archive_retentionrun_changelist"))
    assert listing.status_code == 200
    page = client.get(reverse("admin:archive_retentionrun_change", args=[run.pk])).content.decode()
    assert old.number in page
    assert old.person.isikukood not in page
    schedule = settings.CELERY_BEAT_SCHEDULE["monthly-retention"]
    assert schedule["task"] == tasks.retention_monthly.name
