from datetime import date

import pytest

from tests.assessments.factories import additional_provider_for, base_provider_for, specialist_of
from tests.cases.factories import EnteredCaseFactory


@pytest.fixture
def case(kov_a, case_manager_a):
    return EnteredCaseFactory(municipality=kov_a, case_manager=case_manager_a, entry_date=date(2026, 1, 10))


@pytest.fixture
def base_provider(kov_a):
    return base_provider_for(kov_a)


@pytest.fixture
def other_provider(kov_a):
    return additional_provider_for(kov_a)


@pytest.fixture
def specialist(base_provider):
    return specialist_of(base_provider)


@pytest.fixture(autouse=True)
def english():
    """Service messages are matched in English here; the pages are tested in Estonian."""
    from django.utils import translation

    with translation.override("en"):
        yield
