"""Personas shared by every test: one user per role, in KOV A (and KOV B where bound).

Like healthchecks' alice / bob / charlie: ``case_manager_a`` works in ``kov_a``,
``case_manager_b`` in ``kov_b``; ``ska_user`` and ``admin_user`` in none."""

import pytest

from accounts.models import Role

# The parallel processes' test databases: one migrated template, copied for each.
from tests.databases import django_db_setup, pytest_sessionfinish, pytest_sessionstart  # noqa: F401
from tests.factories import MunicipalityFactory, UserFactory


@pytest.fixture
def kov_a(db):
    return MunicipalityFactory(name="Alfa vald", code="9101")


@pytest.fixture
def kov_b(db):
    return MunicipalityFactory(name="Beeta linn", code="9102")


@pytest.fixture
def case_manager_a(kov_a):
    return UserFactory(
        username="kj_a",
        first_name="Anu",
        last_name="Alfa",
        role=Role.CASE_MANAGER,
        municipality=kov_a,
    )


@pytest.fixture
def coordinator_a(kov_a):
    return UserFactory(
        username="koord_a",
        first_name="Kati",
        last_name="Alfa",
        role=Role.COORDINATOR,
        municipality=kov_a,
    )


@pytest.fixture
def case_manager_b(kov_b):
    return UserFactory(
        username="kj_b",
        first_name="Berit",
        last_name="Beeta",
        role=Role.CASE_MANAGER,
        municipality=kov_b,
    )


@pytest.fixture
def coordinator_b(kov_b):
    return UserFactory(
        username="koord_b",
        first_name="Karl",
        last_name="Beeta",
        role=Role.COORDINATOR,
        municipality=kov_b,
    )


@pytest.fixture
def provider_user(kov_a):
    """A provider specialist bound to “MTÜ Persona Tugi”, which has a contract with KOV A."""
    from tests.providers.factories import ContractFactory, ProviderFactory

    provider = ProviderFactory(name="MTÜ Persona Tugi", registry_code="80000008")
    ContractFactory(municipality=kov_a, provider=provider, number="PERSONA-1")
    return UserFactory(
        username="spets",
        first_name="Pille",
        last_name="Pakkuja",
        role=Role.PROVIDER,
        municipality=None,
        provider=provider,
    )


@pytest.fixture
def provider_user_2(kov_a):
    """A specialist of another provider, “OÜ Teine Teenus”, also under contract with KOV A:
    it sees KOV A's provider pages as its own, never provider_user's records."""
    from tests.providers.factories import (
        ContractFactory,
        ProviderFactory,
        SpecialistFactory,
        registry_code,
    )

    provider = ProviderFactory(name="OÜ Teine Teenus", registry_code=registry_code(900))
    ContractFactory(municipality=kov_a, provider=provider, number="TEINE-1")
    user = UserFactory(
        username="spets_2", first_name="Tiit", last_name="Teine", role=Role.PROVIDER,
        municipality=None, provider=provider,
    )
    SpecialistFactory(provider=provider, name="Tiit Teine", user=user)
    return user


@pytest.fixture
def provider_user_b(kov_b):
    """A specialist of “MTÜ Beeta Abi”, whose only contract is with KOV B."""
    from tests.providers.factories import (
        ContractFactory,
        ProviderFactory,
        SpecialistFactory,
        registry_code,
    )

    provider = ProviderFactory(name="MTÜ Beeta Abi", registry_code=registry_code(901))
    ContractFactory(municipality=kov_b, provider=provider, number="BEETA-1")
    user = UserFactory(
        username="spets_b", first_name="Bruno", last_name="Beeta", role=Role.PROVIDER,
        municipality=None, provider=provider,
    )
    SpecialistFactory(provider=provider, name="Bruno Beeta", user=user)
    return user


@pytest.fixture
def ska_user(db):
    return UserFactory(
        username="ska_user", first_name="Saima", last_name="Amet", role=Role.SKA, municipality=None
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(
        username="admin_user",
        first_name="Aadu",
        last_name="Admin",
        role=Role.ADMIN,
        municipality=None,
    )



def reload_reference_data() -> None:
    """Put back the reference data that migrations load (component catalogue, retirement
    ages, assessment instruments), through the same loaders the migrations use."""
    from importlib import import_module

    from django.apps import apps

    # The flush emptied django_content_type too; Django recreated the rows with new ids after
    # it, so the cached ids (an access-log row's subject type) must be read again.
    from django.contrib.contenttypes.models import ContentType

    from assessments import instrument_seed
    from assessments.models import Instrument, InstrumentItem, ScaleLevel
    from components import catalogue
    from components.models import Component

    ContentType.objects.clear_cache()
    catalogue.load(Component)
    import_module("cases.migrations.0002_retirement_ages").load(apps, None)
    instrument_seed.load(Instrument, InstrumentItem, ScaleLevel)
    import_module("billing.migrations.0007_invoice_parties_and_fee_basis").add_ska(apps, None)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in getattr(item, "fixturenames", ())


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests (browser journeys, real workers) empty every table when they
    end, the migrated reference data included; each of them starts with it in place."""
    if _is_transactional(request.node):
        request.getfixturevalue("transactional_db")
        from components.models import Component

        if not Component.objects.exists():
            reload_reference_data()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that emptied the tables (a transactional test's flush, whether it asked for
    it by marker or through the live server a browser fixture starts), put the migrated
    reference data back. In `make test`'s parallel processes a file of ordinary tests may run
    after one of transactional tests in the same process (pytest-django's ordering, which puts
    the transactional ones last, holds only within the files xdist hands one process).

    Decided by the state the test left, not by its markers, and run after every fixture's
    teardown, the flush included. Never after the last test of the process: its teardown has
    dropped the test database and pointed the connection back at the real one."""
    result = yield
    if nextitem is None:
        return result
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    on_test_database = connection.settings_dict["NAME"] == connection.settings_dict.get("TEST", {}).get("NAME")
    if on_test_database and not connection.in_atomic_block:
        from components.models import Component

        with item.config.stash[blocking_manager_key].unblock():
            if not Component.objects.exists():
                reload_reference_data()
    return result


@pytest.fixture(scope="session", autouse=True)
def _close_stray_connections_at_the_end(django_db_setup, django_db_blocker):  # noqa: F811
    """Live-server threads and worker processes may leave a connection to the test
    database behind; end them so the test database can be dropped at the end of the run."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
