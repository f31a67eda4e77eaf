# Tugi: `make run` starts the app with demo data, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=
# The suite runs in parallel processes (pytest-xdist), whole files to one process so that a
# module's demo data is loaded once; each process has its own test database, media and Redis db.
# Three on two cores: much of a test's time is waiting (Chromium, a Celery worker, a private
# PostgreSQL or Redis), which a third process fills (01.12.2026: 14:49 instead of 15:49).
PYTEST_WORKERS ?= 3
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install system-deps run test lint messages compilemessages bench bench-national bench-load journeys stop-db clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Tugi needs Python 3.11")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# System packages: gettext (message catalogues), Pango and fonts (WeasyPrint PDFs),
# Chromium (browser tests), poppler-utils (the invoice PDF test renders pages to PNG).
# Installed with apt-get when missing and we are root.
system-deps:
	@bash scripts/system-deps.sh

.env:
	@printf 'DJANGO_DEBUG=true\nDJANGO_SECRET_KEY=%s\n' "$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" > .env
	@echo "Created .env for local development (DJANGO_DEBUG=true)."

compilemessages: install
	DJANGO_SETTINGS_MODULE=config.test_settings $(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'var/*' -v 0

run: install .env compilemessages
	@bash scripts/run.sh

lint: install
	$(VENV)/bin/ruff check .

test: install system-deps lint compilemessages
	DJANGO_SETTINGS_MODULE=config.test_settings $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

messages: install
	bash scripts/messages.sh

bench: install
	$(PY) -m benchmarks

# One part of `make bench` at a time: the national-scale figures, or the load test alone.
# TUGI_NATIONAL_SCALE / TUGI_LOAD_SCALE (1 = 20 000 participants) and TUGI_LOAD_SECONDS set their size.
bench-national: install
	$(PY) -m benchmarks national

bench-load: install
	$(PY) -m benchmarks load

# Each role's journey in Chromium (tests/browser/test_role_journeys.py); the Estonian
# screenshots refresh docs/journeys/ (the test run's own copies are in var/screenshots/journeys/).
journeys: install compilemessages
	TUGI_SCREENSHOTS_TO_DOCS=1 $(PY) -m pytest tests/browser/test_role_journeys.py -q $(PYTEST_ARGS)

stop-db: install
	$(PY) -c 'from pathlib import Path; from config import embedded_db; print("stopped" if embedded_db.stop(Path.cwd()) else "not running")'

clean: stop-db
	rm -rf var/pgdata var/media var/test-media var/staticfiles
