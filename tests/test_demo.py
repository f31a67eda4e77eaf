"""The demo data (``manage.py load_demo``), every app's part checked after one load of the whole
demo, then a second load that adds nothing. One test, since each load of the whole demo takes
long: it refuses a database with DEBUG off unless forced, then

- cases: 34 persons, the 30 of Metsaküla vald in every state, some overdue;
- assessments: every assessed and planned person assessed once, every planned one with an
  agreed plan in force, no draft left;
- billing: an agreement per municipality whose interim evaluations agree with the persons'
  entries, the month before last closed and submitted to SKA in both;
- a second load (forced, DEBUG off) changes none of it."""

from datetime import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from assessments import selectors
from assessments.models import Assessment, Plan, PlanStatus, QolSurvey
from billing.models import Delivery, FundingAgreement, Invoice
from billing.selectors import funding_dashboard, participants_on
from cases.deadlines import deadlines_for
from cases.models import Case, CaseState, Person

pytestmark = pytest.mark.django_db

COUNTED = (User, Person, Case, Assessment, Plan, QolSurvey, Delivery, FundingAgreement, Invoice)


@time_machine.travel(datetime(2026, 11, 23, 10, 0).astimezone(), tick=False)
def test_the_demo_refuses_debug_off_unless_forced_loads_every_app_and_a_second_load_adds_nothing(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")
    assert not User.objects.exists()
    settings.DEBUG = True
    call_command("load_demo", if_empty=True)

    _cases()
    _assessments()
    _billing()
    counts = {model.__name__: model.objects.count() for model in COUNTED}

    settings.DEBUG = False
    call_command("load_demo", force=True)
    assert {model.__name__: model.objects.count() for model in COUNTED} == counts
    assert User.objects.filter(username="kj.metsakula").count() == 1
    assert User.objects.count() == 7


def _cases():
    assert Person.objects.count() == 34
    metsakula = Case.objects.filter(municipality__code="9901")
    assert metsakula.count() == 30
    assert set(metsakula.values_list("state", flat=True)) == set(CaseState.values)
    assert Case.objects.filter(municipality__code="9902").exists()
    overdue = [d for d in deadlines_for(metsakula, timezone.localdate()) if d.overdue]
    assert len({d.case.pk for d in overdue}) >= 5


def _assessments():
    for case in Case.objects.filter(state__in=[CaseState.ASSESSED, CaseState.PLANNED]):
        assert case.assessments.filter(status="finished").count() == 1
    planned = Case.objects.filter(state=CaseState.PLANNED)
    assert planned.exists()
    for case in planned:
        plan = case.plans.get()
        assert plan.status == PlanStatus.AGREED and plan.lines.count() >= 3 and plan.goals.exists()
        assert selectors.plan_lines_on(case=case, day=plan.valid_from).exists()
    assert Plan.objects.count() == planned.count()
    assert QolSurvey.objects.filter(respondent="specialist").exists()
    spetsialist = User.objects.get(username="spetsialist")
    assert selectors.base_cases_for(spetsialist).filter(state=CaseState.PLANNED).exists()
    assert Assessment.objects.filter(status="draft").count() == 0


def _billing():
    assert Delivery.objects.exists()
    assert FundingAgreement.objects.count() == 2
    submitted = Invoice.objects.filter(state=Invoice.State.SUBMITTED)
    assert {i.municipality.code for i in submitted} == {"9901", "9902"}
    assert Invoice.objects.count() == 2
    today = timezone.localdate()
    for agreement in FundingAgreement.objects.select_related("municipality"):
        kov = agreement.municipality
        entries = Case.objects.filter(municipality=kov, entry_date__isnull=False)
        assert not entries.filter(entry_date__lt=agreement.start_date).exists(), kov
        dashboard = funding_dashboard(kov, today=today)
        stage_one = agreement.evaluations.get(date=agreement.stage_one_end)
        assert stage_one.participants == dashboard["entered_in_stage_one"] > 0, kov
        for evaluation in agreement.evaluations.all():
            assert evaluation.participants == participants_on(kov, evaluation.date), (kov, evaluation)
