from datetime import datetime

import pytest
import time_machine
from django.conf import settings

from billing import demo
from billing.models import Delivery, FundingAgreement, Invoice

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime(2026, 11, 23, 10, 0).astimezone(), tick=False)
def test_the_demo_closes_and_submits_one_month_per_kov_can_run_twice_and_its_agreements_agree_with_its_entries():
    """One test, since each load of the demo takes long."""
    from importlib import import_module

    for app in settings.LOCAL_APPS[: settings.LOCAL_APPS.index("billing")]:
        try:
            import_module(f"{app}.demo").load()
        except ModuleNotFoundError:
            continue
    demo.load()
    deliveries = Delivery.objects.count()
    demo.load()
    assert Delivery.objects.count() == deliveries > 0
    assert FundingAgreement.objects.count() == 2
    submitted = Invoice.objects.filter(state=Invoice.State.SUBMITTED)
    assert {i.municipality.code for i in submitted} == {"9901", "9902"}
    assert Invoice.objects.count() == 2
    _demo_agreements_agree_with_the_demo_persons_entries()


def _demo_agreements_agree_with_the_demo_persons_entries():
    """The agreements and interim evaluations agree with the demo persons' entries."""
    from django.utils import timezone

    from billing.selectors import funding_dashboard, participants_on
    from cases.models import Case

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
