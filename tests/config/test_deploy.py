"""Production settings pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "a-long-random-production-like-secret-key-0123456789-abcdefghij-XYZ",
        "DJANGO_ALLOWED_HOSTS": "tugi.example.ee",
        # No database is touched by the checks; a URL keeps the embedded server out of it.
        "DATABASE_URL": "postgres://tugi:secret@db.invalid:5432/tugi",
    }
    for name in ("DJANGO_SECURE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
