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



XLSX_WRITE_CALLS = ("write", "write_row", "write_string", "write_number", "write_blank", "write_datetime")


def record_xlsx_writes(make_report) -> list[tuple]:
    """Run ``make_report()`` once (untimed) and record every cell write it makes with xlsxwriter:
    (sheet, method, arguments, format properties); calls made inside another write (write_row →
    write) are not repeated. :func:`xlsx_library_alone` replays them: the floor of a report is the
    library's own work for exactly the cells the report writes."""
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

    calls: list[tuple] = []
    depth = [0]
    originals = {name: getattr(Worksheet, name) for name in XLSX_WRITE_CALLS}

    def recording(name):
        original = originals[name]

        def method(self, *args, **kwargs):
            if depth[0] == 0:
                plain = tuple(a for a in args if not isinstance(a, Format))
                fmt = next((a for a in args if isinstance(a, Format)), None)
                style = None if fmt is None else (fmt.num_format, fmt.bold, fmt.text_wrap, fmt.text_v_align)
                calls.append((self.name, name, plain, style))
            depth[0] += 1
            try:
                return original(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        return method

    for name in XLSX_WRITE_CALLS:
        setattr(Worksheet, name, recording(name))
    try:
        make_report()
    finally:
        for name, original in originals.items():
            setattr(Worksheet, name, original)
    return calls


def xlsx_library_alone(calls: list[tuple]) -> float:
    """Seconds for xlsxwriter alone, with the reports' workbook options, to replay the recorded
    writes (the sheets in the order first written, the same formats) into a temporary file."""
    import tempfile

    from tugi.exports import xlsx_workbook

    with tempfile.TemporaryFile() as out, timer() as t:
        workbook = xlsx_workbook(out)
        sheets, formats = {}, {}
        for sheet_name, method, args, style in calls:
            sheet = sheets.get(sheet_name) or sheets.setdefault(sheet_name, workbook.add_worksheet(sheet_name))
            if style is None:
                getattr(sheet, method)(*args)
                continue
            fmt = formats.get(style)
            if fmt is None:
                num_format, bold, wrap, valign = style
                fmt = formats[style] = workbook.add_format(
                    {"num_format": num_format, "bold": bool(bold), "text_wrap": bool(wrap)}
                    | ({"valign": "top"} if valign else {})
                )
            getattr(sheet, method)(*args, fmt)
        workbook.close()
    return t()
