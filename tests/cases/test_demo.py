"""The demo data: ~30 persons in Metsaküla vald in every state, some overdue; safe to load twice."""

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from cases import demo
from cases.deadlines import deadlines_for
from cases.models import Case, CaseState

pytestmark = pytest.mark.django_db


def test_the_demo_has_persons_in_every_state_with_some_overdue_and_loads_twice():
    accounts_demo.load()
    assert demo.load()["created"] == 34
    assert demo.load()["created"] == 0
    metsakula = Case.objects.filter(municipality__code="9901")
    assert metsakula.count() == 30
    assert set(metsakula.values_list("state", flat=True)) == set(CaseState.values)
    assert Case.objects.filter(municipality__code="9902").exists()
    overdue = [d for d in deadlines_for(metsakula, timezone.localdate()) if d.overdue]
    assert len({d.case.pk for d in overdue}) >= 5
