from datetime import datetime

import pytest
import time_machine
from django.conf import settings

from billing import demo
from billing.models import Delivery, FundingAgreement, Invoice

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime(2026, 11, 23, 10, 0).astimezone(), tick=False)
def test_the_demo_closes_and_submits_one_month_per_kov_and_can_run_twice():
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
