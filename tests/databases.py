"""The test databases of `make test`'s parallel processes, migrated once.

pytest-django lets each pytest-xdist process create its own test database by running every
migration (about 45 s alone, over a minute when two processes migrate at once on two cores).
Here the controller process migrates one template database before the processes start and
copies it for each (``CREATE DATABASE … TEMPLATE``, a second or so); each process then only
points its connection at its copy, and the controller drops them all at the end. A run in one
process (no ``-n``) keeps pytest-django's own set-up.

Its hooks and fixture are imported into tests/conftest.py, so that the fixture overrides
pytest-django's."""

from __future__ import annotations

import os

import pytest

#: A process's name (gw0, gw1, …) in pytest-xdist's processes; unset in the controller.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")


def _workers(config) -> int:
    """How many processes the controller starts (0 when the run is not parallel)."""
    if hasattr(config, "workerinput"):
        return 0
    number = getattr(config.option, "numprocesses", None) or 0
    return number if isinstance(number, int) else 0


def _names(test_name: str, count: int) -> tuple[str, list[str]]:
    return f"{test_name}_template", [f"{test_name}_gw{n}" for n in range(count)]


def _execute(connection, *statements: str) -> None:
    with connection.creation._nodb_cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _drop(connection, names) -> None:
    _execute(connection, *(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in names))


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """In the controller, before pytest-xdist starts the processes: the template, migrated as
    pytest-django would migrate a test database, and one copy of it per process."""
    count = _workers(session.config)
    if not count:
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    settings_dict = connection.settings_dict
    test_name = settings_dict.get("TEST", {}).get("NAME") or f"test_{settings_dict['NAME']}"
    template, copies = _names(test_name, count)
    real_name = settings_dict["NAME"]
    with session.config.stash[blocking_manager_key].unblock():
        settings_dict.setdefault("TEST", {})["NAME"] = template
        try:
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        finally:
            connection.close()
            settings_dict["NAME"], settings_dict["TEST"]["NAME"] = real_name, test_name
        _drop(connection, copies)
        _execute(connection, *(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"' for copy in copies))
    session.config._tugi_databases = [template, *copies]


def pytest_sessionfinish(session):
    """In the controller, after every process has ended: the template and the copies dropped."""
    names = getattr(session.config, "_tugi_databases", None)
    if not names:
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    with session.config.stash[blocking_manager_key].unblock():
        _drop(connection, names)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """In a parallel process: its copy of the template, made by the controller (or made here
    from the template when a restarted process has a new name). Otherwise pytest-django's own
    set-up: every migration run into a new test database."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    test_name = connection.settings_dict["TEST"]["NAME"]  # already suffixed with WORKER
    template = f"{test_name.removesuffix(f'_{WORKER}')}_template" if WORKER else None
    with django_db_blocker.unblock():
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname = ANY(%s)", [[test_name, template]])
            found = {name for (name,) in cursor.fetchall()}
        if template in found:
            if test_name not in found:
                _execute(connection, f'CREATE DATABASE "{test_name}" TEMPLATE "{template}"')
            real_name = connection.settings_dict["NAME"]
            connection.close()
            connection.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = test_name
        else:
            config = setup_databases(verbosity=verbosity, interactive=False)
    yield
    with django_db_blocker.unblock():
        if template not in found:
            teardown_databases(config, verbosity=verbosity)
            return
        connection.close()
        connection.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = real_name
        _drop(connection, [test_name])
