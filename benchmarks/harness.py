"""What every benchmark needs: Django set up on the benchmark database, timing and peak memory."""

from __future__ import annotations

import os
import resource
import time
from contextlib import contextmanager

BENCH_DATABASE = "tugi_bench"


def setup_django() -> None:
    """Point Django at a fresh ``tugi_bench`` database and migrate it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    settings.DATABASES["default"]["NAME"] = "postgres"
    connection.close()
    connection.settings_dict["NAME"] = "postgres"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    connection.close()
    settings.DATABASES["default"]["NAME"] = BENCH_DATABASE
    connection.settings_dict["NAME"] = BENCH_DATABASE
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timer():
    """``with timer() as t: ...`` then ``t()`` is the elapsed seconds."""
    start = time.perf_counter()
    end = None

    def elapsed() -> float:
        return (end or time.perf_counter()) - start

    try:
        yield elapsed
    finally:
        end = time.perf_counter()
