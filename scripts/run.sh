#!/usr/bin/env bash
# `make run`: database, migrations, demo data, worker (with REDIS_URL) and the dev server.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

if [ -z "${DATABASE_URL:-}" ]; then
  echo "Starting the embedded PostgreSQL (data in var/pgdata)…"
fi
$PY manage.py migrate --no-input -v 0
$PY manage.py load_demo --if-empty

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
if [ -n "${REDIS_URL:-}" ]; then
  echo "REDIS_URL is set: starting a Celery worker with beat (log in var/celery.log)."
  .venv/bin/celery -A config worker --beat --loglevel=INFO --concurrency=2 >var/celery.log 2>&1 &
  pids+=($!)
else
  echo "REDIS_URL is not set: background jobs run in-process."
fi

echo
echo "Tugi runs at http://$HOST:$PORT/  (stop with Ctrl+C; 'make stop-db' stops the database)"
echo
$PY manage.py runserver "$HOST:$PORT" --skip-checks
