"""What every benchmark needs: Django set up on the benchmark database, timing, peak memory,
and a cold start (PostgreSQL restarted, the OS page cache dropped, a fresh Python process)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

BENCH_DATABASE = "tugi_bench"
ROOT = Path(__file__).resolve().parent.parent


def setup_django(*, fresh: bool = True, database: str = BENCH_DATABASE) -> None:
    """Point Django at the ``database`` (``tugi_bench``); ``fresh`` drops, recreates and migrates it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    if fresh:
        settings.DATABASES["default"]["NAME"] = "postgres"
        connection.close()
        connection.settings_dict["NAME"] = "postgres"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{database}"')
        connection.close()
    settings.DATABASES["default"]["NAME"] = database
    connection.settings_dict["NAME"] = database
    if fresh:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def queue_tasks_without_running_them() -> None:
    """What the user waits for in production is the commit and the task *queued* (a worker runs
    it later). Without REDIS_URL tasks run eagerly inside ``on_commit``, so a timed close would
    include building its reports; this puts them on Celery's in-memory broker instead."""
    from config.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"


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


def embedded() -> bool:
    return not os.environ.get("DATABASE_URL")


def make_cold() -> list[str]:
    """Restart PostgreSQL (its shared buffers are empty again) and drop the OS page cache.

    Returns what was done, for the report. The restart needs the embedded server; the page
    cache needs root (``sync; echo 3 > /proc/sys/vm/drop_caches``). Django's connection is
    closed first and opens again on the next query."""
    from django.db import connections

    connections.close_all()
    done = []
    if embedded():
        from config import embedded_db

        embedded_db.stop(ROOT)
        embedded_db.start(ROOT)
        done.append("PostgreSQL restarted")
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        done.append("OS page cache dropped")
    except OSError:
        pass
    return done


def run_fresh(code: str) -> dict:
    """Run ``code`` in a new Python process set up on the existing benchmark database; the code
    sets ``result`` (a JSON-able dict), which is returned."""
    program = (
        "import json\n"
        "from benchmarks.harness import setup_django\n"
        "setup_django(fresh=False)\n"
        f"{code}\n"
        "print('FRESH-RESULT ' + json.dumps(result, default=str))\n"
    )
    proc = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True,
                          env=os.environ)
    for line in proc.stdout.splitlines():
        if line.startswith("FRESH-RESULT "):
            return json.loads(line.removeprefix("FRESH-RESULT "))
    raise RuntimeError(f"fresh process failed:\n{proc.stdout}\n{proc.stderr}")


def timed_request(client, url: str):
    """One GET through Django's test client: (server seconds, [(seconds, sql) of each query],
    response). The queries are timed apart by a connection wrapper, so the page's time outside
    its SQL is the difference."""
    from django.db import connection

    spent: list[tuple[float, str]] = []

    def timed(execute, query, params, many, context):
        start = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            spent.append((time.perf_counter() - start, query))

    with connection.execute_wrapper(timed):
        start = time.perf_counter()
        response = client.get(url)
        server = time.perf_counter() - start
    return server, spent, response

