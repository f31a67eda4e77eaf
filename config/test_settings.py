"""The test suite's overrides of config.settings: few and explicit."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "t" * 40)
os.environ["DJANGO_DEBUG"] = "false"
# Tests talk plain HTTP to the test client and the live server.
os.environ["DJANGO_SECURE"] = "false"
# The real worker test sets REDIS_URL for its own worker; the suite itself runs tasks in-process.
os.environ.pop("REDIS_URL", None)

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# `make test` runs the suite in parallel processes (pytest-xdist): each gets its own media
# directories (pytest-django already gives each its own database, test_tugi_gw0, …), so one
# process's clean-up of files no job records never meets another's.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
MEDIA_ROOT = VAR_DIR / f"test-media{_WORKER}"  # noqa: F405
STORAGES["default"]["OPTIONS"]["location"] = MEDIA_ROOT  # noqa: F405
STORAGES["evidence"]["OPTIONS"]["location"] = str(VAR_DIR / f"test-evidence{_WORKER}")  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Two test runs at once (e.g. two developers' checkouts on one machine) each name their own database.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_tugi")}  # noqa: F405
