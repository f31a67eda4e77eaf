"""The embedded PostgreSQL survives a killed earlier run, and `make stop-db` stops it.

A private cluster in a temporary directory (its own var/pgdata), driven by separate Python
processes exactly as `make run` / `make stop-db` drive the project's."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil
import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def _python(code: str, base: Path, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import sys; from pathlib import Path; from config import embedded_db; {code}", str(base)],
        cwd=BASE_DIR, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def _postmaster_pid(pgdata: Path) -> int | None:
    pid_file = pgdata / "postmaster.pid"
    return int(pid_file.read_text().split()[0]) if pid_file.exists() else None


@pytest.fixture
def private_cluster():
    # Not under pytest's temporary root: pytest keeps it 0700 (another session on the machine
    # resets it), and the server runs as its own system user.
    base = Path(tempfile.mkdtemp(prefix="tugi-pgdata-"))
    os.chmod(base, 0o755)
    yield base
    _python("embedded_db.stop(Path(sys.argv[1]))", base)
    shutil.rmtree(base, ignore_errors=True)


def test_an_empty_handle_list_left_by_a_killed_run_is_repaired_and_stop_db_really_stops(private_cluster):
    pgdata = private_cluster / "var" / "pgdata"
    started = _python("print(embedded_db.start(Path(sys.argv[1]))['HOST'])", private_cluster)
    assert started.returncode == 0, started.stderr[-3000:]
    server = _postmaster_pid(pgdata)
    assert server and psutil.pid_exists(server)

    # What a SIGKILL between the package's truncate and write leaves behind.
    handles = pgdata / ".handle_pids.json"
    handles.write_text("")
    again = _python("print(embedded_db.start(Path(sys.argv[1]))['NAME'])", private_cluster)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "JSONDecodeError" not in again.stderr
    assert isinstance(json.loads(handles.read_text()), list)
    assert _postmaster_pid(pgdata) == server  # the same server, reused

    # A process that died without removing itself is dropped; stop-db stops regardless.
    handles.write_text(json.dumps([2**22 + 12345, os.getpid()]))
    stopped = _python("print('stopped' if embedded_db.stop(Path(sys.argv[1])) else 'not running')", private_cluster)
    assert stopped.returncode == 0, stopped.stderr[-3000:]
    assert stopped.stdout.strip() == "stopped"
    assert not psutil.pid_exists(server) or psutil.Process(server).status() == psutil.STATUS_ZOMBIE
    assert json.loads(handles.read_text()) == []
    second = _python("print('stopped' if embedded_db.stop(Path(sys.argv[1])) else 'not running')", private_cluster)
    assert second.stdout.strip() == "not running"

    # Stopped and started again within one process, as the cold benchmarks do: a new server
    # with its own socket, not the stopped one's handle.
    restarted = _python(
        "base = Path(sys.argv[1]); embedded_db.start(base); embedded_db.stop(base); "
        "host = embedded_db.start(base)['HOST']; import psycopg2; "
        "conn = psycopg2.connect(dbname='postgres', user='postgres', host=host); cur = conn.cursor(); "
        "cur.execute('SELECT 1'); print('up', cur.fetchone()[0])",
        private_cluster,
    )
    assert restarted.returncode == 0, restarted.stderr[-3000:]
    assert restarted.stdout.strip() == "up 1"
    assert _postmaster_pid(pgdata) not in (None, server)


def test_repair_leaves_a_good_list_alone_and_rewrites_a_bad_one_atomically(tmp_path):
    from config import embedded_db

    handles = tmp_path / ".handle_pids.json"
    handles.write_text(json.dumps([os.getpid()]))
    assert embedded_db.repair_handle_list(tmp_path) is False
    for bad in ("", "[1, 2", '{"a": 1}', '["x"]'):
        handles.write_text(bad)
        assert embedded_db.repair_handle_list(tmp_path) is True
        assert json.loads(handles.read_text()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [".handle_pids.json"]  # no temporary left


def test_the_development_server_keeps_no_connection_between_requests():
    code = (
        "import sys, django, os; sys.argv = ['manage.py', 'runserver']; "
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; django.setup(); "
        "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://u:p@db.invalid:5432/tugi", "DJANGO_DEBUG": "true"}
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "0"
