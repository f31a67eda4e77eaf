"""Load: the locust scenario (benchmarks/locustfile.py) against gunicorn on the national data.

The data is benchmarks/national.py at TUGI_LOAD_SCALE (default 0.05: what this shared 2-core
machine builds in about a minute). Gunicorn runs the production settings (Argon2id logins,
no debug, persistent connections) on 127.0.0.1 only; locust runs each of :data:`RUNS` for
TUGI_LOAD_SECONDS (default 60): 50 users arriving over ten seconds, counted once all have
started (the target), then 50 and 200 users all logging in within one second (the login rush).
Every user logs in when it starts and then works with 1–3 s between pages. Figures per page
kind: requests, failures, median and 95th percentile."""

from __future__ import annotations

import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

TITLE = "Load: mixed roles against gunicorn"

SCALE = float(os.environ.get("TUGI_LOAD_SCALE", "0.05"))
SECONDS = int(os.environ.get("TUGI_LOAD_SECONDS", "60"))
# Gunicorn runs with the production settings file (config/gunicorn.py); GUNICORN_WORKERS and
# GUNICORN_THREADS in the environment override its worker and thread counts.
P95_TARGET_MS = 500
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _users_file(national, directory: Path) -> Path:
    from accounts.models import User
    from cases.models import Case

    users = {"password": None, "month": f"{national.last_month:%Y-%m}", "case_manager": [], "provider": [],
             "coordinator": [], "ska": []}
    from benchmarks.national import LOAD_PASSWORD

    users["password"] = LOAD_PASSWORD
    for user in User.objects.filter(username__regex=r"^(kj_|spets_|koord_|ska_)").order_by("username"):
        if user.role == "case_manager":
            cases = list(Case.objects.filter(case_manager=user).order_by("pk").values_list("pk", flat=True)[:50])
            if cases:
                users["case_manager"].append({"username": user.username, "cases": cases})
        else:
            users[user.role].append(user.username)
    path = directory / "users.json"
    path.write_text(json.dumps(users))
    return path


def _gunicorn(port: int, directory: Path, root: Path = ROOT, args: list[str] | None = None) -> subprocess.Popen:
    """Gunicorn serving the code in ``root`` on 127.0.0.1:``port``, started with ``args``
    (by default the production settings file, config/gunicorn.py)."""
    from django.db import connection

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DJANGO_MEDIA_ROOT": str(directory / "media"),
        "DATABASE_URL": f"postgres://{connection.settings_dict['USER']}@/{connection.settings_dict['NAME']}",
        "PGHOST": connection.settings_dict["HOST"] or "",
        "PGPORT": str(connection.settings_dict["PORT"] or 5432),
        "DATABASE_CONN_MAX_AGE": "60",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "",
    }
    env.pop("REDIS_URL", None)
    if args is None:
        args = ["-c", "config/gunicorn.py"]
    process = subprocess.Popen(
        [str(root / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", *args, "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=root, env=env, stdout=open(directory / "gunicorn.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
        start_new_session=True,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2)
            return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("gunicorn did not start:\n" + (directory / "gunicorn.log").read_text())


#: The runs: (label, users, users started a second, counted only once all have started). The
#: target is the first: a morning's users arriving over ten seconds, measured at work. The login
#: rush is measured apart: every user logging in within the same second.
RUNS = (
    ("50 users arriving over 10 s", 50, 5, True),
    ("50 users within 1 s (the rush)", 50, 50, False),
    ("200 users within 1 s (the rush)", 200, 200, False),
)


def _locust(port: int, run: tuple, users_file: Path, directory: Path, seconds: int = SECONDS) -> list[dict]:
    _label, users, rate, after_start = run
    prefix = directory / f"u{users}-r{rate}"
    ramp = users // rate if after_start else 0
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
         "-u", str(users), "-r", str(rate), "-t", f"{seconds + ramp}s", "--host", f"http://127.0.0.1:{port}",
         "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
         *(["--reset-stats"] if after_start else [])],
        cwd=ROOT, env={**os.environ, "TUGI_LOAD_USERS": str(users_file)}, capture_output=True, text=True,
        timeout=seconds + ramp + 120,
    )
    with open(f"{prefix}_stats.csv") as stats:
        return list(csv.DictReader(stats))


def _gunicorn_shape() -> str:
    """The worker class, processes and threads config/gunicorn.py gives in this environment."""
    import runpy

    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    return f"{conf['worker_class']}, {conf['workers']} workers × {conf['threads']} threads"


def _login_cpu_ms() -> float:
    """CPU time of one password check with the production hasher (what a login costs a worker)."""
    from django.contrib.auth.hashers import check_password, make_password
    from django.test import override_settings

    import config.settings as production

    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        encoded = make_password("x")
        start = time.process_time()
        for _ in range(10):
            check_password("x", encoded)
        return (time.process_time() - start) / 10 * 1000


def run() -> dict:
    from django.conf import settings

    import config.settings as production
    from benchmarks.national import build

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # the users get production hashes
    national = build(scale=SCALE)
    directory = Path(tempfile.mkdtemp(prefix="tugi-load-"))
    users_file = _users_file(national, directory)
    port = _free_port()
    server = _gunicorn(port, directory)
    results = {}
    try:
        for run_shape in RUNS:
            results[run_shape] = _locust(port, run_shape, users_file, directory)
        load_average = os.getloadavg()[0]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    rows = [
        ("data (benchmarks/national.py)", f"scale {SCALE:g}: {national.counts['cases_case']} participants, "
                                          f"{national.counts['deliveries in the last month']} deliveries in the "
                                          f"last month, {national.counts['accounts_user']} users"),
        ("server", f"gunicorn with config/gunicorn.py ({_gunicorn_shape()}), production settings, "
                   f"127.0.0.1; locust on the same 2 cores"),
        ("password check, CPU per login (Argon2id 19 MiB, t=2, p=1)", f"{_login_cpu_ms():.0f} ms"),
        ("the machine's load average (1 min) when the runs ended, on 2 cores", f"{load_average:.1f}"),
    ]
    target = RUNS[0]

    def p95_of(stat) -> float:
        return float(stat["95%"]) if stat["95%"] not in ("", "N/A") else 0.0

    def pages(stats) -> list[dict]:
        return [s for s in stats if s["Name"] not in ("Aggregated", "login", "login page")]

    zero_errors = {}
    for shape, stats in results.items():
        label = shape[0]
        total = next(s for s in stats if s["Name"] == "Aggregated")
        zero_errors[shape] = total["Failure Count"] == "0"
        rows.append((f"{label}, {SECONDS} s: requests / failures / requests a second",
                     f"{total['Request Count']} / {total['Failure Count']} / {float(total['Requests/s']):.1f}"))
        for s in stats:
            if s["Name"] == "Aggregated" or (shape != target and s["Name"] not in ("login", "login page")):
                continue
            ok = p95_of(s) <= P95_TARGET_MS and s["Failure Count"] == "0"
            verdict = f" — {'met' if ok else 'NOT met'}" if shape == target and s in pages(stats) else ""
            rows.append((f"{label} — {s['Name']}: n / failures / median / p95 ms",
                         f"{s['Request Count']} / {s['Failure Count']} / {float(s['Median Response Time']):.0f} / "
                         f"{p95_of(s):.0f}{verdict}"))
        if shape != target:
            medians = sorted(float(s["Median Response Time"]) for s in pages(stats)) or [0.0]
            tails = sorted(p95_of(s) for s in pages(stats)) or [0.0]
            rows.append((f"{label} — every page kind: medians / p95s ms",
                         f"{medians[0]:.0f}–{medians[-1]:.0f} / {tails[0]:.0f}–{tails[-1]:.0f}"))
    target_pages = pages(results[target])
    worst = max((p95_of(s) for s in target_pages), default=0.0)
    missed = [s["Name"] for s in target_pages if p95_of(s) > P95_TARGET_MS]
    rate = float(next(s for s in results[target] if s["Name"] == "Aggregated")["Requests/s"]) or 1.0
    medians = sorted(float(s["Median Response Time"]) for s in target_pages) or [0.0]
    notes = (
        f"Target ({target[0]}, 1–3 s think time, counted from when all have started): 0 errors — "
        f"{'met' if zero_errors[target] else 'NOT met'}; p95 ≤ {P95_TARGET_MS} ms on every page kind — "
        f"{'met' if worst <= P95_TARGET_MS else 'NOT met'} (worst page kind {worst:.0f} ms). **The login rush** "
        "is measured apart: the same 50 users, and 200, each logging in within the first second "
        "(spawn rate = users). Their logins, and the first page each user opens, queue behind 50 "
        "(200) password checks at once, so those runs' tails are the rush's; they are reported, not "
        "targeted. A login costs one Argon2id check (the CPU figure above) where Django's PBKDF2 "
        "default cost about 0.2–0.34 s. **Inside each figure:** the HTTP request to gunicorn on "
        "127.0.0.1 and its full response; locust itself shares the machine's 2 cores with gunicorn "
        "and PostgreSQL (the load average row says what else ran).\n\n"
        + (
            f"**Where the p95 target is missed:** {', '.join(missed)}. The pages' medians are "
            f"{medians[0]:.0f}–{medians[-1]:.0f} ms at {rate:.1f} requests a second; with both cores "
            f"busy that is about {2000 / rate:.0f} ms of CPU per request (the gunicorn worker, "
            "PostgreSQL and locust itself together). The slowest requests of these page kinds wait "
            "behind others on the 2 cores; less CPU per request on them is what is left to do. "
            if missed else ""
        )
        + f"Failures: {'none' if all(zero_errors.values()) else 'see the table'} in any run."
    )
    return {"rows": rows, "notes": notes}


if __name__ == "__main__":
    sys.exit("run with: python -m benchmarks load")
